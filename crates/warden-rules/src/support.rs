//! Small helpers rules share for building findings.

use warden_model::{Finding, Location, Meta, RuleMeta, Span};

/// A finding about the element `meta`, pointing at `span` inside it (or at the element itself
/// when `span` is unknown). `key` separates several findings of one rule on one element.
pub fn finding_at(
    rule: &RuleMeta,
    meta: &Meta,
    span: Span,
    key: &str,
    message: impl Into<String>,
) -> Finding {
    let location = Location {
        origin: meta.origin.at(span),
        resource: meta.name.clone(),
        resource_type: meta.resource_type.clone(),
    };
    Finding::new(rule, location, key, message)
}

/// A finding about the element as a whole.
pub fn finding(rule: &RuleMeta, meta: &Meta, message: impl Into<String>) -> Finding {
    finding_at(rule, meta, Span::default(), "", message)
}

/// Dedented documentation of a rule (doc comments carry a leading space on each line).
pub fn documentation(rule: &RuleMeta) -> String {
    rule.doc
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One section of a rule's documentation, by heading (without `## `).
pub fn doc_section(rule: &RuleMeta, heading: &str) -> Option<String> {
    let doc = documentation(rule);
    let marker = format!("## {heading}");
    let start = doc.find(&marker)? + marker.len();
    let rest = &doc[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim().to_string())
}
