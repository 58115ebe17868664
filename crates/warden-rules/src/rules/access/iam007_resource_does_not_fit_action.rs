use warden_iam::catalog::catalog;
use warden_iam::privilege::{PrivilegeIssue, PrivilegeKind};
use warden_model::{Finding, RuleMeta};

use super::policy::{self, ExecutionPolicy};
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags actions in execution-role `Allow` statements that none of the statement's
    /// resources can apply to, judged with the resource types and ARN formats of AWS's action
    /// catalog: `s3:GetObject` on a bucket ARN (`arn:aws:s3:::reports`) rather than on its
    /// objects (`arn:aws:s3:::reports/*`), `s3:ListBucket` on objects, `dynamodb:GetRecords` on
    /// a table rather than its stream, an action on a resource of another service. The message
    /// gives the ARN formats the action takes.
    ///
    /// Only written-out actions and resources known when the template is read are compared:
    /// wildcard actions, `Resource: "*"`, and statements with a resource the template computes
    /// at deploy time (`!GetAtt`, `!Ref`, `!Sub` with resource names) are left alone, since the
    /// computed ARN may be the one that fits. The statements of SAM policy templates are AWS's
    /// text, not the template author's, and are not checked.
    ///
    /// ## Why is this bad
    /// The grant does nothing: IAM never matches the action to that resource. The function
    /// fails with `AccessDenied`, and the usual quick fix is a wildcard (`Resource: "*"`)
    /// that grants far more than was meant. The policy also misleads anyone who reviews the
    /// role, who sees access that is not there.
    ///
    /// ## Example
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: [s3:GetObject, s3:ListBucket]
    ///         Resource: arn:aws:s3:::acme-reports
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: s3:ListBucket
    ///         Resource: arn:aws:s3:::acme-reports
    ///       - Effect: Allow
    ///         Action: s3:GetObject
    ///         Resource: arn:aws:s3:::acme-reports/*
    /// ```
    ///
    /// ## Fix
    /// Name the resource in the form the action takes (the *Resource types* column of the
    /// service's *Actions* table in the Service Authorization Reference), or split the statement
    /// so each action gets the resources it applies to.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    /// - https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
    pub struct ResourceDoesNotFitAction {
        id: "IAM007",
        name: "resource-does-not-fit-action",
        summary: "Execution-role policy grants an action on resources it does not apply to",
        layer: Iam,
        severity: Low,
        checklist: [AuthN, Audits],
        sources: [],
    }
}

impl Check for ResourceDoesNotFitAction {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx) {
            if document.expanded {
                continue;
            }
            for issue in document.privilege_issues() {
                if issue.kind != PrivilegeKind::ResourceMismatch || has_computed_resource(document, issue) {
                    continue;
                }
                let mut finding = document.issue_finding(meta, issue, &key(issue));
                let formats: Vec<String> = issue
                    .actions
                    .iter()
                    .flat_map(|action| catalog().resource_arn_formats(action))
                    .map(|format| format!("`{format}`"))
                    .collect();
                if !formats.is_empty() {
                    finding.message = format!("{}; it takes {}", finding.message, formats.join(" or "));
                }
                out.push(finding);
            }
        }
    }
}

fn key(issue: &PrivilegeIssue) -> String {
    format!("mismatch/{}", issue.actions.join(",").to_ascii_lowercase())
}

/// Whether the issue's statement also lists a resource known only at deploy time, which may be
/// the one that fits.
fn has_computed_resource(document: &ExecutionPolicy<'_>, issue: &PrivilegeIssue) -> bool {
    document
        .parsed
        .as_ref()
        .ok()
        .and_then(|policy| policy.statements.get(issue.statement))
        .and_then(|statement| statement.resource.as_ref())
        .is_some_and(|resources| resources.items().iter().any(|r| !r.known))
}
