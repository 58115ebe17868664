//! Parity suite: the same Lambda functions written in every format Warden reads must give the
//! same findings (rule id and resource) and the same answer to "who can invoke it".
//!
//! `tests/parity/<format>/` holds one folder per format, each with the same set of functions: a
//! public function URL, a confused-deputy permission, a secret in the environment, an admin
//! role, an asynchronously invoked function without a dead-letter queue, a deprecated runtime
//! and a private, hardened function. Every folder found there is scanned, so adding a format is
//! adding a folder (and, when the format names resources differently, its rows in [`NAMES`]).
//!
//! The Terraform and Serverless Framework examples (`examples/*-app-terraform`,
//! `examples/*-app-serverless`) are checked here too, against their SAM counterparts.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

/// Where the format folders are, relative to the repository root.
const PARITY: &str = "tests/parity";

/// Folders that must be there: losing one by mistake must not make the suite pass.
const REQUIRED_FORMATS: &[&str] = &[
    "cloudformation",
    "sam",
    "serverless",
    "terraform",
    "terraform-plan",
];

/// The format the others are compared with; its names are the logical names.
const REFERENCE: &str = "sam";

const CLOUDFORMATION: &[&str] = &["cloudformation"];
const TERRAFORM: &[&str] = &["terraform", "terraform-plan"];
const SERVERLESS: &[&str] = &["serverless"];

/// How formats name the resources of the parity set in findings: (formats, name in findings,
/// logical name). The logical names are the SAM logical ids; a resource SAM generates (a URL,
/// the permission of an event) is reported under its function's name, so the resources other
/// formats write out for it map to that function. A name not listed here is its own logical
/// name.
const NAMES: &[(&[&str], &str, &str)] = &[
    // Plain CloudFormation spells out what SAM generates, with SAM's logical ids.
    (CLOUDFORMATION, "PublicUrlFunctionUrl", "PublicUrlFunction"),
    (
        CLOUDFORMATION,
        "PublicUrlFunctionUrlPublicPermissions",
        "PublicUrlFunction",
    ),
    (CLOUDFORMATION, "AsyncFunctionUploadPermission", "AsyncFunction"),
    (CLOUDFORMATION, "HardenedFunctionNotice", "HardenedFunction"),
    (
        CLOUDFORMATION,
        "HardenedFunctionNoticePermission",
        "HardenedFunction",
    ),
    // Terraform (HCL and plan) names resources by address.
    (TERRAFORM, "aws_lambda_function.public_url", "PublicUrlFunction"),
    (
        TERRAFORM,
        "aws_lambda_function_url.public_url",
        "PublicUrlFunction",
    ),
    (TERRAFORM, "aws_lambda_permission.public_url", "PublicUrlFunction"),
    (TERRAFORM, "aws_lambda_function.deputy", "DeputyFunction"),
    (TERRAFORM, "aws_lambda_permission.deputy", "DeputyPermission"),
    (TERRAFORM, "aws_lambda_function.secret", "SecretFunction"),
    (TERRAFORM, "aws_lambda_function.admin", "AdminFunction"),
    (TERRAFORM, "aws_iam_role.admin", "AdminRole"),
    (TERRAFORM, "aws_iam_role_policy_attachment.admin", "AdminRole"),
    (TERRAFORM, "aws_lambda_function.async", "AsyncFunction"),
    (TERRAFORM, "aws_lambda_permission.async_upload", "AsyncFunction"),
    (TERRAFORM, "aws_s3_bucket_notification.uploads", "AsyncFunction"),
    (TERRAFORM, "aws_s3_bucket.uploads", "UploadsBucket"),
    (TERRAFORM, "aws_lambda_function.legacy", "LegacyFunction"),
    (TERRAFORM, "aws_iam_role.app", "AppRole"),
    (TERRAFORM, "aws_iam_role_policy.app_logs", "AppRole"),
    (TERRAFORM, "aws_lambda_function.hardened", "HardenedFunction"),
    (
        TERRAFORM,
        "aws_sns_topic_subscription.hardened_notice",
        "HardenedFunction",
    ),
    (
        TERRAFORM,
        "aws_lambda_permission.hardened_notice",
        "HardenedFunction",
    ),
    (TERRAFORM, "aws_iam_role.hardened", "HardenedRole"),
    (TERRAFORM, "aws_iam_role_policy.hardened_logs", "HardenedRole"),
    (TERRAFORM, "aws_sns_topic.notices", "NoticeTopic"),
    (TERRAFORM, "aws_sqs_queue.dlq", "DeadLetterQueue"),
    (TERRAFORM, "aws_kms_key.app", "AppKey"),
    (
        TERRAFORM,
        "aws_lambda_code_signing_config.parity",
        "SigningConfig",
    ),
    (TERRAFORM, "aws_vpc.main", "Vpc"),
    (TERRAFORM, "aws_subnet.private_a", "PrivateSubnetA"),
    (TERRAFORM, "aws_subnet.private_b", "PrivateSubnetB"),
    (TERRAFORM, "aws_security_group.functions", "FunctionSecurityGroup"),
    // The Serverless Framework names a function by its key under `functions`, and what it
    // generates for one (URL and its permission, log group, S3 bucket and permission of an
    // event) by the same name. The five defective functions name no role, so they share the
    // one it generates.
    (SERVERLESS, "publicUrl", "PublicUrlFunction"),
    (SERVERLESS, "deputy", "DeputyFunction"),
    (SERVERLESS, "secret", "SecretFunction"),
    (SERVERLESS, "admin", "AdminFunction"),
    (SERVERLESS, "async", "AsyncFunction"),
    (SERVERLESS, "legacy", "LegacyFunction"),
    (SERVERLESS, "hardened", "HardenedFunction"),
    (SERVERLESS, "IamRoleLambdaExecution", "AppRole"),
];

