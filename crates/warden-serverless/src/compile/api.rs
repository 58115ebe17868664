//! API events: `http` (a REST API, `compile/events/api-gateway`), `httpApi` (an HTTP API,
//! `compile/events/http-api.js`) and `websocket` (`compile/events/websockets`), with their
//! routes, authorizers, stages, access-log groups and the permissions that let API Gateway invoke
//! functions and authorizers.

use std::collections::HashSet;

use warden_model::{Diagnostic, Span, Value, ValueKind};

use super::events::{Event, Grant};
use super::{Compiler, FunctionDef, Naming, joined};
use crate::build::{Obj, at, concat, entry, get_att, join, list, reference, set, text, truthy};
use crate::naming;

/// One of the service's APIs (REST, HTTP or WebSocket), created by its first event of that
/// kind.
pub(crate) struct ApiState {
    /// The first event: where the API's findings point without provider settings.
    span: Span,
    first_function: String,
    /// `!Ref ApiGatewayRestApi` (or `HttpApi`, ...), or the id of an existing API.
    api_id: Value,
    external: bool,
    /// Functions already given their permission / integration on this API.
    wired: HashSet<String>,
}

impl ApiState {
    /// The API's id, recording the API in `slot` on first use: `external` is the id of an API
    /// that exists outside the service, `logical` the id the framework generates otherwise.
    fn id(
        slot: &mut Option<ApiState>,
        external: Option<Value>,
        logical: &str,
        f: &FunctionDef,
        span: Span,
    ) -> Value {
        if let Some(api) = slot {
            return api.api_id.clone();
        }
        let api_id = external.clone().unwrap_or_else(|| reference(logical, span));
        *slot = Some(ApiState {
            span,
            first_function: f.logical.clone(),
            api_id: api_id.clone(),
            external: external.is_some(),
            wired: HashSet::new(),
        });
        api_id
    }
}

/// Default throttling of the `serverless-api-gateway-throttling` plugin.
const PLUGIN_RATE: &str = "10000";
const PLUGIN_BURST: &str = "5000";

