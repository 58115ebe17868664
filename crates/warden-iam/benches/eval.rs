//! Evaluations per second for typical requests against a Lambda execution role's policy set:
//! 20 identity statements in three policies (a few with conditions, three denies) and the
//! target function's resource policy. Run with `cargo bench -p warden-iam --bench eval`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use warden_iam::Policy;
use warden_iam::context::{Principal, Request};
use warden_iam::eval::{Outcome, PolicySet};

const ACCOUNT: &str = "111122223333";
const ROLE: &str = "arn:aws:iam::111122223333:role/orders-function-role";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:orders-worker";
const TABLE: &str = "arn:aws:dynamodb:us-east-1:111122223333:table/orders";

fn policy(doc: serde_json::Value) -> Policy {
    Policy::parse(&warden_model::Value::from_json(&doc)).expect("benchmark policy parses")
}

/// AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole, as attached managed
/// policies (4 statements).
fn managed() -> Policy {
    policy(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "arn:aws:logs:us-east-1:111122223333:*"},
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/orders-worker:*"},
        {"Effect": "Allow", "Action": ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
            "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"}
    ]}))
}

/// The function's own inline policy (13 statements, 4 with conditions).
fn inline() -> Policy {
    policy(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Table", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
         "Resource": [TABLE, format!("{TABLE}/index/*")]},
        {"Sid": "Stream", "Effect": "Allow", "Action": ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"],
         "Resource": format!("{TABLE}/stream/*")},
        {"Sid": "ReadDocs", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders-docs/*",
         "Condition": {"StringEquals": {"s3:ExistingObjectTag/classification": ["public", "internal"]}}},
        {"Sid": "WriteUploads", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::orders-docs/uploads/*",
         "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}},
        {"Sid": "Queue", "Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
         "Resource": "arn:aws:sqs:us-east-1:111122223333:orders-in"},
        {"Sid": "Send", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:orders-out"},
        {"Sid": "Notify", "Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:us-east-1:111122223333:orders-*"},
        {"Sid": "Secret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/db-??????"},
        {"Sid": "Key", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
         "Resource": "arn:aws:kms:us-east-1:111122223333:key/*",
         "Condition": {"StringEquals": {"kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com", "s3.us-east-1.amazonaws.com"]}}},
        {"Sid": "Params", "Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters"],
         "Resource": "arn:aws:ssm:us-east-1:111122223333:parameter/orders/*"},
        {"Sid": "Events", "Effect": "Allow", "Action": "events:PutEvents", "Resource": "arn:aws:events:us-east-1:111122223333:event-bus/orders"},
        {"Sid": "Metrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
         "Condition": {"StringEquals": {"cloudwatch:namespace": "Orders"}}},
        {"Sid": "InvokeNext", "Effect": "Allow", "Action": "lambda:InvokeFunction",
         "Resource": ["arn:aws:lambda:us-east-1:111122223333:function:orders-*", "arn:aws:lambda:us-east-1:111122223333:function:orders-*:*"]}
    ]}))
}

/// A guard policy of the kind platform teams attach (3 deny statements).
fn guard() -> Policy {
    policy(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "TlsOnly", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Sid": "NoTableDelete", "Effect": "Deny", "Action": ["dynamodb:DeleteTable", "dynamodb:DeleteBackup"], "Resource": "*"},
        {"Sid": "NoIam", "Effect": "Deny", "Action": ["iam:*", "organizations:*", "sts:AssumeRole"], "Resource": "*"}
    ]}))
}

/// The target function's resource policy: API Gateway, S3 notifications, a partner account.
fn function_policy() -> Policy {
    policy(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Api", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "lambda:InvokeFunction",
         "Resource": FUNCTION, "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:us-east-1:111122223333:abc123/*/POST/orders"}}},
        {"Sid": "Uploads", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
         "Resource": FUNCTION, "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": "arn:aws:s3:::orders-docs"}}},
        {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "lambda:InvokeFunction", "Resource": FUNCTION}
    ]}))
}

fn policy_set() -> PolicySet {
    PolicySet::new()
        .identity(&managed(), "AWSLambdaExecution")
        .identity(&inline(), "orders-inline")
        .identity(&guard(), "platform-guard")
        .resource_policy(&function_policy(), "orders-worker")
}

fn role_request(action: &str, resource: &str) -> Request {
    Request::new(Principal::role_session(ROLE, "orders-worker"), action, resource)
        .with("aws:SecureTransport", "true")
        .with("aws:SourceIp", "10.0.3.17")
        .with("aws:RequestedRegion", "us-east-1")
        .with("aws:PrincipalTag/team", "orders")
        .with("aws:CurrentTime", "2026-11-24T10:00:00Z")
}

fn bench(c: &mut Criterion) {
    let set = policy_set();
    let cases = [
        (
            "dynamodb_get_item_allow",
            role_request("dynamodb:GetItem", TABLE),
            Outcome::Allow,
        ),
        (
            "invoke_function_allow",
            role_request("lambda:InvokeFunction", FUNCTION),
            Outcome::Allow,
        ),
        (
            "s3_put_with_condition_allow",
            role_request("s3:PutObject", "arn:aws:s3:::orders-docs/uploads/a.pdf")
                .with("s3:x-amz-server-side-encryption", "aws:kms"),
            Outcome::Allow,
        ),
        (
            "iam_explicit_deny",
            role_request("iam:PassRole", "arn:aws:iam::111122223333:role/admin"),
            Outcome::ExplicitDeny,
        ),
        (
            "ec2_terminate_implicit_deny",
            role_request(
                "ec2:TerminateInstances",
                "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
            ),
            Outcome::ImplicitDeny,
        ),
        (
            "s3_service_invoke_allow",
            Request::new(
                Principal::service("s3.amazonaws.com"),
                "lambda:InvokeFunction",
                FUNCTION,
            )
            .with("aws:SourceAccount", ACCOUNT)
            .with("aws:SourceArn", "arn:aws:s3:::orders-docs"),
            Outcome::Allow,
        ),
    ];
    let mut group = c.benchmark_group("evaluate_20_statements");
    group.throughput(Throughput::Elements(1));
    for (name, request, expected) in &cases {
        assert_eq!(set.evaluate(request).outcome, *expected, "{name}");
        group.bench_function(*name, |b| {
            b.iter(|| black_box(&set).evaluate(black_box(request)).outcome)
        });
    }
    group.finish();

    let mut compile = c.benchmark_group("compile");
    compile.throughput(Throughput::Elements(1));
    let (m, i, g, f) = (managed(), inline(), guard(), function_policy());
    compile.bench_function("policy_set_23_statements", |b| {
        b.iter(|| {
            PolicySet::new()
                .identity(black_box(&m), "m")
                .identity(black_box(&i), "i")
                .identity(black_box(&g), "g")
                .resource_policy(black_box(&f), "f")
        })
    });
    compile.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