/// What each defective function is there for: (rule id, logical name).
const CORE_FINDINGS: &[(&str, &str)] = &[
    ("ACC004", "PublicUrlFunction"),
    ("ACC002", "DeputyPermission"),
    ("CFG001", "SecretFunction"),
    ("IAM001", "AdminRole"),
    ("CFG007", "AsyncFunction"),
    ("CFG008", "LegacyFunction"),
];

/// The private, hardened function and everything it is built from: no finding on any of them.
const HARDENED: &[&str] = &[
    "HardenedFunction",
    "HardenedRole",
    "NoticeTopic",
    "DeadLetterQueue",
    "AppKey",
    "SigningConfig",
    "Vpc",
    "PrivateSubnetA",
    "PrivateSubnetB",
    "FunctionSecurityGroup",
];

/// The `FunctionName` of every function of the set, the same in every format.
const FUNCTION_NAMES: &[&str] = &[
    "parity-public-url",
    "parity-deputy",
    "parity-secret",
    "parity-admin",
    "parity-async",
    "parity-legacy",
    "parity-hardened",
];

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

fn parse(out: &Output, what: &str) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `warden scan --format json PATH` without any `warden.toml`: exit code and report.
fn scan(path: &str) -> (i32, Value) {
    let out = warden(&["scan", "--no-config", "--format", "json", path]);
    (out.status.code().unwrap_or(-1), parse(&out, path))
}

fn findings(report: &Value) -> &[Value] {
    report["findings"].as_array().map_or(&[], Vec::as_slice)
}

fn rule_ids(report: &Value) -> BTreeSet<String> {
    findings(report)
        .iter()
        .filter_map(|f| f["rule_id"].as_str().map(str::to_string))
        .collect()
}

/// The format folders under `tests/parity`, sorted.
fn formats() -> Vec<String> {
    let mut formats: Vec<String> = std::fs::read_dir(repo().join(PARITY))
        .expect("tests/parity exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    formats.sort();
    formats
}

/// The logical name of a resource as `format` reports it.
fn logical<'a>(format: &str, name: &'a str) -> &'a str {
    NAMES
        .iter()
        .find(|(formats, reported, _)| formats.contains(&format) && *reported == name)
        .map_or(name, |(_, _, logical)| logical)
}

/// One format's scan: exit code, report, and its findings as (rule id, logical name).
struct Scan {
    code: i32,
    report: Value,
    findings: BTreeSet<(String, String)>,
}

