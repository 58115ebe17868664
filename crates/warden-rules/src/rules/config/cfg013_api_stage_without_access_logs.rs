use warden_model::{Finding, RuleMeta};

use super::branches::gaps;
use super::stages::stage_label;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds API Gateway stages (REST API and HTTP API stages, including the stages SAM creates
    /// implicitly) with no access log destination (`AccessLogSetting.DestinationArn`, HTTP API
    /// `AccessLogSettings.DestinationArn`, SAM `AccessLogSetting`).
    ///
    /// ## Why is this bad
    /// Access logs are the record of who called the API: source IP, caller identity, route,
    /// status and latency of each request. Lambda and CloudTrail do not record API requests.
    /// Without access logs, unauthorized access attempts, credential stuffing or abuse of an
    /// unauthenticated route cannot be detected or investigated afterwards.
    ///
    /// ## Example
    /// ```yaml
    /// ProdStage:
    ///   Type: AWS::ApiGatewayV2::Stage
    ///   Properties:
    ///     ApiId: !Ref HttpApi
    ///     StageName: prod
    ///     AutoDeploy: true
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// ProdStage:
    ///   Type: AWS::ApiGatewayV2::Stage
    ///   Properties:
    ///     ApiId: !Ref HttpApi
    ///     StageName: prod
    ///     AutoDeploy: true
    ///     AccessLogSettings:
    ///       DestinationArn: !GetAtt ApiAccessLogs.Arn
    ///       Format: '$context.requestId $context.identity.sourceIp $context.routeKey $context.status'
    /// ```
    ///
    /// ## Fix
    /// Send access logs to a CloudWatch Logs log group (with retention and KMS encryption, see
    /// MON001 and MON002) or a Firehose stream, in a format that includes the request id,
    /// source IP, caller identity, route and status.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
    pub struct ApiStageWithoutAccessLogs {
        id: "CFG013",
        name: "api-stage-without-access-logs",
        summary: "API Gateway stage has no access logs",
        layer: Configuration,
        severity: Low,
        checklist: [Audits],
        sources: ["checkov:CKV_AWS_76"],
    }
}

impl Check for ApiStageWithoutAccessLogs {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for stage in &cx.inventory.stages {
            for gap in gaps(stage.access_log_destination.as_ref()) {
                out.push(finding_at(
                    meta,
                    &stage.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "{} has no access log destination{}; API requests are not recorded",
                        stage_label(cx.inventory, stage),
                        gap.when
                    ),
                ));
            }
        }
    }
}
