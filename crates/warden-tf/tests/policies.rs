//! Policies written with `jsonencode`, heredoc or string JSON, and `aws_iam_policy_document`
//! data sources all become the same policy document shape.

mod common;

use common::{id, inventory, role, statements};
use warden_model::Value;

fn policy_document<'i>(inv: &'i warden_model::Inventory, address: &str) -> &'i Value {
    &inv.managed_policies
        .iter()
        .find(|p| p.meta.id == id(address))
        .unwrap_or_else(|| panic!("no policy {address}"))
        .document
}

#[test]
fn heredoc_json_keeps_its_interpolations_as_references() {
    let inv = inventory(
        r#"
resource "aws_sqs_queue" "jobs" {}
resource "aws_iam_role_policy" "p" {
  role   = "r"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Action": ["sqs:SendMessage"],
        "Resource": "${aws_sqs_queue.jobs.arn}"
      }, {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::${var.bucket}/*"
      }]
    }
  EOF
}
"#,
    );
    let doc = policy_document(&inv, "aws_iam_role_policy.p");
    let s = statements(doc);
    assert_eq!(s.len(), 2);
    let queue = s[0].get("Resource").and_then(Value::as_unknown).expect("unknown");
    assert_eq!(queue.expr, "aws_sqs_queue.jobs.arn");
    assert_eq!(queue.refs, vec!["aws_sqs_queue.jobs"]);
    let bucket = s[1].get("Resource").and_then(Value::as_unknown).expect("unknown");
    assert_eq!(bucket.expr, "arn:aws:s3:::${var.bucket}/*");
    assert_eq!(s[1].get("Action").and_then(Value::as_str), Some("s3:GetObject"));
}

#[test]
fn string_json_and_jsonencode_give_the_same_document() {
    let inv = inventory(
        r#"
resource "aws_iam_policy" "text" {
  policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"
}
resource "aws_iam_policy" "encoded" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
"#,
    );
    let text = policy_document(&inv, "aws_iam_policy.text");
    let encoded = policy_document(&inv, "aws_iam_policy.encoded");
    assert_eq!(text.to_json(), encoded.to_json());
    // jsonencode keeps each node's position; string JSON points at the string.
    assert_eq!(statements(encoded)[0].span.start.line, 8);
    assert_eq!(statements(text)[0].span.start.line, 3);
}

#[test]
fn policy_document_data_sources_take_the_policy_shape() {
    let inv = inventory(
        r#"
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Logs"
    actions   = ["logs:PutLogEvents"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "access" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid           = "Deny"
    effect        = "Deny"
    not_actions   = ["s3:GetObject"]
    not_resources = [aws_s3_bucket.b.arn]
  }
  statement {
    actions   = ["lambda:InvokeFunction"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-123"]
    }
  }
  dynamic "statement" {
    for_each = var.extra
    content {
      actions = statement.value
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    name   = "access"
    policy = "${data.aws_iam_policy_document.access.json}"
  }
}
"#,
    );
    let r = role(&inv, "aws_iam_role.r");
    let trust = statements(r.trust_policy.as_ref().expect("trust"));
    assert_eq!(trust[0].get("Effect").and_then(Value::as_str), Some("Allow"));
    assert_eq!(
        trust[0]
            .get("Principal")
            .and_then(|p| p.get("Service"))
            .map(Value::strings),
        Some(vec!["lambda.amazonaws.com"])
    );
    assert_eq!(trust[0].span.start.line, 3, "statements point at their block");
    let access = statements(&r.inline_policies[0].document);
    assert_eq!(access.len(), 4, "source statement, two written, one dynamic");
    assert_eq!(access[0].get("Sid").and_then(Value::as_str), Some("Logs"));
    assert_eq!(
        access[1].get("NotAction").map(Value::strings),
        Some(vec!["s3:GetObject"])
    );
    assert!(access[1].get("NotResource").is_some());
    assert_eq!(access[2].get("Principal").and_then(Value::as_str), Some("*"));
    let org = access[2]
        .get("Condition")
        .and_then(|c| c.get("StringEquals"))
        .and_then(|c| c.get("aws:PrincipalOrgID"))
        .map(Value::strings);
    assert_eq!(org, Some(vec!["o-123"]));
    assert!(access[3].is_unknown(), "a dynamic statement is not expanded");
}

#[test]
fn policies_held_in_locals_and_variables_are_followed() {
    let inv = inventory(
        r#"
locals {
  admin = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
variable "read" {
  default = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}"
}
resource "aws_iam_policy" "admin" {
  policy = local.admin
}
resource "aws_iam_policy" "read" {
  policy = var.read
}
"#,
    );
    let admin = policy_document(&inv, "aws_iam_policy.admin");
    assert_eq!(
        statements(admin)[0].get("Action").and_then(Value::as_str),
        Some("*")
    );
    assert_eq!(
        statements(admin)[0].span.start.line,
        5,
        "followed to where it is written"
    );
    let read = policy_document(&inv, "aws_iam_policy.read");
    assert_eq!(
        statements(read)[0].get("Action").and_then(Value::as_str),
        Some("s3:Get*")
    );
}

#[test]
fn an_unknown_policy_stays_unknown() {
    let inv = inventory(
        r#"
resource "aws_iam_policy" "p" {
  policy = var.policy
}
"#,
    );
    assert!(policy_document(&inv, "aws_iam_policy.p").is_unknown());
}
