//! Input that is not a usable service: clear diagnostics with positions, never a panic.

mod common;

use proptest::prelude::*;
use warden_model::DiagnosticLevel;
use warden_serverless::{load, looks_like_serverless};

#[test]
fn a_yaml_error_is_reported_with_its_position() {
    let loaded = load(
        "svc/serverless.yml",
        "service: s\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: [unclosed\n",
    );
    assert!(loaded.is_template);
    let error = loaded.diagnostics.first().expect("an error");
    assert_eq!(error.level, DiagnosticLevel::Error);
    assert_eq!(error.code, "syntax");
    let origin = error.origin.as_ref().expect("origin").to_string();
    assert!(origin.starts_with("svc/serverless.yml:"), "{origin}");
    let span = error.origin.as_ref().map(|o| o.span()).unwrap_or_default();
    assert!(span.start.line >= 6, "{origin}");
}

#[test]
fn duplicate_keys_and_unknown_tags_are_errors() {
    for text in [
        "service: s\nprovider: {name: aws}\nfunctions:\n  f: {handler: a}\n  f: {handler: b}\n",
        "service: s\nprovider: {name: aws}\nfunctions:\n  f: {handler: !Reff x}\n",
    ] {
        let loaded = load("serverless.yml", text);
        assert!(loaded.is_template);
        assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
        assert_eq!(loaded.diagnostics[0].code, "syntax");
    }
}

#[test]
fn other_yaml_is_not_a_service() {
    for text in [
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
        "service: only\n",
        "- a\n- b\n",
        "",
        "# just a comment\n",
    ] {
        let loaded = load("x.yml", text);
        assert!(!loaded.is_template, "{text:?}");
        assert!(
            loaded.diagnostics.is_empty(),
            "{text:?}: {:?}",
            loaded.diagnostics
        );
    }
    assert!(looks_like_serverless("service: s\nprovider:\n  name: aws\n"));
    assert!(looks_like_serverless("\"service\": s\n'provider': aws\n"));
    assert!(!looks_like_serverless("service: s\n  provider: nested\n"));
}

#[test]
fn non_aws_providers_are_recognised_and_skipped_with_a_note() {
    for text in [
        "service: s\nprovider:\n  name: azure\nfunctions:\n  f: {handler: h}\n",
        "service: s\nprovider: google\n",
    ] {
        let loaded = load("serverless.yml", text);
        assert!(loaded.is_template);
        assert!(loaded.inventory.functions.is_empty());
        assert_eq!(loaded.inventory.sources.len(), 1);
        let note = loaded.diagnostics.first().expect("note");
        assert_eq!(note.level, DiagnosticLevel::Note);
        assert_eq!(note.code, "unsupported-provider");
        assert!(note.message.contains("not AWS"), "{}", note.message);
    }
}

#[test]
fn badly_shaped_sections_are_reported_not_fatal() {
    let loaded = common::load(
        r#"
service: s
provider:
  name: aws
  runtime: nodejs20.x
  environment: [not, a, map]
functions:
  a: just-a-string
  b:
    events: not-a-list
  c:
    handler: h.c
    events:
      - http: {path: x}
      - s3: {bucket: b}
resources:
  Resources: [1, 2]
"#,
    );
    let notes = common::diagnostics(&loaded, DiagnosticLevel::Note);
    assert!(notes.iter().any(|n| n.contains("function `a`")), "{notes:#?}");
    assert!(notes.iter().any(|n| n.contains("events of `b`")), "{notes:#?}");
    assert!(
        notes.iter().any(|n| n.contains("resources.Resources")),
        "{notes:#?}"
    );
    let warnings = common::diagnostics(&loaded, DiagnosticLevel::Warning);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`b` has neither `handler` nor `image`")),
        "{warnings:#?}"
    );
    assert_eq!(common::names(&loaded.inventory), vec!["b", "c"]);
}

#[test]
fn binary_input_is_an_error() {
    let loaded = load("serverless.yml", "service: s\nprovider: aws\n\0\0");
    assert!(loaded.is_template);
    assert_eq!(loaded.diagnostics[0].code, "binary-input");
}

/// Pieces a fuzzed service is assembled from: real syntax, in any order and nesting.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("service: s\n".to_string()),
        Just("provider:\n  name: aws\n  runtime: nodejs20.x\n".to_string()),
        Just("functions:\n  f:\n    handler: h.h\n".to_string()),
        Just("    url: true\n".to_string()),
        Just("    events:\n      - http: GET /a/{b}\n      - httpApi: '*'\n".to_string()),
        Just("      - s3: ${self:custom.x}\n".to_string()),
        Just("      - sns: {arn: !Ref T}\n".to_string()),
        Just("custom:\n  x: ${self:custom.y, 'd'}\n  y: ${self:custom.x}\n".to_string()),
        Just("resources:\n  Resources:\n    T: {Type: AWS::SNS::Topic}\n".to_string()),
        Just("  environment: ${file(x)}\n".to_string()),
        Just("    role: !GetAtt R.Arn\n".to_string()),
        Just("${{${${".to_string()),
        Just("'\n".to_string()),
        "[a-zA-Z0-9:${}\\[\\]!,'\" \\n-]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn loading_never_panics(parts in prop::collection::vec(fragment(), 0..12)) {
        let text: String = parts.concat();
        let _ = load("serverless.yml", &text);
    }

    #[test]
    fn loading_arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let _ = load("serverless.yml", &format!("service: s\nprovider: aws\n{text}"));
    }
}
