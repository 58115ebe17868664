use warden_model::{Finding, RuleMeta};

use super::{label, policy};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Flags function permissions whose action is anything other than invocation
    /// (`lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`, or the deprecated
    /// `lambda:InvokeAsync`): wildcards such as `lambda:*` or `*`, and specific actions such as
    /// `lambda:GetFunction` or `lambda:UpdateFunctionCode`.
    ///
    /// ## Why is this bad
    /// A resource-based permission is meant to let another account or service *call* the
    /// function. Lambda also lets it grant actions on the function itself, and those hand out
    /// control of it: `lambda:GetFunction` returns the environment variables and a link to
    /// download the code, actions that change the function (such as
    /// `lambda:UpdateFunctionCode`) let the principal replace what runs with the execution
    /// role's permissions, and `lambda:*` grants every action Lambda allows in a function
    /// policy.
    ///
    /// ## Example
    /// ```yaml
    /// PartnerAccess:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref ExportFunction
    ///     Action: lambda:*
    ///     Principal: "111122223333"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// PartnerAccess:
    ///   Type: AWS::Lambda::Permission
    ///   Properties:
    ///     FunctionName: !Ref ExportFunction
    ///     Action: lambda:InvokeFunction
    ///     Principal: "111122223333"
    /// ```
    ///
    /// ## Fix
    /// Grant `lambda:InvokeFunction` (or `lambda:InvokeFunctionUrl` for a function URL). If the
    /// other party really needs to manage the function, give a role in your account the
    /// permissions in an identity policy and let them assume it, so that the access is visible,
    /// conditioned and revocable in IAM.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html
    /// - https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
    pub struct PermissionActionTooBroad {
        id: "ACC003",
        name: "permission-action-too-broad",
        summary: "Function permission grants more than invocation",
        layer: Iam,
        severity: High,
        checklist: [AuthN],
        sources: ["cfn_nag:W24"],
    }
}

impl Check for PermissionActionTooBroad {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for permission in &cx.inventory.permissions {
            for action in permission.action.items() {
                let Some(name) = action.as_str() else { continue };
                if policy::INVOKE_ACTIONS
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(name))
                {
                    continue;
                }
                let what = if name.contains(['*', '?']) {
                    "every Lambda action it matches, not only invocation"
                } else {
                    "more than invocation"
                };
                out.push(finding_at(
                    meta,
                    &permission.meta,
                    action.span,
                    &name.to_ascii_lowercase(),
                    format!(
                        "{} grants `{name}` on function `{}` to `{}`: {what}",
                        label::permission(permission),
                        label::function(cx.inventory, &permission.function),
                        permission.principal.display(),
                    ),
                ));
            }
        }
    }
}
