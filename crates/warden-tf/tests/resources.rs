//! Each supported resource type becomes the Inventory element a CloudFormation template with
//! the same settings would give.

mod common;

use common::{function, id, inventory, role, statements, text};
use warden_model::{ApiKind, CodeLocation, EventSourceKind, RouteAuth, Value};

#[test]
fn function_settings_fill_the_same_fields_as_cloudformation() {
    let inv = inventory(
        r#"
resource "aws_lambda_function" "api" {
  function_name                  = "orders-api"
  runtime                        = "python3.13"
  handler                        = "app.handler"
  filename                       = "build/api.zip"
  role                           = aws_iam_role.api.arn
  memory_size                    = 256
  timeout                        = 10
  architectures                  = ["arm64"]
  kms_key_arn                    = "arn:aws:kms:eu-west-1:123456789012:key/abc"
  reserved_concurrent_executions = 20
  code_signing_config_arn        = "arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-1"
  layers                         = ["arn:aws:lambda:eu-west-1:999999999999:layer:shared:3"]

  environment {
    variables = {
      TABLE   = "orders"
      API_KEY = "sk_live_1234567890abcdef"
    }
  }
  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = ["sg-123"]
  }
  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }
  tracing_config {
    mode = "Active"
  }
  tags = {
    team = "payments"
  }
}

resource "aws_iam_role" "api" {
  name               = "orders-api"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
"#,
    );
    let f = function(&inv, "aws_lambda_function.api");
    assert_eq!(f.meta.name, "aws_lambda_function.api");
    assert_eq!(f.meta.resource_type, "aws_lambda_function");
    assert_eq!(f.meta.origin.to_string(), "main.tf:2:1");
    assert_eq!(text(f.function_name.as_ref()).as_deref(), Some("orders-api"));
    assert_eq!(text(f.runtime.as_ref()).as_deref(), Some("python3.13"));
    assert_eq!(text(f.memory_size.as_ref()).as_deref(), Some("256"));
    assert_eq!(text(f.reserved_concurrency.as_ref()).as_deref(), Some("20"));
    assert_eq!(text(f.tracing.as_ref()).as_deref(), Some("Active"));
    assert!(f.kms_key.is_some() && f.code_signing_config.is_some());
    assert_eq!(f.layers.len(), 1);
    let env = f.environment.as_ref().expect("environment");
    let names: Vec<&str> = env.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, vec!["TABLE", "API_KEY"]);
    assert_eq!(env[1].value.as_str(), Some("sk_live_1234567890abcdef"));
    assert_eq!(env[1].name_span.start.line, 19);
    let vpc = f.vpc.as_ref().expect("vpc");
    let subnets: Vec<Vec<String>> = vpc
        .subnet_ids
        .items()
        .iter()
        .map(|s| s.as_unknown().map(|u| u.refs.clone()).unwrap_or_default())
        .collect();
    assert_eq!(
        subnets,
        vec![vec!["aws_subnet.a".to_string()], vec!["aws_subnet.b".to_string()]]
    );
    assert!(f.dead_letter_target.as_ref().is_some_and(Value::is_unknown));
    assert!(matches!(&f.code, Some(CodeLocation::Local(path)) if path.as_str() == Some("build/api.zip")));
    assert_eq!(f.tags.len(), 1);
    let role_link = f.role.as_ref().expect("role");
    assert_eq!(role_link.target.as_deref(), Some(id("aws_iam_role.api").as_str()));
}

#[test]
fn unset_settings_stay_absent() {
    let inv = inventory(
        r#"
resource "aws_lambda_function" "bare" {
  function_name                  = "bare"
  role                           = "arn:aws:iam::123456789012:role/existing"
  image_uri                      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1"
  package_type                   = "Image"
  reserved_concurrent_executions = -1
  vpc_config {
    subnet_ids         = []
    security_group_ids = []
  }
}
"#,
    );
    let f = function(&inv, "aws_lambda_function.bare");
    // Terraform's -1 means "unreserved"; empty VPC lists detach the function.
    assert!(f.reserved_concurrency.is_none());
    assert!(f.vpc.is_none());
    assert!(f.environment.is_none() && f.tracing.is_none() && f.dead_letter_target.is_none());
    assert!(matches!(&f.code, Some(CodeLocation::Image(_))));
    let role = f.role.as_ref().expect("role");
    assert!(role.target.is_none());
    assert_eq!(
        role.value.as_str(),
        Some("arn:aws:iam::123456789012:role/existing")
    );
}

