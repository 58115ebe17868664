//! The registry module `terraform-aws-modules/lambda/aws`, understood from its inputs since its
//! source is not on disk: the function, its role and policies, URL, permissions for
//! `allowed_triggers`, log group, asynchronous destinations and event source mappings, as the
//! module creates them (same defaults). They are named after the module block, with the
//! module's own resource addresses as ids, so findings and suppressions refer to the block.

use hcl_edit::structure::Block;
use warden_model::{Span, Value, ValueKind};

use super::eval::{Config, Ctx};
use super::resources::header_span;
use super::skip;
use crate::json::{Part, join_parts, part};
use crate::policy::statement_from_fields;
use crate::resource::{Resource, document, list, map, non_empty};

/// The address an output of the module refers to (`module.x.lambda_role_arn` -> the role).
pub(crate) fn output_address(module: &str, output: &str) -> String {
    let inner = if output.starts_with("lambda_role_") {
        ".aws_iam_role.lambda"
    } else if output.starts_with("lambda_cloudwatch_log_group_") {
        ".aws_cloudwatch_log_group.lambda"
    } else if output.starts_with("lambda_function_url") {
        ".aws_lambda_function_url.this"
    } else {
        ""
    };
    format!("{module}{inner}")
}

/// The module block's inputs, evaluated where the block is written.
struct Inputs<'c, 's> {
    config: &'c Config<'s>,
    block: &'s Block,
    ctx: Ctx<'s>,
    span: Span,
    address: &'c str,
}

impl Inputs<'_, '_> {
    /// An input, absent when not written or `null` (the module's defaults are mostly `null`).
    fn get(&self, name: &str) -> Option<Value> {
        let attr = self.block.body.get_attribute(name)?;
        let value = if matches!(name, "policy_json") {
            self.config.policy(&attr.value, self.ctx, 0)
        } else {
            self.config.eval(&attr.value, self.ctx, 0)
        };
        (!value.is_null()).then_some(value)
    }

    /// A boolean input with the module's default; `None` (with a note) when it is not known.
    fn flag(&self, name: &str, default: bool) -> Option<bool> {
        let Some(value) = self.get(name) else {
            return Some(default);
        };
        let known = value.as_bool();
        if known.is_none() {
            self.config.note(
                &self.ctx,
                "unresolved",
                value.span,
                format!(
                    "`{name}` of `{}` is `{}`, not known from the configuration; what it enables is not analysed",
                    self.address,
                    value.display()
                ),
            );
        }
        known
    }

    fn string(&self, text: &str) -> Value {
        Value::string(text, self.span)
    }

    /// An element the module creates, at `suffix` below the module's address.
    fn element(&self, suffix: &str, resource_type: &str, props: Vec<(&str, Value)>) -> Resource {
        let own = suffix.is_empty();
        Resource {
            address: format!("{}{suffix}", self.address),
            resource_type: resource_type.to_string(),
            path: self.ctx.src.path.clone(),
            span: self.span,
            props: map(props, self.span),
            name: self.address.to_string(),
            implied_by: (!own).then(|| self.address.to_string()),
            skips: if own {
                skip::skips(self.ctx.src, self.span.start.line as usize)
            } else {
                Vec::new()
            },
        }
    }

    /// How the module's own resources refer to its function.
    fn function_ref(&self) -> Value {
        Value::unknown(
            format!("{}.lambda_function_name", self.address),
            vec![self.address.to_string()],
            self.span,
        )
    }
}

/// A one-block list, as nested blocks are written in resource arguments.
fn one_block(entries: Vec<(&str, Value)>, span: Span) -> Value {
    list(vec![map(entries, span)], span)
}

impl<'s> Config<'s> {
    /// What a `terraform-aws-modules/lambda/aws` block creates, as resources at `address`.
    pub fn lambda_module(&self, block: &'s Block, ctx: Ctx<'s>, address: &str) -> Vec<Resource> {
        let inputs = Inputs {
            config: self,
            block,
            ctx,
            span: header_span(block, ctx),
            address,
        };
        if inputs.flag("create", true) != Some(true) || inputs.flag("create_function", true) == Some(false) {
            return Vec::new();
        }
        if inputs.flag("create_layer", false) == Some(true) {
            return vec![layer(&inputs)];
        }
        let mut out = Vec::new();
        let create_role = inputs.flag("create_role", true);
        out.push(function(&inputs, create_role == Some(true)));
        if create_role == Some(true) {
            out.push(role(&inputs));
        }
        if inputs.flag("create_lambda_function_url", false) == Some(true) {
            out.push(function_url(&inputs));
        }
        out.extend(permissions(&inputs));
        if inputs.flag("use_existing_cloudwatch_log_group", false) == Some(false) {
            out.push(log_group(&inputs));
        }
        if inputs.flag("create_async_event_config", false) == Some(true) {
            out.push(event_invoke_config(&inputs));
        }
        out.extend(event_source_mappings(&inputs));
        out
    }
}

