//! The AWS SAM transform, as far as security needs it: `Globals`, functions with their implied
//! roles, policies, permissions, triggers, routes, URLs and aliases; `Serverless::Api` and
//! `HttpApi` with `Auth` and OpenAPI bodies; layers.

use warden_model::{
    Alias, ApiKind, Authorizer, CodeLocation, EventInvokeConfig, EventSource, EventSourceKind, Function,
    FunctionUrl, InlinePolicy, Key, Link, Meta, Permission, Role, Route, RouteAuth, Span, Value, ValueKind,
};

use crate::sam_policies;
use crate::template::{Builder, FUNCTION_TYPES, Resource, StageSettings, at, cors, environment, owned, vpc};

/// Merge SAM `Globals` into a resource's properties: maps merge, lists append (globals first),
/// anything else is overridden by the resource.
pub(crate) fn merge_globals(global: &Value, local: &Value) -> Value {
    match (&global.kind, &local.kind) {
        (ValueKind::Map(g), ValueKind::Map(l)) => {
            let mut merged: Vec<(Key, Value)> = Vec::new();
            for (key, gv) in g {
                match l.iter().find(|(k, _)| k.name == key.name) {
                    Some((lk, lv)) => merged.push((lk.clone(), merge_globals(gv, lv))),
                    None => merged.push((key.clone(), gv.clone())),
                }
            }
            for (key, lv) in l {
                if !g.iter().any(|(k, _)| k.name == key.name) {
                    merged.push((key.clone(), lv.clone()));
                }
            }
            Value::new(ValueKind::Map(merged), local.span)
        }
        (ValueKind::List(g), ValueKind::List(l)) => {
            Value::new(ValueKind::List(g.iter().chain(l).cloned().collect()), local.span)
        }
        _ => local.clone(),
    }
}

/// Authorization settings of an API (SAM `Auth`), used to decide each route's protection.
#[derive(Debug, Default, Clone)]
pub(crate) struct ApiAuth {
    pub default_authorizer: Option<String>,
    /// Authorizer name -> the kind of protection it gives.
    pub authorizers: Vec<(String, RouteAuth)>,
    pub api_key_required: bool,
}

impl ApiAuth {
    pub fn from_sam(auth: Option<&Value>, http: bool) -> ApiAuth {
        let Some(auth) = auth else {
            return ApiAuth::default();
        };
        let authorizers = auth
            .get("Authorizers")
            .and_then(Value::as_map)
            .unwrap_or_default()
            .iter()
            .map(|(name, config)| {
                let kind = if config.get("UserPoolArn").is_some() {
                    RouteAuth::Cognito { authorizer: None }
                } else if config.get("JwtConfiguration").is_some() {
                    RouteAuth::Jwt { authorizer: None }
                } else if config.get("FunctionArn").is_some() {
                    RouteAuth::Lambda { authorizer: None }
                } else if http && name.name == "OAuth2Authorizer" {
                    RouteAuth::Jwt { authorizer: None }
                } else {
                    RouteAuth::Unknown(name.name.clone())
                };
                (name.name.clone(), kind)
            })
            .collect();
        ApiAuth {
            default_authorizer: auth.get("DefaultAuthorizer").map(Value::display),
            authorizers,
            api_key_required: auth
                .get("ApiKeyRequired")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        }
    }

    /// The protection of a route that names `authorizer` (or the API default when `None`).
    pub fn route_auth(&self, authorizer: Option<&str>) -> RouteAuth {
        match authorizer.or(self.default_authorizer.as_deref()) {
            None | Some("NONE") => RouteAuth::None,
            Some("AWS_IAM") => RouteAuth::Iam,
            Some(name) => self
                .authorizers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, kind)| kind.clone())
                .unwrap_or_else(|| RouteAuth::Unknown(name.to_string())),
        }
    }
}

