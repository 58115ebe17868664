//! CloudFormation resources to Inventory elements.

use std::sync::Arc;

use warden_model::{
    Alias, Api, ApiKind, Authorizer, CodeLocation, Cors, Diagnostic, ElementId, EnvVar, EventInvokeConfig,
    EventSource, EventSourceKind, Function, FunctionUrl, InlinePolicy, Inventory, Key, KmsKey,
    LayerPermission, LayerVersion, Link, LogGroup, ManagedPolicy, Meta, Origin, Permission, Role, Route,
    RouteAuth, Skip, Span, Stage, Subnet, Trail, Value, ValueKind, VpcConfig,
};

use crate::resolve::Resolver;

pub(crate) const FUNCTION_TYPES: &[&str] = &["AWS::Lambda::Function", "AWS::Serverless::Function"];

/// One resource of the template.
pub(crate) struct Resource<'t> {
    pub logical_id: &'t str,
    pub resource_type: &'t str,
    /// The whole resource body.
    pub body: &'t Value,
    /// The span of the logical id as written: where resource-level findings point.
    pub key_span: Span,
    /// `Properties` after intrinsic resolution (an empty map when absent).
    pub props: Value,
}

impl Resource<'_> {
    /// A property, absent when missing or `Null`.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.props.get(name).filter(|v| !v.is_null()).cloned()
    }

    pub fn span(&self) -> Span {
        self.key_span.or(self.body.span)
    }
}

/// Builds the Inventory of one template.
pub(crate) struct Builder<'t> {
    pub path: Arc<str>,
    pub resolver: Resolver<'t>,
    pub root: &'t Value,
    pub inv: Inventory,
    pub diagnostics: Vec<Diagnostic>,
}

/// A nested property: `path` is a dotted list of keys.
pub(crate) fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut current = value;
    for key in path {
        current = current.get(key)?;
    }
    (!current.is_null()).then_some(current)
}

pub(crate) fn owned(value: Option<&Value>) -> Option<Value> {
    value.filter(|v| !v.is_null()).cloned()
}

impl<'t> Builder<'t> {
    pub fn id(&self, logical_id: &str) -> ElementId {
        format!("{}#{logical_id}", self.path)
    }

    pub fn origin(&self, span: Span) -> Origin {
        Origin::file(&self.path, span)
    }

    pub fn meta(&self, res: &Resource<'_>) -> Meta {
        Meta {
            id: self.id(res.logical_id),
            name: res.logical_id.to_string(),
            resource_type: res.resource_type.to_string(),
            origin: self.origin(res.span()),
            implied_by: None,
            skips: skips(res.body),
        }
    }

    /// Metadata for an element a transform creates for `res`: named like the resource the user
    /// wrote (so findings and suppressions refer to it), with its own id.
    pub fn implied_meta(&self, res: &Resource<'_>, suffix: &str, resource_type: &str, span: Span) -> Meta {
        Meta {
            id: self.id(&format!("{}.{suffix}", res.logical_id)),
            name: res.logical_id.to_string(),
            resource_type: resource_type.to_string(),
            origin: self.origin(span.or(res.span())),
            implied_by: Some(self.id(res.logical_id)),
            skips: Vec::new(),
        }
    }

    /// A link to the first template resource of one of `types` that `value` refers to.
    pub fn link(&self, value: &Value, types: &[&str]) -> Link {
        Link {
            target: self.target(value, types),
            value: value.clone(),
        }
    }

    pub fn target(&self, value: &Value, types: &[&str]) -> Option<ElementId> {
        value.candidates().into_iter().find_map(|candidate| {
            let refs = candidate.as_unknown()?.refs.iter();
            refs.filter_map(|r| self.resolve_logical(r, types)).next()
        })
    }