impl Compiler<'_> {
    /// `http: GET /path` or `http: {path, method, private, authorizer, integration, ...}`.
    pub(super) fn http_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let empty = Value::new(ValueKind::Map(Vec::new()), at.span);
        let (method, path, settings) = match &at.config.kind {
            ValueKind::String(s) => {
                let (method, path) = s.split_once(' ').unwrap_or((s.as_str(), ""));
                (method.to_string(), path.to_string(), &empty)
            }
            ValueKind::Map(_) => (
                set(at.config, "method").map(Value::display).unwrap_or_default(),
                set(at.config, "path").map(Value::display).unwrap_or_default(),
                at.config,
            ),
            _ => {
                self.not_read(at.config, &format!("an `http` event of `{}`", f.name));
                return;
            }
        };
        let method = method.trim().to_lowercase();
        let path = path
            .trim()
            .trim_start_matches('/')
            .trim_end_matches('/')
            .to_string();
        let span = at.span;
        let api_id = self.rest_api(f, span);
        let resource_id = self.rest_resources(&path, &api_id, span);
        let integration = integration_type(settings);
        let function_integration = matches!(integration.as_str(), "AWS" | "AWS_PROXY");
        let integration = if function_integration {
            Obj::new(span)
                .set("Type", text(&integration, span))
                .set("IntegrationHttpMethod", text("POST", span))
                .set("Uri", invocation_uri(get_att(&f.logical, "Arn", span), span))
                .build()
        } else {
            Obj::new(span)
                .set("Type", text(&integration, span))
                .opt("Uri", at_path(settings, &["request", "uri"]))
                .build()
        };
        let authorization = self.rest_authorization(f, settings, &api_id, span);
        let private = set(settings, "private").filter(|p| truthy(Some(p))).cloned();
        let props = Obj::new(span)
            .set("HttpMethod", text(method.to_uppercase(), span))
            .set("ResourceId", resource_id)
            .set("RestApiId", api_id.clone())
            .opt("ApiKeyRequired", private)
            .set("AuthorizationType", authorization.kind)
            .opt("AuthorizerId", authorization.authorizer)
            .opt("AuthorizationScopes", authorization.scopes)
            .set("Integration", integration)
            .build();
        let body = self.resource("AWS::ApiGateway::Method", props, span, None);
        let naming = self.implied(f);
        self.add(&naming::method(&naming::path(&path), &method), span, body, naming);

        let needs_permission = self
            .rest
            .as_mut()
            .is_some_and(|r| r.wired.insert(f.logical.clone()));
        if function_integration && needs_permission {
            let grant = Grant {
                principal: "apigateway.amazonaws.com",
                source_arn: Some(execute_api_arn(api_id, "/*/*", span)),
                source_account: None,
                event_source_token: None,
            };
            self.permission(f, &format!("{}LambdaPermissionApiGateway", f.base), grant, span);
        }
    }

    /// The REST API's id, recording the API on first use.
    fn rest_api(&mut self, f: &FunctionDef, span: Span) -> Value {
        let external = at(&self.provider, &["apiGateway", "restApiId"]).cloned();
        ApiState::id(&mut self.rest, external, naming::REST_API, f, span)
    }

    /// The `AWS::ApiGateway::Resource` chain of a path; the method's `ResourceId`.
    fn rest_resources(&mut self, path: &str, api_id: &Value, span: Span) -> Value {
        let root = || match at(&self.provider, &["apiGateway", "restApiRootResourceId"]) {
            Some(root) => root.clone(),
            None => get_att(naming::REST_API, "RootResourceId", span),
        };
        if path.is_empty() {
            return root();
        }
        let mut parent = root();
        let mut prefix = String::new();
        for part in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            let logical = format!("ApiGatewayResource{}", naming::path(&prefix));
            if !self.has_resource(&logical) {
                let props = Obj::new(span)
                    .set("ParentId", parent.clone())
                    .set("PathPart", text(part, span))
                    .set("RestApiId", api_id.clone())
                    .build();
                let body = self.resource("AWS::ApiGateway::Resource", props, span, None);
                let name = Naming {
                    name: logical.clone(),
                    implied_by: None,
                };
                self.add(&logical, span, body, name);
            }
            parent = reference(&logical, span);
        }
        parent
    }

    /// `authorizer` of an `http` event: `aws_iam`, a function of the service, an ARN (a Lambda
    /// or a Cognito user pool), or an existing authorizer's id.
    fn rest_authorization(
        &mut self,
        f: &FunctionDef,
        settings: &Value,
        api_id: &Value,
        span: Span,
    ) -> Authorization {
        let Some(authorizer) = set(settings, "authorizer") else {
            return Authorization::kind("NONE", span);
        };
        let at_span = authorizer.span;
        let field = |name: &str| set(authorizer, name).cloned();
        let declared_type = field("type").and_then(|t| t.as_str().map(str::to_uppercase));
        let (name, arn, function) = match &authorizer.kind {
            ValueKind::String(s) if s.eq_ignore_ascii_case("aws_iam") => {
                return Authorization::kind("AWS_IAM", at_span);
            }
            ValueKind::String(s) if !s.contains(':') => (s.clone(), None, Some(s.clone())),
            ValueKind::String(s) => (authorizer_name_from_arn(s), Some(authorizer.clone()), None),
            ValueKind::Map(_) => {
                if let (Some(kind), Some(id)) = (&declared_type, field("authorizerId")) {
                    let kind = match kind.as_str() {
                        "TOKEN" | "REQUEST" => "CUSTOM",
                        other => other,
                    };
                    return Authorization {
                        kind: text(kind, at_span),
                        authorizer: Some(id),
                        scopes: field("scopes"),
                    };
                }
                if declared_type.as_deref() == Some("AWS_IAM") {
                    return Authorization::kind("AWS_IAM", at_span);
                }
                if let Some(arn) = field("arn") {
                    let name = field("name")
                        .and_then(|n| n.as_str().map(str::to_string))
                        .or_else(|| arn.as_str().map(authorizer_name_from_arn))
                        .unwrap_or_else(|| "Authorizer".into());
                    (name, Some(arn), None)
                } else if let Some(name) = field("name").and_then(|n| n.as_str().map(str::to_string)) {
                    (name.clone(), None, Some(name))
                } else {
                    self.diagnostics.push(Diagnostic::warning(
                        "invalid-event",
                        Some(self.origin(at_span)),
                        format!(
                            "authorizer of `{}` has neither `name` nor `arn`; the framework refuses it",
                            f.name
                        ),
                    ));
                    return Authorization::kind("CUSTOM", at_span);
                }
            }
            _ => return Authorization::kind("CUSTOM", at_span),
        };
        let (arn, authorizer_function) = match function {
            Some(function_name) => match self.function_named(&function_name) {
                Some(target) => (get_att(&target.logical, "Arn", at_span), Some(target.clone())),
                None => {
                    self.diagnostics.push(Diagnostic::warning(
                        "invalid-event",
                        Some(self.origin(at_span)),
                        format!(
                            "authorizer `{function_name}` of `{}` is not a function of the service",
                            f.name
                        ),
                    ));
                    (text(function_name, at_span), None)
                }
            },
            None => (arn.unwrap_or_else(|| Value::null(at_span)), None),
        };
        let cognito = declared_type.as_deref() == Some("COGNITO_USER_POOLS")
            || arn.as_str().is_some_and(|a| a.contains(":cognito-idp:"));
        let logical = format!("{}ApiGatewayAuthorizer", naming::normalized(&name));
        if !self.has_resource(&logical) {
            let mut props = Obj::new(at_span)
                .set("Name", text(&name, at_span))
                .set("RestApiId", api_id.clone())
                .set(
                    "IdentitySource",
                    field("identitySource")
                        .unwrap_or_else(|| text("method.request.header.Authorization", at_span)),
                );
            if cognito {
                props.put("Type", text("COGNITO_USER_POOLS", at_span));
                props.put("ProviderARNs", list(vec![arn.clone()], at_span));
            } else {
                props.put("Type", text(declared_type.as_deref().unwrap_or("TOKEN"), at_span));
                props.put("AuthorizerUri", invocation_uri(arn.clone(), at_span));
            }
            let body = self.resource("AWS::ApiGateway::Authorizer", props.build(), at_span, None);
            let naming = Naming {
                name: name.clone(),
                implied_by: Some(naming::REST_API.to_string()),
            };
            self.add(&logical, at_span, body, naming);
            let managed_externally = truthy(set(authorizer, "managedExternally"));
            if !cognito && !managed_externally {
                let grant = Grant {
                    principal: "apigateway.amazonaws.com",
                    source_arn: Some(execute_api_arn(api_id.clone(), "/*/*", at_span)),
                    source_account: None,
                    event_source_token: None,
                };
                let naming = match &authorizer_function {
                    Some(target) => self.implied(target),
                    None => self.implied(f),
                };
                let permission = format!("{}LambdaPermissionApiGateway", naming::normalized(&name));
                self.permission_for(arn, &permission, grant, at_span, naming);
            }
        }
        Authorization {
            kind: text(if cognito { "COGNITO_USER_POOLS" } else { "CUSTOM" }, at_span),
            authorizer: Some(reference(&logical, at_span)),
            scopes: field("scopes").filter(|_| cognito),
        }
    }

    /// `httpApi: 'GET /path'`, `httpApi: '*'` or `httpApi: {method, path, authorizer}`.
    pub(super) fn http_api_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let span = at.span;
        let (method, path, authorizer) = match &at.config.kind {
            ValueKind::String(s) if s.trim() == "*" => (String::new(), "*".to_string(), None),
            ValueKind::String(s) => {
                let (method, path) = s.trim().split_once(' ').unwrap_or(("", s.as_str()));
                (method.to_string(), path.trim().to_string(), None)
            }
            ValueKind::Map(_) => (
                set(at.config, "method").map(Value::display).unwrap_or_default(),
                set(at.config, "path").map(Value::display).unwrap_or_default(),
                set(at.config, "authorizer").cloned(),
            ),
            _ => {
                self.not_read(at.config, &format!("an `httpApi` event of `{}`", f.name));
                return;
            }
        };
        let route_key = if path == "*" {
            "*".to_string()
        } else {
            let method = match method.to_uppercase().as_str() {
                "*" | "" => "ANY".to_string(),
                other => other.to_string(),
            };
            format!("{method} {path}")
        };
        let api_id = self.http_api(f, span);
        let integration = format!("HttpApiIntegration{}", f.base);
        let first_use = self
            .http
            .as_mut()
            .is_some_and(|h| h.wired.insert(f.logical.clone()));
        if first_use {
            let props = Obj::new(span)
                .set("ApiId", api_id.clone())
                .set("IntegrationType", text("AWS_PROXY", span))
                .set("IntegrationUri", get_att(&f.logical, "Arn", span))
                .set("PayloadFormatVersion", text("2.0", span))
                .build();
            let body = self.resource("AWS::ApiGatewayV2::Integration", props, span, None);
            let naming = self.implied(f);
            self.add(&integration, span, body, naming);
            let grant = Grant {
                principal: "apigateway.amazonaws.com",
                source_arn: Some(execute_api_arn(api_id.clone(), "/*", span)),
                source_account: None,
                event_source_token: None,
            };
            self.permission(f, &format!("{}LambdaPermissionHttpApi", f.base), grant, span);
        }
        let mut props = Obj::new(span)
            .set("ApiId", api_id)
            .set(
                "RouteKey",
                text(if route_key == "*" { "$default" } else { &route_key }, span),
            )
            .set(
                "Target",
                join(
                    "/",
                    vec![text("integrations", span), reference(&integration, span)],
                    span,
                ),
            );
        if let Some(authorizer) = authorizer {
            self.http_authorization(f, &authorizer, &mut props);
        }
        let logical = if route_key == "*" {
            "HttpApiRouteDefault".to_string()
        } else {
            format!("HttpApiRoute{}", naming::path(&route_key))
        };
        let body = self.resource("AWS::ApiGatewayV2::Route", props.build(), span, None);
        let naming = self.implied(f);
        self.add(&logical, span, body, naming);
    }

    /// An HTTP API route's `authorizer`: a name from `provider.httpApi.authorizers` (JWT, or
    /// a Lambda with `type: request`), `{type: aws_iam}`, or an external authorizer's `id`.
    fn http_authorization(&mut self, f: &FunctionDef, authorizer: &Value, props: &mut Obj) {
        let span = authorizer.span;
        let (name, id, kind) = match &authorizer.kind {
            ValueKind::Map(_) => (
                set(authorizer, "name").and_then(|n| n.as_str().map(str::to_string)),
                set(authorizer, "id").cloned(),
                set(authorizer, "type").and_then(|t| t.as_str().map(str::to_string)),
            ),
            _ => (authorizer.as_str().map(str::to_string), None, None),
        };
        if kind.as_deref() == Some("aws_iam") {
            props.put("AuthorizationType", text("AWS_IAM", span));
            return;
        }
        if let Some(id) = id {
            let kind = if kind.as_deref() == Some("request") {
                "CUSTOM"
            } else {
                "JWT"
            };
            props.put("AuthorizationType", text(kind, span));
            props.put("AuthorizerId", id);
            return;
        }
        let Some(name) = name else {
            props.put("AuthorizationType", text("CUSTOM", span));
            return;
        };
        let configured = at(&self.provider, &["httpApi", "authorizers"]).and_then(|a| set(a, &name));
        let Some(configured) = configured else {
            self.diagnostics.push(Diagnostic::warning(
                "invalid-event",
                Some(self.origin(span)),
                format!(
                    "`{}` uses the authorizer `{name}`, which `provider.httpApi.authorizers` does not configure; the framework refuses this",
                    f.name
                ),
            ));
            props.put(
                "AuthorizationType",
                text(format!("unconfigured authorizer `{name}`"), span),
            );
            return;
        };
        let request = set(configured, "type").and_then(Value::as_str) == Some("request");
        props.put(
            "AuthorizationType",
            text(if request { "CUSTOM" } else { "JWT" }, span),
        );
        props.put(
            "AuthorizerId",
            reference(&format!("HttpApiAuthorizer{}", naming::normalized(&name)), span),
        );
        if let Some(scopes) = set(authorizer, "scopes") {
            props.put("AuthorizationScopes", scopes.clone());
        }
    }

    /// The HTTP API's id, recording the API on first use.
    fn http_api(&mut self, f: &FunctionDef, span: Span) -> Value {
        let external = at(&self.provider, &["httpApi", "id"]).cloned();
        ApiState::id(&mut self.http, external, naming::HTTP_API, f, span)
    }

    /// `websocket: $connect` or `websocket: {route, authorizer}`.
    pub(super) fn websocket_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let span = at.span;
        let (route, authorizer) = match &at.config.kind {
            ValueKind::Map(_) => (
                set(at.config, "route").map(Value::display).unwrap_or_default(),
                set(at.config, "authorizer").cloned(),
            ),
            _ => (at.config.display(), None),
        };
        let api_id = self.websockets_api(f, span);
        let integration = format!("{}WebsocketsIntegration", f.base);
        let first_use = self
            .websockets
            .as_mut()
            .is_some_and(|w| w.wired.insert(f.logical.clone()));
        if first_use {
            let props = Obj::new(span)
                .set("ApiId", api_id.clone())
                .set("IntegrationType", text("AWS_PROXY", span))
                .set(
                    "IntegrationUri",
                    invocation_uri(get_att(&f.logical, "Arn", span), span),
                )
                .build();
            let body = self.resource("AWS::ApiGatewayV2::Integration", props, span, None);
            let naming = self.implied(f);
            self.add(&integration, span, body, naming);
            // The framework's WebSocket permissions name no source.
            let grant = Grant {
                principal: "apigateway.amazonaws.com",
                source_arn: None,
                source_account: None,
                event_source_token: None,
            };
            self.permission(f, &format!("{}LambdaPermissionWebsockets", f.base), grant, span);
        }
        let mut props = Obj::new(span)
            .set("ApiId", api_id.clone())
            .set("RouteKey", text(&route, span))
            .set(
                "Target",
                join(
                    "/",
                    vec![text("integrations", span), reference(&integration, span)],
                    span,
                ),
            );
        match authorizer {
            Some(authorizer) => {
                let logical = self.websockets_authorizer(f, &authorizer, &api_id);
                props.put("AuthorizationType", text("CUSTOM", authorizer.span));
                props.put("AuthorizerId", reference(&logical, authorizer.span));
            }
            None => props.put("AuthorizationType", text("NONE", span)),
        }
        let key = route
            .replace('$', "S")
            .replace('/', "Slash")
            .replace('-', "Dash")
            .replace('_', "Underscore")
            .replace('.', "Period");
        let body = self.resource("AWS::ApiGatewayV2::Route", props.build(), span, None);
        let naming = self.implied(f);
        self.add(&format!("{key}WebsocketsRoute"), span, body, naming);
    }

    fn websockets_authorizer(&mut self, f: &FunctionDef, authorizer: &Value, api_id: &Value) -> String {
        let span = authorizer.span;
        let (name, arn) = match &authorizer.kind {
            ValueKind::Map(_) => (
                set(authorizer, "name").map(Value::display),
                set(authorizer, "arn").cloned(),
            ),
            _ => (Some(authorizer.display()), None),
        };
        let name = name
            .or_else(|| arn.as_ref().and_then(Value::as_str).map(authorizer_name_from_arn))
            .unwrap_or_else(|| "Authorizer".into());
        let target = self.function_named(&name).cloned();
        let arn = match (&target, arn) {
            (_, Some(arn)) => arn,
            (Some(t), None) => get_att(&t.logical, "Arn", span),
            (None, None) => text(&name, span),
        };
        let logical = format!("{}WebsocketsAuthorizer", naming::normalized(&name));
        if !self.has_resource(&logical) {
            let props = Obj::new(span)
                .set("ApiId", api_id.clone())
                .set("Name", text(&name, span))
                .set("AuthorizerType", text("REQUEST", span))
                .set("AuthorizerUri", invocation_uri(arn.clone(), span))
                .build();
            let body = self.resource("AWS::ApiGatewayV2::Authorizer", props, span, None);
            let naming = Naming {
                name: name.clone(),
                implied_by: Some(naming::WEBSOCKETS_API.to_string()),
            };
            self.add(&logical, span, body, naming);
            let grant = Grant {
                principal: "apigateway.amazonaws.com",
                source_arn: None,
                source_account: None,
                event_source_token: None,
            };
            let naming = match &target {
                Some(t) => self.implied(t),
                None => self.implied(f),
            };
            let permission = format!("{}LambdaPermissionWebsockets", naming::normalized(&name));
            self.permission_for(arn, &permission, grant, span, naming);
        }
        logical
    }

    fn websockets_api(&mut self, f: &FunctionDef, span: Span) -> Value {
        let external = set(&self.provider, "websocketApiId").cloned();
        ApiState::id(&mut self.websockets, external, naming::WEBSOCKETS_API, f, span)
    }

    /// The APIs events created, their stages and access-log groups, and the HTTP API's
    /// configured authorizers.
    pub(super) fn apis(&mut self) {
        if let Some(rest) = self.rest.take() {
            self.finish_rest_api(&rest);
            self.rest = Some(rest);
        }
        if let Some(http) = self.http.take() {
            self.finish_http_api(&http);
            self.http = Some(http);
        }
        if let Some(websockets) = self.websockets.take() {
            self.finish_websockets(&websockets);
            self.websockets = Some(websockets);
        }
    }

    fn finish_rest_api(&mut self, rest: &ApiState) {
        if rest.external {
            return;
        }
        let provider = self.provider.clone();
        let settings = entry(&provider, "apiGateway");
        let (span, comment_line) = match settings {
            Some((key, _)) => (key.span, Some(key.span.start.line)),
            None => (rest.span, None),
        };
        let gateway = settings.map(|(_, v)| v);
        let endpoint_type = set(&provider, "endpointType")
            .map(|t| text(t.display().to_uppercase(), t.span))
            .unwrap_or_else(|| text("EDGE", span));
        let resource_policy = gateway
            .and_then(|g| set(g, "resourcePolicy"))
            .or_else(|| set(&provider, "resourcePolicy"))
            .filter(|p| !p.items().is_empty())
            .map(|statements| {
                Obj::new(statements.span)
                    .set("Version", text("2012-10-17", statements.span))
                    .set("Statement", statements.clone())
                    .build()
            });
        let name = set(&provider, "apiName").cloned().unwrap_or_else(|| {
            let starts_with_service = gateway.is_some_and(|g| truthy(set(g, "shouldStartNameWithService")));
            if starts_with_service {
                self.service_name("", span)
            } else {
                joined(&[&self.stage, &text("-", span), &self.service], span)
            }
        });
        let props = Obj::new(span)
            .set("Name", name)
            .set(
                "EndpointConfiguration",
                Obj::new(span)
                    .set("Types", list(vec![endpoint_type], span))
                    .opt("VpcEndpointIds", set(&provider, "vpcEndpointIds").cloned())
                    .build(),
            )
            .opt("Policy", resource_policy)
            .opt(
                "DisableExecuteApiEndpoint",
                gateway.and_then(|g| set(g, "disableDefaultEndpoint")).cloned(),
            )
            .build();
        let body = self.resource("AWS::ApiGateway::RestApi", props, span, comment_line);
        let api_naming = Naming {
            name: naming::REST_API.to_string(),
            implied_by: Some(rest.first_function.clone()),
        };
        self.add(naming::REST_API, span, body, api_naming.clone());

        // The stage the framework deploys, with the settings it applies to it after deployment.
        let logs = at(&provider, &["logs", "restApi"]).filter(|l| truthy(Some(l)));
        let access_logs = logs.is_some_and(|l| l.get("accessLogging").is_none_or(|a| truthy(Some(a))));
        let stage_span = logs.map(|l| l.span).unwrap_or(span);
        let mut stage = Obj::new(stage_span)
            .set("RestApiId", reference(naming::REST_API, span))
            .set("StageName", self.stage.clone())
            .opt(
                "TracingEnabled",
                at(&provider, &["tracing", "apiGateway"]).cloned(),
            );
        if access_logs {
            stage.put(
                "AccessLogSetting",
                Obj::new(stage_span)
                    .set(
                        "DestinationArn",
                        get_att(naming::REST_LOG_GROUP, "Arn", stage_span),
                    )
                    .build(),
            );
            self.api_log_group(
                naming::REST_LOG_GROUP,
                "/aws/api-gateway/",
                stage_span,
                &api_naming,
            );
        }
        if let Some((rate, burst, plugin_span)) = self.plugin_throttling() {
            let setting = Obj::new(plugin_span)
                .set("ResourcePath", text("/*", plugin_span))
                .set("HttpMethod", text("*", plugin_span))
                .set("ThrottlingRateLimit", rate)
                .set("ThrottlingBurstLimit", burst)
                .build();
            stage.put("MethodSettings", list(vec![setting], plugin_span));
        }
        let body = self.resource("AWS::ApiGateway::Stage", stage.build(), span, None);
        self.add(naming::REST_STAGE, span, body, api_naming);
    }

    fn finish_http_api(&mut self, http: &ApiState) {
        let provider = self.provider.clone();
        let settings = entry(&provider, "httpApi");
        let (span, comment_line) = match settings {
            Some((key, _)) => (key.span, Some(key.span.start.line)),
            None => (http.span, None),
        };
        let config = settings.map(|(_, v)| v);
        let api_naming = Naming {
            name: naming::HTTP_API.to_string(),
            implied_by: Some(http.first_function.clone()),
        };
        if !http.external {
            let name = config.and_then(|c| set(c, "name")).cloned().unwrap_or_else(|| {
                if config.is_some_and(|c| truthy(set(c, "shouldStartNameWithService"))) {
                    self.service_name("", span)
                } else {
                    joined(&[&self.stage, &text("-", span), &self.service], span)
                }
            });
            let props = Obj::new(span)
                .set("Name", name)
                .set("ProtocolType", text("HTTP", span))
                .opt(
                    "DisableExecuteApiEndpoint",
                    config.and_then(|c| set(c, "disableDefaultEndpoint")).cloned(),
                )
                .build();
            let body = self.resource("AWS::ApiGatewayV2::Api", props, span, comment_line);
            self.add(naming::HTTP_API, span, body, api_naming.clone());

            let logs = at(&provider, &["logs", "httpApi"]).filter(|l| truthy(Some(l)));
            let stage_span = logs.map(|l| l.span).unwrap_or(span);
            let mut route_settings = Obj::new(stage_span).opt(
                "DetailedMetricsEnabled",
                config.and_then(|c| set(c, "metrics")).cloned(),
            );
            if let Some((rate, burst, _)) = self.plugin_throttling() {
                route_settings.put("ThrottlingRateLimit", rate);
                route_settings.put("ThrottlingBurstLimit", burst);
            }
            let mut stage = Obj::new(stage_span)
                .set("ApiId", reference(naming::HTTP_API, span))
                .set("StageName", text("$default", span))
                .set("AutoDeploy", Value::new(ValueKind::Bool(true), span))
                .set("DefaultRouteSettings", route_settings.build());
            if logs.is_some() {
                stage.put(
                    "AccessLogSettings",
                    Obj::new(stage_span)
                        .set(
                            "DestinationArn",
                            get_att(naming::HTTP_LOG_GROUP, "Arn", stage_span),
                        )
                        .build(),
                );
                self.api_log_group(naming::HTTP_LOG_GROUP, "/aws/http-api/", stage_span, &api_naming);
            }
            let body = self.resource("AWS::ApiGatewayV2::Stage", stage.build(), span, None);
            self.add(naming::HTTP_STAGE, span, body, api_naming);
        }
        let authorizers = config
            .and_then(|c| set(c, "authorizers"))
            .and_then(Value::as_map)
            .unwrap_or_default()
            .to_vec();
        for (key, authorizer) in authorizers {
            self.http_authorizer(http, &key.name, key.span, &authorizer);
        }
    }

    /// One of `provider.httpApi.authorizers`: JWT, or a Lambda with `type: request`.
    fn http_authorizer(&mut self, http: &ApiState, key: &str, span: Span, config: &Value) {
        let name = set(config, "name")
            .map(Value::display)
            .unwrap_or_else(|| key.to_string());
        let request = set(config, "type").and_then(Value::as_str) == Some("request");
        let mut props = Obj::new(span)
            .set("ApiId", http.api_id.clone())
            .set("Name", text(&name, span))
            .set(
                "AuthorizerType",
                text(if request { "REQUEST" } else { "JWT" }, span),
            );
        if request {
            let function = set(config, "functionName")
                .and_then(Value::as_str)
                .and_then(|n| self.function_named(n))
                .cloned();
            let arn = match (&function, set(config, "functionArn")) {
                (_, Some(arn)) => arn.clone(),
                (Some(f), None) => get_att(&f.logical, "Arn", span),
                (None, None) => Value::null(span),
            };
            props.put("AuthorizerUri", invocation_uri(arn.clone(), span));
            if !truthy(set(config, "managedExternally")) {
                let grant = Grant {
                    principal: "apigateway.amazonaws.com",
                    source_arn: Some(execute_api_arn(http.api_id.clone(), "/*", span)),
                    source_account: None,
                    event_source_token: None,
                };
                let naming = match &function {
                    Some(f) => self.implied(f),
                    None => Naming {
                        name: key.to_string(),
                        implied_by: Some(naming::HTTP_API.to_string()),
                    },
                };
                let logical = format!("{}LambdaAuthorizerPermissionHttpApi", naming::normalized(&name));
                self.permission_for(arn, &logical, grant, span, naming);
            }
        } else {
            props.put(
                "JwtConfiguration",
                Obj::new(span)
                    .opt("Audience", set(config, "audience").cloned())
                    .opt("Issuer", set(config, "issuerUrl").cloned())
                    .build(),
            );
        }
        let body = self.resource("AWS::ApiGatewayV2::Authorizer", props.build(), span, None);
        let naming = Naming {
            name: key.to_string(),
            implied_by: Some(naming::HTTP_API.to_string()),
        };
        self.add(
            &format!("HttpApiAuthorizer{}", naming::normalized(key)),
            span,
            body,
            naming,
        );
    }

    fn finish_websockets(&mut self, websockets: &ApiState) {
        if websockets.external {
            return;
        }
        let span = websockets.span;
        let naming = Naming {
            name: naming::WEBSOCKETS_API.to_string(),
            implied_by: Some(websockets.first_function.clone()),
        };
        let props = Obj::new(span)
            .set(
                "Name",
                joined(
                    &[
                        &self.stage,
                        &text("-", span),
                        &self.service,
                        &text("-websockets", span),
                    ],
                    span,
                ),
            )
            .set("ProtocolType", text("WEBSOCKET", span))
            .set(
                "RouteSelectionExpression",
                set(&self.provider, "websocketsApiRouteSelectionExpression")
                    .cloned()
                    .unwrap_or_else(|| text("$request.body.action", span)),
            )
            .build();
        let body = self.resource("AWS::ApiGatewayV2::Api", props, span, None);
        self.add(naming::WEBSOCKETS_API, span, body, naming.clone());
        let stage = Obj::new(span)
            .set("ApiId", reference(naming::WEBSOCKETS_API, span))
            .set("StageName", self.stage.clone())
            .build();
        let body = self.resource("AWS::ApiGatewayV2::Stage", stage, span, None);
        self.add(naming::WEBSOCKETS_STAGE, span, body, naming);
    }

    /// An API's access-log group, `<prefix><service>-<stage>`.
    fn api_log_group(&mut self, logical: &str, prefix: &str, span: Span, api: &Naming) {
        let group_name = joined(&[&text(prefix, span), &self.service_name("", span)], span);
        let props = Obj::new(span)
            .set("LogGroupName", group_name)
            .opt(
                "RetentionInDays",
                set(&self.provider, "logRetentionInDays").cloned(),
            )
            .build();
        let body = self.resource("AWS::Logs::LogGroup", props, span, None);
        let naming = Naming {
            name: logical.to_string(),
            implied_by: api.implied_by.clone(),
        };
        self.add(logical, span, body, naming);
    }

    /// Stage throttling of the `serverless-api-gateway-throttling` plugin, when the service
    /// uses it: `custom.apiGatewayThrottling` or the plugin's defaults.
    fn plugin_throttling(&self) -> Option<(Value, Value, Span)> {
        let plugins = set(self.doc, "plugins")?;
        let modules = match set(plugins, "modules") {
            Some(modules) => modules,
            None => plugins,
        };
        let listed = modules
            .items()
            .into_iter()
            .find(|p| p.as_str() == Some("serverless-api-gateway-throttling"))?;
        let config = at(self.doc, &["custom", "apiGatewayThrottling"]);
        let span = config.map(|c| c.span).unwrap_or(listed.span);
        let value = |name: &str, default: &str| {
            config
                .and_then(|c| set(c, name))
                .cloned()
                .unwrap_or_else(|| Value::new(ValueKind::Number(default.into()), span))
        };
        Some((
            value("maxRequestsPerSecond", PLUGIN_RATE),
            value("maxConcurrentRequests", PLUGIN_BURST),
            span,
        ))
    }
}

