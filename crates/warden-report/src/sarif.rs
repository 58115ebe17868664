//! The SARIF 2.1.0 renderer, for code-scanning dashboards (GitHub code scanning, Azure DevOps,
//! IDE viewers).
//!
//! The contract here is the OASIS schema, not ours, so the log is built as JSON values and the
//! tests validate it against that schema.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde_json::{Map, Value, json};
use warden_model::{
    Diagnostic, DiagnosticLevel, Finding, Origin, Report, RuleMeta, Severity, Snippet, Span, Suppressed,
};

use crate::RenderOptions;

const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Key of the fingerprint in `partialFingerprints`. Versioned, so that if the fingerprint recipe
/// ever changes, dashboards see a new key instead of mismatching old alerts.
const FINGERPRINT_KEY: &str = "wardenFingerprint/v1";

/// Where users learn about the tool: the workspace's `repository`.
const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

pub(crate) fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    crate::write_json(&log(report, options), out)
}

fn log(report: &Report, options: &RenderOptions) -> Value {
    let rules = rule_table(report);
    let rule_index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| result(finding, &rule_index, None))
        .chain(
            report
                .suppressed
                .iter()
                .map(|suppressed| result(&suppressed.finding, &rule_index, Some(suppressed))),
        )
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "warden",
                    "version": options.tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules.iter().map(|rule| rule_descriptor(rule)).collect::<Vec<_>>(),
                },
            },
            "invocations": [invocation(&report.diagnostics)],
            // Loaders count columns in characters, not UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// The rules that ran, once each (SARIF requires unique rules; a report built by hand may
/// repeat one), in report order.
fn rule_table(report: &Report) -> Vec<&RuleMeta> {
    let mut seen = BTreeSet::new();
    report.rules.iter().filter(|rule| seen.insert(rule.id)).collect()
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    let markdown = rule.markdown();
    let help = if markdown.is_empty() {
        rule.summary.to_string()
    } else {
        markdown
    };
    let full_description = rule
        .doc_section("What it does")
        .unwrap_or_else(|| rule.summary.to_string());
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": full_description },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "security-severity": security_severity(rule.severity),
            "tags": tags(rule),
        },
    })
}

/// `security` first: GitHub only reads `security-severity` on rules tagged `security`.
fn tags(rule: &RuleMeta) -> Vec<&'static str> {
    let mut tags = vec!["security", rule.layer.as_str()];
    for item in rule.checklist {
        if !tags.contains(&item.id()) {
            tags.push(item.id());
        }
    }
    tags
}

/// SARIF has three levels for five severities.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's scale: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, > 0 low, 0 none.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn result(finding: &Finding, rule_index: &BTreeMap<&str, usize>, suppressed: Option<&Suppressed>) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(finding.rule_id));
    if let Some(index) = rule_index.get(finding.rule_id) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(finding.severity)));
    result.insert("message".into(), json!({ "text": finding.message }));
    let location = location(
        &finding.location.origin,
        Some(&finding.location.resource),
        finding.snippet.as_ref(),
    );
    result.insert("locations".into(), json!([location]));
    result.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: finding.fingerprint }),
    );
    if let Some(suppressed) = suppressed {
        result.insert("suppressions".into(), json!([suppression(suppressed)]));
    }
    result.insert("properties".into(), result_properties(finding));
    Value::Object(result)
}

/// A file and region for IaC, a logical location named by the ARN for a live account.
fn location(origin: &Origin, resource: Option<&str>, snippet: Option<&Snippet>) -> Value {
    match origin {
        Origin::File { path, span } => json!({ "physicalLocation": physical_location(path, *span, snippet) }),
        Origin::Aws { arn, .. } => {
            let mut logical = Map::new();
            if let Some(resource) = resource {
                logical.insert("name".into(), json!(resource));
            }
            logical.insert("fullyQualifiedName".into(), json!(arn));
            logical.insert("kind".into(), json!("resource"));
            json!({ "logicalLocations": [logical] })
        }
    }
}

