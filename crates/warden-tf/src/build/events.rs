//! Triggers: S3 notifications, SNS subscriptions, EventBridge targets and schedules, EventBridge
//! Scheduler schedules and CloudWatch Logs subscriptions that invoke a function.

use warden_model::{EventSource, EventSourceKind, Span, Value};

use super::{Builder, FUNCTION};
use crate::resource::{Resource, field};

impl Builder<'_> {
    /// A trigger written inside `res`; `index` tells several apart (one per notification block).
    fn trigger(
        &mut self,
        res: &Resource,
        index: usize,
        kind: EventSourceKind,
        function: &Value,
        source: Option<Value>,
        span: Span,
    ) {
        let mut meta = self.meta(res);
        meta.id = format!("{}.Trigger{index}", meta.id);
        meta.origin = self.origin(res, span);
        self.inv.event_sources.push(EventSource {
            meta,
            kind,
            function: self.link(function, FUNCTION),
            source,
            on_failure_destination: None,
        });
    }

    pub(super) fn bucket_notifications(&mut self, res: &Resource) {
        let bucket = res.get("bucket");
        for (index, config) in res.blocks("lambda_function").into_iter().enumerate() {
            if let Some(function) = field(config, "lambda_function_arn") {
                self.trigger(
                    res,
                    index,
                    EventSourceKind::S3,
                    &function,
                    bucket.clone(),
                    config.span,
                );
            }
        }
    }

    pub(super) fn sns_subscription(&mut self, res: &Resource) {
        if res.get("protocol").as_ref().and_then(Value::as_str) != Some("lambda") {
            return;
        }
        if let Some(endpoint) = res.get("endpoint") {
            self.trigger(
                res,
                0,
                EventSourceKind::Sns,
                &endpoint,
                res.get("topic_arn"),
                res.span,
            );
        }
    }

    /// An EventBridge target that is a function: a schedule when its rule has a
    /// `schedule_expression`, else an event pattern.
    pub(super) fn event_target(&mut self, res: &Resource) {
        let Some(arn) = res.get("arn") else { return };
        if self.target(&arn, FUNCTION).is_none() {
            return;
        }
        let rule = res
            .get("rule")
            .and_then(|r| self.referenced(&r, &["aws_cloudwatch_event_rule"]));
        let schedule = rule.and_then(|r| r.get("schedule_expression"));
        let (kind, source) = match schedule {
            Some(expression) => (EventSourceKind::Schedule, Some(expression)),
            None => (
                EventSourceKind::EventBridge,
                rule.and_then(|r| r.get("event_pattern"))
                    .or_else(|| res.get("rule")),
            ),
        };
        self.trigger(res, 0, kind, &arn, source, res.span);
    }

    pub(super) fn scheduler(&mut self, res: &Resource) {
        if let Some(arn) = res.at(&["target", "arn"])
            && self.target(&arn, FUNCTION).is_some()
        {
            let span = arn.span;
            self.trigger(
                res,
                0,
                EventSourceKind::Schedule,
                &arn,
                res.get("schedule_expression"),
                span,
            );
        }
    }

    pub(super) fn log_subscription(&mut self, res: &Resource) {
        if let Some(destination) = res.get("destination_arn")
            && self.target(&destination, FUNCTION).is_some()
        {
            self.trigger(
                res,
                0,
                EventSourceKind::CloudWatchLogs,
                &destination,
                res.get("log_group_name"),
                res.span,
            );
        }
    }
}
