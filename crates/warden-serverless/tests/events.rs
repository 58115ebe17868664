//! Events other than APIs: the trigger each makes, and the permission the framework creates
//! for push-based sources, with what pins the caller (SourceArn / SourceAccount / token).

mod common;

use common::{has_finding, id, inventory, permission, text, triggers};
use warden_model::EventSourceKind;

const SERVICE: &str = r#"
service: jobs
provider:
  name: aws
  runtime: python3.12
functions:
  handler:
    handler: h.main
    events:
      - s3: uploads
      - s3:
          bucket: archive
          event: s3:ObjectCreated:*
          existing: true
      - sns: alerts
      - sns:
          arn: arn:aws:sns:eu-west-1:123456789012:external
      - schedule: rate(5 minutes)
      - schedule:
          rate: [cron(0 12 * * ? *), rate(1 day)]
      - eventBridge:
          pattern:
            source: [shop.orders]
      - cloudwatchEvent:
          event:
            source: [aws.ec2]
      - cloudwatchLog: /aws/lambda/other
      - iot:
          sql: "SELECT * FROM 'topic'"
      - alexaSkill: amzn1.ask.skill.1234
      - cognitoUserPool:
          pool: users
          trigger: PreSignUp
  streams:
    handler: h.streams
    events:
      - sqs:
          arn: arn:aws:sqs:eu-west-1:123456789012:jobs
      - stream:
          arn: arn:aws:kinesis:eu-west-1:123456789012:stream/clicks
          destinations:
            onFailure: arn:aws:sqs:eu-west-1:123456789012:clicks-failed
      - stream:
          type: dynamodb
          arn: !GetAtt Table.StreamArn
      - kafka:
          topic: t
          bootstrapServers: [b1:9092]
  balancer:
    handler: h.alb
    events:
      - alb:
          listenerArn: !Ref Listener
          priority: 1
          conditions:
            path: /hello
resources:
  Resources:
    Table:
      Type: AWS::DynamoDB::Table
"#;

#[test]
fn each_event_is_a_trigger_of_its_function() {
    let inv = inventory(SERVICE);
    let kinds: Vec<EventSourceKind> = triggers(&inv, "handler").iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventSourceKind::S3,
            EventSourceKind::S3,
            EventSourceKind::Sns,
            EventSourceKind::Sns,
            EventSourceKind::Schedule,
            EventSourceKind::Schedule,
            EventSourceKind::Schedule,
            EventSourceKind::EventBridge,
            EventSourceKind::EventBridge,
            EventSourceKind::CloudWatchLogs,
            EventSourceKind::Iot,
            EventSourceKind::Other,
            EventSourceKind::Other,
        ]
    );
    let all = triggers(&inv, "handler");
    let first = all[0];
    assert_eq!(first.meta.id, format!("{}.Events.0", id("HandlerLambdaFunction")));
    assert_eq!(
        first.meta.implied_by.as_deref(),
        Some(id("HandlerLambdaFunction").as_str())
    );
    assert_eq!(
        first.function.target.as_deref(),
        Some(id("HandlerLambdaFunction").as_str())
    );
    assert_eq!(text(first.source.as_ref()).as_deref(), Some("uploads"));
    assert_eq!(first.meta.origin.span().start.line, 10);
    // Two rates of one event are two schedules, with distinct ids.
    assert_ne!(all[5].meta.id, all[6].meta.id);
    assert_eq!(text(all[6].source.as_ref()).as_deref(), Some("rate(1 day)"));
}

#[test]
fn poll_based_triggers_keep_their_source_and_failure_destination() {
    let inv = inventory(SERVICE);
    let streams = triggers(&inv, "streams");
    let kinds: Vec<EventSourceKind> = streams.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventSourceKind::Sqs,
            EventSourceKind::Kinesis,
            EventSourceKind::DynamoDb,
            EventSourceKind::Kafka
        ]
    );
    assert_eq!(
        text(streams[1].on_failure_destination.as_ref()).as_deref(),
        Some("arn:aws:sqs:eu-west-1:123456789012:clicks-failed")
    );
    // A CloudFormation reference resolves to what it refers to.
    let table = streams[2]
        .source
        .as_ref()
        .and_then(|s| s.as_unknown())
        .expect("unknown");
    assert_eq!(table.refs, vec!["Table".to_string()]);
    assert!(
        inv.permissions.iter().all(|p| p.meta.name != "streams"),
        "polling needs no permission"
    );
}