#[test]
fn permissions_urls_and_aliases_link_to_their_function() {
    let inv = inventory(
        r#"
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_permission" "public" {
  statement_id  = "AllowAll"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.f.function_name
  principal     = "*"
}
resource "aws_lambda_permission" "by_name" {
  action         = "lambda:InvokeFunction"
  function_name  = "f"
  principal      = "s3.amazonaws.com"
  source_account = "123456789012"
  source_arn     = "arn:aws:s3:::uploads"
}
resource "aws_lambda_alias" "live" {
  name          = "live"
  function_name = aws_lambda_function.f.arn
  function_version = "1"
}
resource "aws_lambda_permission" "through_alias" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_alias.live.arn
  principal     = "events.amazonaws.com"
}
resource "aws_lambda_function_url" "url" {
  function_name      = aws_lambda_function.f.function_name
  authorization_type = "NONE"
  cors {
    allow_origins = ["*"]
    allow_methods = ["GET"]
  }
}
"#,
    );
    let f = id("aws_lambda_function.f");
    assert_eq!(inv.permissions.len(), 3);
    for permission in &inv.permissions {
        assert_eq!(
            permission.function.target.as_deref(),
            Some(f.as_str()),
            "{}",
            permission.meta.name
        );
    }
    let public = &inv.permissions[0];
    assert_eq!(public.principal.as_str(), Some("*"));
    assert_eq!(
        text(inv.permissions[1].source_account.as_ref()).as_deref(),
        Some("123456789012")
    );
    let url = &inv.function_urls[0];
    assert_eq!(url.function.target.as_deref(), Some(f.as_str()));
    assert_eq!(url.auth_type.as_str(), Some("NONE"));
    let cors = url.cors.as_ref().expect("cors");
    assert_eq!(cors.allow_origins.as_ref().map(Value::strings), Some(vec!["*"]));
    assert_eq!(inv.aliases[0].function.target.as_deref(), Some(f.as_str()));
    assert_eq!(inv.aliases[0].alias_name.as_str(), Some("live"));
}

#[test]
fn layers_and_layer_permissions() {
    let inv = inventory(
        r#"
resource "aws_lambda_layer_version" "deps" {
  layer_name          = "deps"
  filename            = "deps.zip"
  compatible_runtimes = ["python3.13"]
}
resource "aws_lambda_layer_version_permission" "share" {
  layer_name     = aws_lambda_layer_version.deps.layer_arn
  version_number = aws_lambda_layer_version.deps.version
  statement_id   = "everyone"
  action         = "lambda:GetLayerVersion"
  principal      = "*"
}
"#,
    );
    assert_eq!(inv.layers.len(), 1);
    assert!(matches!(&inv.layers[0].content, Some(CodeLocation::Local(_))));
    let permission = &inv.layer_permissions[0];
    assert_eq!(
        permission.layer.target.as_deref(),
        Some(id("aws_lambda_layer_version.deps").as_str())
    );
    assert_eq!(permission.principal.as_str(), Some("*"));
}

#[test]
fn event_source_mappings_know_their_kind_from_the_source() {
    let inv = inventory(
        r#"
resource "aws_sqs_queue" "jobs" {}
resource "aws_lambda_event_source_mapping" "queue" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.f.arn
}
resource "aws_lambda_event_source_mapping" "stream" {
  event_source_arn  = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks"
  function_name     = aws_lambda_function.f.arn
  starting_position = "LATEST"
  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.jobs.arn
    }
  }
}
resource "aws_lambda_event_source_mapping" "kafka" {
  function_name = aws_lambda_function.f.arn
  self_managed_event_source {
    endpoints = { KAFKA_BOOTSTRAP_SERVERS = "k1:9092" }
  }
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
    );
    let kinds: Vec<EventSourceKind> = inv.event_sources.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventSourceKind::Sqs,
            EventSourceKind::Kinesis,
            EventSourceKind::Kafka
        ]
    );
    assert!(
        inv.event_sources
            .iter()
            .all(|e| e.function.target.as_deref() == Some(id("aws_lambda_function.f").as_str()))
    );
    assert!(inv.event_sources[1].on_failure_destination.is_some());
    assert!(inv.event_sources[0].on_failure_destination.is_none());
}

