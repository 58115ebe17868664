//! Static evaluation of Terraform expressions: literals, templates, operators and conditionals
//! on known operands, and function calls ([`functions`], `file`, `templatefile`); references
//! (`var.x`, `local.x`, `module.m.out`, ...) are resolved in [`reference`](super::reference).
//! What cannot be known stays [`ValueKind::Unknown`] with the expression as written and the
//! addresses it refers to; a condition that cannot be decided keeps both branches
//! ([`ValueKind::Choice`]), as the model does for CloudFormation's `!If`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use hcl_edit::Decorated;
use hcl_edit::expr::{
    BinaryOp, BinaryOperator, Conditional, Expression, FuncCall, ObjectKey, UnaryOp, UnaryOperator,
};
use hcl_edit::template::{Element, Template};
use warden_model::{Diagnostic, Key, Origin, Span, Value, ValueKind};

use super::functions::{self, is_known, is_terraform_function, number};
use super::index::{Call, ModuleIndex, index};
use super::reference::{Slot, Symbol};
use super::source::{Disk, ModuleSource};
use crate::json::{Part, join_parts, part};
use crate::resource::{collect_refs, list, respan};
use crate::text::SourceText;

/// Deepest evaluation (nested expressions and chains of variables and locals).
pub(crate) const MAX_DEPTH: usize = 96;

/// Where an expression is evaluated.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub module: usize,
    pub file: usize,
    /// The text the expression was parsed from (for spans and for how unknowns read).
    pub src: &'a SourceText,
    /// The variables of a `templatefile` template.
    pub template_vars: Option<&'a [(Key, Value)]>,
    /// For text parsed from another file (a template): everything points here.
    pub fixed_span: Option<Span>,
}

impl Ctx<'_> {
    /// Where a node is, as findings show it.
    pub fn span_of(&self, node: &dyn hcl_edit::Span) -> Span {
        if let Some(span) = self.fixed_span {
            return span;
        }
        node.span().map(|r| self.src.span(r)).unwrap_or_default()
    }

    /// How an expression reads in the source (what unknown values show).
    pub fn text_of(&self, node: &dyn hcl_edit::Span) -> String {
        node.span()
            .map(|r| self.src.slice(r).trim().to_string())
            .unwrap_or_default()
    }
}

/// The configuration: every module instance, indexed, and the evaluator over them.
pub(crate) struct Config<'s> {
    pub sources: &'s [ModuleSource],
    pub modules: Vec<ModuleIndex<'s>>,
    pub disk: &'s dyn Disk,
    pub(super) cache: RefCell<HashMap<(usize, Symbol, String), Slot>>,
    notes: RefCell<Vec<Diagnostic>>,
}

