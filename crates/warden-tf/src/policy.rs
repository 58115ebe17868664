//! IAM policy documents written the Terraform way: the `aws_iam_policy_document` data source and
//! the registry Lambda module's `policy_statements` describe statements with snake_case fields
//! and `principals` / `condition` blocks; rules read the JSON shape AWS evaluates, so both are
//! turned into that shape here (one conversion for both).

use warden_model::{Key, Span, Value, ValueKind};

use crate::resource::{blocks, document, field, list, map};

/// `Statement` field names: Terraform's on the left, the policy language's on the right.
const STATEMENT_FIELDS: &[(&str, &str)] = &[
    ("sid", "Sid"),
    ("effect", "Effect"),
    ("actions", "Action"),
    ("not_actions", "NotAction"),
    ("resources", "Resource"),
    ("not_resources", "NotResource"),
];

/// A policy document from the fields of an `aws_iam_policy_document` body: `version`,
/// `policy_id`, `statement` blocks, and `source_policy_documents` /
/// `override_policy_documents` merged as Terraform merges them.
pub(crate) fn from_policy_document_fields(body: &Value, span: Span) -> Value {
    let mut statements: Vec<Value> = Vec::new();
    for source in field(body, "source_policy_documents")
        .map(|d| d.items().into_iter().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        statements.extend(statements_of(&document(source)));
    }
    for statement in blocks(body, "statement") {
        statements.push(statement_from_fields(statement));
    }
    for source in field(body, "override_policy_documents")
        .map(|d| d.items().into_iter().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        for statement in statements_of(&document(source)) {
            override_statement(&mut statements, statement);
        }
    }
    let version = field(body, "version").unwrap_or_else(|| Value::string("2012-10-17", span));
    let mut entries = vec![("Version", version)];
    if let Some(id) = field(body, "policy_id") {
        entries.push(("Id", id));
    }
    entries.push(("Statement", list(statements, span)));
    map(entries, span)
}

/// The statements of a document (an unknown document is one unknown statement, so rules know
/// something they cannot see is there).
fn statements_of(doc: &Value) -> Vec<Value> {
    match doc.get("Statement") {
        Some(statements) => statements.items().into_iter().cloned().collect(),
        None if doc.is_unknown() => vec![doc.clone()],
        None => Vec::new(),
    }
}

/// An override statement replaces the statement with the same `Sid`, or is added.
fn override_statement(statements: &mut Vec<Value>, statement: Value) {
    let sid = statement.get("Sid").and_then(Value::as_str).map(str::to_string);
    let same = sid.as_deref().and_then(|sid| {
        statements
            .iter()
            .position(|s| s.get("Sid").and_then(Value::as_str) == Some(sid))
    });
    match same {
        Some(index) => statements[index] = statement,
        None => statements.push(statement),
    }
}

/// One statement from Terraform fields; a statement that is itself unknown (a `dynamic` block)
/// stays unknown.
pub(crate) fn statement_from_fields(fields: &Value) -> Value {
    let Some(entries) = fields.as_map() else {
        return fields.clone();
    };
    let span = fields.span;
    let renamed = |from: &str, to: &str| -> Option<(Key, Value)> {
        let (key, value) = entries.iter().find(|(k, v)| k.name == from && !v.is_null())?;
        Some((
            Key {
                name: to.to_string(),
                span: key.span,
            },
            value.clone(),
        ))
    };
    let mut out: Vec<(Key, Value)> = Vec::new();
    for (from, to) in STATEMENT_FIELDS {
        out.extend(renamed(from, to));
    }
    if !out.iter().any(|(k, _)| k.name == "Effect") {
        out.push((key("Effect", span), Value::string("Allow", span)));
    }
    for (from, to) in [("principals", "Principal"), ("not_principals", "NotPrincipal")] {
        let written = blocks(fields, from);
        if !written.is_empty() {
            out.push((key(to, span), principal(&written, span)));
        }
    }
    let conditions = blocks(fields, "condition");
    if !conditions.is_empty() {
        out.push((key("Condition", span), condition(&conditions, span)));
    }
    Value::new(ValueKind::Map(out), span)
}

fn key(name: &str, span: Span) -> Key {
    Key {
        name: name.to_string(),
        span,
    }
}

