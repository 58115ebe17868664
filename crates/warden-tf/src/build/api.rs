//! API Gateway: REST APIs (methods, their integrations and authorizers, stages with method
//! settings) and HTTP APIs (routes, integrations, authorizers, stages, quick create).

use warden_model::{Api, ApiKind, Authorizer, Meta, Route, RouteAuth, Stage, Value};

use super::{Builder, FUNCTION, strip_keys};
use crate::resource::{Resource, document, non_empty, unset_if};

const REST_API: &[&str] = &["aws_api_gateway_rest_api"];
const HTTP_API: &[&str] = &["aws_apigatewayv2_api"];

impl<'r> Builder<'r> {
    pub(super) fn rest_api(&mut self, res: &Resource) {
        let api = Api {
            meta: self.meta(res),
            kind: ApiKind::Rest,
            resource_policy: res.get("policy").map(document),
            endpoint_type: res.at(&["endpoint_configuration", "types"]),
            disable_execute_api_endpoint: res.get("disable_execute_api_endpoint"),
        };
        self.inv.apis.push(api);
        self.note_openapi_body(res);
    }

    /// Routes of an OpenAPI `body` are not read: say so rather than miss them silently.
    fn note_openapi_body(&mut self, res: &Resource) {
        if let Some(body) = res.get("body") {
            let note = self.note(
                res,
                body.span,
                format!(
                    "the OpenAPI `body` of `{}` is not analysed: its routes are not in the inventory",
                    res.name
                ),
            );
            self.diagnostics.push(note);
        }
    }

    /// `aws_api_gateway_method`: a route; its function comes from the matching integration.
    pub(super) fn rest_method(&mut self, res: &Resource) {
        let method = res
            .get("http_method")
            .and_then(|m| m.as_text().map(|t| t.to_uppercase()))
            .unwrap_or_default();
        let path = res
            .get("resource_id")
            .map(|r| self.rest_path(&r))
            .unwrap_or_else(|| "/".to_string());
        let function = self.rest_integration(res).and_then(|integration| {
            let uri = integration.get("uri")?;
            self.target(&uri, FUNCTION).map(|_| self.link(&uri, FUNCTION))
        });
        let authorizer = res
            .get("authorizer_id")
            .map(|a| self.link(&a, &["aws_api_gateway_authorizer"]));
        let auth = match res.get("authorization") {
            Some(v) if v.is_unknown() => RouteAuth::Unknown(v.display()),
            v => match v.as_ref().and_then(Value::as_str) {
                None | Some("NONE") => RouteAuth::None,
                Some("AWS_IAM") => RouteAuth::Iam,
                Some("COGNITO_USER_POOLS") => RouteAuth::Cognito { authorizer },
                Some("CUSTOM") => RouteAuth::Lambda { authorizer },
                Some(other) => RouteAuth::Unknown(other.to_string()),
            },
        };
        let route = Route {
            meta: self.meta(res),
            api: self.link_arg(res, "rest_api_id", REST_API),
            method,
            path,
            function,
            auth,
            api_key_required: res
                .get("api_key_required")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        };
        self.inv.routes.push(route);
    }

