use warden_model::{Finding, RuleMeta};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags execution-role statements that allow actions which change things on every
    /// resource (`Resource: "*"`, or `NotResource`): service wildcards such as `s3:*` or
    /// `dynamodb:*`, and actions whose names start with a write verb (`Put`, `Delete`,
    /// `Create`, `Update`, `Attach`, `Detach`, `Set`, `Add`, `Remove`, `Tag`, `Send`,
    /// `Publish`, `Invoke`, ...), including wildcards that can expand to one (`s3:Put*`).
    ///
    /// This is a name-based heuristic, and conditions are not weighed. Actions that AWS only
    /// lets you grant on `*` are not flagged: `xray:PutTraceSegments` and
    /// `xray:PutTelemetryRecords` (tracing), `cloudwatch:PutMetricData` (scoped by namespace
    /// conditions instead), the network-interface actions a function in a VPC needs, and
    /// `codepipeline:PutJobSuccessResult` / `PutJobFailureResult`. `Action: "*"` is IAM001's,
    /// and `iam:PassRole` is IAM003's.
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
    ///           Action: dynamodb:*
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
    /// `DynamoDBCrudPolicy` or `S3CrudPolicy` do this for common cases.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
    pub struct RoleWriteOnAnyResource {
        id: "IAM002",
        name: "role-write-on-any-resource",
        summary: "Execution role may change any resource (write actions on `*`)",
        layer: Iam,
        severity: Medium,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_111", "checkov:CKV_AWS_109"],
    }
}

/// Write actions that AWS only allows on `Resource: "*"` (they have no resource type), or that
/// Lambda's documentation asks to grant on `*`; scoping them is impossible, so they are not
/// findings. Compared without regard to case.
const ONLY_ON_ANY_RESOURCE: &[&str] = &[
    // X-Ray tracing (`Tracing: Active`); no resource types.
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    // Custom metrics; no resource types (limit with the `cloudwatch:namespace` condition).
    "cloudwatch:PutMetricData",
    // A function in a VPC manages its own network interfaces; Lambda documents these on `*`.
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DetachNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    // A function used as a CodePipeline action reports its result; no resource types.
    "codepipeline:PutJobSuccessResult",
    "codepipeline:PutJobFailureResult",
];

impl Check for RoleWriteOnAnyResource {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx.inventory) {
            for statement in policy::statements(document.document) {
                if !statement.is_allow() {
                    continue;
                }
                let Some(any_resource) = statement.any_resource() else {
                    continue;
                };
                let writes: Vec<&str> = statement
                    .actions()
                    .into_iter()
                    .filter_map(|a| a.as_str())
                    .filter(|a| is_flagged_write(a))
                    .collect();
                if writes.is_empty() {
                    continue;
                }
                let listed = writes
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(document.finding(
                    meta,
                    &statement,
                    any_resource.span(),
                    "write",
                    format!(
                        "{} allows write actions {listed} on {}: scope them to the resources the function uses",
                        document.label,
                        any_resource.describe(),
                    ),
                ));
            }
        }
    }
}

fn is_flagged_write(action: &str) -> bool {
    !policy::is_every_action(action)
        && policy::is_write_action(action)
        && !ONLY_ON_ANY_RESOURCE
            .iter()
            .any(|a| a.eq_ignore_ascii_case(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_less_actions_are_not_flagged() {
        assert!(!is_flagged_write("xray:PutTraceSegments"));
        assert!(!is_flagged_write("EC2:CreateNetworkInterface"));
        assert!(!is_flagged_write("*"));
        // Scopable, so flagged: log groups have ARNs.
        assert!(is_flagged_write("logs:CreateLogGroup"));
        assert!(is_flagged_write("xray:Put*"));
    }
}
