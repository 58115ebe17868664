//! Serverless variables: what the file itself decides is resolved; what only deployment knows
//! stays an unknown reference, never taken for a literal.

mod common;

use common::{expr, function, has_finding, load, text};
use warden_model::{DiagnosticLevel, Function};

fn env<'a>(f: &'a Function, name: &str) -> &'a warden_model::Value {
    &f.environment
        .as_ref()
        .and_then(|e| e.iter().find(|v| v.name == name))
        .unwrap_or_else(|| panic!("no variable {name}"))
        .value
}

const SERVICE: &str = r#"
service: ${self:custom.prefix}-api
params:
  default:
    domain: example.com
  prod:
    domain: shop.example.com
custom:
  prefix: shop
  stages:
    prod: {memory: 1024}
    dev: {memory: 256}
  tableName: orders-${sls:stage}
  passwordFromSsm: ${ssm:/shop/db/password}
  nested: ${self:custom.tableName}
provider:
  name: aws
  runtime: nodejs20.x
  stage: ${opt:stage, 'prod'}
  region: ${opt:region, "eu-west-1"}
  memorySize: ${self:custom.stages.${self:provider.stage}.memory}
functions:
  api:
    handler: h.api
    environment:
      TABLE: ${self:custom.tableName}
      NESTED: ${self:custom.nested}
      REGION: ${self:provider.region}
      DOMAIN: ${param:domain}
      STAGE_TEXT: stage-${sls:stage}-${opt:stage, 'x'}
      MISSING_WITH_DEFAULT: ${self:custom.nothing, 'fallback'}
      FROM_ENV: ${env:API_TOKEN, 'none'}
      FROM_ENV_NO_DEFAULT: ${env:API_TOKEN}
      DB_PASSWORD: ${self:custom.passwordFromSsm}
      API_SECRET: ${ssm(eu-west-1):/shop/api-secret}
      CONFIG: ${file(./config.json):secret}
      ACCOUNT_ARN: arn:aws:iam::${aws:accountId}:root
      STACK_OUTPUT: ${cf:other-stack.Output}
      S3_OBJECT: ${s3:bucket/key}
      SUB: !Sub 'arn:aws:s3:::${self:custom.prefix}-${AWS::Region}'
      API_KEY: ${self:custom.nothing}
      PLUGIN: ${vault:secret/path}
"#;

#[test]
fn self_param_stage_and_defaults_resolve() {
    let loaded = load(SERVICE);
    let api = function(&loaded.inventory, "api");
    assert_eq!(
        text(api.function_name.as_ref()).as_deref(),
        Some("shop-api-prod-api")
    );
    assert_eq!(
        text(api.memory_size.as_ref()).as_deref(),
        Some("1024"),
        "nested address"
    );
    let resolved = |name: &str| text(Some(env(api, name)));
    assert_eq!(resolved("TABLE").as_deref(), Some("orders-prod"));
    assert_eq!(resolved("NESTED").as_deref(), Some("orders-prod"));
    assert_eq!(resolved("REGION").as_deref(), Some("eu-west-1"));
    assert_eq!(
        resolved("DOMAIN").as_deref(),
        Some("shop.example.com"),
        "stage parameters win"
    );
    assert_eq!(resolved("STAGE_TEXT").as_deref(), Some("stage-prod-x"));
    assert_eq!(resolved("MISSING_WITH_DEFAULT").as_deref(), Some("fallback"));
    assert_eq!(resolved("FROM_ENV").as_deref(), Some("none"));
    // A CloudFormation `!Sub` keeps its own variables and gets the resolved ones.
    assert_eq!(
        expr(Some(env(api, "SUB"))).as_deref(),
        Some("arn:aws:s3:::shop-${AWS::Region}")
    );
    // A value resolved from elsewhere points where it is used.
    assert_eq!(env(api, "TABLE").span.start.line, 26);
}

