//! CloudFormation / SAM loader: reads a template (YAML or JSON) into the [`Inventory`].
//!
//! One spanned tree for both syntaxes ([`tree`]), static resolution of intrinsics
//! ([`resolve`]), plain CloudFormation resources (`template`) and the SAM transform (`sam`,
//! with policy templates from [`sam_policies`]).

pub mod resolve;
mod sam;
pub mod sam_policies;
mod template;
pub mod tree;

use std::sync::Arc;

use warden_model::{Diagnostic, Inventory, Origin, SourceFile, SourceFormat, Span, Value};

use crate::resolve::Resolver;
use crate::template::{Builder, Resource};

/// What loading one file produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Whether the file is a CloudFormation / SAM template at all (other YAML / JSON is
    /// ignored quietly by the caller).
    pub is_template: bool,
    pub inventory: Inventory,
    /// Errors (the file could not be read), warnings and notes (parts that could not be resolved).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether text that failed to parse still looks like it was meant to be a template, so that
/// the failure is reported rather than the file being skipped as unrelated YAML / JSON.
pub fn looks_like_template(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.contains("AWS::Serverless")
        || (text.contains("Resources") && (text.contains("Type: AWS::") || text.contains("\"AWS::")))
}

/// Whether a parsed document is a CloudFormation / SAM template.
fn is_template(root: &Value) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(resources) = root.get("Resources").and_then(Value::as_map) else {
        return false;
    };
    !resources.is_empty()
        && resources.iter().any(|(_, r)| {
            r.get("Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.contains("::"))
        })
}

fn format_of(text: &str) -> SourceFormat {
    if text.trim_start().starts_with('{') {
        SourceFormat::CloudFormationJson
    } else {
        SourceFormat::CloudFormationYaml
    }
}

/// Load one template. `path` is how the file is named in findings.
pub fn load(path: &str, text: &str) -> Loaded {
    let path: Arc<str> = Arc::from(path);
    let mut loaded = Loaded::default();
    if text.contains('\0') {
        if looks_like_template(text) {
            loaded.is_template = true;
            loaded.diagnostics.push(Diagnostic::error(
                "binary-input",
                Some(Origin::file(&path, Span::default())),
                "file contains binary data (NUL bytes), not a template",
            ));
        }
        return loaded;
    }
    let root = match tree::parse(text) {
        Ok(root) => root,
        Err(e) => {
            if looks_like_template(text) {
                loaded.is_template = true;
                let span = Span {
                    start: e.pos,
                    end: e.pos,
                };
                loaded.diagnostics.push(Diagnostic::error(
                    "syntax",
                    Some(Origin::file(&path, span)),
                    e.message,
                ));
            }
            return loaded;
        }
    };
    if !is_template(&root) {
        return loaded;
    }
    load_value(&path, text, &root)
}

/// Load a template that is already a [`Value`] whose spans point into `text`: what another
/// format compiles to CloudFormation (the Serverless Framework, whose `resources:` are merged
/// into the template it generates). `path` names the file in findings.
pub fn load_value(path: &str, text: &str, root: &Value) -> Loaded {
    let path: Arc<str> = Arc::from(path);
    let mut builder = Builder {
        path: path.clone(),
        resolver: Resolver::new(root),
        root,
        inv: Inventory::default(),
        diagnostics: Vec::new(),
    };
    let resources = root.get("Resources").and_then(Value::as_map).unwrap_or_default();
    if root.get("Resources").is_some_and(|r| r.as_map().is_none()) {
        builder.diagnostics.push(Diagnostic::error(
            "invalid-template",
            Some(Origin::file(
                &path,
                root.get("Resources").map(|r| r.span).unwrap_or_default(),
            )),
            "`Resources` must be a mapping of logical ids to resources",
        ));
    }
    for (key, body) in resources {
        load_resource(&mut builder, key, body);
    }
    note_unknowns(&mut builder);
    builder.inv.sources.push(SourceFile {
        path,
        format: format_of(text),
        text: Arc::from(text),
    });
    Loaded {
        is_template: true,
        inventory: builder.inv,
        diagnostics: builder.diagnostics,
    }
}

fn load_resource(builder: &mut Builder<'_>, key: &warden_model::Key, body: &Value) {
    let logical_id = key.name.as_str();
    let origin = builder.origin(body.span);
    let Some(resource_type) = body.get("Type").and_then(Value::as_str) else {
        builder.diagnostics.push(Diagnostic::error(
            "invalid-resource",
            Some(origin),
            format!("resource `{logical_id}` has no `Type` string"),
        ));
        return;
    };
    if !is_valid_type(resource_type) {
        builder.diagnostics.push(Diagnostic::warning(
            "unknown-resource-type",
            Some(origin.at(body.get("Type").map(|t| t.span).unwrap_or_default())),
            format!("resource `{logical_id}` has an unknown type `{resource_type}`; it is not analysed"),
        ));
        return;
    }
    if let Some(condition) = body.get("Condition").and_then(Value::as_str)
        && builder.resolver.condition(condition, 0) == Some(false)
    {
        builder.diagnostics.push(builder.note(
                body.span,
                format!("resource `{logical_id}` is not created: condition `{condition}` is false with the parameter defaults"),
            ));
        return;
    }
    let raw_props = body.get("Properties");
    let is_sam = resource_type.starts_with("AWS::Serverless::");
    let raw = if is_sam {
        builder.sam_properties(resource_type, raw_props, body.span)
    } else {
        raw_props
            .cloned()
            .unwrap_or_else(|| Value::new(warden_model::ValueKind::Map(Vec::new()), body.span))
    };
    let props = builder.resolver.resolve_or_null(&raw);
    let resource = Resource {
        logical_id,
        resource_type,
        body,
        key_span: key.span,
        props,
    };
    if is_sam {
        builder.add_sam_resource(&resource, &raw);
    } else {
        builder.add_resource(&resource);
    }
}

/// `Vendor::Service::Resource` (or `Custom::Name`), the shape every CloudFormation type has;
/// `AWS::Serverless::*` is checked against the SAM resource types.
fn is_valid_type(ty: &str) -> bool {
    if let Some(rest) = ty.strip_prefix("AWS::Serverless::") {
        return matches!(
            rest,
            "Function"
                | "Api"
                | "HttpApi"
                | "SimpleTable"
                | "LayerVersion"
                | "Application"
                | "StateMachine"
                | "Connector"
                | "GraphQLApi"
        );
    }
    if let Some(name) = ty.strip_prefix("Custom::") {
        return !name.is_empty();
    }
    let parts: Vec<&str> = ty.split("::").collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        || ty == "AWS::CloudFormation::CustomResource"
}

/// Notes for values rules depend on that the template alone does not decide: the analysis
/// is silent on them, and the user should know why.
fn note_unknowns(builder: &mut Builder<'_>) {
    let mut notes = Vec::new();
    for function in &builder.inv.functions {
        let Some(role) = &function.role else { continue };
        if let (None, Some(unknown)) = (&role.target, role.value.as_unknown()) {
            notes.push(builder.note(
                role.value.span,
                format!(
                    "execution role of `{}` is `{}`, not known from the template; its permissions are not analysed",
                    function.meta.name, unknown.expr
                ),
            ));
        }
    }
    for permission in &builder.inv.permissions {
        if let Some(unknown) = permission.principal.as_unknown() {
            notes.push(builder.note(
                permission.principal.span,
                format!(
                    "principal of permission `{}` is `{}`, not known from the template; who it admits is not analysed",
                    permission.meta.name, unknown.expr
                ),
            ));
        }
    }
    builder.diagnostics.extend(notes);
}
