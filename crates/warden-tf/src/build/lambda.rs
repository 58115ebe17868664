//! Lambda resources: functions, permissions, URLs, aliases, layers, event source mappings and
//! asynchronous invocation settings.

use warden_model::{
    Alias, CodeLocation, Cors, EnvVar, EventInvokeConfig, EventSource, EventSourceKind, Function,
    FunctionUrl, LayerPermission, LayerVersion, Permission, Value, VpcConfig,
};

use super::{Builder, FUNCTION};
use crate::resource::{Resource, field, non_empty, unset_if};

impl Builder<'_> {
    /// `aws_lambda_function`: the same fields, with the same meaning, as CloudFormation fills.
    pub(super) fn function(&mut self, res: &Resource) {
        let environment = res.block("environment");
        let function = Function {
            meta: self.meta(res),
            function_name: res.get("function_name"),
            runtime: res.get("runtime"),
            handler: res.get("handler"),
            architectures: non_empty(res.get("architectures")),
            memory_size: res.get("memory_size"),
            timeout: res.get("timeout"),
            environment: environment.and_then(environment_variables),
            environment_span: environment.map(|e| e.span).unwrap_or_default(),
            kms_key: non_empty(res.get("kms_key_arn")),
            vpc: res.block("vpc_config").and_then(vpc),
            // `-1` is Terraform's "unreserved".
            reserved_concurrency: unset_if(res.get("reserved_concurrent_executions"), -1.0),
            dead_letter_target: non_empty(res.at(&["dead_letter_config", "target_arn"])),
            tracing: res.at(&["tracing_config", "mode"]),
            layers: res
                .get("layers")
                .map(|l| l.items().into_iter().cloned().collect())
                .unwrap_or_default(),
            code_signing_config: non_empty(res.get("code_signing_config_arn")),
            tags: res
                .get("tags")
                .and_then(|t| {
                    t.as_map()
                        .map(|m| m.iter().map(|(k, v)| (k.name.clone(), v.clone())).collect())
                })
                .unwrap_or_default(),
            package_type: res.get("package_type"),
            code: code(res),
            role: res.get("role").map(|r| self.link(&r, &["aws_iam_role"])),
            auto_publish_alias: None,
        };
        self.inv.functions.push(function);
    }

    /// `aws_lambda_permission`: one resource-based policy statement on a function.
    pub(super) fn permission(&mut self, res: &Resource) {
        let permission = Permission {
            meta: self.meta(res),
            function: self.link_arg(res, "function_name", FUNCTION),
            action: res.get("action").unwrap_or_else(|| Value::null(res.span)),
            principal: res.get("principal").unwrap_or_else(|| Value::null(res.span)),
            source_arn: non_empty(res.get("source_arn")),
            source_account: non_empty(res.get("source_account")),
            principal_org_id: non_empty(res.get("principal_org_id")),
            function_url_auth_type: non_empty(res.get("function_url_auth_type")),
            event_source_token: non_empty(res.get("event_source_token")),
            condition: None,
        };
        self.inv.permissions.push(permission);
    }

    /// `aws_lambda_function_url`. Unlike the console, Terraform adds no permission for a URL
    /// with `NONE`: only `aws_lambda_permission` resources grant it.
    pub(super) fn function_url(&mut self, res: &Resource) {
        let url = FunctionUrl {
            meta: self.meta(res),
            function: self.link_arg(res, "function_name", FUNCTION),
            qualifier: non_empty(res.get("qualifier")),
            auth_type: res
                .get("authorization_type")
                .unwrap_or_else(|| Value::null(res.span)),
            cors: res.block("cors").map(cors),
        };
        self.inv.function_urls.push(url);
    }

    pub(super) fn alias(&mut self, res: &Resource) {
        let alias = Alias {
            meta: self.meta(res),
            function: self.link_arg(res, "function_name", FUNCTION),
            alias_name: res.get("name").unwrap_or_else(|| Value::null(res.span)),
        };
        self.inv.aliases.push(alias);
    }

    pub(super) fn layer(&mut self, res: &Resource) {
        let layer = LayerVersion {
            meta: self.meta(res),
            layer_name: res.get("layer_name"),
            compatible_runtimes: non_empty(res.get("compatible_runtimes")),
            content: code(res),
        };
        self.inv.layers.push(layer);
    }

    /// `aws_lambda_layer_version_permission`: `layer_name` is the layer's name or ARN.
    pub(super) fn layer_permission(&mut self, res: &Resource) {
        let permission = LayerPermission {
            meta: self.meta(res),
            layer: self.link_arg(res, "layer_name", &["aws_lambda_layer_version"]),
            action: res.get("action").unwrap_or_else(|| Value::null(res.span)),
            principal: res.get("principal").unwrap_or_else(|| Value::null(res.span)),
            organization_id: non_empty(res.get("organization_id")),
        };
        self.inv.layer_permissions.push(permission);
    }

    /// `aws_lambda_event_source_mapping`: a poll-based trigger with its own on-failure destination.
    pub(super) fn event_source_mapping(&mut self, res: &Resource) {
        let source = non_empty(res.get("event_source_arn"));
        // Without a source ARN the mapping reads a self-managed Kafka cluster.
        let kind = source
            .as_ref()
            .map(|s| self.stream_kind(s))
            .unwrap_or(EventSourceKind::Kafka);
        let mapping = EventSource {
            meta: self.meta(res),
            kind,
            function: self.link_arg(res, "function_name", FUNCTION),
            source,
            on_failure_destination: non_empty(res.at(&[
                "destination_config",
                "on_failure",
                "destination_arn",
            ])),
        };
        self.inv.event_sources.push(mapping);
    }

    /// The kind of a poll-based source from the type of the resource it names or from its ARN.
    fn stream_kind(&self, source: &Value) -> EventSourceKind {
        let referenced = self
            .referenced(
                source,
                &[
                    "aws_sqs_queue",
                    "aws_kinesis_stream",
                    "aws_dynamodb_table",
                    "aws_mq_broker",
                    "aws_msk_cluster",
                    "aws_msk_serverless_cluster",
                    "aws_docdb_cluster",
                ],
            )
            .map(|r| r.resource_type.as_str())
            .unwrap_or("");
        let text = source.display();
        if referenced == "aws_sqs_queue" || text.contains(":sqs:") {
            EventSourceKind::Sqs
        } else if referenced == "aws_kinesis_stream" || text.contains(":kinesis:") {
            EventSourceKind::Kinesis
        } else if referenced == "aws_dynamodb_table" || text.contains(":dynamodb:") {
            EventSourceKind::DynamoDb
        } else if referenced == "aws_mq_broker" || text.contains(":mq:") {
            EventSourceKind::MQ
        } else if referenced.starts_with("aws_msk_") || text.contains(":kafka:") {
            EventSourceKind::Kafka
        } else {
            EventSourceKind::Other
        }
    }

    /// `aws_lambda_function_event_invoke_config`: where failed asynchronous events go.
    pub(super) fn event_invoke_config(&mut self, res: &Resource) {
        let config = EventInvokeConfig {
            meta: self.meta(res),
            function: self.link_arg(res, "function_name", FUNCTION),
            on_failure_destination: non_empty(res.at(&["destination_config", "on_failure", "destination"])),
            on_success_destination: non_empty(res.at(&["destination_config", "on_success", "destination"])),
            maximum_retry_attempts: res.get("maximum_retry_attempts"),
        };
        self.inv.event_invoke_configs.push(config);
    }
}

