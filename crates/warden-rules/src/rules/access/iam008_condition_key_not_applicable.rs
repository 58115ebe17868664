use warden_iam::privilege::PrivilegeKind;
use warden_model::{Finding, RuleMeta};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags condition keys in execution-role `Allow` statements that none of the statement's
    /// actions supports, judged with the condition keys AWS's action catalog lists for each
    /// action and its resource types: `s3:prefix` on `s3:GetObject` (it applies to
    /// `s3:ListBucket`), `dynamodb:LeadingKeys` on `sqs:SendMessage`, a key of another service.
    /// Global keys (`aws:SourceIp`, `aws:PrincipalTag/...`, `aws:ResourceTag/...`, ...) apply to
    /// every action and are not flagged. Wildcard actions are expanded first, so the key needs
    /// to apply to one action the wildcard covers. The statements of SAM policy templates are
    /// AWS's text, not the template author's, and are not checked.
    ///
    /// ## Why is this bad
    /// A key the request never carries is missing from the request context. A positive
    /// operator (`StringEquals`) on a missing key never matches, so the statement silently
    /// grants nothing; a negated one (`StringNotEquals`) always matches, so the restriction the
    /// author meant does not exist and the statement grants more than it seems to.
    ///
    /// ## Example
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: s3:GetObject
    ///         Resource: arn:aws:s3:::acme-reports/*
    ///         Condition:
    ///           StringLike:
    ///             s3:prefix: monthly/*
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: s3:GetObject
    ///         Resource: arn:aws:s3:::acme-reports/monthly/*
    /// ```
    ///
    /// ## Fix
    /// Use a key the action supports (the *Condition keys* column of the service's *Actions*
    /// table in the Service Authorization Reference), express the limit in `Resource` instead,
    /// or move the condition to the statement whose actions support it.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    pub struct ConditionKeyNotApplicable {
        id: "IAM008",
        name: "condition-key-not-applicable",
        summary: "Execution-role policy conditions on a key its actions never carry",
        layer: Iam,
        severity: Low,
        checklist: [AuthN, Audits],
        sources: [],
    }
}

impl Check for ConditionKeyNotApplicable {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx) {
            if document.expanded {
                continue;
            }
            for issue in document.privilege_issues() {
                let PrivilegeKind::ConditionKeyNotApplicable { key } = &issue.kind else {
                    continue;
                };
                let key = format!("condition/{}", key.to_ascii_lowercase());
                out.push(document.issue_finding(meta, issue, &key));
            }
        }
    }
}
