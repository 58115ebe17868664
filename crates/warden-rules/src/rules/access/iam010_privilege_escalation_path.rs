use warden_iam::escalation::escalation_paths;
use warden_model::{Finding, RuleMeta, Severity};

use crate::{Check, Context, declare_rule, finding};

declare_rule! {
    /// ## What it does
    /// Finds privilege-escalation paths that start at a function: a chain of steps by which
    /// code running as the function's execution role can come to act as a more privileged
    /// role. Each step is proved by evaluating the roles' policies the way AWS does, on the
    /// actual target: `iam:PassRole` of a role to a new function that is then invoked (or fed
    /// by an event source mapping), `lambda:UpdateFunctionCode` or
    /// `lambda:UpdateFunctionConfiguration` on a function that runs as another role (with
    /// code signing enforced, also the right to remove its code-signing config),
    /// `sts:AssumeRole` on a role whose trust policy admits the caller (or
    /// `iam:UpdateAssumeRolePolicy` first), `iam:PassRole` to EC2, CloudFormation, Glue,
    /// CodeBuild or ECS together with the action that starts them, and `iam:PutRolePolicy` /
    /// `iam:AttachRolePolicy` on the role itself. A `PassRole` scoped to a harmless role, or an
    /// `UpdateFunctionCode` limited by a tag the target function does not carry, makes no step.
    ///
    /// ## Why is this bad
    /// A function processes untrusted events; an injection, a vulnerable dependency or a
    /// poisoned layer runs code with its role. When that role can become an administrator, one
    /// bug in one function is a compromise of the whole account, whatever the function's own
    /// policy looks like.
    ///
    /// ## Example
    /// ```yaml
    /// ReportsRole:
    ///   Type: AWS::IAM::Role
    ///   Properties:
    ///     Policies:
    ///       - PolicyName: deploy-helpers
    ///         PolicyDocument:
    ///           Statement:
    ///             - Effect: Allow
    ///               Action: iam:PassRole
    ///               Resource: !GetAtt AdminRole.Arn
    ///             - Effect: Allow
    ///               Action: [lambda:CreateFunction, lambda:InvokeFunction]
    ///               Resource: "*"
    /// ```
    ///
    /// Use instead: let the function pass only the role it needs for its own work (or none),
    /// and create functions from the deployment pipeline, not from running code.
    ///
    /// ## Fix
    /// Remove the step the path names: scope `iam:PassRole` to the roles really passed (with
    /// an `iam:PassedToService` condition), scope `lambda:Update*` to the function's own ARN
    /// or drop it, and keep trust policies to the principals that must assume the role.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-access.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    pub struct PrivilegeEscalationPath {
        id: "IAM010",
        name: "privilege-escalation-path",
        summary: "A function's role can escalate to a more privileged role",
        layer: Iam,
        severity: Critical,
        checklist: [AuthN],
        sources: [],
    }
}

impl Check for PrivilegeEscalationPath {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        let inv = cx.inventory;
        let name = |id: &str| {
            inv.role(id)
                .map(|r| r.meta.name.clone())
                .unwrap_or_else(|| id.rsplit_once('#').map_or(id, |(_, n)| n).to_string())
        };
        for path in escalation_paths(inv) {
            let Some(function) = inv.function(&path.function) else {
                continue;
            };
            let steps: Vec<String> = path
                .steps
                .iter()
                .map(|s| format!("`{}` can {} ({})", name(&s.from), s.method.describe(), s.through))
                .collect();
            let target = path.steps.last().map(|s| name(&s.to)).unwrap_or_default();
            let reach = if path.to_admin {
                "administrator access"
            } else {
                "a more privileged role"
            };
            let mut f = finding(
                meta,
                &function.meta,
                format!(
                    "function `{}` can escalate to {reach} (`{target}`): {}",
                    function.meta.name,
                    steps.join("; then ")
                ),
            );
            if !path.to_admin {
                f.severity = Severity::High;
            }
            out.push(f);
        }
    }
}