#[test]
fn deploy_time_sources_stay_references() {
    let loaded = load(SERVICE);
    let api = function(&loaded.inventory, "api");
    let unknown = |name: &str| expr(Some(env(api, name)));
    assert_eq!(
        unknown("FROM_ENV_NO_DEFAULT").as_deref(),
        Some("${env:API_TOKEN}")
    );
    assert_eq!(
        unknown("DB_PASSWORD").as_deref(),
        Some("${ssm:/shop/db/password}")
    );
    assert_eq!(
        unknown("API_SECRET").as_deref(),
        Some("${ssm(eu-west-1):/shop/api-secret}")
    );
    assert_eq!(
        unknown("CONFIG").as_deref(),
        Some("${file(./config.json):secret}")
    );
    assert_eq!(
        unknown("ACCOUNT_ARN").as_deref(),
        Some("arn:aws:iam::${aws:accountId}:root")
    );
    assert_eq!(
        unknown("STACK_OUTPUT").as_deref(),
        Some("${cf:other-stack.Output}")
    );
    assert_eq!(unknown("S3_OBJECT").as_deref(), Some("${s3:bucket/key}"));
    assert_eq!(unknown("PLUGIN").as_deref(), Some("${vault:secret/path}"));
    // References are not literal secrets.
    assert!(!has_finding(&loaded.inventory, "CFG001", "api"));
}

#[test]
fn unresolvable_variables_are_noted_and_unknown() {
    let loaded = load(SERVICE);
    let api = function(&loaded.inventory, "api");
    assert_eq!(
        expr(Some(env(api, "API_KEY"))).as_deref(),
        Some("${self:custom.nothing}")
    );
    let notes = common::diagnostics(&loaded, DiagnosticLevel::Note);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("`custom.nothing`") && n.contains("does not set")),
        "{notes:#?}"
    );
    assert!(notes.iter().any(|n| n.contains("`vault`")), "{notes:#?}");
    let note = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("custom.nothing"))
        .and_then(|d| d.origin.as_ref())
        .map(|o| o.span().start.line);
    assert_eq!(note, Some(41), "the note points at the variable");
}

#[test]
fn v4_stage_parameters_resolve() {
    let loaded = load(
        "service: s\nstages:\n  default:\n    params:\n      domain: example.com\n      tier: basic\n  dev:\n    params:\n      tier: free\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      DOMAIN: ${param:domain}\n      TIER: ${param:tier}\n",
    );
    let f = function(&loaded.inventory, "f");
    assert_eq!(text(Some(env(f, "DOMAIN"))).as_deref(), Some("example.com"));
    assert_eq!(text(Some(env(f, "TIER"))).as_deref(), Some("free"));
}

#[test]
fn cycles_are_detected_and_noted() {
    let loaded = load(
        "service: s\ncustom:\n  a: ${self:custom.b}\n  b: x-${self:custom.a}\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      A: ${self:custom.a}\n",
    );
    let notes = common::diagnostics(&loaded, DiagnosticLevel::Note);
    assert!(notes.iter().any(|n| n.contains("cycle")), "{notes:#?}");
    let f = function(&loaded.inventory, "f");
    assert!(env(f, "A").is_unknown());
}

#[test]
fn a_literal_secret_reached_through_a_variable_is_still_found() {
    let loaded = load(
        "service: s\ncustom:\n  password: hunter2-very-secret\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      DB_PASSWORD: ${self:custom.password}\n",
    );
    assert!(has_finding(&loaded.inventory, "CFG001", "f"));
}

#[test]
fn dots_for_colons_are_reported_as_a_likely_typo() {
    let loaded = load(
        "service: s\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      TOPIC: ${self.custom.topic}\n",
    );
    let warnings = common::diagnostics(&loaded, DiagnosticLevel::Warning);
    assert!(
        warnings.iter().any(|w| w.contains("${self:custom.topic}")),
        "{warnings:#?}"
    );
}

#[test]
fn variable_expansion_is_bounded() {
    // Each level doubles, as text and as lists: without bounds neither would end.
    for template in [
        "${{self:custom.v{p}}}${{self:custom.v{p}}}",
        "['${{self:custom.v{p}}}', '${{self:custom.v{p}}}']",
    ] {
        let mut text = String::from("service: s\ncustom:\n  v0: x\n");
        for i in 1..40 {
            let value = template
                .replace("{p}", &(i - 1).to_string())
                .replace("{{", "{")
                .replace("}}", "}");
            text.push_str(&format!("  v{i}: {value}\n"));
        }
        text.push_str("provider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      V: ${self:custom.v39}\n");
        let loaded = warden_serverless::load("serverless.yml", &text);
        assert!(loaded.is_template);
        let notes = common::diagnostics(&loaded, DiagnosticLevel::Note);
        assert!(
            notes.iter().any(|n| n.contains("expand to more than")),
            "{notes:#?}"
        );
    }
}
