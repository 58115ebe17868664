use warden_model::{Finding, Permission, RuleMeta};

use warden_iam::exposure::{Reach, permission_grants};

use super::{label, policy};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags resource-based permissions on a function whose principal is everyone (`*`, or
    /// `{"AWS": "*"}` in a function policy) with nothing to narrow it: no `SourceArn`,
    /// `SourceAccount`, `PrincipalOrgID`, `EventSourceToken` or other condition.
    ///
    /// The public permission that goes with a function URL (`lambda:InvokeFunctionUrl` with
    /// `FunctionUrlAuthType`) is left to ACC004: with `AuthType: AWS_IAM` it is limited by IAM,
    /// and with `NONE` the URL itself is the problem.
    ///
    /// ## Why is this bad
    /// Any AWS account, and any principal in it, can call `Invoke` on the function. An attacker
    /// can feed it arbitrary events, run up the bill, drain its concurrency so legitimate
    /// callers are throttled, and reach whatever its execution role can reach through it.
    ///
    /// ## Example
    /// ```yaml
    /// InvokeFromAnywhere:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref ReportFunction
    ///     Action: lambda:InvokeFunction
    ///     Principal: "*"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// InvokeFromPartnerAccount:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref ReportFunction
    ///     Action: lambda:InvokeFunction
    ///     Principal: "111122223333"
    /// ```
    ///
    /// ## Fix
    /// Name the account, role or service that needs to invoke the function as the principal.
    /// If every account of your organization must be able to invoke it, keep `*` but add
    /// `PrincipalOrgID`; for a service, add `SourceArn` and `SourceAccount`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-1
    pub struct PublicInvokePermission {
        id: "ACC001",
        name: "public-invoke-permission",
        summary: "Function permission lets anyone (`*`) invoke it with no condition",
        layer: Iam,
        severity: Critical,
        checklist: [AuthN],
        sources: [
            "securityhub:Lambda.1",
            "checkov:CKV_AWS_301",
            "prowler:awslambda_function_not_publicly_accessible",
            "cfn_nag:F13",
            "kics:1d6e16f1-5d8a-4379-bfb3-2dadd38ed5a7",
        ],
    }
}

impl Check for PublicInvokePermission {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for permission in &cx.inventory.permissions {
            if is_function_url_permission(permission) {
                continue;
            }
            // The engine decides reach: only a condition that pins the caller limits `*`.
            for grant in permission_grants(permission)
                .into_iter()
                .filter(|g| g.reach == Reach::Public)
            {
                out.push(finding_at(
                    meta,
                    &permission.meta,
                    grant.origin.span(),
                    "",
                    format!(
                        "{} lets anyone (`*`) invoke function `{}` with no condition that limits the caller",
                        label::permission(permission),
                        label::function(cx.inventory, &permission.function),
                    ),
                ));
            }
        }
    }
}

/// The permission that goes with a function URL: ACC004 judges `AuthType: NONE`, and with
/// `AWS_IAM` callers need IAM permission of their own.
fn is_function_url_permission(permission: &Permission) -> bool {
    let actions = permission.action.strings();
    policy::is_set(permission.function_url_auth_type.as_ref())
        && !actions.is_empty()
        && actions
            .iter()
            .all(|a| a.eq_ignore_ascii_case("lambda:InvokeFunctionUrl"))
}