fn physical_location(path: &str, span: Span, snippet: Option<&Snippet>) -> Value {
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({ "uri": artifact_uri(path) }));
    if let Some(region) = region(span, snippet) {
        physical.insert("region".into(), region);
        // SARIF allows a context region only beside a region.
        if let Some(context) = snippet.and_then(context_region) {
            physical.insert("contextRegion".into(), context);
        }
    }
    Value::Object(physical)
}

/// The span as a SARIF region (1-based, end column exclusive, like ours), with the region's own
/// text as its snippet when the finding's snippet covers it. `None` when the span is unknown.
fn region(span: Span, snippet: Option<&Snippet>) -> Option<Value> {
    if !span.is_known() {
        return None;
    }
    let mut region = Map::new();
    region.insert("startLine".into(), json!(span.start.line));
    if span.start.column > 0 {
        region.insert("startColumn".into(), json!(span.start.column));
    }
    if end_is_valid(span) {
        region.insert("endLine".into(), json!(span.end.line));
        if span.end.column > 0 {
            region.insert("endColumn".into(), json!(span.end.column));
        }
    }
    if let Some(text) = snippet.and_then(|snippet| region_text(snippet, span)) {
        region.insert("snippet".into(), json!({ "text": text }));
    }
    Some(Value::Object(region))
}

/// An end before the start would make the region invalid; SARIF then assumes the start line.
fn end_is_valid(span: Span) -> bool {
    span.end.line > span.start.line
        || (span.end.line == span.start.line && span.end.column >= span.start.column)
}

/// The characters from the span's start to its end, when every line of it is in the snippet.
fn region_text(snippet: &Snippet, span: Span) -> Option<String> {
    if !end_is_valid(span) || span.start.column == 0 || span.end.column == 0 {
        return None;
    }
    let mut parts = Vec::new();
    for number in span.start.line..=span.end.line {
        let index = number.checked_sub(snippet.first_line)? as usize;
        let line = snippet.lines.get(index)?;
        let from = if number == span.start.line {
            span.start.column as usize - 1
        } else {
            0
        };
        let to = if number == span.end.line {
            span.end.column as usize - 1
        } else {
            usize::MAX
        };
        parts.push(
            line.chars()
                .skip(from)
                .take(to.saturating_sub(from))
                .collect::<String>(),
        );
    }
    let text = parts.join("\n");
    (!text.trim().is_empty()).then_some(text)
}

/// The snippet's lines as the region around the finding, which viewers show as context.
fn context_region(snippet: &Snippet) -> Option<Value> {
    if snippet.first_line == 0 || snippet.lines.is_empty() {
        return None;
    }
    let last_line = snippet.first_line as usize + snippet.lines.len() - 1;
    Some(json!({
        "startLine": snippet.first_line,
        "endLine": last_line,
        "snippet": { "text": snippet.lines.join("\n") },
    }))
}

/// A path as a URI reference: forward slashes, percent-encoded, relative when the path is
/// relative (dashboards resolve it against the repository root), `file://` when absolute.
fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    let bytes = path.as_bytes();
    let has_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if has_drive {
        // `C:/x` -> `file:///C:/x`; the drive colon is the one colon that must stay.
        format!("file:///{}{}", &path[..2], percent_encode(&path[2..]))
    } else if path.starts_with('/') {
        format!("file://{}", percent_encode(path))
    } else {
        percent_encode(path)
    }
}

/// Encode every byte but unreserved characters and `/`. Encoding `:` also keeps a relative
/// path like `a:b.yaml` from being read as a URI with scheme `a`.
fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// CloudFormation metadata and skip comments live in the scanned source; config ignores and
/// baselines live elsewhere.
fn suppression(suppressed: &Suppressed) -> Value {
    let kind = if suppressed.by == "metadata" {
        "inSource"
    } else {
        "external"
    };
    let mut suppression = Map::new();
    suppression.insert("kind".into(), json!(kind));
    if let Some(reason) = &suppressed.reason {
        suppression.insert("justification".into(), json!(reason));
    }
    suppression.insert("properties".into(), json!({ "by": suppressed.by }));
    Value::Object(suppression)
}

