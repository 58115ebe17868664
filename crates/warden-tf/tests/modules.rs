//! Local modules are loaded with their inputs; the registry Lambda module is understood from
//! its inputs; other registry modules are reported as not analysed.

mod common;

use std::path::Path;

use common::{id, inventory, statements, text};
use warden_model::{CodeLocation, DiagnosticLevel, Value};

fn fixture(name: &str) -> (std::path::PathBuf, Vec<(String, String)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .map(|p| {
            let shown = format!("{name}/{}", p.file_name().unwrap_or_default().to_string_lossy());
            (shown, std::fs::read_to_string(&p).unwrap_or_default())
        })
        .collect();
    files.sort();
    (dir, files)
}

#[test]
fn local_modules_are_loaded_with_their_inputs() {
    let (dir, files) = fixture("local-module");
    let loaded = warden_tf::load_dir(&dir, &files);
    let inv = &loaded.inventory;
    assert_eq!(
        inv.functions.len(),
        1,
        "the module called with count = 0 creates nothing"
    );
    let f = &inv.functions[0];
    assert_eq!(
        f.meta.id,
        "local-module/modules/function/main.tf#module.api.aws_lambda_function.this"
    );
    assert_eq!(f.meta.name, "module.api.aws_lambda_function.this");
    assert_eq!(
        f.meta.origin.to_string(),
        "local-module/modules/function/main.tf:10:1"
    );
    assert_eq!(text(f.function_name.as_ref()).as_deref(), Some("api-prod"));
    assert_eq!(text(f.memory_size.as_ref()).as_deref(), Some("256"));
    assert_eq!(
        text(f.runtime.as_ref()).as_deref(),
        Some("nodejs18.x"),
        "the module's default"
    );
    assert!(
        matches!(&f.code, Some(CodeLocation::Local(p)) if p.as_str() == Some("modules/function/app.zip"))
    );
    // The input is a reference to the caller's role: the link crosses the module boundary.
    assert_eq!(
        f.role.as_ref().and_then(|r| r.target.as_deref()),
        Some("local-module/main.tf#aws_iam_role.shared")
    );
    // And the caller's permission reaches the module's function through its output.
    assert_eq!(
        inv.permissions[0].function.target.as_deref(),
        Some(f.meta.id.as_str())
    );
    assert!(inv.source("local-module/modules/function/main.tf").is_some());

    let policy = |name: &str| {
        &inv.managed_policies
            .iter()
            .find(|p| p.meta.name == format!("module.api.aws_iam_policy.{name}"))
            .expect("policy")
            .document
    };
    assert_eq!(
        statements(policy("from_file"))[0]
            .get("Action")
            .and_then(Value::as_str),
        Some("dynamodb:*")
    );
    let templated = statements(policy("from_template"));
    assert_eq!(
        templated[0].get("Action").and_then(Value::as_str),
        Some("lambda:InvokeFunction")
    );
    let resource = templated[0]
        .get("Resource")
        .and_then(Value::as_unknown)
        .expect("unknown");
    assert_eq!(resource.refs, vec!["module.api.aws_lambda_function.this"]);
    assert!(
        policy("outside").is_unknown(),
        "files outside the configuration are not read"
    );

    let warnings: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Warning)
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        warnings.iter().any(|m| m.contains("module `missing`")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|m| m.contains("calls itself")),
        "{warnings:#?}"
    );
    let notes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        notes
            .iter()
            .any(|m| m.contains("`module.vpc`") && m.contains("not analysed")),
        "{notes:#?}"
    );
    assert!(
        notes
            .iter()
            .any(|m| m.contains("file `/etc/hostname` is not read")),
        "{notes:#?}"
    );
}

#[test]
fn local_module_directories_are_listed_for_the_scanner() {
    let (dir, files) = fixture("local-module");
    let dirs = warden_tf::local_module_dirs(&dir, &files);
    assert_eq!(
        dirs,
        vec![
            dir.join("modules/function"),
            dir.join("modules/nope"),
            dir.join("modules/loop")
        ]
    );
}

#[test]
fn without_disk_local_modules_are_reported_not_read() {
    let (_, files) = fixture("local-module");
    let loaded = warden_tf::load_hcl(&files);
    assert!(loaded.inventory.functions.is_empty());
    assert!(loaded.diagnostics.iter().any(|d| d.code == "module-not-loaded"));
}

const REGISTRY: &str = r#"
# warden:skip=CFG005 capped by the queue
module "orders" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "orders"
  handler       = "app.handler"
  runtime       = "python3.9"
  source_path   = "src/orders"

  environment_variables = {
    TABLE  = "orders"
    SECRET = "AKIAIOSFODNN7EXAMPLE"
  }

  attach_policy_json = true
  policy_json = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })

  attach_policy_statements = true
  policy_statements = {
    s3 = {
      effect    = "Allow"
      actions   = ["s3:PutObject"]
      resources = ["*"]
    }
  }

  attach_policies    = true
  number_of_policies = 1
  policies           = ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"]

  create_lambda_function_url = true
  cors = {
    allow_origins = ["*"]
  }

  allowed_triggers = {
    APIGateway = {
      service    = "apigateway"
      source_arn = "arn:aws:execute-api:eu-west-1:123456789012:abc/*/*"
    }
    Everyone = {
      principal = "*"
    }
  }

  tracing_mode                      = "Active"
  reserved_concurrent_executions    = 10
  vpc_subnet_ids                    = ["subnet-1", "subnet-2"]
  vpc_security_group_ids            = ["sg-1"]
  dead_letter_target_arn            = "arn:aws:sqs:eu-west-1:123456789012:dlq"
  cloudwatch_logs_retention_in_days = 14
}

