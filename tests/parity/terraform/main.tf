# Parity set, Terraform version: the functions of tests/parity/sam written in HCL.
# crates/warden-cli/tests/parity.rs checks that Warden finds the same problems in every folder
# of tests/parity/. tests/parity/terraform-plan/plan.json is `terraform show -json` of a plan
# of this configuration.

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
  account_id = "111122223333"
  code = {
    bucket = "parity-artifacts"
    key    = "app.zip"
  }
  lambda_trust = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Function URL open to anyone (ACC004), with the permission that lets everyone call it.
resource "aws_lambda_function" "public_url" {
  function_name = "parity-public-url"
  runtime       = "python3.13"
  handler       = "app.handler"
  s3_bucket     = local.code.bucket
  s3_key        = local.code.key
  role          = aws_iam_role.app.arn
}

resource "aws_lambda_function_url" "public_url" {
  function_name      = aws_lambda_function.public_url.function_name
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "public_url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  function_name          = aws_lambda_function.public_url.function_name
  action                 = "lambda:InvokeFunctionUrl"
  principal              = "*"
  function_url_auth_type = "NONE"
}

# A service may invoke it on behalf of any account (ACC002).
resource "aws_lambda_function" "deputy" {
  function_name = "parity-deputy"
  runtime       = "python3.13"
  handler       = "app.handler"
  s3_bucket     = local.code.bucket
  s3_key        = local.code.key
  role          = aws_iam_role.app.arn
}

resource "aws_lambda_permission" "deputy" {
  function_name = aws_lambda_function.deputy.function_name
  action        = "lambda:InvokeFunction"
  principal     = "s3.amazonaws.com"
}

# A password in clear in the environment (CFG001).
resource "aws_lambda_function" "secret" {
  function_name = "parity-secret"
  runtime       = "python3.13"
  handler       = "app.handler"
  s3_bucket     = local.code.bucket
  s3_key        = local.code.key
  role          = aws_iam_role.app.arn

  environment {
    variables = {
      DB_USER     = "orders"
      DB_PASSWORD = "Parity-Pa55word-1234"
    }
  }
}

# Its execution role is an administrator (IAM001).
resource "aws_lambda_function" "admin" {
  function_name = "parity-admin"
  runtime       = "python3.13"
  handler       = "app.handler"
  s3_bucket     = local.code.bucket
  s3_key        = local.code.key
  role          = aws_iam_role.admin.arn
}

resource "aws_iam_role" "admin" {
  name               = "parity-admin"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.admin.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Invoked asynchronously by S3, with neither a dead-letter queue nor a destination (CFG007).
resource "aws_lambda_function" "async" {
  function_name = "parity-async"
  runtime       = "python3.13"
  handler       = "app.handler"
  s3_bucket     = local.code.bucket
  s3_key        = local.code.key
  role          = aws_iam_role.app.arn
}

resource "aws_lambda_permission" "async_upload" {
  function_name  = aws_lambda_function.async.function_name
  action         = "lambda:InvokeFunction"
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.uploads.arn
  source_account = local.account_id
}

resource "aws_s3_bucket" "uploads" {
  bucket = "parity-uploads"
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.async.arn
    events              = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_lambda_permission.async_upload]
}

# Deprecated runtime (CFG008): python3.8 lost support on 2024-10-14.
resource "aws_lambda_function" "legacy" {
  function_name = "parity-legacy"
  runtime       = "python3.8"
  handler       = "app.handler"
  s3_bucket     = local.code.bucket
  s3_key        = local.code.key
  role          = aws_iam_role.app.arn
}

# Shared by the five functions above (IAM004); scoped to their log groups.
resource "aws_iam_role" "app" {
  name               = "parity-app"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "app_logs" {
  name = "logs"
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:aws:logs:us-east-1:${local.account_id}:log-group:/aws/lambda/parity-*:*"
    }]
  })
}

# Private and hardened: no finding at all.
resource "aws_lambda_function" "hardened" {
  function_name                  = "parity-hardened"
  runtime                        = "python3.13"
  handler                        = "app.handler"
  s3_bucket                      = local.code.bucket
  s3_key                         = local.code.key
  role                           = aws_iam_role.hardened.arn
  kms_key_arn                    = aws_kms_key.app.arn
  reserved_concurrent_executions = 10
  code_signing_config_arn        = aws_lambda_code_signing_config.parity.arn

  tracing_config {
    mode = "Active"
  }

  vpc_config {
    subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_group_ids = [aws_security_group.functions.id]
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }

  environment {
    variables = {
      TABLE_NAME = "orders"
    }
  }
}

resource "aws_sns_topic_subscription" "hardened_notice" {
  topic_arn = aws_sns_topic.notices.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.hardened.arn
}

resource "aws_lambda_permission" "hardened_notice" {
  function_name = aws_lambda_function.hardened.function_name
  action        = "lambda:InvokeFunction"
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.notices.arn
}

resource "aws_iam_role" "hardened" {
  name               = "parity-hardened"
  assume_role_policy = local.lambda_trust
}

resource "aws_iam_role_policy" "hardened_logs" {
  name = "logs"
  role = aws_iam_role.hardened.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:aws:logs:us-east-1:${local.account_id}:log-group:/aws/lambda/parity-hardened:*"
    }]
  })
}

resource "aws_sns_topic" "notices" {
  name = "parity-notices"
}

resource "aws_sqs_queue" "dlq" {
  name = "parity-dlq"
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

resource "aws_lambda_code_signing_config" "parity" {
  allowed_publishers {
    signing_profile_version_arns = [
      "arn:aws:signer:us-east-1:${local.account_id}:/signing-profiles/parity/abcdef0123",
    ]
  }

  policies {
    untrusted_artifact_on_deployment = "Enforce"
  }
}

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
  name        = "parity-functions"
  description = "Parity functions"
  vpc_id      = aws_vpc.main.id
}
