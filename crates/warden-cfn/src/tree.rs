//! One spanned tree for YAML and JSON templates.
//!
//! Built from saphyr-parser's event stream, so that every node keeps its span, scalars keep
//! their text (`012345678901` stays a string), tags are kept, duplicate keys are rejected and
//! alias expansion and nesting depth are bounded. CloudFormation short-form tags are rewritten
//! to their long form (`!Ref X` -> `{"Ref": "X"}`), so the rest of the loader sees one shape.

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan, Tag};
use warden_model::{Key, Pos, Span, Value, ValueKind};

/// Deepest nesting accepted; real templates stay far below it.
pub const MAX_DEPTH: usize = 128;
/// Most nodes alias expansion may produce in one file (alias-bomb guard).
pub const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    pub pos: Pos,
}

impl ParseError {
    fn at(pos: Pos, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            pos,
        }
    }
}

fn pos(marker: saphyr_parser::Marker) -> Pos {
    Pos {
        line: marker.line() as u32,
        column: marker.col() as u32 + 1,
        offset: marker.index() as u32,
    }
}

fn span(s: YamlSpan) -> Span {
    Span {
        start: pos(s.start),
        end: pos(s.end),
    }
}

/// A collection being built.
struct Frame {
    kind: FrameKind,
    start: Span,
    anchor: usize,
    tag: Option<Tag>,
}

enum FrameKind {
    List(Vec<Value>),
    Map {
        entries: Vec<(Key, Value)>,
        pending_key: Option<Key>,
    },
}

/// Parse the first document of `text` into a [`Value`]. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<(usize, Value)> = Vec::new();
    let mut alias_budget = MAX_ALIAS_NODES;

    while let Some(event) = parser.next_event() {
        let (event, ev_span) = event.map_err(|e| ParseError::at(pos(*e.marker()), e.info()))?;
        let (node, anchor) = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Scalar(text, style, anchor, tag) => {
                (scalar(&text, style, tag.as_deref(), span(ev_span))?, anchor)
            }
            Event::Alias(id) => {
                let Some((_, target)) = anchors.iter().rev().find(|(a, _)| *a == id) else {
                    return Err(ParseError::at(pos(ev_span.start), "alias to an unknown anchor"));
                };
                let size = count_nodes(target);
                if size > alias_budget {
                    return Err(ParseError::at(
                        pos(ev_span.start),
                        format!("alias expansion exceeds {MAX_ALIAS_NODES} nodes (possible alias bomb)"),
                    ));
                }
                alias_budget -= size;
                let mut value = target.clone();
                value.span = span(ev_span);
                (value, 0)
            }
            Event::SequenceStart(anchor, tag) => {
                open(
                    &mut stack,
                    FrameKind::List(Vec::new()),
                    ev_span,
                    anchor,
                    tag.map(|t| t.into_owned()),
                )?;
                continue;
            }
            Event::MappingStart(anchor, tag) => {
                let kind = FrameKind::Map {
                    entries: Vec::new(),
                    pending_key: None,
                };
                open(&mut stack, kind, ev_span, anchor, tag.map(|t| t.into_owned()))?;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else {
                    return Err(ParseError::at(pos(ev_span.start), "unbalanced collection end"));
                };
                let whole = Span {
                    start: frame.start.start,
                    end: pos(ev_span.end).max(frame.start.end),
                };
                let kind = match frame.kind {
                    FrameKind::List(items) => ValueKind::List(items),
                    FrameKind::Map { entries, .. } => ValueKind::Map(entries),
                };
                let value = apply_tag(Value::new(kind, whole), frame.tag.as_ref())?;
                (value, frame.anchor)
            }
        };
        if anchor > 0 {
            anchors.push((anchor, node.clone()));
        }
        match stack.last_mut() {
            None => return Ok(node),
            Some(frame) => push_child(frame, node)?,
        }
    }
    Ok(Value::null(Span::default()))
}

