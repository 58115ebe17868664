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

/// A redacted preview of a secret for messages and snippets: enough of its start to recognise
/// it (four characters of a long secret, two of a medium one, none of a short one), never
/// enough to use it.
pub fn redacted(secret: &str) -> String {
    let length = secret.chars().count();
    let shown = match length {
        16.. => 4,
        8..=15 => 2,
        _ => 0,
    };
    let head: String = secret.chars().take(shown).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn previews_shrink_with_the_secret() {
        assert_eq!(redacted("AKIAABCDEFGHIJKLMNOP"), "AKIA…");
        assert_eq!(redacted("hunter2-pw"), "hu…");
        assert_eq!(redacted("pw1"), "…");
    }
}
