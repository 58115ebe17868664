//! Resource blocks (and module blocks) of every module instance as [`Resource`]s.

use hcl_edit::Span as _;
use hcl_edit::structure::Block;
use warden_model::{Diagnostic, Origin, Span, ValueKind};

use super::eval::{Config, Ctx};
use super::index::CallKind;
use super::skip;
use crate::build::MODELLED;
use crate::resource::Resource;

impl Config<'_> {
    /// Every resource the configuration creates (resources with `count = 0` and the contents of
    /// modules called with `count = 0` are left out, with a note).
    pub fn resources(&self) -> Vec<Resource> {
        let enabled = self.enabled_modules();
        let mut out: Vec<Resource> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (m, module) in self.modules.iter().enumerate() {
            if !enabled[m] {
                continue;
            }
            let prefix = &self.sources[m].prefix;
            for def in &module.resources {
                let (kind, name, block) = def.item;
                let ctx = self.ctx(m, def.file);
                let address = format!("{prefix}{kind}.{name}");
                if !seen.insert(address.clone()) {
                    let origin = Origin::file(&ctx.src.path, header_span(block, ctx));
                    self.report(Diagnostic::error(
                        "duplicate-resource",
                        Some(origin),
                        format!("`{address}` is declared twice in one module; Terraform refuses this configuration (the first is analysed)"),
                    ));
                    continue;
                }
                let modelled = MODELLED.contains(&kind);
                if !self.instances(block, ctx, &address, modelled) {
                    continue;
                }
                let span = header_span(block, ctx);
                if modelled {
                    self.note_dynamic_blocks(block, ctx, &address);
                }
                out.push(Resource {
                    address: address.clone(),
                    resource_type: kind.to_string(),
                    path: ctx.src.path.clone(),
                    span,
                    props: self.body_value(&block.body, ctx, span, 0),
                    name: address,
                    implied_by: None,
                    skips: skip::skips(ctx.src, span.start.line as usize),
                });
            }
            for call in &module.calls {
                let ctx = self.ctx(m, call.file);
                let address = format!("{prefix}module.{}", call.name);
                match &call.kind {
                    CallKind::LambdaRegistry if self.instances(call.block, ctx, &address, true) => {
                        out.extend(self.lambda_module(call.block, ctx, &address));
                    }
                    CallKind::Other(source) => self.note(
                        &ctx,
                        "module-not-analysed",
                        header_span(call.block, ctx),
                        format!("module `{address}` (source `{source}`) is not analysed: its source is not on disk"),
                    ),
                    _ => {}
                }
            }
        }
        out
    }

    /// Which module instances exist: a module called with `count = 0` (or an empty `for_each`)
    /// creates nothing, nor do the modules it calls.
    fn enabled_modules(&self) -> Vec<bool> {
        let mut enabled = vec![true; self.sources.len()];
        for (m, source) in self.sources.iter().enumerate() {
            let Some((parent, name)) = &source.parent else {
                continue;
            };
            let on = enabled.get(*parent).copied().unwrap_or(false)
                && self.call(*parent, name).is_none_or(|call| {
                    let ctx = self.ctx(*parent, call.file);
                    let address = format!("{}module.{name}", self.sources[*parent].prefix);
                    self.instances(call.block, ctx, &address, true)
                });
            enabled[m] = on;
        }
        enabled
    }

    /// Whether a block with `count` / `for_each` creates anything; several (or an unknown
    /// number of) instances are analysed once, with a note (`noted`: only for blocks that
    /// become elements).
    pub fn instances(&self, block: &Block, ctx: Ctx<'_>, address: &str, noted: bool) -> bool {
        let span = header_span(block, ctx);
        let (argument, value) = match (
            block.body.get_attribute("count"),
            block.body.get_attribute("for_each"),
        ) {
            (Some(count), _) => ("count", self.eval(&count.value, ctx, 0)),
            (None, Some(for_each)) => ("for_each", self.eval(&for_each.value, ctx, 0)),
            (None, None) => return true,
        };
        let known = match &value.kind {
            ValueKind::Number(_) | ValueKind::String(_) => value.as_f64().map(|n| n.max(0.0) as usize),
            ValueKind::List(items) => Some(items.len()),
            ValueKind::Map(entries) => Some(entries.len()),
            _ => None,
        };
        let note = |message: String| {
            if noted {
                self.note(&ctx, "unresolved", span, message);
            }
        };
        match known {
            Some(0) => {
                note(format!(
                    "`{address}` is not created: {argument} is {} with the variable defaults",
                    if argument == "count" { "0" } else { "empty" }
                ));
                false
            }
            Some(1) => true,
            Some(n) => {
                note(format!(
                    "`{address}` has {n} instances ({argument}); they are analysed as one"
                ));
                true
            }
            None => {
                note(format!(
                    "`{address}` uses {argument} = `{}`, not known from the configuration; it is analysed as one instance",
                    value.display()
                ));
                true
            }
        }
    }

    /// `dynamic` blocks are not expanded: say which settings are unknown because of them.
    fn note_dynamic_blocks(&self, block: &Block, ctx: Ctx<'_>, address: &str) {
        for dynamic in block.body.get_blocks("dynamic") {
            let label = dynamic.labels.first().map(|l| l.as_str()).unwrap_or_default();
            self.note(
                &ctx,
                "unresolved",
                ctx.span_of(dynamic),
                format!("dynamic block `{label}` of `{address}` is not expanded: what it sets is not known"),
            );
        }
    }
}

/// The span of a block's header (`resource "aws_lambda_function" "api"`): where findings about
/// the whole resource point.
pub(crate) fn header_span(block: &Block, ctx: Ctx<'_>) -> Span {
    let start = block.ident.span().map(|r| r.start);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .or_else(|| block.ident.span())
        .map(|r| r.end);
    match (start, end) {
        (Some(start), Some(end)) if start <= end => ctx.src.span(start..end),
        _ => ctx.span_of(block),
    }
}
