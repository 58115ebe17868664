//! Terraform's built-in functions, as far as static analysis can evaluate them: on known
//! arguments only, and only those whose result does not depend on the machine or the time.
//! Anything else is left unknown by the caller; a name that is not a Terraform function at all
//! is reported.

use warden_model::{Key, Span, Value, ValueKind};

use crate::resource::list;

/// Every built-in function of Terraform 1.x (names only): calls to other names are mistakes.
const TERRAFORM_FUNCTIONS: &[&str] = &[
    "abs",
    "abspath",
    "alltrue",
    "anytrue",
    "base64decode",
    "base64encode",
    "base64gzip",
    "base64sha256",
    "base64sha512",
    "basename",
    "bcrypt",
    "can",
    "ceil",
    "chomp",
    "chunklist",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnet",
    "cidrsubnets",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "csvdecode",
    "dirname",
    "distinct",
    "element",
    "endswith",
    "ephemeralasnull",
    "file",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "fileexists",
    "filemd5",
    "fileset",
    "filesha1",
    "filesha256",
    "filesha512",
    "flatten",
    "floor",
    "format",
    "formatdate",
    "formatlist",
    "indent",
    "index",
    "issensitive",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "list",
    "log",
    "lookup",
    "lower",
    "map",
    "matchkeys",
    "max",
    "md5",
    "merge",
    "min",
    "nonsensitive",
    "one",
    "parseint",
    "pathexpand",
    "plantimestamp",
    "pow",
    "range",
    "regex",
    "regexall",
    "replace",
    "reverse",
    "rsadecrypt",
    "sensitive",
    "setintersection",
    "setproduct",
    "setsubtract",
    "setunion",
    "sha1",
    "sha256",
    "sha512",
    "signum",
    "slice",
    "sort",
    "split",
    "startswith",
    "strcontains",
    "strrev",
    "substr",
    "sum",
    "templatefile",
    "templatestring",
    "textdecodebase64",
    "textencodebase64",
    "timeadd",
    "timecmp",
    "timestamp",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "transpose",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "type",
    "upper",
    "urlencode",
    "uuid",
    "uuidv5",
    "values",
    "yamldecode",
    "yamlencode",
    "zipmap",
];

pub(crate) fn is_terraform_function(name: &str) -> bool {
    TERRAFORM_FUNCTIONS.contains(&name)
}

/// The result of `name(args)`, when it can be known.
pub(crate) fn call(name: &str, args: &[Value], span: Span) -> Option<Value> {
    let text = |i: usize| args.get(i).and_then(Value::as_text).map(|t| t.into_owned());
    match (name, args) {
        ("jsonencode", [value]) => is_known(value).then(|| Value::string(value.to_json().to_string(), span)),
        ("jsondecode", [value]) => crate::json::parse(value.as_str()?, span),
        ("tostring", [value]) if value.is_null() => Some(value.clone()),
        ("tostring", [_]) => Some(Value::string(text(0)?, span)),
        ("tonumber", [value]) => {
            let n = value.as_f64()?;
            Some(number(n, span))
        }
        ("tobool", [value]) => Some(Value::new(ValueKind::Bool(value.as_bool()?), span)),
        ("tolist" | "toset", [value]) => value.as_list().map(|_| value.clone()),
        ("tomap", [value]) => value.as_map().map(|_| value.clone()),
        ("lower", [_]) => Some(Value::string(text(0)?.to_lowercase(), span)),
        ("upper", [_]) => Some(Value::string(text(0)?.to_uppercase(), span)),
        ("trimspace", [_]) => Some(Value::string(text(0)?.trim().to_string(), span)),
        ("trimprefix", [_, _]) => {
            let (s, prefix) = (text(0)?, text(1)?);
            Some(Value::string(
                s.strip_prefix(prefix.as_str()).unwrap_or(&s).to_string(),
                span,
            ))
        }
        ("trimsuffix", [_, _]) => {
            let (s, suffix) = (text(0)?, text(1)?);
            Some(Value::string(
                s.strip_suffix(suffix.as_str()).unwrap_or(&s).to_string(),
                span,
            ))
        }
        ("split", [_, _]) => {
            let (separator, s) = (text(0)?, text(1)?);
            if separator.is_empty() {
                return None;
            }
            let items = s
                .split(separator.as_str())
                .map(|p| Value::string(p, span))
                .collect();
            Some(list(items, span))
        }
        ("format", [template, rest @ ..]) => format(template.as_str()?, rest).map(|s| Value::string(s, span)),
        ("join", [separator, lists @ ..]) if !lists.is_empty() => {
            let separator = separator.as_text()?;
            let mut parts = Vec::new();
            for l in lists {
                for item in l.as_list()? {
                    parts.push(item.as_text()?.into_owned());
                }
            }
            Some(Value::string(parts.join(&separator), span))
        }
        ("concat", lists) if !lists.is_empty() => {
            let mut items = Vec::new();
            for l in lists {
                items.extend(l.as_list()?.iter().cloned());
            }
            Some(list(items, span))
        }
        ("merge", maps) => {
            let mut merged: Vec<(Key, Value)> = Vec::new();
            for m in maps.iter().filter(|m| !m.is_null()) {
                for (key, value) in m.as_map()? {
                    match merged.iter_mut().find(|(k, _)| k.name == key.name) {
                        Some(entry) => entry.1 = value.clone(),
                        None => merged.push((key.clone(), value.clone())),
                    }
                }
            }
            Some(Value::new(ValueKind::Map(merged), span))
        }
        ("lookup", [map, key, default @ ..]) if default.len() <= 1 => {
            let entries = map.as_map()?;
            let key = key.as_text()?;
            match entries.iter().find(|(k, _)| k.name == key) {
                Some((_, value)) => Some(value.clone()),
                None => default.first().cloned(),
            }
        }
        ("coalesce", values) => {
            for value in values {
                match &value.kind {
                    ValueKind::Null => continue,
                    ValueKind::String(s) if s.is_empty() => continue,
                    ValueKind::Unknown(_) | ValueKind::Choice { .. } => return None,
                    _ => return Some(value.clone()),
                }
            }
            None
        }
        ("compact", [l]) => {
            let mut items = Vec::new();
            for item in l.as_list()? {
                let s = item.as_text()?;
                if !s.is_empty() {
                    items.push(item.clone());
                }
            }
            Some(list(items, span))
        }
        ("flatten", [l]) => {
            let mut items = Vec::new();
            flatten(l, &mut items)?;
            Some(list(items, span))
        }
        ("length", [value]) => {
            let n = match &value.kind {
                ValueKind::List(items) => items.len(),
                ValueKind::Map(entries) => entries.len(),
                ValueKind::String(s) => s.chars().count(),
                _ => return None,
            };
            Some(number(n as f64, span))
        }
        ("element", [l, index]) => {
            let items = l.as_list()?;
            let index = index.as_f64()?;
            if items.is_empty() || index < 0.0 {
                return None;
            }
            items.get((index as usize) % items.len()).cloned()
        }
        ("one", [l]) => match l.as_list()? {
            [] => Some(Value::null(span)),
            [only] => Some(only.clone()),
            _ => None,
        },
        ("keys", [m]) => {
            let keys = m
                .as_map()?
                .iter()
                .map(|(k, _)| Value::string(k.name.clone(), k.span))
                .collect();
            Some(list(keys, span))
        }
        ("values", [m]) => Some(list(m.as_map()?.iter().map(|(_, v)| v.clone()).collect(), span)),
        ("contains", [l, value]) => {
            let items = l.as_list()?;
            let wanted = value.as_text()?;
            let mut found = false;
            for item in items {
                found |= item.as_text()? == wanted;
            }
            Some(Value::new(ValueKind::Bool(found), span))
        }
        ("min" | "max", numbers) if !numbers.is_empty() => {
            let values: Option<Vec<f64>> = numbers.iter().map(Value::as_f64).collect();
            let values = values?;
            let pick = if name == "min" { f64::min } else { f64::max };
            values.into_iter().reduce(pick).map(|n| number(n, span))
        }
        ("abs", [n]) => Some(number(n.as_f64()?.abs(), span)),
        ("ceil", [n]) => Some(number(n.as_f64()?.ceil(), span)),
        ("floor", [n]) => Some(number(n.as_f64()?.floor(), span)),
        ("zipmap", [keys, values]) => {
            let (keys, values) = (keys.as_list()?, values.as_list()?);
            if keys.len() != values.len() {
                return None;
            }
            let mut entries = Vec::new();
            for (k, v) in keys.iter().zip(values) {
                let key = Key {
                    name: k.as_text()?.into_owned(),
                    span: k.span,
                };
                entries.push((key, v.clone()));
            }
            Some(Value::new(ValueKind::Map(entries), span))
        }
        _ => None,
    }
}

