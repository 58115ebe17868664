//! References: `var.x` (the calling module's argument, else the default), `local.x`,
//! `module.m.out`, `data.t.n.attr`, `path.module`, resource attributes, and attribute and index
//! access on values. Named values are evaluated once; a value written in another file or
//! module points at the reference.

use hcl_edit::Decorated;
use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use warden_model::{Span, Value, ValueKind};

use super::eval::{Config, Ctx, unknown_from};
use super::functions::is_known;
use super::index::CallKind;
use crate::resource::{collect_refs, respan};

/// Largest value a variable, local or output may hold (in nodes): references copy values, so
/// locals that each list the previous one twice would otherwise grow exponentially.
const MAX_VALUE_NODES: usize = 10_000;

/// What [`Config::symbol`] evaluates: plain values, and the same read as policy documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Symbol {
    Var,
    Local,
    Output,
    PolicyVar,
    PolicyLocal,
    /// An `aws_iam_policy_document` data source.
    PolicyDocument,
}

impl Symbol {
    fn prefix(self) -> &'static str {
        match self {
            Symbol::Var | Symbol::PolicyVar => "var",
            Symbol::Local | Symbol::PolicyLocal => "local",
            Symbol::Output => "output",
            Symbol::PolicyDocument => "data.aws_iam_policy_document",
        }
    }
}

/// Memoised variables, locals and outputs; `Busy` marks one being evaluated (a cycle).
pub(super) enum Slot {
    Busy,
    Done(Value, usize, usize),
}

impl<'s> Config<'s> {
    /// Where `var.name` of `module` is defined: the calling module's argument, else the default.
    pub fn var_definition(&self, module: usize, name: &str) -> Option<(&'s Expression, Ctx<'s>)> {
        if let Some((parent, call_name)) = &self.sources[module].parent
            && let Some(call) = self.call(*parent, call_name)
            && let Some(attr) = call.block.body.get_attribute(name)
        {
            return Some((&attr.value, self.ctx(*parent, call.file)));
        }
        let def = self.modules[module].variables.get(name)?;
        let attr = def.item.body.get_attribute("default")?;
        Some((&attr.value, self.ctx(module, def.file)))
    }

    /// Where `local.name` of `module` is defined.
    pub fn local_definition(&self, module: usize, name: &str) -> Option<(&'s Expression, Ctx<'s>)> {
        let def = self.modules[module].locals.get(name)?;
        Some((def.item, self.ctx(module, def.file)))
    }

    /// Where output `name` of `module` is defined (its `value`).
    fn output_definition(&self, module: usize, name: &str) -> Option<(&'s Expression, Ctx<'s>)> {
        let def = self.modules[module].outputs.get(name)?;
        let attr = def.item.body.get_attribute("value")?;
        Some((&attr.value, self.ctx(module, def.file)))
    }

    /// The value of a named thing of `module`, evaluated once, with the module and file its
    /// value is written in; `None` when it is not defined. A cycle is unknown.
    pub fn symbol(
        &self,
        module: usize,
        symbol: Symbol,
        name: &str,
        depth: usize,
    ) -> Option<(Value, usize, usize)> {
        let key = (module, symbol, name.to_string());
        let reference = || format!("{}.{name}", symbol.prefix());
        match self.cache.borrow().get(&key) {
            Some(Slot::Done(value, m, f)) => return Some((value.clone(), *m, *f)),
            Some(Slot::Busy) => {
                return Some((
                    Value::unknown(reference(), Vec::new(), Span::default()),
                    usize::MAX,
                    0,
                ));
            }
            None => {}
        }
        if let Symbol::PolicyDocument = symbol {
            let def = self.modules[module]
                .data
                .get(&("aws_iam_policy_document", name))?;
            let ctx = self.ctx(module, def.file);
            self.cache.borrow_mut().insert(key.clone(), Slot::Busy);
            let value = self.policy_document_data(def.item, ctx, depth + 1);
            return Some(self.settle(key, value, &ctx, reference()));
        }
        let (expr, ctx) = match symbol {
            Symbol::Var | Symbol::PolicyVar => self.var_definition(module, name),
            Symbol::Local | Symbol::PolicyLocal => self.local_definition(module, name),
            Symbol::Output | Symbol::PolicyDocument => self.output_definition(module, name),
        }?;
        self.cache.borrow_mut().insert(key.clone(), Slot::Busy);
        let value = match symbol {
            Symbol::PolicyVar | Symbol::PolicyLocal => self.policy(expr, ctx, depth + 1),
            _ => self.eval(expr, ctx, depth + 1),
        };
        Some(self.settle(key, value, &ctx, reference()))
    }