/// `environment { variables = {...} }`: the variables when they are a known map (names and
/// values are what the rules read); an unknown map tells nothing about its names.
fn environment_variables(environment: &Value) -> Option<Vec<EnvVar>> {
    let variables = field(environment, "variables")?;
    let entries = variables.as_map()?;
    Some(
        entries
            .iter()
            .map(|(k, v)| EnvVar {
                name: k.name.clone(),
                name_span: k.span,
                value: v.clone(),
            })
            .collect(),
    )
}

/// `vpc_config`; empty subnet and security group lists detach the function from any VPC. A
/// `dynamic` block is a VPC attachment whose subnets are unknown.
fn vpc(config: &Value) -> Option<VpcConfig> {
    if config.is_unknown() {
        return Some(VpcConfig {
            subnet_ids: config.clone(),
            security_group_ids: config.clone(),
            span: config.span,
        });
    }
    let subnet_ids = field(config, "subnet_ids").unwrap_or_else(|| Value::null(config.span));
    let security_group_ids = field(config, "security_group_ids").unwrap_or_else(|| Value::null(config.span));
    if subnet_ids.items().is_empty() && security_group_ids.items().is_empty() {
        return None;
    }
    Some(VpcConfig {
        subnet_ids,
        security_group_ids,
        span: config.span,
    })
}

fn cors(config: &Value) -> Cors {
    Cors {
        allow_origins: field(config, "allow_origins"),
        allow_methods: field(config, "allow_methods"),
        allow_headers: field(config, "allow_headers"),
        allow_credentials: field(config, "allow_credentials"),
        span: config.span,
    }
}

/// Where the code of a function or layer comes from: an image, a local file, or S3.
fn code(res: &Resource) -> Option<CodeLocation> {
    if let Some(image) = non_empty(res.get("image_uri")) {
        return Some(CodeLocation::Image(image));
    }
    if let Some(file) = non_empty(res.get("filename")) {
        return Some(CodeLocation::Local(file));
    }
    let bucket = non_empty(res.get("s3_bucket"))?;
    let key = res.get("s3_key").unwrap_or_else(|| Value::null(bucket.span));
    Some(CodeLocation::S3 { bucket, key })
}
