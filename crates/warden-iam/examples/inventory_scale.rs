//! Whole-inventory exposure and escalation analysis at scale: a synthetic account of
//! FUNCTIONS functions and ROLES roles (defaults 10,000 and 2,000). Prints the time of each
//! analysis; run under `/usr/bin/time -v` for peak memory (see BENCHMARKS.md).

use std::sync::Arc;
use std::time::Instant;

use warden_iam::escalation::escalation_paths;
use warden_iam::exposure::function_exposure;
use warden_model::{Function, InlinePolicy, Inventory, Link, Meta, Origin, Permission, Role, Value};

fn meta(kind: &str, name: &str) -> Meta {
    let arn = format!("arn:aws:{kind}:us-east-1:111122223333:{name}");
    Meta {
        id: arn.clone(),
        name: name.to_string(),
        resource_type: kind.to_string(),
        origin: Origin::Aws {
            arn,
            region: "us-east-1".into(),
        },
        implied_by: None,
        skips: Vec::new(),
    }
}

fn policy(statements: serde_json::Value) -> Value {
    Value::from_json(&serde_json::json!({"Version": "2012-10-17", "Statement": statements}))
}

fn role(i: usize) -> Role {
    let name = format!("role-{i}");
    let table = format!("arn:aws:dynamodb:us-east-1:111122223333:table/t{i}");
    let mut statements = vec![
        serde_json::json!({"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], "Resource": table}),
        serde_json::json!({"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:*:*:*"}),
    ];
    // A few roles carry escalation-relevant grants, as real accounts do.
    match i % 100 {
        0 => statements.push(serde_json::json!({"Effect": "Allow", "Action": "*", "Resource": "*"})),
        1 => statements.push(serde_json::json!({"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"})),
        2 => statements.push(serde_json::json!({"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "payments"}}})),
        3 => statements.push(serde_json::json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": format!("arn:aws:iam::111122223333:role/role-{}", i + 1)})),
        _ => {}
    }
    let m = meta("iam", &format!("role/{name}"));
    Role {
        role_name: Some(Value::from_json(&serde_json::json!(name))),
        trust_policy: Some(policy(
            serde_json::json!([{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
        )),
        inline_policies: vec![InlinePolicy {
            name: "app".into(),
            document: policy(serde_json::Value::Array(statements)),
            origin: m.origin.clone(),
            expanded_from: None,
        }],
        managed_policies: Vec::new(),
        permissions_boundary: None,
        meta: m,
    }
}

fn main() {
    let functions: usize = std::env::var("FUNCTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let roles: usize = std::env::var("ROLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let mut inv = Inventory {
        roles: (0..roles).map(role).collect(),
        ..Inventory::default()
    };
    for i in 0..functions {
        let role = &inv.roles[i % roles];
        let mut f_meta = meta("lambda", &format!("function:f{i}"));
        f_meta.name = format!("f{i}");
        let function = Function {
            meta: f_meta.clone(),
            function_name: Some(Value::from_json(&serde_json::json!(format!("f{i}")))),
            runtime: None,
            handler: None,
            architectures: None,
            memory_size: None,
            timeout: None,
            environment: None,
            environment_span: Default::default(),
            kms_key: None,
            vpc: None,
            reserved_concurrency: None,
            dead_letter_target: None,
            tracing: None,
            layers: Vec::new(),
            code_signing_config: None,
            tags: vec![(
                "team".into(),
                Value::from_json(&serde_json::json!(if i % 7 == 0 { "payments" } else { "orders" })),
            )],
            package_type: None,
            code: None,
            role: Some(Link {
                target: Some(role.meta.id.clone()),
                value: Value::from_json(&serde_json::json!(role.meta.id)),
            }),
            auto_publish_alias: None,
        };
        let principal = if i % 50 == 0 { "*" } else { "s3.amazonaws.com" };
        inv.permissions.push(Permission {
            meta: meta("lambda", &format!("function:f{i}/permission")),
            function: Link {
                target: Some(f_meta.id.clone()),
                value: Value::from_json(&serde_json::json!(f_meta.id)),
            },
            action: Value::from_json(&serde_json::json!("lambda:InvokeFunction")),
            principal: Value::from_json(&serde_json::json!(principal)),
            source_arn: None,
            source_account: (i % 3 == 0).then(|| Value::from_json(&serde_json::json!("111122223333"))),
            principal_org_id: None,
            function_url_auth_type: None,
            event_source_token: None,
            condition: None,
        });
        inv.functions.push(function);
    }
    let inv = Arc::new(inv);
    let start = Instant::now();
    let exposure = function_exposure(&inv);
    let exposure_time = start.elapsed();
    let start = Instant::now();
    let paths = escalation_paths(&inv);
    let escalation_time = start.elapsed();
    let public = exposure.iter().filter(|e| e.is_public()).count();
    println!("functions={functions} roles={roles}");
    println!(
        "exposure: {:.3} s ({public} public functions)",
        exposure_time.as_secs_f64()
    );
    println!(
        "escalation: {:.3} s ({} paths)",
        escalation_time.as_secs_f64(),
        paths.len()
    );
    println!("total: {:.3} s", (exposure_time + escalation_time).as_secs_f64());
}
