//! Escalation fixtures: every path found, every near-miss not flagged.

use warden_iam::escalation::{EscalationPath, Method, escalation_paths};

const HEADER: &str = "
Resources:
  AdminRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  AdminFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: a.b
      Role: !GetAtt AdminRole.Arn
      Code: {ZipFile: x}
      Tags: [{Key: team, Value: payments}]
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement: [{Effect: Allow, Action: logs:PutLogEvents, Resource: 'arn:aws:logs:*:*:*'}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: a.b
      Role: !GetAtt LowRole.Arn
      Code: {ZipFile: x}
  LowRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: app
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
";

/// A template whose function `Fn` runs as `LowRole` with these statements.
fn paths(statements: &str) -> Vec<EscalationPath> {
    let text = format!("{HEADER}{statements}");
    let loaded = warden_cfn::load("t.yaml", &text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    escalation_paths(&loaded.inventory)
        .into_iter()
        .filter(|p| p.function == "t.yaml#Fn")
        .collect()
}

fn methods(paths: &[EscalationPath]) -> Vec<Vec<Method>> {
    paths
        .iter()
        .map(|p| p.steps.iter().map(|s| s.method).collect())
        .collect()
}

#[test]
fn passrole_create_invoke_reaches_admin() {
    let p = paths(
        "              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt AdminRole.Arn}
              - {Effect: Allow, Action: [lambda:CreateFunction, lambda:InvokeFunction], Resource: '*'}
",
    );
    assert_eq!(methods(&p), vec![vec![Method::PassRoleToNewFunction]]);
    assert!(p[0].to_admin);
    assert!(p[0].steps[0].to.ends_with("#AdminRole"));
}

#[test]
fn passrole_with_event_source_mapping_instead_of_invoke() {
    let p = paths(
        "              - {Effect: Allow, Action: iam:PassRole, Resource: '*'}
              - {Effect: Allow, Action: [lambda:CreateFunction, lambda:CreateEventSourceMapping], Resource: '*'}
",
    );
    assert!(
        methods(&p).contains(&vec![Method::PassRoleToNewFunction]),
        "{p:?}"
    );
}

#[test]
fn near_miss_passrole_scoped_to_an_ordinary_role() {
    let p = paths(
        "              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt WorkerRole.Arn}
              - {Effect: Allow, Action: [lambda:CreateFunction, lambda:InvokeFunction], Resource: '*'}
",
    );
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn near_miss_passrole_only_to_another_service() {
    let p = paths(
        "              - Effect: Allow
                Action: iam:PassRole
                Resource: !GetAtt AdminRole.Arn
                Condition: {StringEquals: {iam:PassedToService: ec2.amazonaws.com}}
              - {Effect: Allow, Action: [lambda:CreateFunction, lambda:InvokeFunction], Resource: '*'}
",
    );
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn near_miss_passrole_without_create_function() {
    let p = paths(
        "              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt AdminRole.Arn}
              - {Effect: Allow, Action: lambda:InvokeFunction, Resource: '*'}
",
    );
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn update_code_of_a_more_privileged_function() {
    let p = paths(
        "              - {Effect: Allow, Action: lambda:UpdateFunctionCode, Resource: !GetAtt AdminFunction.Arn}
",
    );
    assert_eq!(methods(&p), vec![vec![Method::UpdateFunctionCode]]);
    assert!(p[0].steps[0].through.contains("AdminFunction"));
}

#[test]
fn near_miss_update_code_limited_by_a_tag_condition() {
    let p = paths(
        "              - Effect: Allow
                Action: lambda:UpdateFunctionCode
                Resource: '*'
                Condition: {StringEquals: {aws:ResourceTag/team: orders}}
",
    );
    assert!(p.is_empty(), "{p:?}");
}

#[test]
fn update_configuration_counts_too() {
    let p = paths(
        "              - {Effect: Allow, Action: lambda:UpdateFunctionConfiguration, Resource: !GetAtt AdminFunction.Arn}
",
    );
    assert_eq!(methods(&p), vec![vec![Method::UpdateFunctionConfiguration]]);
}

#[test]
fn writing_its_own_policy_is_admin() {
    let p = paths(
        "              - {Effect: Allow, Action: iam:PutRolePolicy, Resource: '*'}
",
    );
    assert_eq!(methods(&p), vec![vec![Method::ModifyOwnPolicy]]);
    assert!(p[0].to_admin);
}

#[test]
fn assume_role_needs_the_trust_policy_too() {
    let p = paths(
        "              - {Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt AdminRole.Arn}
",
    );
    assert!(p.is_empty(), "AdminRole trusts only Lambda: {p:?}");
    let text = format!(
        "{}              - {{Effect: Allow, Action: sts:AssumeRole, Resource: !GetAtt AdminRole.Arn}}\n",
        HEADER.replace(
            "Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n      ManagedPolicyArns",
            "Statement: [{Effect: Allow, Principal: {AWS: !GetAtt LowRole.Arn}, Action: sts:AssumeRole}]\n      ManagedPolicyArns",
        )
    );
    let loaded = warden_cfn::load("t.yaml", &text);
    let p: Vec<_> = escalation_paths(&loaded.inventory)
        .into_iter()
        .filter(|p| p.function == "t.yaml#Fn")
        .collect();
    assert_eq!(methods(&p), vec![vec![Method::AssumeRole]]);
}

#[test]
fn two_step_path_through_an_intermediate_role() {
    // Fn's role can update MidFunction (running as MidRole), and MidRole can pass AdminRole.
    let text = format!(
        "{HEADER}              - {{Effect: Allow, Action: lambda:UpdateFunctionCode, Resource: !GetAtt MidFunction.Arn}}
  MidFunction:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: a.b
      Role: !GetAtt MidRole.Arn
      Code: {{ZipFile: x}}
  MidRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{{Effect: Allow, Principal: {{Service: lambda.amazonaws.com}}, Action: sts:AssumeRole}}]
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - {{Effect: Allow, Action: iam:PassRole, Resource: !GetAtt AdminRole.Arn}}
              - {{Effect: Allow, Action: [lambda:CreateFunction, lambda:InvokeFunction], Resource: '*'}}
"
    );
    let loaded = warden_cfn::load("t.yaml", &text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let p: Vec<_> = escalation_paths(&loaded.inventory)
        .into_iter()
        .filter(|p| p.function == "t.yaml#Fn")
        .collect();
    assert!(
        methods(&p).contains(&vec![Method::UpdateFunctionCode, Method::PassRoleToNewFunction]),
        "{:?}",
        methods(&p)
    );
}

#[test]
fn new_version_of_an_attached_managed_policy_is_admin() {
    let text = format!(
        "{HEADER}              - {{Effect: Allow, Action: iam:CreatePolicyVersion, Resource: !Ref AppPolicy}}
  AppPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      Roles: [!Ref LowRole]
      PolicyDocument:
        Statement: [{{Effect: Allow, Action: s3:GetObject, Resource: 'arn:aws:s3:::b/*'}}]
"
    );
    let loaded = warden_cfn::load("t.yaml", &text);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let p: Vec<_> = escalation_paths(&loaded.inventory)
        .into_iter()
        .filter(|p| p.function == "t.yaml#Fn")
        .collect();
    assert_eq!(methods(&p), vec![vec![Method::ModifyOwnPolicy]]);
    // A version of a policy that is not attached to the role gives nothing.
    let detached = text.replace("Roles: [!Ref LowRole]", "Roles: [!Ref WorkerRole]");
    let loaded = warden_cfn::load("t.yaml", &detached);
    let p: Vec<_> = escalation_paths(&loaded.inventory)
        .into_iter()
        .filter(|p| p.function == "t.yaml#Fn")
        .collect();
    assert!(p.is_empty(), "{p:?}");
}
