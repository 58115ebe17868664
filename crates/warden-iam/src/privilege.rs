//! Least-privilege analysis of identity policies (execution roles): what a policy actually
//! grants, judged with the action catalog rather than by matching strings. Wildcards are
//! expanded to the actions they cover; actions that take no resource (only `*` can grant
//! them) are never blamed for `Resource: "*"`; a statement whose conditions scope the
//! resource (resource tags, resource account / organization) is not "on every resource".

use warden_model::Span;

use crate::catalog::{AccessLevel, ActionInfo, catalog};
use crate::lint::any_resource;
use crate::pattern::has_wildcard;
use crate::policy::{Effect, Matcher, Policy, Statement, Text};

/// What kind of excess privilege a statement grants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PrivilegeKind {
    /// Every action on every resource (`*`), or `Allow` + `NotAction` on every resource.
    EffectiveAdmin,
    /// Every action of one service (`s3:*`) on every resource.
    ServiceWildcard { service: String },
    /// Write actions that could be scoped, on every resource.
    WriteOnAnyResource,
    /// Permissions-management actions (IAM writes, resource policies) on every resource.
    PermissionsManagementOnAnyResource,
    /// Reading data or secrets anywhere (`s3:GetObject`, `secretsmanager:GetSecretValue`).
    DataExfiltration,
    /// Minting or exposing credentials (`iam:CreateAccessKey`, `sts:AssumeRole` on `*`).
    CredentialsExposure,
    /// `iam:PassRole` on every role.
    PassRoleAnyRole,
    /// `Allow` with `NotAction`.
    AllowNotAction,
    /// An action no AWS service defines (a typo, or an action AWS retired).
    UnknownAction { suggestion: Option<String> },
    /// A resource ARN that fits none of the action's resource types.
    ResourceMismatch,
    /// A condition key that none of the statement's actions supports.
    ConditionKeyNotApplicable { key: String },
}

/// One excess grant, on one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivilegeIssue {
    pub kind: PrivilegeKind,
    pub statement: usize,
    pub span: Span,
    /// The actions concerned (expanded from wildcards; at most a few, for messages).
    pub actions: Vec<String>,
    pub message: String,
}

/// Actions that read data or secrets: on every resource they let a compromised function take
/// whatever the account holds.
const DATA_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "lambda:GetFunction",
    "sqs:ReceiveMessage",
    "kinesis:GetRecords",
    "rds-db:connect",
];

/// Actions that create or hand out credentials.
const CREDENTIAL_ACTIONS: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "sts:AssumeRole",
    "sts:GetFederationToken",
    "redshift:GetClusterCredentials",
    "cognito-identity:GetCredentialsForIdentity",
];

/// Actions AWS's own Lambda execution policies grant on `*` (AWSLambdaVPCAccessExecutionRole,
/// AWSXrayWriteOnlyAccess, CloudWatch metrics): a function needs them that way to run in a VPC
/// and to emit traces and metrics, so they are not excess.
const LAMBDA_RUNTIME_ON_ANY: &[&str] = &[
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DetachNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "cloudwatch:PutMetricData",
];

/// At most this many action names go into a message.
const SHOWN: usize = 4;

/// Condition keys whose positive tests scope the resources a statement applies to.
fn scopes_resources(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("aws:resourcetag/")
        || key.contains(":resourcetag/")
        || matches!(
            key.as_str(),
            "aws:resourceaccount" | "aws:resourceorgid" | "aws:resourceorgpaths"
        )
}

fn scoped_by_condition(s: &Statement) -> bool {
    s.conditions
        .iter()
        .any(|c| !c.operator.is_negated() && scopes_resources(&c.key))
}

fn names(actions: &[&ActionInfo]) -> Vec<String> {
    actions.iter().map(|a| a.to_string()).collect()
}

fn list(actions: &[String]) -> String {
    let shown: Vec<String> = actions.iter().take(SHOWN).map(|a| format!("`{a}`")).collect();
    match actions.len() {
        n if n > SHOWN => format!("{} and {} more", shown.join(", "), n - SHOWN),
        _ => shown.join(", "),
    }
}

