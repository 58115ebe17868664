//! One Terraform resource in a form both syntaxes share: an HCL block after evaluation and a
//! plan's `planned_values` entry both become a [`Resource`] whose arguments are a [`Value`] map
//! (nested blocks as lists of maps, as plan JSON writes them), so one set of builders turns
//! either into Inventory elements.

use std::sync::Arc;

use warden_model::{Skip, Span, Value, ValueKind};

#[derive(Debug, Clone)]
pub(crate) struct Resource {
    /// Terraform address with its module path (`module.api.aws_lambda_function.handler`); for
    /// elements the registry Lambda module implies, the module block's address plus the
    /// module's own resource address.
    pub address: String,
    pub resource_type: String,
    /// The file it is written in (the plan file for plans).
    pub path: Arc<str>,
    /// Where findings about the whole resource point: its block header.
    pub span: Span,
    /// Arguments after evaluation; nested blocks are lists of maps.
    pub props: Value,
    /// How the user refers to it (`Meta.name`): the address, or the module block's address for
    /// what a module implies.
    pub name: String,
    /// Address of the element that implies this one (the function a module block defines).
    pub implied_by: Option<String>,
    pub skips: Vec<Skip>,
}

impl Resource {
    /// An argument, absent when missing or null.
    pub fn get(&self, name: &str) -> Option<Value> {
        field(&self.props, name)
    }

    /// The first (usually only) block `name`, or an unknown value standing for it (a `dynamic`
    /// block); absent when not written or written empty (`[]` in plans).
    pub fn block(&self, name: &str) -> Option<&Value> {
        block(&self.props, name)
    }

    /// Every block `name`.
    pub fn blocks(&self, name: &str) -> Vec<&Value> {
        blocks(&self.props, name)
    }

    /// A value inside nested blocks: `at(&["dead_letter_config", "target_arn"])`.
    pub fn at(&self, path: &[&str]) -> Option<Value> {
        at(&self.props, path)
    }
}

/// An argument of a map, absent when missing or null.
pub(crate) fn field(value: &Value, name: &str) -> Option<Value> {
    value.get(name).filter(|v| !v.is_null()).cloned()
}

/// The first block `name` of a body (see [`Resource::block`]).
pub(crate) fn block<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    let found = value.get(name)?;
    match &found.kind {
        ValueKind::List(items) => items.iter().find(|i| !i.is_null()),
        ValueKind::Null => None,
        _ => Some(found),
    }
}

/// Every block `name` of a body.
pub(crate) fn blocks<'v>(value: &'v Value, name: &str) -> Vec<&'v Value> {
    match value.get(name).map(|v| &v.kind) {
        Some(ValueKind::List(items)) => items.iter().filter(|i| !i.is_null()).collect(),
        Some(ValueKind::Null) | None => Vec::new(),
        Some(_) => value.get(name).into_iter().collect(),
    }
}

/// A value inside nested blocks; every step but the last is a block.
pub(crate) fn at(value: &Value, path: &[&str]) -> Option<Value> {
    let (last, blocks_path) = path.split_last()?;
    let mut current = value;
    for name in blocks_path {
        current = block(current, name)?;
    }
    if current.is_unknown() {
        // A `dynamic` block: what it sets is as unknown as the block.
        return Some(current.clone());
    }
    field(current, last)
}

/// Terraform writes "not set" as a sentinel for some numbers (`-1` reserved concurrency, `0`
/// retention days in plans): those become absent, also as branches of an undecided condition.
pub(crate) fn unset_if(value: Option<Value>, sentinel: f64) -> Option<Value> {
    let value = value?;
    let cleared = clear_sentinel(value, sentinel);
    (!cleared.is_null()).then_some(cleared)
}

fn clear_sentinel(value: Value, sentinel: f64) -> Value {
    match value.kind {
        ValueKind::Choice {
            condition,
            when_true,
            when_false,
        } => Value::new(
            ValueKind::Choice {
                condition,
                when_true: Box::new(clear_sentinel(*when_true, sentinel)),
                when_false: Box::new(clear_sentinel(*when_false, sentinel)),
            },
            value.span,
        ),
        ValueKind::Number(_) | ValueKind::String(_) if is_number(&value, sentinel) => Value::null(value.span),
        kind => Value::new(kind, value.span),
    }
}

