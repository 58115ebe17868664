use warden_model::{Finding, RuleMeta};

use super::branches::gaps;
use super::log_groups::log_group_label;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds CloudWatch Logs log groups not encrypted with a customer-managed KMS key
    /// (`KmsKeyId`).
    ///
    /// ## Why is this bad
    /// CloudWatch Logs encrypts every log group at rest, but without `KmsKeyId` it uses a key
    /// owned by the service: anyone allowed `logs:GetLogEvents` or `logs:FilterLogEvents` reads
    /// the logs, and reading them cannot be restricted or audited through a key policy.
    /// Function logs routinely hold request payloads, identifiers and, by mistake, tokens. A
    /// customer-managed key adds a second, auditable control over who can read them, and lets
    /// you make them unreadable at once by disabling the key.
    ///
    /// ## Example
    /// ```yaml
    /// ApiLogs:
    ///   Type: AWS::Logs::LogGroup
    ///   Properties:
    ///     LogGroupName: /aws/lambda/api
    ///     RetentionInDays: 365
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// ApiLogs:
    ///   Type: AWS::Logs::LogGroup
    ///   Properties:
    ///     LogGroupName: /aws/lambda/api
    ///     RetentionInDays: 365
    ///     KmsKeyId: !GetAtt LogsKey.Arn
    /// ```
    ///
    /// ## Fix
    /// Create a KMS key whose key policy allows the CloudWatch Logs service principal of the
    /// Region (`logs.<region>.amazonaws.com`) to use it, with an `kms:EncryptionContext:aws:logs:arn`
    /// condition for the log group, and set `KmsKeyId` to its ARN.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    pub struct LogGroupWithoutKms {
        id: "MON002",
        name: "log-group-without-kms",
        summary: "Log group is not encrypted with a customer-managed KMS key",
        layer: Monitoring,
        severity: Low,
        checklist: [Encryption],
        sources: ["checkov:CKV_AWS_158"],
    }
}

impl Check for LogGroupWithoutKms {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for group in &cx.inventory.log_groups {
            for gap in gaps(group.kms_key.as_ref()) {
                out.push(finding_at(
                    meta,
                    &group.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "{} is not encrypted with a customer-managed KMS key (`KmsKeyId`){}",
                        log_group_label(group),
                        gap.when
                    ),
                ));
            }
        }
    }
}
