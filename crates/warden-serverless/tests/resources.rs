//! `resources:` merged through the CloudFormation loader: its resources are in the Inventory,
//! references between them and the framework's generated resources resolve both ways, and
//! a resource named like a generated one is merged into it.

mod common;

use common::{function, has_finding, id, inventory, load, permission, role, text};
use warden_model::DiagnosticLevel;

const SERVICE: &str = r#"
service: s
provider:
  name: aws
  runtime: nodejs20.x
functions:
  hello:
    handler: h.hello
    role: !GetAtt HelloRole.Arn
    onError: !Ref DeadLetters
    environment:
      QUEUE_URL: !Ref Jobs
      TOPIC: !GetAtt Alerts.TopicName
  other:
    handler: h.other
resources:
  Resources:
    HelloRole:
      Type: AWS::IAM::Role
      Properties:
        AssumeRolePolicyDocument:
          Statement:
            - Effect: Allow
              Principal: {Service: lambda.amazonaws.com}
              Action: sts:AssumeRole
        Policies:
          - PolicyName: invoke-other
            PolicyDocument:
              Statement:
                - Effect: Allow
                  Action: lambda:InvokeFunction
                  Resource: !GetAtt OtherLambdaFunction.Arn
    DeadLetters:
      Type: AWS::SNS::Topic
    Jobs:
      Type: AWS::SQS::Queue
    Alerts:
      Type: AWS::SNS::Topic
    PublicInvoke:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !GetAtt HelloLambdaFunction.Arn
        Action: lambda:InvokeFunction
        Principal: "*"
    SharedRolePolicy:
      Type: AWS::IAM::Policy
      Properties:
        PolicyName: extra
        Roles: [!Ref IamRoleLambdaExecution]
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: arn:aws:s3:::bucket/*
    HelloLogGroup:
      Properties:
        RetentionInDays: 30
        KmsKeyId: arn:aws:kms:eu-west-1:123456789012:key/logs
  extensions:
    OtherLogGroup:
      Properties:
        RetentionInDays: 7
  Outputs:
    HelloArn:
      Value: !GetAtt HelloLambdaFunction.Arn
"#;

#[test]
fn function_properties_refer_to_resources() {
    let inv = inventory(SERVICE);
    let hello = function(&inv, "hello");
    assert_eq!(
        hello.role.as_ref().and_then(|r| r.target.as_deref()),
        Some(id("HelloRole").as_str())
    );
    let dlq = hello
        .dead_letter_target
        .as_ref()
        .and_then(|d| d.as_unknown())
        .expect("reference");
    assert_eq!(dlq.refs, vec!["DeadLetters".to_string()]);
    let queue = hello
        .environment
        .as_ref()
        .and_then(|e| e.iter().find(|v| v.name == "QUEUE_URL"))
        .and_then(|v| v.value.as_unknown())
        .expect("reference");
    assert_eq!(queue.expr, "!Ref Jobs");
    assert_eq!(role(&inv, "HelloRole").meta.name, "HelloRole");
    assert!(role(&inv, "HelloRole").meta.implied_by.is_none());
}

#[test]
fn resources_refer_to_generated_functions_and_roles() {
    let inv = inventory(SERVICE);
    let public = permission(&inv, "PublicInvoke");
    assert_eq!(public.meta.name, "PublicInvoke");
    assert_eq!(
        public.function.target.as_deref(),
        Some(id("HelloLambdaFunction").as_str())
    );
    assert!(has_finding(&inv, "ACC001", "PublicInvoke"));
    let shared = role(&inv, "IamRoleLambdaExecution");
    let attached: Vec<&str> = inv
        .policies_of_role(shared)
        .map(|p| p.meta.name.as_str())
        .collect();
    assert_eq!(attached, vec!["SharedRolePolicy"]);
}

#[test]
fn a_resource_named_like_a_generated_one_is_merged_into_it() {
    let inv = inventory(SERVICE);
    let groups: Vec<_> = inv.log_groups.iter().filter(|g| g.meta.name == "hello").collect();
    assert_eq!(groups.len(), 1, "merged, not duplicated");
    let group = groups[0];
    assert_eq!(group.meta.id, id("HelloLogGroup"));
    assert_eq!(
        text(group.log_group_name.as_ref()).as_deref(),
        Some("/aws/lambda/s-dev-hello")
    );
    assert_eq!(text(group.retention_in_days.as_ref()).as_deref(), Some("30"));
    assert!(group.kms_key.is_some());
    assert!(!has_finding(&inv, "MON001", "hello"));
    assert!(!has_finding(&inv, "MON002", "hello"));
    let other = inv
        .log_groups
        .iter()
        .find(|g| g.meta.name == "other")
        .expect("log group");
    assert_eq!(
        text(other.retention_in_days.as_ref()).as_deref(),
        Some("7"),
        "extensions apply"
    );
}

#[test]
fn resources_as_a_list_of_files_are_noted_and_the_rest_is_read() {
    let loaded = load(
        r#"
service: s
provider: {name: aws, runtime: nodejs20.x}
functions: ${file(./functions.yml)}
resources:
  - ${file(./roles.yml)}
  - Resources:
      Queue:
        Type: AWS::SQS::Queue
      Broken: ${file(./broken.yml)}
"#,
    );
    let notes = common::diagnostics(&loaded, DiagnosticLevel::Note);
    for needle in ["functions.yml", "roles.yml", "broken.yml"] {
        assert!(
            notes.iter().any(|n| n.contains(needle)),
            "{needle} not noted in {notes:#?}"
        );
    }
    assert!(loaded.inventory.functions.is_empty());
}
