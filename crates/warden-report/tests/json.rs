//! The JSON renderer and its documented, versioned schema.

mod support;

use std::path::Path;

use serde_json::Value;
use warden_model::Report;
use warden_report::Format;

use support::{assert_valid, parse_json, render_to_string, sample_report};

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/warden-report.schema.json"
);
const SCHEMA_DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/json-schema.md");

#[test]
fn sample_report_renders_to_the_documented_shape() {
    insta::assert_snapshot!(render_to_string(Format::Json, &sample_report(), false));
}

#[test]
fn output_validates_against_the_published_schema() {
    // The schema ships with this crate's docs, so a missing file is a failure, not a skip.
    assert!(Path::new(SCHEMA).is_file(), "missing {SCHEMA}");
    for report in [sample_report(), Report::default()] {
        let json = render_to_string(Format::Json, &report, false);
        let broken = json.replacen("\"schema_version\": \"1\"", "\"schema_version\": 1", 1);
        assert_valid(Path::new(SCHEMA), &json, &broken, true);
    }
}

#[test]
fn output_is_versioned_and_names_the_tool() {
    let json = parse_json(&render_to_string(Format::Json, &sample_report(), false));
    assert_eq!(json["schema_version"], "1");
    assert_eq!(json["tool"]["name"], "warden");
    assert_eq!(json["tool"]["version"], "0.1.0-test");
}

#[test]
fn unknown_positions_are_null_and_live_resources_have_an_arn() {
    let json = parse_json(&render_to_string(Format::Json, &sample_report(), false));
    let locations: Vec<&Value> = json["findings"]
        .as_array()
        .map(|findings| findings.iter().map(|f| &f["location"]).collect())
        .unwrap_or_default();
    let unknown = locations.iter().find(|l| l["path"] == "infra/my stack.yaml");
    assert_eq!(unknown.map(|l| &l["start_line"]), Some(&Value::Null));
    let live = locations.iter().find(|l| l["kind"] == "aws");
    assert_eq!(live.map(|l| &l["region"]), Some(&Value::from("eu-west-1")));
}

#[test]
fn every_schema_property_is_documented() {
    let schema = std::fs::read_to_string(SCHEMA).unwrap_or_default();
    let doc = std::fs::read_to_string(SCHEMA_DOC).unwrap_or_default();
    let mut names = Vec::new();
    property_names(&parse_json(&schema), &mut names);
    assert!(names.len() > 20, "too few properties found in {SCHEMA}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(missing.is_empty(), "{SCHEMA_DOC} does not document {missing:?}");
}

fn property_names(node: &Value, names: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                names.extend(properties.keys().cloned());
            }
            map.values().for_each(|child| property_names(child, names));
        }
        Value::Array(items) => items.iter().for_each(|child| property_names(child, names)),
        _ => {}
    }
}
