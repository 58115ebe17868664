use warden_model::{Finding, RuleMeta};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags execution-role statements that allow `iam:PassRole` on every resource
    /// (`Resource: "*"`, or `NotResource`), whether written out or through a wildcard such as
    /// `iam:*` or `iam:Pass*`. (`Action: "*"` is reported by IAM001.) A condition such as
    /// `iam:PassedToService` does not clear the finding: it limits which service receives the
    /// role, not which role is passed.
    ///
    /// ## Why is this bad
    /// Passing a role hands its permissions to a resource the caller configures. A function
    /// that may pass *any* role can give the most privileged role in the account to a new
    /// function, task or instance it creates, and run code as that role: a privilege
    /// escalation from the function's permissions to the highest in the account.
    ///
    /// ## Example
    /// ```yaml
    /// Statement:
    ///   - Effect: Allow
    ///     Action: iam:PassRole
    ///     Resource: "*"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Statement:
    ///   - Effect: Allow
    ///     Action: iam:PassRole
    ///     Resource: !GetAtt BatchJobRole.Arn
    ///     Condition:
    ///       StringEquals:
    ///         iam:PassedToService: batch.amazonaws.com
    /// ```
    ///
    /// ## Fix
    /// Set `Resource` to the ARNs of the roles the function really passes, and add an
    /// `iam:PassedToService` condition naming the service that receives them.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    pub struct RolePassRoleAny {
        id: "IAM003",
        name: "role-passrole-any",
        summary: "Execution role may pass any role (`iam:PassRole` on `*`)",
        layer: Iam,
        severity: High,
        checklist: [AuthN],
        sources: ["cfn_nag:F38", "cfn_nag:F40"],
    }
}

impl Check for RolePassRoleAny {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx.inventory) {
            for statement in policy::statements(document.document) {
                if !statement.is_allow() {
                    continue;
                }
                let Some(any_resource) = statement.any_resource() else {
                    continue;
                };
                let pass = statement.actions().into_iter().find(|a| {
                    a.as_str().is_some_and(|a| {
                        !policy::is_every_action(a) && policy::action_matches(a, "iam:PassRole")
                    })
                });
                let Some(pass) = pass else { continue };
                out.push(document.finding(
                    meta,
                    &statement,
                    pass.span,
                    "passrole",
                    format!(
                        "{} allows `{}` on {}: the function can hand any role, however privileged, \
                         to a resource it creates and act as that role",
                        document.label,
                        pass.display(),
                        any_resource.describe(),
                    ),
                ));
            }
        }
    }
}