    /// Keep an evaluated value (unknown when too large to copy around).
    fn settle(
        &self,
        key: (usize, Symbol, String),
        mut value: Value,
        ctx: &Ctx<'_>,
        reference: String,
    ) -> (Value, usize, usize) {
        if larger_than(&value, MAX_VALUE_NODES) {
            let message = format!("`{reference}` is too large to analyse (over {MAX_VALUE_NODES} values)");
            self.note(ctx, "unresolved", value.span, message);
            value = Value::unknown(reference, Vec::new(), value.span);
        }
        self.cache
            .borrow_mut()
            .insert(key, Slot::Done(value.clone(), ctx.module, ctx.file));
        (value, ctx.module, ctx.file)
    }

    /// `var.x`, `local.x`, `module.m.out`, `data.t.n.attr`, `path.module`, `type.name.attr`, or
    /// attribute and index access on any value.
    pub(super) fn traversal(&self, t: &Traversal, whole: &Expression, ctx: Ctx<'_>, depth: usize) -> Value {
        let span = ctx.span_of(whole);
        let text = ctx.text_of(whole);
        let ops = &t.operators;
        let Expression::Variable(root) = &t.expr else {
            let base = self.eval(&t.expr, ctx, depth + 1);
            return self.apply(base, ops, ctx, &text, span, depth);
        };
        let prefix = &self.sources[ctx.module].prefix;
        let root = root.as_str();
        if let Some(vars) = ctx.template_vars
            && let Some((_, value)) = vars.iter().find(|(k, _)| k.name == root)
        {
            return self.apply(respan(value, span), ops, ctx, &text, span, depth);
        }
        match root {
            "var" | "local" => {
                let Some(name) = ops.first().and_then(|o| attr_name(o)) else {
                    return Value::unknown(text, Vec::new(), span);
                };
                let symbol = if root == "var" { Symbol::Var } else { Symbol::Local };
                match self.symbol(ctx.module, symbol, name, depth) {
                    Some((value, module, file)) => {
                        let value = at_site(value, (module, file), &ctx, span);
                        self.apply(value, &ops[1..], ctx, &text, span, depth)
                    }
                    None => Value::unknown(text, Vec::new(), span),
                }
            }
            "module" => self.module_output(ops, ctx, &text, span, depth),
            "data" => self.data_attribute(ops, ctx, &text, span, depth),
            "path" => match ops.first().and_then(|o| attr_name(o)) {
                Some("module") => Value::string(self.sources[ctx.module].path_module.clone(), span),
                Some("root") => Value::string(".", span),
                _ => Value::unknown(text, Vec::new(), span),
            },
            "count" | "each" | "self" | "terraform" => Value::unknown(text, Vec::new(), span),
            resource_type => match ops.first().and_then(|o| attr_name(o)) {
                Some(name) => Value::unknown(text, vec![format!("{prefix}{resource_type}.{name}")], span),
                None => Value::unknown(text, Vec::new(), span),
            },
        }
    }

    /// `module.NAME[...].OUTPUT...`: a local module's output, or references to what the
    /// registry Lambda module creates.
    fn module_output(
        &self,
        ops: &[Decorated<TraversalOperator>],
        ctx: Ctx<'_>,
        text: &str,
        span: Span,
        depth: usize,
    ) -> Value {
        let Some(name) = ops.first().and_then(|o| attr_name(o)) else {
            return Value::unknown(text, Vec::new(), span);
        };
        let rest = skip_indexes(&ops[1..]);
        let output = rest.first().and_then(|o| attr_name(o));
        let address = format!("{}module.{name}", self.sources[ctx.module].prefix);
        match (self.call(ctx.module, name).map(|c| &c.kind), output) {
            (Some(CallKind::Local(child)), Some(output)) => {
                match self.symbol(*child, Symbol::Output, output, depth) {
                    Some((value, module, file)) => {
                        let value = at_site(value, (module, file), &ctx, span);
                        self.apply(value, &rest[1..], ctx, text, span, depth)
                    }
                    None => Value::unknown(text, Vec::new(), span),
                }
            }
            (Some(CallKind::LambdaRegistry), Some(output)) => Value::unknown(
                text,
                vec![super::lambda_module::output_address(&address, output)],
                span,
            ),
            _ => Value::unknown(text, Vec::new(), span),
        }
    }

