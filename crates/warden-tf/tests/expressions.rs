//! Variables, locals and expressions are evaluated as far as the configuration decides them;
//! the rest stays unknown, reading as written and naming what it refers to.

mod common;

use common::{function, inventory, load, text};
use warden_model::{Value, ValueKind};

#[test]
fn variables_defaults_locals_and_templates() {
    let inv = inventory(
        r#"
variable "env" {
  default = "prod"
}
variable "memory" {
  type    = number
  default = 512
}
variable "tracing" {
  default = { enabled = true, mode = "Active" }
}
variable "no_default" {}
locals {
  name   = "orders-${var.env}"
  upper  = upper(local.name)
  twice  = var.memory * 2
  tags   = merge({ team = "payments" }, { env = var.env })
  joined = join(",", concat(["a"], ["b", "c"]))
  fmt    = format("%s-%d", var.env, 3)
  picked = lookup({ prod = "big", dev = "small" }, var.env, "none")
  list   = ["x", "y"]
}
resource "aws_lambda_function" "f" {
  function_name = local.name
  handler       = local.upper
  memory_size   = local.twice
  timeout       = var.env == "prod" ? 30 : 3
  runtime       = var.no_default
  description   = "${local.joined}|${local.fmt}|${local.picked}|${local.list[1]}"
  tags          = local.tags
  role          = "arn:aws:iam::123456789012:role/r"
  tracing_config {
    mode = var.tracing.enabled ? var.tracing["mode"] : "PassThrough"
  }
}
"#,
    );
    let f = function(&inv, "aws_lambda_function.f");
    assert_eq!(text(f.function_name.as_ref()).as_deref(), Some("orders-prod"));
    assert_eq!(text(f.handler.as_ref()).as_deref(), Some("ORDERS-PROD"));
    assert_eq!(text(f.memory_size.as_ref()).as_deref(), Some("1024"));
    assert_eq!(text(f.timeout.as_ref()).as_deref(), Some("30"));
    assert_eq!(text(f.tracing.as_ref()).as_deref(), Some("Active"));
    let unknown = f
        .runtime
        .as_ref()
        .and_then(Value::as_unknown)
        .expect("a variable without default is unknown");
    assert_eq!(unknown.expr, "var.no_default");
    assert_eq!(f.tags.len(), 2);
    assert_eq!(f.tags[1].1.as_str(), Some("prod"));
}

