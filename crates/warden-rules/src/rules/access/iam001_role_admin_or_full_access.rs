use warden_model::{Finding, RuleMeta, Severity, Value};

use super::policy::{self, AnyResource, ExecutionPolicy, Statement};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags execution roles that can do everything, or everything in a service:
    ///
    /// - an `Allow` statement whose `Action` is `*` (or `*:*`), or that uses `NotAction`
    ///   (which allows every action but the listed ones); critical on every resource, high when
    ///   the statement names its resources;
    /// - the AWS managed policies `AdministratorAccess` (and its `AdministratorAccess-*`
    ///   variants), `PowerUserAccess` and `IAMFullAccess` (critical: each amounts to, or leads
    ///   to, full control of the account);
    /// - any other AWS managed `...FullAccess` policy, such as `AmazonS3FullAccess` or
    ///   `AWSLambda_FullAccess` (high).
    ///
    /// Execution roles are the roles a function names, and roles whose trust policy lets
    /// Lambda assume them. Their inline policies, SAM `Policies`, and the policies of the
    /// template attached to them are read. `Deny` statements grant nothing and are skipped.
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
        for document in policy::execution_policies(cx.inventory) {
            for statement in policy::statements(document.document) {
                if statement.is_allow() {
                    check_statement(meta, &document, &statement, out);
                }
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

fn check_statement(
    meta: &'static RuleMeta,
    document: &ExecutionPolicy<'_>,
    statement: &Statement<'_>,
    out: &mut Vec<Finding>,
) {
    let every = statement
        .actions()
        .into_iter()
        .find(|a| a.as_str().is_some_and(policy::is_every_action));
    let (grant, span) = match (every, statement.not_action()) {
        (Some(star), _) => (format!("every action (`{}`)", star.display()), star.span),
        (None, Some(not_action)) => (
            format!("every action except `{}` (`NotAction`)", not_action.display()),
            not_action.span,
        ),
        (None, None) => return,
    };
    let any_resource = statement.any_resource();
    let (target, severity) = match &any_resource {
        Some(AnyResource::Star(_)) => (
            "every resource (`*`): administrator access".to_string(),
            Severity::Critical,
        ),
        Some(not @ AnyResource::Not(_)) => (not.describe().to_string(), Severity::Critical),
        None => (format!("`{}`", statement.resources_display()), Severity::High),
    };
    let mut finding = document.finding(
        meta,
        statement,
        span,
        "all-actions",
        format!("{} allows {grant} on {target}", document.label),
    );
    finding.severity = severity;
    out.push(finding);
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