    /// The logical id `name` if it is a resource of one of `types`; SAM's generated alias and
    /// version ids (`FnAliaslive`, `FnVersion1a2b`) lead to their function.
    fn resolve_logical(&self, name: &str, types: &[&str]) -> Option<ElementId> {
        if let Some(ty) = self.resolver.resource_type(name) {
            if types.is_empty() || types.contains(&ty) {
                return Some(self.id(name));
            }
            // A permission or URL on an alias reaches the alias's function.
            if matches!(ty, "AWS::Lambda::Alias" | "AWS::Lambda::Version")
                && types.iter().any(|t| FUNCTION_TYPES.contains(t))
            {
                let function = self.raw_properties(name)?.get("FunctionName")?;
                let function = self.resolver.resolve_or_null(function);
                let target = function.as_unknown()?.refs.first()?.clone();
                return (target != name)
                    .then(|| self.resolve_logical(&target, FUNCTION_TYPES))
                    .flatten();
            }
        }
        // `FnRole` is the role SAM creates for a function that names none.
        if types.contains(&"AWS::IAM::Role")
            && let Some(base) = name.strip_suffix("Role")
        {
            let is_sam_function = self.resolver.resource_type(base) == Some("AWS::Serverless::Function");
            if is_sam_function && self.raw_properties(base).and_then(|p| p.get("Role")).is_none() {
                return Some(self.id(&format!("{base}.Role")));
            }
        }
        if types.iter().any(|t| FUNCTION_TYPES.contains(t)) {
            for marker in ["Alias", "Version"] {
                if let Some(idx) = name.rfind(marker) {
                    let base = &name[..idx];
                    if self.resolver.resource_type(base) == Some("AWS::Serverless::Function") {
                        return Some(self.id(base));
                    }
                }
            }
        }
        None
    }

    pub fn note(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::note("unresolved", Some(self.origin(span)), message)
    }

    /// Dispatch a plain CloudFormation resource.
    pub fn add_resource(&mut self, res: &Resource<'_>) {
        match res.resource_type {
            "AWS::Lambda::Function" => self.lambda_function(res),
            "AWS::Lambda::Permission" => self.permission(res),
            "AWS::Lambda::Url" => self.function_url(res),
            "AWS::Lambda::Alias" => self.alias(res),
            "AWS::Lambda::EventSourceMapping" => self.event_source_mapping(res),
            "AWS::Lambda::EventInvokeConfig" => self.event_invoke_config(res),
            "AWS::Lambda::LayerVersion" => self.layer(res, "Content"),
            "AWS::Lambda::LayerVersionPermission" => self.layer_permission(res),
            "AWS::IAM::Role" => self.role(res),
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => self.managed_policy(res),
            "AWS::ApiGateway::RestApi" => self.rest_api(res),
            "AWS::ApiGateway::Method" => self.rest_method(res),
            "AWS::ApiGateway::Stage" => self.rest_stage(res),
            "AWS::ApiGateway::Deployment" => self.rest_deployment(res),
            "AWS::ApiGateway::Authorizer" | "AWS::ApiGatewayV2::Authorizer" => self.authorizer(res),
            "AWS::ApiGatewayV2::Api" => self.http_api(res),
            "AWS::ApiGatewayV2::Route" => self.http_route(res),
            "AWS::ApiGatewayV2::Stage" => self.http_stage(res),
            "AWS::S3::Bucket" => self.bucket_notifications(res),
            "AWS::SNS::Subscription" => self.sns_subscription(res),
            "AWS::SNS::Topic" => self.sns_topic(res),
            "AWS::Events::Rule" => self.events_rule(res),
            "AWS::Scheduler::Schedule" => self.scheduler(res),
            "AWS::Logs::SubscriptionFilter" => self.log_subscription(res),
            "AWS::CloudTrail::Trail" => self.trail(res),
            "AWS::Logs::LogGroup" => self.log_group(res),
            "AWS::KMS::Key" => self.kms_key(res),
            "AWS::EC2::Subnet" => self.subnet(res),
            _ => {}
        }
    }