fn is_number(value: &Value, n: f64) -> bool {
    value.as_f64().is_some_and(|v| v == n)
}

/// An optional ARN or name: an empty string means "not set" in Terraform.
pub(crate) fn non_empty(value: Option<Value>) -> Option<Value> {
    value.filter(|v| v.as_str() != Some("") && !matches!(&v.kind, ValueKind::List(items) if items.is_empty()))
}

/// A policy document: a map as it is, JSON text parsed (its nodes point at the string).
pub(crate) fn document(value: Value) -> Value {
    match &value.kind {
        ValueKind::String(text) if text.trim_start().starts_with('{') => {
            crate::json::parse(text, value.span).unwrap_or(value)
        }
        ValueKind::Choice {
            condition,
            when_true,
            when_false,
        } => Value::new(
            ValueKind::Choice {
                condition: condition.clone(),
                when_true: Box::new(document((**when_true).clone())),
                when_false: Box::new(document((**when_false).clone())),
            },
            value.span,
        ),
        _ => value,
    }
}

/// Every reference named by the unknown parts of a value, in order, without repeats.
pub(crate) fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match &value.kind {
        ValueKind::Unknown(u) => {
            for r in &u.refs {
                if !out.contains(r) {
                    out.push(r.clone());
                }
            }
        }
        ValueKind::List(items) => items.iter().for_each(|i| collect_refs(i, out)),
        ValueKind::Map(entries) => entries.iter().for_each(|(_, v)| collect_refs(v, out)),
        ValueKind::Choice {
            when_true,
            when_false,
            ..
        } => {
            collect_refs(when_true, out);
            collect_refs(when_false, out);
        }
        _ => {}
    }
}

/// The same value with every node (and key) at `span`: a value written in one file and used in
/// another must point where it is used, since an element has one file.
pub(crate) fn respan(value: &Value, span: Span) -> Value {
    let kind = match &value.kind {
        ValueKind::List(items) => ValueKind::List(items.iter().map(|i| respan(i, span)).collect()),
        ValueKind::Map(entries) => ValueKind::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    let mut key = k.clone();
                    key.span = span;
                    (key, respan(v, span))
                })
                .collect(),
        ),
        ValueKind::Choice {
            condition,
            when_true,
            when_false,
        } => ValueKind::Choice {
            condition: condition.clone(),
            when_true: Box::new(respan(when_true, span)),
            when_false: Box::new(respan(when_false, span)),
        },
        other => other.clone(),
    };
    Value::new(kind, span)
}

/// A map value built in code (synthesised documents and module elements).
pub(crate) fn map(entries: Vec<(&str, Value)>, span: Span) -> Value {
    Value::new(
        ValueKind::Map(
            entries
                .into_iter()
                .map(|(name, value)| {
                    let key = warden_model::Key {
                        name: name.to_string(),
                        span,
                    };
                    (key, value)
                })
                .collect(),
        ),
        span,
    )
}

pub(crate) fn list(items: Vec<Value>, span: Span) -> Value {
    Value::new(ValueKind::List(items), span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: &str) -> Value {
        Value::new(ValueKind::Number(n.into()), Span::default())
    }

    #[test]
    fn sentinels_are_unset_also_in_branches() {
        assert_eq!(unset_if(Some(num("-1")), -1.0), None);
        assert_eq!(unset_if(Some(num("5")), -1.0), Some(num("5")));
        let choice = Value::new(
            ValueKind::Choice {
                condition: "var.prod".into(),
                when_true: Box::new(num("10")),
                when_false: Box::new(num("-1")),
            },
            Span::default(),
        );
        let cleared = unset_if(Some(choice), -1.0).expect("one branch is set");
        assert_eq!(cleared.candidates().iter().filter(|v| v.is_null()).count(), 1);
    }

    #[test]
    fn policy_strings_become_documents() {
        let doc = document(Value::string(r#"{"Statement": []}"#, Span::default()));
        assert!(doc.get("Statement").is_some());
        let text = document(Value::string("not json", Span::default()));
        assert_eq!(text.as_str(), Some("not json"));
    }
}
