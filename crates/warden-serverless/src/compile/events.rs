//! A function's `events`: the permissions, rules and mappings the framework creates for each
//! (`compile/events/*.js`), and the triggers. API events (`http`, `httpApi`, `websocket`) are
//! in `api`.

use std::collections::HashMap;

use warden_model::{EventSourceKind, Span, Value, ValueKind};

use super::{Compiler, FunctionDef, Trigger};
use crate::build::{Obj, concat, get_att, reference, set, statement, text, truthy};
use crate::naming;

impl Compiler<'_> {
    pub(super) fn events(&mut self, f: &FunctionDef) {
        let Some(events) = set(&f.body, "events") else {
            return;
        };
        let items = match &events.kind {
            ValueKind::List(items) => items.clone(),
            _ => {
                self.not_read(events, &format!("events of `{}`", f.name));
                return;
            }
        };
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut queue_arns: Vec<Value> = Vec::new();
        let mut stream_statements = StreamStatements::default();
        let mut log_groups: Vec<(Value, Span)> = Vec::new();
        let mut schedules = 0usize;
        for (index, event) in items.iter().enumerate() {
            let Some([(kind, config)]) = event.as_map() else {
                if event.is_unknown() {
                    self.not_read(event, &format!("an event of `{}`", f.name));
                } else {
                    self.diagnostics.push(warden_model::Diagnostic::warning(
                        "invalid-event",
                        Some(self.origin(event.span)),
                        format!(
                            "event {index} of `{}` should be a mapping with one event type; it is not analysed",
                            f.name
                        ),
                    ));
                }
                continue;
            };
            let n = {
                let count = counts.entry(kind.name.clone()).or_insert(0);
                *count += 1;
                *count
            };
            let at = Event {
                index,
                n,
                span: event.span,
                config,
            };
            match kind.name.as_str() {
                "http" => self.http_event(f, &at),
                "httpApi" => self.http_api_event(f, &at),
                "websocket" => self.websocket_event(f, &at),
                "s3" => self.s3_event(f, &at),
                "sns" => self.sns_event(f, &at),
                "sqs" => {
                    let arn = set(config, "arn").unwrap_or(config).clone();
                    queue_arns.push(arn.clone());
                    self.trigger(
                        f,
                        &at,
                        EventSourceKind::Sqs,
                        Some(arn),
                        None,
                        "AWS::Lambda::EventSourceMapping",
                    );
                }
                "stream" => self.stream_event(f, &at, &mut stream_statements),
                "schedule" => self.schedule_event(f, &at, &mut schedules),
                "eventBridge" => self.event_bridge_event(f, &at),
                "cloudwatchEvent" => self.cloudwatch_event(f, &at),
                "cloudwatchLog" => {
                    let group = set(config, "logGroup").unwrap_or(config).clone();
                    log_groups.push((group.clone(), at.span));
                    self.trigger(
                        f,
                        &at,
                        EventSourceKind::CloudWatchLogs,
                        Some(group),
                        None,
                        "AWS::Logs::SubscriptionFilter",
                    );
                }
                "alb" => self.alb_event(f, &at),
                "iot" => self.iot_event(f, &at),
                "alexaSkill" => self.alexa_event(f, &at, "alexa-appkit.amazon.com", "AlexaSkill"),
                "alexaSmartHome" => {
                    self.alexa_event(f, &at, "alexa-connectedhome.amazon.com", "AlexaSmartHome")
                }
                "cognitoUserPool" => self.cognito_event(f, &at),
                "kafka" | "msk" => {
                    let source = set(config, "arn")
                        .or_else(|| set(config, "bootstrapServers"))
                        .cloned();
                    self.trigger(
                        f,
                        &at,
                        EventSourceKind::Kafka,
                        source,
                        None,
                        "AWS::Lambda::EventSourceMapping",
                    );
                }
                "activemq" | "rabbitmq" => {
                    let source = set(config, "arn").cloned();
                    self.trigger(
                        f,
                        &at,
                        EventSourceKind::MQ,
                        source,
                        None,
                        "AWS::Lambda::EventSourceMapping",
                    );
                }
                // Lambda@Edge and IoT fleet provisioning invoke synchronously through their
                // service; the framework adds no resource-based permission a rule could judge.
                "cloudFront" | "iotFleetProvisioning" => self.trigger(
                    f,
                    &at,
                    EventSourceKind::Other,
                    None,
                    None,
                    "AWS::Lambda::Function",
                ),
                other => self.note(
                    at.span,
                    format!(
                        "event type `{other}` of `{}` is not modelled (a plugin's?); not analysed",
                        f.name
                    ),
                ),
            }
        }
        if f.default_role && !queue_arns.is_empty() {
            let span = queue_arns[0].span;
            self.add_role_statement(statement(
                "Allow",
                &[
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                ],
                queue_arns,
                span,
            ));
        }
        if f.default_role {
            for statement in stream_statements.into_statements() {
                self.add_role_statement(statement);
            }
        }
        if !log_groups.is_empty() {
            self.log_permission(f, &log_groups);
        }
    }

    /// A permission for a service to invoke the function.
    pub(super) fn permission(&mut self, f: &FunctionDef, logical: &str, grant: Grant, span: Span) {
        let naming = self.implied(f);
        self.permission_for(get_att(&f.logical, "Arn", span), logical, grant, span, naming);
    }

    /// A permission for a service to invoke `function` (a function of the service or an ARN).
    pub(super) fn permission_for(
        &mut self,
        function: Value,
        logical: &str,
        grant: Grant,
        span: Span,
        naming: super::Naming,
    ) {
        let props = Obj::new(span)
            .set("FunctionName", function)
            .set("Action", text("lambda:InvokeFunction", span))
            .set("Principal", text(grant.principal, span))
            .opt("SourceArn", grant.source_arn)
            .opt("SourceAccount", grant.source_account)
            .opt("EventSourceToken", grant.event_source_token)
            .build();
        let body = self.resource("AWS::Lambda::Permission", props, span, None);
        self.add(logical, span, body, naming);
    }

    pub(super) fn trigger(
        &mut self,
        f: &FunctionDef,
        at: &Event<'_>,
        kind: EventSourceKind,
        source: Option<Value>,
        on_failure: Option<Value>,
        resource_type: &'static str,
    ) {
        self.triggers.push(Trigger {
            function: f.logical.clone(),
            index: at.index,
            kind,
            source,
            on_failure,
            span: at.span,
            resource_type,
        });
    }

    /// `s3: bucket` or `s3: {bucket, event, rules, existing}`: the bucket (created unless
    /// `existing`) notifies the function; S3 may invoke it for that bucket in this account.
    fn s3_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let bucket = set(at.config, "bucket").unwrap_or(at.config).clone();
        let existing = truthy(set(at.config, "existing"));
        let bucket_id = match (&bucket.kind, bucket.get("Ref").and_then(Value::as_str)) {
            (ValueKind::String(name), _) => naming::alphanumeric(name),
            (_, Some(logical)) => logical.to_string(),
            _ => format!("Bucket{}", at.index),
        };
        if let (ValueKind::String(_), false) = (&bucket.kind, existing) {
            let logical = format!("S3Bucket{bucket_id}");
            if !self.has_resource(&logical) {
                let props = Obj::new(at.span).set("BucketName", bucket.clone()).build();
                let body = self.resource("AWS::S3::Bucket", props, at.span, None);
                let naming = self.implied(f);
                self.add(&logical, bucket.span.or(at.span), body, naming);
            }
        }
        let span = at.span;
        let source_arn = concat(
            vec![
                text("arn:", span),
                reference("AWS::Partition", span),
                text(":s3:::", span),
                bucket.clone(),
            ],
            span,
        );
        let grant = Grant {
            principal: "s3.amazonaws.com",
            source_arn: Some(source_arn),
            source_account: Some(reference("AWS::AccountId", span)),
            event_source_token: None,
        };
        self.permission(
            f,
            &format!("{}LambdaPermission{bucket_id}S3", f.base),
            grant,
            span,
        );
        let resource_type = if existing { "Custom::S3" } else { "AWS::S3::Bucket" };
        self.trigger(f, at, EventSourceKind::S3, Some(bucket), None, resource_type);
    }

    /// `sns: topic-name`, `sns: arn`, or `sns: {arn, topicName, filterPolicy, ...}`: a topic
    /// (created when only named) and SNS allowed to invoke for that topic.
    fn sns_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let config = at.config;
        let span = at.span;
        let arn = match &config.kind {
            ValueKind::String(s) if s.starts_with("arn:") => Some(config.clone()),
            ValueKind::Map(_) => set(config, "arn").cloned(),
            ValueKind::Unknown(_) => Some(config.clone()),
            _ => None,
        };
        let topic_name = match &config.kind {
            ValueKind::String(s) if !s.starts_with("arn:") => Some(s.clone()),
            _ => set(config, "topicName")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    arn.as_ref()
                        .and_then(Value::as_str)
                        .and_then(|a| a.rsplit(':').next())
                        .map(str::to_string)
                }),
        };
        let topic_id = topic_name
            .as_deref()
            .map(naming::alphanumeric)
            .unwrap_or_default();
        let (topic_arn, source) = match arn {
            Some(arn) => (arn.clone(), arn),
            None => {
                let name = text(topic_name.clone().unwrap_or_default(), config.span);
                let logical = format!("SNSTopic{topic_id}");
                if !self.has_resource(&logical) {
                    let props = Obj::new(span)
                        .set("TopicName", name.clone())
                        .opt("DisplayName", set(config, "displayName").cloned())
                        .build();
                    let body = self.resource("AWS::SNS::Topic", props, span, None);
                    let naming = self.implied(f);
                    self.add(&logical, config.span.or(span), body, naming);
                }
                let arn = concat(
                    vec![
                        text("arn:", span),
                        reference("AWS::Partition", span),
                        text(":sns:", span),
                        reference("AWS::Region", span),
                        text(":", span),
                        reference("AWS::AccountId", span),
                        text(":", span),
                        name.clone(),
                    ],
                    span,
                );
                (arn, name)
            }
        };
        let grant = Grant {
            principal: "sns.amazonaws.com",
            source_arn: Some(topic_arn),
            source_account: None,
            event_source_token: None,
        };
        self.permission(
            f,
            &format!("{}LambdaPermission{topic_id}SNS", f.base),
            grant,
            span,
        );
        self.trigger(
            f,
            at,
            EventSourceKind::Sns,
            Some(source),
            None,
            "AWS::SNS::Subscription",
        );
    }

    /// `stream: arn` or `{arn, type, destinations: {onFailure}}`: a DynamoDB or Kinesis mapping.
    fn stream_event(&mut self, f: &FunctionDef, at: &Event<'_>, statements: &mut StreamStatements) {
        let config = at.config;
        let arn = set(config, "arn").unwrap_or(config).clone();
        let declared = set(config, "type").and_then(Value::as_str).map(str::to_string);
        let kind = match declared.as_deref() {
            Some("dynamodb") => EventSourceKind::DynamoDb,
            Some("kinesis") => EventSourceKind::Kinesis,
            _ => stream_kind(&arn),
        };
        let on_failure = crate::build::at(config, &["destinations", "onFailure"]).map(|target| {
            let destination = set(target, "arn").unwrap_or(target).clone();
            let sns = set(target, "type").and_then(Value::as_str) == Some("sns")
                || destination.as_str().is_some_and(|a| a.contains(":sns:"));
            if sns {
                statements.sns.push(destination.clone());
            } else {
                statements.sqs.push(destination.clone());
            }
            destination
        });
        let consumer = truthy(set(config, "consumer"));
        match (kind, consumer) {
            (EventSourceKind::DynamoDb, _) => statements.dynamodb.push(arn.clone()),
            (_, true) => statements.kinesis_consumer.push(arn.clone()),
            _ => statements.kinesis.push(arn.clone()),
        }
        self.trigger(
            f,
            at,
            kind,
            Some(arn),
            on_failure,
            "AWS::Lambda::EventSourceMapping",
        );
    }

    /// `schedule: rate(...)` or `{rate: [...], method}`: an EventBridge rule (or, with
    /// `method: scheduler`, an EventBridge Scheduler schedule) per expression.
    fn schedule_event(&mut self, f: &FunctionDef, at: &Event<'_>, count: &mut usize) {
        let config = at.config;
        let rates: Vec<Value> = match set(config, "rate").unwrap_or(config) {
            Value {
                kind: ValueKind::List(items),
                ..
            } => items.clone(),
            rate => vec![rate.clone()],
        };
        let scheduler = set(config, "method").and_then(Value::as_str) == Some("scheduler");
        let span = at.span;
        for rate in rates {
            *count += 1;
            let n = *count;
            if scheduler {
                let props = Obj::new(span).set("ScheduleExpression", rate.clone()).build();
                let body = self.resource("AWS::Scheduler::Schedule", props, span, None);
                let naming = self.implied(f);
                self.add(&format!("{}SchedulerSchedule{n}", f.base), span, body, naming);
            } else {
                let rule = format!("{}EventsRuleSchedule{n}", f.base);
                self.rule(
                    f,
                    &rule,
                    Obj::new(span).set("ScheduleExpression", rate.clone()),
                    span,
                );
                let grant = Grant::events(get_att(&rule, "Arn", span));
                self.permission(
                    f,
                    &format!("{}LambdaPermissionEventsRuleSchedule{n}", f.base),
                    grant,
                    span,
                );
            }
            let resource_type = if scheduler {
                "AWS::Scheduler::Schedule"
            } else {
                "AWS::Events::Rule"
            };
            self.trigger(f, at, EventSourceKind::Schedule, Some(rate), None, resource_type);
        }
    }

    /// `eventBridge: {pattern | schedule, eventBus, ...}`.
    fn event_bridge_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let config = at.config;
        let span = at.span;
        let schedule = set(config, "schedule").cloned();
        let pattern = set(config, "pattern").cloned();
        let rule_name = set(config, "name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}-rule-{}", f.name, at.n));
        let rule = format!("{}EventBridgeRule", naming::alphanumeric(&rule_name));
        let props = Obj::new(span)
            .opt("EventBusName", set(config, "eventBus").cloned())
            .opt("EventPattern", pattern.clone())
            .opt("ScheduleExpression", schedule.clone());
        self.rule(f, &rule, props, span);
        let grant = Grant::events(get_att(&rule, "Arn", span));
        self.permission(
            f,
            &format!("{}EventBridgeLambdaPermission{}", f.base, at.n),
            grant,
            span,
        );
        let (kind, source) = match schedule {
            Some(schedule) => (EventSourceKind::Schedule, Some(schedule)),
            None => (EventSourceKind::EventBridge, pattern),
        };
        self.trigger(f, at, kind, source, None, "AWS::Events::Rule");
    }

    /// `cloudwatchEvent: {event: pattern}` (the older name of an EventBridge rule).
    fn cloudwatch_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let span = at.span;
        let pattern = set(at.config, "event").cloned();
        let rule = format!("{}EventsRuleCloudWatchEvent{}", f.base, at.n);
        self.rule(
            f,
            &rule,
            Obj::new(span).opt("EventPattern", pattern.clone()),
            span,
        );
        let grant = Grant::events(get_att(&rule, "Arn", span));
        self.permission(
            f,
            &format!("{}LambdaPermissionEventsRuleCloudWatchEvent{}", f.base, at.n),
            grant,
            span,
        );
        self.trigger(
            f,
            at,
            EventSourceKind::EventBridge,
            pattern,
            None,
            "AWS::Events::Rule",
        );
    }

    /// An EventBridge rule, without its target: the trigger is recorded on its own.
    fn rule(&mut self, f: &FunctionDef, logical: &str, props: Obj, span: Span) {
        let body = self.resource("AWS::Events::Rule", props.build(), span, None);
        let naming = self.implied(f);
        self.add(logical, span, body, naming);
    }

    /// One permission for all of a function's log subscriptions: the log groups' common
    /// prefix, as the framework writes it.
    fn log_permission(&mut self, f: &FunctionDef, groups: &[(Value, Span)]) {
        let span = groups[0].1;
        let group = match groups {
            [(only, _)] => only.clone(),
            _ => {
                let names: Vec<&str> = groups.iter().filter_map(|(g, _)| g.as_str()).collect();
                let prefix = common_prefix(&names);
                text(format!("{prefix}*"), span)
            }
        };
        let source_arn = concat(
            vec![
                text("arn:", span),
                reference("AWS::Partition", span),
                text(":logs:", span),
                reference("AWS::Region", span),
                text(":", span),
                reference("AWS::AccountId", span),
                text(":log-group:", span),
                group,
                text(":*", span),
            ],
            span,
        );
        // The framework writes the regional principal `logs.<region>.amazonaws.com`, which is
        // the same service.
        let grant = Grant {
            principal: "logs.amazonaws.com",
            source_arn: Some(source_arn),
            source_account: None,
            event_source_token: None,
        };
        self.permission(
            f,
            &format!("{}LambdaPermissionLogsSubscriptionFilterCloudWatchLog", f.base),
            grant,
            span,
        );
    }

    /// `alb: {listenerArn, priority, conditions}`: the load balancer may invoke the function
    /// for the target group, and (with no source) to register the function as a target.
    fn alb_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let span = at.span;
        let listener = set(at.config, "listenerArn");
        let alb_id = listener
            .and_then(|l| {
                l.get("Ref")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| l.as_str().and_then(|a| a.rsplit('/').nth(1)).map(str::to_string))
            })
            .unwrap_or_default();
        let multi_value = if truthy(set(at.config, "multiValueHeaders")) {
            "MultiValue"
        } else {
            ""
        };
        let target_group = format!("{}Alb{multi_value}TargetGroup{alb_id}", f.base);
        let grant = Grant {
            principal: "elasticloadbalancing.amazonaws.com",
            source_arn: Some(reference(&target_group, span)),
            source_account: None,
            event_source_token: None,
        };
        self.permission(f, &format!("{}LambdaPermissionAlb", f.base), grant, span);
        let register = Grant {
            principal: "elasticloadbalancing.amazonaws.com",
            source_arn: None,
            source_account: None,
            event_source_token: None,
        };
        self.permission(
            f,
            &format!("{}LambdaPermissionRegisterTarget", f.base),
            register,
            span,
        );
        self.trigger(
            f,
            at,
            EventSourceKind::Other,
            listener.cloned(),
            None,
            "AWS::ElasticLoadBalancingV2::TargetGroup",
        );
    }

    /// `iot: {sql}`: a topic rule that invokes the function.
    fn iot_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let span = at.span;
        let rule = format!("{}IotTopicRule{}", f.base, at.n);
        let sql = set(at.config, "sql").cloned();
        let props = Obj::new(span)
            .opt("RuleName", set(at.config, "name").cloned())
            .set("TopicRulePayload", Obj::new(span).opt("Sql", sql.clone()).build())
            .build();
        let body = self.resource("AWS::IoT::TopicRule", props, span, None);
        let naming = self.implied(f);
        self.add(&rule, span, body, naming);
        let source_arn = concat(
            vec![
                text("arn:", span),
                reference("AWS::Partition", span),
                text(":iot:", span),
                reference("AWS::Region", span),
                text(":", span),
                reference("AWS::AccountId", span),
                text(":rule/", span),
                reference(&rule, span),
            ],
            span,
        );
        let grant = Grant {
            principal: "iot.amazonaws.com",
            source_arn: Some(source_arn),
            source_account: None,
            event_source_token: None,
        };
        self.permission(
            f,
            &format!("{}LambdaPermissionIotTopicRule{}", f.base, at.n),
            grant,
            span,
        );
        self.trigger(f, at, EventSourceKind::Iot, sql, None, "AWS::IoT::TopicRule");
    }

    /// `alexaSkill: appId` / `alexaSmartHome: appId`: the skill id pins the caller.
    fn alexa_event(&mut self, f: &FunctionDef, at: &Event<'_>, principal: &'static str, suffix: &str) {
        let span = at.span;
        let app_id = match &at.config.kind {
            ValueKind::Map(_) => set(at.config, "appId").cloned(),
            ValueKind::Null => None,
            _ => Some(at.config.clone()),
        };
        let grant = Grant {
            principal,
            source_arn: None,
            source_account: None,
            event_source_token: app_id,
        };
        self.permission(
            f,
            &format!("{}LambdaPermission{suffix}{}", f.base, at.n),
            grant,
            span,
        );
        self.trigger(
            f,
            at,
            EventSourceKind::Other,
            None,
            None,
            "AWS::Lambda::Permission",
        );
    }

    /// `cognitoUserPool: {pool, trigger, existing}`: the pool (created unless `existing`) may
    /// invoke the function.
    fn cognito_event(&mut self, f: &FunctionDef, at: &Event<'_>) {
        let span = at.span;
        let pool = set(at.config, "pool")
            .cloned()
            .unwrap_or_else(|| Value::null(span));
        let pool_id = pool.as_str().map(naming::alphanumeric).unwrap_or_default();
        let trigger_id = set(at.config, "trigger")
            .and_then(Value::as_str)
            .map(naming::alphanumeric)
            .unwrap_or_default();
        let source_arn = if truthy(set(at.config, "existing")) {
            concat(
                vec![
                    text("arn:", span),
                    reference("AWS::Partition", span),
                    text(":cognito-idp:", span),
                    reference("AWS::Region", span),
                    text(":", span),
                    reference("AWS::AccountId", span),
                    text(":userpool/", span),
                    pool.clone(),
                ],
                span,
            )
        } else {
            let logical = format!("CognitoUserPool{pool_id}");
            if !self.has_resource(&logical) {
                let props = Obj::new(span).set("UserPoolName", pool.clone()).build();
                let body = self.resource("AWS::Cognito::UserPool", props, span, None);
                let naming = self.implied(f);
                self.add(&logical, span, body, naming);
            }
            get_att(&logical, "Arn", span)
        };
        let grant = Grant {
            principal: "cognito-idp.amazonaws.com",
            source_arn: Some(source_arn),
            source_account: None,
            event_source_token: None,
        };
        let logical = format!(
            "{}LambdaPermissionCognitoUserPool{pool_id}TriggerSource{trigger_id}",
            f.base
        );
        self.permission(f, &logical, grant, span);
        self.trigger(
            f,
            at,
            EventSourceKind::Other,
            Some(pool),
            None,
            "AWS::Cognito::UserPool",
        );
    }
}