    /// The integration of a method: one whose `http_method` refers to the method, or that names
    /// the same API, resource and HTTP method.
    fn rest_integration(&self, method: &Resource) -> Option<&'r Resource> {
        let same = |a: Option<Value>, b: Option<Value>| match (a, b) {
            (Some(a), Some(b)) => a.display().eq_ignore_ascii_case(&b.display()),
            _ => false,
        };
        self.resources
            .iter()
            .filter(|r| r.resource_type == "aws_api_gateway_integration")
            .find(|integration| {
                integration
                    .get("http_method")
                    .is_some_and(|m| refers_to(&m, method))
                    || (same(integration.get("rest_api_id"), method.get("rest_api_id"))
                        && same(integration.get("resource_id"), method.get("resource_id"))
                        && same(integration.get("http_method"), method.get("http_method")))
            })
    }

    /// The path of an `aws_api_gateway_resource` chain, as far as it is known (`/` for the API's
    /// root resource).
    fn rest_path(&self, resource_id: &Value) -> String {
        let mut parts = Vec::new();
        let mut current = self.referenced(resource_id, &["aws_api_gateway_resource"]);
        while let Some(resource) = current.take() {
            if parts.len() > 32 {
                break;
            }
            parts.push(
                resource
                    .get("path_part")
                    .map(|p| p.display())
                    .unwrap_or_else(|| "?".into()),
            );
            current = resource
                .get("parent_id")
                .and_then(|p| self.referenced(&p, &["aws_api_gateway_resource"]));
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    pub(super) fn rest_stage(&mut self, res: &Resource) {
        let stage = Stage {
            meta: self.meta(res),
            api: self.link_arg(res, "rest_api_id", REST_API),
            stage_name: res.get("stage_name"),
            throttling_rate_limit: None,
            throttling_burst_limit: None,
            access_log_destination: non_empty(res.at(&["access_log_settings", "destination_arn"])),
            tracing_enabled: res.get("xray_tracing_enabled"),
        };
        self.inv.stages.push(stage);
    }

    /// A deployment with `stage_name` (deprecated, still common) creates that stage.
    pub(super) fn rest_deployment(&mut self, res: &Resource) {
        let Some(stage_name) = non_empty(res.get("stage_name")) else {
            return;
        };
        let stage = Stage {
            meta: self.meta(res),
            api: self.link_arg(res, "rest_api_id", REST_API),
            stage_name: Some(stage_name),
            throttling_rate_limit: None,
            throttling_burst_limit: None,
            access_log_destination: None,
            tracing_enabled: None,
        };
        self.inv.stages.push(stage);
    }

    /// `aws_api_gateway_method_settings` for every method (`*/*`) are the stage's default
    /// throttling.
    pub(super) fn method_settings(&mut self, res: &Resource) {
        if res.get("method_path").as_ref().and_then(Value::as_str) != Some("*/*") {
            return;
        }
        let Some(stage_name) = res.get("stage_name") else {
            return;
        };
        let api = res.get("rest_api_id").and_then(|a| self.target(&a, REST_API));
        let by_reference = self.target(&stage_name, &["aws_api_gateway_stage"]);
        let rate = unset_if(res.at(&["settings", "throttling_rate_limit"]), -1.0);
        let burst = unset_if(res.at(&["settings", "throttling_burst_limit"]), -1.0);
        let stage = self.inv.stages.iter_mut().find(|stage| match &by_reference {
            Some(id) => &stage.meta.id == id,
            None => {
                stage_name.as_str().is_some()
                    && stage.stage_name.as_ref().and_then(Value::as_str) == stage_name.as_str()
                    && api.is_some()
                    && stage.api.target == api
            }
        });
        if let Some(stage) = stage {
            stage.throttling_rate_limit = rate;
            stage.throttling_burst_limit = burst;
        }
    }

    /// `aws_api_gateway_rest_api_policy` sets the resource policy of its API.
    pub(super) fn rest_api_policy(&mut self, res: &Resource) {
        let (Some(api), Some(policy)) = (
            res.get("rest_api_id").and_then(|a| self.target(&a, REST_API)),
            res.get("policy"),
        ) else {
            return;
        };
        if let Some(element) = self.inv.apis.iter_mut().find(|a| a.meta.id == api) {
            element.resource_policy = Some(document(policy));
        }
    }

    /// REST (`rest_api_id`, `type`) and HTTP (`api_id`, `authorizer_type`) authorizers.
    pub(super) fn authorizer(&mut self, res: &Resource, api: &str, kind: &str) {
        let authorizer = Authorizer {
            meta: self.meta(res),
            api: res.get(api).map(|a| {
                let types = if api == "api_id" { HTTP_API } else { REST_API };
                self.link(&a, types)
            }),
            // REST authorizers are `TOKEN` unless they say otherwise.
            authorizer_type: res.get(kind).unwrap_or_else(|| match api {
                "api_id" => Value::null(res.span),
                _ => Value::string("TOKEN", res.span),
            }),
            function: res.get("authorizer_uri").map(|u| self.link(&u, FUNCTION)),
        };
        self.inv.authorizers.push(authorizer);
    }

    pub(super) fn http_api(&mut self, res: &Resource) {
        let api = Api {
            meta: self.meta(res),
            kind: ApiKind::Http,
            resource_policy: None,
            endpoint_type: None,
            disable_execute_api_endpoint: res.get("disable_execute_api_endpoint"),
        };
        self.inv.apis.push(api);
        self.note_openapi_body(res);
        // Quick create: `target` makes a `$default` route with no authorization.
        if let Some(target) = res.get("target") {
            let route = Route {
                meta: self.implied_meta(res, "DefaultRoute", "aws_apigatewayv2_route", target.span),
                api: self.self_link(res),
                method: "ANY".into(),
                path: "$default".into(),
                function: self
                    .target(&target, FUNCTION)
                    .map(|_| self.link(&target, FUNCTION)),
                auth: RouteAuth::None,
                api_key_required: false,
            };
            self.inv.routes.push(route);
        }
    }

    /// An element a resource creates on its own (a quick-create route): named like the resource,
    /// with its own id.
    fn implied_meta(
        &self,
        res: &Resource,
        suffix: &str,
        resource_type: &str,
        span: warden_model::Span,
    ) -> Meta {
        Meta {
            id: format!("{}.{suffix}", self.id(res)),
            name: res.name.clone(),
            resource_type: resource_type.to_string(),
            origin: self.origin(res, span),
            implied_by: Some(self.id(res)),
            skips: Vec::new(),
        }
    }

    /// `aws_apigatewayv2_route`: `route_key` is `METHOD /path` (or `$default`).
    pub(super) fn http_route(&mut self, res: &Resource) {
        let route_key = res.get("route_key").map(|k| k.display()).unwrap_or_default();
        let (method, path) = match route_key.split_once(' ') {
            Some((m, p)) => (m.to_string(), p.to_string()),
            None => ("ANY".to_string(), route_key.clone()),
        };
        // `target = "integrations/${aws_apigatewayv2_integration.x.id}"` leads to the function.
        let function = res.get("target").and_then(|target| {
            let integration = self.referenced(&target, &["aws_apigatewayv2_integration"])?;
            let uri = integration.get("integration_uri")?;
            self.target(&uri, FUNCTION).map(|_| self.link(&uri, FUNCTION))
        });
        let authorizer = res
            .get("authorizer_id")
            .map(|a| self.link(&a, &["aws_apigatewayv2_authorizer"]));
        let auth = match res.get("authorization_type") {
            Some(v) if v.is_unknown() => RouteAuth::Unknown(v.display()),
            v => match v.as_ref().and_then(Value::as_str) {
                None | Some("NONE") => RouteAuth::None,
                Some("AWS_IAM") => RouteAuth::Iam,
                Some("JWT") => RouteAuth::Jwt { authorizer },
                Some("CUSTOM") => RouteAuth::Lambda { authorizer },
                Some(other) => RouteAuth::Unknown(other.to_string()),
            },
        };
        let route = Route {
            meta: self.meta(res),
            api: self.link_arg(res, "api_id", HTTP_API),
            method,
            path,
            function,
            auth,
            api_key_required: res
                .get("api_key_required")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        };
        self.inv.routes.push(route);
    }

    /// `aws_apigatewayv2_stage`: HTTP APIs throttle through `default_route_settings`.
    pub(super) fn http_stage(&mut self, res: &Resource) {
        let stage = Stage {
            meta: self.meta(res),
            api: self.link_arg(res, "api_id", HTTP_API),
            stage_name: res.get("name"),
            throttling_rate_limit: res.at(&["default_route_settings", "throttling_rate_limit"]),
            throttling_burst_limit: res.at(&["default_route_settings", "throttling_burst_limit"]),
            access_log_destination: non_empty(res.at(&["access_log_settings", "destination_arn"])),
            tracing_enabled: None,
        };
        self.inv.stages.push(stage);
    }
}

/// Whether a value refers to `res` (by its address, whatever instance).
fn refers_to(value: &Value, res: &Resource) -> bool {
    let own = strip_keys(&res.address);
    value.candidates().into_iter().any(|candidate| {
        candidate
            .as_unknown()
            .is_some_and(|u| u.refs.iter().any(|r| strip_keys(r) == own))
    })
}
