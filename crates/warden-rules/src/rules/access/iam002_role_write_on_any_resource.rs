use warden_iam::privilege::PrivilegeKind;
use warden_model::{Finding, RuleMeta, Severity};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags execution-role statements that allow actions which change things on every
    /// resource (`Resource: "*"`, or `NotResource`). The IAM engine expands wildcards
    /// (`s3:Put*`, `dynamodb:*Item`) with AWS's action catalog and judges each action by the
    /// access level AWS gives it:
    ///
    /// - *Write* actions (`dynamodb:PutItem`, `sqs:SendMessage`, `logs:CreateLogGroup`):
    ///   medium;
    /// - *Permissions management* actions, which change who may do what (`s3:PutBucketPolicy`,
    ///   `iam:AttachRolePolicy`, `kms:CreateGrant`, `lambda:AddPermission`): high.
    ///
    /// Only actions that can be scoped are flagged: an action that takes no resource (AWS lets
    /// you grant it only on `*`, such as `xray:PutTraceSegments` or `cloudwatch:PutMetricData`)
    /// is not, nor are the network-interface actions Lambda needs on `*` to run a function in a
    /// VPC. A condition on the resource's tags (`aws:ResourceTag/...`), account or organization
    /// scopes the statement, so it is not flagged. Tagging actions are not flagged either.
    ///
    /// A statement's actions are reported once: `Action: "*"` and service wildcards such as
    /// `s3:*` are IAM001's, `iam:PassRole` is IAM003's, and actions that read data or secrets or
    /// mint credentials (`kms:Decrypt`, `iam:CreateAccessKey`) are IAM005's, so a finding here
    /// that only repeats them is left out.
    ///
    /// ## Why is this bad
    /// The function can modify or destroy every bucket, table, queue or topic of that kind in
    /// the account, not just the ones it works with. A flaw in the function (or in one of its
    /// dependencies) then becomes a way to tamper with, delete, or hold to ransom data that
    /// belongs to other workloads.
    ///
    /// ## Example
    /// ```yaml
    /// Policies:
    ///   - PolicyName: orders
    ///     PolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Effect: Allow
    ///           Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem]
    ///           Resource: "*"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Policies:
    ///   - PolicyName: orders
    ///     PolicyDocument:
    ///       Version: "2012-10-17"
    ///       Statement:
    ///         - Effect: Allow
    ///           Action: [dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem]
    ///           Resource: !GetAtt OrdersTable.Arn
    /// ```
    ///
    /// ## Fix
    /// List the actions the function calls and scope `Resource` to the ARNs of the resources it
    /// uses (`!GetAtt Table.Arn`, `!Sub "${Bucket.Arn}/*"`). SAM policy templates such as
    /// `DynamoDBCrudPolicy` or `S3CrudPolicy` do this for common cases. Where the resources
    /// cannot be named in advance, limit the statement with a condition on their tags
    /// (`aws:ResourceTag/team`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
    pub struct RoleWriteOnAnyResource {
        id: "IAM002",
        name: "role-write-on-any-resource",
        summary: "Execution role may change any resource (write or permissions-management actions on `*`)",
        layer: Iam,
        severity: Medium,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_111", "checkov:CKV_AWS_109"],
    }
}

impl Check for RoleWriteOnAnyResource {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx) {
            let issues = document.privilege_issues();
            for issue in issues {
                let (severity, key) = match issue.kind {
                    PrivilegeKind::WriteOnAnyResource => (Severity::Medium, "write"),
                    PrivilegeKind::PermissionsManagementOnAnyResource => {
                        (Severity::High, "permissions-management")
                    }
                    _ => continue,
                };
                if policy::reported_elsewhere(issue, issues, |kind| {
                    matches!(
                        kind,
                        PrivilegeKind::ServiceWildcard { .. }
                            | PrivilegeKind::PassRoleAnyRole
                            | PrivilegeKind::DataExfiltration
                            | PrivilegeKind::CredentialsExposure
                    )
                }) {
                    continue;
                }
                let mut finding = document.issue_finding(meta, issue, key);
                finding.severity = severity;
                out.push(finding);
            }
        }
    }
}
