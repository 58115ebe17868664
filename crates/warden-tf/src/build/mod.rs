//! Inventory elements from [`Resource`]s, whichever syntax they came from. References between
//! resources are unknown values naming Terraform addresses (`aws_iam_role.lambda`); a link's
//! target is the element of the address it names, or, when a value is known (plans, literal
//! names), the element it names by name or ARN.

mod api;
mod events;
mod iam;
mod lambda;
mod monitoring;

use std::collections::HashMap;

use warden_model::{Diagnostic, ElementId, Inventory, Link, Meta, Origin, Span, Value};

use crate::resource::Resource;

pub(crate) const FUNCTION: &[&str] = &["aws_lambda_function"];

/// Resource types that become (or change) Inventory elements.
pub(crate) const MODELLED: &[&str] = &[
    "aws_lambda_function",
    "aws_lambda_permission",
    "aws_lambda_function_url",
    "aws_lambda_alias",
    "aws_lambda_layer_version",
    "aws_lambda_layer_version_permission",
    "aws_lambda_event_source_mapping",
    "aws_lambda_function_event_invoke_config",
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_api_gateway_rest_api",
    "aws_api_gateway_rest_api_policy",
    "aws_api_gateway_method",
    "aws_api_gateway_method_settings",
    "aws_api_gateway_stage",
    "aws_api_gateway_deployment",
    "aws_api_gateway_authorizer",
    "aws_apigatewayv2_api",
    "aws_apigatewayv2_route",
    "aws_apigatewayv2_stage",
    "aws_apigatewayv2_authorizer",
    "aws_s3_bucket_notification",
    "aws_sns_topic_subscription",
    "aws_cloudwatch_event_target",
    "aws_scheduler_schedule",
    "aws_cloudwatch_log_subscription_filter",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_kms_key",
    "aws_subnet",
];

/// Builds the Inventory of one configuration or plan.
pub(crate) struct Builder<'r> {
    resources: &'r [Resource],
    /// Address (and address without instance keys) -> index in `resources`.
    by_address: HashMap<String, usize>,
    pub inv: Inventory,
    pub diagnostics: Vec<Diagnostic>,
}

/// Build every element, then what needs them all (policy attachments, stage settings).
pub(crate) fn build(resources: &[Resource]) -> (Inventory, Vec<Diagnostic>) {
    let mut builder = Builder::new(resources);
    for res in resources {
        builder.add(res);
    }
    for res in resources {
        builder.attach(res);
    }
    builder.note_unknowns();
    (builder.inv, builder.diagnostics)
}

/// The address without instance keys: `module.a["x"].aws_lambda_function.f[0]` ->
/// `module.a.aws_lambda_function.f` (how configuration references name instances).
pub(crate) fn strip_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            } else if c == '[' {
                depth += 1;
            } else if c == ']' {
                depth -= 1;
            }
        } else if c == '[' {
            depth = 1;
        } else {
            out.push(c);
        }
    }
    out
}