#[test]
fn asynchronous_triggers_and_destinations() {
    let inv = inventory(
        r#"
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  lambda_function {
    lambda_function_arn = aws_lambda_function.f.arn
    events              = ["s3:ObjectCreated:*"]
  }
  lambda_function {
    lambda_function_arn = aws_lambda_function.f.arn
    events              = ["s3:ObjectRemoved:*"]
  }
}
resource "aws_sns_topic_subscription" "alerts" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.f.arn
}
resource "aws_sns_topic_subscription" "mail" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "ops@example.com"
}
resource "aws_cloudwatch_event_rule" "nightly" {
  schedule_expression = "rate(1 day)"
}
resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.f.arn
}
resource "aws_cloudwatch_event_rule" "orders" {
  event_pattern = jsonencode({ source = ["shop.orders"] })
}
resource "aws_cloudwatch_event_target" "orders" {
  rule = aws_cloudwatch_event_rule.orders.name
  arn  = aws_lambda_function.f.arn
}
resource "aws_scheduler_schedule" "hourly" {
  schedule_expression = "rate(1 hour)"
  flexible_time_window { mode = "OFF" }
  target {
    arn      = aws_lambda_function.f.arn
    role_arn = "arn:aws:iam::123456789012:role/scheduler"
  }
}
resource "aws_lambda_function_event_invoke_config" "f" {
  function_name = aws_lambda_function.f.function_name
  maximum_retry_attempts = 1
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failures.arn
    }
  }
}
"#,
    );
    let kinds: Vec<EventSourceKind> = inv.event_sources.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventSourceKind::S3,
            EventSourceKind::S3,
            EventSourceKind::Sns,
            EventSourceKind::Schedule,
            EventSourceKind::EventBridge,
            EventSourceKind::Schedule,
        ]
    );
    let f = id("aws_lambda_function.f");
    assert!(
        inv.event_sources
            .iter()
            .all(|e| e.function.target.as_deref() == Some(f.as_str()))
    );
    // Two notifications of one resource are two elements.
    assert_ne!(inv.event_sources[0].meta.id, inv.event_sources[1].meta.id);
    assert_eq!(
        inv.event_sources[3].source.as_ref().and_then(Value::as_str),
        Some("rate(1 day)")
    );
    let config = &inv.event_invoke_configs[0];
    assert_eq!(config.function.target.as_deref(), Some(f.as_str()));
    assert!(config.on_failure_destination.is_some() && config.on_success_destination.is_none());
}

#[test]
fn roles_policies_and_attachments() {
    let inv = inventory(
        r#"
resource "aws_iam_role" "exec" {
  name = "exec"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns  = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
  inline_policy {
    name = "logs"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["logs:*"], Resource = "*" }]
    })
  }
}
resource "aws_iam_policy" "admin" {
  name   = "admin"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.exec.name
  policy_arn = aws_iam_policy.admin.arn
}
resource "aws_iam_role_policy_attachment" "basic" {
  role       = "exec"
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
resource "aws_iam_role_policy" "s3" {
  role   = aws_iam_role.exec.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "*" }] })
}
"#,
    );
    let exec = role(&inv, "aws_iam_role.exec");
    assert_eq!(text(exec.role_name.as_ref()).as_deref(), Some("exec"));
    let trust = exec.trust_policy.as_ref().expect("trust");
    assert_eq!(
        statements(trust)[0]
            .get("Principal")
            .and_then(|p| p.get("Service"))
            .and_then(Value::as_str),
        Some("lambda.amazonaws.com")
    );
    assert_eq!(exec.inline_policies.len(), 1);
    assert_eq!(exec.inline_policies[0].name, "logs");
    assert_eq!(
        statements(&exec.inline_policies[0].document)[0]
            .get("Action")
            .map(Value::strings),
        Some(vec!["logs:*"])
    );
    // jsonencode keeps positions: the action points at its line.
    assert_eq!(
        statements(&exec.inline_policies[0].document)[0].span.start.line,
        18
    );
    assert!(exec.permissions_boundary.is_some());
    let managed: Vec<(Option<&str>, String)> = exec
        .managed_policies
        .iter()
        .map(|l| (l.target.as_deref(), l.value.display()))
        .collect();
    assert_eq!(managed.len(), 3, "{managed:?}");
    assert_eq!(managed[0].1, "arn:aws:iam::aws:policy/ReadOnlyAccess");
    assert_eq!(managed[1].0, Some(id("aws_iam_policy.admin").as_str()));
    assert_eq!(
        managed[2].1,
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    );
    // The standalone policy applies to the role through the attachment.
    let attached: Vec<&str> = inv.policies_of_role(exec).map(|p| p.meta.name.as_str()).collect();
    assert_eq!(attached, vec!["aws_iam_policy.admin", "aws_iam_role_policy.s3"]);
}

