use warden_model::{EventSource, Finding, RuleMeta, ValueKind};

use super::branches::gaps;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions invoked asynchronously — by S3, SNS, EventBridge rules, schedules or
    /// CloudWatch Logs subscriptions — that have neither a dead-letter queue
    /// (`DeadLetterConfig`, SAM `DeadLetterQueue`) nor an on-failure destination
    /// (`AWS::Lambda::EventInvokeConfig`, SAM `EventInvokeConfig`).
    ///
    /// Functions triggered only synchronously (API Gateway, function URLs) or by polled event
    /// source mappings (SQS, Kinesis, DynamoDB streams, whose failures are kept by the queue or
    /// the mapping's own on-failure destination) are not reported.
    ///
    /// ## Why is this bad
    /// Lambda retries a failed asynchronous event twice, then drops it. Without a dead-letter
    /// queue or an on-failure destination the event is lost without trace: lost work, and lost
    /// evidence when failures are caused by an attack (malformed or malicious events that crash
    /// the function, or throttling forced on purpose).
    ///
    /// ## Example
    /// ```yaml
    /// Resize:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     CodeUri: src/
    ///     Events:
    ///       Upload:
    ///         Type: S3
    ///         Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Resize:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     CodeUri: src/
    ///     EventInvokeConfig:
    ///       DestinationConfig:
    ///         OnFailure:
    ///           Type: SQS
    ///           Destination: !GetAtt ResizeFailures.Arn
    ///     Events:
    ///       Upload:
    ///         Type: S3
    ///         Properties: { Bucket: !Ref Uploads, Events: s3:ObjectCreated:* }
    /// ```
    ///
    /// ## Fix
    /// Add an on-failure destination (SQS, SNS, EventBridge or another function) with
    /// `EventInvokeConfig`, which also records the error and the request context, or a
    /// dead-letter queue with `DeadLetterConfig.TargetArn`. Alarm on its depth.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    pub struct AsyncWithoutFailureDestination {
        id: "CFG007",
        name: "async-without-failure-destination",
        summary: "Asynchronously invoked function has no dead-letter queue or on-failure destination",
        layer: Configuration,
        severity: Medium,
        checklist: [Audits],
        sources: ["checkov:CKV_AWS_116"],
    }
}

impl Check for AsyncWithoutFailureDestination {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            let triggers: Vec<String> = cx
                .inventory
                .event_sources_of(&function.meta.id)
                .filter(|e| e.kind.is_asynchronous())
                .map(|e| describe(e, &function.meta.name))
                .collect();
            if triggers.is_empty() {
                continue;
            }
            let has_destination = cx.inventory.event_invoke_configs.iter().any(|c| {
                c.function.target.as_deref() == Some(function.meta.id.as_str())
                    && c.on_failure_destination.as_ref().is_some_and(|d| !d.is_null())
            });
            if has_destination {
                continue;
            }
            for gap in gaps(function.dead_letter_target.as_ref()) {
                out.push(finding_at(
                    meta,
                    &function.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "function `{}` is invoked asynchronously by {} but has neither a dead-letter queue \
                         nor an on-failure destination{}; events that fail every retry are dropped",
                        function.meta.name,
                        triggers.join(", "),
                        gap.when,
                    ),
                ));
            }
        }
    }
}

/// `S3 (`Uploads`)`, `a schedule (`rate(1 day)`)`: the kind of trigger and what it is, named by
/// the resource it refers to, a short literal source, or the trigger's own resource.
fn describe(trigger: &EventSource, function: &str) -> String {
    let source = trigger.source.as_ref().and_then(|s| match &s.kind {
        ValueKind::Unknown(u) if !u.refs.is_empty() => Some(u.refs.join(", ")),
        ValueKind::String(text) if text.chars().count() <= 60 => Some(text.clone()),
        _ => None,
    });
    match source.or_else(|| (trigger.meta.name != function).then(|| trigger.meta.name.clone())) {
        Some(name) => format!("{} (`{name}`)", trigger.kind.describe()),
        None => trigger.kind.describe().to_string(),
    }
}