    fn lambda_function(&mut self, res: &Resource<'_>) {
        let code = res.get("Code").map(|code| {
            if let Some(zip) = owned(code.get("ZipFile")) {
                CodeLocation::Inline(zip)
            } else if let Some(image) = owned(code.get("ImageUri")) {
                CodeLocation::Image(image)
            } else {
                CodeLocation::S3 {
                    bucket: owned(code.get("S3Bucket")).unwrap_or_else(|| Value::null(code.span)),
                    key: owned(code.get("S3Key")).unwrap_or_else(|| Value::null(code.span)),
                }
            }
        });
        let tags = res
            .get("Tags")
            .map(|t| {
                t.items()
                    .into_iter()
                    .filter_map(|tag| {
                        Some((tag.get("Key")?.as_text()?.into_owned(), tag.get("Value")?.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let function = Function {
            meta: self.meta(res),
            function_name: res.get("FunctionName"),
            runtime: res.get("Runtime"),
            handler: res.get("Handler"),
            architectures: res.get("Architectures"),
            memory_size: res.get("MemorySize"),
            timeout: res.get("Timeout"),
            environment: environment(&res.props),
            environment_span: at(&res.props, &["Environment"])
                .map(|v| v.span)
                .unwrap_or_default(),
            kms_key: res.get("KmsKeyArn"),
            vpc: vpc(&res.props),
            reserved_concurrency: res.get("ReservedConcurrentExecutions"),
            dead_letter_target: owned(at(&res.props, &["DeadLetterConfig", "TargetArn"])),
            tracing: owned(at(&res.props, &["TracingConfig", "Mode"])),
            layers: res
                .get("Layers")
                .map(|l| l.items().into_iter().cloned().collect())
                .unwrap_or_default(),
            code_signing_config: res.get("CodeSigningConfigArn"),
            tags,
            package_type: res.get("PackageType"),
            code,
            role: res.get("Role").map(|r| self.link(&r, &["AWS::IAM::Role"])),
            auto_publish_alias: None,
        };
        self.inv.functions.push(function);
    }

    fn function_link(&self, res: &Resource<'_>, property: &str) -> Link {
        let value = res.get(property).unwrap_or_else(|| Value::null(res.span()));
        self.link(&value, FUNCTION_TYPES)
    }

    fn permission(&mut self, res: &Resource<'_>) {
        let permission = Permission {
            meta: self.meta(res),
            function: self.function_link(res, "FunctionName"),
            action: res.get("Action").unwrap_or_else(|| Value::null(res.span())),
            principal: res.get("Principal").unwrap_or_else(|| Value::null(res.span())),
            source_arn: res.get("SourceArn"),
            source_account: res.get("SourceAccount"),
            principal_org_id: res.get("PrincipalOrgID"),
            function_url_auth_type: res.get("FunctionUrlAuthType"),
            event_source_token: res.get("EventSourceToken"),
            condition: None,
        };
        self.inv.permissions.push(permission);
    }

    fn function_url(&mut self, res: &Resource<'_>) {
        let url = FunctionUrl {
            meta: self.meta(res),
            function: self.function_link(res, "TargetFunctionArn"),
            qualifier: res.get("Qualifier"),
            auth_type: res.get("AuthType").unwrap_or_else(|| Value::null(res.span())),
            cors: res.get("Cors").map(|c| cors(&c)),
        };
        self.inv.function_urls.push(url);
    }

    fn alias(&mut self, res: &Resource<'_>) {
        let alias = Alias {
            meta: self.meta(res),
            function: self.function_link(res, "FunctionName"),
            alias_name: res.get("Name").unwrap_or_else(|| Value::null(res.span())),
        };
        self.inv.aliases.push(alias);
    }

    fn event_source_mapping(&mut self, res: &Resource<'_>) {
        let source = res.get("EventSourceArn");
        let kind = source
            .as_ref()
            .map(|s| self.stream_kind(s))
            .unwrap_or(EventSourceKind::Kafka);
        let source_event = EventSource {
            meta: self.meta(res),
            kind,
            function: self.function_link(res, "FunctionName"),
            source,
            on_failure_destination: owned(at(&res.props, &["DestinationConfig", "OnFailure", "Destination"])),
        };
        self.inv.event_sources.push(source_event);
    }

    /// The kind of a poll-based source from its ARN or from the type of the resource it names.
    fn stream_kind(&self, source: &Value) -> EventSourceKind {
        let text = source
            .as_str()
            .map(str::to_string)
            .or_else(|| source.as_unknown().map(|u| u.expr.clone()));
        let referenced = source
            .as_unknown()
            .and_then(|u| u.refs.first())
            .and_then(|r| self.resolver.resource_type(r))
            .unwrap_or("");
        let text = text.unwrap_or_default();
        if referenced == "AWS::SQS::Queue" || text.contains(":sqs:") {
            EventSourceKind::Sqs
        } else if referenced == "AWS::Kinesis::Stream" || text.contains(":kinesis:") {
            EventSourceKind::Kinesis
        } else if referenced == "AWS::DynamoDB::Table" || text.contains(":dynamodb:") {
            EventSourceKind::DynamoDb
        } else if text.contains(":mq:") || referenced == "AWS::AmazonMQ::Broker" {
            EventSourceKind::MQ
        } else if text.contains(":kafka:") || referenced == "AWS::MSK::Cluster" {
            EventSourceKind::Kafka
        } else {
            EventSourceKind::Other
        }
    }

    fn event_invoke_config(&mut self, res: &Resource<'_>) {
        let config = EventInvokeConfig {
            meta: self.meta(res),
            function: self.function_link(res, "FunctionName"),
            on_failure_destination: owned(at(&res.props, &["DestinationConfig", "OnFailure", "Destination"])),
            on_success_destination: owned(at(&res.props, &["DestinationConfig", "OnSuccess", "Destination"])),
            maximum_retry_attempts: res.get("MaximumRetryAttempts"),
        };
        self.inv.event_invoke_configs.push(config);
    }

    pub fn layer(&mut self, res: &Resource<'_>, content: &str) {
        let content = res.get(content).map(|c| match c.as_map() {
            Some(_) => CodeLocation::S3 {
                bucket: owned(c.get("S3Bucket").or(c.get("Bucket"))).unwrap_or_else(|| Value::null(c.span)),
                key: owned(c.get("S3Key").or(c.get("Key"))).unwrap_or_else(|| Value::null(c.span)),
            },
            None => CodeLocation::Local(c),
        });
        let layer = LayerVersion {
            meta: self.meta(res),
            layer_name: res.get("LayerName"),
            compatible_runtimes: res.get("CompatibleRuntimes"),
            content,
        };
        self.inv.layers.push(layer);
    }

    fn layer_permission(&mut self, res: &Resource<'_>) {
        let layer_types = &["AWS::Lambda::LayerVersion", "AWS::Serverless::LayerVersion"];
        let permission = LayerPermission {
            meta: self.meta(res),
            layer: self.link(
                &res.get("LayerVersionArn")
                    .unwrap_or_else(|| Value::null(res.span())),
                layer_types,
            ),
            action: res.get("Action").unwrap_or_else(|| Value::null(res.span())),
            principal: res.get("Principal").unwrap_or_else(|| Value::null(res.span())),
            organization_id: res.get("OrganizationId"),
        };
        self.inv.layer_permissions.push(permission);
    }

    fn role(&mut self, res: &Resource<'_>) {
        let origin = self.origin(res.span());
        let inline_policies = res
            .get("Policies")
            .map(|p| {
                p.items()
                    .into_iter()
                    .map(|policy| InlinePolicy {
                        name: policy.get("PolicyName").map(Value::display).unwrap_or_default(),
                        document: owned(policy.get("PolicyDocument"))
                            .unwrap_or_else(|| Value::null(policy.span)),
                        origin: origin.at(policy.span),
                        expanded_from: None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let managed_policies = self.managed_policy_links(res.get("ManagedPolicyArns").as_ref());
        let role = Role {
            meta: self.meta(res),
            role_name: res.get("RoleName"),
            trust_policy: res.get("AssumeRolePolicyDocument"),
            inline_policies,
            managed_policies,
            permissions_boundary: res.get("PermissionsBoundary"),
        };
        self.inv.roles.push(role);
    }

    pub fn managed_policy_links(&self, arns: Option<&Value>) -> Vec<Link> {
        let Some(arns) = arns else { return Vec::new() };
        arns.items()
            .into_iter()
            .map(|arn| self.link(arn, &["AWS::IAM::ManagedPolicy"]))
            .collect()
    }

    fn managed_policy(&mut self, res: &Resource<'_>) {
        let roles = res
            .get("Roles")
            .map(|r| {
                r.items()
                    .into_iter()
                    .map(|role| self.link(role, &["AWS::IAM::Role"]))
                    .collect()
            })
            .unwrap_or_default();
        let policy = ManagedPolicy {
            meta: self.meta(res),
            document: res
                .get("PolicyDocument")
                .unwrap_or_else(|| Value::null(res.span())),
            roles,
        };
        self.inv.managed_policies.push(policy);
    }

    pub fn api(&mut self, res: &Resource<'_>, kind: ApiKind, policy: Option<Value>) {
        let api = Api {
            meta: self.meta(res),
            kind,
            resource_policy: policy,
            endpoint_type: owned(at(&res.props, &["EndpointConfiguration", "Types"]))
                .or_else(|| owned(at(&res.props, &["EndpointConfiguration", "Type"])))
                .or_else(|| {
                    owned(at(&res.props, &["EndpointConfiguration"])).filter(|v| v.as_str().is_some())
                }),
            disable_execute_api_endpoint: res.get("DisableExecuteApiEndpoint"),
        };
        self.inv.apis.push(api);
    }

    fn rest_api(&mut self, res: &Resource<'_>) {
        self.api(res, ApiKind::Rest, res.get("Policy"));
        if let Some(body) = res.get("Body") {
            let api = self.link(
                &Value::unknown(
                    format!("!Ref {}", res.logical_id),
                    vec![res.logical_id.into()],
                    res.span(),
                ),
                &[],
            );
            self.openapi_routes(res, &body, api, &crate::sam::ApiAuth::default());
        }
    }

    fn rest_method(&mut self, res: &Resource<'_>) {
        let method = res
            .get("HttpMethod")
            .and_then(|m| m.as_text().map(|t| t.to_uppercase()))
            .unwrap_or_default();
        let path = res
            .get("ResourceId")
            .map(|r| self.rest_path(&r))
            .unwrap_or_else(|| "/".to_string());
        let integration_uri = owned(at(&res.props, &["Integration", "Uri"]));
        let function = integration_uri
            .filter(|u| self.target(u, FUNCTION_TYPES).is_some())
            .map(|u| self.link(&u, FUNCTION_TYPES));
        let authorizer = res
            .get("AuthorizerId")
            .map(|a| self.link(&a, &["AWS::ApiGateway::Authorizer"]));
        let auth = match res.get("AuthorizationType").as_ref().and_then(Value::as_str) {
            None | Some("NONE") => RouteAuth::None,
            Some("AWS_IAM") => RouteAuth::Iam,
            Some("COGNITO_USER_POOLS") => RouteAuth::Cognito { authorizer },
            Some("CUSTOM") => RouteAuth::Lambda { authorizer },
            Some(other) => RouteAuth::Unknown(other.to_string()),
        };
        let auth = match res.get("AuthorizationType") {
            Some(v) if v.is_unknown() => RouteAuth::Unknown(v.display()),
            _ => auth,
        };
        let route = Route {
            meta: self.meta(res),
            api: self.link(
                &res.get("RestApiId").unwrap_or_else(|| Value::null(res.span())),
                &["AWS::ApiGateway::RestApi"],
            ),
            method,
            path,
            function,
            auth,
            api_key_required: res
                .get("ApiKeyRequired")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        };
        self.inv.routes.push(route);
    }

    /// The path of an `AWS::ApiGateway::Resource` chain, as far as it is known.
    fn rest_path(&self, resource_id: &Value) -> String {
        let mut parts = Vec::new();
        let mut current = resource_id.as_unknown().and_then(|u| u.refs.first().cloned());
        let mut guard = 0;
        while let Some(logical) = current.take() {
            guard += 1;
            if guard > 32 || self.resolver.resource_type(&logical) != Some("AWS::ApiGateway::Resource") {
                break;
            }
            let Some(props) = self.raw_properties(&logical) else {
                break;
            };
            let props = self.resolver.resolve_or_null(props);
            parts.push(
                props
                    .get("PathPart")
                    .map(Value::display)
                    .unwrap_or_else(|| "?".into()),
            );
            current = props
                .get("ParentId")
                .and_then(|p| p.as_unknown())
                .and_then(|u| u.refs.first().cloned());
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    pub fn raw_properties(&self, logical_id: &str) -> Option<&'t Value> {
        self.root.get("Resources")?.get(logical_id)?.get("Properties")
    }

    pub fn stage(&mut self, meta: Meta, api: Link, settings: StageSettings) {
        self.inv.stages.push(Stage {
            meta,
            api,
            stage_name: settings.stage_name,
            throttling_rate_limit: settings.rate,
            throttling_burst_limit: settings.burst,
            access_log_destination: settings.access_log,
            tracing_enabled: settings.tracing,
        });
    }

    fn rest_stage(&mut self, res: &Resource<'_>) {
        let meta = self.meta(res);
        let api = self.link(
            &res.get("RestApiId").unwrap_or_else(|| Value::null(res.span())),
            &["AWS::ApiGateway::RestApi"],
        );
        self.stage(meta, api, StageSettings::rest(&res.props));
    }

    /// A deployment with `StageDescription` creates a stage.
    fn rest_deployment(&mut self, res: &Resource<'_>) {
        let Some(description) = res.get("StageDescription") else {
            return;
        };
        let meta = self.meta(res);
        let api = self.link(
            &res.get("RestApiId").unwrap_or_else(|| Value::null(res.span())),
            &["AWS::ApiGateway::RestApi"],
        );
        let mut settings = StageSettings::rest(&description);
        settings.stage_name = res.get("StageName");
        if settings.rate.is_none() {
            settings.rate = owned(description.get("ThrottlingRateLimit"));
            settings.burst = owned(description.get("ThrottlingBurstLimit"));
        }
        self.stage(meta, api, settings);
    }

    fn authorizer(&mut self, res: &Resource<'_>) {
        let uri = res.get("AuthorizerUri");
        let authorizer = Authorizer {
            meta: self.meta(res),
            api: res
                .get("RestApiId")
                .or_else(|| res.get("ApiId"))
                .map(|a| self.link(&a, &[])),
            authorizer_type: res
                .get("Type")
                .or_else(|| res.get("AuthorizerType"))
                .unwrap_or_else(|| Value::null(res.span())),
            function: uri.map(|u| self.link(&u, FUNCTION_TYPES)),
        };
        self.inv.authorizers.push(authorizer);
    }

    fn http_api(&mut self, res: &Resource<'_>) {
        self.api(res, ApiKind::Http, None);
        let api = self.self_link(res);
        // Quick create: `Target` makes a `$default` route with no authorization.
        if let Some(target) = res.get("Target") {
            let route = Route {
                meta: self.implied_meta(res, "DefaultRoute", "AWS::ApiGatewayV2::Route", target.span),
                api: api.clone(),
                method: "ANY".into(),
                path: "$default".into(),
                function: self
                    .target(&target, FUNCTION_TYPES)
                    .map(|_| self.link(&target, FUNCTION_TYPES)),
                auth: RouteAuth::None,
                api_key_required: false,
            };
            self.inv.routes.push(route);
        }
        if let Some(body) = res.get("Body") {
            self.openapi_routes(res, &body, api, &crate::sam::ApiAuth::default());
        }
    }

    pub fn self_link(&self, res: &Resource<'_>) -> Link {
        Link {
            target: Some(self.id(res.logical_id)),
            value: Value::unknown(
                format!("!Ref {}", res.logical_id),
                vec![res.logical_id.into()],
                res.span(),
            ),
        }
    }

    fn http_route(&mut self, res: &Resource<'_>) {
        let route_key = res.get("RouteKey").map(|k| k.display()).unwrap_or_default();
        let (method, path) = match route_key.split_once(' ') {
            Some((m, p)) => (m.to_string(), p.to_string()),
            None => ("ANY".to_string(), route_key.clone()),
        };
        // `Target: integrations/${Integration}` leads to the integration's function.
        let function = res.get("Target").and_then(|t| {
            let integration = t
                .as_unknown()?
                .refs
                .iter()
                .find(|r| self.resolver.resource_type(r) == Some("AWS::ApiGatewayV2::Integration"))?;
            let props = self.resolver.resolve_or_null(self.raw_properties(integration)?);
            let uri = owned(props.get("IntegrationUri"))?;
            self.target(&uri, FUNCTION_TYPES)
                .map(|_| self.link(&uri, FUNCTION_TYPES))
        });
        let authorizer = res
            .get("AuthorizerId")
            .map(|a| self.link(&a, &["AWS::ApiGatewayV2::Authorizer"]));
        let auth = match res.get("AuthorizationType").as_ref().and_then(Value::as_str) {
            None | Some("NONE") => RouteAuth::None,
            Some("AWS_IAM") => RouteAuth::Iam,
            Some("JWT") => RouteAuth::Jwt { authorizer },
            Some("CUSTOM") => RouteAuth::Lambda { authorizer },
            Some(other) => RouteAuth::Unknown(other.to_string()),
        };
        let route = Route {
            meta: self.meta(res),
            api: self.link(
                &res.get("ApiId").unwrap_or_else(|| Value::null(res.span())),
                &["AWS::ApiGatewayV2::Api"],
            ),
            method,
            path,
            function,
            auth,
            api_key_required: res
                .get("ApiKeyRequired")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        };
        self.inv.routes.push(route);
    }

    fn http_stage(&mut self, res: &Resource<'_>) {
        let meta = self.meta(res);
        let api = self.link(
            &res.get("ApiId").unwrap_or_else(|| Value::null(res.span())),
            &["AWS::ApiGatewayV2::Api"],
        );
        self.stage(meta, api, StageSettings::http(&res.props));
    }

    fn trigger(
        &mut self,
        res: &Resource<'_>,
        kind: EventSourceKind,
        function: &Value,
        source: Option<Value>,
        span: Span,
    ) {
        let suffix = format!("Trigger{}", self.inv.event_sources.len());
        let mut meta = self.meta(res);
        meta.id = self.id(&format!("{}.{suffix}", res.logical_id));
        meta.origin = self.origin(span.or(res.span()));
        self.inv.event_sources.push(EventSource {
            meta,
            kind,
            function: self.link(function, FUNCTION_TYPES),
            source,
            on_failure_destination: None,
        });
    }

    fn bucket_notifications(&mut self, res: &Resource<'_>) {
        let Some(configs) = owned(at(
            &res.props,
            &["NotificationConfiguration", "LambdaConfigurations"],
        )) else {
            return;
        };
        let source = Value::unknown(
            format!("!Ref {}", res.logical_id),
            vec![res.logical_id.to_string()],
            res.span(),
        );
        for config in configs.items() {
            if let Some(function) = config.get("Function") {
                self.trigger(
                    res,
                    EventSourceKind::S3,
                    function,
                    Some(source.clone()),
                    config.span,
                );
            }
        }
    }

    fn sns_subscription(&mut self, res: &Resource<'_>) {
        if res.get("Protocol").as_ref().and_then(Value::as_str) != Some("lambda") {
            return;
        }
        if let Some(endpoint) = res.get("Endpoint") {
            self.trigger(
                res,
                EventSourceKind::Sns,
                &endpoint,
                res.get("TopicArn"),
                res.span(),
            );
        }
    }

    fn sns_topic(&mut self, res: &Resource<'_>) {
        let Some(subscriptions) = res.get("Subscription") else {
            return;
        };
        let source = Value::unknown(
            format!("!Ref {}", res.logical_id),
            vec![res.logical_id.to_string()],
            res.span(),
        );
        for sub in subscriptions.items() {
            if sub.get("Protocol").and_then(Value::as_str) == Some("lambda")
                && let Some(endpoint) = sub.get("Endpoint")
            {
                self.trigger(
                    res,
                    EventSourceKind::Sns,
                    endpoint,
                    Some(source.clone()),
                    sub.span,
                );
            }
        }
    }

    fn events_rule(&mut self, res: &Resource<'_>) {
        let kind = if res.get("ScheduleExpression").is_some() {
            EventSourceKind::Schedule
        } else {
            EventSourceKind::EventBridge
        };
        let source = res.get("ScheduleExpression").or_else(|| res.get("EventPattern"));
        let Some(targets) = res.get("Targets") else { return };
        for target in targets.items() {
            if let Some(arn) = target.get("Arn")
                && self.target(arn, FUNCTION_TYPES).is_some()
            {
                self.trigger(res, kind, arn, source.clone(), target.span);
            }
        }
    }

    fn scheduler(&mut self, res: &Resource<'_>) {
        if let Some(arn) = owned(at(&res.props, &["Target", "Arn"]))
            && self.target(&arn, FUNCTION_TYPES).is_some()
        {
            self.trigger(
                res,
                EventSourceKind::Schedule,
                &arn,
                res.get("ScheduleExpression"),
                arn.span,
            );
        }
    }

    fn log_subscription(&mut self, res: &Resource<'_>) {
        if let Some(destination) = res.get("DestinationArn")
            && self.target(&destination, FUNCTION_TYPES).is_some()
        {
            self.trigger(
                res,
                EventSourceKind::CloudWatchLogs,
                &destination,
                res.get("LogGroupName"),
                res.span(),
            );
        }
    }

    fn trail(&mut self, res: &Resource<'_>) {
        let trail = Trail {
            meta: self.meta(res),
            is_logging: res.get("IsLogging"),
            is_multi_region: res.get("IsMultiRegionTrail"),
            event_selectors: res.get("EventSelectors"),
            advanced_event_selectors: res.get("AdvancedEventSelectors"),
            kms_key: res.get("KMSKeyId"),
            log_file_validation: res.get("EnableLogFileValidation"),
        };
        self.inv.trails.push(trail);
    }

    fn log_group(&mut self, res: &Resource<'_>) {
        let group = LogGroup {
            meta: self.meta(res),
            log_group_name: res.get("LogGroupName"),
            retention_in_days: res.get("RetentionInDays"),
            kms_key: res.get("KmsKeyId"),
        };
        self.inv.log_groups.push(group);
    }

    fn kms_key(&mut self, res: &Resource<'_>) {
        let key = KmsKey {
            meta: self.meta(res),
            key_policy: res.get("KeyPolicy"),
            enable_key_rotation: res.get("EnableKeyRotation"),
        };
        self.inv.kms_keys.push(key);
    }

    fn subnet(&mut self, res: &Resource<'_>) {
        let subnet = Subnet {
            meta: self.meta(res),
            availability_zone: res.get("AvailabilityZone"),
        };
        self.inv.subnets.push(subnet);
    }
}

/// Stage settings common to REST and HTTP stages.
#[derive(Default)]
pub(crate) struct StageSettings {
    pub stage_name: Option<Value>,
    pub rate: Option<Value>,
    pub burst: Option<Value>,
    pub access_log: Option<Value>,
    pub tracing: Option<Value>,
}

impl StageSettings {
    /// REST stages throttle through `MethodSettings`; the entry for every resource and method
    /// (`ResourcePath: /*`, `HttpMethod: *`, the defaults when omitted) is the stage default.
    pub fn rest(props: &Value) -> StageSettings {
        let method_settings = props.get("MethodSettings").map(Value::items).unwrap_or_default();
        let is_default = |m: &&&Value| {
            let path = m.get("ResourcePath").and_then(Value::as_str).unwrap_or("/*");
            let method = m.get("HttpMethod").and_then(Value::as_str).unwrap_or("*");
            path == "/*" && method == "*"
        };
        let default = method_settings.iter().find(is_default);
        StageSettings {
            stage_name: owned(props.get("StageName")),
            rate: default.and_then(|m| owned(m.get("ThrottlingRateLimit"))),
            burst: default.and_then(|m| owned(m.get("ThrottlingBurstLimit"))),
            access_log: owned(at(props, &["AccessLogSetting", "DestinationArn"])),
            tracing: owned(props.get("TracingEnabled")),
        }
    }

    /// HTTP stages throttle through `DefaultRouteSettings`.
    pub fn http(props: &Value) -> StageSettings {
        StageSettings {
            stage_name: owned(props.get("StageName")),
            rate: owned(at(props, &["DefaultRouteSettings", "ThrottlingRateLimit"])),
            burst: owned(at(props, &["DefaultRouteSettings", "ThrottlingBurstLimit"])),
            access_log: owned(at(props, &["AccessLogSettings", "DestinationArn"])),
            tracing: None,
        }
    }
}

pub(crate) fn environment(props: &Value) -> Option<Vec<EnvVar>> {
    let variables = at(props, &["Environment", "Variables"])?;
    let entries = variables.as_map()?;
    Some(
        entries
            .iter()
            .map(|(k, v): &(Key, Value)| EnvVar {
                name: k.name.clone(),
                name_span: k.span,
                value: v.clone(),
            })
            .collect(),
    )
}

pub(crate) fn vpc(props: &Value) -> Option<VpcConfig> {
    let config = at(props, &["VpcConfig"])?;
    let subnet_ids = owned(config.get("SubnetIds")).unwrap_or_else(|| Value::null(config.span));
    let security_group_ids =
        owned(config.get("SecurityGroupIds")).unwrap_or_else(|| Value::null(config.span));
    // `VpcConfig: {SubnetIds: [], SecurityGroupIds: []}` detaches the function from any VPC.
    if subnet_ids.items().is_empty() && security_group_ids.items().is_empty() {
        return None;
    }
    Some(VpcConfig {
        subnet_ids,
        security_group_ids,
        span: config.span,
    })
}

pub(crate) fn cors(value: &Value) -> Cors {
    Cors {
        allow_origins: owned(value.get("AllowOrigins")),
        allow_methods: owned(value.get("AllowMethods")),
        allow_headers: owned(value.get("AllowHeaders")),
        allow_credentials: owned(value.get("AllowCredentials")),
        span: value.span,
    }
}

/// `Metadata.warden.skip: [{id, reason}]` (also accepts a bare id string).
pub(crate) fn skips(body: &Value) -> Vec<Skip> {
    let Some(list) = at(body, &["Metadata", "warden", "skip"]) else {
        return Vec::new();
    };
    list.items()
        .into_iter()
        .filter_map(|entry| match &entry.kind {
            ValueKind::String(id) => Some(Skip {
                rule: id.clone(),
                reason: None,
                span: entry.span,
            }),
            ValueKind::Map(_) => Some(Skip {
                rule: entry
                    .get("id")
                    .or(entry.get("Id"))
                    .and_then(Value::as_text)?
                    .into_owned(),
                reason: entry
                    .get("reason")
                    .or(entry.get("Reason"))
                    .and_then(Value::as_text)
                    .map(|r| r.into_owned()),
                span: entry.span,
            }),
            _ => None,
        })
        .collect()
}