/// Analyse every `Allow` statement of an identity policy.
pub fn analyze(policy: &Policy) -> Vec<PrivilegeIssue> {
    let mut out = Vec::new();
    for s in policy.statements.iter().filter(|s| s.effect == Effect::Allow) {
        analyze_statement(s, &mut out);
    }
    out
}

fn push(
    out: &mut Vec<PrivilegeIssue>,
    s: &Statement,
    kind: PrivilegeKind,
    span: Span,
    actions: Vec<String>,
    message: String,
) {
    out.push(PrivilegeIssue {
        kind,
        statement: s.index,
        span: span.or(s.span),
        actions,
        message,
    });
}

fn analyze_statement(s: &Statement, out: &mut Vec<PrivilegeIssue>) {
    let everywhere = any_resource(s.resource.as_ref()).filter(|_| !scoped_by_condition(s));
    let patterns: &[Text] = match &s.action {
        Matcher::Not(items) => {
            let span = items.first().map(|t| t.span).unwrap_or(s.span);
            let (kind, message) = if everywhere.is_some() {
                (
                    PrivilegeKind::EffectiveAdmin,
                    "`Allow` with `NotAction` on every resource grants every action \
                  not listed, across all services: effectively administrator access"
                        .to_string(),
                )
            } else {
                (
                    PrivilegeKind::AllowNotAction,
                    "`Allow` with `NotAction` grants every action not listed, \
                  including actions AWS adds later; list the actions instead"
                        .to_string(),
                )
            };
            push(out, s, kind, span, Vec::new(), message);
            return;
        }
        Matcher::Only(items) => items,
    };
    let cat = catalog();
    let mut granted: Vec<&ActionInfo> = Vec::new();
    for pattern in patterns.iter().filter(|t| t.known) {
        let text = pattern.text.as_str();
        if text.chars().all(|c| c == '*' || c == ':') {
            let message = match everywhere {
                Some(_) => "allows every action on every resource: administrator access".to_string(),
                None => "allows every action of every service on the resources listed".to_string(),
            };
            push(
                out,
                s,
                PrivilegeKind::EffectiveAdmin,
                pattern.span,
                Vec::new(),
                message,
            );
            return;
        }
        let expanded = cat.expand(text);
        if expanded.is_empty() {
            let suggestion = (!has_wildcard(text))
                .then(|| cat.suggest(text))
                .flatten()
                .map(|a| a.to_string());
            let hint = suggestion
                .as_ref()
                .map(|a| format!(" (did you mean `{a}`?)"))
                .unwrap_or_default();
            push(
                out,
                s,
                PrivilegeKind::UnknownAction { suggestion },
                pattern.span,
                vec![text.to_string()],
                format!("`{text}` matches no AWS action{hint}"),
            );
            continue;
        }
        if let (Some(service), Some(_)) = (text.strip_suffix(":*"), everywhere) {
            push(
                out,
                s,
                PrivilegeKind::ServiceWildcard {
                    service: service.to_string(),
                },
                pattern.span,
                vec![text.to_string()],
                format!(
                    "`{text}` on every resource grants all {} actions of `{service}`",
                    expanded.len()
                ),
            );
        }
        granted.extend(expanded);
    }
    granted.sort_by_key(|a| (a.service, a.name));
    granted.dedup_by_key(|a| (a.service, a.name));
    let action_span = patterns.first().map(|t| t.span).unwrap_or(s.span);
    if let Some(resource_span) = everywhere {
        on_every_resource(s, &granted, resource_span.or(action_span), out);
    } else if let Some(Matcher::Only(resources)) = &s.resource {
        resource_mismatches(s, patterns, resources, out);
    }
    conditions_apply(s, &granted, out);
}

