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

/// A redacted preview of a secret for messages and snippets: its first four characters.
pub fn redacted(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}