/// Every format folder scanned once, shared by the tests.
fn scans() -> &'static BTreeMap<String, Scan> {
    static SCANS: OnceLock<BTreeMap<String, Scan>> = OnceLock::new();
    SCANS.get_or_init(|| {
        formats()
            .into_iter()
            .map(|format| {
                let (code, report) = scan(&format!("{PARITY}/{format}"));
                let findings = findings(&report)
                    .iter()
                    .map(|f| {
                        let rule = f["rule_id"].as_str().unwrap_or_default().to_string();
                        let resource = f["resource"].as_str().unwrap_or_default();
                        (rule, logical(&format, resource).to_string())
                    })
                    .collect();
                let scan = Scan {
                    code,
                    report,
                    findings,
                };
                (format, scan)
            })
            .collect()
    })
}

fn show(set: &BTreeSet<(String, String)>) -> String {
    set.iter()
        .map(|(rule, resource)| format!("  {rule} {resource}\n"))
        .collect()
}

#[test]
fn every_required_format_has_a_folder_and_the_name_table_fits() {
    let found = formats();
    for format in REQUIRED_FORMATS {
        assert!(
            found.iter().any(|f| f == format),
            "{PARITY}/{format} is missing (found {found:?})"
        );
    }
    for (formats, reported, _) in NAMES {
        for format in *formats {
            assert!(
                found.iter().any(|f| f == format),
                "NAMES lists `{reported}` for format `{format}`, which has no folder"
            );
        }
    }
    let mut seen = BTreeSet::new();
    for (formats, reported, _) in NAMES {
        for format in *formats {
            assert!(
                seen.insert((*format, *reported)),
                "NAMES lists `{reported}` twice for `{format}`"
            );
        }
    }
}

#[test]
fn every_format_loads_cleanly_and_points_into_its_own_files() {
    for (format, scan) in scans() {
        let report = &scan.report;
        assert_eq!(scan.code, 1, "{format}: exit code (findings expected)");
        assert!(
            report["diagnostics"].as_array().is_some_and(|d| d.is_empty()),
            "{format}: the parity set must load without any diagnostic:\n{:#}",
            report["diagnostics"]
        );
        assert!(
            report["summary"]["files_scanned"].as_u64() >= Some(1),
            "{format}: no file scanned"
        );
        let folder = format!("{PARITY}/{format}/");
        for finding in findings(report) {
            let location = &finding["location"];
            let path = location["path"].as_str().unwrap_or_default();
            assert!(
                location["kind"] == "file" && path.starts_with(&folder),
                "{format}: finding outside {folder}: {finding:#}"
            );
            assert!(
                location["start_line"].is_u64(),
                "{format}: finding without a position: {finding:#}"
            );
        }
    }
}

