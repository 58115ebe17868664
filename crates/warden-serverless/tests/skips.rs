//! `# warden:skip=ID reason` comments on or directly above a function key, a
//! `resources.Resources` key, `provider.iam` or the API settings suppress findings there.

mod common;

use common::{function, id, inventory, role};
use warden_model::Inventory;

const SERVICE: &str = r#"
service: s
provider:
  name: aws
  runtime: nodejs20.x
  # warden:skip=IAM001 the platform team reviewed this grant
  iam:
    role:
      statements:
        - Effect: Allow
          Action: s3:*
          Resource: "*"
functions:
  # Public status page.
  # warden:skip=ACC004 the status page is public by design
  # warden:skip=CFG005,CFG003
  status:
    handler: h.status
    url: true
  worker: # warden:skip=CFG006 tracing is sampled upstream
    handler: h.worker

  # warden:skip=CFG010 a blank line separates this comment from the function

  plain:
    handler: h.plain
    environment:
      TOKEN: x # warden:skip=CFG001 a comment inside the function is not on its key
resources:
  Resources:
    # warden:skip=ACC001 intentionally public
    Open:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref PlainLambdaFunction
        Action: lambda:InvokeFunction
        Principal: "*"
"#;

fn rules(skips: &[warden_model::Skip]) -> Vec<&str> {
    skips.iter().map(|s| s.rule.as_str()).collect()
}

#[test]
fn comments_on_or_above_a_function_key_become_its_skips() {
    let inv = inventory(SERVICE);
    let status = &function(&inv, "status").meta.skips;
    assert_eq!(rules(status), vec!["CFG005", "CFG003", "ACC004"]);
    assert_eq!(
        status[2].reason.as_deref(),
        Some("the status page is public by design")
    );
    assert!(
        status[0].reason.is_none(),
        "kept without a reason, to be reported"
    );
    assert_eq!((status[2].span.start.line, status[2].span.start.column), (15, 5));

    let worker = &function(&inv, "worker").meta.skips;
    assert_eq!(rules(worker), vec!["CFG006"]);
    assert_eq!(worker[0].span.start.line, 20);

    assert!(function(&inv, "plain").meta.skips.is_empty());
}

#[test]
fn comments_above_a_resource_and_the_provider_role_are_skips_too() {
    let inv = inventory(SERVICE);
    let open = inv
        .permissions
        .iter()
        .find(|p| p.meta.id == id("Open"))
        .expect("permission");
    assert_eq!(rules(&open.meta.skips), vec!["ACC001"]);
    let shared = role(&inv, "IamRoleLambdaExecution");
    assert_eq!(rules(&shared.meta.skips), vec!["IAM001"]);
}

fn report(inv: &Inventory) -> warden_model::Report {
    let settings = warden_rules::Settings::new(jiff::civil::date(2026, 6, 1));
    warden_rules::run(inv, &settings)
}

#[test]
fn skips_suppress_findings_on_the_function_and_what_the_framework_generates_for_it() {
    let inv = inventory(SERVICE);
    let report = report(&inv);
    let suppressed: Vec<(&str, &str)> = report
        .suppressed
        .iter()
        .map(|s| (s.finding.rule_id, s.finding.location.resource.as_str()))
        .collect();
    for expected in [
        ("ACC004", "status"),
        ("CFG003", "status"),
        ("CFG005", "status"),
        ("CFG006", "worker"),
        ("IAM001", "IamRoleLambdaExecution"),
        ("ACC001", "Open"),
    ] {
        assert!(
            suppressed.contains(&expected),
            "{expected:?} not in {suppressed:?}"
        );
    }
    let reported: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.rule_id, f.location.resource.as_str()))
        .collect();
    assert!(reported.contains(&("CFG010", "plain")));
    assert!(reported.contains(&("CFG006", "status")));
    let without_reason: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "suppression-without-reason")
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(without_reason.len(), 2, "{without_reason:?}");
}

#[test]
fn a_comment_above_provider_http_api_covers_the_api_and_its_stage() {
    let inv = inventory(
        r#"
service: s
provider:
  name: aws
  runtime: nodejs20.x
  # warden:skip=CFG012 throttled by the WAF in front of it
  httpApi:
    disableDefaultEndpoint: false
functions:
  f:
    handler: h.h
    events:
      - httpApi: GET /x
"#,
    );
    let report = report(&inv);
    assert!(
        report
            .suppressed
            .iter()
            .any(|s| s.finding.rule_id == "CFG012" && s.finding.location.resource == "HttpApi"),
        "{:?}",
        report.findings
    );
    assert!(!report.findings.iter().any(|f| f.rule_id == "CFG012"));
}
