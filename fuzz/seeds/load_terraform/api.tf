resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
  target        = aws_lambda_function.api.arn
}

resource "aws_apigatewayv2_route" "r" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /items"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
  target             = "integrations/${aws_apigatewayv2_integration.i.id}"
}

resource "aws_apigatewayv2_integration" "i" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.api.invoke_arn
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id          = aws_apigatewayv2_api.http.id
  authorizer_type = "JWT"
  name            = "jwt"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.r.id
  stage_name  = "prod"
  method_path = "*/*"
  settings {
    throttling_rate_limit = -1
  }
}

resource "aws_cloudtrail" "t" {
  name = "t"
  advanced_event_selector {
    field_selector {
      field  = "resources.type"
      equals = ["AWS::Lambda::Function"]
    }
  }
}

resource "aws_cloudwatch_log_group" "g" {
  name              = "/aws/lambda/api"
  retention_in_days = 0
}

resource "aws_s3_bucket_notification" "n" {
  bucket = "b"
  lambda_function {
    lambda_function_arn = aws_lambda_function.api.arn
    events              = ["s3:ObjectCreated:*"]
  }
}
