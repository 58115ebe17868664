//! Serverless Framework variables, resolved statically.
//!
//! `${self:path}` is read from the document itself (nested paths, list indexes, variables in
//! the address such as `${self:custom.${sls:stage}}`), `${param:name}` from `params`,
//! `${sls:stage}` is the stage the service is loaded for; `${opt:...}` and `${env:...}` take
//! their fallback (`${opt:stage, 'dev'}`) when one is written. Everything only known at deploy
//! time (`${ssm:...}`, `${aws:...}`, `${file(...)}`, `${cf:...}`, `${s3:...}`, other sources)
//! stays an unknown value that keeps the expression, so a reference is never mistaken for a
//! literal (a secret, an ARN). In a longer string the known variables are substituted and the
//! rest kept, as `!Sub` is resolved by the CloudFormation loader. CloudFormation's own
//! `${AWS::Region}` and `${Resource.Attribute}` are not variables and are left as written.

use std::collections::HashMap;
use std::sync::Arc;

use warden_model::{Diagnostic, Origin, Span, Value, ValueKind};

/// Deepest chain of variables followed (a variable whose value holds a variable, ...).
const MAX_DEPTH: usize = 16;
/// Most variable look-ups in one file.
const MAX_LOOKUPS: usize = 20_000;
/// Most nodes variables may expand to in one file, and the longest string they may build
/// (guards against exponential expansion, as of `a: ${self:b}${self:b}`, `b: ...`).
const MAX_EXPANDED_NODES: usize = 200_000;
const MAX_TEXT: usize = 64 * 1024;

/// Sources whose value exists only at deploy time: kept as references.
const EXTERNAL_SOURCES: &[&str] = &["ssm", "aws", "file", "cf", "s3", "git", "strToBool", "sls"];

pub(crate) struct Variables<'d> {
    root: &'d Value,
    path: Arc<str>,
    /// `self:` addresses already resolved.
    memo: HashMap<String, Option<Value>>,
    /// `self:` addresses being resolved, to detect cycles.
    active: Vec<String>,
    lookups: usize,
    /// Nodes produced by variables so far.
    expanded: usize,
    /// Whether the expansion limit was reported.
    limit_noted: bool,
    /// The stage `${sls:stage}` and `${param:...}` are resolved for; `None` when unknown.
    stage: Option<Option<String>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One `${...}` as written: its source, address and fallbacks.
struct Reference<'s> {
    /// `self`, `opt`, `file`, ... (an argument such as `./config.yml` in
    /// `${file(./config.yml):key}` is not needed: such sources are not read).
    source: &'s str,
    address: &'s str,
    fallbacks: Vec<&'s str>,
}

