# The orders service from examples/insecure-app-terraform, done right (examples/hardened-app in
# Terraform): authenticated entry points, scoped roles, secrets in Secrets Manager, encrypted
# environment, private networking, throttling, failure destinations, tracing, signed code and
# complete audit logging.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "signing_profile_version_arn" {
  type    = string
  default = "arn:aws:signer:us-east-1:111122223333:/signing-profiles/orders/abcdef0123"
}

locals {
  account_id = "111122223333"
  runtime    = "python3.13"
  timeout    = 10
  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_kms_key" "app" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${local.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_lambda_code_signing_config" "orders" {
  allowed_publishers {
    signing_profile_version_arns = [var.signing_profile_version_arn]
  }

  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

# Private networking in two Availability Zones.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_security_group" "functions" {
  name        = "orders-functions"
  description = "Orders functions"
  vpc_id      = aws_vpc.main.id
}

# REST API: Cognito on every route, default throttling, access logs.
resource "aws_cognito_user_pool" "users" {
  name = "orders-users"
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_authorizer" "cognito" {
  name          = "cognito"
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [aws_cognito_user_pool.users.arn]
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_method" "list_orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id
}

resource "aws_api_gateway_integration" "list_orders" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.list_orders.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.orders.invoke_arn
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  depends_on  = [aws_api_gateway_integration.list_orders]
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format          = "$context.requestId $context.identity.sourceIp $context.status"
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}

resource "aws_lambda_permission" "orders_api" {
  function_name = aws_lambda_function.orders.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.orders.execution_arn}/*/GET/orders"
}

# Data and failure destinations, encrypted with the application key.
resource "aws_sqs_queue" "failed_events" {
  name              = "orders-failed-events"
  kms_master_key_id = aws_kms_key.app.id
}

resource "aws_secretsmanager_secret" "database" {
  name       = "orders/database"
  kms_key_id = aws_kms_key.app.id
}

resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

# Orders: reads the table and its database secret; URL signed with IAM.
resource "aws_lambda_function" "orders" {
  function_name                  = "orders"
  handler                        = "app.handler"
  runtime                        = local.runtime
  timeout                        = local.timeout
  filename                       = "orders.zip"
  role                           = aws_iam_role.orders.arn
  kms_key_arn                    = aws_kms_key.app.arn
  code_signing_config_arn        = aws_lambda_code_signing_config.orders.arn
  reserved_concurrent_executions = 50

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = local.subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }

  environment {
    variables = {
      TABLE_NAME    = aws_dynamodb_table.orders.name
      DB_SECRET_ARN = aws_secretsmanager_secret.database.arn
    }
  }
}

resource "aws_lambda_function_url" "orders" {
  function_name      = aws_lambda_function.orders.function_name
  authorization_type = "AWS_IAM"

  cors {
    allow_origins = ["https://orders.example.com"]
  }
}

resource "aws_iam_role" "orders" {
  name               = "orders"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "orders" {
  name = "orders"
  role = aws_iam_role.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"]
        Resource = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
      },
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = aws_secretsmanager_secret.database.arn
      },
    ]
  })
}

# Reports: invoked by S3, failed events kept in the queue.
resource "aws_lambda_function" "reports" {
  function_name                  = "reports"
  handler                        = "reports.handler"
  runtime                        = local.runtime
  timeout                        = local.timeout
  filename                       = "orders.zip"
  role                           = aws_iam_role.reports.arn
  kms_key_arn                    = aws_kms_key.app.arn
  code_signing_config_arn        = aws_lambda_code_signing_config.orders.arn
  reserved_concurrent_executions = 5

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = local.subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.failed_events.arn
  }
}

resource "aws_iam_role" "reports" {
  name               = "orders-reports"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "reports" {
  name = "reports"
  role = aws_iam_role.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:ListBucket"]
        Resource = [aws_s3_bucket.uploads.arn, "${aws_s3_bucket.uploads.arn}/*"]
      },
      {
        Effect   = "Allow"
        Action   = "sqs:SendMessage"
        Resource = aws_sqs_queue.failed_events.arn
      },
    ]
  })
}

resource "aws_s3_bucket" "uploads" {
  bucket = "orders-uploads"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.app.arn
    }
  }
}

resource "aws_lambda_permission" "reports_upload" {
  function_name  = aws_lambda_function.reports.function_name
  action         = "lambda:InvokeFunction"
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = local.account_id
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.reports.arn
    events              = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_lambda_permission.reports_upload]
}

# A partner's bucket may invoke Reports, from the partner's account only.
resource "aws_lambda_permission" "partner_bucket_invoke" {
  function_name  = aws_lambda_function.reports.function_name
  action         = "lambda:InvokeFunction"
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::partner-drop-bucket"
  source_account = local.account_id
}

# Reconcile: reads the table, nothing else.
resource "aws_lambda_function" "reconcile" {
  function_name                  = "reconcile"
  handler                        = "reconcile.handler"
  runtime                        = local.runtime
  timeout                        = local.timeout
  filename                       = "orders.zip"
  role                           = aws_iam_role.reconcile.arn
  kms_key_arn                    = aws_kms_key.app.arn
  code_signing_config_arn        = aws_lambda_code_signing_config.orders.arn
  reserved_concurrent_executions = 2

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = local.subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }
}

resource "aws_iam_role" "reconcile" {
  name               = "orders-reconcile"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "reconcile" {
  name = "reconcile"
  role = aws_iam_role.reconcile.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"]
      Resource = [aws_dynamodb_table.orders.arn, "${aws_dynamodb_table.orders.arn}/index/*"]
    }]
  })
}

# A layer shared with the organization only.
resource "aws_lambda_layer_version" "shared" {
  layer_name = "shared"
  filename   = "layer.zip"
}

resource "aws_lambda_layer_version_permission" "shared" {
  layer_name      = aws_lambda_layer_version.shared.layer_arn
  version_number  = aws_lambda_layer_version.shared.version
  statement_id    = "organization"
  action          = "lambda:GetLayerVersion"
  principal       = "*"
  organization_id = "o-a1b2c3d4e5"
}

# Logs kept a year, encrypted; a multi-region trail with Lambda data events.
resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/aws/apigateway/orders"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.app.arn
}

resource "aws_cloudwatch_log_group" "orders" {
  name              = "/aws/lambda/orders"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.app.arn
}

resource "aws_cloudtrail" "audit" {
  name                       = "audit"
  s3_bucket_name             = "audit-logs-bucket"
  enable_logging             = true
  is_multi_region_trail      = true
  enable_log_file_validation = true
  kms_key_id                 = aws_kms_key.app.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::Lambda::Function"
      values = ["arn:aws:lambda"]
    }
  }
}
