//! The branches of a setting under undecided conditions, and where a setting is missing.
//!
//! A template value under an `!If` the loader cannot decide is a [`ValueKind::Choice`]; a rule
//! judges each branch on its own and points its finding at the branch that has the problem.
//! A branch that is `AWS::NoValue` leaves the property out, which the loader gives as `Null`.

use warden_model::{Span, Value, ValueKind};

/// One branch of a value: a non-`Choice` value and the conditions that lead to it.
pub(crate) struct Branch<'a> {
    pub value: &'a Value,
    /// `(condition, outcome)` pairs, outermost first; empty when no condition is involved.
    pub conditions: Vec<(&'a str, bool)>,
}

impl Branch<'_> {
    /// ` when condition `A` is false` (empty when unconditional), for messages.
    pub fn when(&self) -> String {
        when(&self.conditions)
    }

    /// A stable key for fingerprints: `A=false,B=true` (empty when unconditional).
    pub fn key(&self) -> String {
        key(&self.conditions)
    }
}

/// The branches of `value`: `value` itself, or for an undecided condition each branch,
/// recursively.
pub(crate) fn branches(value: &Value) -> Vec<Branch<'_>> {
    let mut out = Vec::new();
    collect(value, &mut Vec::new(), &mut out);
    out
}

fn collect<'a>(value: &'a Value, path: &mut Vec<(&'a str, bool)>, out: &mut Vec<Branch<'a>>) {
    match &value.kind {
        ValueKind::Choice {
            condition,
            when_true,
            when_false,
        } => {
            for (outcome, branch) in [(true, when_true), (false, when_false)] {
                path.push((condition.as_str(), outcome));
                collect(branch, path, out);
                path.pop();
            }
        }
        _ => out.push(Branch {
            value,
            conditions: path.clone(),
        }),
    }
}

/// A way a setting can be missing.
pub(crate) struct Gap {
    /// Where to point: the branch that leaves the setting out, or an unknown span (the element
    /// itself) when the setting is not written at all.
    pub span: Span,
    /// ` when condition `A` is false`, or empty.
    pub when: String,
    /// Separates several gaps of one element in fingerprints; empty when not written at all.
    pub key: String,
}

/// Where `setting` is missing: not written at all, written as null, or left out by branches of
/// undecided conditions. Empty when every branch sets it (to anything, even an unknown value).
pub(crate) fn gaps(setting: Option<&Value>) -> Vec<Gap> {
    let Some(value) = setting else {
        return vec![Gap {
            span: Span::default(),
            when: String::new(),
            key: String::new(),
        }];
    };
    branches(value)
        .into_iter()
        .filter(|b| b.value.is_null())
        .map(|b| Gap {
            span: b.value.span.or(value.span),
            when: b.when(),
            key: b.key(),
        })
        .collect()
}

fn when(conditions: &[(&str, bool)]) -> String {
    if conditions.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = conditions
        .iter()
        .map(|(name, outcome)| format!("condition `{name}` is {outcome}"))
        .collect();
    format!(" when {}", parts.join(" and "))
}

fn key(conditions: &[(&str, bool)]) -> String {
    conditions
        .iter()
        .map(|(name, outcome)| format!("{name}={outcome}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_model::Pos;

    fn at(line: u32) -> Span {
        let pos = Pos {
            line,
            column: 1,
            offset: 0,
        };
        Span { start: pos, end: pos }
    }

    fn choice(condition: &str, when_true: Value, when_false: Value) -> Value {
        Value::new(
            ValueKind::Choice {
                condition: condition.into(),
                when_true: Box::new(when_true),
                when_false: Box::new(when_false),
            },
            at(1),
        )
    }

    #[test]
    fn a_setting_not_written_is_one_gap_on_the_element() {
        let gaps = gaps(None);
        assert_eq!(gaps.len(), 1);
        assert!(!gaps[0].span.is_known());
        assert_eq!(gaps[0].when, "");
    }

    #[test]
    fn a_set_value_has_no_gap_even_when_unknown() {
        assert!(gaps(Some(&Value::string("arn:aws:kms:x", at(2)))).is_empty());
        assert!(
            gaps(Some(&Value::unknown(
                "!GetAtt Key.Arn",
                vec!["Key".into()],
                at(2)
            )))
            .is_empty()
        );
    }

    #[test]
    fn a_no_value_branch_is_a_gap_at_that_branch() {
        let value = choice("HasKey", Value::string("arn", at(3)), Value::null(at(4)));
        let gaps = gaps(Some(&value));
        assert_eq!(gaps.len(), 1);
        assert_eq!(gaps[0].span, at(4));
        assert_eq!(gaps[0].when, " when condition `HasKey` is false");
        assert_eq!(gaps[0].key, "HasKey=false");
    }

    #[test]
    fn nested_conditions_are_all_named() {
        let inner = choice("B", Value::null(at(5)), Value::string("x", at(6)));
        let value = choice("A", inner, Value::string("y", at(7)));
        let branches = branches(&value);
        assert_eq!(branches.len(), 3);
        assert_eq!(
            branches[0].when(),
            " when condition `A` is true and condition `B` is true"
        );
        assert_eq!(branches[0].key(), "A=true,B=true");
        assert_eq!(gaps(Some(&value)).len(), 1);
    }
}
