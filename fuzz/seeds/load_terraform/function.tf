resource "aws_lambda_function" "api" {
  function_name = "api"
  runtime       = "python3.8"
  handler       = "app.handler"
  filename      = "api.zip"
  role          = aws_iam_role.api.arn
  layers        = ["arn:aws:lambda:us-east-1:444455556666:layer:x:1"]

  environment {
    variables = {
      DB_PASSWORD = "hunter2hunter2"
    }
  }

  vpc_config {
    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
    security_group_ids = []
  }

  tracing_config {
    mode = "Active"
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }
}

resource "aws_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
  cors {
    allow_origins = ["*"]
  }
}

resource "aws_lambda_permission" "s3" {
  function_name = aws_lambda_function.api.arn
  action        = "lambda:InvokeFunction"
  principal     = "s3.amazonaws.com"
  source_arn    = "arn:aws:s3:::bucket"
}
