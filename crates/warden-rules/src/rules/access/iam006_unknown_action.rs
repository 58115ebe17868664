use warden_iam::privilege::PrivilegeKind;
use warden_model::{Finding, RuleMeta};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags actions in execution-role `Allow` statements that no AWS service defines: a typo
    /// (`s3:GetObjet`, `dynamodb:PutItems`), a wrong
    /// service prefix (`cloudwatch:PutLogEvents` instead of `logs:PutLogEvents`), an action AWS
    /// retired, or a wildcard that matches nothing (`s3:Gett*`). When a known action is close,
    /// the message suggests it. Actions are compared without regard to case, as IAM does, and
    /// checked against the AWS action catalog Warden ships (generated from AWS's service
    /// authorization data); an action AWS added after it was generated is reported until the
    /// catalog is updated. The statements of SAM policy templates (`SQSPollerPolicy`, ...) are
    /// AWS's text, not the template author's, and are not checked.
    ///
    /// ## Why is this bad
    /// IAM accepts a policy with an unknown action and silently grants nothing for it. The
    /// function then fails at run time with `AccessDenied`, and the usual "fix" under pressure
    /// is a wildcard (`s3:*`, `Resource: "*"`) that grants far more than was meant. A policy
    /// that does not say what it does also misleads every later review of the role.
    ///
    /// ## Example
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: [s3:GetObjet, cloudwatch:PutLogEvents]
    ///         Resource: "*"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: s3:GetObject
    ///         Resource: !Sub "${ReportBucket.Arn}/*"
    ///       - Effect: Allow
    ///         Action: [logs:CreateLogStream, logs:PutLogEvents]
    ///         Resource: !Sub "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/*"
    /// ```
    ///
    /// ## Fix
    /// Correct the action's name from the *Actions* table of the service in the Service
    /// Authorization Reference (or take the suggested one), and remove actions AWS no longer
    /// defines.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
    pub struct UnknownAction {
        id: "IAM006",
        name: "unknown-action",
        summary: "Execution-role policy names an action no AWS service defines",
        layer: Iam,
        severity: Medium,
        checklist: [AuthN, Audits],
        sources: ["cfn_lint:W3037"],
    }
}

impl Check for UnknownAction {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx) {
            if document.expanded {
                continue;
            }
            for issue in document.privilege_issues() {
                if !matches!(issue.kind, PrivilegeKind::UnknownAction { .. }) {
                    continue;
                }
                let key = format!("unknown/{}", issue.actions.join(",").to_ascii_lowercase());
                out.push(document.issue_finding(meta, issue, &key));
            }
        }
    }
}
