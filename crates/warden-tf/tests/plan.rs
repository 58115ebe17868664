//! `terraform show -json` plans load into the same elements as the configuration they come
//! from; references known only after apply come from the plan's `configuration`.

use warden_model::{DiagnosticLevel, Value};

const PLAN: &str = include_str!("fixtures/plan.json");

fn id(address: &str) -> String {
    format!("plan.json#{address}")
}

#[test]
fn planned_resources_become_elements_named_by_address() {
    assert!(warden_tf::looks_like_plan(PLAN));
    let loaded = warden_tf::load_plan("plan.json", PLAN);
    assert!(loaded.is_template);
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.level != DiagnosticLevel::Error),
        "{:#?}",
        loaded.diagnostics
    );
    let inv = &loaded.inventory;
    let api = inv.function(&id("aws_lambda_function.api")).expect("function");
    assert_eq!(api.meta.name, "aws_lambda_function.api");
    // The finding location is the resource's address in `planned_values`.
    assert_eq!(api.meta.origin.to_string(), "plan.json:27:22");
    assert_eq!(api.runtime.as_ref().and_then(Value::as_str), Some("python3.8"));
    assert!(api.reserved_concurrency.is_none(), "-1 is unreserved");
    assert!(api.vpc.is_none() && api.dead_letter_target.is_none() && api.kms_key.is_none());
    assert_eq!(api.tracing.as_ref().and_then(Value::as_str), Some("PassThrough"));
    let env = api.environment.as_ref().expect("environment");
    assert_eq!(env[0].name, "DB_PASSWORD");
    // The role's ARN is known only after apply: the configuration says which role it is.
    assert_eq!(
        api.role.as_ref().and_then(|r| r.target.as_deref()),
        Some(id("aws_iam_role.api").as_str())
    );

    let role = inv.role(&id("aws_iam_role.api")).expect("role");
    assert_eq!(
        role.inline_policies[0]
            .document
            .get("Statement")
            .map(|s| s.items().len()),
        Some(1)
    );
    let managed: Vec<String> = role.managed_policies.iter().map(|l| l.value.display()).collect();
    assert_eq!(
        managed,
        vec!["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    );

    // Known names link too.
    let public = &inv.permissions[0];
    assert_eq!(public.function.target.as_deref(), Some(api.meta.id.as_str()));
    assert_eq!(public.principal.as_str(), Some("*"));
    assert_eq!(
        inv.function_urls[0].function.target.as_deref(),
        Some(api.meta.id.as_str())
    );
    assert_eq!(inv.function_urls[0].auth_type.as_str(), Some("NONE"));
    assert!(
        inv.log_groups[0].retention_in_days.is_none(),
        "0 keeps logs forever"
    );
    assert!(inv.source("plan.json").is_some());
}

#[test]
fn child_module_instances_link_through_their_configuration() {
    let loaded = warden_tf::load_plan("plan.json", PLAN);
    let inv = &loaded.inventory;
    let worker = inv
        .function(&id("module.worker.aws_lambda_function.this[0]"))
        .expect("module function");
    assert_eq!(
        worker
            .reserved_concurrency
            .as_ref()
            .and_then(|v| v.as_text())
            .as_deref(),
        Some("5")
    );
    assert!(
        worker.environment.is_none(),
        "an empty environment list is no environment"
    );
    let sns = inv
        .permissions
        .iter()
        .find(|p| p.meta.name == "module.worker.aws_lambda_permission.sns[\"alerts\"]")
        .expect("permission");
    assert_eq!(sns.function.target.as_deref(), Some(worker.meta.id.as_str()));
    // A reference to a variable is unknown but names no resource.
    assert!(
        sns.source_arn
            .as_ref()
            .is_some_and(|s| s.as_unknown().is_some_and(|u| u.refs.is_empty()))
    );
}

#[test]
fn a_future_format_version_is_refused_clearly() {
    let future = PLAN.replacen("\"format_version\": \"1.2\"", "\"format_version\": \"2.0\"", 1);
    let loaded = warden_tf::load_plan("plan.json", &future);
    assert!(loaded.is_template);
    assert!(loaded.inventory.functions.is_empty());
    let error = loaded
        .diagnostics
        .iter()
        .find(|d| d.level == DiagnosticLevel::Error)
        .expect("an error");
    assert_eq!(error.code, "unsupported-plan-version");
    assert!(
        error.message.contains("2.0") && error.message.contains("1.x"),
        "{}",
        error.message
    );
}

#[test]
fn other_json_is_not_a_plan() {
    for text in [
        r#"{"Resources": {}}"#,
        "[1, 2]",
        "not json",
        r#"{"format_version": "1.0"}"#,
    ] {
        let loaded = warden_tf::load_plan("x.json", text);
        assert!(!loaded.is_template, "{text}");
        assert!(loaded.diagnostics.is_empty());
    }
}

#[test]
fn broken_plan_json_is_reported_with_its_position() {
    let broken = "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,\n}\n";
    let loaded = warden_tf::load_plan("plan.json", broken);
    assert!(loaded.is_template);
    let error = &loaded.diagnostics[0];
    assert_eq!(error.code, "syntax");
    assert_eq!(
        error.origin.as_ref().map(|o| o.to_string()).as_deref(),
        Some("plan.json:3:22")
    );
}

#[test]
fn state_output_is_read_like_a_plan() {
    let state = r#"{
  "format_version": "1.0",
  "terraform_version": "1.9.5",
  "values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_lambda_function.f",
          "mode": "managed",
          "type": "aws_lambda_function",
          "name": "f",
          "values": {"function_name": "f", "arn": "arn:aws:lambda:eu-west-1:123456789012:function:f", "runtime": "go1.x"}
        },
        {
          "address": "aws_lambda_permission.p",
          "mode": "managed",
          "type": "aws_lambda_permission",
          "name": "p",
          "values": {"function_name": "arn:aws:lambda:eu-west-1:123456789012:function:f", "principal": "*", "action": "lambda:InvokeFunction"}
        },
        {
          "address": "data.aws_caller_identity.current",
          "mode": "data",
          "type": "aws_caller_identity",
          "name": "current",
          "values": {}
        }
      ]
    }
  }
}"#;
    let loaded = warden_tf::load_plan("state.json", state);
    assert!(loaded.is_template);
    let inv = &loaded.inventory;
    assert_eq!(inv.functions.len(), 1, "data sources are not elements");
    assert_eq!(
        inv.permissions[0].function.target.as_deref(),
        Some("state.json#aws_lambda_function.f")
    );
    assert_eq!(inv.functions[0].meta.origin.to_string(), "state.json:8:22");
}