impl<'r> Builder<'r> {
    fn new(resources: &'r [Resource]) -> Builder<'r> {
        let mut by_address = HashMap::new();
        for (index, res) in resources.iter().enumerate() {
            by_address.entry(res.address.clone()).or_insert(index);
            by_address.entry(strip_keys(&res.address)).or_insert(index);
        }
        Builder {
            resources,
            by_address,
            inv: Inventory::default(),
            diagnostics: Vec::new(),
        }
    }

    fn add(&mut self, res: &Resource) {
        match res.resource_type.as_str() {
            "aws_lambda_function" => self.function(res),
            "aws_lambda_permission" => self.permission(res),
            "aws_lambda_function_url" => self.function_url(res),
            "aws_lambda_alias" => self.alias(res),
            "aws_lambda_layer_version" => self.layer(res),
            "aws_lambda_layer_version_permission" => self.layer_permission(res),
            "aws_lambda_event_source_mapping" => self.event_source_mapping(res),
            "aws_lambda_function_event_invoke_config" => self.event_invoke_config(res),
            "aws_iam_role" => self.role(res),
            "aws_iam_policy" => self.managed_policy(res, None),
            "aws_iam_role_policy" => self.managed_policy(res, res.get("role")),
            "aws_api_gateway_rest_api" => self.rest_api(res),
            "aws_api_gateway_method" => self.rest_method(res),
            "aws_api_gateway_stage" => self.rest_stage(res),
            "aws_api_gateway_deployment" => self.rest_deployment(res),
            "aws_api_gateway_authorizer" => self.authorizer(res, "rest_api_id", "type"),
            "aws_apigatewayv2_api" => self.http_api(res),
            "aws_apigatewayv2_route" => self.http_route(res),
            "aws_apigatewayv2_stage" => self.http_stage(res),
            "aws_apigatewayv2_authorizer" => self.authorizer(res, "api_id", "authorizer_type"),
            "aws_s3_bucket_notification" => self.bucket_notifications(res),
            "aws_sns_topic_subscription" => self.sns_subscription(res),
            "aws_cloudwatch_event_target" => self.event_target(res),
            "aws_scheduler_schedule" => self.scheduler(res),
            "aws_cloudwatch_log_subscription_filter" => self.log_subscription(res),
            "aws_cloudtrail" => self.trail(res),
            "aws_cloudwatch_log_group" => self.log_group(res),
            "aws_kms_key" => self.kms_key(res),
            "aws_subnet" => self.subnet(res),
            _ => {}
        }
    }

    /// Second pass: what modifies elements other resources define.
    fn attach(&mut self, res: &Resource) {
        match res.resource_type.as_str() {
            "aws_iam_role_policy_attachment" => {
                let roles: Vec<Value> = res.get("role").into_iter().collect();
                self.attach_policy(res, &roles);
            }
            "aws_iam_policy_attachment" => {
                let roles: Vec<Value> = res
                    .get("roles")
                    .map(|r| r.items().into_iter().cloned().collect())
                    .unwrap_or_default();
                self.attach_policy(res, &roles);
            }
            "aws_api_gateway_rest_api_policy" => self.rest_api_policy(res),
            "aws_api_gateway_method_settings" => self.method_settings(res),
            _ => {}
        }
    }

    pub fn id(&self, res: &Resource) -> ElementId {
        format!("{}#{}", res.path, res.address)
    }

    pub fn origin(&self, res: &Resource, span: Span) -> Origin {
        Origin::file(&res.path, span.or(res.span))
    }

    pub fn meta(&self, res: &Resource) -> Meta {
        Meta {
            id: self.id(res),
            name: res.name.clone(),
            resource_type: res.resource_type.clone(),
            origin: Origin::file(&res.path, res.span),
            implied_by: res
                .implied_by
                .as_ref()
                .map(|address| match self.resource(address) {
                    Some(implying) => self.id(implying),
                    None => format!("{}#{address}", res.path),
                }),
            skips: res.skips.clone(),
        }
    }

    /// The resource an address names (an instance address also finds its resource).
    pub fn resource(&self, address: &str) -> Option<&'r Resource> {
        let index = self
            .by_address
            .get(address)
            .or_else(|| self.by_address.get(&strip_keys(address)))?;
        self.resources.get(*index)
    }

