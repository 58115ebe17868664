//! The SARIF 2.1.0 renderer.

mod support;

use std::path::Path;

use serde_json::{Value, json};
use warden_model::{Checklist, Diagnostic, Layer, Report, RuleMeta, Severity};
use warden_report::Format;

use support::{PUBLIC_URL, assert_valid, file, finding, parse_json, render_to_string, sample_report, span};

const SARIF_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/schemas/sarif-schema-2.1.0.json"
);

fn sarif(report: &Report) -> Value {
    parse_json(&render_to_string(Format::Sarif, report, false))
}

fn results(log: &Value) -> &Vec<Value> {
    match log["runs"][0]["results"].as_array() {
        Some(results) => results,
        None => panic!("no results array in {log}"),
    }
}

#[test]
fn sample_report_renders_to_sarif() {
    insta::assert_snapshot!(render_to_string(Format::Sarif, &sample_report(), false));
}

#[test]
fn output_validates_against_the_sarif_schema() {
    let schema = Path::new(SARIF_SCHEMA);
    if !schema.is_file() {
        eprintln!("SKIPPED: the SARIF 2.1.0 schema is not at {SARIF_SCHEMA}");
        return;
    }
    for report in [sample_report(), Report::default()] {
        let log = render_to_string(Format::Sarif, &report, false);
        let broken = log.replacen("\"version\": \"2.1.0\"", "\"version\": \"2.2\"", 1);
        assert_valid(schema, &log, &broken, false);
    }
}

const fn rule(id: &'static str, severity: Severity) -> RuleMeta {
    RuleMeta {
        id,
        name: "severity-probe",
        summary: "A rule at one severity",
        layer: Layer::Configuration,
        severity,
        checklist: &[Checklist::Throttling],
        sources: &[],
        doc: " ## What it does\n Probes.\n",
    }
}

const BY_SEVERITY: [RuleMeta; 5] = [
    rule("SEV1", Severity::Critical),
    rule("SEV2", Severity::High),
    rule("SEV3", Severity::Medium),
    rule("SEV4", Severity::Low),
    rule("SEV5", Severity::Info),
];

#[test]
fn severities_map_to_levels_and_security_severity() {
    let mut report = Report {
        rules: BY_SEVERITY.to_vec(),
        ..Report::default()
    };
    for meta in &BY_SEVERITY {
        let origin = file("t.yaml", span((1, 1), (1, 2)));
        report
            .findings
            .push(finding(meta, origin, meta.id, "AWS::Lambda::Function", "probe"));
    }
    report.sort();
    let log = sarif(&report);

    let expected = [
        ("SEV1", "error", "9.5"),
        ("SEV2", "error", "8.0"),
        ("SEV3", "warning", "5.5"),
        ("SEV4", "note", "3.0"),
        ("SEV5", "note", "0.0"),
    ];
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    for (index, (id, level, score)) in expected.into_iter().enumerate() {
        let rule = &rules[index];
        assert_eq!(rule["id"], id);
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{id}");
        assert_eq!(rule["properties"]["security-severity"], score, "{id}");
        let result = results(&log).iter().find(|r| r["ruleId"] == id);
        assert_eq!(result.map(|r| &r["level"]), Some(&Value::from(level)), "{id}");
        assert_eq!(result.map(|r| &r["ruleIndex"]), Some(&Value::from(index)), "{id}");
    }
}

#[test]
fn rules_carry_their_documentation_and_tags() {
    let log = sarif(&sample_report());
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    let acc = &rules[0];
    assert_eq!(acc["id"], "ACC001");
    assert_eq!(acc["shortDescription"]["text"], PUBLIC_URL.summary);
    assert_eq!(
        acc["fullDescription"]["text"],
        "Finds function URLs whose `AuthType` is `NONE`."
    );
    let help = acc["help"]["markdown"].as_str().unwrap_or_default();
    assert!(
        help.starts_with("## What it does\n") && help.contains("## References"),
        "{help}"
    );
    assert_eq!(
        acc["properties"]["tags"],
        json!(["security", "iam", "authn-authz"])
    );
}

#[test]
fn file_findings_have_a_region_with_the_spanned_text() {
    let log = sarif(&sample_report());
    let result = results(&log)
        .iter()
        .find(|r| r["properties"]["resource"] == "ApiUrl");
    let physical = result.map(|r| &r["locations"][0]["physicalLocation"]);
    assert_eq!(
        physical.map(|p| &p["region"]),
        Some(&json!({
            "startLine": 13, "startColumn": 7, "endLine": 13, "endColumn": 21,
            "snippet": { "text": "AuthType: NONE" },
        }))
    );
    assert_eq!(
        physical.map(|p| &p["contextRegion"]["startLine"]),
        Some(&json!(12))
    );
}

#[test]
fn unknown_spans_omit_the_region_and_paths_are_encoded() {
    let log = sarif(&sample_report());
    let result = results(&log)
        .iter()
        .find(|r| r["properties"]["resource"] == "WorkerUrl");
    let physical = result.map(|r| &r["locations"][0]["physicalLocation"]);
    assert_eq!(
        physical,
        Some(&json!({ "artifactLocation": { "uri": "infra/my%20stack.yaml" } }))
    );
}

#[test]
fn live_findings_use_a_logical_location_with_the_arn() {
    let log = sarif(&sample_report());
    let result = results(&log).iter().find(|r| r["ruleId"] == "CFG002");
    let location = result.map(|r| &r["locations"][0]);
    assert_eq!(
        location,
        Some(&json!({ "logicalLocations": [{
            "name": "billing",
            "fullyQualifiedName": "arn:aws:lambda:eu-west-1:123456789012:function:billing",
            "kind": "resource",
        }]}))
    );
    assert_eq!(
        result.map(|r| &r["properties"]["region"]),
        Some(&json!("eu-west-1"))
    );
}

#[test]
fn every_result_has_the_warden_fingerprint() {
    let report = sample_report();
    let log = sarif(&report);
    let fingerprints: Vec<&Value> = results(&log).iter().map(|r| &r["partialFingerprints"]).collect();
    assert_eq!(
        fingerprints.len(),
        report.findings.len() + report.suppressed.len()
    );
    let first = &report.findings[0].fingerprint;
    assert_eq!(fingerprints[0], &json!({ "wardenFingerprint/v1": first }));
}

#[test]
fn suppressed_findings_are_results_with_a_suppression() {
    let log = sarif(&sample_report());
    let suppressions: Vec<&Value> = results(&log)
        .iter()
        .filter_map(|r| r.get("suppressions"))
        .collect();
    assert_eq!(
        suppressions,
        [
            &json!([{
                "kind": "inSource",
                "justification": "Webhook signs its requests; checked in the handler",
                "properties": { "by": "metadata" },
            }]),
            &json!([{ "kind": "external", "properties": { "by": "baseline" } }]),
        ]
    );
}

#[test]
fn error_diagnostics_make_the_execution_unsuccessful() {
    let log = sarif(&sample_report());
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = invocation["toolExecutionNotifications"]
        .as_array()
        .and_then(|all| all.iter().find(|n| n["level"] == "error"));
    assert_eq!(
        notification.map(|n| &n["descriptor"]["id"]),
        Some(&json!("yaml-syntax"))
    );

    let warnings_only = Report {
        diagnostics: vec![Diagnostic::warning("unused-suppression", None, "matched nothing")],
        ..Report::default()
    };
    assert_eq!(
        sarif(&warnings_only)["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
}
