//! The same small service written as SAM and as `serverless.yml` gives the same Inventory for
//! what rules read, and the same findings.
//!
//! Two differences are the frameworks', not the loaders': the Serverless Framework creates a
//! log group per function (SAM leaves it to Lambda, outside the template), so `MON` findings on
//! those log groups exist only for the Serverless service; and its shared role gets the grants
//! the framework adds for its functions (writing logs, X-Ray, decrypting with a function's KMS
//! key) as inline statements, where SAM attaches managed policies to one role per function.

mod common;

use std::collections::BTreeSet;

use warden_model::{Function, Inventory, RouteAuth};

const SAM: &str = r#"
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: shop-dev-Api
      Handler: orders.handler
      Runtime: python3.8
      Environment:
        Variables:
          DB_PASSWORD: hunter2-supersecret
          TABLE: orders
      FunctionUrlConfig:
        AuthType: NONE
        Cors:
          AllowOrigins: ['*']
      Policies:
        - Statement:
            - Effect: Allow
              Action: '*'
              Resource: '*'
      Events:
        List:
          Type: HttpApi
          Properties:
            Path: /orders
            Method: GET
        Nightly:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
        Alerts:
          Type: SNS
          Properties:
            Topic: arn:aws:sns:eu-west-1:123456789012:alerts
  Hardened:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: shop-dev-Hardened
      Handler: hardened.handler
      Runtime: python3.13
      Role: arn:aws:iam::123456789012:role/hardened
      KmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/k
      ReservedConcurrentExecutions: 5
      Tracing: Active
      CodeSigningConfigArn: arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-1
      VpcConfig:
        SecurityGroupIds: [sg-1]
        SubnetIds: [subnet-a, subnet-b]
      Environment:
        Variables:
          SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
"#;

const SERVERLESS: &str = r#"
service: shop
provider:
  name: aws
  runtime: python3.8
  timeout: 10
  iam:
    role:
      statements:
        - Effect: Allow
          Action: '*'
          Resource: '*'
functions:
  Api:
    handler: orders.handler
    url:
      cors: true
    environment:
      DB_PASSWORD: hunter2-supersecret
      TABLE: orders
    events:
      - httpApi: GET /orders
      - schedule: rate(1 day)
      - sns: arn:aws:sns:eu-west-1:123456789012:alerts
  Hardened:
    handler: hardened.handler
    runtime: python3.13
    role: arn:aws:iam::123456789012:role/hardened
    kmsKeyArn: arn:aws:kms:eu-west-1:123456789012:key/k
    reservedConcurrency: 5
    tracing: Active
    codeSigningConfigArn: arn:aws:lambda:eu-west-1:123456789012:code-signing-config:csc-1
    vpc:
      securityGroupIds: [sg-1]
      subnetIds: [subnet-a, subnet-b]
    environment:
      SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db
"#;