fn open(
    stack: &mut Vec<Frame>,
    kind: FrameKind,
    at: YamlSpan,
    anchor: usize,
    tag: Option<Tag>,
) -> Result<(), ParseError> {
    if stack.len() >= MAX_DEPTH {
        return Err(ParseError::at(
            pos(at.start),
            format!("nesting deeper than {MAX_DEPTH} levels"),
        ));
    }
    stack.push(Frame {
        kind,
        start: span(at),
        anchor,
        tag,
    });
    Ok(())
}

fn push_child(frame: &mut Frame, node: Value) -> Result<(), ParseError> {
    match &mut frame.kind {
        FrameKind::List(items) => items.push(node),
        FrameKind::Map { entries, pending_key } => match pending_key.take() {
            None => {
                let name = match &node.kind {
                    ValueKind::String(s) | ValueKind::Number(s) => s.clone(),
                    ValueKind::Bool(b) => b.to_string(),
                    ValueKind::Null => String::new(),
                    _ => return Err(ParseError::at(node.span.start, "mapping keys must be scalars")),
                };
                if entries.iter().any(|(k, _)| k.name == name) {
                    return Err(ParseError::at(node.span.start, format!("duplicate key `{name}`")));
                }
                *pending_key = Some(Key {
                    name,
                    span: node.span,
                });
            }
            Some(key) => entries.push((key, node)),
        },
    }
    Ok(())
}

