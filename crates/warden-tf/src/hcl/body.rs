//! Block bodies as values: arguments evaluated (policy arguments as documents), nested blocks
//! as lists of maps (the shape plan JSON has), `dynamic` blocks as unknown values.

use hcl_edit::structure::{Body, Structure};
use warden_model::{Key, Span, Value, ValueKind};

use super::eval::{Config, Ctx, unknown_from};
use crate::resource::list;

/// Arguments that configure Terraform itself rather than the resource.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "depends_on", "provider"];
/// Blocks that configure Terraform itself.
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

impl Config<'_> {
    /// A block body as a map: arguments evaluated (policy arguments as documents), nested blocks
    /// as lists of maps, `dynamic` blocks as unknown values under their label.
    pub fn body_value(&self, body: &Body, ctx: Ctx<'_>, span: Span, depth: usize) -> Value {
        let mut entries: Vec<(Key, Value)> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let name = attr.key.as_str();
                    if META_ARGUMENTS.contains(&name) {
                        continue;
                    }
                    let value = if is_policy_argument(name) {
                        self.policy(&attr.value, ctx, depth + 1)
                    } else {
                        self.eval(&attr.value, ctx, depth + 1)
                    };
                    let key = Key {
                        name: name.to_string(),
                        span: ctx.span_of(&attr.key),
                    };
                    entries.push((key, value));
                }
                Structure::Block(block) => {
                    let ident = block.ident.as_str();
                    if META_BLOCKS.contains(&ident) {
                        continue;
                    }
                    let block_span = ctx.span_of(block);
                    let (name, value) = if ident == "dynamic" {
                        let label = block.labels.first().map(|l| l.as_str()).unwrap_or_default();
                        let for_each = block
                            .body
                            .get_attribute("for_each")
                            .map(|a| self.eval(&a.value, ctx, depth + 1));
                        let refs: Vec<&Value> = for_each.iter().collect();
                        (
                            label,
                            unknown_from(format!("dynamic \"{label}\""), &refs, block_span),
                        )
                    } else {
                        (ident, self.body_value(&block.body, ctx, block_span, depth + 1))
                    };
                    push_block(&mut entries, name, value, ctx.span_of(&block.ident));
                }
            }
        }
        Value::new(ValueKind::Map(entries), span)
    }
}

/// Arguments whose value is an IAM (or resource) policy document.
fn is_policy_argument(name: &str) -> bool {
    matches!(name, "policy" | "assume_role_policy" | "policy_json")
}

/// Add a block under `name`: blocks of one type form a list, as in plan JSON.
fn push_block(entries: &mut Vec<(Key, Value)>, name: &str, value: Value, key_span: Span) {
    if let Some((_, existing)) = entries.iter_mut().find(|(k, _)| k.name == name)
        && let ValueKind::List(items) = &mut existing.kind
    {
        items.push(value);
        return;
    }
    let span = value.span;
    let key = Key {
        name: name.to_string(),
        span: key_span,
    };
    entries.push((key, list(vec![value], span)));
}