/// `principals { type = "AWS", identifiers = [...] }` blocks as a `Principal` element; the type
/// `*` with identifier `*` is everyone (`"Principal": "*"`).
fn principal(written: &[&Value], span: Span) -> Value {
    if let Some(unknown) = written.iter().find(|p| p.is_unknown()) {
        return (*unknown).clone();
    }
    let everyone = written.iter().all(|p| {
        p.get("type").and_then(Value::as_str) == Some("*")
            && p.get("identifiers").is_some_and(|i| i.strings() == ["*"])
    });
    if everyone {
        let at = written.first().map_or(span, |p| p.span);
        return Value::string("*", at);
    }
    let mut by_type: Vec<(Key, Value)> = Vec::new();
    for block in written {
        let kind = block.get("type").map(Value::display).unwrap_or_default();
        let identifiers = field(block, "identifiers").unwrap_or_else(|| Value::null(block.span));
        merge_into(&mut by_type, &kind, identifiers, block.span);
    }
    Value::new(ValueKind::Map(by_type), written.first().map_or(span, |p| p.span))
}

/// `condition { test, variable, values }` blocks as a `Condition` element.
fn condition(written: &[&Value], span: Span) -> Value {
    if let Some(unknown) = written.iter().find(|c| c.is_unknown()) {
        return (*unknown).clone();
    }
    let mut by_test: Vec<(Key, Value)> = Vec::new();
    for block in written {
        let test = block.get("test").map(Value::display).unwrap_or_default();
        let variable = block.get("variable").map(Value::display).unwrap_or_default();
        let values = field(block, "values").unwrap_or_else(|| Value::null(block.span));
        let entry = match by_test.iter().position(|(k, _)| k.name == test) {
            Some(index) => index,
            None => {
                by_test.push((
                    key(&test, block.span),
                    Value::new(ValueKind::Map(Vec::new()), block.span),
                ));
                by_test.len() - 1
            }
        };
        if let ValueKind::Map(variables) = &mut by_test[entry].1.kind {
            merge_into(variables, &variable, values, block.span);
        }
    }
    Value::new(ValueKind::Map(by_test), written.first().map_or(span, |c| c.span))
}

/// Add `values` under `name`, joining lists when the name is already there.
fn merge_into(entries: &mut Vec<(Key, Value)>, name: &str, values: Value, span: Span) {
    match entries.iter_mut().find(|(k, _)| k.name == name) {
        Some((_, existing)) => {
            let mut items: Vec<Value> = existing.items().into_iter().cloned().collect();
            items.extend(values.items().into_iter().cloned());
            *existing = list(items, existing.span);
        }
        None => entries.push((key(name, span), values)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::string(text, Span::default())
    }

    #[test]
    fn principals_and_conditions_take_the_policy_shape() {
        let statement = map(
            vec![
                ("actions", list(vec![s("lambda:InvokeFunction")], Span::default())),
                (
                    "principals",
                    list(
                        vec![
                            map(
                                vec![
                                    ("type", s("Service")),
                                    ("identifiers", list(vec![s("s3.amazonaws.com")], Span::default())),
                                ],
                                Span::default(),
                            ),
                            map(
                                vec![
                                    ("type", s("Service")),
                                    ("identifiers", list(vec![s("sns.amazonaws.com")], Span::default())),
                                ],
                                Span::default(),
                            ),
                        ],
                        Span::default(),
                    ),
                ),
                (
                    "condition",
                    list(
                        vec![map(
                            vec![
                                ("test", s("StringEquals")),
                                ("variable", s("aws:SourceAccount")),
                                ("values", list(vec![s("123456789012")], Span::default())),
                            ],
                            Span::default(),
                        )],
                        Span::default(),
                    ),
                ),
            ],
            Span::default(),
        );
        let out = statement_from_fields(&statement);
        assert_eq!(out.get("Effect").and_then(Value::as_str), Some("Allow"));
        assert_eq!(
            out.get("Action").map(Value::strings),
            Some(vec!["lambda:InvokeFunction"])
        );
        let services = out
            .get("Principal")
            .and_then(|p| p.get("Service"))
            .map(Value::strings);
        assert_eq!(services, Some(vec!["s3.amazonaws.com", "sns.amazonaws.com"]));
        let account = out
            .get("Condition")
            .and_then(|c| c.get("StringEquals"))
            .and_then(|c| c.get("aws:SourceAccount"))
            .map(Value::strings);
        assert_eq!(account, Some(vec!["123456789012"]));
    }

    #[test]
    fn everyone_is_a_star_principal() {
        let everyone = map(
            vec![
                ("type", s("*")),
                ("identifiers", list(vec![s("*")], Span::default())),
            ],
            Span::default(),
        );
        assert_eq!(principal(&[&everyone], Span::default()).as_str(), Some("*"));
    }
}
