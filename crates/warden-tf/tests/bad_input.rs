//! Input that is not valid Terraform is reported with where and why; nothing makes the loader
//! panic.

mod common;

use common::load;
use proptest::prelude::*;
use warden_model::{DiagnosticLevel, Value};

#[test]
fn invalid_hcl_is_an_error_at_its_position_and_other_files_still_load() {
    let loaded = warden_tf::load_hcl(&[
        (
            "broken.tf".to_string(),
            "resource \"aws_lambda_function\" \"f\" {\n  runtime = \n}\n".to_string(),
        ),
        (
            "ok.tf".to_string(),
            "resource \"aws_lambda_function\" \"g\" {\n  function_name = \"g\"\n  role = \"r\"\n}\n"
                .to_string(),
        ),
    ]);
    assert!(loaded.is_template);
    let error = loaded
        .diagnostics
        .iter()
        .find(|d| d.level == DiagnosticLevel::Error)
        .expect("error");
    assert_eq!(error.code, "syntax");
    assert_eq!(
        error.origin.as_ref().map(|o| o.to_string()).as_deref(),
        Some("broken.tf:2:13")
    );
    assert!(error.message.starts_with("invalid HCL: "), "{}", error.message);
    assert_eq!(loaded.inventory.functions.len(), 1);
}

#[test]
fn unknown_functions_are_noted_and_their_value_is_unknown() {
    let loaded = load(
        r#"
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "r"
  runtime       = pick_runtime("python")
  handler       = provider::custom::handler("x")
  timeout       = timestamp()
}
"#,
    );
    let f = &loaded.inventory.functions[0];
    let runtime = f.runtime.as_ref().and_then(Value::as_unknown).expect("unknown");
    assert_eq!(runtime.expr, "pick_runtime(\"python\")");
    let notes: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-function")
        .collect();
    assert_eq!(
        notes.len(),
        1,
        "provider functions and Terraform functions are not unknown: {notes:#?}"
    );
    assert_eq!(notes[0].level, DiagnosticLevel::Note);
    assert_eq!(
        notes[0].origin.as_ref().map(|o| o.to_string()).as_deref(),
        Some("main.tf:5:19")
    );
    assert!(
        notes[0]
            .message
            .contains("`pick_runtime` is not a Terraform function")
    );
    assert!(f.handler.as_ref().is_some_and(Value::is_unknown));
    assert!(
        f.timeout.as_ref().is_some_and(Value::is_unknown),
        "time-dependent functions are not evaluated"
    );
}

#[test]
fn binary_files_are_reported() {
    let loaded = load("resource \"a\" \"b\" {}\0\u{1}");
    assert_eq!(loaded.diagnostics[0].code, "binary-input");
    assert_eq!(loaded.diagnostics[0].level, DiagnosticLevel::Error);
}

