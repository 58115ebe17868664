//! Static resolution of CloudFormation intrinsic functions.
//!
//! Whatever is knowable from the template alone is computed (`Ref` to parameters with defaults
//! and to some pseudo parameters, `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
//! `Fn::FindInMap`, `Fn::If` on decidable conditions); the rest becomes [`ValueKind::Unknown`]
//! carrying the expression and the resources it refers to. An undecidable `Fn::If` keeps both
//! branches as [`ValueKind::Choice`].

use std::cell::RefCell;
use std::collections::HashMap;

use warden_model::{Key, Span, Unknown, Value, ValueKind};

/// What a template declares that resolution needs.
pub struct Resolver<'t> {
    parameters: HashMap<&'t str, Option<&'t Value>>,
    conditions: HashMap<&'t str, &'t Value>,
    mappings: Option<&'t Value>,
    resources: HashMap<&'t str, &'t str>,
    decided: RefCell<HashMap<String, Option<bool>>>,
}

/// Pseudo parameters with one value in the standard partition; the others are unknown.
fn pseudo(name: &str) -> Option<Option<&'static str>> {
    match name {
        "AWS::Partition" => Some(Some("aws")),
        "AWS::URLSuffix" => Some(Some("amazonaws.com")),
        "AWS::AccountId" | "AWS::Region" | "AWS::StackName" | "AWS::StackId" | "AWS::NotificationARNs" => {
            Some(None)
        }
        _ => None,
    }
}

/// Deepest intrinsic nesting followed (conditions referring to conditions, and so on).
const MAX_DEPTH: usize = 64;

impl<'t> Resolver<'t> {
    pub fn new(root: &'t Value) -> Resolver<'t> {
        let entries = |name: &str| root.get(name).and_then(Value::as_map).unwrap_or_default();
        let parameters = entries("Parameters")
            .iter()
            .map(|(k, v)| (k.name.as_str(), v.get("Default")))
            .collect();
        let conditions = entries("Conditions")
            .iter()
            .map(|(k, v)| (k.name.as_str(), v))
            .collect();
        let resources = entries("Resources")
            .iter()
            .map(|(k, v)| {
                (
                    k.name.as_str(),
                    v.get("Type").and_then(Value::as_str).unwrap_or(""),
                )
            })
            .collect();
        Resolver {
            parameters,
            conditions,
            mappings: root.get("Mappings"),
            resources,
            decided: RefCell::new(HashMap::new()),
        }
    }

    /// The type of a resource declared in the template.
    pub fn resource_type(&self, logical_id: &str) -> Option<&'t str> {
        self.resources.get(logical_id).copied()
    }

    /// Resolve a value. `None` means `AWS::NoValue`: the property is absent.
    pub fn resolve(&self, value: &Value) -> Option<Value> {
        self.resolve_at(value, 0)
    }

    /// Resolve and treat `AWS::NoValue` as `Null`.
    pub fn resolve_or_null(&self, value: &Value) -> Value {
        self.resolve(value).unwrap_or_else(|| Value::null(value.span))
    }