fn count_nodes(value: &Value) -> usize {
    match &value.kind {
        ValueKind::List(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        ValueKind::Map(entries) => 1 + entries.iter().map(|(_, v)| 1 + count_nodes(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Resolve a scalar by the YAML 1.2 core schema, except that integers with a leading zero stay
/// strings (CloudFormation account ids and the like).
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>, at: Span) -> Result<Value, ParseError> {
    let kind = match tag {
        Some(t) if t.is_yaml_core_schema() => core_tagged(text, &t.suffix),
        _ if style != ScalarStyle::Plain => ValueKind::String(text.to_string()),
        _ => plain(text),
    };
    apply_tag(Value::new(kind, at), tag.filter(|t| !t.is_yaml_core_schema()))
}

fn core_tagged(text: &str, suffix: &str) -> ValueKind {
    match suffix {
        "null" => ValueKind::Null,
        "bool" | "int" | "float" => match plain(text) {
            ValueKind::String(s) => ValueKind::String(s),
            other => other,
        },
        _ => ValueKind::String(text.to_string()),
    }
}

fn plain(text: &str) -> ValueKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return ValueKind::Null,
        "true" | "True" | "TRUE" => return ValueKind::Bool(true),
        "false" | "False" | "FALSE" => return ValueKind::Bool(false),
        _ => {}
    }
    if is_number(text) {
        ValueKind::Number(text.to_string())
    } else {
        ValueKind::String(text.to_string())
    }
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() {
        return false;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        // `012345678901` is an account id, not the number 12345678901.
        return !(digits.len() > 1 && digits.starts_with('0'));
    }
    if let Some(hex) = digits.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = digits.strip_prefix("0o") {
        return !oct.is_empty() && oct.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if matches!(digits, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let mantissa_end = digits.find(['e', 'E']).unwrap_or(digits.len());
    let (mantissa, exponent) = digits.split_at(mantissa_end);
    let mantissa_ok = mantissa.bytes().filter(|b| *b == b'.').count() <= 1
        && mantissa.bytes().any(|b| b.is_ascii_digit())
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let exponent_ok = exponent.is_empty() || {
        let e = exponent[1..].strip_prefix(['-', '+']).unwrap_or(&exponent[1..]);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    };
    mantissa_ok && exponent_ok && mantissa.contains('.') | !exponent.is_empty()
}

/// The CloudFormation intrinsic functions that have a short form.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("ForEach", "Fn::ForEach"),
];

/// Rewrite a CloudFormation short-form tag to its long form. Unknown local tags are an error:
/// CloudFormation rejects them too, and guessing would hide a typo.
fn apply_tag(value: Value, tag: Option<&Tag>) -> Result<Value, ParseError> {
    let Some(tag) = tag else { return Ok(value) };
    if tag.handle != "!" {
        return Ok(value);
    }
    let Some((_, long)) = SHORT_FORMS.iter().find(|(short, _)| *short == tag.suffix) else {
        return Err(ParseError::at(
            value.span.start,
            format!("unknown tag `!{}`", tag.suffix),
        ));
    };
    let at = value.span;
    let inner = match (&value.kind, *long) {
        // `!GetAtt Resource.Attribute` is the string form of `Fn::GetAtt: [Resource, Attribute]`.
        (ValueKind::String(s), "Fn::GetAtt") => match s.split_once('.') {
            Some((resource, attribute)) => Value::new(
                ValueKind::List(vec![Value::string(resource, at), Value::string(attribute, at)]),
                at,
            ),
            None => value,
        },
        // A bare `!GetAZs` (null) means the current region.
        (ValueKind::Null, "Fn::GetAZs") => Value::string("", at),
        _ => value,
    };
    let key = Key {
        name: (*long).to_string(),
        span: at,
    };
    Ok(Value::new(ValueKind::Map(vec![(key, inner)]), at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> serde_json::Value {
        parse(text)
            .map(|v| v.to_json())
            .unwrap_or_else(|e| panic!("{e} at {:?}", e.pos))
    }

    #[test]
    fn short_forms_equal_long_forms() {
        let short = json(
            "a: !Ref X\nb: !GetAtt R.Arn\nc: !Sub 'x-${Y}'\nd: !If [C, 1, 2]\ne: !Join ['', [a, !Ref Z]]\n",
        );
        let long = json(
            r#"{"a": {"Ref": "X"}, "b": {"Fn::GetAtt": ["R", "Arn"]}, "c": {"Fn::Sub": "x-${Y}"},
            "d": {"Fn::If": ["C", 1, 2]}, "e": {"Fn::Join": ["", ["a", {"Ref": "Z"}]]}}"#,
        );
        assert_eq!(short, long);
    }

    #[test]
    fn account_ids_stay_strings() {
        let v = parse("Principal: 012345678901\nPort: 443\nRatio: 1.5\nFlag: true\nQuoted: '443'").unwrap();
        assert_eq!(v.get("Principal").and_then(Value::as_str), Some("012345678901"));
        assert_eq!(
            v.get("Port").map(|p| p.kind.clone()),
            Some(ValueKind::Number("443".into()))
        );
        assert_eq!(v.get("Ratio").and_then(Value::as_f64), Some(1.5));
        assert_eq!(v.get("Flag").and_then(Value::as_bool), Some(true));
        assert_eq!(v.get("Quoted").and_then(Value::as_str), Some("443"));
    }

    #[test]
    fn duplicate_keys_are_rejected_with_position() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
        assert_eq!((err.pos.line, err.pos.column), (3, 1));
    }

    #[test]
    fn spans_are_one_based() {
        let v = parse("Resources:\n  Fn:\n    Type: X\n").unwrap();
        let fun = v.get("Resources").and_then(|r| r.get("Fn")).unwrap();
        assert_eq!((fun.span.start.line, fun.span.start.column), (3, 5));
        let ty = fun.get("Type").unwrap();
        assert_eq!((ty.span.start.line, ty.span.start.column), (3, 11));
    }

    #[test]
    fn json_documents_parse_with_spans() {
        let v = parse("{\n  \"Resources\": {\n    \"A\": {\"Type\": \"T\"}\n  }\n}").unwrap();
        let a = v.get("Resources").and_then(|r| r.get("A")).unwrap();
        assert_eq!(a.span.start.line, 3);
    }

    #[test]
    fn alias_bombs_are_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let err = parse(&text).unwrap_err();
        assert!(
            err.message.contains("nesting") || err.message.contains("recursion"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_local_tag_is_an_error() {
        assert!(
            parse("a: !Reff X")
                .unwrap_err()
                .message
                .contains("unknown tag `!Reff`")
        );
    }

    #[test]
    fn empty_document_is_null() {
        assert!(parse("").unwrap().is_null());
        assert!(parse("# only a comment\n").unwrap().is_null());
    }
}