    /// The first resource of one of `types` that `value` refers to (any branch of it).
    pub fn referenced(&self, value: &Value, types: &[&str]) -> Option<&'r Resource> {
        self.referenced_at(value, types, 0)
    }

    fn referenced_at(&self, value: &Value, types: &[&str], depth: usize) -> Option<&'r Resource> {
        value
            .candidates()
            .into_iter()
            .find_map(|candidate| match candidate.as_unknown() {
                Some(unknown) => unknown.refs.iter().find_map(|r| {
                    let res = self.resource(r)?;
                    if types.contains(&res.resource_type.as_str()) {
                        return Some(res);
                    }
                    // An alias stands for its function.
                    let through_alias = depth == 0
                        && res.resource_type == "aws_lambda_alias"
                        && types.iter().any(|t| FUNCTION.contains(t));
                    let function = res.get("function_name").filter(|_| through_alias)?;
                    self.referenced_at(&function, types, depth + 1)
                }),
                None => candidate.as_str().and_then(|text| self.named(text, types)),
            })
    }

    /// A resource of one of `types` that a known name or ARN designates.
    fn named(&self, text: &str, types: &[&str]) -> Option<&'r Resource> {
        if text.is_empty() {
            return None;
        }
        self.resources
            .iter()
            .filter(|res| types.contains(&res.resource_type.as_str()))
            .find(|res| names(res, text))
    }

    pub fn target(&self, value: &Value, types: &[&str]) -> Option<ElementId> {
        self.referenced(value, types).map(|res| self.id(res))
    }

    pub fn link(&self, value: &Value, types: &[&str]) -> Link {
        Link {
            target: self.target(value, types),
            value: value.clone(),
        }
    }

    /// A link from an argument, a null value at the resource when it is not written.
    pub fn link_arg(&self, res: &Resource, name: &str, types: &[&str]) -> Link {
        let value = res.get(name).unwrap_or_else(|| Value::null(res.span));
        self.link(&value, types)
    }

    /// A link to the resource itself, as its own references name it.
    pub fn self_link(&self, res: &Resource) -> Link {
        Link {
            target: Some(self.id(res)),
            value: Value::unknown(res.address.clone(), vec![res.address.clone()], res.span),
        }
    }

    pub fn note(&self, res: &Resource, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::note("unresolved", Some(self.origin(res, span)), message)
    }

    /// Notes for values rules depend on that the configuration alone does not decide: the
    /// analysis is silent on them, and the user should know why.
    fn note_unknowns(&mut self) {
        let mut notes = Vec::new();
        for function in &self.inv.functions {
            let Some(role) = &function.role else { continue };
            if let (None, Some(unknown)) = (&role.target, role.value.as_unknown()) {
                notes.push(Diagnostic::note(
                    "unresolved",
                    Some(function.meta.origin.at(role.value.span)),
                    format!(
                        "execution role of `{}` is `{}`, not known from the configuration; its permissions are not analysed",
                        function.meta.name, unknown.expr
                    ),
                ));
            }
        }
        for permission in &self.inv.permissions {
            if let Some(unknown) = permission.principal.as_unknown() {
                notes.push(Diagnostic::note(
                    "unresolved",
                    Some(permission.meta.origin.at(permission.principal.span)),
                    format!(
                        "principal of permission `{}` is `{}`, not known from the configuration; who it admits is not analysed",
                        permission.meta.name, unknown.expr
                    ),
                ));
            }
        }
        self.diagnostics.extend(notes);
    }
}

/// Whether a known name or ARN designates `res`: its name argument, or an ARN ending in it, or
/// (in plans of existing resources) its known `arn`.
fn names(res: &Resource, text: &str) -> bool {
    let arg = |name: &str| res.get(name).and_then(|v| v.as_str().map(str::to_string));
    if arg("arn").as_deref() == Some(text) {
        return true;
    }
    match res.resource_type.as_str() {
        "aws_lambda_function" => arg("function_name").is_some_and(|name| {
            text == name
                || text
                    .split_once(":function:")
                    .is_some_and(|(_, rest)| rest.split(':').next() == Some(name.as_str()))
        }),
        "aws_iam_role" => arg("name").is_some_and(|name| {
            text == name || (text.contains(":role/") && text.rsplit('/').next() == Some(name.as_str()))
        }),
        // `arn:aws:iam::aws:policy/X` is the AWS managed policy, never a policy of the source.
        "aws_iam_policy" => arg("name").is_some_and(|name| {
            text.contains(":policy/")
                && !text.contains("::aws:policy/")
                && text.rsplit('/').next() == Some(name.as_str())
        }),
        "aws_lambda_layer_version" => arg("layer_arn").as_deref() == Some(text),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_keys_are_stripped() {
        assert_eq!(strip_keys("aws_lambda_function.f[0]"), "aws_lambda_function.f");
        assert_eq!(
            strip_keys(r#"module.a["x]y"].aws_iam_role.r["k"]"#),
            "module.a.aws_iam_role.r"
        );
    }
}
