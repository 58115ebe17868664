//! Loading templates into the Inventory: what a rule author relies on.

use warden_cfn::load;
use warden_model::{DiagnosticLevel, EventSourceKind, RouteAuth, Value};

const SAM_APP: &str = r#"
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: prod}
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        STAGE: !Ref Stage
    Layers: [arn:aws:lambda:us-east-1:111122223333:layer:shared:1]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool: {UserPoolArn: arn:aws:cognito-idp:us-east-1:111122223333:userpool/x}
  Handler:
    Type: AWS::Serverless::Function
    Metadata:
      warden:
        skip:
          - id: CFG003
            reason: no VPC needed
    Properties:
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          TABLE: !Ref Table
      Layers: [!Sub 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:layer:own:2']
      Policies:
        - DynamoDBCrudPolicy: {TableName: !Ref Table}
        - AmazonS3ReadOnlyAccess
        - Statement:
            - Effect: Allow
              Action: sqs:SendMessage
              Resource: '*'
      FunctionUrlConfig:
        AuthType: NONE
        Cors: {AllowOrigins: ['*']}
      Events:
        Public:
          Type: Api
          Properties: {Path: /public, Method: get, RestApiId: !Ref Api, Auth: {Authorizer: NONE}}
        Private:
          Type: Api
          Properties: {Path: /private, Method: post, RestApiId: !Ref Api}
        Implicit:
          Type: Api
          Properties: {Path: /other, Method: get}
        Upload:
          Type: S3
          Properties: {Bucket: !Ref Bucket, Events: s3:ObjectCreated:*}
  Bucket:
    Type: AWS::S3::Bucket
"#;

#[test]
fn sam_function_with_globals_policies_events_and_url() {
    let loaded = load("app/template.yaml", SAM_APP);
    assert!(loaded.is_template);
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let inv = &loaded.inventory;
    let function = inv
        .functions
        .iter()
        .find(|f| f.meta.name == "Handler")
        .expect("function");
    assert_eq!(
        function.runtime.as_ref().and_then(Value::as_str),
        Some("python3.12")
    );
    let env = function.environment.as_ref().expect("environment");
    let names: Vec<&str> = env.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, vec!["STAGE", "TABLE"], "globals merged first");
    assert_eq!(env[0].value.as_str(), Some("prod"));
    assert!(env[1].value.is_unknown());
    assert_eq!(function.layers.len(), 2, "global and local layers are appended");
    assert_eq!(function.meta.skips.len(), 1);
    assert_eq!(function.meta.skips[0].reason.as_deref(), Some("no VPC needed"));

    let role_id = function
        .role
        .as_ref()
        .and_then(|r| r.target.clone())
        .expect("implied role");
    let role = inv.role(&role_id).expect("role in inventory");
    let expanded: Vec<_> = role
        .inline_policies
        .iter()
        .filter_map(|p| p.expanded_from.as_deref())
        .collect();
    assert_eq!(expanded, vec!["DynamoDBCrudPolicy"]);
    let crud = &role.inline_policies[0].document;
    let actions = crud
        .get("Statement")
        .map(|s| s.items()[0].get("Action").map(|a| a.strings().len()));
    assert!(matches!(actions, Some(Some(n)) if n > 5), "{crud:?}");
    let managed: Vec<_> = role
        .managed_policies
        .iter()
        .filter_map(|l| l.value.as_str())
        .collect();
    assert!(
        managed.contains(&"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
        "{managed:?}"
    );
    assert!(managed.contains(&"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"));

    let url = inv.function_urls.first().expect("url");
    assert_eq!(url.auth_type.as_str(), Some("NONE"));
    assert!(
        inv.permissions
            .iter()
            .any(|p| p.principal.as_str() == Some("*") && p.function_url_auth_type.is_some())
    );

    let route = |path: &str| inv.routes.iter().find(|r| r.path == path).expect(path);
    assert_eq!(route("/public").auth, RouteAuth::None);
    assert!(matches!(route("/private").auth, RouteAuth::Cognito { .. }));
    assert_eq!(route("/other").auth, RouteAuth::None);
    assert!(
        route("/other")
            .api
            .target
            .as_deref()
            .is_some_and(|t| t.ends_with("#ServerlessRestApi"))
    );
    assert!(inv.apis.iter().any(|a| a.meta.name == "ServerlessRestApi"));
    assert_eq!(
        inv.stages.len(),
        2,
        "the declared API's stage and the implicit API's stage"
    );

    let s3 = inv
        .event_sources
        .iter()
        .find(|e| e.kind == EventSourceKind::S3)
        .expect("s3 trigger");
    assert_eq!(s3.function.target.as_deref(), Some("app/template.yaml#Handler"));
    let s3_permission = inv
        .permissions
        .iter()
        .find(|p| p.principal.as_str() == Some("s3.amazonaws.com"))
        .expect("s3 permission");
    assert!(s3_permission.source_account.is_some());
}

#[test]
fn plain_cloudformation_permission_and_role_links() {
    let text = r#"{
  "Resources": {
    "Role": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
      "ManagedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}},
    "Fn": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs20.x", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
      "Code": {"ZipFile": "exports.handler = async () => 1"}, "TracingConfig": {"Mode": "Active"}}},
    "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Ref": "Fn"}, "Action": "lambda:InvokeFunction", "Principal": "012345678901"}}
  }
}"#;
    let loaded = load("cfn.json", text);
    assert!(loaded.is_template);
    let inv = &loaded.inventory;
    let function = &inv.functions[0];
    assert_eq!(
        function.role.as_ref().and_then(|r| r.target.as_deref()),
        Some("cfn.json#Role")
    );
    assert_eq!(function.tracing.as_ref().and_then(Value::as_str), Some("Active"));
    let permission = &inv.permissions[0];
    assert_eq!(permission.function.target.as_deref(), Some("cfn.json#Fn"));
    assert_eq!(permission.principal.as_str(), Some("012345678901"));
    assert_eq!(permission.meta.origin.span().start.line, 8);
}

