//! Small constructors for the CloudFormation values the compiler writes: every node carries the
//! span of the `serverless.yml` text it stands for, so findings on generated resources point at
//! what the user wrote.

use warden_model::{Key, Span, Value, ValueKind};

/// A mapping under construction; `None` values are left out, as the framework leaves out
/// `undefined` properties.
pub(crate) struct Obj {
    entries: Vec<(Key, Value)>,
    span: Span,
}

impl Obj {
    pub fn new(span: Span) -> Obj {
        Obj {
            entries: Vec::new(),
            span,
        }
    }

    pub fn set(mut self, name: &str, value: Value) -> Obj {
        self.put(name, value);
        self
    }

    pub fn opt(mut self, name: &str, value: Option<Value>) -> Obj {
        if let Some(value) = value {
            self.put(name, value);
        }
        self
    }

    /// Set `name`, replacing an earlier value.
    pub fn put(&mut self, name: &str, value: Value) {
        let key = Key {
            name: name.to_string(),
            span: value.span.or(self.span),
        };
        match self.entries.iter_mut().find(|(k, _)| k.name == name) {
            Some(entry) => *entry = (key, value),
            None => self.entries.push((key, value)),
        }
    }

    pub fn build(self) -> Value {
        Value::new(ValueKind::Map(self.entries), self.span)
    }
}

pub(crate) fn text(s: impl Into<String>, span: Span) -> Value {
    Value::string(s, span)
}

pub(crate) fn list(items: Vec<Value>, span: Span) -> Value {
    Value::new(ValueKind::List(items), span)
}

/// `{"Fn::GetAtt": [logical, attribute]}`.
pub(crate) fn get_att(logical: &str, attribute: &str, span: Span) -> Value {
    Obj::new(span)
        .set(
            "Fn::GetAtt",
            list(vec![text(logical, span), text(attribute, span)], span),
        )
        .build()
}

/// `{"Ref": logical}`.
pub(crate) fn reference(logical: &str, span: Span) -> Value {
    Obj::new(span).set("Ref", text(logical, span)).build()
}

/// `{"Fn::Join": ["", parts]}`.
pub(crate) fn concat(parts: Vec<Value>, span: Span) -> Value {
    join("", parts, span)
}

/// `{"Fn::Join": [separator, parts]}`.
pub(crate) fn join(separator: &str, parts: Vec<Value>, span: Span) -> Value {
    Obj::new(span)
        .set(
            "Fn::Join",
            list(vec![text(separator, span), list(parts, span)], span),
        )
        .build()
}

/// `{"Fn::Sub": template}`.
pub(crate) fn sub(template: impl Into<String>, span: Span) -> Value {
    Obj::new(span).set("Fn::Sub", text(template, span)).build()
}

/// A one-statement-per-entry IAM policy document.
pub(crate) fn statement(effect: &str, actions: &[&str], resources: Vec<Value>, span: Span) -> Value {
    let actions = actions.iter().map(|a| text(*a, span)).collect();
    Obj::new(span)
        .set("Effect", text(effect, span))
        .set("Action", list(actions, span))
        .set("Resource", list(resources, span))
        .build()
}

/// The key and value of `name` in a mapping (keys carry their own spans).
pub(crate) fn entry<'v>(map: &'v Value, name: &str) -> Option<(&'v Key, &'v Value)> {
    map.as_map()?
        .iter()
        .find(|(k, _)| k.name == name)
        .map(|(k, v)| (k, v))
}

/// A value that is set: present and not `null`.
pub(crate) fn set<'v>(map: &'v Value, name: &str) -> Option<&'v Value> {
    map.get(name).filter(|v| !v.is_null())
}

/// A nested value that is set: `at(v, &["iam", "role", "statements"])`.
pub(crate) fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut current = value;
    for name in path {
        current = set(current, name)?;
    }
    Some(current)
}

/// Whether a value is "truthy" the way the framework's JavaScript tests it: set, not `false`,
/// not `0`, not an empty string.
pub(crate) fn truthy(value: Option<&Value>) -> bool {
    match value.map(|v| &v.kind) {
        None | Some(ValueKind::Null) => false,
        Some(ValueKind::Bool(b)) => *b,
        Some(ValueKind::String(s)) => !s.is_empty(),
        Some(ValueKind::Number(n)) => n.trim().parse::<f64>().is_ok_and(|n| n != 0.0),
        Some(_) => true,
    }
}

/// Deep merge as the framework merges `resources:` into what it generated: mappings merge key
/// by key, anything else is replaced by the user's value.
pub(crate) fn merge(generated: &Value, user: &Value) -> Value {
    match (&generated.kind, &user.kind) {
        (ValueKind::Map(g), ValueKind::Map(u)) => {
            let mut entries: Vec<(Key, Value)> = Vec::with_capacity(g.len() + u.len());
            for (key, gv) in g {
                match u.iter().find(|(k, _)| k.name == key.name) {
                    Some((uk, uv)) => entries.push((uk.clone(), merge(gv, uv))),
                    None => entries.push((key.clone(), gv.clone())),
                }
            }
            for (key, uv) in u {
                if !g.iter().any(|(k, _)| k.name == key.name) {
                    entries.push((key.clone(), uv.clone()));
                }
            }
            Value::new(ValueKind::Map(entries), user.span)
        }
        _ => user.clone(),
    }
}
