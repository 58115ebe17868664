//! Every rule has documentation, a checklist mapping, and a failing and a passing fixture:
//! `fixtures/<ID>/bad.<ext>` must raise the rule (on each resource named in a
//! `# expect: <Resource>` line, when such lines are present) and `fixtures/<ID>/good.<ext>`
//! must not.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use warden_rules::{Settings, registry};

const HEADINGS: [&str; 5] = ["What it does", "Why is this bad", "Example", "Fix", "References"];

fn fixture(rule: &str, kind: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rule);
    ["yaml", "yml", "json"]
        .iter()
        .map(|ext| dir.join(format!("{kind}.{ext}")))
        .find(|p| p.exists())
}

/// The date rules judge a fixture on: a `# today: YYYY-MM-DD` line pins it (for rules whose
/// verdict moves with time, such as runtime deprecation), otherwise the real date.
fn today(text: &str) -> jiff::civil::Date {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# today:"))
        .find_map(|d| d.trim().parse().ok())
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date())
}

/// Findings of `rule` on the fixture: (resource, message) pairs, plus the load diagnostics.
fn run_rule(rule: &str, path: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let shown = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string();
    let loaded = warden_cfn::load(&shown, &text);
    assert!(loaded.is_template, "{shown} is not recognised as a template");
    let mut settings = Settings::new(today(&text));
    settings.select = Some(vec![rule.to_string()]);
    let report = warden_rules::run(&loaded.inventory, &settings);
    let findings = report
        .findings
        .iter()
        .filter(|f| f.rule_id == rule)
        .map(|f| (f.location.resource.clone(), f.message.clone()))
        .collect();
    let errors = loaded.diagnostics.iter().map(|d| format!("{d:?}")).collect();
    (findings, errors)
}

fn expected_resources(path: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("# expect:"))
        .map(|r| r.trim().to_string())
        .collect()
}

#[test]
fn every_rule_has_docs_checklist_and_fixtures() {
    let mut problems = Vec::new();
    for rule in registry() {
        let meta = rule.meta();
        for heading in HEADINGS {
            if meta.doc_section(heading).is_none_or(|s| s.is_empty()) {
                problems.push(format!("{}: documentation lacks `## {heading}`", meta.id));
            }
        }
        if meta.checklist.is_empty() {
            problems.push(format!("{}: no checklist item", meta.id));
        }
        if fixture(meta.id, "bad").is_none() {
            problems.push(format!(
                "{}: no failing fixture fixtures/{}/bad.yaml",
                meta.id, meta.id
            ));
        }
        if fixture(meta.id, "good").is_none() {
            problems.push(format!(
                "{}: no passing fixture fixtures/{}/good.yaml",
                meta.id, meta.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn failing_fixtures_raise_their_rule() {
    let mut problems = Vec::new();
    for rule in registry() {
        let id = rule.meta().id;
        let Some(path) = fixture(id, "bad") else { continue };
        let (findings, errors) = run_rule(id, &path);
        if !errors.iter().all(|e| !e.contains("Error")) {
            problems.push(format!("{id}: bad fixture does not load cleanly: {errors:?}"));
        }
        if findings.is_empty() {
            problems.push(format!("{id}: bad fixture raised nothing"));
        }
        let found: BTreeSet<String> = findings.iter().map(|(r, _)| r.clone()).collect();
        for expected in expected_resources(&path) {
            if !found.contains(&expected) {
                problems.push(format!("{id}: expected a finding on {expected}, got {found:?}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn passing_fixtures_stay_clean() {
    let mut problems = Vec::new();
    for rule in registry() {
        let id = rule.meta().id;
        let Some(path) = fixture(id, "good") else { continue };
        let (findings, errors) = run_rule(id, &path);
        if !errors.iter().all(|e| !e.contains("Error")) {
            problems.push(format!("{id}: good fixture does not load cleanly: {errors:?}"));
        }
        if !findings.is_empty() {
            problems.push(format!("{id}: good fixture raised {findings:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