impl<'d> Variables<'d> {
    pub fn new(root: &'d Value, path: &Arc<str>) -> Variables<'d> {
        Variables {
            root,
            path: path.clone(),
            memo: HashMap::new(),
            active: Vec::new(),
            lookups: 0,
            expanded: 0,
            limit_noted: false,
            stage: None,
            diagnostics: Vec::new(),
        }
    }

    /// The whole document with every variable resolved as far as it can be.
    pub fn resolve_document(&mut self) -> Value {
        let root = self.root;
        self.resolve(root, 0)
    }

    /// The stage: `provider.stage` when it resolves to text, `dev` when it is not set (the
    /// framework's default), `None` when it is written but not known (`${opt:stage}`).
    pub fn stage(&mut self) -> Option<String> {
        if let Some(stage) = &self.stage {
            return stage.clone();
        }
        // A placeholder while resolving, so that `stage: ${sls:stage}` ends.
        self.stage = Some(None);
        let stage = match self.lookup_self("provider.stage", Span::default(), 0) {
            Lookup::Found(value) => value.as_text().map(|t| t.into_owned()),
            Lookup::Missing => Some("dev".to_string()),
            Lookup::Unknown => None,
        };
        self.stage = Some(stage.clone());
        stage
    }

    fn resolve(&mut self, value: &Value, depth: usize) -> Value {
        match &value.kind {
            ValueKind::String(s) if s.contains("${") => self.resolve_string(s, value.span, depth),
            ValueKind::Map(entries) => Value::new(
                ValueKind::Map(
                    entries
                        .iter()
                        .map(|(k, v)| (k.clone(), self.resolve(v, depth)))
                        .collect(),
                ),
                value.span,
            ),
            ValueKind::List(items) => Value::new(
                ValueKind::List(items.iter().map(|v| self.resolve(v, depth)).collect()),
                value.span,
            ),
            _ => value.clone(),
        }
    }

    /// A string with variables: a string that is one variable becomes the variable's value (of
    /// any type); variables inside a longer string are substituted as text.
    fn resolve_string(&mut self, s: &str, span: Span, depth: usize) -> Value {
        let pieces = split_variables(s);
        if let [Piece::Variable(content)] = pieces.as_slice()
            && is_variable(content)
        {
            return match self.variable(content, span, depth) {
                Lookup::Found(mut value) => {
                    value.span = span;
                    value
                }
                Lookup::Missing | Lookup::Unknown => Value::unknown(s, Vec::new(), span),
            };
        }
        let mut out = String::new();
        let mut known = true;
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Variable(content) if !is_variable(content) => {
                    self.warn_lookalike(content, span);
                    out.push_str("${");
                    out.push_str(content);
                    out.push('}');
                }
                Piece::Variable(content) => {
                    let resolved = match self.variable(content, span, depth) {
                        Lookup::Found(value) => match value.as_text() {
                            Some(text) => Some(text.into_owned()),
                            None => {
                                if !value.is_unknown() {
                                    self.note(
                                        span,
                                        format!(
                                            "`${{{content}}}` is not a string, number or boolean and cannot be part of a string"
                                        ),
                                    );
                                }
                                None
                            }
                        },
                        Lookup::Missing | Lookup::Unknown => None,
                    };
                    match resolved {
                        Some(text) => out.push_str(&text),
                        None => {
                            known = false;
                            out.push_str("${");
                            out.push_str(content);
                            out.push('}');
                        }
                    }
                }
            }
        }
        if out.len() > MAX_TEXT {
            self.limit(span);
            return Value::unknown(s, Vec::new(), span);
        }
        if known {
            Value::string(out, span)
        } else {
            Value::unknown(out, Vec::new(), span)
        }
    }

    /// Report once that variables expand beyond the limits; what exceeds them stays unknown.
    fn limit(&mut self, span: Span) {
        if !self.limit_noted {
            self.limit_noted = true;
            self.note(
                span,
                format!(
                    "variables expand to more than {MAX_EXPANDED_NODES} values or {MAX_TEXT} characters; the excess is not resolved"
                ),
            );
        }
    }

    /// Resolve the content of one `${...}`, with its fallbacks.
    fn variable(&mut self, content: &str, span: Span, depth: usize) -> Lookup {
        if depth > 2 * MAX_DEPTH || self.active.len() > MAX_DEPTH {
            self.note(
                span,
                format!(
                    "`${{{content}}}` nests variables more than {MAX_DEPTH} deep; its value is not resolved"
                ),
            );
            return Lookup::Unknown;
        }
        self.lookups += 1;
        if self.lookups == MAX_LOOKUPS {
            self.note(
                span,
                format!("more than {MAX_LOOKUPS} variable look-ups; further variables are not resolved"),
            );
        }
        if self.lookups >= MAX_LOOKUPS {
            return Lookup::Unknown;
        }
        let Some(reference) = parse_reference(content) else {
            self.note(span, format!("`${{{content}}}` is not a valid variable"));
            return Lookup::Unknown;
        };
        // Variables inside the address (`${self:custom.${sls:stage}.size}`) are resolved first.
        let address = if reference.address.contains("${") {
            let resolved = self.resolve_string(reference.address, span, depth + 1);
            match resolved.as_text() {
                Some(text) => text.into_owned(),
                None => return Lookup::Unknown,
            }
        } else {
            reference.address.trim().to_string()
        };
        let primary = match reference.source {
            "self" => self.lookup_self(&address, span, depth + 1),
            "opt" | "env" => Lookup::Missing,
            "sls" if address == "stage" => match self.stage() {
                Some(stage) => Lookup::Found(Value::string(stage, span)),
                None => Lookup::Unknown,
            },
            "param" => self.param(&address, span, depth),
            source if EXTERNAL_SOURCES.contains(&source) => {
                return Lookup::Unknown;
            }
            source => {
                self.note(
                    span,
                    format!(
                        "`${{{content}}}` uses the variable source `{source}`, which Warden does not know (a plugin's?); its value is not resolved"
                    ),
                );
                return Lookup::Unknown;
            }
        };
        if !matches!(primary, Lookup::Missing) {
            return primary;
        }
        for fallback in &reference.fallbacks {
            match self.fallback(fallback, span, depth) {
                Lookup::Missing => continue,
                found => return found,
            }
        }
        match reference.source {
            "self" => {
                self.note(
                    span,
                    format!("`${{{content}}}` refers to `{address}`, which the file does not set; its value is not known"),
                );
                Lookup::Unknown
            }
            "param" => {
                self.note(
                    span,
                    format!("`${{{content}}}`: parameter `{address}` is not set in `params`; its value is not known"),
                );
                Lookup::Unknown
            }
            // Given on the command line or by the environment at deploy time.
            _ => Lookup::Unknown,
        }
    }

    /// One fallback: a quoted string, a number, a boolean, `null`, another variable written as
    /// `${...}` or bare (`self:provider.stage`), or a bare word (taken literally).
    fn fallback(&mut self, text: &str, span: Span, depth: usize) -> Lookup {
        let text = text.trim();
        if let Some(inner) = quoted(text) {
            return Lookup::Found(Value::string(inner, span));
        }
        if let Some(content) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
            return self.variable(content, span, depth + 1);
        }
        if is_variable(text) {
            return self.variable(text, span, depth + 1);
        }
        let kind = match text {
            "true" => ValueKind::Bool(true),
            "false" => ValueKind::Bool(false),
            "null" => return Lookup::Missing,
            _ if text.parse::<f64>().is_ok() => ValueKind::Number(text.to_string()),
            _ => ValueKind::String(text.to_string()),
        };
        Lookup::Found(Value::new(kind, span))
    }

    /// `${param:name}`: the stage's parameter, then the default one, from `params` (v3) or
    /// `stages.<stage>.params` (v4).
    fn param(&mut self, name: &str, span: Span, depth: usize) -> Lookup {
        let mut places = Vec::new();
        if let Some(stage) = self.stage() {
            places.push(format!("params.{stage}.{name}"));
            places.push(format!("stages.{stage}.params.{name}"));
        }
        places.push(format!("params.default.{name}"));
        places.push(format!("stages.default.params.{name}"));
        for place in places {
            match self.lookup_self(&place, span, depth + 1) {
                Lookup::Missing => {}
                found => return found,
            }
        }
        Lookup::Missing
    }

    /// A value of the document by its dotted path, resolved itself.
    fn lookup_self(&mut self, address: &str, span: Span, depth: usize) -> Lookup {
        if let Some(known) = self.memo.get(address) {
            return match known {
                Some(value) => {
                    let value = value.clone();
                    self.expand(value, span)
                }
                None => Lookup::Missing,
            };
        }
        if self.active.iter().any(|a| a == address) {
            let mut chain: Vec<&str> = self.active.iter().map(String::as_str).collect();
            chain.push(address);
            self.note(
                span,
                format!(
                    "variables refer to each other in a cycle ({}); their values are not known",
                    chain.join(" -> ")
                ),
            );
            return Lookup::Unknown;
        }
        let Some(found) = find(self.root, address) else {
            self.memo.insert(address.to_string(), None);
            return Lookup::Missing;
        };
        self.active.push(address.to_string());
        let resolved = self.resolve(found, depth + 1);
        self.active.pop();
        self.memo.insert(address.to_string(), Some(resolved.clone()));
        // An unknown value is still set (no fallback applies) and keeps its own expression,
        // so `${self:custom.password}` reads as the `${ssm:...}` it is.
        self.expand(resolved, span)
    }

    /// Hand out a copy of a resolved value, within the expansion budget.
    fn expand(&mut self, value: Value, span: Span) -> Lookup {
        self.expanded = self
            .expanded
            .saturating_add(count_nodes(&value, MAX_EXPANDED_NODES + 1));
        if self.expanded > MAX_EXPANDED_NODES {
            self.limit(span);
            return Lookup::Unknown;
        }
        Lookup::Found(value)
    }

    /// `${self.custom.x}` (a dot for the colon) is not a variable to the framework either, and
    /// is almost always a typo.
    fn warn_lookalike(&mut self, content: &str, span: Span) {
        let source: String = content.chars().take_while(char::is_ascii_alphanumeric).collect();
        if content[source.len()..].starts_with('.')
            && ["self", "opt", "env", "sls", "ssm", "param", "aws"].contains(&source.as_str())
        {
            self.diagnostics.push(Diagnostic::warning(
                "variable-syntax",
                Some(Origin::file(&self.path, span)),
                format!(
                    "`${{{content}}}` is not a Serverless variable (did you mean `${{{source}:{}}}`?); it is kept as written",
                    &content[source.len() + 1..]
                ),
            ));
        }
    }

    fn note(&mut self, span: Span, message: String) {
        self.diagnostics.push(Diagnostic::note(
            "unresolved",
            Some(Origin::file(&self.path, span)),
            message,
        ));
    }
}

