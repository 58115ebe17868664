use std::borrow::Cow;

use crate::Span;

/// A template value after static resolution of intrinsics, with the span it came from.
///
/// Everything a loader can know is a plain scalar, list or map; what it cannot know stays
/// [`ValueKind::Unknown`] with the expression that produced it (never guessed); a condition it
/// cannot decide keeps both branches as [`ValueKind::Choice`], so rules can report the branch
/// that has a problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Null,
    Bool(bool),
    /// Numbers keep their source text, so `012345678901` and `1e3` are not altered.
    Number(String),
    String(String),
    List(Vec<Value>),
    Map(Vec<(Key, Value)>),
    Unknown(Unknown),
    Choice {
        condition: String,
        when_true: Box<Value>,
        when_false: Box<Value>,
    },
}

/// A map key with its own span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// A value that is not statically knowable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The expression as a reader would write it, e.g. `!GetAtt Queue.Arn` or `var.role_arn`.
    pub expr: String,
    /// The logical ids / addresses of elements of the same source that the expression refers to.
    pub refs: Vec<String>,
}

impl Value {
    pub fn new(kind: ValueKind, span: Span) -> Value {
        Value { kind, span }
    }

    pub fn string(s: impl Into<String>, span: Span) -> Value {
        Value::new(ValueKind::String(s.into()), span)
    }

    pub fn null(span: Span) -> Value {
        Value::new(ValueKind::Null, span)
    }

    pub fn unknown(expr: impl Into<String>, refs: Vec<String>, span: Span) -> Value {
        Value::new(
            ValueKind::Unknown(Unknown {
                expr: expr.into(),
                refs,
            }),
            span,
        )
    }

    /// The string, if this is a known string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// Any known scalar as text (`true`, `128`, `"x"`), as CloudFormation coerces scalars.
    pub fn as_text(&self) -> Option<Cow<'_, str>> {
        match &self.kind {
            ValueKind::String(s) | ValueKind::Number(s) => Some(Cow::Borrowed(s)),
            ValueKind::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            ValueKind::Bool(b) => Some(*b),
            ValueKind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            ValueKind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.kind {
            ValueKind::Number(s) | ValueKind::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Key, Value)]> {
        match &self.kind {
            ValueKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_unknown(&self) -> Option<&Unknown> {
        match &self.kind {
            ValueKind::Unknown(u) => Some(u),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.kind, ValueKind::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.kind, ValueKind::Unknown(_))
    }

    /// The value under `key` in a map (keys are case-sensitive, as in CloudFormation).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_map()?.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }

    /// The value under `key`, comparing keys without regard to ASCII case (IAM policy
    /// element names such as `Effect` and `Action` are matched this way by AWS).
    pub fn get_ignore_case(&self, key: &str) -> Option<&Value> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    /// The values this may be: itself, or for an undecided condition every branch (recursively).
    pub fn candidates(&self) -> Vec<&Value> {
        let mut out = Vec::new();
        self.collect_candidates(&mut out);
        out
    }

    fn collect_candidates<'a>(&'a self, out: &mut Vec<&'a Value>) {
        match &self.kind {
            ValueKind::Choice {
                when_true,
                when_false,
                ..
            } => {
                when_true.collect_candidates(out);
                when_false.collect_candidates(out);
            }
            _ => out.push(self),
        }
    }

    /// The items of a list, or the value itself when it is a scalar (IAM and many
    /// CloudFormation properties accept either). Undecided conditions contribute the items of
    /// every branch; `Null` contributes nothing.
    pub fn items(&self) -> Vec<&Value> {
        let mut out = Vec::new();
        for candidate in self.candidates() {
            match &candidate.kind {
                ValueKind::List(items) => {
                    for item in items {
                        out.extend(item.candidates().into_iter().filter(|v| !v.is_null()));
                    }
                }
                ValueKind::Null => {}
                _ => out.push(candidate),
            }
        }
        out
    }

    /// Known strings among [`Value::items`].
    pub fn strings(&self) -> Vec<&str> {
        self.items().into_iter().filter_map(Value::as_str).collect()
    }

    /// A plain JSON rendering; unknown values become `"${expr}"` strings.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.kind {
            ValueKind::Null => J::Null,
            ValueKind::Bool(b) => J::Bool(*b),
            ValueKind::Number(s) => serde_json::from_str::<serde_json::Number>(s)
                .map(J::Number)
                .unwrap_or_else(|_| J::String(s.clone())),
            ValueKind::String(s) => J::String(s.clone()),
            ValueKind::List(items) => J::Array(items.iter().map(Value::to_json).collect()),
            ValueKind::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
            ValueKind::Unknown(u) => J::String(format!("${{{}}}", u.expr)),
            ValueKind::Choice {
                condition,
                when_true,
                when_false,
            } => serde_json::json!({
                "Fn::If": [condition, when_true.to_json(), when_false.to_json()]
            }),
        }
    }

    /// A value read from JSON that has no source position (AWS API answers, data tables).
    pub fn from_json(json: &serde_json::Value) -> Value {
        use serde_json::Value as J;
        let span = Span::default();
        let kind = match json {
            J::Null => ValueKind::Null,
            J::Bool(b) => ValueKind::Bool(*b),
            J::Number(n) => ValueKind::Number(n.to_string()),
            J::String(s) => ValueKind::String(s.clone()),
            J::Array(items) => ValueKind::List(items.iter().map(Value::from_json).collect()),
            J::Object(map) => ValueKind::Map(
                map.iter()
                    .map(|(k, v)| {
                        (
                            Key {
                                name: k.clone(),
                                span,
                            },
                            Value::from_json(v),
                        )
                    })
                    .collect(),
            ),
        };
        Value { kind, span }
    }

    /// A short human rendering for messages: strings as they are, other values as JSON.
    pub fn display(&self) -> String {
        match &self.kind {
            ValueKind::String(s) | ValueKind::Number(s) => s.clone(),
            ValueKind::Unknown(u) => u.expr.clone(),
            _ => self.to_json().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::string(v, Span::default())
    }

    #[test]
    fn items_flattens_lists_and_choices() {
        let choice = Value::new(
            ValueKind::Choice {
                condition: "IsProd".into(),
                when_true: Box::new(Value::new(ValueKind::List(vec![s("a"), s("b")]), Span::default())),
                when_false: Box::new(s("c")),
            },
            Span::default(),
        );
        assert_eq!(choice.strings(), vec!["a", "b", "c"]);
    }

    #[test]
    fn json_round_trip_keeps_account_ids_as_strings() {
        let json = serde_json::json!({"Principal": {"AWS": "012345678901"}, "n": 5});
        let value = Value::from_json(&json);
        assert_eq!(
            value
                .get("Principal")
                .and_then(|p| p.get("AWS"))
                .and_then(Value::as_str),
            Some("012345678901")
        );
        assert_eq!(value.to_json(), json);
    }
}