#[test]
fn broken_and_foreign_files() {
    let broken = load(
        "bad.yaml",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n",
    );
    assert!(broken.is_template);
    let error = broken
        .diagnostics
        .iter()
        .find(|d| d.level == DiagnosticLevel::Error)
        .expect("error");
    assert!(
        error.origin.as_ref().is_some_and(|o| o.span().start.line >= 3),
        "{error:?}"
    );

    let duplicate = load(
        "dup.yaml",
        "Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SNS::Topic\n",
    );
    assert!(
        duplicate
            .diagnostics
            .iter()
            .any(|d| d.message.contains("duplicate key `A`"))
    );

    let foreign = load("docker-compose.yml", "services:\n  web:\n    image: nginx\n");
    assert!(!foreign.is_template && foreign.diagnostics.is_empty());

    let empty = load("empty.yaml", "");
    assert!(!empty.is_template);

    let binary = load("x.yaml", "AWSTemplateFormatVersion\0\0\u{1}");
    assert!(binary.diagnostics.iter().any(|d| d.code == "binary-input"));

    let unknown = load(
        "t.yaml",
        "Resources:\n  A:\n    Type: AWS::Serverless::Functoin\n",
    );
    assert!(
        unknown
            .diagnostics
            .iter()
            .any(|d| d.code == "unknown-resource-type")
    );
}

#[test]
fn undecidable_if_keeps_both_branches() {
    let text = "
Parameters:
  Public: {Type: String}
Conditions:
  IsPublic: !Equals [!Ref Public, 'yes']
Resources:
  Url:
    Type: AWS::Lambda::Url
    Properties:
      TargetFunctionArn: arn:aws:lambda:us-east-1:111122223333:function:f
      AuthType: !If [IsPublic, NONE, AWS_IAM]
";
    let loaded = load("t.yaml", text);
    let url = &loaded.inventory.function_urls[0];
    assert_eq!(url.auth_type.strings(), vec!["NONE", "AWS_IAM"]);
    let none = url.auth_type.candidates()[0];
    assert_eq!(none.span.start.line, 11);
}