resource "aws_lambda_permission" "events" {
  action        = "lambda:InvokeFunction"
  function_name = module.orders.lambda_function_name
  principal     = "events.amazonaws.com"
}

resource "aws_iam_role_policy_attachment" "extra" {
  role       = module.orders.lambda_role_name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
"#;

#[test]
fn the_registry_lambda_module_is_understood_from_its_inputs() {
    let inv = inventory(REGISTRY);
    let f = common::function(&inv, "module.orders");
    assert_eq!(f.meta.name, "module.orders");
    assert_eq!(f.meta.origin.to_string(), "main.tf:3:1");
    assert_eq!(f.meta.skips.len(), 1);
    assert_eq!(f.meta.skips[0].rule, "CFG005");
    assert_eq!(text(f.runtime.as_ref()).as_deref(), Some("python3.9"));
    assert_eq!(text(f.tracing.as_ref()).as_deref(), Some("Active"));
    assert_eq!(text(f.reserved_concurrency.as_ref()).as_deref(), Some("10"));
    assert!(f.vpc.is_some() && f.dead_letter_target.is_some());
    let env = f.environment.as_ref().expect("environment");
    assert_eq!(env[1].name, "SECRET");
    assert_eq!(env[1].name_span.start.line, 14, "points at the module input");
    assert!(matches!(&f.code, Some(CodeLocation::Local(p)) if p.as_str() == Some("src/orders")));

    let role_id = id("module.orders.aws_iam_role.lambda");
    assert_eq!(
        f.role.as_ref().and_then(|r| r.target.as_deref()),
        Some(role_id.as_str())
    );
    let role = common::role(&inv, "module.orders.aws_iam_role.lambda");
    assert_eq!(role.meta.name, "module.orders");
    assert_eq!(
        role.meta.implied_by.as_deref(),
        Some(id("module.orders").as_str())
    );
    let names: Vec<&str> = role.inline_policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["logs", "policy_json", "policy_statements"]);
    assert_eq!(
        statements(&role.inline_policies[1].document)[0]
            .get("Action")
            .and_then(Value::as_str),
        Some("*")
    );
    assert_eq!(
        statements(&role.inline_policies[2].document)[0]
            .get("Action")
            .map(Value::strings),
        Some(vec!["s3:PutObject"])
    );
    let managed: Vec<String> = role.managed_policies.iter().map(|l| l.value.display()).collect();
    assert_eq!(
        managed,
        vec![
            "arn:aws:iam::aws:policy/AmazonSQSFullAccess",
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ],
        "the module's policies and an attachment to its role by output"
    );

    let url = &inv.function_urls[0];
    assert_eq!(url.function.target.as_deref(), Some(f.meta.id.as_str()));
    assert_eq!(url.auth_type.as_str(), Some("NONE"), "the module's default");
    assert!(url.cors.as_ref().is_some_and(|c| c.allow_origins.is_some()));

    let permissions: Vec<(String, String)> = inv
        .permissions
        .iter()
        .map(|p| (p.meta.name.clone(), p.principal.display()))
        .collect();
    assert_eq!(
        permissions,
        vec![
            (
                "aws_lambda_permission.events".to_string(),
                "events.amazonaws.com".to_string()
            ),
            (
                "module.orders".to_string(),
                "apigateway.amazonaws.com".to_string()
            ),
            ("module.orders".to_string(), "*".to_string()),
        ]
    );
    assert!(
        inv.permissions
            .iter()
            .all(|p| p.function.target.as_deref() == Some(f.meta.id.as_str()))
    );

    let log = &inv.log_groups[0];
    assert_eq!(
        text(log.log_group_name.as_ref()).as_deref(),
        Some("/aws/lambda/orders")
    );
    assert_eq!(text(log.retention_in_days.as_ref()).as_deref(), Some("14"));
}

#[test]
fn registry_module_switches_are_respected() {
    let inv = inventory(
        r#"
module "off" {
  source = "terraform-aws-modules/lambda/aws"
  create = false
  function_name = "off"
}
module "existing_role" {
  source        = "terraform-aws-modules/lambda/aws"
  function_name = "uses-role"
  create_role   = false
  lambda_role   = aws_iam_role.r.arn
  use_existing_cloudwatch_log_group = true
}
module "layer" {
  source              = "terraform-aws-modules/lambda/aws"
  create_layer        = true
  layer_name          = "deps"
  compatible_runtimes = ["python3.13"]
}
resource "aws_iam_role" "r" {
  assume_role_policy = "{}"
}
"#,
    );
    assert_eq!(inv.functions.len(), 1);
    let f = &inv.functions[0];
    assert_eq!(f.meta.name, "module.existing_role");
    assert_eq!(
        f.role.as_ref().and_then(|r| r.target.as_deref()),
        Some(id("aws_iam_role.r").as_str())
    );
    assert_eq!(inv.roles.len(), 1, "no role is created");
    assert!(inv.log_groups.is_empty());
    assert_eq!(inv.layers.len(), 1);
    assert_eq!(inv.layers[0].meta.name, "module.layer");
}