/// The function, its settings taken from the inputs of the same meaning.
fn function(inputs: &Inputs<'_, '_>, own_role: bool) -> Resource {
    let span = inputs.span;
    let mut props: Vec<(&str, Value)> = Vec::new();
    for name in [
        "function_name",
        "handler",
        "runtime",
        "memory_size",
        "timeout",
        "architectures",
        "layers",
        "kms_key_arn",
        "code_signing_config_arn",
        "image_uri",
        "tags",
        "reserved_concurrent_executions",
    ] {
        props.extend(inputs.get(name).map(|v| (name, v)));
    }
    props.push((
        "package_type",
        inputs.get("package_type").unwrap_or_else(|| inputs.string("Zip")),
    ));
    if let Some(variables) = inputs.get("environment_variables")
        && !matches!(&variables.kind, ValueKind::Map(entries) if entries.is_empty())
    {
        props.push(("environment", one_block(vec![("variables", variables)], span)));
    }
    if let Some(mode) = inputs.get("tracing_mode") {
        props.push(("tracing_config", one_block(vec![("mode", mode)], span)));
    }
    if let Some(target) = inputs.get("dead_letter_target_arn") {
        props.push((
            "dead_letter_config",
            one_block(vec![("target_arn", target)], span),
        ));
    }
    if let (Some(subnets), Some(groups)) =
        (inputs.get("vpc_subnet_ids"), inputs.get("vpc_security_group_ids"))
    {
        let config = vec![("subnet_ids", subnets), ("security_group_ids", groups)];
        props.push(("vpc_config", one_block(config, span)));
    }
    let role = if own_role {
        Some(Value::unknown(
            format!("{}.lambda_role_arn", inputs.address),
            vec![format!("{}.aws_iam_role.lambda", inputs.address)],
            span,
        ))
    } else {
        inputs.get("lambda_role")
    };
    props.extend(role.map(|r| ("role", r)));
    props.extend(code(inputs));
    inputs.element("", "aws_lambda_function", props)
}

/// The package: an existing local file, the source path the module builds from, or S3.
fn code(inputs: &Inputs<'_, '_>) -> Vec<(&'static str, Value)> {
    if let Some(package) = inputs.get("s3_existing_package") {
        let bucket = package
            .get("bucket")
            .cloned()
            .unwrap_or_else(|| Value::null(package.span));
        let key = package
            .get("key")
            .cloned()
            .unwrap_or_else(|| Value::null(package.span));
        return vec![("s3_bucket", bucket), ("s3_key", key)];
    }
    let local = inputs
        .get("local_existing_package")
        .or_else(|| inputs.get("source_path").filter(|p| p.as_str().is_some()));
    local.map(|path| vec![("filename", path)]).unwrap_or_default()
}

/// With `create_layer = true` the module creates a layer instead of a function.
fn layer(inputs: &Inputs<'_, '_>) -> Resource {
    let mut props: Vec<(&str, Value)> = Vec::new();
    props.extend(inputs.get("layer_name").map(|v| ("layer_name", v)));
    let runtimes = non_empty(inputs.get("compatible_runtimes"))
        .or_else(|| inputs.get("runtime").map(|r| list(vec![r], inputs.span)));
    props.extend(runtimes.map(|v| ("compatible_runtimes", v)));
    props.extend(code(inputs));
    inputs.element("", "aws_lambda_layer_version", props)
}