/// The findings for a statement whose actions apply to every resource.
fn on_every_resource(s: &Statement, granted: &[&ActionInfo], span: Span, out: &mut Vec<PrivilegeIssue>) {
    let needed = |a: &ActionInfo| {
        LAMBDA_RUNTIME_ON_ANY
            .iter()
            .any(|n| n.eq_ignore_ascii_case(&a.to_string()))
    };
    // Actions that take no resource can only be granted on `*`: not an excess.
    let mut left: Vec<&ActionInfo> = granted
        .iter()
        .copied()
        .filter(|a| !a.resource_types.is_empty() && !needed(a))
        .collect();
    // Each action is reported under one kind only, the most telling: the kinds claim their
    // actions in this order, and later kinds see only what is left.
    let claim = |left: &mut Vec<&ActionInfo>, wanted: &dyn Fn(&ActionInfo) -> bool| -> Vec<String> {
        let (taken, rest): (Vec<&ActionInfo>, Vec<&ActionInfo>) = left.iter().partition(|a| wanted(a));
        *left = rest;
        names(&taken)
    };
    let in_table = |table: &'static [&'static str]| {
        move |a: &ActionInfo| table.iter().any(|t| t.eq_ignore_ascii_case(&a.to_string()))
    };
    let passrole = claim(&mut left, &|a| a.service == "iam" && a.name == "PassRole");
    if !passrole.is_empty() {
        let message = "allows `iam:PassRole` on every role: its holder can pass any role, an \
                       administrator one included, to a service it controls";
        push(
            out,
            s,
            PrivilegeKind::PassRoleAnyRole,
            span,
            passrole,
            message.into(),
        );
    }
    let credentials = claim(&mut left, &in_table(CREDENTIAL_ACTIONS));
    if !credentials.is_empty() {
        let message = format!(
            "allows {} on every resource: whoever holds it can mint credentials for other principals",
            list(&credentials)
        );
        push(
            out,
            s,
            PrivilegeKind::CredentialsExposure,
            span,
            credentials,
            message,
        );
    }
    let data = claim(&mut left, &in_table(DATA_ACTIONS));
    if !data.is_empty() {
        let message = format!(
            "allows {} on every resource: whoever holds it can read any data or secret of the account",
            list(&data)
        );
        push(out, s, PrivilegeKind::DataExfiltration, span, data, message);
    }
    let perms = claim(&mut left, &|a| {
        a.access_level == AccessLevel::PermissionsManagement
    });
    if !perms.is_empty() {
        let message = format!(
            "allows permissions-management actions {} on every resource: whoever holds it can change who may do what",
            list(&perms)
        );
        push(
            out,
            s,
            PrivilegeKind::PermissionsManagementOnAnyResource,
            span,
            perms,
            message,
        );
    }
    let writes = claim(&mut left, &|a| a.access_level == AccessLevel::Write);
    if !writes.is_empty() {
        let message = format!(
            "allows write actions {} on every resource: scope them to the resources needed",
            list(&writes)
        );
        push(out, s, PrivilegeKind::WriteOnAnyResource, span, writes, message);
    }
}

/// Resources that fit none of an action's resource types (e.g. `s3:GetObject` on a bucket ARN
/// rather than `bucket/*`): the grant does not do what its author meant.
fn resource_mismatches(s: &Statement, patterns: &[Text], resources: &[Text], out: &mut Vec<PrivilegeIssue>) {
    let cat = catalog();
    let known: Vec<&Text> = resources.iter().filter(|r| r.known && r.text != "*").collect();
    if known.is_empty() {
        return;
    }
    for pattern in patterns.iter().filter(|p| p.known && !has_wildcard(&p.text)) {
        if cat.action(&pattern.text).is_none() {
            continue;
        }
        if !known.iter().any(|r| cat.resource_fits(&pattern.text, &r.text)) {
            let shown: Vec<&str> = known.iter().map(|r| r.text.as_str()).collect();
            push(
                out,
                s,
                PrivilegeKind::ResourceMismatch,
                pattern.span,
                vec![pattern.text.clone()],
                format!(
                    "`{}` applies to none of the resources listed ({})",
                    pattern.text,
                    shown.join(", ")
                ),
            );
        }
    }
}

