//! JSON text to [`Value`]: policies written as JSON strings or heredocs, `jsondecode`, and plan
//! files. JSON carries no positions of its own here, so every node gets the span of the text it
//! came from. Text with interpolations that cannot be known (`"${aws_sqs_queue.q.arn}"` inside a
//! heredoc) is parsed with placeholders, so the document keeps its structure and only the
//! interpolated strings stay unknown.

use warden_model::{Key, Span, Value, ValueKind};

/// A piece of a template: literal text, or a value that is not known as text.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    Text(String),
    Hole(Value),
}

/// A value as a template part: its text when it is a known scalar.
pub(crate) fn part(value: Value) -> Part {
    match (&value.kind, value.as_text()) {
        (ValueKind::Null, _) | (_, None) => Part::Hole(value),
        (_, Some(text)) => Part::Text(text.into_owned()),
    }
}

/// Placeholders are private-use characters, which JSON passes through untouched inside strings.
const HOLE_START: char = '\u{E000}';
const HOLE_END: char = '\u{E001}';

/// A JSON document as a [`Value`] whose nodes all have `span`.
pub(crate) fn from_json(json: &serde_json::Value, span: Span) -> Value {
    convert(json, span, &[])
}

/// Parse JSON text; `None` when it is not JSON.
pub(crate) fn parse(text: &str, span: Span) -> Option<Value> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(from_json(&json, span))
}

/// Parse JSON written as a template: known parts are text, unknown parts become unknown values
/// where they appear (inside a string, the whole string is unknown and names them). `None` when
/// the text is not JSON even with the unknown parts filled in.
pub(crate) fn parse_parts(parts: &[Part], span: Span) -> Option<Value> {
    let mut text = String::new();
    let mut holes = Vec::new();
    let mut in_string = false;
    for part in parts {
        match part {
            Part::Text(t) => {
                in_string = scan_quotes(t, in_string);
                text.push_str(t);
            }
            Part::Hole(value) => {
                let marker = format!("{HOLE_START}{}{HOLE_END}", holes.len());
                holes.push(value.clone());
                if in_string {
                    text.push_str(&marker);
                } else {
                    // `"Resource": ${jsonencode(var.arns)}`: the whole JSON value is the hole.
                    text.push('"');
                    text.push_str(&marker);
                    text.push('"');
                }
            }
        }
    }
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(convert(&json, span, &holes))
}

/// Whether the text leaves a JSON string open, given whether it starts inside one.
fn scan_quotes(text: &str, mut in_string: bool) -> bool {
    let mut escaped = false;
    for c in text.chars() {
        if in_string && escaped {
            escaped = false;
        } else if in_string && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = !in_string;
        }
    }
    in_string
}

fn convert(json: &serde_json::Value, span: Span, holes: &[Value]) -> Value {
    use serde_json::Value as J;
    let kind = match json {
        J::Null => ValueKind::Null,
        J::Bool(b) => ValueKind::Bool(*b),
        J::Number(n) => ValueKind::Number(n.to_string()),
        J::String(s) if s.contains(HOLE_START) => return fill_holes(s, span, holes),
        J::String(s) => ValueKind::String(s.clone()),
        J::Array(items) => ValueKind::List(items.iter().map(|i| convert(i, span, holes)).collect()),
        J::Object(map) => ValueKind::Map(
            map.iter()
                .map(|(k, v)| {
                    let key = Key {
                        name: k.clone(),
                        span,
                    };
                    (key, convert(v, span, holes))
                })
                .collect(),
        ),
    };
    Value::new(kind, span)
}