/// What SARIF has no field for: the resource, and the exact severity (levels are coarser, and a
/// severity override makes it differ from the rule's).
fn result_properties(finding: &Finding) -> Value {
    let mut properties = Map::new();
    properties.insert("resource".into(), json!(finding.location.resource));
    properties.insert("resourceType".into(), json!(finding.location.resource_type));
    properties.insert("severity".into(), json!(finding.severity.as_str()));
    if let Origin::Aws { region, .. } = &finding.location.origin {
        properties.insert("region".into(), json!(region));
    }
    Value::Object(properties)
}

/// All diagnostics become notifications (warnings and notes included, so none is lost); only
/// errors make the execution unsuccessful.
fn invocation(diagnostics: &[Diagnostic]) -> Value {
    let successful = !diagnostics.iter().any(|d| d.level == DiagnosticLevel::Error);
    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".into(), json!(successful));
    if !diagnostics.is_empty() {
        let notifications: Vec<Value> = diagnostics.iter().map(notification).collect();
        invocation.insert("toolExecutionNotifications".into(), json!(notifications));
    }
    Value::Object(invocation)
}

fn notification(diagnostic: &Diagnostic) -> Value {
    let mut notification = Map::new();
    notification.insert("level".into(), json!(crate::level_name(diagnostic.level)));
    notification.insert("message".into(), json!({ "text": diagnostic.message }));
    notification.insert("descriptor".into(), json!({ "id": diagnostic.code }));
    if let Some(origin) = &diagnostic.origin {
        notification.insert("locations".into(), json!([location(origin, None, None)]));
    }
    Value::Object(notification)
}

#[cfg(test)]
mod tests {
    use warden_model::Pos;

    use super::*;

    fn span(start: (u32, u32), end: (u32, u32)) -> Span {
        let pos = |(line, column)| Pos {
            line,
            column,
            offset: 0,
        };
        Span {
            start: pos(start),
            end: pos(end),
        }
    }

    #[test]
    fn uris_are_relative_with_forward_slashes_and_encoded() {
        assert_eq!(artifact_uri("./infra/my stack.yaml"), "infra/my%20stack.yaml");
        assert_eq!(artifact_uri("infra\\app.yaml"), "infra/app.yaml");
        assert_eq!(artifact_uri("a:b/ü.json"), "a%3Ab/%C3%BC.json");
        assert_eq!(artifact_uri("/abs/t.yaml"), "file:///abs/t.yaml");
        assert_eq!(artifact_uri("C:\\src\\t.yaml"), "file:///C:/src/t.yaml");
    }

    #[test]
    fn region_text_is_cut_at_the_span() {
        let snippet = Snippet {
            first_line: 4,
            lines: vec!["a: 1".into(), "  key: value".into(), "b: 2".into()],
        };
        assert_eq!(
            region_text(&snippet, span((5, 3), (5, 13))).as_deref(),
            Some("key: value")
        );
        assert_eq!(
            region_text(&snippet, span((4, 4), (5, 6))).as_deref(),
            Some("1\n  key")
        );
        assert_eq!(
            region_text(&snippet, span((5, 3), (9, 1))),
            None,
            "end outside the snippet"
        );
    }

    #[test]
    fn a_region_without_a_known_span_is_omitted() {
        assert_eq!(region(Span::default(), None), None);
    }

    #[test]
    fn a_backwards_end_is_dropped_from_the_region() {
        let region = region(span((3, 5), (3, 2)), None).unwrap_or_default();
        assert_eq!(region, json!({ "startLine": 3, "startColumn": 5 }));
    }

    #[test]
    fn information_uri_is_a_web_address() {
        assert!(INFORMATION_URI.starts_with("https://"), "{INFORMATION_URI}");
    }
}