/// Condition keys that no action of the statement supports: the condition never holds (for a
/// positive operator) or never limits (for a negated one).
fn conditions_apply(s: &Statement, granted: &[&ActionInfo], out: &mut Vec<PrivilegeIssue>) {
    if granted.is_empty() {
        return;
    }
    let cat = catalog();
    for condition in &s.conditions {
        let key = condition.key.as_str();
        if cat.is_global_condition_key(key) {
            continue;
        }
        if granted
            .iter()
            .any(|a| cat.condition_key_applies(&a.to_string(), key))
        {
            continue;
        }
        push(
            out,
            s,
            PrivilegeKind::ConditionKeyNotApplicable { key: key.to_string() },
            condition.span,
            Vec::new(),
            format!("condition key `{key}` does not apply to any action of this statement"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use warden_model::Value;

    fn kinds(statements: serde_json::Value) -> Vec<PrivilegeKind> {
        let json = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
        let policy = Policy::parse(&Value::from_json(&json)).expect("policy");
        analyze(&policy).into_iter().map(|i| i.kind).collect()
    }

    #[test]
    fn admin_and_not_action() {
        assert_eq!(
            kinds(serde_json::json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}])),
            vec![PrivilegeKind::EffectiveAdmin]
        );
        assert_eq!(
            kinds(serde_json::json!([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}])),
            vec![PrivilegeKind::EffectiveAdmin]
        );
        assert_eq!(
            kinds(
                serde_json::json!([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::b/*"}])
            ),
            vec![PrivilegeKind::AllowNotAction]
        );
        assert!(kinds(serde_json::json!([{"Effect": "Deny", "Action": "*", "Resource": "*"}])).is_empty());
    }

    #[test]
    fn actions_that_take_no_resource_are_fine_on_star() {
        assert!(kinds(serde_json::json!([{"Effect": "Allow", "Action": ["xray:PutTraceSegments", "ec2:DescribeNetworkInterfaces", "ec2:CreateNetworkInterface", "cloudwatch:PutMetricData", "sts:GetCallerIdentity"], "Resource": "*"}])).is_empty());
    }

    #[test]
    fn writes_data_credentials_and_passrole_on_star() {
        let k = kinds(
            serde_json::json!([{"Effect": "Allow", "Action": ["s3:GetObject", "dynamodb:PutItem", "iam:PassRole", "iam:CreateAccessKey"], "Resource": "*"}]),
        );
        for expected in [
            PrivilegeKind::PassRoleAnyRole,
            PrivilegeKind::WriteOnAnyResource,
            PrivilegeKind::DataExfiltration,
            PrivilegeKind::CredentialsExposure,
        ] {
            assert!(k.contains(&expected), "{expected:?} missing from {k:?}");
        }
        let k = kinds(serde_json::json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]));
        assert!(k.contains(&PrivilegeKind::ServiceWildcard { service: "s3".into() }));
        assert!(
            k.contains(&PrivilegeKind::PermissionsManagementOnAnyResource),
            "s3:PutBucketPolicy: {k:?}"
        );
    }

    #[test]
    fn resource_tag_conditions_scope_star() {
        let k = kinds(
            serde_json::json!([{"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "orders"}}}]),
        );
        assert!(k.is_empty(), "{k:?}");
    }

    #[test]
    fn typos_mismatches_and_inapplicable_keys() {
        let k = kinds(
            serde_json::json!([{"Effect": "Allow", "Action": "s3:GetObjet", "Resource": "arn:aws:s3:::b/*"}]),
        );
        assert_eq!(
            k,
            vec![PrivilegeKind::UnknownAction {
                suggestion: Some("s3:GetObject".into())
            }]
        );
        let k = kinds(
            serde_json::json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"}]),
        );
        assert_eq!(k, vec![PrivilegeKind::ResourceMismatch]);
        let k = kinds(
            serde_json::json!([{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:f",
            "Condition": {"StringEquals": {"s3:prefix": "x"}}}]),
        );
        assert_eq!(
            k,
            vec![PrivilegeKind::ConditionKeyNotApplicable {
                key: "s3:prefix".into()
            }]
        );
    }
}
