use warden_iam::lint::any_resource;
use warden_iam::privilege::{PrivilegeIssue, PrivilegeKind};
use warden_model::{Finding, RuleMeta, Severity, Value};

use super::policy::{self, ExecutionPolicy};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags execution roles that can do everything, or everything in a service, as the IAM
    /// engine reads their policies with AWS's action catalog:
    ///
    /// - an `Allow` statement whose `Action` is `*` (or `*:*`), or that uses `NotAction`
    ///   (which allows every action but the listed ones, including actions AWS adds later):
    ///   critical on every resource, high when the statement names its resources;
    /// - an `Allow` statement granting every action of a service (`s3:*`, `dynamodb:*`) on
    ///   every resource (high). A condition on the resource's tags, account or organization
    ///   counts as naming the resources;
    /// - the AWS managed policies `AdministratorAccess` (and its `AdministratorAccess-*`
    ///   variants), `PowerUserAccess` and `IAMFullAccess` (critical: each amounts to, or leads
    ///   to, full control of the account);
    /// - any other AWS managed `...FullAccess` policy, such as `AmazonS3FullAccess` or
    ///   `AWSLambda_FullAccess` (high).
    ///
    /// Execution roles are the roles a function names, and roles whose trust policy lets
    /// Lambda assume them. Their inline policies, SAM `Policies`, and the policies of the
    /// template attached to them are read. `Deny` statements grant nothing and are skipped. A
    /// service wildcard is reported here only: IAM002 and IAM005 do not repeat it for the
    /// actions it covers.
    ///
    /// ## Why is this bad
    /// Whoever controls the function's code or input controls its role. A bug such as command
    /// injection or SSRF, a compromised dependency, or a leaked deployment credential then
    /// yields the whole account (or a whole service: every bucket, every table) instead of the
    /// few resources the function works with.
    ///
    /// ## Example
    /// ```yaml
    /// ReportFunction:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: app.handler
    ///     Runtime: python3.12
    ///     Policies:
    ///       - AdministratorAccess
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// ReportFunction:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Handler: app.handler
    ///     Runtime: python3.12
    ///     Policies:
    ///       - S3ReadPolicy:
    ///           BucketName: !Ref ReportBucket
    /// ```
    ///
    /// ## Fix
    /// Grant the specific actions the function calls on the specific resources it uses: a SAM
    /// policy template, or a statement listing actions and ARNs. IAM Access Analyzer can
    /// generate a policy from the role's CloudTrail activity.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    /// - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1
    pub struct RoleAdminOrFullAccess {
        id: "IAM001",
        name: "role-admin-or-full-access",
        summary: "Execution role has administrator or full-service access",
        layer: Iam,
        severity: Critical,
        checklist: [AuthN],
        sources: [
            "securityhub:IAM.1",
            "checkov:CKV_AWS_62",
            "checkov:CKV_AWS_63",
            "checkov:CKV_AWS_274",
            "cfn_nag:F3",
            "cfn_nag:W43",
        ],
    }
}

impl Check for RoleAdminOrFullAccess {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx) {
            for issue in document.privilege_issues() {
                let (severity, key) = match &issue.kind {
                    PrivilegeKind::EffectiveAdmin => {
                        (all_actions_severity(document, issue), "all-actions".to_string())
                    }
                    PrivilegeKind::AllowNotAction => (Severity::High, "all-actions".to_string()),
                    PrivilegeKind::ServiceWildcard { service } => (
                        Severity::High,
                        format!("service/{}", service.to_ascii_lowercase()),
                    ),
                    _ => continue,
                };
                let mut finding = document.issue_finding(meta, issue, &key);
                finding.severity = severity;
                out.push(finding);
            }
        }
        for role in policy::execution_roles(cx.inventory) {
            for link in &role.managed_policies {
                for arn in link.value.candidates() {
                    let Some((name, severity)) = aws_managed_broad_policy(arn) else {
                        continue;
                    };
                    let reach = if severity == Severity::Critical {
                        "the function can take over the account"
                    } else {
                        "the function can do anything in that service"
                    };
                    let mut finding = finding_at(
                        meta,
                        &role.meta,
                        arn.span,
                        name,
                        format!(
                            "{} has the AWS managed policy `{name}`: {reach}",
                            policy::role_label(cx.inventory, role)
                        ),
                    );
                    finding.severity = severity;
                    out.push(finding);
                }
            }
        }
    }
}

/// Every action is critical on every resource (administrator access), high on the resources a
/// statement names.
fn all_actions_severity(document: &ExecutionPolicy<'_>, issue: &PrivilegeIssue) -> Severity {
    let everywhere = document
        .parsed
        .as_ref()
        .ok()
        .and_then(|policy| policy.statements.get(issue.statement))
        .is_none_or(|statement| any_resource(statement.resource.as_ref()).is_some());
    if everywhere {
        Severity::Critical
    } else {
        Severity::High
    }
}

/// The name and severity of an AWS managed policy that grants administrator or full-service
/// access, from its ARN (`arn:<partition>:iam::aws:policy/[path/]Name`).
fn aws_managed_broad_policy(arn: &Value) -> Option<(&str, Severity)> {
    let text = arn
        .as_str()
        .or_else(|| arn.as_unknown().map(|u| u.expr.as_str()))?;
    let (_, path) = text.split_once(":iam::aws:policy/")?;
    let name = path.rsplit('/').next()?;
    let severity = if name == "AdministratorAccess"
        || name.starts_with("AdministratorAccess-")
        || name == "PowerUserAccess"
        || name == "IAMFullAccess"
    {
        Severity::Critical
    } else if name.contains("FullAccess") {
        Severity::High
    } else {
        return None;
    };
    Some((name, severity))
}

#[cfg(test)]
mod tests {
    use warden_model::Span;

    use super::*;

    fn severity_of(arn: &str) -> Option<Severity> {
        aws_managed_broad_policy(&Value::string(arn, Span::default())).map(|(_, s)| s)
    }

    #[test]
    fn classifies_aws_managed_policies_by_name() {
        assert_eq!(
            severity_of("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some(Severity::Critical)
        );
        assert_eq!(
            severity_of("arn:aws-us-gov:iam::aws:policy/PowerUserAccess"),
            Some(Severity::Critical)
        );
        assert_eq!(
            severity_of("arn:aws:iam::aws:policy/AmazonS3FullAccess"),
            Some(Severity::High)
        );
        assert_eq!(
            severity_of("arn:aws:iam::aws:policy/AWSLambda_FullAccess"),
            Some(Severity::High)
        );
        assert_eq!(
            severity_of("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            None
        );
        assert_eq!(
            severity_of("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"),
            None
        );
        // A customer managed policy that happens to carry the name is not AWS's.
        assert_eq!(
            severity_of("arn:aws:iam::123456789012:policy/AdministratorAccess"),
            None
        );
    }
}