enum Lookup {
    Found(Value),
    /// Not set: fallbacks apply.
    Missing,
    /// Set, but not known before deployment.
    Unknown,
}

enum Piece<'s> {
    Text(&'s str),
    /// The content between `${` and its matching `}`.
    Variable(&'s str),
}

/// Split a string into text and `${...}` pieces; nested `${...}` stay inside their variable.
/// An unterminated `${` is text.
fn split_variables(s: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        let Some(end) = matching_brace(&rest[start + 2..]) else {
            break;
        };
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        pieces.push(Piece::Variable(&rest[start + 2..start + 2 + end]));
        rest = &rest[start + 2 + end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// The byte index of the `}` closing a `${` whose content starts `s`, skipping nested `${...}`
/// and quoted fallbacks.
fn matching_brace(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    depth += 1;
                    i += 1;
                }
                b'}' if depth == 0 => return Some(i),
                b'}' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Whether `${content}` is a Serverless variable: a source name followed by `:` (not `::`, which
/// is CloudFormation's `AWS::Region`) or by `(` (`file(...)`).
fn is_variable(content: &str) -> bool {
    let content = content.trim_start();
    let source_len = content
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(content.len());
    if source_len == 0 {
        return false;
    }
    let rest = &content[source_len..];
    (rest.starts_with(':') && !rest.starts_with("::")) || rest.starts_with('(')
}

/// `source(argument):address, fallback, ...`.
fn parse_reference(content: &str) -> Option<Reference<'_>> {
    let parts = split_top_level(content);
    let (first, fallbacks) = parts.split_first()?;
    let first = first.trim();
    let source_len = first
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(first.len());
    let source = &first[..source_len];
    let rest = &first[source_len..];
    let address = if let Some(after) = rest.strip_prefix('(') {
        let close = after.find(')')?;
        after[close + 1..]
            .strip_prefix(':')
            .unwrap_or(&after[close + 1..])
    } else {
        rest.strip_prefix(':')?
    };
    if source.is_empty() {
        return None;
    }
    Some(Reference {
        source,
        address,
        fallbacks: fallbacks.to_vec(),
    })
}

/// Split at commas outside quotes, parentheses and nested `${...}`.
fn split_top_level(content: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let bytes = content.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'{' | b'(' => depth += 1,
                b'}' | b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => {
                    parts.push(&content[start..i]);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    parts.push(&content[start..]);
    parts
}

fn quoted(text: &str) -> Option<&str> {
    ['\'', '"'].into_iter().find_map(|q| {
        text.strip_prefix(q)
            .and_then(|t| t.strip_suffix(q))
            .filter(|_| text.len() >= 2)
    })
}

/// The number of nodes of a value, counting no further than `limit`.
fn count_nodes(value: &Value, limit: usize) -> usize {
    let mut count = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        if count >= limit {
            break;
        }
        match &v.kind {
            ValueKind::List(items) => stack.extend(items),
            ValueKind::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    count
}

/// The node at a dotted path (`custom.sizes.0`), or `None` when it is not set.
fn find<'v>(root: &'v Value, address: &str) -> Option<&'v Value> {
    if address.is_empty() {
        return Some(root);
    }
    let mut current = root;
    for part in address.split('.') {
        current = match &current.kind {
            ValueKind::Map(_) => current.get(part)?,
            ValueKind::List(items) => items.get(part.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    (!current.is_null()).then_some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(doc: &str, path: &[&str]) -> Value {
        let root = warden_cfn::tree::parse(doc).unwrap();
        let name: Arc<str> = Arc::from("serverless.yml");
        let mut vars = Variables::new(&root, &name);
        let mut value = vars.resolve_document();
        for p in path {
            value = value.get(p).cloned().unwrap();
        }
        value
    }

    #[test]
    fn is_variable_tells_serverless_from_cloudformation() {
        assert!(is_variable("self:custom.x"));
        assert!(is_variable("file(./a.yml):b"));
        assert!(!is_variable("AWS::Region"));
        assert!(!is_variable("Queue.Arn"));
        assert!(!is_variable("!Literal"));
        assert!(!is_variable("self.custom.x"));
    }

    #[test]
    fn references_parse_with_arguments_and_fallbacks() {
        let r = parse_reference("ssm(us-east-1):/a/b, 'x, y', ${opt:z}").unwrap();
        assert_eq!((r.source, r.address), ("ssm", "/a/b"));
        assert_eq!(r.fallbacks, vec![" 'x, y'", " ${opt:z}"]);
    }

    #[test]
    fn nested_addresses_and_fallback_chains() {
        let doc = "provider: {stage: '${opt:stage, ''prod''}'}\ncustom:\n  prod: {size: 512}\n  a: ${self:custom.${sls:stage}.size}\n  b: ${opt:x, self:custom.prod.size}\n  c: ${env:NOPE, ${self:custom.missing, 'last'}}\n";
        assert_eq!(resolved(doc, &["custom", "a"]).as_f64(), Some(512.0));
        assert_eq!(resolved(doc, &["custom", "b"]).as_f64(), Some(512.0));
        assert_eq!(resolved(doc, &["custom", "c"]).as_str(), Some("last"));
    }
}
