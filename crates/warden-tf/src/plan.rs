//! `terraform show -json` output (plans, and state snapshots): the resources of
//! `planned_values` (or `values`) with their known values, completed from `configuration` with
//! the references of values known only after apply, so a permission still links to its
//! function. Only format version 1.x is read; a later major version is refused.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as J;
use warden_model::{Diagnostic, Key, Origin, SourceFile, SourceFormat, Span, Value, ValueKind};

use crate::Loaded;
use crate::build::strip_keys;
use crate::resource::Resource;
use crate::text::SourceText;

/// Deepest module nesting followed (JSON nesting is also limited by the parser).
const MAX_MODULE_DEPTH: usize = 32;

/// Whether text looks like `terraform show -json` output, before parsing it.
pub(crate) fn looks_like_plan(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
        && text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"terraform_version\""))
}

fn is_plan(json: &J) -> bool {
    json.get("format_version").is_some()
        && (json.get("planned_values").is_some() || json.get("terraform_version").is_some())
}

/// Load plan (or state) JSON; see the module documentation.
pub(crate) fn load(path: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    if !looks_like_plan(text) {
        return loaded;
    }
    let src = SourceText::new(path, text);
    let json: J = match serde_json::from_str(&crate::text::parsable(text)) {
        Ok(json) => json,
        Err(e) => {
            loaded.is_template = true;
            let pos = match src.line_start(e.line()) {
                Some(start) => src.pos(start + e.column().saturating_sub(1)),
                None => src.pos(text.len()),
            };
            loaded.diagnostics.push(Diagnostic::error(
                "syntax",
                Some(Origin::file(&src.path, Span { start: pos, end: pos })),
                format!("invalid JSON in Terraform plan: {e}"),
            ));
            return loaded;
        }
    };
    if !is_plan(&json) {
        return loaded;
    }
    loaded.is_template = true;
    let origin = Origin::file(&src.path, Span::default());
    if let Err(message) = check_version(&json) {
        loaded.diagnostics.push(Diagnostic::error(
            "unsupported-plan-version",
            Some(origin),
            message,
        ));
        return loaded;
    }
    let root = json
        .get("planned_values")
        .or_else(|| json.get("values"))
        .and_then(|v| v.get("root_module"));
    let mut planned = Vec::new();
    if let Some(root) = root {
        walk_modules(root, &mut planned, 0);
    }
    let mut configuration = HashMap::new();
    if let Some(root) = json.get("configuration").and_then(|c| c.get("root_module")) {
        index_configuration(root, String::new(), &mut configuration, 0);
    }
    let positions = address_positions(&src);
    let resources: Vec<Resource> = planned
        .into_iter()
        .filter_map(|r| resource(r, &configuration, &positions, &src.path))
        .collect();
    let (mut inventory, diagnostics) = crate::build::build(&resources);
    inventory.sources.push(SourceFile {
        path: src.path.clone(),
        format: SourceFormat::TerraformPlan,
        text: src.text.clone(),
    });
    loaded.inventory = inventory;
    loaded.diagnostics = diagnostics;
    loaded
}

/// Format version 1.x is the stable one (minor versions only add fields).
fn check_version(json: &J) -> Result<(), String> {
    let Some(version) = json.get("format_version").and_then(J::as_str) else {
        return Err("`format_version` of the Terraform plan is not a string".into());
    };
    match version.split('.').next().and_then(|m| m.parse::<u64>().ok()) {
        Some(1) => Ok(()),
        _ => Err(format!(
            "Terraform plan format version {version} is not supported (only 1.x): produce the plan with a Terraform release that writes format 1"
        )),
    }
}

/// Every resource of a module and its child modules.
fn walk_modules<'j>(module: &'j J, out: &mut Vec<&'j J>, depth: usize) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    if let Some(resources) = module.get("resources").and_then(J::as_array) {
        out.extend(resources);
    }
    for child in module
        .get("child_modules")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        walk_modules(child, out, depth + 1);
    }
}

/// The configuration of one resource: its module prefix and its argument expressions.
struct Configured<'j> {
    prefix: String,
    expressions: &'j J,
}

/// Configured resources by address without instance keys (`module.m.aws_x.y`).
fn index_configuration<'j>(
    module: &'j J,
    prefix: String,
    out: &mut HashMap<String, Configured<'j>>,
    depth: usize,
) {
    if depth > MAX_MODULE_DEPTH {
        return;
    }
    for resource in module
        .get("resources")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        let (Some(address), Some(expressions)) = (
            resource.get("address").and_then(J::as_str),
            resource.get("expressions"),
        ) else {
            continue;
        };
        out.insert(
            format!("{prefix}{address}"),
            Configured {
                prefix: prefix.clone(),
                expressions,
            },
        );
    }
    for (name, call) in module
        .get("module_calls")
        .and_then(J::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(child) = call.get("module") {
            index_configuration(child, format!("{prefix}module.{name}."), out, depth + 1);
        }
    }
}