#[test]
fn rest_api_methods_integrations_authorizers_and_stages() {
    let inv = inventory(
        r#"
resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
  endpoint_configuration { types = ["REGIONAL"] }
}
resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}
resource "aws_api_gateway_resource" "order" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{id}"
}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.order.id
  http_method   = "GET"
  authorization = "NONE"
}
resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.order.id
  http_method             = aws_api_gateway_method.get.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.f.invoke_arn
}
resource "aws_api_gateway_method" "post" {
  rest_api_id      = aws_api_gateway_rest_api.api.id
  resource_id      = aws_api_gateway_resource.orders.id
  http_method      = "POST"
  authorization    = "CUSTOM"
  authorizer_id    = aws_api_gateway_authorizer.token.id
  api_key_required = true
}
resource "aws_api_gateway_authorizer" "token" {
  name           = "token"
  rest_api_id    = aws_api_gateway_rest_api.api.id
  authorizer_uri = aws_lambda_function.f.invoke_arn
}
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = "d"
  stage_name    = "prod"
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    format          = "$context.requestId"
  }
}
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = -1
  }
}
resource "aws_api_gateway_rest_api_policy" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  policy      = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "execute-api:Invoke", Resource = "*" }] })
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
    );
    let api = &inv.apis[0];
    assert_eq!(api.kind, ApiKind::Rest);
    assert_eq!(
        api.endpoint_type.as_ref().map(Value::strings),
        Some(vec!["REGIONAL"])
    );
    assert!(
        api.resource_policy.is_some(),
        "the rest_api_policy resource sets the API's policy"
    );
    let get = &inv.routes[0];
    assert_eq!((get.method.as_str(), get.path.as_str()), ("GET", "/orders/{id}"));
    assert!(get.auth.is_none());
    assert_eq!(
        get.function.as_ref().and_then(|l| l.target.as_deref()),
        Some(id("aws_lambda_function.f").as_str())
    );
    assert_eq!(
        get.api.target.as_deref(),
        Some(id("aws_api_gateway_rest_api.api").as_str())
    );
    let post = &inv.routes[1];
    assert_eq!(post.path, "/orders");
    assert!(post.function.is_none(), "no integration names POST");
    assert!(post.api_key_required);
    assert!(
        matches!(&post.auth, RouteAuth::Lambda { authorizer: Some(a) } if a.target.as_deref() == Some(id("aws_api_gateway_authorizer.token").as_str()))
    );
    let authorizer = &inv.authorizers[0];
    assert_eq!(authorizer.authorizer_type.as_str(), Some("TOKEN"));
    assert!(authorizer.function.as_ref().is_some_and(|f| f.target.is_some()));
    let stage = &inv.stages[0];
    assert_eq!(text(stage.throttling_rate_limit.as_ref()).as_deref(), Some("100"));
    assert!(stage.throttling_burst_limit.is_none(), "-1 is unset");
    assert!(stage.access_log_destination.is_some());
}

#[test]
fn http_apis_routes_integrations_and_stages() {
    let inv = inventory(
        r#"
resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_integration" "f" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.f.invoke_arn
}
resource "aws_apigatewayv2_route" "get" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "GET /items"
  target    = "integrations/${aws_apigatewayv2_integration.f.id}"
}
resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.http.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "jwt"
}
resource "aws_apigatewayv2_route" "post" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /items"
  target             = "integrations/${aws_apigatewayv2_integration.f.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
  default_route_settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}
