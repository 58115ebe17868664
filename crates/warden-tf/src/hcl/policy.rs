//! Policy arguments evaluated as documents, keeping positions: `jsonencode({...})` is the object
//! it encodes, `data.aws_iam_policy_document.x.json` is the document the data source describes,
//! a heredoc or template of JSON is parsed around its unknown interpolations, and `var.x` /
//! `local.x` lead to where the document is written.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Block;
use warden_model::Value;

use super::eval::{Config, Ctx, MAX_DEPTH};
use super::reference::Symbol;
use crate::json::{self, Part, join_parts};
use crate::resource::{document, respan};

impl Config<'_> {
    /// The value of a policy argument: a document (a map) whenever it can be read as one.
    pub fn policy(&self, expr: &Expression, ctx: Ctx<'_>, depth: usize) -> Value {
        let span = ctx.span_of(expr);
        if depth > MAX_DEPTH {
            return self.eval(expr, ctx, depth);
        }
        match expr {
            Expression::Parenthesis(p) => self.policy(p.inner(), ctx, depth + 1),
            Expression::FuncCall(call) if call.name.name.as_str() == "jsonencode" && call.args.len() == 1 => {
                match call.args.get(0) {
                    Some(arg) => self.eval(arg, ctx, depth + 1),
                    None => self.eval(expr, ctx, depth + 1),
                }
            }
            Expression::FuncCall(call) if call.name.name.as_str() == "templatefile" => {
                match self.template_file(call, ctx, span, depth + 1) {
                    Some(parts) => parts_document(parts, span),
                    None => self.eval(expr, ctx, depth + 1),
                }
            }
            // `"${data.aws_iam_policy_document.x.json}"` (Terraform 0.11 style) is the reference.
            Expression::StringTemplate(t) if t.len() == 1 && t.iter().all(|e| e.is_interpolation()) => {
                match t.iter().next().and_then(|e| e.as_interpolation()) {
                    Some(interpolation) => self.policy(&interpolation.expr, ctx, depth + 1),
                    None => self.eval(expr, ctx, depth + 1),
                }
            }
            Expression::StringTemplate(t) => parts_document(self.template_parts(t, ctx, depth + 1), span),
            Expression::HeredocTemplate(h) => {
                parts_document(self.template_parts(&h.template, ctx, depth + 1), span)
            }
            Expression::Conditional(c) => {
                self.conditional(c, ctx, span, depth, |e| self.policy(e, ctx, depth + 1))
            }
            Expression::Traversal(t) => match self.policy_reference(t, ctx, depth) {
                Some((value, same_place)) if same_place => value,
                Some((value, _)) => respan(&value, span),
                None => document(self.eval(expr, ctx, depth + 1)),
            },
            _ => document(self.eval(expr, ctx, depth + 1)),
        }
    }

    /// A document a reference leads to (`var.x`, `local.x`, `data.aws_iam_policy_document.x.json`),
    /// and whether it is written in the same file as the reference.
    fn policy_reference(
        &self,
        t: &hcl_edit::expr::Traversal,
        ctx: Ctx<'_>,
        depth: usize,
    ) -> Option<(Value, bool)> {
        let Expression::Variable(root) = &t.expr else {
            return None;
        };
        let names: Vec<&str> = t
            .operators
            .iter()
            .map(|op| match op.value() {
                TraversalOperator::GetAttr(name) => Some(name.as_str()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        let (symbol, name) = match (root.as_str(), names.as_slice()) {
            ("var", [name]) => (Symbol::PolicyVar, *name),
            ("local", [name]) => (Symbol::PolicyLocal, *name),
            ("data", ["aws_iam_policy_document", name, "json" | "minified_json"]) => {
                (Symbol::PolicyDocument, *name)
            }
            _ => return None,
        };
        let (document, module, file) = self.symbol(ctx.module, symbol, name, depth)?;
        let same_place = ctx.fixed_span.is_none() && (module, file) == (ctx.module, ctx.file);
        Some((document, same_place))
    }

    /// The document an `aws_iam_policy_document` data block describes.
    pub fn policy_document_data(&self, block: &Block, ctx: Ctx<'_>, depth: usize) -> Value {
        let span = ctx.span_of(block);
        let body = self.body_value(&block.body, ctx, span, depth + 1);
        crate::policy::from_policy_document_fields(&body, span)
    }
}

/// JSON written as a template: parsed around its unknown parts; when it is not JSON, the text
/// (or unknown template) as written.
fn parts_document(parts: Vec<Part>, span: warden_model::Span) -> Value {
    json::parse_parts(&parts, span).unwrap_or_else(|| join_parts(parts, span))
}
