//! The `warden` binary as a user runs it: exit codes, outputs, bad input.

#[path = "../../warden-report/tests/support/schema.rs"]
#[allow(dead_code)]
mod schema;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn warden(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .expect("run warden")
}

fn json_report(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let out = warden(&all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

fn rule_ids(report: &serde_json::Value) -> BTreeSet<String> {
    report["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|f| f["rule_id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warden-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn insecure_example_trips_many_rules_and_exits_1() {
    let (code, report) = json_report(&["examples/insecure-app"]);
    assert_eq!(code, 1);
    let ids = rule_ids(&report);
    assert!(ids.len() >= 15, "only {} distinct rules: {ids:?}", ids.len());
    let text = warden(&["scan", "examples/insecure-app"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("examples/insecure-app/template.yaml:"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Sup3rS3cret-Passw0rd"),
        "the secret is printed in clear:\n{stdout}"
    );
}

#[test]
fn hardened_example_is_clean_and_exits_0() {
    let (code, report) = json_report(&["examples/hardened-app"]);
    assert_eq!(rule_ids(&report), BTreeSet::new());
    assert_eq!(code, 0);
    assert!(
        report["diagnostics"].as_array().is_some_and(|d| d.is_empty()),
        "{}",
        report["diagnostics"]
    );
}

#[test]
fn fail_on_and_select_shape_the_exit_code() {
    let (code, report) = json_report(&["examples/insecure-app", "--select", "CFG006"]);
    assert_eq!(rule_ids(&report), BTreeSet::from(["CFG006".to_string()]));
    assert_eq!(code, 1);
    let (code, _) = json_report(&[
        "examples/insecure-app",
        "--select",
        "CFG006",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(code, 0, "a low finding does not fail a run gated on critical");
}

#[test]
fn secrets_are_never_written_in_any_format() {
    let dir = temp_dir("secrets");
    let sarif = dir.join("out.sarif");
    let json = dir.join("out.json");
    let out = warden(&[
        "scan",
        "examples/insecure-app",
        "--output",
        &format!("sarif={}", sarif.display()),
        "--output",
        &format!("json={}", json.display()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    for file in [&sarif, &json] {
        let text = std::fs::read_to_string(file).expect("output written");
        assert!(
            !text.contains("Sup3rS3cret-Passw0rd"),
            "{} shows the secret",
            file.display()
        );
    }
}

#[test]
fn sarif_output_validates_against_the_schema() {
    let schema_path = repo().join("../shared/schemas/sarif-schema-2.1.0.json");
    if !schema_path.exists() {
        eprintln!("SKIPPED: SARIF schema not found at {}", schema_path.display());
        return;
    }
    let out = warden(&["scan", "examples/insecure-app", "--format", "sarif"]);
    let document = String::from_utf8_lossy(&out.stdout).to_string();
    let broken = document.replacen("\"version\": \"2.1.0\"", "\"version\": 2", 1);
    assert_ne!(broken, document);
    schema::assert_valid(&schema_path, &document, &broken, false);
}

#[test]
fn broken_inputs_are_reported_and_the_scan_goes_on() {
    let dir = temp_dir("broken");
    std::fs::copy(
        repo().join("examples/insecure-app/template.yaml"),
        dir.join("good.yaml"),
    )
    .expect("copy");
    std::fs::write(
        dir.join("broken.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: [\n",
    )
    .expect("write");
    std::fs::write(dir.join("binary.yaml"), [0u8, 159, 146, 150, 0, 1, 2]).expect("write");
    std::fs::write(dir.join("empty.yaml"), "").expect("write");
    std::fs::write(dir.join("compose.yml"), "services:\n  web: {image: nginx}\n").expect("write");
    let mut huge = String::from("AWSTemplateFormatVersion: '2010-09-09'\nDescription: |\n");
    while huge.len() < 17 * 1024 * 1024 {
        huge.push_str("  padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(dir.join("huge.yaml"), huge).expect("write");
    let out = warden(&["scan", dir.to_str().expect("utf-8 path")]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("broken.yaml:4:1: error[syntax]"),
        "error names file and line:\n{stdout}"
    );
    assert!(
        stdout.contains("binary.yaml") && stdout.contains("binary"),
        "{stdout}"
    );
    assert!(
        stdout.contains("huge.yaml") && stdout.contains("MB limit"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("compose.yml"),
        "non-template YAML is ignored quietly:\n{stdout}"
    );
    assert!(
        stdout.contains("good.yaml:"),
        "findings of the readable file are still reported:\n{stdout}"
    );
}

#[test]
fn metadata_and_config_suppressions() {
    let dir = temp_dir("suppress");
    let template = "Resources:
  Fn:
    Type: AWS::Lambda::Function
    Metadata:
      warden:
        skip:
          - id: CFG006
            reason: tracing is sampled elsewhere
          - id: CFG010
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: arn:aws:iam::111122223333:role/app
      Code: {ZipFile: 'def handler(e, c): pass'}
";
    std::fs::write(dir.join("template.yaml"), template).expect("write");
    std::fs::write(
        dir.join("warden.toml"),
        "[[ignore]]\nrule = \"CFG005\"\nresource = \"Fn\"\nreason = \"batch job\"\n\n[[ignore]]\nrule = \"ACC001\"\nreason = \"nothing\"\n",
    )
    .expect("write");
    let (_, report) = json_report(&[dir.to_str().expect("utf-8 path")]);
    let ids = rule_ids(&report);
    for suppressed in ["CFG005", "CFG006", "CFG010"] {
        assert!(
            !ids.contains(suppressed),
            "{suppressed} should be suppressed: {ids:?}"
        );
    }
    let diagnostics = report["diagnostics"].to_string();
    assert!(
        diagnostics.contains("suppression-without-reason"),
        "{diagnostics}"
    );
    assert!(diagnostics.contains("unused-suppression"), "{diagnostics}");
    assert_eq!(report["suppressed"].as_array().map(Vec::len), Some(3));
}

#[test]
fn rules_and_explain() {
    let out = warden(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(rules.as_array().is_some_and(|r| r.len() >= 25));
    let out = warden(&["explain", "ACC004"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("## Why is this bad") && text.contains("## Fix"),
        "{text}"
    );
    assert_eq!(warden(&["explain", "NOPE999"]).status.code(), Some(2));
    assert_eq!(warden(&["scan", "--format", "xml"]).status.code(), Some(2));
}

/// The README's rule table is generated from the registry; regenerate it with
/// `UPDATE_README=1 cargo test -p warden-cli readme`.
#[test]
fn readme_rule_table_is_in_sync() {
    let readme_path = repo().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).expect("README.md");
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let (Some(a), Some(b)) = (readme.find(start), readme.find(end)) else {
        panic!("README.md lacks the rules markers");
    };
    let out = warden(&["rules", "--format", "json"]);
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    let mut table =
        String::from("| ID | Name | Severity | Layer | Checklist | Summary |\n|---|---|---|---|---|---|\n");
    for r in &rules {
        let checklist: Vec<&str> = r["checklist"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .collect();
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            r["id"].as_str().unwrap_or_default(),
            r["name"].as_str().unwrap_or_default(),
            r["severity"].as_str().unwrap_or_default(),
            r["layer"].as_str().unwrap_or_default(),
            checklist.join(", "),
            r["summary"].as_str().unwrap_or_default(),
        ));
    }
    let current = &readme[a + start.len()..b];
    if current != table {
        if std::env::var_os("UPDATE_README").is_some() {
            let updated = format!("{}{table}{}", &readme[..a + start.len()], &readme[b..]);
            std::fs::write(&readme_path, updated).expect("write README");
        } else {
            panic!("README rule table is stale; run UPDATE_README=1 cargo test -p warden-cli readme");
        }
    }
}

#[test]
fn access_explains_public_cross_account_deputy_and_private_functions() {
    let cases = [
        (
            "OrdersFunction",
            "examples/insecure-app",
            "PUBLIC",
            "function URL (AuthType NONE)",
        ),
        (
            "InvoicesFunction",
            "examples/insecure-app",
            "SHARED",
            "account 444455556666",
        ),
        (
            "ReportsFunction",
            "examples/insecure-app",
            "CONFUSED DEPUTY",
            "alone does not pin S3",
        ),
        ("ReconcileFunction", "examples/hardened-app", "PRIVATE", ""),
    ];
    for (function, path, verdict, detail) in cases {
        let out = warden(&["access", function, path]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{function}: {text}");
        assert!(
            text.contains(verdict) && text.contains(detail),
            "{function}:\n{text}"
        );
    }
    let out = warden(&["access", "NoSuchFunction", "examples/insecure-app"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("functions found: "));
    let out = warden(&[
        "access",
        "OrdersFunction",
        "examples/insecure-app",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json[0]["grants"]
            .as_array()
            .map(|g| g.iter().any(|g| g["public"] == true)),
        Some(true)
    );
}

#[test]
fn policy_check_points_at_lines() {
    let out = warden(&["policy", "check", "examples/policies/too-broad.json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for expected in [
        "too-broad.json:7:17: security-warning[administrator-access]",
        "too-broad.json:14:19: security-warning[passrole-any-role]",
        "too-broad.json:19:20: security-warning[administrator-access]",
        "warning[write-on-any-resource]: allows write actions `lambda:CreateFunction`",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }

    let dir = temp_dir("policy");
    std::fs::write(
        dir.join("bad.json"),
        "{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Permit\", \"Action\": \"*\"}]}",
    )
    .expect("write");
    let out = warden(&["policy", "check", dir.join("bad.json").to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bad.json:2:27: error[invalid-policy]"), "{text}");
    std::fs::write(dir.join("broken.json"), "{\"Statement\": [").expect("write");
    let out = warden(&[
        "policy",
        "check",
        dir.join("broken.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn terraform_directories_are_scanned_with_the_same_rules() {
    let dir = temp_dir("terraform");
    let module = dir.join("modules/fn");
    std::fs::create_dir_all(&module).expect("mkdir");
    std::fs::write(
        dir.join("main.tf"),
        r#"variable "runtime" {
  default = "python3.8"
}

module "worker" {
  source  = "./modules/fn"
  runtime = var.runtime
}
"#,
    )
    .expect("write");
    std::fs::write(
        module.join("main.tf"),
        r#"variable "runtime" {}

resource "aws_iam_role" "fn" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_lambda_function" "fn" {
  function_name = "worker"
  role          = aws_iam_role.fn.arn
  runtime       = var.runtime
  handler       = "app.handler"
  filename      = "fn.zip"
}

resource "aws_lambda_function_url" "fn" {
  function_name      = aws_lambda_function.fn.function_name
  authorization_type = "NONE"
}
"#,
    )
    .expect("write");
    let (code, report) = json_report(&[dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    let ids = rule_ids(&report);
    for expected in ["ACC004", "CFG008"] {
        assert!(ids.contains(expected), "{expected} missing: {ids:?}");
    }
    let findings = report["findings"].as_array().expect("findings");
    let url = findings
        .iter()
        .find(|f| f["rule_id"] == "ACC004")
        .expect("ACC004");
    assert!(
        url["location"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("modules/fn/main.tf")),
        "{url}"
    );
    // The module is loaded once, through its call (with the caller's runtime), not again alone.
    let deprecated: Vec<_> = findings.iter().filter(|f| f["rule_id"] == "CFG008").collect();
    assert_eq!(deprecated.len(), 1, "{deprecated:?}");
}

#[test]
fn access_explains_layers() {
    let out = warden(&["access", "SharedLayer", "examples/insecure-app"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("PUBLIC: every AWS account") && text.contains("SharedLayerPermission"),
        "{text}"
    );
    let out = warden(&["access", "SharedLayer", "examples/hardened-app"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("organization o-a1b2c3d4e5") && !text.contains("PUBLIC"),
        "{text}"
    );
}

#[test]
fn serverless_files_are_scanned_with_the_same_rules() {
    let dir = temp_dir("serverless");
    std::fs::write(
        dir.join("serverless.yml"),
        "service: orders
provider:
  name: aws
  runtime: python3.8
functions:
  # warden:skip=CFG005 batch job, bounded by its queue
  api:
    handler: app.handler
    url: true
    environment:
      DB_PASSWORD: Sup3rS3cret-Passw0rd
",
    )
    .expect("write");
    let (code, report) = json_report(&[dir.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    let ids = rule_ids(&report);
    for expected in ["ACC004", "CFG001", "CFG008"] {
        assert!(ids.contains(expected), "{expected} missing: {ids:?}");
    }
    assert!(
        !ids.contains("CFG005"),
        "the skip comment suppresses CFG005: {ids:?}"
    );
    assert!(
        !report.to_string().contains("Sup3rS3cret-Passw0rd"),
        "secret printed in clear"
    );
}
