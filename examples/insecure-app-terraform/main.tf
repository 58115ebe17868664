# Orders service, written the way many first drafts are: examples/insecure-app/template.yaml in
# Terraform. Every resource here trips at least one Warden rule; examples/hardened-app-terraform
# is the same service done right.

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

locals {
  runtime = "python3.8"
  timeout = 10
}

# REST API with one unauthenticated route, no throttling and no access logs.
resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
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
  authorization = "NONE"
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
}

resource "aws_lambda_permission" "orders_api" {
  function_name = aws_lambda_function.orders.function_name
  action        = "lambda:InvokeFunction"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.orders.execution_arn}/*/GET/orders"
}

# A layer from another account, a password in the environment, a deprecated runtime and a
# function URL anyone may call from any website.
resource "aws_lambda_function" "orders" {
  function_name = "orders"
  handler       = "app.handler"
  runtime       = local.runtime
  timeout       = local.timeout
  filename      = "orders.zip"
  role          = aws_iam_role.shared.arn
  layers        = ["arn:aws:lambda:us-east-1:444455556666:layer:pdf-tools:3"]

  environment {
    variables = {
      TABLE_NAME  = "orders"
      DB_PASSWORD = "Sup3rS3cret-Passw0rd"
    }
  }
}

resource "aws_lambda_function_url" "orders" {
  function_name      = aws_lambda_function.orders.function_name
  authorization_type = "NONE"

  cors {
    allow_origins = ["*"]
  }
}

resource "aws_lambda_permission" "orders_url" {
  function_name          = aws_lambda_function.orders.function_name
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "NONE"
}

# Invoked by S3 with nowhere for failed events to go.
resource "aws_lambda_function" "reports" {
  function_name = "reports"
  handler       = "reports.handler"
  runtime       = local.runtime
  timeout       = local.timeout
  filename      = "orders.zip"
  role          = aws_iam_role.shared.arn
}

resource "aws_s3_bucket" "uploads" {
  bucket = "orders-uploads"
}

resource "aws_lambda_permission" "reports_upload" {
  function_name  = aws_lambda_function.reports.function_name
  action         = "lambda:InvokeFunction"
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = "111122223333"
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.reports.arn
    events              = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_lambda_permission.reports_upload]
}

resource "aws_lambda_function" "invoices" {
  function_name = "invoices"
  handler       = "invoices.handler"
  runtime       = local.runtime
  timeout       = local.timeout
  filename      = "orders.zip"
  role          = aws_iam_role.shared.arn
}

resource "aws_lambda_permission" "partner_invoke" {
  function_name = aws_lambda_function.invoices.function_name
  action        = "lambda:InvokeFunction"
  principal     = "444455556666"
}

# One role for every function: administrator, full S3 and PassRole on everything.
resource "aws_iam_role" "shared" {
  name = "orders-shared"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "shared_admin" {
  role       = aws_iam_role.shared.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_role_policy" "shared_app" {
  name = "app"
  role = aws_iam_role.shared.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:*", "dynamodb:PutItem"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = "*"
      },
    ]
  })
}

# Every Lambda action, to anyone.
resource "aws_lambda_permission" "public_invoke" {
  function_name = aws_lambda_function.orders.function_name
  action        = "lambda:*"
  principal     = "*"
}

# S3 may invoke it for a bucket of that name in any account.
resource "aws_lambda_permission" "partner_bucket_invoke" {
  function_name = aws_lambda_function.reports.function_name
  action        = "lambda:InvokeFunction"
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::partner-drop-bucket"
}

# A layer every AWS account may download.
resource "aws_lambda_layer_version" "shared" {
  layer_name = "shared"
  filename   = "layer.zip"
}

resource "aws_lambda_layer_version_permission" "shared" {
  layer_name     = aws_lambda_layer_version.shared.layer_arn
  version_number = aws_lambda_layer_version.shared.version
  statement_id   = "public"
  action         = "lambda:GetLayerVersion"
  principal      = "*"
}

# Logs kept forever, unencrypted; a trail that does not record invocations.
resource "aws_cloudwatch_log_group" "orders" {
  name = "/aws/lambda/orders"
}

resource "aws_cloudtrail" "audit" {
  name           = "audit"
  s3_bucket_name = "audit-logs-bucket"
  enable_logging = true

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}