resource "aws_apigatewayv2_api" "quick" {
  name          = "quick"
  protocol_type = "HTTP"
  target        = aws_lambda_function.f.arn
}
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
    );
    let f = id("aws_lambda_function.f");
    assert_eq!(inv.apis.iter().filter(|a| a.kind == ApiKind::Http).count(), 2);
    let get = inv.routes.iter().find(|r| r.method == "GET").expect("GET");
    assert_eq!(get.path, "/items");
    assert!(get.auth.is_none());
    assert_eq!(
        get.function.as_ref().and_then(|l| l.target.as_deref()),
        Some(f.as_str())
    );
    let post = inv.routes.iter().find(|r| r.method == "POST").expect("POST");
    assert!(matches!(&post.auth, RouteAuth::Jwt { authorizer: Some(a) } if a.target.is_some()));
    let quick = inv
        .routes
        .iter()
        .find(|r| r.path == "$default")
        .expect("quick-create route");
    assert!(quick.auth.is_none());
    assert_eq!(
        quick.function.as_ref().and_then(|l| l.target.as_deref()),
        Some(f.as_str())
    );
    assert_eq!(quick.meta.name, "aws_apigatewayv2_api.quick");
    let stage = &inv.stages[0];
    assert_eq!(text(stage.stage_name.as_ref()).as_deref(), Some("$default"));
    assert_eq!(
        text(stage.throttling_burst_limit.as_ref()).as_deref(),
        Some("100")
    );
    assert_eq!(inv.authorizers[0].authorizer_type.as_str(), Some("JWT"));
}

#[test]
fn trails_use_the_cloudformation_selector_shape() {
    let inv = inventory(
        r#"
resource "aws_cloudtrail" "basic" {
  name           = "basic"
  s3_bucket_name = "trail-bucket"
  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::Lambda::Function"
      values = ["arn:aws:lambda"]
    }
  }
}
resource "aws_cloudtrail" "advanced" {
  name                          = "advanced"
  s3_bucket_name                = "trail-bucket"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.trail.arn
  advanced_event_selector {
    name = "Lambda"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
  }
}
resource "aws_cloudtrail" "management_only" {
  name           = "mgmt"
  s3_bucket_name = "trail-bucket"
}
"#,
    );
    let basic = &inv.trails[0];
    let selector = basic.event_selectors.as_ref().expect("selectors").items()[0];
    let resource = selector.get("DataResources").expect("data resources").items()[0];
    assert_eq!(
        resource.get("Type").and_then(Value::as_str),
        Some("AWS::Lambda::Function")
    );
    assert_eq!(selector.get("ReadWriteType").and_then(Value::as_str), Some("All"));
    let advanced = &inv.trails[1];
    let fields = advanced
        .advanced_event_selectors
        .as_ref()
        .expect("advanced")
        .items()[0]
        .get("FieldSelectors")
        .expect("field selectors")
        .items();
    assert_eq!(
        fields[1].get("Field").and_then(Value::as_str),
        Some("resources.type")
    );
    assert_eq!(
        fields[1].get("Equals").map(Value::strings),
        Some(vec!["AWS::Lambda::Function"])
    );
    assert!(advanced.kms_key.is_some() && advanced.is_multi_region.is_some());
    assert!(inv.trails[2].event_selectors.is_none() && inv.trails[2].advanced_event_selectors.is_none());
}

#[test]
fn log_groups_keys_and_subnets() {
    let inv = inventory(
        r#"
resource "aws_cloudwatch_log_group" "kept" {
  name              = "/aws/lambda/f"
  retention_in_days = 30
  kms_key_id        = aws_kms_key.logs.arn
}
resource "aws_cloudwatch_log_group" "forever" {
  name              = "/aws/lambda/g"
  retention_in_days = 0
}
resource "aws_kms_key" "logs" {
  enable_key_rotation = true
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}
"#,
    );
    assert_eq!(
        text(inv.log_groups[0].retention_in_days.as_ref()).as_deref(),
        Some("30")
    );
    assert!(inv.log_groups[0].kms_key.is_some());
    assert!(
        inv.log_groups[1].retention_in_days.is_none(),
        "0 keeps logs forever"
    );
    assert!(
        inv.kms_keys[0]
            .key_policy
            .as_ref()
            .is_some_and(|p| p.get("Statement").is_some())
    );
    assert_eq!(inv.subnets[0].meta.name, "aws_subnet.a");
    assert_eq!(
        text(inv.subnets[0].availability_zone.as_ref()).as_deref(),
        Some("eu-west-1a")
    );
}

#[test]
fn other_resource_types_are_ignored_quietly() {
    let loaded = common::load(
        r#"
resource "aws_sqs_queue" "q" { name = "q" }
resource "aws_lambda_provisioned_concurrency_config" "p" {
  function_name                     = "f"
  provisioned_concurrent_executions = 2
  qualifier                         = "live"
}
resource "random_pet" "name" {}
"#,
    );
    assert!(loaded.is_template);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.inventory.sources.len(), 1);
}