impl<'s> Config<'s> {
    pub fn new(sources: &'s [ModuleSource], disk: &'s dyn Disk) -> Config<'s> {
        let modules = (0..sources.len()).map(|i| index(sources, i)).collect();
        Config {
            sources,
            modules,
            disk,
            cache: RefCell::new(HashMap::new()),
            notes: RefCell::new(Vec::new()),
        }
    }

    pub fn ctx(&self, module: usize, file: usize) -> Ctx<'s> {
        let src = &self.sources[module].files[file].src;
        Ctx {
            module,
            file,
            src,
            template_vars: None,
            fixed_span: None,
        }
    }

    /// The file an evaluation context belongs to (a template's caller for templates).
    pub fn path(&self, ctx: &Ctx<'_>) -> &std::sync::Arc<str> {
        &self.sources[ctx.module].files[ctx.file].src.path
    }

    pub fn note(&self, ctx: &Ctx<'_>, code: &'static str, span: Span, message: String) {
        let origin = Origin::file(self.path(ctx), span);
        self.report(Diagnostic::note(code, Some(origin), message));
    }

    pub fn report(&self, diagnostic: Diagnostic) {
        self.notes.borrow_mut().push(diagnostic);
    }

    pub fn take_notes(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.notes.borrow_mut())
    }

    pub fn call(&self, module: usize, name: &str) -> Option<&Call<'s>> {
        self.modules.get(module)?.calls.iter().find(|c| c.name == name)
    }

    pub fn eval(&self, expr: &Expression, ctx: Ctx<'_>, depth: usize) -> Value {
        let span = ctx.span_of(expr);
        if depth > MAX_DEPTH {
            return Value::unknown(ctx.text_of(expr), Vec::new(), span);
        }
        match expr {
            Expression::Null(_) => Value::null(span),
            Expression::Bool(b) => Value::new(ValueKind::Bool(*b.value()), span),
            Expression::Number(n) => {
                let written = ctx.text_of(expr);
                let text = if written.is_empty() {
                    n.to_string()
                } else {
                    written
                };
                Value::new(ValueKind::Number(text), span)
            }
            Expression::String(s) => Value::string(s.value().clone(), span),
            Expression::Array(items) => {
                list(items.iter().map(|i| self.eval(i, ctx, depth + 1)).collect(), span)
            }
            Expression::Object(object) => {
                let entries = object
                    .iter()
                    .map(|(key, value)| {
                        (
                            self.object_key(key, ctx, depth),
                            self.eval(value.expr(), ctx, depth + 1),
                        )
                    })
                    .collect();
                Value::new(ValueKind::Map(entries), span)
            }
            Expression::StringTemplate(t) => join_parts(self.template_parts(t, ctx, depth), span),
            Expression::HeredocTemplate(h) => join_parts(self.template_parts(&h.template, ctx, depth), span),
            Expression::Parenthesis(p) => self.eval(p.inner(), ctx, depth + 1),
            Expression::Variable(name) => self.bare_variable(name, ctx, span),
            Expression::Conditional(c) => {
                self.conditional(c, ctx, span, depth, |e| self.eval(e, ctx, depth + 1))
            }
            Expression::FuncCall(call) => self.func_call(call, expr, ctx, depth),
            Expression::Traversal(t) => self.traversal(t, expr, ctx, depth),
            Expression::UnaryOp(op) => self.unary(op, expr, ctx, depth),
            Expression::BinaryOp(op) => self.binary(op, expr, ctx, depth),
            Expression::ForExpr(f) => {
                let collection = self.eval(&f.intro.collection_expr, ctx, depth + 1);
                unknown_from(ctx.text_of(expr), &[&collection], span)
            }
        }
    }

    fn object_key(&self, key: &ObjectKey, ctx: Ctx<'_>, depth: usize) -> Key {
        let span = ctx.span_of(key);
        let name = match key {
            ObjectKey::Ident(ident) => ident.as_str().to_string(),
            ObjectKey::Expression(e) => {
                let value = self.eval(e, ctx, depth + 1);
                value
                    .as_text()
                    .map(|t| t.into_owned())
                    .unwrap_or_else(|| value.display())
            }
        };
        Key { name, span }
    }

    /// Literal text, and the known or unknown value of each interpolation.
    pub fn template_parts(&self, template: &Template, ctx: Ctx<'_>, depth: usize) -> Vec<Part> {
        let mut parts: Vec<Part> = Vec::new();
        let push_text = |parts: &mut Vec<Part>, text: &str| match parts.last_mut() {
            Some(Part::Text(last)) => last.push_str(text),
            _ => parts.push(Part::Text(text.to_string())),
        };
        for element in template.iter() {
            match element {
                Element::Literal(text) => push_text(&mut parts, text.value()),
                Element::Interpolation(interpolation) => {
                    match part(self.eval(&interpolation.expr, ctx, depth + 1)) {
                        Part::Text(text) => push_text(&mut parts, &text),
                        hole => parts.push(hole),
                    }
                }
                Element::Directive(directive) => {
                    let node: &dyn hcl_edit::Span = &**directive;
                    parts.push(Part::Hole(Value::unknown(
                        ctx.text_of(node),
                        Vec::new(),
                        ctx.span_of(node),
                    )));
                }
            }
        }
        parts
    }

    /// A bare name: a `templatefile` variable, or something only Terraform knows.
    fn bare_variable(&self, name: &Decorated<hcl_edit::Ident>, ctx: Ctx<'_>, span: Span) -> Value {
        let found = ctx
            .template_vars
            .and_then(|vars| vars.iter().find(|(k, _)| k.name == name.as_str()));
        match found {
            Some((_, value)) => respan(value, span),
            None => Value::unknown(name.as_str(), Vec::new(), span),
        }
    }

    /// `cond ? a : b`: the branch the condition picks, or both when it cannot be decided.
    /// `branch` evaluates a branch (as a value, or as a policy document).
    pub fn conditional(
        &self,
        c: &Conditional,
        ctx: Ctx<'_>,
        span: Span,
        depth: usize,
        branch: impl Fn(&Expression) -> Value,
    ) -> Value {
        let condition = self.eval(&c.cond_expr, ctx, depth + 1);
        match condition.as_bool() {
            Some(true) => branch(&c.true_expr),
            Some(false) => branch(&c.false_expr),
            None => Value::new(
                ValueKind::Choice {
                    condition: ctx.text_of(&c.cond_expr),
                    when_true: Box::new(branch(&c.true_expr)),
                    when_false: Box::new(branch(&c.false_expr)),
                },
                span,
            ),
        }
    }

    fn func_call(&self, call: &FuncCall, whole: &Expression, ctx: Ctx<'_>, depth: usize) -> Value {
        let span = ctx.span_of(whole);
        let text = ctx.text_of(whole);
        let name = call.name.name.as_str();
        let args: Vec<&Expression> = call.args.iter().collect();
        if !call.name.is_namespaced() && !call.args.expand_final() {
            match (name, args.as_slice()) {
                ("sensitive" | "nonsensitive", [arg]) => return self.eval(arg, ctx, depth + 1),
                ("try", [first, ..]) => {
                    let value = self.eval(first, ctx, depth + 1);
                    if is_known(&value) {
                        return value;
                    }
                    return unknown_from(text, &[&value], span);
                }
                ("file", [path]) => return self.file(path, &text, ctx, span, depth),
                ("templatefile", [..]) => {
                    if let Some(parts) = self.template_file(call, ctx, span, depth) {
                        return join_parts(parts, span);
                    }
                }
                _ => {}
            }
        }
        let values: Vec<Value> = args.iter().map(|a| self.eval(a, ctx, depth + 1)).collect();
        if !call.name.is_namespaced() && !call.args.expand_final() {
            if let Some(value) = functions::call(name, &values, span) {
                return value;
            }
            if !is_terraform_function(name) {
                self.note(
                    &ctx,
                    "unknown-function",
                    span,
                    format!("`{name}` is not a Terraform function; the value of `{text}` is unknown"),
                );
            }
        }
        let refs: Vec<&Value> = values.iter().collect();
        unknown_from(text, &refs, span)
    }

    /// `file(path)`: the text of a file of the configuration.
    fn file(&self, path: &Expression, text: &str, ctx: Ctx<'_>, span: Span, depth: usize) -> Value {
        let path = self.eval(path, ctx, depth + 1);
        let Some(name) = path.as_str() else {
            return unknown_from(text.to_string(), &[&path], span);
        };
        match self.disk.read(Path::new(name)) {
            Ok(content) => Value::string(content, span),
            Err(reason) => {
                self.note(
                    &ctx,
                    "unresolved",
                    span,
                    format!("file `{name}` is not read ({reason}); its value is unknown"),
                );
                Value::unknown(text, Vec::new(), span)
            }
        }
    }

    /// `templatefile(path, vars)`: the template's parts with its variables bound; everything
    /// points at the call, since elements live in the calling file.
    pub fn template_file(
        &self,
        call: &FuncCall,
        ctx: Ctx<'_>,
        span: Span,
        depth: usize,
    ) -> Option<Vec<Part>> {
        let path = self.eval(call.args.get(0)?, ctx, depth + 1);
        let vars = match call.args.get(1) {
            Some(vars) => self.eval(vars, ctx, depth + 1),
            None => Value::new(ValueKind::Map(Vec::new()), span),
        };
        let name = path.as_str()?;
        let vars = vars.as_map()?;
        let text = match self.disk.read(Path::new(name)) {
            Ok(text) => text,
            Err(reason) => {
                let message = format!("template `{name}` is not read ({reason}); its value is unknown");
                self.note(&ctx, "unresolved", span, message);
                return None;
            }
        };
        let template = match hcl_edit::parser::parse_template(&crate::text::parsable(&text)) {
            Ok(template) => template,
            Err(e) => {
                let message = format!("template `{name}` is not valid: {}", e.message());
                self.note(&ctx, "unresolved", span, message);
                return None;
            }
        };
        let src = SourceText::new(name, &text);
        let inner = Ctx {
            module: ctx.module,
            file: ctx.file,
            src: &src,
            template_vars: Some(vars),
            fixed_span: Some(span),
        };
        Some(self.template_parts(&template, inner, depth + 1))
    }

    fn unary(&self, op: &UnaryOp, whole: &Expression, ctx: Ctx<'_>, depth: usize) -> Value {
        let span = ctx.span_of(whole);
        let value = self.eval(&op.expr, ctx, depth + 1);
        let result = match op.operator.value() {
            UnaryOperator::Neg => value
                .as_f64()
                .filter(|_| is_scalar(&value))
                .map(|n| number(-n, span)),
            UnaryOperator::Not => match value.kind {
                ValueKind::Bool(b) => Some(Value::new(ValueKind::Bool(!b), span)),
                _ => None,
            },
        };
        result.unwrap_or_else(|| unknown_from(ctx.text_of(whole), &[&value], span))
    }

    fn binary(&self, op: &BinaryOp, whole: &Expression, ctx: Ctx<'_>, depth: usize) -> Value {
        let span = ctx.span_of(whole);
        let lhs = self.eval(&op.lhs_expr, ctx, depth + 1);
        let rhs = self.eval(&op.rhs_expr, ctx, depth + 1);
        let boolean = |b: bool| Some(Value::new(ValueKind::Bool(b), span));
        let numbers = || {
            Some((
                lhs.as_f64().filter(|_| is_scalar(&lhs))?,
                rhs.as_f64().filter(|_| is_scalar(&rhs))?,
            ))
        };
        let as_bool = |v: &Value| match v.kind {
            ValueKind::Bool(b) => Some(b),
            _ => None,
        };
        let result = match op.operator.value() {
            BinaryOperator::And => match (as_bool(&lhs), as_bool(&rhs)) {
                (Some(false), _) | (_, Some(false)) => boolean(false),
                (Some(true), Some(true)) => boolean(true),
                _ => None,
            },
            BinaryOperator::Or => match (as_bool(&lhs), as_bool(&rhs)) {
                (Some(true), _) | (_, Some(true)) => boolean(true),
                (Some(false), Some(false)) => boolean(false),
                _ => None,
            },
            BinaryOperator::Eq => equal(&lhs, &rhs).and_then(boolean),
            BinaryOperator::NotEq => equal(&lhs, &rhs).and_then(|e| boolean(!e)),
            BinaryOperator::Less => numbers().and_then(|(a, b)| boolean(a < b)),
            BinaryOperator::LessEq => numbers().and_then(|(a, b)| boolean(a <= b)),
            BinaryOperator::Greater => numbers().and_then(|(a, b)| boolean(a > b)),
            BinaryOperator::GreaterEq => numbers().and_then(|(a, b)| boolean(a >= b)),
            BinaryOperator::Plus => numbers().map(|(a, b)| number(a + b, span)),
            BinaryOperator::Minus => numbers().map(|(a, b)| number(a - b, span)),
            BinaryOperator::Mul => numbers().map(|(a, b)| number(a * b, span)),
            BinaryOperator::Div => numbers()
                .filter(|(_, b)| *b != 0.0)
                .map(|(a, b)| number(a / b, span)),
            BinaryOperator::Mod => numbers()
                .filter(|(_, b)| *b != 0.0)
                .map(|(a, b)| number(a % b, span)),
        };
        result.unwrap_or_else(|| unknown_from(ctx.text_of(whole), &[&lhs, &rhs], span))
    }
}

/// Known equality of two values (`None` when either is not fully known).
fn equal(a: &Value, b: &Value) -> Option<bool> {
    if !is_known(a) || !is_known(b) {
        return None;
    }
    if let (Some(x), Some(y)) = (
        a.as_f64().filter(|_| is_scalar(a)),
        b.as_f64().filter(|_| is_scalar(b)),
    ) {
        return Some(x == y);
    }
    Some(a.to_json() == b.to_json())
}

fn is_scalar(value: &Value) -> bool {
    matches!(value.kind, ValueKind::Number(_) | ValueKind::String(_))
}

/// An unknown value reading as `text` that names the references of `from`.
pub(crate) fn unknown_from(text: String, from: &[&Value], span: Span) -> Value {
    let mut refs = Vec::new();
    for value in from {
        collect_refs(value, &mut refs);
    }
    Value::unknown(text, refs, span)
}