/// The managed policy ARN SAM uses for a policy name.
fn managed_policy_arn(name: &str) -> String {
    let service_role = [
        "AWSLambdaBasicExecutionRole",
        "AWSLambdaVPCAccessExecutionRole",
        "AWSLambdaSQSQueueExecutionRole",
        "AWSLambdaKinesisExecutionRole",
        "AWSLambdaDynamoDBExecutionRole",
        "AWSLambdaMSKExecutionRole",
        "AWSLambdaRole",
    ];
    if service_role.contains(&name) {
        format!("arn:aws:iam::aws:policy/service-role/{name}")
    } else {
        format!("arn:aws:iam::aws:policy/{name}")
    }
}

const IMPLICIT_REST_API: &str = "ServerlessRestApi";
const IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

impl<'t> Builder<'t> {
    fn globals(&self, section: &str) -> Option<&'t Value> {
        self.root.get("Globals")?.get(section)
    }

    /// A SAM resource's properties with its `Globals` section merged in, before resolution.
    pub fn sam_properties(&self, resource_type: &str, raw: Option<&Value>, span: Span) -> Value {
        let section = match resource_type {
            "AWS::Serverless::Function" => "Function",
            "AWS::Serverless::Api" => "Api",
            "AWS::Serverless::HttpApi" => "HttpApi",
            "AWS::Serverless::LayerVersion" => "LayerVersion",
            "AWS::Serverless::SimpleTable" => "SimpleTable",
            _ => "",
        };
        let local = raw
            .cloned()
            .unwrap_or_else(|| Value::new(ValueKind::Map(Vec::new()), span));
        match self.globals(section) {
            Some(global) => merge_globals(global, &local),
            None => local,
        }
    }

    pub fn add_sam_resource(&mut self, res: &Resource<'_>, raw: &Value) {
        match res.resource_type {
            "AWS::Serverless::Function" => self.sam_function(res, raw),
            "AWS::Serverless::Api" => self.sam_api(res, ApiKind::Rest),
            "AWS::Serverless::HttpApi" => self.sam_api(res, ApiKind::Http),
            "AWS::Serverless::LayerVersion" => self.layer(res, "ContentUri"),
            _ => {}
        }
    }

    fn sam_function(&mut self, res: &Resource<'_>, raw: &Value) {
        let meta = self.meta(res);
        let code = if let Some(inline) = res.get("InlineCode") {
            Some(CodeLocation::Inline(inline))
        } else if let Some(image) = res.get("ImageUri") {
            Some(CodeLocation::Image(image))
        } else {
            res.get("CodeUri").map(|uri| match uri.as_map() {
                Some(_) => CodeLocation::S3 {
                    bucket: owned(uri.get("Bucket")).unwrap_or_else(|| Value::null(uri.span)),
                    key: owned(uri.get("Key")).unwrap_or_else(|| Value::null(uri.span)),
                },
                None => CodeLocation::Local(uri),
            })
        };
        let tags = res
            .get("Tags")
            .and_then(|t| {
                t.as_map()
                    .map(|m| m.iter().map(|(k, v)| (k.name.clone(), v.clone())).collect())
            })
            .unwrap_or_default();
        let tracing = res.get("Tracing");
        let vpc_config = vpc(&res.props);
        let events = res.get("Events");
        let role = match res.get("Role") {
            Some(role) => self.link(&role, &["AWS::IAM::Role"]),
            None => self.implied_role(res, raw, tracing.as_ref(), vpc_config.is_some(), events.as_ref()),
        };
        let function = Function {
            meta,
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
            vpc: vpc_config,
            reserved_concurrency: res.get("ReservedConcurrentExecutions"),
            dead_letter_target: owned(at(&res.props, &["DeadLetterQueue", "TargetArn"])),
            tracing,
            layers: res
                .get("Layers")
                .map(|l| l.items().into_iter().cloned().collect())
                .unwrap_or_default(),
            code_signing_config: res.get("CodeSigningConfigArn"),
            tags,
            package_type: res.get("PackageType"),
            code,
            role: Some(role),
            auto_publish_alias: res.get("AutoPublishAlias"),
        };
        self.inv.functions.push(function);

        let this = self.self_link(res);
        if let Some(alias) = res.get("AutoPublishAlias") {
            let meta = self.implied_meta(res, "Alias", "AWS::Lambda::Alias", alias.span);
            self.inv.aliases.push(Alias {
                meta,
                function: this.clone(),
                alias_name: alias,
            });
        }
        if let Some(url) = res.get("FunctionUrlConfig") {
            self.sam_function_url(res, &url, &this);
        }
        if let Some(config) = res.get("EventInvokeConfig") {
            let destination = |outcome: &str| {
                let target = at(&config, &["DestinationConfig", outcome])?;
                // With `Type: SQS` / `SNS` and no `Destination`, SAM creates the queue or topic.
                owned(target.get("Destination")).or_else(|| owned(target.get("Type")))
            };
            let config_element = EventInvokeConfig {
                meta: self.implied_meta(
                    res,
                    "EventInvokeConfig",
                    "AWS::Lambda::EventInvokeConfig",
                    config.span,
                ),
                function: this.clone(),
                on_failure_destination: destination("OnFailure"),
                on_success_destination: destination("OnSuccess"),
                maximum_retry_attempts: owned(config.get("MaximumRetryAttempts")),
            };
            self.inv.event_invoke_configs.push(config_element);
        }
        if let Some(events) = events {
            for (name, event) in events.as_map().unwrap_or_default() {
                self.sam_event(res, &this, &name.name, event);
            }
        }
    }

    fn sam_function_url(&mut self, res: &Resource<'_>, url: &Value, this: &Link) {
        let auth_type = owned(url.get("AuthType")).unwrap_or_else(|| Value::null(url.span));
        let qualifier = res.get("AutoPublishAlias");
        self.inv.function_urls.push(FunctionUrl {
            meta: self.implied_meta(res, "Url", "AWS::Lambda::Url", url.span),
            function: this.clone(),
            qualifier,
            auth_type: auth_type.clone(),
            cors: owned(url.get("Cors")).map(|c| cors(&c)),
        });
        // SAM grants `lambda:InvokeFunctionUrl` to everyone for an unauthenticated URL.
        if auth_type.strings().contains(&"NONE") {
            let permission = Permission {
                meta: self.implied_meta(res, "UrlPublicPermissions", "AWS::Lambda::Permission", url.span),
                function: this.clone(),
                action: Value::string("lambda:InvokeFunctionUrl", url.span),
                principal: Value::string("*", url.span),
                source_arn: None,
                source_account: None,
                principal_org_id: None,
                function_url_auth_type: Some(Value::string("NONE", auth_type.span)),
                event_source_token: None,
                condition: None,
            };
            self.inv.permissions.push(permission);
        }
    }

    /// The role SAM creates when a function names none: basic execution, plus what `Policies`,
    /// tracing, VPC access and poll-based events add.
    fn implied_role(
        &mut self,
        res: &Resource<'_>,
        raw: &Value,
        tracing: Option<&Value>,
        in_vpc: bool,
        events: Option<&Value>,
    ) -> Link {
        let span = res.span();
        let meta = self.implied_meta(res, "Role", "AWS::IAM::Role", span);
        let id = meta.id.clone();
        let mut managed = vec![managed_policy_arn("AWSLambdaBasicExecutionRole")];
        if tracing.is_some_and(|t| t.strings().contains(&"Active")) {
            managed.push(managed_policy_arn("AWSXrayWriteOnlyAccess"));
        }
        if in_vpc {
            managed.push(managed_policy_arn("AWSLambdaVPCAccessExecutionRole"));
        }
        for event in events.and_then(Value::as_map).unwrap_or_default() {
            let policy = match event.1.get("Type").and_then(Value::as_str) {
                Some("SQS") => "AWSLambdaSQSQueueExecutionRole",
                Some("Kinesis") => "AWSLambdaKinesisExecutionRole",
                Some("DynamoDB") => "AWSLambdaDynamoDBExecutionRole",
                Some("MSK") => "AWSLambdaMSKExecutionRole",
                _ => continue,
            };
            managed.push(managed_policy_arn(policy));
        }
        let mut managed_policies: Vec<Link> = managed
            .into_iter()
            .map(|arn| Link {
                target: None,
                value: Value::string(arn, Span::default()),
            })
            .collect();
        let mut inline_policies = Vec::new();
        let origin = self.origin(span);
        let dead_letter = at(&res.props, &["DeadLetterQueue"]);
        if let Some(dlq) = dead_letter {
            let action = match dlq.get("Type").and_then(Value::as_str) {
                Some("SNS") => "sns:Publish",
                _ => "sqs:SendMessage",
            };
            let target = owned(dlq.get("TargetArn")).unwrap_or_else(|| Value::null(dlq.span));
            inline_policies.push(InlinePolicy {
                name: format!("{}DeadLetterQueuePolicy", res.logical_id),
                document: statement_document(action, target, dlq.span),
                origin: origin.at(dlq.span),
                expanded_from: Some("DeadLetterQueue".into()),
            });
        }
        if let Some(policies) = raw.get("Policies") {
            // One entry or a list of them; an undecided `!If` contributes every branch.
            let policies = self.resolver.resolve_or_null(policies);
            for (index, policy) in policies.items().into_iter().enumerate() {
                self.sam_policy(res, index, policy, &mut inline_policies, &mut managed_policies);
            }
        }
        let role = Role {
            meta,
            role_name: None,
            trust_policy: Some(lambda_trust_policy()),
            inline_policies,
            managed_policies,
            permissions_boundary: res.get("PermissionsBoundary"),
        };
        self.inv.roles.push(role);
        Link {
            target: Some(id),
            value: Value::unknown(format!("!GetAtt {}Role.Arn", res.logical_id), Vec::new(), span),
        }
    }

    /// One entry of SAM `Policies`: a managed policy name or ARN, an inline document, or a
    /// policy template (expanded to its statements before resolution, so its parameters'
    /// intrinsics resolve like any other).
    /// One resolved entry of SAM `Policies`: a managed policy name or ARN, an inline
    /// document, or a policy template (expanded to its statements, then resolved again for the
    /// intrinsics the template itself uses).
    fn sam_policy(
        &mut self,
        res: &Resource<'_>,
        index: usize,
        policy: &Value,
        inline: &mut Vec<InlinePolicy>,
        managed: &mut Vec<Link>,
    ) {
        let origin = self.origin(policy.span.or(res.span()));
        match &policy.kind {
            ValueKind::String(name) if name.starts_with("arn:") => managed.push(Link {
                target: None,
                value: policy.clone(),
            }),
            ValueKind::String(name) => managed.push(Link {
                target: None,
                value: Value::string(managed_policy_arn(name), policy.span),
            }),
            ValueKind::Unknown(_) => managed.push(self.link(policy, &["AWS::IAM::ManagedPolicy"])),
            ValueKind::Map(_) if policy.get("Statement").is_some() => inline.push(InlinePolicy {
                name: format!("{}RolePolicy{index}", res.logical_id),
                document: policy.clone(),
                origin,
                expanded_from: None,
            }),
            ValueKind::Map(entries) => {
                let [(name, params)] = entries.as_slice() else {
                    self.diagnostics.push(self.note(
                        policy.span,
                        format!("policy entry {index} of {} is not understood", res.logical_id),
                    ));
                    return;
                };
                match sam_policies::expand(&name.name, params) {
                    Ok(document) => inline.push(InlinePolicy {
                        name: format!("{}RolePolicy{index}", res.logical_id),
                        document: self.resolver.resolve_or_null(&document),
                        origin: origin.at(name.span),
                        expanded_from: Some(name.name.clone()),
                    }),
                    Err(e) => self.diagnostics.push(warden_model::Diagnostic::warning(
                        "sam-policy-template",
                        Some(self.origin(name.span)),
                        format!("{}: {e}", res.logical_id),
                    )),
                }
            }
            _ => self.diagnostics.push(self.note(
                policy.span,
                format!(
                    "policy entry {index} of {} is not a name, ARN, document or template",
                    res.logical_id
                ),
            )),
        }
    }

    fn sam_event(&mut self, res: &Resource<'_>, this: &Link, name: &str, event: &Value) {
        let ty = event
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let props = owned(event.get("Properties"))
            .unwrap_or_else(|| Value::new(ValueKind::Map(Vec::new()), event.span));
        let span = event.span;
        let suffix = format!("Events.{name}");
        let permission = |builder: &Builder<'_>,
                          principal: &str,
                          source_arn: Option<Value>,
                          source_account: Option<Value>| Permission {
            meta: builder.implied_meta(
                res,
                &format!("{suffix}.Permission"),
                "AWS::Lambda::Permission",
                span,
            ),
            function: this.clone(),
            action: Value::string("lambda:InvokeFunction", span),
            principal: Value::string(principal, span),
            source_arn,
            source_account,
            principal_org_id: None,
            function_url_auth_type: None,
            event_source_token: None,
            condition: None,
        };
        let account = || Some(Value::unknown("${AWS::AccountId}", Vec::new(), span));
        let trigger = |builder: &mut Builder<'_>, kind: EventSourceKind, source: Option<Value>| {
            builder.inv.event_sources.push(EventSource {
                meta: builder.implied_meta(res, &suffix, "AWS::Serverless::Function", span),
                kind,
                function: this.clone(),
                source,
                on_failure_destination: owned(at(&props, &["DestinationConfig", "OnFailure", "Destination"])),
            });
        };
        match ty.as_str() {
            "Api" | "HttpApi" => {
                let http = ty == "HttpApi";
                self.sam_api_event(res, this, &suffix, &props, span, http);
                let api_arn = Value::unknown(
                    "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*",
                    Vec::new(),
                    span,
                );
                let p = permission(self, "apigateway.amazonaws.com", Some(api_arn), None);
                self.inv.permissions.push(p);
            }
            "S3" => {
                trigger(self, EventSourceKind::S3, owned(props.get("Bucket")));
                let p = permission(self, "s3.amazonaws.com", None, account());
                self.inv.permissions.push(p);
            }
            "SNS" => {
                trigger(self, EventSourceKind::Sns, owned(props.get("Topic")));
                let p = permission(self, "sns.amazonaws.com", owned(props.get("Topic")), None);
                self.inv.permissions.push(p);
            }
            "SQS" => trigger(self, EventSourceKind::Sqs, owned(props.get("Queue"))),
            "Kinesis" => trigger(self, EventSourceKind::Kinesis, owned(props.get("Stream"))),
            "DynamoDB" => trigger(self, EventSourceKind::DynamoDb, owned(props.get("Stream"))),
            "MSK" | "SelfManagedKafka" => trigger(self, EventSourceKind::Kafka, owned(props.get("Stream"))),
            "MQ" => trigger(self, EventSourceKind::MQ, owned(props.get("Broker"))),
            "Schedule" | "EventBridgeRule" | "CloudWatchEvent" => {
                let kind = if ty == "Schedule" {
                    EventSourceKind::Schedule
                } else {
                    EventSourceKind::EventBridge
                };
                trigger(
                    self,
                    kind,
                    owned(props.get("Schedule")).or_else(|| owned(props.get("Pattern"))),
                );
                let rule = Value::unknown(format!("!GetAtt {}{name}.Arn", res.logical_id), Vec::new(), span);
                let p = permission(self, "events.amazonaws.com", Some(rule), None);
                self.inv.permissions.push(p);
            }
            "ScheduleV2" => trigger(
                self,
                EventSourceKind::Schedule,
                owned(props.get("ScheduleExpression")),
            ),
            "CloudWatchLogs" => {
                trigger(
                    self,
                    EventSourceKind::CloudWatchLogs,
                    owned(props.get("LogGroupName")),
                );
                let group = Value::unknown(
                    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroupName}:*",
                    Vec::new(),
                    span,
                );
                let p = permission(self, "logs.amazonaws.com", Some(group), None);
                self.inv.permissions.push(p);
            }
            "IoTRule" => {
                trigger(self, EventSourceKind::Iot, owned(props.get("Sql")));
                let p = permission(self, "iot.amazonaws.com", None, account());
                self.inv.permissions.push(p);
            }
            "Cognito" => {
                trigger(self, EventSourceKind::Other, owned(props.get("UserPool")));
                let p = permission(
                    self,
                    "cognito-idp.amazonaws.com",
                    owned(props.get("UserPool")),
                    None,
                );
                self.inv.permissions.push(p);
            }
            "AlexaSkill" => {
                trigger(self, EventSourceKind::Other, None);
                let mut p = permission(self, "alexa-appkit.amazon.com", None, None);
                p.event_source_token = owned(props.get("SkillId"));
                self.inv.permissions.push(p);
            }
            _ => trigger(self, EventSourceKind::Other, None),
        }
    }

    /// The route an `Api` / `HttpApi` event adds, on the API it names or on the implicit one.
    fn sam_api_event(
        &mut self,
        res: &Resource<'_>,
        this: &Link,
        suffix: &str,
        props: &Value,
        span: Span,
        http: bool,
    ) {
        let api_property = if http { "ApiId" } else { "RestApiId" };
        let (api, auth) = match owned(props.get(api_property)) {
            Some(api) => {
                let api_type = if http {
                    "AWS::Serverless::HttpApi"
                } else {
                    "AWS::Serverless::Api"
                };
                let link = self.link(
                    &api,
                    &[api_type, "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api"],
                );
                let logical = api.as_unknown().and_then(|u| u.refs.first().cloned());
                let auth = logical.map(|l| self.sam_api_auth(&l, http)).unwrap_or_default();
                (link, auth)
            }
            None => {
                let logical = if http {
                    IMPLICIT_HTTP_API
                } else {
                    IMPLICIT_REST_API
                };
                self.implicit_api(res, logical, http, span);
                let link = Link {
                    target: Some(self.id(logical)),
                    value: Value::unknown(format!("!Ref {logical}"), Vec::new(), span),
                };
                let section = if http { "HttpApi" } else { "Api" };
                let auth = ApiAuth::from_sam(
                    self.globals(section)
                        .and_then(|g| g.get("Auth"))
                        .map(|a| self.resolver.resolve_or_null(a))
                        .as_ref(),
                    http,
                );
                (link, auth)
            }
        };
        let event_auth = props.get("Auth");
        let authorizer = event_auth.and_then(|a| a.get("Authorizer")).map(Value::display);
        let method = props
            .get("Method")
            .map(|m| m.display().to_uppercase())
            .unwrap_or_else(|| "ANY".into());
        let route_auth = if method == "OPTIONS" && authorizer.is_none() {
            RouteAuth::None
        } else {
            auth.route_auth(authorizer.as_deref())
        };
        let api_key_required = event_auth
            .and_then(|a| a.get("ApiKeyRequired"))
            .and_then(Value::as_bool)
            .unwrap_or(auth.api_key_required);
        let route = Route {
            meta: self.implied_meta(res, suffix, "AWS::Serverless::Function", span),
            api,
            method,
            path: props
                .get("Path")
                .map(Value::display)
                .unwrap_or_else(|| "$default".into()),
            function: Some(this.clone()),
            auth: route_auth,
            api_key_required,
        };
        self.inv.routes.push(route);
    }

    /// The `Auth` of a SAM API declared in the template (with `Globals` merged).
    fn sam_api_auth(&self, logical: &str, http: bool) -> ApiAuth {
        let Some(ty) = self.resolver.resource_type(logical) else {
            return ApiAuth::default();
        };
        if !ty.starts_with("AWS::Serverless::") {
            return ApiAuth::default();
        }
        let props = self.sam_properties(ty, self.raw_properties(logical), Span::default());
        let props = self.resolver.resolve_or_null(&props);
        ApiAuth::from_sam(props.get("Auth"), http)
    }

    /// SAM's implicit API (and its `Prod` stage), created once for the events that name no API.
    fn implicit_api(&mut self, res: &Resource<'_>, logical: &str, http: bool, span: Span) {
        let id = self.id(logical);
        if self.inv.apis.iter().any(|a| a.meta.id == id) {
            return;
        }
        let meta = Meta {
            id: id.clone(),
            name: logical.to_string(),
            resource_type: if http {
                "AWS::Serverless::HttpApi"
            } else {
                "AWS::Serverless::Api"
            }
            .to_string(),
            origin: self.origin(span),
            implied_by: Some(self.id(res.logical_id)),
            skips: Vec::new(),
        };
        let section = if http { "HttpApi" } else { "Api" };
        let globals = self
            .globals(section)
            .map(|g| self.resolver.resolve_or_null(g))
            .unwrap_or_else(|| Value::new(ValueKind::Map(Vec::new()), span));
        let kind = if http { ApiKind::Http } else { ApiKind::Rest };
        self.inv.apis.push(warden_model::Api {
            meta: meta.clone(),
            kind,
            resource_policy: owned(at(&globals, &["Auth", "ResourcePolicy"])),
            endpoint_type: owned(globals.get("EndpointConfiguration")),
            disable_execute_api_endpoint: owned(globals.get("DisableExecuteApiEndpoint")),
        });
        let mut stage_meta = meta;
        stage_meta.id = format!("{id}.Stage");
        let link = Link {
            target: Some(id),
            value: Value::unknown(format!("!Ref {logical}"), Vec::new(), span),
        };
        let settings = sam_stage_settings(&globals, http);
        self.stage(stage_meta, link, settings);
    }

    fn sam_api(&mut self, res: &Resource<'_>, kind: ApiKind) {
        let http = kind == ApiKind::Http;
        let auth_value = res.get("Auth");
        self.api(
            res,
            kind,
            owned(auth_value.as_ref().and_then(|a| a.get("ResourcePolicy"))),
        );
        let auth = ApiAuth::from_sam(auth_value.as_ref(), http);
        let this = self.self_link(res);
        for (name, config) in auth_value
            .as_ref()
            .and_then(|a| a.get("Authorizers"))
            .and_then(Value::as_map)
            .unwrap_or_default()
        {
            let function = owned(config.get("FunctionArn")).map(|f| self.link(&f, FUNCTION_TYPES));
            let kind = auth.route_auth(Some(&name.name));
            let authorizer_type = match kind {
                RouteAuth::Cognito { .. } => "COGNITO_USER_POOLS",
                RouteAuth::Jwt { .. } => "JWT",
                RouteAuth::Lambda { .. } => "REQUEST",
                _ => "UNKNOWN",
            };
            self.inv.authorizers.push(Authorizer {
                meta: self.implied_meta(
                    res,
                    &format!("Authorizers.{}", name.name),
                    "AWS::ApiGateway::Authorizer",
                    config.span,
                ),
                api: Some(this.clone()),
                authorizer_type: Value::string(authorizer_type, config.span),
                function,
            });
        }
        let mut stage_meta = self.meta(res);
        stage_meta.id = format!("{}.Stage", stage_meta.id);
        stage_meta.skips = Vec::new();
        self.stage(stage_meta, this.clone(), sam_stage_settings(&res.props, http));
        if let Some(body) = res.get("DefinitionBody") {
            self.openapi_routes(res, &body, this, &auth);
        }
    }

    /// Routes of an OpenAPI body whose integrations invoke a function of the template.
    pub fn openapi_routes(&mut self, res: &Resource<'_>, body: &Value, api: Link, auth: &ApiAuth) {
        let schemes = body
            .get("securityDefinitions")
            .or_else(|| at(body, &["components", "securitySchemes"]))
            .and_then(Value::as_map)
            .unwrap_or_default()
            .to_vec();
        let global_security = body.get("security");
        for (path, operations) in body.get("paths").and_then(Value::as_map).unwrap_or_default() {
            for (method, operation) in operations.as_map().unwrap_or_default() {
                let Some(uri) = at(operation, &["x-amazon-apigateway-integration", "uri"]) else {
                    continue;
                };
                if self.target(uri, FUNCTION_TYPES).is_none() {
                    continue;
                }
                let security = operation.get("security").or(global_security);
                let route_auth = match security {
                    Some(requirements) => openapi_auth(requirements, &schemes, auth),
                    None => auth.route_auth(None),
                };
                let method_name = method.name.to_uppercase();
                let api_key_required = security.is_some_and(|s| {
                    s.items().iter().any(|req| {
                        req.as_map()
                            .is_some_and(|m| m.iter().any(|(k, _)| is_api_key(&k.name, &schemes)))
                    })
                }) || auth.api_key_required;
                self.inv.routes.push(Route {
                    meta: self.implied_meta(
                        res,
                        &format!("paths.{}.{}", path.name, method.name),
                        res.resource_type,
                        operation.span,
                    ),
                    api: api.clone(),
                    method: if method_name == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
                        "ANY".into()
                    } else {
                        method_name
                    },
                    path: path.name.clone(),
                    function: Some(self.link(uri, FUNCTION_TYPES)),
                    auth: route_auth,
                    api_key_required,
                });
            }
        }
    }
}