/// A string with placeholders: the hole itself when it is the whole string, else an unknown
/// string written as a template (`arn:aws:s3:::${var.bucket}/*`) naming every hole's references.
fn fill_holes(s: &str, span: Span, holes: &[Value]) -> Value {
    let mut expr = String::new();
    let mut refs = Vec::new();
    let mut rest = s;
    let mut only: Option<&Value> = None;
    let mut pieces = 0;
    while let Some(start) = rest.find(HOLE_START) {
        expr.push_str(&rest[..start]);
        pieces += usize::from(start > 0);
        let after = &rest[start + HOLE_START.len_utf8()..];
        let Some(end) = after.find(HOLE_END) else { break };
        let hole = after[..end].parse::<usize>().ok().and_then(|i| holes.get(i));
        if let Some(hole) = hole {
            expr.push_str(&hole_text(hole));
            crate::resource::collect_refs(hole, &mut refs);
            only = Some(hole);
            pieces += 1;
        }
        rest = &after[end + HOLE_END.len_utf8()..];
    }
    expr.push_str(rest);
    pieces += usize::from(!rest.is_empty());
    match only {
        Some(hole) if pieces == 1 => hole.clone(),
        _ => Value::unknown(expr, refs, span),
    }
}

/// How an unknown part reads inside a template: `${expr}`, or the template text itself when the
/// value is already an unknown template (`${aws_s3_bucket.b.arn}/*`).
pub(crate) fn hole_text(value: &Value) -> String {
    match &value.kind {
        ValueKind::Unknown(u) if u.expr.contains("${") => u.expr.clone(),
        ValueKind::Unknown(u) => format!("${{{}}}", u.expr),
        _ => format!("${{{}}}", value.display()),
    }
}

/// Join template parts: text when every part is known; the value itself for a template that is
/// a single interpolation (`"${var.list}"` is the list, as in Terraform); otherwise an unknown
/// string that reads as the template and names every reference.
pub(crate) fn join_parts(parts: Vec<Part>, span: Span) -> Value {
    if let [Part::Hole(only)] = parts.as_slice() {
        let mut value = only.clone();
        value.span = span;
        return value;
    }
    let mut text = String::new();
    let mut refs = Vec::new();
    let mut known = true;
    for part in &parts {
        match part {
            Part::Text(t) => text.push_str(t),
            Part::Hole(v) => {
                known = false;
                text.push_str(&hole_text(v));
                crate::resource::collect_refs(v, &mut refs);
            }
        }
    }
    if known {
        Value::string(text, span)
    } else {
        Value::unknown(text, refs, span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hole(expr: &str, r: &str) -> Part {
        Part::Hole(Value::unknown(expr, vec![r.to_string()], Span::default()))
    }

    #[test]
    fn unknown_parts_of_a_json_template_stay_where_they_are() {
        let parts = vec![
            Part::Text(r#"{"Statement": [{"Effect": "Allow", "Resource": [""#.into()),
            hole("aws_sqs_queue.q.arn", "aws_sqs_queue.q"),
            Part::Text(r#"", "arn:aws:s3:::"#.into()),
            hole("var.bucket", "var"),
            Part::Text(r#"/*"], "Action": "#.into()),
            hole("jsonencode(local.actions)", "local"),
            Part::Text("}]}".into()),
        ];
        let doc = parse_parts(&parts, Span::default()).expect("parses");
        let statement = &doc.get("Statement").and_then(Value::as_list).expect("list")[0];
        let resources = statement.get("Resource").and_then(Value::as_list).expect("list");
        let queue = resources[0].as_unknown().expect("unknown");
        assert_eq!(queue.expr, "aws_sqs_queue.q.arn");
        assert_eq!(queue.refs, vec!["aws_sqs_queue.q"]);
        let bucket = resources[1].as_unknown().expect("unknown");
        assert_eq!(bucket.expr, "arn:aws:s3:::${var.bucket}/*");
        assert!(statement.get("Action").is_some_and(Value::is_unknown));
        assert_eq!(statement.get("Effect").and_then(Value::as_str), Some("Allow"));
    }

    #[test]
    fn a_template_that_is_not_json_is_refused() {
        assert!(parse_parts(&[Part::Text("{not json".into())], Span::default()).is_none());
    }

    #[test]
    fn joined_templates_read_as_written() {
        let joined = join_parts(
            vec![Part::Text("/aws/lambda/".into()), hole("var.name", "x")],
            Span::default(),
        );
        assert_eq!(
            joined.as_unknown().map(|u| u.expr.as_str()),
            Some("/aws/lambda/${var.name}")
        );
        let known = join_parts(
            vec![Part::Text("a".into()), Part::Text("b".into())],
            Span::default(),
        );
        assert_eq!(known.as_str(), Some("ab"));
    }
}