    fn resolve_at(&self, value: &Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return Some(unknown(value, "expression nested too deeply", Vec::new()));
        }
        match &value.kind {
            ValueKind::Map(entries) => {
                if let [(key, arg)] = entries.as_slice()
                    && let Some(resolved) = self.intrinsic(&key.name, arg, value, depth)
                {
                    return resolved;
                }
                let resolved = entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), self.resolve_at(v, depth + 1)?)))
                    .collect();
                Some(Value::new(ValueKind::Map(resolved), value.span))
            }
            ValueKind::List(items) => {
                let resolved = items
                    .iter()
                    .filter_map(|v| self.resolve_at(v, depth + 1))
                    .collect();
                Some(Value::new(ValueKind::List(resolved), value.span))
            }
            _ => Some(value.clone()),
        }
    }

    /// `Some(result)` when `name` is an intrinsic function; `None` to treat the map as data.
    fn intrinsic(&self, name: &str, arg: &Value, whole: &Value, depth: usize) -> Option<Option<Value>> {
        let at = whole.span;
        let result = match name {
            "Ref" => match arg.as_str() {
                Some(target) => self.reference(target, at, depth),
                None => Some(unknown(whole, "!Ref with a non-string argument", Vec::new())),
            },
            "Fn::GetAtt" => Some(self.get_att(arg, whole, depth)),
            "Fn::Sub" => Some(self.sub(arg, whole, depth)),
            "Fn::Join" => Some(self.join(arg, whole, depth)),
            "Fn::Select" => self.select(arg, whole, depth),
            "Fn::Split" => Some(self.split(arg, whole, depth)),
            "Fn::If" => self.if_(arg, whole, depth),
            "Fn::FindInMap" => Some(self.find_in_map(arg, whole, depth)),
            "Fn::Base64" | "Fn::GetAZs" | "Fn::ImportValue" | "Fn::Cidr" | "Fn::Transform" | "Fn::Length"
            | "Fn::ToJsonString" | "Fn::ForEach" | "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                Some(unknown(whole, &render(whole), refs_in(arg)))
            }
            _ => return None,
        };
        Some(result.map(|mut v| {
            v.span = at;
            v
        }))
    }

    fn reference(&self, target: &str, at: Span, depth: usize) -> Option<Value> {
        if target == "AWS::NoValue" {
            return None;
        }
        if let Some(known) = pseudo(target) {
            return Some(match known {
                Some(text) => Value::string(text, at),
                None => Value::unknown(format!("${{{target}}}"), Vec::new(), at),
            });
        }
        if let Some(default) = self.parameters.get(target) {
            return Some(match default {
                Some(default) => self
                    .resolve_at(default, depth + 1)
                    .unwrap_or_else(|| Value::null(at)),
                None => Value::unknown(format!("!Ref {target}"), Vec::new(), at),
            });
        }
        // Also names the template does not declare: SAM generates resources (`FnRole`).
        let refs = vec![target.to_string()];
        Some(Value::unknown(format!("!Ref {target}"), refs, at))
    }

    fn get_att(&self, arg: &Value, whole: &Value, depth: usize) -> Value {
        let resolved = self.resolve_or_null_at(arg, depth);
        let target = match &resolved.kind {
            ValueKind::List(items) => items.first().and_then(Value::as_str).map(str::to_string),
            ValueKind::String(s) => s.split_once('.').map(|(r, _)| r.to_string()),
            _ => None,
        };
        let attribute = match &resolved.kind {
            ValueKind::List(items) => items.get(1).map(Value::display).unwrap_or_default(),
            ValueKind::String(s) => s.split_once('.').map(|(_, a)| a.to_string()).unwrap_or_default(),
            _ => String::new(),
        };
        let refs = target.iter().cloned().collect();
        let name = target.unwrap_or_default();
        Value::unknown(format!("!GetAtt {name}.{attribute}"), refs, whole.span)
    }

    fn resolve_or_null_at(&self, value: &Value, depth: usize) -> Value {
        self.resolve_at(value, depth + 1)
            .unwrap_or_else(|| Value::null(value.span))
    }

    fn sub(&self, arg: &Value, whole: &Value, depth: usize) -> Value {
        let (template, vars) = match &arg.kind {
            ValueKind::String(s) => (s.as_str(), None),
            ValueKind::List(items) => match items.as_slice() {
                [t, vars] if t.as_str().is_some() => (t.as_str().unwrap_or_default(), Some(vars)),
                [t] if t.as_str().is_some() => (t.as_str().unwrap_or_default(), None),
                _ => return unknown(whole, &render(whole), refs_in(arg)),
            },
            _ => return unknown(whole, &render(whole), refs_in(arg)),
        };
        let mut out = String::new();
        let mut known = true;
        let mut refs = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let var = vars
                .and_then(|v| v.get(name))
                .map(|v| self.resolve_or_null_at(v, depth));
            let value = var.or_else(|| {
                if let Some((resource, _)) = name.split_once('.') {
                    let refs = vec![resource.to_string()];
                    return Some(Value::unknown(format!("${{{name}}}"), refs, whole.span));
                }
                self.reference(name, whole.span, depth)
            });
            match value.as_ref().and_then(Value::as_text) {
                Some(text) => out.push_str(&text),
                None => {
                    known = false;
                    if let Some(u) = value.as_ref().and_then(Value::as_unknown) {
                        refs.extend(u.refs.iter().cloned());
                    }
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        out.push_str(rest);
        if known {
            Value::string(out, whole.span)
        } else {
            Value::unknown(out, refs, whole.span)
        }
    }

    fn join(&self, arg: &Value, whole: &Value, depth: usize) -> Value {
        let resolved = self.resolve_or_null_at(arg, depth);
        let Some([delimiter, list]) = resolved.as_list().and_then(|l| <&[Value; 2]>::try_from(l).ok()) else {
            return unknown(whole, &render(whole), refs_in(arg));
        };
        let (Some(delimiter), Some(items)) = (delimiter.as_text(), list.as_list()) else {
            return unknown(whole, &render(whole), refs_in(arg));
        };
        let mut known = true;
        let mut refs = Vec::new();
        let parts: Vec<String> = items
            .iter()
            .map(|item| match item.as_text() {
                Some(text) => text.into_owned(),
                None => {
                    known = false;
                    if let Some(u) = item.as_unknown() {
                        refs.extend(u.refs.iter().cloned());
                    }
                    format!("${{{}}}", item.display())
                }
            })
            .collect();
        let joined = parts.join(&delimiter);
        if known {
            Value::string(joined, whole.span)
        } else {
            Value::unknown(joined, refs, whole.span)
        }
    }

    fn select(&self, arg: &Value, whole: &Value, depth: usize) -> Option<Value> {
        let resolved = self.resolve_or_null_at(arg, depth);
        let items = resolved.as_list().unwrap_or_default();
        if let [index, list] = items
            && let (Some(index), Some(list)) = (index.as_f64(), list.as_list())
            && index >= 0.0
            && index.fract() == 0.0
            && let Some(item) = list.get(index as usize)
        {
            return Some(item.clone());
        }
        Some(unknown(whole, &render(whole), refs_in(arg)))
    }

    fn split(&self, arg: &Value, whole: &Value, depth: usize) -> Value {
        let resolved = self.resolve_or_null_at(arg, depth);
        if let Some([delimiter, source]) = resolved.as_list().and_then(|l| <&[Value; 2]>::try_from(l).ok())
            && let (Some(d), Some(s)) = (delimiter.as_str(), source.as_str())
            && !d.is_empty()
        {
            let items = s.split(d).map(|part| Value::string(part, whole.span)).collect();
            return Value::new(ValueKind::List(items), whole.span);
        }
        unknown(whole, &render(whole), refs_in(arg))
    }

    fn if_(&self, arg: &Value, whole: &Value, depth: usize) -> Option<Value> {
        let Some([condition, when_true, when_false]) =
            arg.as_list().and_then(|l| <&[Value; 3]>::try_from(l).ok())
        else {
            return Some(unknown(whole, &render(whole), refs_in(arg)));
        };
        let name = condition.as_str().unwrap_or_default();
        match self.condition(name, depth) {
            Some(true) => self.resolve_at(when_true, depth + 1),
            Some(false) => self.resolve_at(when_false, depth + 1),
            None => {
                let a = self.resolve_at(when_true, depth + 1);
                let b = self.resolve_at(when_false, depth + 1);
                match (a, b) {
                    (None, None) => None,
                    (a, b) => Some(Value::new(
                        ValueKind::Choice {
                            condition: name.to_string(),
                            when_true: Box::new(a.unwrap_or_else(|| Value::null(when_true.span))),
                            when_false: Box::new(b.unwrap_or_else(|| Value::null(when_false.span))),
                        },
                        whole.span,
                    )),
                }
            }
        }
    }

    fn find_in_map(&self, arg: &Value, whole: &Value, depth: usize) -> Value {
        let resolved = self.resolve_or_null_at(arg, depth);
        let items = resolved.as_list().unwrap_or_default();
        let keys: Vec<Option<std::borrow::Cow<'_, str>>> = items.iter().take(3).map(Value::as_text).collect();
        if let [Some(map), Some(top), Some(second)] = keys.as_slice() {
            let found = self
                .mappings
                .and_then(|m| m.get(map))
                .and_then(|m| m.get(top))
                .and_then(|m| m.get(second));
            if let Some(found) = found {
                return self.resolve_or_null_at(found, depth);
            }
        }
        // `Fn::FindInMap` with a `DefaultValue` (AWS::LanguageExtensions).
        if let Some(default) = items.get(3).and_then(|o| o.get("DefaultValue")) {
            return default.clone();
        }
        unknown(whole, &render(whole), refs_in(arg))
    }

    /// Decide a named condition: `Some(b)` when the template alone decides it.
    pub fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        if let Some(known) = self.decided.borrow().get(name) {
            return *known;
        }
        // Guard against cycles: an undecided placeholder while evaluating.
        self.decided.borrow_mut().insert(name.to_string(), None);
        let result = self
            .conditions
            .get(name)
            .and_then(|expr| self.eval_condition(expr, depth + 1));
        self.decided.borrow_mut().insert(name.to_string(), result);
        result
    }

    fn eval_condition(&self, expr: &Value, depth: usize) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        let [(key, arg)] = expr.as_map()? else { return None };
        match key.name.as_str() {
            "Condition" => self.condition(arg.as_str()?, depth + 1),
            "Fn::Equals" => {
                let [a, b] = arg.as_list()? else { return None };
                let a = self.resolve_at(a, depth + 1)?;
                let b = self.resolve_at(b, depth + 1)?;
                match (a.as_text(), b.as_text()) {
                    (Some(a), Some(b)) => Some(a == b),
                    _ => None,
                }
            }
            "Fn::Not" => {
                let [inner] = arg.as_list()? else { return None };
                self.eval_condition(inner, depth + 1).map(|b| !b)
            }
            "Fn::And" | "Fn::Or" => {
                let is_and = key.name == "Fn::And";
                let mut undecided = false;
                for item in arg.as_list()? {
                    match self.eval_condition(item, depth + 1) {
                        Some(b) if b != is_and => return Some(b),
                        Some(_) => {}
                        None => undecided = true,
                    }
                }
                if undecided { None } else { Some(is_and) }
            }
            _ => None,
        }
    }
}