/// The execution role: trust for Lambda, the policies the inputs attach.
fn role(inputs: &Inputs<'_, '_>) -> Resource {
    let span = inputs.span;
    let mut inline = Vec::new();
    let mut managed = Vec::new();
    let mut add_inline = |name: &str, policy: Value| {
        inline.push(map(
            vec![("name", Value::string(name, policy.span)), ("policy", policy)],
            span,
        ));
    };
    if inputs.flag("attach_cloudwatch_logs_policy", true) == Some(true) {
        let logs = statement_document(
            &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            Value::unknown(
                format!("{}.lambda_cloudwatch_log_group_arn", inputs.address),
                vec![format!("{}.aws_cloudwatch_log_group.lambda", inputs.address)],
                span,
            ),
            span,
        );
        add_inline("logs", logs);
    }
    if inputs.flag("attach_policy_json", false) == Some(true)
        && let Some(policy) = inputs.get("policy_json")
    {
        add_inline("policy_json", document(policy));
    }
    if inputs.flag("attach_policy_jsons", false) == Some(true)
        && let Some(policies) = inputs.get("policy_jsons")
    {
        for (i, policy) in policies.items().into_iter().enumerate() {
            add_inline(&format!("policy_jsons[{i}]"), document(policy.clone()));
        }
    }
    if inputs.flag("attach_policy_statements", false) == Some(true)
        && let Some(statements) = inputs.get("policy_statements")
    {
        add_inline("policy_statements", statements_document(&statements));
    }
    if inputs.flag("attach_dead_letter_policy", false) == Some(true)
        && let Some(target) = inputs.get("dead_letter_target_arn")
    {
        add_inline(
            "dead_letter",
            statement_document(&["sns:Publish", "sqs:SendMessage"], target, span),
        );
    }
    if inputs.flag("attach_async_event_policy", false) == Some(true) {
        let destinations: Vec<Value> = ["destination_on_failure", "destination_on_success"]
            .into_iter()
            .filter_map(|d| inputs.get(d))
            .collect();
        let actions = [
            "sns:Publish",
            "sqs:SendMessage",
            "events:PutEvents",
            "lambda:InvokeFunction",
        ];
        add_inline(
            "async",
            statement_document(&actions, list(destinations, span), span),
        );
    }
    if inputs.flag("attach_policy", false) == Some(true)
        && let Some(policy) = inputs.get("policy")
    {
        managed.push(policy);
    }
    if inputs.flag("attach_policies", false) == Some(true)
        && let Some(policies) = inputs.get("policies")
    {
        managed.extend(policies.items().into_iter().cloned());
    }
    if inputs.flag("attach_tracing_policy", false) == Some(true) {
        managed.push(inputs.string("arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"));
    }
    if inputs.flag("attach_network_policy", false) == Some(true) {
        managed.push(inputs.string("arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"));
    }
    let mut services = vec![inputs.string("lambda.amazonaws.com")];
    if inputs.flag("lambda_at_edge", false) == Some(true) {
        services.push(inputs.string("edgelambda.amazonaws.com"));
    }
    let trust = map(
        vec![
            ("Version", inputs.string("2012-10-17")),
            (
                "Statement",
                list(
                    vec![map(
                        vec![
                            ("Effect", inputs.string("Allow")),
                            ("Principal", map(vec![("Service", list(services, span))], span)),
                            ("Action", inputs.string("sts:AssumeRole")),
                        ],
                        span,
                    )],
                    span,
                ),
            ),
        ],
        span,
    );
    let mut props = vec![
        ("assume_role_policy", trust),
        ("inline_policy", list(inline, span)),
        ("managed_policy_arns", list(managed, span)),
    ];
    props.extend(
        inputs
            .get("role_name")
            .or_else(|| inputs.get("function_name"))
            .map(|n| ("name", n)),
    );
    props.extend(
        inputs
            .get("role_permissions_boundary")
            .map(|b| ("permissions_boundary", b)),
    );
    inputs.element(".aws_iam_role.lambda", "aws_iam_role", props)
}

/// `policy_statements = { name = { effect, actions, resources, principals, condition } }`.
fn statements_document(statements: &Value) -> Value {
    let span = statements.span;
    let items: Vec<Value> = match &statements.kind {
        ValueKind::Map(entries) => entries
            .iter()
            .map(|(_, fields)| statement_from_fields(fields))
            .collect(),
        _ => return statements.clone(),
    };
    map(
        vec![
            ("Version", Value::string("2012-10-17", span)),
            ("Statement", list(items, span)),
        ],
        span,
    )
}

/// A one-statement Allow document.
fn statement_document(actions: &[&str], resource: Value, span: Span) -> Value {
    let actions = list(actions.iter().map(|a| Value::string(*a, span)).collect(), span);
    let statement = map(
        vec![
            ("Effect", Value::string("Allow", span)),
            ("Action", actions),
            ("Resource", resource),
        ],
        span,
    );
    map(
        vec![
            ("Version", Value::string("2012-10-17", span)),
            ("Statement", list(vec![statement], span)),
        ],
        span,
    )
}

/// `create_lambda_function_url`: the URL, unauthenticated unless `authorization_type` says.
fn function_url(inputs: &Inputs<'_, '_>) -> Resource {
    let mut props = vec![
        ("function_name", inputs.function_ref()),
        // The module's default is an unauthenticated URL.
        (
            "authorization_type",
            inputs
                .get("authorization_type")
                .unwrap_or_else(|| inputs.string("NONE")),
        ),
    ];
    if let Some(cors) = inputs.get("cors")
        && !matches!(&cors.kind, ValueKind::Map(entries) if entries.is_empty())
    {
        let span = cors.span;
        props.push(("cors", list(vec![cors], span)));
    }
    inputs.element(".aws_lambda_function_url.this", "aws_lambda_function_url", props)
}

