//! Function settings, and how function settings and provider settings combine.

mod common;

use common::{PATH, expr, function, id, inventory, text};
use warden_model::{CodeLocation, ValueKind};

const SERVICE: &str = r#"
service: orders
provider:
  name: aws
  runtime: python3.12
  stage: ${opt:stage, 'prod'}
  memorySize: 512
  timeout: 10
  architecture: arm64
  kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/provider
  environment:
    LOG_LEVEL: info
    TABLE: orders
  vpc:
    securityGroupIds: [sg-provider]
    subnetIds: [subnet-a, subnet-b]
  tracing:
    lambda: true
  layers:
    - arn:aws:lambda:eu-west-1:123456789012:layer:shared:3
  tags:
    team: payments
    env: prod
functions:
  api:
    handler: api.handler
    environment:
      TABLE: orders-v2
      FEATURE: on
    tags:
      env: production
  worker:
    handler: worker.handler
    runtime: nodejs20.x
    name: custom-worker-name
    memorySize: 2048
    kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/worker
    reservedConcurrency: 5
    onError: arn:aws:sqs:eu-west-1:123456789012:dead-letters
    tracing: PassThrough
    vpc:
      subnetIds: [subnet-c]
    layers:
      - arn:aws:lambda:eu-west-1:123456789012:layer:own:1
    package:
      artifact: build/worker.zip
  offline:
    handler: offline.handler
    vpc: false
    tracing: false
    destinations:
      onFailure: arn:aws:sns:eu-west-1:123456789012:failures
    maximumRetryAttempts: 1
  container:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc
"#;

#[test]
fn provider_settings_apply_to_functions_that_do_not_override_them() {
    let inv = inventory(SERVICE);
    let api = function(&inv, "api");
    assert_eq!(api.meta.id, id("ApiLambdaFunction"));
    assert_eq!(api.meta.resource_type, "AWS::Lambda::Function");
    assert_eq!(text(api.runtime.as_ref()).as_deref(), Some("python3.12"));
    assert_eq!(text(api.handler.as_ref()).as_deref(), Some("api.handler"));
    assert_eq!(text(api.memory_size.as_ref()).as_deref(), Some("512"));
    assert_eq!(text(api.timeout.as_ref()).as_deref(), Some("10"));
    assert_eq!(
        api.architectures.as_ref().map(|a| a.strings()),
        Some(vec!["arm64"])
    );
    assert_eq!(
        text(api.kms_key.as_ref()).as_deref(),
        Some("arn:aws:kms:eu-west-1:123456789012:key/provider")
    );
    assert_eq!(
        text(api.tracing.as_ref()).as_deref(),
        Some("Active"),
        "`tracing.lambda: true` is Active"
    );
    let layers: Vec<String> = api.layers.iter().filter_map(|l| text(Some(l))).collect();
    assert_eq!(
        layers,
        vec!["arn:aws:lambda:eu-west-1:123456789012:layer:shared:3"]
    );
    let vpc = api.vpc.as_ref().expect("provider VPC");
    assert_eq!(vpc.subnet_ids.strings(), vec!["subnet-a", "subnet-b"]);
    assert_eq!(vpc.security_group_ids.strings(), vec!["sg-provider"]);
}

#[test]
fn environment_and_tags_merge_with_the_function_winning() {
    let inv = inventory(SERVICE);
    let api = function(&inv, "api");
    let env: Vec<(String, String)> = api
        .environment
        .as_ref()
        .expect("environment")
        .iter()
        .map(|v| (v.name.clone(), text(Some(&v.value)).unwrap_or_default()))
        .collect();
    assert_eq!(
        env,
        vec![
            ("LOG_LEVEL".into(), "info".into()),
            ("TABLE".into(), "orders-v2".into()),
            ("FEATURE".into(), "on".into()),
        ]
    );
    // Each variable points where it is written.
    let table = api
        .environment
        .as_ref()
        .and_then(|e| e.iter().find(|v| v.name == "TABLE"));
    assert_eq!(table.map(|v| v.name_span.start.line), Some(28));
    let tags: Vec<(String, String)> = api
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), text(Some(v)).unwrap_or_default()))
        .collect();
    assert_eq!(
        tags,
        vec![
            ("team".into(), "payments".into()),
            ("env".into(), "production".into())
        ]
    );
}

#[test]
fn function_settings_override_the_provider() {
    let inv = inventory(SERVICE);
    let worker = function(&inv, "worker");
    assert_eq!(text(worker.runtime.as_ref()).as_deref(), Some("nodejs20.x"));
    assert_eq!(
        text(worker.function_name.as_ref()).as_deref(),
        Some("custom-worker-name")
    );
    assert_eq!(text(worker.memory_size.as_ref()).as_deref(), Some("2048"));
    assert_eq!(
        text(worker.kms_key.as_ref()).as_deref(),
        Some("arn:aws:kms:eu-west-1:123456789012:key/worker")
    );
    assert_eq!(text(worker.reserved_concurrency.as_ref()).as_deref(), Some("5"));
    assert_eq!(
        text(worker.dead_letter_target.as_ref()).as_deref(),
        Some("arn:aws:sqs:eu-west-1:123456789012:dead-letters")
    );
    assert_eq!(text(worker.tracing.as_ref()).as_deref(), Some("PassThrough"));
    // VPC settings combine field by field.
    let vpc = worker.vpc.as_ref().expect("VPC");
    assert_eq!(vpc.subnet_ids.strings(), vec!["subnet-c"]);
    assert_eq!(vpc.security_group_ids.strings(), vec!["sg-provider"]);
    let layers: Vec<String> = worker.layers.iter().filter_map(|l| text(Some(l))).collect();
    assert_eq!(layers, vec!["arn:aws:lambda:eu-west-1:123456789012:layer:own:1"]);
    match &worker.code {
        Some(CodeLocation::Local(path)) => assert_eq!(path.as_str(), Some("build/worker.zip")),
        other => panic!("unexpected code {other:?}"),
    }
}

