module "local" {
  source  = "./modules/worker"
  name    = "worker"
  role    = aws_iam_role.api.arn
}

module "lambda" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "registry"
  runtime       = "python3.12"
  handler       = "index.handler"

  create_lambda_function_url = true
  authorization_type         = "NONE"
  cors                       = { allow_origins = ["*"] }

  environment_variables = { API_KEY = "AKIAIOSFODNN7EXAMPLE" }

  attach_policy_json = true
  policy_json        = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })

  attach_policy_statements = true
  policy_statements = {
    s3 = { effect = "Allow", actions = ["s3:GetObject"], resources = ["*"] }
  }

  allowed_triggers = {
    S3 = { principal = "s3.amazonaws.com" }
  }
}