/// A number value written the way Terraform prints it (`5`, not `5.0`).
pub(crate) fn number(n: f64, span: Span) -> Value {
    let text = if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    };
    Value::new(ValueKind::Number(text), span)
}

/// Whether a value has no unknown part (only such values can be rendered, e.g. as JSON).
pub(crate) fn is_known(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Unknown(_) | ValueKind::Choice { .. } => false,
        ValueKind::List(items) => items.iter().all(is_known),
        ValueKind::Map(entries) => entries.iter().all(|(_, v)| is_known(v)),
        _ => true,
    }
}

fn flatten(value: &Value, out: &mut Vec<Value>) -> Option<()> {
    match &value.kind {
        ValueKind::List(items) => {
            for item in items {
                flatten(item, out)?;
            }
            Some(())
        }
        ValueKind::Unknown(_) | ValueKind::Choice { .. } => None,
        _ => {
            out.push(value.clone());
            Some(())
        }
    }
}

/// `format` with the verbs that need no formatting options: `%s`, `%d`, `%v`, `%t`, `%q`, `%%`.
fn format(template: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'd' | 'v' | 't' => out.push_str(&args.next()?.as_text()?),
            'q' => out.push_str(&serde_json::to_string(args.next()?.as_str()?).ok()?),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Value {
        Value::string(t, Span::default())
    }

    #[test]
    fn known_arguments_are_evaluated() {
        let formatted = call("format", &[s("%s.amazonaws.com"), s("events")], Span::default());
        assert_eq!(
            formatted.as_ref().and_then(Value::as_str),
            Some("events.amazonaws.com")
        );
        let joined = call(
            "join",
            &[s("-"), list(vec![s("a"), s("b")], Span::default())],
            Span::default(),
        );
        assert_eq!(joined.as_ref().and_then(Value::as_str), Some("a-b"));
        let encoded = call(
            "jsonencode",
            &[list(vec![s("x")], Span::default())],
            Span::default(),
        );
        assert_eq!(encoded.as_ref().and_then(Value::as_str), Some(r#"["x"]"#));
    }

    #[test]
    fn unknown_arguments_are_not_guessed() {
        let unknown = Value::unknown("var.x", Vec::new(), Span::default());
        assert!(call("upper", std::slice::from_ref(&unknown), Span::default()).is_none());
        assert!(
            call(
                "jsonencode",
                &[list(vec![unknown.clone()], Span::default())],
                Span::default()
            )
            .is_none()
        );
        assert!(call("coalesce", &[unknown, s("b")], Span::default()).is_none());
        assert!(call("format", &[s("%5.2f"), s("1")], Span::default()).is_none());
    }
}