/// What rules read of a function, in a comparable form.
fn function_view(inv: &Inventory, f: &Function) -> Vec<String> {
    let text = |v: Option<&warden_model::Value>| v.map(|v| v.to_json().to_string()).unwrap_or_default();
    let mut view = vec![
        format!("name={}", f.meta.name),
        format!("function_name={}", text(f.function_name.as_ref())),
        format!("runtime={}", text(f.runtime.as_ref())),
        format!("handler={}", text(f.handler.as_ref())),
        format!("timeout={}", text(f.timeout.as_ref())),
        format!("kms={}", text(f.kms_key.as_ref())),
        format!("reserved={}", text(f.reserved_concurrency.as_ref())),
        format!("dlq={}", text(f.dead_letter_target.as_ref())),
        format!("tracing={}", text(f.tracing.as_ref())),
        format!("signing={}", text(f.code_signing_config.as_ref())),
        format!(
            "vpc={:?}",
            f.vpc
                .as_ref()
                .map(|v| (v.subnet_ids.to_json(), v.security_group_ids.to_json()))
        ),
        format!(
            "env={:?}",
            f.environment.as_ref().map(|e| e
                .iter()
                .map(|v| (v.name.clone(), v.value.to_json()))
                .collect::<Vec<_>>())
        ),
        format!(
            "role_external={}",
            f.role.as_ref().is_some_and(|r| r.target.is_none())
        ),
    ];
    // The user's own role statements, without the grants each framework adds its own way.
    let generated = ["logs:", "xray:PutT", "kms:Decrypt"];
    if let Some(role) = f
        .role
        .as_ref()
        .and_then(|r| r.target.as_deref())
        .and_then(|id| inv.role(id))
    {
        let mut statements: Vec<String> = common::statements(role)
            .into_iter()
            .filter(|s| !generated.iter().any(|g| s["Action"].to_string().contains(g)))
            .map(|s| s.to_string())
            .collect();
        statements.sort();
        view.push(format!("statements={statements:?}"));
    }
    for url in inv
        .function_urls
        .iter()
        .filter(|u| u.function.target.as_deref() == Some(&f.meta.id))
    {
        view.push(format!(
            "url auth={} origins={}",
            text(Some(&url.auth_type)),
            text(url.cors.as_ref().and_then(|c| c.allow_origins.as_ref()))
        ));
    }
    let mut permissions: Vec<String> = inv
        .permissions
        .iter()
        .filter(|p| p.function.target.as_deref() == Some(&f.meta.id))
        .map(|p| {
            format!(
                "permission {} {} arn={} account={} url={}",
                text(Some(&p.principal)),
                text(Some(&p.action)),
                p.source_arn.is_some(),
                p.source_account.is_some(),
                text(p.function_url_auth_type.as_ref()),
            )
        })
        .collect();
    permissions.sort();
    view.extend(permissions);
    let mut routes: Vec<String> = inv
        .routes
        .iter()
        .filter(|r| r.function.as_ref().and_then(|l| l.target.as_deref()) == Some(&f.meta.id))
        .map(|r| {
            let auth = match r.auth {
                RouteAuth::None => "none",
                RouteAuth::Iam => "iam",
                RouteAuth::Cognito { .. } => "cognito",
                RouteAuth::Lambda { .. } => "lambda",
                RouteAuth::Jwt { .. } => "jwt",
                RouteAuth::Unknown(_) => "unknown",
            };
            format!("route {} {} {auth} key={}", r.method, r.path, r.api_key_required)
        })
        .collect();
    routes.sort();
    view.extend(routes);
    let mut triggers: Vec<String> = inv
        .event_sources_of(&f.meta.id)
        .map(|e| format!("trigger {:?} {}", e.kind, text(e.source.as_ref())))
        .collect();
    triggers.sort();
    view.extend(triggers);
    view
}

fn functions_view(inv: &Inventory) -> Vec<Vec<String>> {
    let mut views: Vec<Vec<String>> = inv.functions.iter().map(|f| function_view(inv, f)).collect();
    views.sort();
    views
}

#[test]
fn the_inventory_rules_read_is_the_same_as_sam() {
    let sam = warden_cfn::load("template.yaml", SAM);
    assert!(sam.is_template);
    let sls = common::load(SERVERLESS);
    assert_eq!(functions_view(&sam.inventory), functions_view(&sls.inventory));
    // Stages rules judge: neither sets throttling or access logs on its HTTP API.
    let stage = |inv: &Inventory| {
        inv.stages
            .iter()
            .map(|s| {
                (
                    s.throttling_rate_limit.is_some(),
                    s.access_log_destination.is_some(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(stage(&sam.inventory), stage(&sls.inventory));
}

#[test]
fn the_findings_are_the_same_as_sam() {
    let sam = warden_cfn::load("template.yaml", SAM);
    let sls = common::load(SERVERLESS);
    // Each format names the role and the API its own way.
    let same_names = |(rule, resource): (String, String)| {
        let resource = match resource.as_str() {
            "IamRoleLambdaExecution" => "Api".to_string(),
            "ServerlessHttpApi" => "HttpApi".to_string(),
            _ => resource,
        };
        (rule, resource)
    };
    let of = |inv: &Inventory| -> BTreeSet<(String, String)> {
        common::findings(inv)
            .into_iter()
            .filter(|(rule, _)| !rule.starts_with("MON"))
            .map(same_names)
            .collect()
    };
    let sam_findings = of(&sam.inventory);
    let sls_findings = of(&sls.inventory);
    assert_eq!(sam_findings, sls_findings);
    for expected in [
        ("ACC004", "Api"),
        ("ACC005", "Api"),
        ("ACC006", "Api"),
        ("CFG001", "Api"),
        ("CFG007", "Api"),
        ("CFG008", "Api"),
        ("IAM001", "Api"),
    ] {
        assert!(
            sls_findings.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} missing from {sls_findings:#?}"
        );
    }
    assert!(
        !sls_findings.iter().any(|(_, resource)| resource == "Hardened"),
        "{sls_findings:#?}"
    );
}