#[test]
fn s3_may_invoke_for_its_bucket_in_this_account() {
    let inv = inventory(SERVICE);
    let uploads = permission(&inv, "HandlerLambdaPermissionUploadsS3");
    assert_eq!(uploads.meta.name, "handler");
    assert_eq!(
        uploads.meta.implied_by.as_deref(),
        Some(id("HandlerLambdaFunction").as_str())
    );
    assert_eq!(
        text(Some(&uploads.principal)).as_deref(),
        Some("s3.amazonaws.com")
    );
    assert_eq!(
        text(uploads.source_arn.as_ref()).as_deref(),
        Some("arn:aws:s3:::uploads")
    );
    assert!(uploads.source_account.is_some());
    let existing = permission(&inv, "HandlerLambdaPermissionArchiveS3");
    assert_eq!(
        text(existing.source_arn.as_ref()).as_deref(),
        Some("arn:aws:s3:::archive")
    );
}

#[test]
fn push_sources_are_pinned_to_their_source() {
    let inv = inventory(SERVICE);
    let pinned = |logical: &str, principal: &str| {
        let p = permission(&inv, logical);
        assert_eq!(text(Some(&p.principal)).as_deref(), Some(principal), "{logical}");
        assert!(
            p.source_arn.is_some() || p.event_source_token.is_some(),
            "{logical} is not pinned"
        );
    };
    pinned("HandlerLambdaPermissionAlertsSNS", "sns.amazonaws.com");
    pinned("HandlerLambdaPermissionExternalSNS", "sns.amazonaws.com");
    pinned(
        "HandlerLambdaPermissionEventsRuleSchedule1",
        "events.amazonaws.com",
    );
    pinned(
        "HandlerLambdaPermissionEventsRuleSchedule3",
        "events.amazonaws.com",
    );
    pinned("HandlerEventBridgeLambdaPermission1", "events.amazonaws.com");
    pinned(
        "HandlerLambdaPermissionEventsRuleCloudWatchEvent1",
        "events.amazonaws.com",
    );
    pinned(
        "HandlerLambdaPermissionLogsSubscriptionFilterCloudWatchLog",
        "logs.amazonaws.com",
    );
    pinned("HandlerLambdaPermissionIotTopicRule1", "iot.amazonaws.com");
    pinned("HandlerLambdaPermissionAlexaSkill1", "alexa-appkit.amazon.com");
    pinned(
        "HandlerLambdaPermissionCognitoUserPoolUsersTriggerSourcePreSignUp",
        "cognito-idp.amazonaws.com",
    );
    assert_eq!(
        text(
            permission(&inv, "HandlerLambdaPermissionExternalSNS")
                .source_arn
                .as_ref()
        )
        .as_deref(),
        Some("arn:aws:sns:eu-west-1:123456789012:external")
    );
    assert_eq!(
        text(
            permission(&inv, "HandlerLambdaPermissionAlexaSkill1")
                .event_source_token
                .as_ref()
        )
        .as_deref(),
        Some("amzn1.ask.skill.1234")
    );
    assert!(!has_finding(&inv, "ACC002", "handler"));
}

#[test]
fn the_load_balancer_permission_to_register_targets_names_no_source() {
    let inv = inventory(SERVICE);
    let invoke = permission(&inv, "BalancerLambdaPermissionAlb");
    assert!(invoke.source_arn.is_some());
    let register = permission(&inv, "BalancerLambdaPermissionRegisterTarget");
    assert!(register.source_arn.is_none());
    assert!(has_finding(&inv, "ACC002", "balancer"));
}

#[test]
fn asynchronous_events_without_a_failure_destination_are_reported() {
    let inv = inventory(SERVICE);
    assert!(has_finding(&inv, "CFG007", "handler"));
    assert!(
        !has_finding(&inv, "CFG007", "streams"),
        "polled sources retry on their own"
    );
    let with_dlq = inventory(
        "service: s\nprovider: {name: aws, runtime: python3.12}\nfunctions:\n  f:\n    handler: h.h\n    onError: arn:aws:sns:eu-west-1:123456789012:dlq\n    events:\n      - s3: b\n",
    );
    assert!(!has_finding(&with_dlq, "CFG007", "f"));
}

#[test]
fn unknown_event_types_are_noted() {
    let loaded = common::load(
        "service: s\nprovider: {name: aws, runtime: python3.12}\nfunctions:\n  f:\n    handler: h.h\n    events:\n      - pigeon: {}\n      - just-a-string\n",
    );
    let notes = common::diagnostics(&loaded, warden_model::DiagnosticLevel::Note);
    assert!(notes.iter().any(|n| n.contains("`pigeon`")), "{notes:?}");
    let warnings = common::diagnostics(&loaded, warden_model::DiagnosticLevel::Warning);
    assert!(warnings.iter().any(|w| w.contains("event 1")), "{warnings:?}");
}
