use warden_iam::privilege::PrivilegeKind;
use warden_model::{Finding, RuleMeta};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags execution-role statements that allow `iam:PassRole` on every resource
    /// (`Resource: "*"`, or `NotResource`), whether written out or through a wildcard that
    /// AWS's action catalog expands to it, such as `iam:*` or `iam:Pass*`. (`Action: "*"` and
    /// `NotAction` are reported by IAM001.) A condition such as `iam:PassedToService` does not
    /// clear the finding: it limits which service receives the role, not which role is passed.
    /// A condition on the role's tags (`aws:ResourceTag/...`) does: it names the roles.
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
    /// Set `Resource` to the ARNs of the roles the function really passes (or limit it with a
    /// condition on their tags), and add an `iam:PassedToService` condition naming the service
    /// that receives them.
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
        for document in policy::execution_policies(cx) {
            for issue in document.privilege_issues() {
                if issue.kind == PrivilegeKind::PassRoleAnyRole {
                    out.push(document.issue_finding(meta, issue, "passrole"));
                }
            }
        }
    }
}
