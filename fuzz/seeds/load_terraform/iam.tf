resource "aws_iam_role" "api" {
  name               = "api"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]

  inline_policy {
    name = "inline"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["s3:*"], Resource = "*" }]
    })
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account]
    }
  }
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.api.id
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}
  EOT
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = file("policy.json")
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.api.name
  policy_arn = aws_iam_policy.p.arn
}