#[test]
fn functions_can_opt_out_of_provider_vpc_and_tracing() {
    let inv = inventory(SERVICE);
    let offline = function(&inv, "offline");
    assert!(offline.vpc.is_none(), "`vpc: false` detaches the function");
    // `tracing: false` is falsy, so the provider's setting applies, as in the framework.
    assert_eq!(text(offline.tracing.as_ref()).as_deref(), Some("Active"));
    let config = inv
        .event_invoke_configs
        .iter()
        .find(|c| c.meta.name == "offline")
        .expect("event invoke config");
    assert_eq!(
        config.meta.implied_by.as_deref(),
        Some(id("OfflineLambdaFunction").as_str())
    );
    assert_eq!(
        config.function.target.as_deref(),
        Some(id("OfflineLambdaFunction").as_str())
    );
    assert_eq!(
        text(config.on_failure_destination.as_ref()).as_deref(),
        Some("arn:aws:sns:eu-west-1:123456789012:failures")
    );
    assert_eq!(text(config.maximum_retry_attempts.as_ref()).as_deref(), Some("1"));
}

#[test]
fn function_names_follow_service_and_stage() {
    let inv = inventory(SERVICE);
    assert_eq!(
        text(function(&inv, "api").function_name.as_ref()).as_deref(),
        Some("orders-prod-api")
    );
    let default_stage = inventory("service: s\nprovider: {name: aws}\nfunctions:\n  f: {handler: h.h}\n");
    assert_eq!(
        text(function(&default_stage, "f").function_name.as_ref()).as_deref(),
        Some("s-dev-f")
    );
    let unknown_stage = inventory(
        "service: s\nprovider: {name: aws, stage: '${opt:stage}'}\nfunctions:\n  f: {handler: h.h}\n",
    );
    assert_eq!(
        expr(function(&unknown_stage, "f").function_name.as_ref()).as_deref(),
        Some("s-${opt:stage}-f")
    );
}

#[test]
fn container_functions_have_an_image_and_no_runtime() {
    let inv = inventory(SERVICE);
    let container = function(&inv, "container");
    assert!(container.runtime.is_none());
    assert!(container.handler.is_none());
    assert_eq!(text(container.package_type.as_ref()).as_deref(), Some("Image"));
    assert!(
        matches!(&container.code, Some(CodeLocation::Image(uri)) if uri.as_str().is_some_and(|u| u.contains("sha256")))
    );
}

#[test]
fn every_function_gets_a_log_group_named_after_it() {
    let inv = inventory(
        "service: s\nprovider: {name: aws, logRetentionInDays: 30}\nfunctions:\n  a: {handler: h.a}\n  b: {handler: h.b, logRetentionInDays: 7}\n  c: {handler: h.c, disableLogs: true}\n",
    );
    let groups: Vec<(String, String, Option<String>)> = inv
        .log_groups
        .iter()
        .map(|g| {
            (
                g.meta.name.clone(),
                text(g.log_group_name.as_ref()).unwrap_or_default(),
                text(g.retention_in_days.as_ref()),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("a".into(), "/aws/lambda/s-dev-a".into(), Some("30".into())),
            ("b".into(), "/aws/lambda/s-dev-b".into(), Some("7".into())),
        ]
    );
    assert!(inv.log_groups.iter().all(|g| g.meta.implied_by.is_some()));
}

#[test]
fn findings_point_at_the_function_key_and_the_setting() {
    let inv = inventory(SERVICE);
    let api = function(&inv, "api");
    assert_eq!(api.meta.origin.path(), Some(PATH));
    let span = api.meta.origin.span();
    assert_eq!((span.start.line, span.start.column), (25, 3));
    // The runtime comes from the provider, and points there.
    assert_eq!(api.runtime.as_ref().map(|r| r.span.start.line), Some(5));
}

#[test]
fn a_setting_spelt_with_the_wrong_case_is_reported_and_a_missing_runtime_noted() {
    let loaded = common::load(
        "service: s\nprovider:\n  name: aws\n  Runtime: nodejs20.x\nfunctions:\n  f:\n    handler: h.h\n    Timeout: 3\n",
    );
    let warnings = common::diagnostics(&loaded, warden_model::DiagnosticLevel::Warning);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`Runtime`") && w.contains("`runtime`")),
        "{warnings:?}"
    );
    assert!(warnings.iter().any(|w| w.contains("`Timeout`")), "{warnings:?}");
    let notes = common::diagnostics(&loaded, warden_model::DiagnosticLevel::Note);
    assert!(notes.iter().any(|n| n.contains("sets no `runtime`")), "{notes:?}");
    assert!(function(&loaded.inventory, "f").runtime.is_none());
}

#[test]
fn a_false_condition_removes_the_function() {
    let inv = inventory(
        "service: s\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h.h\n    condition: Never\nresources:\n  Conditions:\n    Never: !Equals [a, b]\n",
    );
    assert!(inv.functions.is_empty());
    assert!(matches!(
        inv.log_groups
            .first()
            .and_then(|g| g.log_group_name.as_ref())
            .map(|v| &v.kind),
        Some(ValueKind::String(_))
    ));
}