/// `allowed_triggers = { Name = { service | principal, source_arn, ... } }`: one permission each.
fn permissions(inputs: &Inputs<'_, '_>) -> Vec<Resource> {
    let Some(triggers) = inputs.get("allowed_triggers") else {
        return Vec::new();
    };
    let Some(entries) = triggers.as_map() else {
        inputs.config.note(
            &inputs.ctx,
            "unresolved",
            triggers.span,
            format!(
                "`allowed_triggers` of `{}` is not known from the configuration; its permissions are not analysed",
                inputs.address
            ),
        );
        return Vec::new();
    };
    entries
        .iter()
        .map(|(key, trigger)| {
            let span = trigger.span;
            let field = |name: &str| trigger.get(name).filter(|v| !v.is_null()).cloned();
            let principal = field("principal").unwrap_or_else(|| match field("service") {
                Some(service) => join_parts(vec![part(service), Part::Text(".amazonaws.com".into())], span),
                None if trigger.is_unknown() => trigger.clone(),
                None => Value::string(".amazonaws.com", span),
            });
            let mut props = vec![
                ("function_name", inputs.function_ref()),
                (
                    "action",
                    field("action").unwrap_or_else(|| Value::string("lambda:InvokeFunction", span)),
                ),
                ("principal", principal),
            ];
            for name in [
                "source_arn",
                "source_account",
                "principal_org_id",
                "event_source_token",
            ] {
                props.extend(field(name).map(|v| (name, v)));
            }
            let suffix = format!(
                ".aws_lambda_permission.unqualified_alias_triggers[\"{}\"]",
                key.name
            );
            inputs.element(&suffix, "aws_lambda_permission", props)
        })
        .collect()
}

/// The module creates `/aws/lambda/<function_name>` itself, with its retention and key inputs.
fn log_group(inputs: &Inputs<'_, '_>) -> Resource {
    let span = inputs.span;
    let name = inputs
        .get("function_name")
        .map(|n| join_parts(vec![Part::Text("/aws/lambda/".into()), part(n)], span));
    let mut props: Vec<(&str, Value)> = name.map(|n| ("name", n)).into_iter().collect();
    props.extend(
        inputs
            .get("cloudwatch_logs_retention_in_days")
            .map(|v| ("retention_in_days", v)),
    );
    props.extend(
        inputs
            .get("cloudwatch_logs_kms_key_id")
            .map(|v| ("kms_key_id", v)),
    );
    inputs.element(
        ".aws_cloudwatch_log_group.lambda",
        "aws_cloudwatch_log_group",
        props,
    )
}

/// `create_async_event_config`: the asynchronous destinations.
fn event_invoke_config(inputs: &Inputs<'_, '_>) -> Resource {
    let span = inputs.span;
    let mut destinations: Vec<(&str, Value)> = Vec::new();
    for (input, outcome) in [
        ("destination_on_failure", "on_failure"),
        ("destination_on_success", "on_success"),
    ] {
        if let Some(destination) = inputs.get(input) {
            destinations.push((outcome, one_block(vec![("destination", destination)], span)));
        }
    }
    let mut props = vec![("function_name", inputs.function_ref())];
    if !destinations.is_empty() {
        props.push(("destination_config", list(vec![map(destinations, span)], span)));
    }
    props.extend(
        inputs
            .get("maximum_retry_attempts")
            .map(|v| ("maximum_retry_attempts", v)),
    );
    inputs.element(
        ".aws_lambda_function_event_invoke_config.this",
        "aws_lambda_function_event_invoke_config",
        props,
    )
}

/// `event_source_mapping = { name = { event_source_arn, destination_arn_on_failure, ... } }`.
fn event_source_mappings(inputs: &Inputs<'_, '_>) -> Vec<Resource> {
    let Some(mappings) = inputs.get("event_source_mapping") else {
        return Vec::new();
    };
    let entries = mappings.as_map().unwrap_or_default();
    entries
        .iter()
        .map(|(key, mapping)| {
            let span = mapping.span;
            let mut props = vec![("function_name", inputs.function_ref())];
            props.extend(
                mapping
                    .get("event_source_arn")
                    .cloned()
                    .map(|v| ("event_source_arn", v)),
            );
            if let Some(destination) = mapping.get("destination_arn_on_failure").filter(|v| !v.is_null()) {
                let on_failure = one_block(vec![("destination_arn", destination.clone())], span);
                props.push((
                    "destination_config",
                    one_block(vec![("on_failure", on_failure)], span),
                ));
            }
            let suffix = format!(".aws_lambda_event_source_mapping.this[\"{}\"]", key.name);
            inputs.element(&suffix, "aws_lambda_event_source_mapping", props)
        })
        .collect()
}