#[test]
fn description_like_templates_join_known_parts() {
    let inv = inventory(
        r#"
locals {
  joined = join(",", concat(["a"], ["b", "c"]))
  list   = ["x", "y"]
}
resource "aws_lambda_function" "f" {
  function_name = "${local.joined}|${format("%s-%d", "prod", 3)}|${local.list[1]}"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
    );
    let f = function(&inv, "aws_lambda_function.f");
    assert_eq!(text(f.function_name.as_ref()).as_deref(), Some("a,b,c|prod-3|y"));
}

#[test]
fn references_stay_unknown_and_name_their_resources() {
    let inv = inventory(
        r#"
resource "aws_lambda_function" "f" {
  function_name = "${random_pet.name.id}-fn"
  role          = aws_iam_role.r.arn
  kms_key_arn   = data.aws_kms_key.by_alias.arn
  handler       = "${aws_iam_role.r.name}"
  runtime       = try(var.missing.runtime, "python3.13")
}
resource "aws_iam_role" "r" {
  assume_role_policy = "{}"
}
"#,
    );
    let f = function(&inv, "aws_lambda_function.f");
    let name = f
        .function_name
        .as_ref()
        .and_then(Value::as_unknown)
        .expect("unknown");
    assert_eq!(name.expr, "${random_pet.name.id}-fn");
    assert_eq!(name.refs, vec!["random_pet.name"]);
    let key = f.kms_key.as_ref().and_then(Value::as_unknown).expect("unknown");
    assert_eq!(
        (key.expr.as_str(), key.refs.as_slice()),
        (
            "data.aws_kms_key.by_alias.arn",
            &["data.aws_kms_key.by_alias".to_string()][..]
        )
    );
    // A template that is one interpolation is the value itself, as in Terraform.
    let handler = f.handler.as_ref().and_then(Value::as_unknown).expect("unknown");
    assert_eq!(handler.expr, "aws_iam_role.r.name");
    assert!(
        f.runtime.as_ref().is_some_and(Value::is_unknown),
        "try() of an unknown value is not guessed"
    );
    assert!(f.role.as_ref().is_some_and(|r| r.target.is_some()));
}

#[test]
fn undecided_conditions_keep_both_branches() {
    let inv = inventory(
        r#"
variable "prod" {}
resource "aws_lambda_function" "f" {
  function_name                  = "f"
  role                           = "arn:aws:iam::123456789012:role/r"
  reserved_concurrent_executions = var.prod ? 100 : -1
}
resource "aws_lambda_function_url" "u" {
  function_name      = aws_lambda_function.f.function_name
  authorization_type = var.prod ? "AWS_IAM" : "NONE"
}
"#,
    );
    let f = function(&inv, "aws_lambda_function.f");
    let concurrency = f.reserved_concurrency.as_ref().expect("set in one branch");
    let ValueKind::Choice {
        condition,
        when_true,
        when_false,
    } = &concurrency.kind
    else {
        panic!("expected a choice, got {concurrency:?}");
    };
    assert_eq!(condition, "var.prod");
    assert_eq!(when_true.as_text().as_deref(), Some("100"));
    assert!(when_false.is_null(), "-1 (unreserved) is unset in its branch");
    let auth: Vec<&str> = inv.function_urls[0]
        .auth_type
        .candidates()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(auth, vec!["AWS_IAM", "NONE"]);
}

#[test]
fn count_and_for_each_give_one_element_with_a_note() {
    let loaded = load(
        r#"
variable "create" { default = false }
variable "names" {}
resource "aws_lambda_function" "many" {
  count         = 3
  function_name = "f-${count.index}"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_function" "each" {
  for_each      = var.names
  function_name = each.key
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_function" "never" {
  count         = var.create ? 1 : 0
  function_name = "never"
  role          = "arn:aws:iam::123456789012:role/r"
}
resource "aws_lambda_function" "once" {
  count         = 1
  function_name = "once"
  role          = "arn:aws:iam::123456789012:role/r"
}
"#,
    );
    let names: Vec<&str> = loaded
        .inventory
        .functions
        .iter()
        .map(|f| f.meta.name.as_str())
        .collect();
    assert_eq!(
        names,
        vec![
            "aws_lambda_function.many",
            "aws_lambda_function.each",
            "aws_lambda_function.once"
        ]
    );
    let messages: Vec<&str> = loaded.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`aws_lambda_function.many` has 3 instances")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`aws_lambda_function.each` uses for_each")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`aws_lambda_function.never` is not created")),
        "{messages:#?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("aws_lambda_function.once")),
        "{messages:#?}"
    );
}

#[test]
fn values_from_another_file_point_where_they_are_used() {
    let loaded = warden_tf::load_hcl(&[
        (
            "main.tf".to_string(),
            "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  role = \"r\"\n  runtime = var.runtime\n}\n".to_string(),
        ),
        ("variables.tf".to_string(), "variable \"runtime\" {\n  default = \"python3.8\"\n}\n".to_string()),
    ]);
    let f = &loaded.inventory.functions[0];
    let runtime = f.runtime.as_ref().expect("runtime");
    assert_eq!(runtime.as_str(), Some("python3.8"));
    // The element lives in main.tf, so its values point into main.tf.
    assert_eq!((runtime.span.start.line, runtime.span.start.column), (4, 13));
    assert_eq!(loaded.inventory.sources.len(), 2);
}

#[test]
fn cycles_between_locals_are_unknown_not_a_hang() {
    let inv = inventory(
        r#"
locals {
  a = local.b
  b = "${local.a}-x"
}
resource "aws_lambda_function" "f" {
  function_name = local.a
  role          = "r"
}
"#,
    );
    assert!(
        function(&inv, "aws_lambda_function.f")
            .function_name
            .as_ref()
            .is_some_and(Value::is_unknown)
    );
}
