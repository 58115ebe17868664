use warden_model::{Finding, RuleMeta};

use super::branches::gaps;
use super::log_groups::log_group_label;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds CloudWatch Logs log groups with no retention period (`RetentionInDays`).
    ///
    /// Log groups that Lambda creates by itself (`/aws/lambda/<function>`, when the template
    /// defines none) never expire either; they are not in the template, so define them there
    /// to give them a retention.
    ///
    /// ## Why is this bad
    /// Without a retention period, logs are kept forever: personal data and any secret a
    /// function ever logged stay readable indefinitely, beyond what data-protection rules
    /// allow, and storage cost only grows. An explicit retention is also the statement that
    /// logs are kept *long enough* for investigations and audits.
    ///
    /// ## Example
    /// ```yaml
    /// ApiLogs:
    ///   Type: AWS::Logs::LogGroup
    ///   Properties:
    ///     LogGroupName: /aws/lambda/api
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
    /// Set `RetentionInDays` to the period your audit and legal requirements ask for (often
    /// one year for security-relevant logs), and export longer-lived records to S3 with
    /// lifecycle rules if needed.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
    /// - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html
    pub struct LogGroupWithoutRetention {
        id: "MON001",
        name: "log-group-without-retention",
        summary: "Log group keeps logs forever",
        layer: Monitoring,
        severity: Low,
        checklist: [Audits],
        sources: ["checkov:CKV_AWS_66"],
    }
}

impl Check for LogGroupWithoutRetention {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for group in &cx.inventory.log_groups {
            for gap in gaps(group.retention_in_days.as_ref()) {
                out.push(finding_at(
                    meta,
                    &group.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "{} has no retention period (`RetentionInDays`){}; its logs never expire",
                        log_group_label(group),
                        gap.when
                    ),
                ));
            }
        }
    }
}