fn is_api_key(name: &str, schemes: &[(Key, Value)]) -> bool {
    schemes.iter().any(|(k, v)| {
        k.name == name
            && v.get("type").and_then(Value::as_str) == Some("apiKey")
            && v.get("x-amazon-apigateway-authtype").is_none()
    })
}

/// The protection an OpenAPI `security` requirement list gives.
fn openapi_auth(requirements: &Value, schemes: &[(Key, Value)], auth: &ApiAuth) -> RouteAuth {
    let names: Vec<&str> = requirements
        .items()
        .into_iter()
        .filter_map(Value::as_map)
        .flat_map(|m| m.iter().map(|(k, _)| k.name.as_str()))
        .collect();
    if names.is_empty() {
        return RouteAuth::None;
    }
    for name in names {
        if let Some((_, scheme)) = schemes.iter().find(|(k, _)| k.name == name) {
            let auth_type = scheme
                .get("x-amazon-apigateway-authtype")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match auth_type.to_ascii_lowercase().as_str() {
                "cognito_user_pools" => return RouteAuth::Cognito { authorizer: None },
                "awssigv4" => return RouteAuth::Iam,
                "custom" | "token" | "request" => return RouteAuth::Lambda { authorizer: None },
                _ => {}
            }
            if scheme.get("type").and_then(Value::as_str) == Some("oauth2")
                || scheme.get("type").and_then(Value::as_str) == Some("openIdConnect")
            {
                return RouteAuth::Jwt { authorizer: None };
            }
            if is_api_key(name, schemes) {
                continue;
            }
        }
        match auth.route_auth(Some(name)) {
            RouteAuth::Unknown(_) => {}
            known => return known,
        }
    }
    RouteAuth::None
}

fn sam_stage_settings(props: &Value, http: bool) -> StageSettings {
    if http {
        let mut settings = StageSettings::http(props);
        settings.stage_name = owned(props.get("StageName"));
        settings
    } else {
        let mut settings = StageSettings::rest(props);
        settings.stage_name = owned(props.get("StageName"));
        settings
    }
}

fn lambda_trust_policy() -> Value {
    Value::from_json(&serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
    }))
}

fn statement_document(action: &str, resource: Value, span: Span) -> Value {
    let key = |name: &str| Key {
        name: name.to_string(),
        span,
    };
    let statement = Value::new(
        ValueKind::Map(vec![
            (key("Effect"), Value::string("Allow", span)),
            (key("Action"), Value::string(action, span)),
            (key("Resource"), resource),
        ]),
        span,
    );
    Value::new(
        ValueKind::Map(vec![
            (key("Version"), Value::string("2012-10-17", span)),
            (
                key("Statement"),
                Value::new(ValueKind::List(vec![statement]), span),
            ),
        ]),
        span,
    )
}