#[test]
fn every_format_gives_the_same_findings() {
    let scans = scans();
    let reference = &scans
        .get(REFERENCE)
        .unwrap_or_else(|| panic!("no {PARITY}/{REFERENCE}"))
        .findings;
    let mut problems = String::new();
    for (format, scan) in scans {
        if format == REFERENCE {
            continue;
        }
        let missing: BTreeSet<_> = reference.difference(&scan.findings).cloned().collect();
        let extra: BTreeSet<_> = scan.findings.difference(reference).cloned().collect();
        if !missing.is_empty() || !extra.is_empty() {
            problems.push_str(&format!(
                "{format} differs from {REFERENCE}:\n missing (found in {REFERENCE} only):\n{}\n extra (found in {format} only):\n{}",
                show(&missing),
                show(&extra)
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{problems}\n(names are mapped through NAMES in {})",
        file!()
    );
}

#[test]
fn every_format_finds_what_each_function_is_there_for() {
    for (format, scan) in scans() {
        for (rule, resource) in CORE_FINDINGS {
            assert!(
                scan.findings.contains(&(rule.to_string(), resource.to_string())),
                "{format}: {rule} on {resource} not found; findings:\n{}",
                show(&scan.findings)
            );
        }
    }
}

#[test]
fn the_hardened_function_has_no_finding_in_any_format() {
    for (format, scan) in scans() {
        let on_hardened: BTreeSet<_> = scan
            .findings
            .iter()
            .filter(|(_, resource)| HARDENED.contains(&resource.as_str()))
            .cloned()
            .collect();
        assert!(
            on_hardened.is_empty(),
            "{format}: findings on the hardened function:\n{}",
            show(&on_hardened)
        );
    }
}

/// `warden access` of one function: its verdict and grants (reach, action, public), which name
/// no resource and so compare across formats as they are.
fn access(name: &str, format: &str) -> (String, BTreeSet<String>) {
    let out = warden(&["access", "--format", "json", name, &format!("{PARITY}/{format}")]);
    let json = parse(&out, &format!("access {name} in {format}"));
    let functions = json.as_array().map_or(&[][..], Vec::as_slice);
    assert_eq!(
        functions.len(),
        1,
        "{format}: `warden access {name}` should find exactly one function: {json:#}"
    );
    let function = &functions[0];
    let grants = function["grants"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|g| {
            let text = |key: &str| g[key].as_str().unwrap_or_default().to_string();
            format!("{} | {} | public: {}", text("reach"), text("action"), g["public"])
        })
        .collect();
    (
        function["verdict"].as_str().unwrap_or_default().to_string(),
        grants,
    )
}

/// Every function, the hardened one included, is loaded in every format, and who may invoke
/// it is the same.
#[test]
fn every_format_gives_the_same_access() {
    let formats = formats();
    let mut problems = String::new();
    for name in FUNCTION_NAMES {
        let reference = access(name, REFERENCE);
        for format in formats.iter().filter(|f| *f != REFERENCE) {
            let other = access(name, format);
            if other != reference {
                problems.push_str(&format!(
                    "{name}: {REFERENCE} says {reference:#?}\n{format} says {other:#?}\n"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
}

/// An insecure example in another format trips the same rules as the SAM one
/// (`examples/insecure-app`), loads cleanly, and its text report points into `file` without
/// printing the secret.
fn check_insecure_example(dir: &str, file: &str) {
    let (code, report) = scan(dir);
    assert_eq!(code, 1);
    let ids = rule_ids(&report);
    assert!(ids.len() >= 15, "only {} distinct rules: {ids:?}", ids.len());
    let (_, sam) = scan("examples/insecure-app");
    assert_eq!(
        ids,
        rule_ids(&sam),
        "{dir} and the SAM version of the insecure example trip different rules"
    );
    assert!(
        report["diagnostics"].as_array().is_some_and(|d| d.is_empty()),
        "{:#}",
        report["diagnostics"]
    );
    let text = warden(&["scan", "--no-config", dir]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains(&format!("{dir}/{file}:")), "{stdout}");
    assert!(
        !stdout.contains("Sup3rS3cret-Passw0rd"),
        "the secret is printed in clear:\n{stdout}"
    );
}

/// A hardened example in another format has no finding, no diagnostic and no suppression, and
/// exits 0.
fn check_hardened_example(dir: &str) {
    let (code, report) = scan(dir);
    assert_eq!(rule_ids(&report), BTreeSet::new(), "{:#}", report["findings"]);
    assert_eq!(code, 0);
    for key in ["diagnostics", "suppressed"] {
        assert!(
            report[key].as_array().is_some_and(|d| d.is_empty()),
            "{key}: {:#}",
            report[key]
        );
    }
    assert!(
        report["summary"]["resources_scanned"].as_u64() >= Some(20),
        "the example did not load: {:#}",
        report["summary"]
    );
}

#[test]
fn insecure_terraform_example_trips_the_rules_of_the_sam_one() {
    check_insecure_example("examples/insecure-app-terraform", "main.tf");
}

#[test]
fn hardened_terraform_example_is_clean_and_exits_0() {
    check_hardened_example("examples/hardened-app-terraform");
}

#[test]
fn insecure_serverless_example_trips_the_rules_of_the_sam_one() {
    check_insecure_example("examples/insecure-app-serverless", "serverless.yml");
}

#[test]
fn hardened_serverless_example_is_clean_and_exits_0() {
    check_hardened_example("examples/hardened-app-serverless");
}