fn unknown(whole: &Value, expr: &str, refs: Vec<String>) -> Value {
    Value::new(
        ValueKind::Unknown(Unknown {
            expr: expr.to_string(),
            refs,
        }),
        whole.span,
    )
}

/// A compact rendering of an unresolved intrinsic for messages.
fn render(value: &Value) -> String {
    match value.as_map() {
        Some([(Key { name, .. }, arg)]) => {
            let short = name.strip_prefix("Fn::").unwrap_or(name);
            format!("!{short} {}", arg.to_json())
        }
        _ => value.to_json().to_string(),
    }
}

/// Logical ids referred to anywhere inside an expression.
fn refs_in(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_refs(value, &mut out);
    out
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match &value.kind {
        ValueKind::Map(entries) => {
            if let [(key, arg)] = entries.as_slice() {
                match (key.name.as_str(), &arg.kind) {
                    ("Ref", ValueKind::String(s)) if !s.starts_with("AWS::") => out.push(s.clone()),
                    ("Fn::GetAtt", ValueKind::List(items)) => {
                        out.extend(items.first().and_then(Value::as_str).map(str::to_string))
                    }
                    _ => {}
                }
            }
            entries.iter().for_each(|(_, v)| collect_refs(v, out));
        }
        ValueKind::List(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::parse;

    fn resolve(template: &str, expr: &str) -> Value {
        let root = parse(template).unwrap();
        let expr = parse(expr).unwrap();
        Resolver::new(&root).resolve_or_null(&expr)
    }

    const TEMPLATE: &str = "
Parameters:
  Env: {Type: String, Default: prod}
  Bucket: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  HasBucket: !Not [!Equals [!Ref Bucket, '']]
Mappings:
  Sizes: {prod: {Memory: 1024}}
Resources:
  Queue: {Type: AWS::SQS::Queue}
";

    #[test]
    fn ref_to_parameter_default_and_pseudo() {
        assert_eq!(resolve(TEMPLATE, "!Ref Env").as_str(), Some("prod"));
        assert_eq!(resolve(TEMPLATE, "!Ref AWS::Partition").as_str(), Some("aws"));
        assert!(resolve(TEMPLATE, "!Ref Bucket").is_unknown());
        let queue = resolve(TEMPLATE, "!Ref Queue");
        assert_eq!(
            queue.as_unknown().map(|u| u.refs.clone()),
            Some(vec!["Queue".to_string()])
        );
    }

    #[test]
    fn sub_resolves_known_parts_and_keeps_the_rest() {
        assert_eq!(
            resolve(TEMPLATE, "!Sub 'arn:${AWS::Partition}:x:::${Env}'").as_str(),
            Some("arn:aws:x:::prod")
        );
        let partial = resolve(
            TEMPLATE,
            "!Sub 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}'",
        );
        let u = partial.as_unknown().unwrap();
        assert_eq!(
            u.expr,
            "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}"
        );
        assert_eq!(u.refs, vec!["Queue".to_string()]);
        assert_eq!(
            resolve(TEMPLATE, "!Sub ['${a}-${!b}', {a: !Ref Env}]").as_str(),
            Some("prod-${b}")
        );
    }

    #[test]
    fn join_select_split_find_in_map() {
        assert_eq!(
            resolve(TEMPLATE, "!Join ['-', [a, !Ref Env]]").as_str(),
            Some("a-prod")
        );
        assert_eq!(resolve(TEMPLATE, "!Select [1, [a, b, c]]").as_str(), Some("b"));
        assert_eq!(
            resolve(TEMPLATE, "!Select [1, !Split [',', 'x,y']]").as_str(),
            Some("y")
        );
        assert_eq!(
            resolve(TEMPLATE, "!FindInMap [Sizes, !Ref Env, Memory]").as_f64(),
            Some(1024.0)
        );
    }

    #[test]
    fn if_decided_and_undecided() {
        assert_eq!(resolve(TEMPLATE, "!If [IsProd, a, b]").as_str(), Some("a"));
        assert_eq!(resolve(TEMPLATE, "!If [IsDev, a, b]").as_str(), Some("b"));
        let choice = resolve(TEMPLATE, "!If [HasBucket, a, b]");
        assert_eq!(choice.strings(), vec!["a", "b"]);
    }

    #[test]
    fn no_value_removes_the_property() {
        let v = resolve(
            TEMPLATE,
            "{A: !Ref AWS::NoValue, B: 1, C: !If [IsProd, !Ref AWS::NoValue, 2]}",
        );
        assert!(v.get("A").is_none() && v.get("C").is_none());
        assert!(v.get("B").is_some());
    }

    #[test]
    fn get_att_refers_to_the_resource() {
        let v = resolve(TEMPLATE, "!GetAtt Queue.Arn");
        assert_eq!(
            v.as_unknown().map(|u| (u.expr.clone(), u.refs.clone())),
            Some(("!GetAtt Queue.Arn".into(), vec!["Queue".into()]))
        );
    }

    #[test]
    fn cyclic_conditions_do_not_hang() {
        let t = "Conditions:\n  A: !Condition B\n  B: !Condition A\n";
        assert_eq!(resolve(t, "!If [A, x, y]").strings(), vec!["x", "y"]);
    }
}