/// Where each resource's `"address"` is written in `planned_values` (the first occurrence from
/// there on), found in one pass over the text.
fn address_positions(src: &SourceText) -> HashMap<String, Span> {
    let text: &str = &src.text;
    let start = text.find("\"planned_values\"").unwrap_or(0);
    let mut out = HashMap::new();
    for (at, _) in text[start..].match_indices("\"address\"") {
        let after = start + at + "\"address\"".len();
        let rest = text[after..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let value_start = text.len() - rest.trim_start().len();
        let mut values = serde_json::Deserializer::from_str(&text[value_start..]).into_iter::<String>();
        if let Some(Ok(address)) = values.next() {
            let end = value_start + values.byte_offset();
            out.entry(address).or_insert_with(|| src.span(value_start..end));
        }
    }
    out
}

/// One planned resource (managed resources only; data sources are already resolved into the
/// values that use them).
fn resource(
    planned: &J,
    configuration: &HashMap<String, Configured<'_>>,
    positions: &HashMap<String, Span>,
    path: &Arc<str>,
) -> Option<Resource> {
    if planned.get("mode").and_then(J::as_str) != Some("managed") {
        return None;
    }
    let address = planned.get("address")?.as_str()?.to_string();
    let resource_type = planned.get("type")?.as_str()?.to_string();
    let configured = configuration.get(&strip_keys(&address));
    let values = planned.get("values");
    let props = merge(
        values,
        configured.map(|c| c.expressions),
        configured.map_or("", |c| c.prefix.as_str()),
    )
    .filter(|p| p.as_map().is_some())
    .unwrap_or_else(|| Value::new(ValueKind::Map(Vec::new()), Span::default()));
    Some(Resource {
        span: positions.get(&address).copied().unwrap_or_default(),
        name: address.clone(),
        address,
        resource_type,
        path: path.clone(),
        props,
        implied_by: None,
        skips: Vec::new(),
    })
}

/// Known values, with what is known only after apply filled in from the configuration: an
/// expression that references resources becomes an unknown value naming them.
fn merge(values: Option<&J>, expression: Option<&J>, prefix: &str) -> Option<Value> {
    match (values, expression) {
        (Some(J::Array(items)), Some(J::Array(blocks))) => {
            let merged = (0..items.len().max(blocks.len()))
                .filter_map(|i| merge(items.get(i), blocks.get(i), prefix))
                .collect();
            Some(Value::new(ValueKind::List(merged), Span::default()))
        }
        (Some(J::Object(fields)), Some(J::Object(block))) if !is_expression(block) => {
            let mut entries: Vec<(Key, Value)> = Vec::new();
            for (name, value) in fields {
                if let Some(merged) = merge(Some(value), block.get(name), prefix) {
                    entries.push((key(name), merged));
                }
            }
            for (name, expression) in block {
                if !fields.contains_key(name)
                    && let Some(merged) = merge(None, Some(expression), prefix)
                {
                    entries.push((key(name), merged));
                }
            }
            Some(Value::new(ValueKind::Map(entries), Span::default()))
        }
        (Some(value), _) if !value.is_null() => Some(crate::json::from_json(value, Span::default())),
        (_, Some(J::Object(block))) if is_expression(block) => references(block, prefix),
        (_, Some(J::Object(block))) => {
            let entries: Vec<(Key, Value)> = block
                .iter()
                .filter_map(|(name, e)| Some((key(name), merge(None, Some(e), prefix)?)))
                .collect();
            (!entries.is_empty()).then(|| Value::new(ValueKind::Map(entries), Span::default()))
        }
        (_, Some(J::Array(blocks))) => {
            let merged: Vec<Value> = blocks
                .iter()
                .filter_map(|b| merge(None, Some(b), prefix))
                .collect();
            (!merged.is_empty()).then(|| Value::new(ValueKind::List(merged), Span::default()))
        }
        _ => None,
    }
}

fn key(name: &str) -> Key {
    Key {
        name: name.to_string(),
        span: Span::default(),
    }
}

/// An argument's expression (`{"references": [...]}` or `{"constant_value": ...}`), as opposed
/// to a nested block.
fn is_expression(block: &serde_json::Map<String, J>) -> bool {
    !block.is_empty() && block.keys().all(|k| k == "references" || k == "constant_value")
}

/// An unknown value for an expression that references resources (`aws_iam_role.lambda.arn`).
fn references(expression: &serde_json::Map<String, J>, prefix: &str) -> Option<Value> {
    let written: Vec<&str> = expression
        .get("references")?
        .as_array()?
        .iter()
        .filter_map(J::as_str)
        .collect();
    let mut refs: Vec<String> = Vec::new();
    for reference in &written {
        if let Some(address) = address_of(reference, prefix)
            && !refs.contains(&address)
        {
            refs.push(address);
        }
    }
    let expr = written.first()?;
    Some(Value::unknown(*expr, refs, Span::default()))
}

/// The resource address a configuration reference names, with its module prefix; `None` for
/// variables, locals and other names that are not resources.
fn address_of(reference: &str, prefix: &str) -> Option<String> {
    let stripped = strip_keys(reference);
    let parts: Vec<&str> = stripped.split('.').collect();
    let take = match *parts.first()? {
        "var" | "local" | "each" | "count" | "path" | "self" | "terraform" => return None,
        "data" => 3,
        _ => 2,
    };
    if parts.len() < take {
        return None;
    }
    Some(format!("{prefix}{}", parts[..take].join(".")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_resources_with_their_module() {
        assert_eq!(
            address_of("aws_iam_role.lambda.arn", ""),
            Some("aws_iam_role.lambda".into())
        );
        assert_eq!(
            address_of("aws_iam_role.lambda[0]", "module.m."),
            Some("module.m.aws_iam_role.lambda".into())
        );
        assert_eq!(
            address_of("data.aws_iam_policy_document.p.json", ""),
            Some("data.aws_iam_policy_document.p".into())
        );
        assert_eq!(
            address_of("module.lambda.lambda_function_name", ""),
            Some("module.lambda".into())
        );
        assert_eq!(address_of("var.name", ""), None);
    }

    #[test]
    fn versions_other_than_one_are_refused() {
        assert!(check_version(&serde_json::json!({"format_version": "1.2"})).is_ok());
        assert!(check_version(&serde_json::json!({"format_version": "2.0"})).is_err());
        assert!(check_version(&serde_json::json!({"format_version": 1})).is_err());
    }
}