/// How a route is authorized, as an `AWS::ApiGateway::Method` writes it.
struct Authorization {
    kind: Value,
    authorizer: Option<Value>,
    scopes: Option<Value>,
}

impl Authorization {
    fn kind(kind: &str, span: Span) -> Authorization {
        Authorization {
            kind: text(kind, span),
            authorizer: None,
            scopes: None,
        }
    }
}

/// `integration` of an `http` event, normalized: `lambda` -> `AWS`, `lambda-proxy` -> `AWS_PROXY`
/// (the default; `async: true` means `AWS`).
fn integration_type(settings: &Value) -> String {
    match set(settings, "integration").and_then(Value::as_str) {
        Some(kind) => match kind.to_uppercase().replace('-', "_").as_str() {
            "LAMBDA" => "AWS".into(),
            "LAMBDA_PROXY" => "AWS_PROXY".into(),
            other => other.into(),
        },
        None if truthy(set(settings, "async")) => "AWS".into(),
        None => "AWS_PROXY".into(),
    }
}

fn at_path(value: &Value, path: &[&str]) -> Option<Value> {
    at(value, path).cloned()
}

/// `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`.
fn invocation_uri(function_arn: Value, span: Span) -> Value {
    concat(
        vec![
            text("arn:", span),
            reference("AWS::Partition", span),
            text(":apigateway:", span),
            reference("AWS::Region", span),
            text(":lambda:path/2015-03-31/functions/", span),
            function_arn,
            text("/invocations", span),
        ],
        span,
    )
}

/// `arn:aws:execute-api:<region>:<account>:<api id><suffix>`.
fn execute_api_arn(api_id: Value, suffix: &str, span: Span) -> Value {
    concat(
        vec![
            text("arn:", span),
            reference("AWS::Partition", span),
            text(":execute-api:", span),
            reference("AWS::Region", span),
            text(":", span),
            reference("AWS::AccountId", span),
            text(":", span),
            api_id,
            text(suffix, span),
        ],
        span,
    )
}

/// `extractAuthorizerNameFromArn`: the last `-` part of the function name in the ARN.
fn authorizer_name_from_arn(arn: &str) -> String {
    let function = arn.rsplit(':').next().unwrap_or(arn);
    function.rsplit('-').next().unwrap_or(function).to_string()
}
