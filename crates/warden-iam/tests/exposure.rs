//! Who can invoke a function: one case per principal type and condition key.

use warden_iam::exposure::{Exposure, Reach, Via, condition_pins_caller, function_exposure};
use warden_model::Value;

fn exposure(template: &str, function: &str) -> Exposure {
    let loaded = warden_cfn::load("t.yaml", template);
    assert!(loaded.is_template, "{:?}", loaded.diagnostics);
    let id = format!("t.yaml#{function}");
    function_exposure(&loaded.inventory)
        .into_iter()
        .find(|e| e.function == id)
        .expect("function")
}

fn with_permission(properties: &str) -> String {
    format!(
        "Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {{Runtime: python3.13, Handler: a.b, Role: arn:aws:iam::111122223333:role/r, Code: {{ZipFile: x}}}}
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
{properties}
"
    )
}

fn reaches(props: &str) -> Vec<Reach> {
    exposure(&with_permission(props), "Fn")
        .grants
        .into_iter()
        .map(|g| g.reach)
        .collect()
}

#[test]
fn principal_star_without_condition_is_public() {
    assert_eq!(reaches("      Principal: '*'"), vec![Reach::Public]);
}

#[test]
fn principal_star_with_source_limits() {
    assert_eq!(
        reaches("      Principal: '*'\n      SourceAccount: '111122223333'"),
        vec![Reach::Limited("SourceAccount (aws:SourceAccount)".into())]
    );
    assert_eq!(
        reaches("      Principal: '*'\n      PrincipalOrgID: o-abc123"),
        vec![Reach::Organizations(vec!["o-abc123".into()])]
    );
}

#[test]
fn account_principals_are_accounts() {
    assert_eq!(
        reaches("      Principal: '444455556666'"),
        vec![Reach::Accounts(vec!["444455556666".into()])]
    );
    assert_eq!(
        reaches("      Principal: arn:aws:iam::444455556666:role/partner"),
        vec![Reach::Accounts(vec!["444455556666".into()])]
    );
}

#[test]
fn service_principals_need_a_source_condition() {
    let deputy = reaches("      Principal: sns.amazonaws.com");
    assert_eq!(
        deputy,
        vec![Reach::Service {
            service: "sns.amazonaws.com".into(),
            pinned_by: None
        }]
    );
    assert!(deputy[0].describe().contains("confused deputy"));
    let pinned = reaches(
        "      Principal: sns.amazonaws.com\n      SourceArn: arn:aws:sns:us-east-1:111122223333:topic",
    );
    assert!(matches!(
        &pinned[0],
        Reach::Service {
            pinned_by: Some(_),
            ..
        }
    ));
}

#[test]
fn s3_needs_the_source_account() {
    let arn_only = reaches("      Principal: s3.amazonaws.com\n      SourceArn: arn:aws:s3:::bucket");
    assert_eq!(
        arn_only,
        vec![Reach::Service {
            service: "s3.amazonaws.com".into(),
            pinned_by: None
        }]
    );
    let with_account = reaches(
        "      Principal: s3.amazonaws.com\n      SourceArn: arn:aws:s3:::bucket\n      SourceAccount: '111122223333'",
    );
    assert!(matches!(
        &with_account[0],
        Reach::Service {
            pinned_by: Some(_),
            ..
        }
    ));
}

#[test]
fn unknown_principals_stay_unknown() {
    let r = reaches("      Principal: !ImportValue partner-account");
    assert!(matches!(&r[0], Reach::Unknown(_)), "{r:?}");
}

#[test]
fn function_urls_and_routes() {
    let template = "
Transform: AWS::Serverless-2016-10-31
Resources:
  Public:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: a.b
      CodeUri: src/
      FunctionUrlConfig: {AuthType: NONE}
      Events:
        Get: {Type: HttpApi, Properties: {Path: /x, Method: get}}
  Private:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: a.b
      CodeUri: src/
      FunctionUrlConfig: {AuthType: AWS_IAM}
";
    let public = exposure(template, "Public");
    assert!(public.is_public());
    let url = public
        .grants
        .iter()
        .find(|g| matches!(g.via, Via::FunctionUrl { .. }))
        .expect("url grant");
    assert_eq!(url.reach, Reach::Public);
    let route = public
        .grants
        .iter()
        .find(|g| matches!(g.via, Via::Route { .. }))
        .expect("route grant");
    assert_eq!(route.reach, Reach::Public);
    let private = exposure(template, "Private");
    assert!(!private.is_public(), "{private:?}");
}

#[test]
fn which_conditions_pin_the_caller() {
    let pins = |json: serde_json::Value| condition_pins_caller(&Value::from_json(&json));
    assert!(pins(serde_json::json!({"StringEquals": {"aws:SourceAccount": "111122223333"}})).is_some());
    assert!(
        pins(serde_json::json!({"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}})).is_some(),
        "keys ignore case"
    );
    assert!(
        pins(serde_json::json!({"StringNotEquals": {"aws:SourceAccount": "111122223333"}})).is_none(),
        "negated"
    );
    assert!(
        pins(serde_json::json!({"StringLike": {"aws:PrincipalArn": "*"}})).is_none(),
        "wildcard is not fixed"
    );
    assert!(
        pins(serde_json::json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})).is_none(),
        "too wide"
    );
    assert!(pins(serde_json::json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})).is_some());
    assert!(
        pins(serde_json::json!({"Bool": {"aws:SecureTransport": "true"}})).is_none(),
        "does not pin the caller"
    );
    assert!(pins(serde_json::json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c"}})).is_some());
}

#[test]
fn a_condition_an_undecided_if_may_drop_does_not_limit() {
    let template = "
Parameters:
  Org: {Type: String}
Conditions:
  HasOrg: !Not [!Equals [!Ref Org, '']]
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.13, Handler: a.b, Role: arn:aws:iam::111122223333:role/r, Code: {ZipFile: x}}
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: '*'
      PrincipalOrgID: !If [HasOrg, !Ref Org, !Ref AWS::NoValue]
";
    let reach: Vec<Reach> = exposure(template, "Fn")
        .grants
        .into_iter()
        .map(|g| g.reach)
        .collect();
    assert_eq!(reach, vec![Reach::Public]);
}
