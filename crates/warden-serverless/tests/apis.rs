//! API events: REST (`http`) and HTTP (`httpApi`) routes with their authorization, API keys,
//! stages and access logs; WebSocket routes.

mod common;

use common::{has_finding, id, inventory, load, permission, route, stage, text};
use warden_model::{ApiKind, DiagnosticLevel, RouteAuth};

const REST: &str = r#"
service: shop
provider:
  name: aws
  runtime: nodejs20.x
  stage: prod
  endpointType: PRIVATE
  apiGateway:
    resourcePolicy:
      - Effect: Allow
        Principal: "*"
        Action: execute-api:Invoke
        Resource: execute-api:/*
  logs:
    restApi: true
  tracing:
    apiGateway: true
  logRetentionInDays: 14
functions:
  api:
    handler: h.api
    events:
      - http: GET /orders/{id}
      - http:
          path: /orders
          method: post
          private: true
      - http:
          path: admin
          method: any
          authorizer: aws_iam
      - http:
          path: me
          method: get
          authorizer: auth
      - http:
          path: cognito
          method: get
          authorizer:
            arn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc
      - http:
          path: existing
          method: get
          authorizer:
            type: COGNITO_USER_POOLS
            authorizerId: abc123
      - http:
          path: mock
          method: get
          integration: mock
  auth:
    handler: h.auth
"#;

#[test]
fn http_events_become_routes_of_the_rest_api() {
    let inv = inventory(REST);
    let api = inv
        .apis
        .iter()
        .find(|a| a.meta.id == id("ApiGatewayRestApi"))
        .expect("REST API");
    assert_eq!(api.kind, ApiKind::Rest);
    assert_eq!(api.meta.name, "ApiGatewayRestApi");
    assert_eq!(
        api.meta.implied_by.as_deref(),
        Some(id("ApiLambdaFunction").as_str())
    );
    assert_eq!(
        api.endpoint_type.as_ref().map(|t| t.strings()),
        Some(vec!["PRIVATE"])
    );
    let policy = api.resource_policy.as_ref().expect("resource policy").to_json();
    assert_eq!(policy["Statement"][0]["Action"], "execute-api:Invoke");

    let get = route(&inv, "GET", "/orders/{id}");
    assert_eq!(get.meta.name, "api");
    assert_eq!(get.api.target.as_deref(), Some(id("ApiGatewayRestApi").as_str()));
    assert_eq!(
        get.function.as_ref().and_then(|f| f.target.as_deref()),
        Some(id("ApiLambdaFunction").as_str())
    );
    assert_eq!(get.auth, RouteAuth::None);
    assert!(!get.api_key_required);
    let span = get.meta.origin.span();
    assert_eq!(span.start.line, 23, "the route points at its event");

    assert!(
        route(&inv, "POST", "/orders").api_key_required,
        "`private: true` needs an API key"
    );
    assert_eq!(route(&inv, "ANY", "/admin").auth, RouteAuth::Iam);
    // A mock integration invokes no function.
    assert!(route(&inv, "GET", "/mock").function.is_none());
}

#[test]
fn rest_authorizers_are_lambda_or_cognito() {
    let inv = inventory(REST);
    match &route(&inv, "GET", "/me").auth {
        RouteAuth::Lambda {
            authorizer: Some(link),
        } => {
            assert_eq!(
                link.target.as_deref(),
                Some(id("AuthApiGatewayAuthorizer").as_str())
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    let authorizer = inv
        .authorizers
        .iter()
        .find(|a| a.meta.id == id("AuthApiGatewayAuthorizer"))
        .expect("authorizer");
    assert_eq!(text(Some(&authorizer.authorizer_type)).as_deref(), Some("TOKEN"));
    assert_eq!(
        authorizer.function.as_ref().and_then(|f| f.target.as_deref()),
        Some(id("AuthLambdaFunction").as_str())
    );
    // API Gateway may invoke the authorizer function, for this API only.
    let grant = permission(&inv, "AuthLambdaPermissionApiGateway");
    assert_eq!(
        grant.function.target.as_deref(),
        Some(id("AuthLambdaFunction").as_str())
    );
    assert!(grant.source_arn.is_some());
    assert!(matches!(
        route(&inv, "GET", "/cognito").auth,
        RouteAuth::Cognito { authorizer: Some(_) }
    ));
    assert!(matches!(
        route(&inv, "GET", "/existing").auth,
        RouteAuth::Cognito { .. }
    ));
}

#[test]
fn api_gateway_may_invoke_the_function_for_this_api_only() {
    let inv = inventory(REST);
    let grant = permission(&inv, "ApiLambdaPermissionApiGateway");
    assert_eq!(
        text(Some(&grant.principal)).as_deref(),
        Some("apigateway.amazonaws.com")
    );
    let source = grant.source_arn.as_ref().expect("SourceArn").display();
    assert!(
        source.contains("execute-api") && source.contains("ApiGatewayRestApi"),
        "{source}"
    );
    assert!(!has_finding(&inv, "ACC002", "api"));
}

#[test]
fn the_rest_stage_carries_logs_and_tracing() {
    let inv = inventory(REST);
    let rest = stage(&inv, "ApiGatewayStage");
    assert_eq!(rest.meta.name, "ApiGatewayRestApi");
    assert_eq!(text(rest.stage_name.as_ref()).as_deref(), Some("prod"));
    assert_eq!(
        rest.tracing_enabled.as_ref().and_then(|t| t.as_bool()),
        Some(true)
    );
    assert!(
        rest.access_log_destination
            .as_ref()
            .is_some_and(|d| d.display().contains("ApiGatewayLogGroup"))
    );
    let group = inv
        .log_groups
        .iter()
        .find(|g| g.meta.id == id("ApiGatewayLogGroup"))
        .expect("access log group");
    assert_eq!(
        text(group.log_group_name.as_ref()).as_deref(),
        Some("/aws/api-gateway/shop-prod")
    );
    assert_eq!(text(group.retention_in_days.as_ref()).as_deref(), Some("14"));
    assert!(!has_finding(&inv, "CFG013", "ApiGatewayRestApi"));
    assert!(has_finding(&inv, "CFG012", "ApiGatewayRestApi"));
}

const HTTP: &str = r#"
service: shop
plugins:
  - serverless-api-gateway-throttling
custom:
  apiGatewayThrottling:
    maxRequestsPerSecond: 100
    maxConcurrentRequests: 50
provider:
  name: aws
  runtime: nodejs20.x
  httpApi:
    authorizers:
      jwt:
        identitySource: $request.header.Authorization
        issuerUrl: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc
        audience: [client]
      custom:
        type: request
        functionName: authorizer
  logs:
    httpApi: true
functions:
  api:
    handler: h.api
    events:
      - httpApi: 'GET /public'
      - httpApi:
          method: POST
          path: /orders
          authorizer: jwt
      - httpApi:
          method: GET
          path: /admin
          authorizer:
            name: custom
      - httpApi:
          method: DELETE
          path: /orders/{id}
          authorizer:
            type: aws_iam
      - httpApi: '*'
  authorizer:
    handler: h.authorizer
"#;

#[test]
fn http_api_routes_and_their_authorizers() {
    let inv = inventory(HTTP);
    let api = inv
        .apis
        .iter()
        .find(|a| a.meta.id == id("HttpApi"))
        .expect("HTTP API");
    assert_eq!(api.kind, ApiKind::Http);
    let public = route(&inv, "GET", "/public");
    assert_eq!(public.auth, RouteAuth::None);
    assert_eq!(
        public.function.as_ref().and_then(|f| f.target.as_deref()),
        Some(id("ApiLambdaFunction").as_str())
    );
    assert!(matches!(
        &route(&inv, "POST", "/orders").auth,
        RouteAuth::Jwt { authorizer: Some(link) } if link.target.as_deref() == Some(id("HttpApiAuthorizerJwt").as_str())
    ));
    assert!(matches!(
        route(&inv, "GET", "/admin").auth,
        RouteAuth::Lambda { authorizer: Some(_) }
    ));
    assert_eq!(route(&inv, "DELETE", "/orders/{id}").auth, RouteAuth::Iam);
    assert_eq!(route(&inv, "ANY", "$default").auth, RouteAuth::None);
    let custom = inv
        .authorizers
        .iter()
        .find(|a| a.meta.id == id("HttpApiAuthorizerCustom"))
        .expect("request authorizer");
    assert_eq!(text(Some(&custom.authorizer_type)).as_deref(), Some("REQUEST"));
    assert_eq!(
        custom.function.as_ref().and_then(|f| f.target.as_deref()),
        Some(id("AuthorizerLambdaFunction").as_str())
    );
    let grant = permission(&inv, "CustomLambdaAuthorizerPermissionHttpApi");
    assert_eq!(grant.meta.name, "authorizer");
    assert!(grant.source_arn.is_some());
    assert!(has_finding(&inv, "ACC006", "api"));
}

#[test]
fn the_http_stage_has_access_logs_and_the_plugin_throttling() {
    let inv = inventory(HTTP);
    let http = stage(&inv, "HttpApiStage");
    assert_eq!(text(http.stage_name.as_ref()).as_deref(), Some("$default"));
    assert_eq!(text(http.throttling_rate_limit.as_ref()).as_deref(), Some("100"));
    assert_eq!(text(http.throttling_burst_limit.as_ref()).as_deref(), Some("50"));
    assert!(http.access_log_destination.is_some());
    assert!(!has_finding(&inv, "CFG012", "HttpApi"));
    assert!(!has_finding(&inv, "CFG013", "HttpApi"));
}

#[test]
fn an_unconfigured_http_authorizer_is_reported_and_not_trusted() {
    let loaded = load(
        "service: s\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: h.h\n    events:\n      - httpApi: {method: GET, path: /x, authorizer: missing}\n",
    );
    let warnings = common::diagnostics(&loaded, DiagnosticLevel::Warning);
    assert!(warnings.iter().any(|w| w.contains("`missing`")), "{warnings:?}");
    assert!(matches!(
        route(&loaded.inventory, "GET", "/x").auth,
        RouteAuth::Unknown(_)
    ));
}

#[test]
fn websocket_routes_authorize_at_connect() {
    let inv = inventory(
        r#"
service: chat
provider: {name: aws, runtime: nodejs20.x}
functions:
  connect:
    handler: h.connect
    events:
      - websocket:
          route: $connect
          authorizer: auth
  message:
    handler: h.message
    events:
      - websocket: $default
  auth:
    handler: h.auth
"#,
    );
    assert!(matches!(
        route(&inv, "ANY", "$connect").auth,
        RouteAuth::Lambda { .. }
    ));
    assert_eq!(route(&inv, "ANY", "$default").auth, RouteAuth::None);
    // The framework's WebSocket permissions name no source API.
    let grant = permission(&inv, "MessageLambdaPermissionWebsockets");
    assert!(grant.source_arn.is_none());
    assert!(!has_finding(&inv, "ACC006", "message"));
}