    /// `data.TYPE.NAME.ATTR`: a policy document's JSON, or an argument written in the block
    /// (`data.aws_iam_policy.x.arn` with `arn = "..."`); anything else is known only to
    /// Terraform.
    fn data_attribute(
        &self,
        ops: &[Decorated<TraversalOperator>],
        ctx: Ctx<'_>,
        text: &str,
        span: Span,
        depth: usize,
    ) -> Value {
        let (Some(kind), Some(name)) = (
            ops.first().and_then(|o| attr_name(o)),
            ops.get(1).and_then(|o| attr_name(o)),
        ) else {
            return Value::unknown(text, Vec::new(), span);
        };
        let address = format!("{}data.{kind}.{name}", self.sources[ctx.module].prefix);
        let rest = skip_indexes(&ops[2..]);
        let attribute = rest.first().and_then(|o| attr_name(o));
        let unknown = || Value::unknown(text, vec![address.clone()], span);
        let Some(def) = self.modules[ctx.module].data.get(&(kind, name)) else {
            return unknown();
        };
        let def_ctx = self.ctx(ctx.module, def.file);
        let value = match (kind, attribute) {
            ("aws_iam_policy_document", Some("json" | "minified_json")) => {
                let Some((document, _, _)) = self.symbol(ctx.module, Symbol::PolicyDocument, name, depth)
                else {
                    return unknown();
                };
                if !is_known(&document) {
                    let mut refs = vec![address.clone()];
                    collect_refs(&document, &mut refs);
                    return Value::unknown(text, refs, span);
                }
                Value::string(document.to_json().to_string(), span)
            }
            (_, Some(attribute)) => match def.item.body.get_attribute(attribute) {
                Some(attr) => at_site(
                    self.eval(&attr.value, def_ctx, depth + 1),
                    (ctx.module, def.file),
                    &ctx,
                    span,
                ),
                None => return unknown(),
            },
            _ => return unknown(),
        };
        self.apply(value, &rest[1..], ctx, text, span, depth)
    }

    /// Attribute and index access on a value; on an unknown value (or a missing key) the whole
    /// expression is unknown, naming the references of what it started from.
    fn apply(
        &self,
        base: Value,
        ops: &[Decorated<TraversalOperator>],
        ctx: Ctx<'_>,
        text: &str,
        span: Span,
        depth: usize,
    ) -> Value {
        let mut current = base;
        for op in ops {
            let next = match op.value() {
                TraversalOperator::GetAttr(name) => current.get(name.as_str()).cloned(),
                TraversalOperator::Index(index) => {
                    let index = self.eval(index, ctx, depth + 1);
                    element(&current, &index)
                }
                TraversalOperator::LegacyIndex(i) => {
                    let i = usize::try_from(*i.value()).ok();
                    i.and_then(|i| current.as_list()?.get(i).cloned())
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => None,
            };
            match next {
                Some(value) => current = value,
                None => return unknown_from(text.to_string(), &[&current], span),
            }
        }
        current
    }
}

fn attr_name(op: &Decorated<TraversalOperator>) -> Option<&str> {
    match op.value() {
        TraversalOperator::GetAttr(name) => Some(name.as_str()),
        _ => None,
    }
}

/// Operators after instance keys (`module.m[0].out`, `data.t.n["k"].json`).
fn skip_indexes(ops: &[Decorated<TraversalOperator>]) -> &[Decorated<TraversalOperator>] {
    let skip = ops
        .iter()
        .take_while(|o| {
            matches!(
                o.value(),
                TraversalOperator::Index(_) | TraversalOperator::LegacyIndex(_)
            )
        })
        .count();
    &ops[skip..]
}

/// `value[index]` on a known list or map.
fn element(value: &Value, index: &Value) -> Option<Value> {
    match &value.kind {
        ValueKind::List(items) => {
            let i = index.as_f64().filter(|i| *i >= 0.0 && i.fract() == 0.0)?;
            items.get(i as usize).cloned()
        }
        ValueKind::Map(_) => value.get(&index.as_text()?).cloned(),
        _ => None,
    }
}

/// A value used where it was not written (another file or module) points at the reference.
fn at_site(value: Value, written: (usize, usize), ctx: &Ctx<'_>, span: Span) -> Value {
    if ctx.fixed_span.is_none() && written == (ctx.module, ctx.file) {
        value
    } else {
        respan(&value, span)
    }
}

/// Whether a value has more than `limit` nodes (counting stops at the limit).
fn larger_than(value: &Value, limit: usize) -> bool {
    fn count(value: &Value, budget: &mut usize) -> bool {
        if *budget == 0 {
            return true;
        }
        *budget -= 1;
        match &value.kind {
            ValueKind::List(items) => items.iter().any(|i| count(i, budget)),
            ValueKind::Map(entries) => entries.iter().any(|(_, v)| count(v, budget)),
            ValueKind::Choice {
                when_true,
                when_false,
                ..
            } => count(when_true, budget) || count(when_false, budget),
            _ => false,
        }
    }
    let mut budget = limit;
    count(value, &mut budget)
}
