use warden_model::{Finding, RuleMeta};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags execution-role policy documents that the IAM engine cannot read, with the reason
    /// and the position of the problem: an unknown element (`Resources` for `Resource`), an
    /// `Effect` other than `Allow` or `Deny`, a statement without `Action` or with both `Action`
    /// and `NotAction`, an unknown condition operator (`StringEqual`), an unknown `Version`, a
    /// list or object where IAM expects a string.
    ///
    /// The other `IAM` rules skip a document they cannot read, so this finding also says that
    /// the document was not checked for least privilege. A part the template only decides at
    /// deploy time (a statement that is a `!Ref` to a parameter, an `!If` on `Effect`) is not an
    /// error and is not reported.
    ///
    /// ## Why is this bad
    /// IAM rejects a malformed policy (the deployment fails), or, where a tool passes it through
    /// unchecked, it does not say what its author meant. Either way the role's permissions are
    /// unknown to every review, and Warden cannot tell whether the document grants
    /// administrator access or nothing at all.
    ///
    /// ## Example
    /// ```yaml
    /// PolicyDocument:
    ///   Version: "2012-10-17"
    ///   Statement:
    ///     - Effect: Allow
    ///       Action: s3:GetObject
    ///       Resources: arn:aws:s3:::acme-reports/*
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// PolicyDocument:
    ///   Version: "2012-10-17"
    ///   Statement:
    ///     - Effect: Allow
    ///       Action: s3:GetObject
    ///       Resource: arn:aws:s3:::acme-reports/*
    /// ```
    ///
    /// ## Fix
    /// Correct the document at the position reported, following the IAM JSON policy grammar.
    /// `warden policy check FILE` and IAM Access Analyzer's policy validation check a document
    /// on its own.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-validation.html
    pub struct InvalidPolicyDocument {
        id: "IAM009",
        name: "invalid-policy-document",
        summary: "Execution-role policy document is malformed and was not checked",
        layer: Iam,
        severity: Medium,
        checklist: [AuthN, Audits],
        sources: [],
    }
}

impl Check for InvalidPolicyDocument {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx) {
            let Some(error) = document.invalid() else {
                continue;
            };
            out.push(document.finding(
                meta,
                0,
                error.span,
                "invalid",
                format!(
                    "{} is not a valid policy document: {}; the IAM rules could not check it",
                    document.label, error.message
                ),
            ));
        }
    }
}