/// Every template of the public corpus loads or is reported with a reason; none panics.
#[test]
fn corpus_templates_load_or_are_reported() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/serverless-patterns");
    if !root.exists() {
        eprintln!("skipping: corpus not found at {}", root.display());
        return;
    }
    let mut templates = 0;
    let mut reported = 0;
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
            if !matches!(ext, "yaml" | "yml" | "json" | "template") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let loaded = load(&path.display().to_string(), &text);
            if loaded.is_template {
                templates += 1;
                let errors: Vec<_> = loaded
                    .diagnostics
                    .iter()
                    .filter(|d| d.level == DiagnosticLevel::Error)
                    .collect();
                if loaded.inventory.sources.is_empty() {
                    assert!(
                        !errors.is_empty(),
                        "{} neither loaded nor reported",
                        path.display()
                    );
                    for e in &errors {
                        assert!(
                            e.origin.as_ref().is_some_and(|o| o.span().is_known()),
                            "{e:?} has no position"
                        );
                    }
                    reported += 1;
                }
            }
        }
    }
    eprintln!("{templates} templates, {reported} reported with a reason");
    assert!(
        templates >= 500,
        "expected the corpus's ~555 templates, found {templates}"
    );
}

#[test]
fn policies_attached_to_sam_generated_roles_are_linked() {
    let text = "
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Handler: a.b, Runtime: python3.13, CodeUri: src/}
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref FnRole]
      PolicyDocument: {Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}
";
    let loaded = load("t.yaml", text);
    let inv = &loaded.inventory;
    let role = inv
        .roles
        .iter()
        .find(|r| r.meta.id == "t.yaml#Fn.Role")
        .expect("implied role");
    assert_eq!(inv.policies_of_role(role).count(), 1);
}

#[test]
fn roles_and_principals_from_outside_the_template_are_noted() {
    let text = "
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.13, Handler: a.b, Role: !ImportValue shared-role-arn, Code: {ZipFile: x}}
  Perm:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Fn, Action: lambda:InvokeFunction, Principal: !ImportValue partner}
";
    let loaded = load("t.yaml", text);
    let notes: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "unresolved")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("execution role of `Fn`")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("principal of permission `Perm`")),
        "{notes:?}"
    );
}

#[test]
fn sam_policies_under_an_undecided_if_expand_every_branch() {
    let text = "
Transform: AWS::Serverless-2016-10-31
Parameters:
  Admin: {Type: String}
Conditions:
  IsAdmin: !Equals [!Ref Admin, 'yes']
Resources:
  Table: {Type: AWS::DynamoDB::Table}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      Runtime: python3.13
      CodeUri: src/
      Policies: !If
        - IsAdmin
        - [AdministratorAccess]
        - [DynamoDBReadPolicy: {TableName: !Ref Table}]
";
    let loaded = load("t.yaml", text);
    let role = &loaded.inventory.roles[0];
    let managed: Vec<_> = role
        .managed_policies
        .iter()
        .filter_map(|l| l.value.as_str())
        .collect();
    assert!(
        managed.contains(&"arn:aws:iam::aws:policy/AdministratorAccess"),
        "{managed:?}"
    );
    assert_eq!(role.inline_policies.len(), 1);
    assert_eq!(
        role.inline_policies[0].expanded_from.as_deref(),
        Some("DynamoDBReadPolicy")
    );
}

#[test]
fn permissions_on_an_alias_reach_its_function() {
    let text = "
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.13, Handler: a.b, Role: arn:aws:iam::111122223333:role/r, Code: {ZipFile: x}}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Fn, FunctionVersion: '1', Name: live}
  Perm:
    Type: AWS::Lambda::Permission
    Properties: {FunctionName: !Ref Live, Action: lambda:InvokeFunction, Principal: '*'}
";
    let loaded = load("t.yaml", text);
    assert_eq!(
        loaded.inventory.permissions[0].function.target.as_deref(),
        Some("t.yaml#Fn")
    );
    assert_eq!(
        loaded.inventory.aliases[0].function.target.as_deref(),
        Some("t.yaml#Fn")
    );
}
