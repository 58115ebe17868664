use warden_model::{Finding, Inventory, Route, RuleMeta, Severity, Span};

use super::label;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags API Gateway routes (REST API methods and HTTP API routes, including those SAM
    /// generates from `Api` / `HttpApi` events) that invoke a Lambda function with no
    /// authorization at all: authorization type `NONE` (no IAM, Cognito, JWT or Lambda
    /// authorizer) and no API key required. CORS preflight (`OPTIONS`) routes are not flagged,
    /// nor WebSocket routes other than `$connect` (a WebSocket API authorizes the connection,
    /// once). Routes of private APIs, reachable only through VPC endpoints, are reported at
    /// medium severity.
    ///
    /// ## Why is this bad
    /// Anyone who finds the endpoint can invoke the function with any input. The function's
    /// code becomes the only line of defence, every request costs an invocation, and there is
    /// no caller identity in the logs to investigate abuse with.
    ///
    /// ## Example
    /// ```yaml
    /// OrdersFunction:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: app.handler
    ///     Runtime: nodejs20.x
    ///     Events:
    ///       ListOrders:
    ///         Type: Api
    ///         Properties:
    ///           Path: /orders
    ///           Method: get
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// OrdersApi:
    ///   Type: AWS::Serverless::Api
    ///   Properties:
    ///     StageName: prod
    ///     Auth:
    ///       DefaultAuthorizer: AWS_IAM
    /// OrdersFunction:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: app.handler
    ///     Runtime: nodejs20.x
    ///     Events:
    ///       ListOrders:
    ///         Type: Api
    ///         Properties:
    ///           RestApiId: !Ref OrdersApi
    ///           Path: /orders
    ///           Method: get
    /// ```
    ///
    /// ## Fix
    /// Give the API a default authorizer (IAM, a Cognito user pool, a JWT issuer or a Lambda
    /// authorizer) or set `AuthorizationType` on each method or route. An API key is not
    /// authentication, but it does tie callers to a usage plan with throttling and quotas; this
    /// rule accepts it. If a route is public by design, suppress the finding with the reason.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html
    /// - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html
    pub struct ApiRouteWithoutAuthorization {
        id: "ACC006",
        name: "api-route-without-authorization",
        summary: "API route invokes a function without any authorization",
        layer: Iam,
        severity: High,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_59", "checkov:CKV_AWS_309", "cfn_nag:W59"],
    }
}

impl Check for ApiRouteWithoutAuthorization {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        let inv = cx.inventory;
        for route in &inv.routes {
            let Some(function) = &route.function else { continue };
            if !route.auth.is_none()
                || route.api_key_required
                || route.method.eq_ignore_ascii_case("OPTIONS")
                || is_authorized_at_connect(inv, route)
            {
                continue;
            }
            let private = is_private(inv, route);
            let who = if private {
                "any caller that can reach the private endpoint can call it"
            } else {
                "anyone who finds it can call it"
            };
            let mut finding = finding_at(
                meta,
                &route.meta,
                Span::default(),
                &format!("{} {}", route.method, route.path),
                format!(
                    "route `{} {}` of API `{}` invokes function `{}` with no authorization \
                     (no authorizer, IAM or API key): {who}",
                    route.method,
                    route.path,
                    label::api(inv, &route.api),
                    label::function(inv, function),
                ),
            );
            if private {
                finding.severity = Severity::Medium;
            }
            out.push(finding);
        }
    }
}

/// Whether the route's API is a private one (`EndpointConfiguration: PRIVATE`), reachable only
/// through VPC endpoints.
fn is_private(inv: &Inventory, route: &Route) -> bool {
    inv.apis
        .iter()
        .filter(|api| route.api.target.as_deref() == Some(api.meta.id.as_str()))
        .filter_map(|api| api.endpoint_type.as_ref())
        .any(|t| t.strings().iter().any(|s| s.eq_ignore_ascii_case("PRIVATE")))
}

/// WebSocket APIs authorize once, on the `$connect` route: `$disconnect`, `$default` and
/// custom action routes cannot have an authorizer of their own. The Inventory does not tell
/// WebSocket APIs from HTTP APIs yet, so they are recognised by their route keys: HTTP API
/// routes are `METHOD /path` or `$default`.
fn is_authorized_at_connect(inv: &Inventory, route: &Route) -> bool {
    let websocket_key =
        |path: &str| path == "$connect" || path == "$disconnect" || !path.starts_with(['/', '$']);
    match route.path.as_str() {
        "$connect" => false,
        "$default" => {
            route.api.target.is_some()
                && inv
                    .routes
                    .iter()
                    .any(|other| other.api.target == route.api.target && websocket_key(&other.path))
        }
        path => websocket_key(path),
    }
}