#[test]
fn adversarial_inputs_do_not_panic() {
    let deep = |open: &str, n: usize| format!("a = {}", open.repeat(n));
    let inputs = [
        deep("[", 10_000),
        deep("(", 10_000),
        deep("{b=", 10_000),
        deep("\"${", 10_000),
        "b {\n".repeat(10_000),
        // Each local lists the next one twice: without a limit, 2^n values.
        format!(
            "locals {{\n{}\n}}\nresource \"aws_lambda_function\" \"f\" {{\n  tags = local.l0\n}}\n",
            (0..2000)
                .map(|i| format!("l{i} = [local.l{}, local.l{}]", i + 1, i + 1))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        "locals { a = 1e999999 }\nresource \"aws_lambda_function\" \"f\" { timeout = local.a * 2 / 0 }"
            .into(),
        "resource \"aws_lambda_function\" \"f\" { function_name = <<EOF\n${".into(),
        "resource \"aws_lambda_function\" \"f\" { x = \"\\u{110000}\" }".into(),
        "resource \"aws_lambda_function\" \"f\" { count = -5 \n for_each = {} }".into(),
        "resource \"aws_lambda_function\" \"f\" { x = var[0][\"a\"].b[*].c }".into(),
        "module \"m\" { source = \"./m\" }\nmodule \"m\" { source = \"../\" }".into(),
        "resource \"aws_iam_policy\" \"p\" { policy = <<EOF\n{\"a\": ${x} ${y} \"${z}\nEOF\n}".into(),
        "resource \"aws_iam_policy\" \"p\" { policy = templatefile(\"/etc/passwd\", {}) }".into(),
        "ü = \"é\" # ünïcode\nresource \"aws_lambda_function\" \"é\" { function_name = \"${\"é\"}\" }".into(),
    ];
    for input in inputs {
        let _ = load(&input);
    }
}

/// Fragments of Terraform, so random inputs reach past the parser.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("resource \"aws_lambda_function\" \"f\" {\n".to_string()),
        Just("resource \"aws_iam_role\" \"r\" {\n".to_string()),
        Just("module \"m\" {\n source = \"terraform-aws-modules/lambda/aws\"\n".to_string()),
        Just("data \"aws_iam_policy_document\" \"d\" {\n statement {\n".to_string()),
        Just("locals {\n".to_string()),
        Just("variable \"v\" {\n default = ".to_string()),
        Just("}\n".to_string()),
        Just("policy = jsonencode({ Statement = [".to_string()),
        Just("role = aws_iam_role.r.arn\n".to_string()),
        Just("x = local.x\n".to_string()),
        Just("y = var.v ? 1 : -1\n".to_string()),
        Just("z = \"${var.v}-${data.aws_iam_policy_document.d.json}\"\n".to_string()),
        Just("count = 2\n".to_string()),
        Just("environment { variables = { A = \"b\" } }\n".to_string()),
        Just("# warden:skip=CFG001 reason\n".to_string()),
        "[ -~\n]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_terraform_never_panics(parts in proptest::collection::vec(fragment(), 0..24)) {
        let text: String = parts.concat();
        let loaded = load(&text);
        prop_assert!(loaded.is_template);
    }

    #[test]
    fn random_plans_never_panic(body in "[ -~\n]{0,200}") {
        let text = format!("{{\"format_version\": \"1.0\", \"planned_values\": {body}");
        let _ = warden_tf::load_plan("plan.json", &text);
        let text = format!("{{\"format_version\": \"1.0\", \"terraform_version\": \"1\", \"planned_values\": {{\"root_module\": {{\"resources\": [{{\"address\": \"a.b\", \"mode\": \"managed\", \"type\": \"aws_lambda_function\", \"values\": {body}}}]}}}}}}");
        let _ = warden_tf::load_plan("plan.json", &text);
    }
}

#[test]
fn values_that_grow_exponentially_are_cut_off() {
    let locals: Vec<String> = (0..40)
        .map(|i| format!("  l{i} = [local.l{}, local.l{}]", i + 1, i + 1))
        .collect();
    let text = format!(
        "locals {{\n{}\n  l40 = \"x\"\n}}\nresource \"aws_lambda_function\" \"f\" {{\n  tags = local.l0\n}}\n",
        locals.join("\n")
    );
    let loaded = load(&text);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("too large to analyse")),
        "{:#?}",
        loaded.diagnostics
    );
}

#[test]
fn chains_of_policies_are_evaluated_once_each() {
    let locals: Vec<String> = (0..60)
        .map(|i| format!("  p{i} = var.c ? local.p{} : local.p{}", i + 1, i + 1))
        .collect();
    let documents: Vec<String> = (0..60)
        .map(|i| {
            format!(
                "data \"aws_iam_policy_document\" \"d{i}\" {{\n  source_policy_documents = [data.aws_iam_policy_document.d{}.json, data.aws_iam_policy_document.d{}.json]\n}}",
                i + 1,
                i + 1
            )
        })
        .collect();
    let text = format!(
        "locals {{\n{}\n  p60 = \"{{}}\"\n}}\n{}\nresource \"aws_iam_policy\" \"a\" {{\n  policy = local.p0\n}}\nresource \"aws_iam_policy\" \"b\" {{\n  policy = data.aws_iam_policy_document.d0.json\n}}\n",
        locals.join("\n"),
        documents.join("\n")
    );
    let started = std::time::Instant::now();
    let loaded = load(&text);
    assert_eq!(loaded.inventory.managed_policies.len(), 2);
    assert!(started.elapsed().as_secs() < 5, "took {:?}", started.elapsed());
}

#[test]
fn a_resource_declared_twice_is_an_error() {
    let loaded = warden_tf::load_hcl(&[
        (
            "a.tf".to_string(),
            "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"a\"\n}\n".to_string(),
        ),
        (
            "b.tf".to_string(),
            "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"b\"\n}\n".to_string(),
        ),
    ]);
    assert_eq!(loaded.inventory.functions.len(), 1);
    let error = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "duplicate-resource")
        .expect("reported");
    assert_eq!(error.level, DiagnosticLevel::Error);
    assert_eq!(
        error.origin.as_ref().map(|o| o.to_string()).as_deref(),
        Some("b.tf:1:1")
    );
}