/// One event of a function.
pub(crate) struct Event<'e> {
    /// Position in `events`.
    pub index: usize,
    /// 1-based count of events of this type in the function so far.
    pub n: usize,
    pub span: Span,
    /// What follows the event type.
    pub config: &'e Value,
}

/// Who a permission admits.
pub(crate) struct Grant {
    pub principal: &'static str,
    pub source_arn: Option<Value>,
    pub source_account: Option<Value>,
    pub event_source_token: Option<Value>,
}

impl Grant {
    fn events(rule_arn: Value) -> Grant {
        Grant {
            principal: "events.amazonaws.com",
            source_arn: Some(rule_arn),
            source_account: None,
            event_source_token: None,
        }
    }
}

/// What stream events add to the shared role, gathered per function.
#[derive(Default)]
struct StreamStatements {
    dynamodb: Vec<Value>,
    kinesis: Vec<Value>,
    kinesis_consumer: Vec<Value>,
    sns: Vec<Value>,
    sqs: Vec<Value>,
}

impl StreamStatements {
    fn into_statements(self) -> Vec<Value> {
        let groups: [(&[&str], Vec<Value>); 5] = [
            (
                &[
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                    "dynamodb:DescribeStream",
                    "dynamodb:ListStreams",
                ],
                self.dynamodb,
            ),
            (
                &[
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:DescribeStream",
                    "kinesis:ListStreams",
                ],
                self.kinesis,
            ),
            (
                &[
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:ListShards",
                    "kinesis:SubscribeToShard",
                ],
                self.kinesis_consumer,
            ),
            (&["sns:Publish"], self.sns),
            (&["sqs:ListQueues", "sqs:SendMessage"], self.sqs),
        ];
        groups
            .into_iter()
            .filter(|(_, resources)| !resources.is_empty())
            .map(|(actions, resources)| {
                let span = resources[0].span;
                statement("Allow", actions, resources, span)
            })
            .collect()
    }
}

/// DynamoDB or Kinesis from a stream ARN (`arn:aws:dynamodb:...`) or from the attribute it
/// reads (`!GetAtt Table.StreamArn`).
fn stream_kind(arn: &Value) -> EventSourceKind {
    if let Some(text) = arn.as_str() {
        return match text.split(':').nth(2) {
            Some("dynamodb") => EventSourceKind::DynamoDb,
            _ => EventSourceKind::Kinesis,
        };
    }
    let attribute = arn
        .get("Fn::GetAtt")
        .and_then(|g| g.as_list())
        .and_then(|l| l.get(1))
        .and_then(Value::as_str);
    if attribute == Some("StreamArn") {
        EventSourceKind::DynamoDb
    } else {
        EventSourceKind::Kinesis
    }
}

fn common_prefix(names: &[&str]) -> String {
    let Some(first) = names.first() else {
        return String::new();
    };
    let mut prefix: &str = first;
    for name in &names[1..] {
        let len = prefix
            .char_indices()
            .zip(name.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        prefix = &prefix[..len];
    }
    prefix.to_string()
}
