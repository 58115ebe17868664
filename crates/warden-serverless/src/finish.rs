//! From the CloudFormation loader's Inventory of the compiled template to the service's:
//! generated elements named as the user wrote them, functions' code locations, the triggers,
//! and the source file recorded as Serverless.

use std::collections::HashMap;
use std::sync::Arc;

use warden_cfn::resolve::Resolver;
use warden_model::{CodeLocation, Diagnostic, EventSource, Inventory, Link, Meta, Origin, SourceFile, Value};

use crate::build::{at, set};
use crate::compile::{Compiled, FunctionDef};

pub(crate) fn finish(
    path: &Arc<str>,
    source: SourceFile,
    compiled: Compiled,
    cfn: warden_cfn::Loaded,
    doc: &Value,
) -> (Inventory, Vec<Diagnostic>) {
    let Compiled {
        template,
        names,
        triggers,
        functions,
        mut diagnostics,
    } = compiled;
    let mut inventory = cfn.inventory;
    let id = |logical: &str| format!("{path}#{logical}");

    for meta in metas_mut(&mut inventory) {
        let Some(logical) = meta.id.strip_prefix(&format!("{path}#")) else {
            continue;
        };
        let logical = logical.split('.').next().unwrap_or(logical);
        if let Some(naming) = names.get(logical) {
            meta.name = naming.name.clone();
            meta.implied_by = naming.implied_by.as_deref().map(id);
        }
    }

    let by_logical: HashMap<&str, &FunctionDef> = functions.iter().map(|f| (f.logical.as_str(), f)).collect();
    for function in &mut inventory.functions {
        let Some(logical) = function.meta.id.strip_prefix(&format!("{path}#")) else {
            continue;
        };
        if let Some(def) = by_logical.get(logical) {
            function.code = code(def, doc);
        }
    }

    let resolver = Resolver::new(&template);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for trigger in triggers {
        let Some(def) = by_logical.get(trigger.function.as_str()) else {
            continue;
        };
        let function_id = id(&trigger.function);
        let exists = inventory.functions.iter().any(|f| f.meta.id == function_id);
        if !exists {
            // Not created (a false `condition`): nothing to trigger.
            continue;
        }
        let mut element_id = format!("{function_id}.Events.{}", trigger.index);
        let count = seen.entry(element_id.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            element_id = format!("{element_id}.{count}");
        }
        let resolve = |v: Option<Value>| v.map(|v| resolver.resolve_or_null(&v)).filter(|v| !v.is_null());
        inventory.event_sources.push(EventSource {
            meta: Meta {
                id: element_id,
                name: def.name.clone(),
                resource_type: trigger.resource_type.to_string(),
                origin: Origin::file(path, trigger.span),
                implied_by: Some(function_id.clone()),
                skips: Vec::new(),
            },
            kind: trigger.kind,
            function: Link {
                target: Some(function_id),
                value: Value::unknown(
                    format!("!GetAtt {}.Arn", trigger.function),
                    vec![trigger.function.clone()],
                    trigger.span,
                ),
            },
            source: resolve(trigger.source),
            on_failure_destination: resolve(trigger.on_failure),
        });
    }

    inventory.sources = vec![source];

    // The CloudFormation loader names functions by logical id in its messages.
    let renames: Vec<(String, String)> = functions
        .iter()
        .map(|f| (format!("`{}`", f.logical), format!("`{}`", f.name)))
        .collect();
    for mut diagnostic in cfn.diagnostics {
        for (from, to) in &renames {
            if diagnostic.message.contains(from.as_str()) {
                diagnostic.message = diagnostic.message.replace(from.as_str(), to);
            }
        }
        diagnostics.push(diagnostic);
    }
    (inventory, diagnostics)
}

/// Where a function's code comes from: its image, or the package the framework builds from
/// the service directory (or the `package.artifact` given).
fn code(def: &FunctionDef, doc: &Value) -> Option<CodeLocation> {
    if let Some(image) = set(&def.body, "image") {
        let uri = match image.get("uri").or_else(|| image.get("name")) {
            Some(v) if image.as_map().is_some() => v.clone(),
            _ => image.clone(),
        };
        return Some(CodeLocation::Image(uri));
    }
    let handler = set(&def.body, "handler")?;
    let artifact = at(&def.body, &["package", "artifact"])
        .or_else(|| at(doc, &["package", "artifact"]))
        .cloned();
    Some(CodeLocation::Local(
        artifact.unwrap_or_else(|| Value::string(".", handler.span)),
    ))
}

/// Every element's metadata.
fn metas_mut(inv: &mut Inventory) -> Vec<&mut Meta> {
    let mut metas: Vec<&mut Meta> = Vec::new();
    metas.extend(inv.functions.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.roles.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.managed_policies.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.permissions.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.layers.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.layer_permissions.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.function_urls.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.aliases.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.apis.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.routes.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.authorizers.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.stages.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.event_sources.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.event_invoke_configs.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.trails.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.log_groups.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.kms_keys.iter_mut().map(|e| &mut e.meta));
    metas.extend(inv.subnets.iter_mut().map(|e| &mut e.meta));
    metas
}
