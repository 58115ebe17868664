//! `--format junit|markdown|csv` end to end, and baselines: `--write-baseline` then
//! `--baseline` on a copy of the insecure example as it is edited.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn warden_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run warden")
}

/// A fresh directory holding a copy of the insecure example's template.
fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warden-baseline-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(
        repo().join("examples/insecure-app/template.yaml"),
        dir.join("template.yaml"),
    )
    .expect("copy template");
    dir
}

fn edit(dir: &Path, change: impl FnOnce(String) -> String) {
    let path = dir.join("template.yaml");
    let text = std::fs::read_to_string(&path).expect("read template");
    std::fs::write(&path, change(text)).expect("write template");
}

/// `warden scan --format json --no-config template.yaml ARGS` in `dir`: (exit code, report).
fn scan(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--format", "json", "--no-config", "template.yaml"];
    all.extend_from_slice(args);
    let out = warden_in(dir, &all);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

fn list<'a>(report: &'a Value, key: &str) -> &'a [Value] {
    report[key].as_array().map(Vec::as_slice).unwrap_or_default()
}

fn fixed_notes(report: &Value) -> Vec<String> {
    list(report, "diagnostics")
        .iter()
        .filter(|d| d["code"] == "fixed-since-baseline")
        .filter_map(|d| d["message"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn new_formats_render_the_insecure_example() {
    for (format, start) in [
        (
            "junit",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"warden\"",
        ),
        ("markdown", "## Lambda Warden\n"),
        ("csv", "severity,rule_id,rule_name,resource,"),
    ] {
        let out = warden_in(&repo(), &["scan", "--format", format, "examples/insecure-app"]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{format}: {stdout}");
        assert!(stdout.starts_with(start), "{format}:\n{stdout}");
        assert!(
            stdout.contains("PublicInvoke"),
            "{format} lists the findings:\n{stdout}"
        );
    }
}

#[test]
fn an_unknown_format_lists_every_format() {
    let out = warden_in(&repo(), &["scan", "--format", "xml", "examples/insecure-app"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("expected text, json, sarif, junit, markdown or csv"),
        "{stderr}"
    );
}

#[test]
fn a_baseline_accepts_todays_findings_through_line_shifts() {
    let dir = project("accept");
    let (code, before) = scan(&dir, &["--write-baseline", "baseline.json"]);
    assert_eq!(code, 1, "writing a baseline still reports the findings");
    let findings = list(&before, "findings").len();
    assert!(findings > 10, "{before}");

    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("baseline.json")).expect("baseline written"))
            .expect("baseline is JSON");
    assert_eq!(written["version"], 1);
    let fingerprints: Vec<&str> = list(&written, "findings")
        .iter()
        .filter_map(|e| e["fingerprint"].as_str())
        .collect();
    assert_eq!(fingerprints.len(), findings);
    assert!(fingerprints.is_sorted(), "{fingerprints:?}");
    let first = &list(&written, "findings")[0];
    for key in ["rule_id", "resource", "path"] {
        assert!(first[key].is_string(), "entry lacks {key}: {first}");
    }

    let (code, after) = scan(&dir, &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{after}");
    assert!(list(&after, "findings").is_empty(), "{after}");
    let baselined = list(&after, "suppressed")
        .iter()
        .filter(|s| s["by"] == "baseline")
        .count();
    assert_eq!(baselined, findings);
    assert!(fixed_notes(&after).is_empty(), "{after}");

    edit(&dir, |text| format!("\n\n\n# moved down\n{text}"));
    let (code, shifted) = scan(&dir, &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "a line shift is no new finding: {shifted}");
    assert!(list(&shifted, "findings").is_empty(), "{shifted}");
}

#[test]
fn only_a_new_finding_fails_the_run() {
    let dir = project("new");
    scan(&dir, &["--write-baseline", "baseline.json"]);
    edit(&dir, |text| {
        format!(
            "{text}\n  InvoicesPublicInvoke:\n    Type: AWS::Lambda::Permission\n    Properties:\n      \
             FunctionName: !Ref InvoicesFunction\n      Action: lambda:InvokeFunction\n      Principal: '*'\n"
        )
    });
    let (code, report) = scan(&dir, &["--baseline", "baseline.json"]);
    assert_eq!(code, 1, "{report}");
    let new: Vec<(&str, &str)> = list(&report, "findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or(""),
                f["resource"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(new, [("ACC001", "InvoicesPublicInvoke")], "{report}");
}

#[test]
fn findings_fixed_since_the_baseline_are_listed() {
    let dir = project("fixed");
    scan(&dir, &["--write-baseline", "baseline.json"]);
    edit(&dir, |text| {
        let start = text.find("\n  AuditTrail:").expect("AuditTrail in the example");
        text[..start + 1].to_string()
    });
    let (code, report) = scan(&dir, &["--baseline", "baseline.json"]);
    assert_eq!(code, 0, "{report}");
    let fixed = fixed_notes(&report);
    assert_eq!(fixed.len(), 1, "{fixed:?}");
    assert!(
        fixed[0].starts_with("MON003 on `AuditTrail` is fixed"),
        "{fixed:?}"
    );

    // Rules that did not run found nothing, but fixed nothing either.
    let (code, selected) = scan(&dir, &["--baseline", "baseline.json", "--select", "ACC"]);
    assert_eq!(code, 0, "{selected}");
    assert!(fixed_notes(&selected).is_empty(), "{selected}");
}

#[test]
fn a_missing_or_malformed_baseline_is_an_error() {
    let dir = project("broken");
    std::fs::write(dir.join("broken.json"), "{\"version\": 1, \"findings\": 3}").expect("write");
    std::fs::write(dir.join("future.json"), "{\"version\": 9, \"findings\": []}").expect("write");
    for (file, expected) in [
        ("missing.json", "cannot read baseline missing.json"),
        (
            "broken.json",
            "cannot use baseline broken.json: not a Warden baseline",
        ),
        ("future.json", "baseline version 9 is not supported"),
    ] {
        let out = warden_in(
            &dir,
            &["scan", "--no-config", "template.yaml", "--baseline", file],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        assert!(
            out.stdout.is_empty(),
            "{file}: no report without a usable baseline"
        );
    }
}
