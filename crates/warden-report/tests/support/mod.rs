//! A report built by hand, and JSON-schema validation through python3's `jsonschema`.

// Each test file uses part of this module.
#![allow(dead_code)]

use std::sync::Arc;

use warden_model::{
    Checklist, Diagnostic, Finding, Layer, Location, Origin, Pos, Report, RuleMeta, Severity, Snippet, Span,
    Suppressed,
};
use warden_report::{Format, RenderOptions, render};

pub const PUBLIC_URL: RuleMeta = RuleMeta {
    id: "ACC001",
    name: "public-function-url",
    summary: "Function URL that anyone can invoke",
    layer: Layer::Iam,
    severity: Severity::High,
    checklist: &[Checklist::AuthN],
    sources: &["checkov:CKV_AWS_258"],
    doc: concat!(
        " ## What it does\n",
        " Finds function URLs whose `AuthType` is `NONE`.\n",
        "\n",
        " ## Why is this bad\n",
        " Anyone on the internet can invoke the function and run up its bill.\n",
        "\n",
        " ## Example\n",
        " ```yaml\n",
        " ApiUrl:\n",
        "   Type: AWS::Lambda::Url\n",
        "   Properties:\n",
        "     AuthType: NONE\n",
        " ```\n",
        "\n",
        " ## Fix\n",
        " Set `AuthType: AWS_IAM` and grant `lambda:InvokeFunctionUrl` to the callers.\n",
        "\n",
        " ## References\n",
        " - https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html\n",
    ),
};

pub const PLAINTEXT_SECRET: RuleMeta = RuleMeta {
    id: "CFG002",
    name: "secret-in-environment",
    summary: "Secret in a plaintext environment variable",
    layer: Layer::Configuration,
    severity: Severity::Critical,
    checklist: &[Checklist::SecretsManager, Checklist::Encryption],
    sources: &["securityhub:Lambda.3"],
    doc: concat!(
        " ## What it does\n",
        " Finds environment variables whose value looks like a password, key or token.\n",
        "\n",
        " ## Why is this bad\n",
        " Anyone who can read the function configuration can read the secret.\n",
        "\n",
        " ## Example\n",
        " ```yaml\n",
        " Environment:\n",
        "   Variables:\n",
        "     DB_PASSWORD: hunter2\n",
        " ```\n",
        "\n",
        " ## Fix\n",
        " Keep the secret in AWS Secrets Manager and read it at start-up.\n",
        "\n",
        " ## References\n",
        " - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html\n",
    ),
};

pub const LOG_RETENTION: RuleMeta = RuleMeta {
    id: "MON001",
    name: "log-retention-unset",
    summary: "Log group keeps logs forever or not at all",
    layer: Layer::Monitoring,
    severity: Severity::Low,
    checklist: &[Checklist::Audits],
    sources: &[],
    doc: concat!(
        " ## What it does\n",
        " Finds function log groups without a retention period.\n",
        "\n",
        " ## Why is this bad\n",
        " Logs kept forever cost money; logs never kept cannot be audited.\n",
        "\n",
        " ## Example\n",
        " A function with no `AWS::Logs::LogGroup` for `/aws/lambda/<name>`.\n",
        "\n",
        " ## Fix\n",
        " Declare the log group with `RetentionInDays`.\n",
        "\n",
        " ## References\n",
        " - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html\n",
    ),
};

pub fn span(start: (u32, u32), end: (u32, u32)) -> Span {
    let pos = |(line, column)| Pos {
        line,
        column,
        offset: 0,
    };
    Span {
        start: pos(start),
        end: pos(end),
    }
}

pub fn file(path: &str, span: Span) -> Origin {
    Origin::file(&Arc::from(path), span)
}

pub fn aws(arn: &str, region: &str) -> Origin {
    Origin::Aws {
        arn: arn.to_string(),
        region: region.to_string(),
    }
}

pub fn finding(
    rule: &RuleMeta,
    origin: Origin,
    resource: &str,
    resource_type: &str,
    message: &str,
) -> Finding {
    let location = Location {
        origin,
        resource: resource.to_string(),
        resource_type: resource_type.to_string(),
    };
    Finding::new(rule, location, "", message)
}

/// Three findings (a template with a snippet, a template without a known position, a live
/// account), two suppressed findings, an error and a warning; sorted like the CLI sorts. Every
/// finding of MON001 is suppressed, so its checklist item scores 100%.
pub fn sample_report() -> Report {
    let mut public_url = finding(
        &PUBLIC_URL,
        file("template.yaml", span((13, 7), (13, 21))),
        "ApiUrl",
        "AWS::Lambda::Url",
        "Function URL `ApiUrl` has AuthType NONE: anyone can invoke `Api`",
    );
    public_url.snippet = Some(Snippet {
        first_line: 12,
        lines: vec![
            "    Properties:".into(),
            "      AuthType: NONE".into(),
            "      TargetFunctionArn: !Ref Api".into(),
        ],
    });
    let unplaced_url = finding(
        &PUBLIC_URL,
        file("infra/my stack.yaml", Span::default()),
        "WorkerUrl",
        "AWS::Lambda::Url",
        "Function URL `WorkerUrl` has AuthType NONE: anyone can invoke `Worker`",
    );
    let live_secret = finding(
        &PLAINTEXT_SECRET,
        aws(
            "arn:aws:lambda:eu-west-1:123456789012:function:billing",
            "eu-west-1",
        ),
        "billing",
        "AWS::Lambda::Function",
        "Environment variable `DB_PASSWORD` holds a password (hu*****)",
    );
    let suppressed_url = finding(
        &PUBLIC_URL,
        file("template.yaml", span((30, 7), (30, 21))),
        "WebhookUrl",
        "AWS::Lambda::Url",
        "Function URL `WebhookUrl` has AuthType NONE: anyone can invoke `Webhook`",
    );
    let baselined_retention = finding(
        &LOG_RETENTION,
        file("template.yaml", span((40, 3), (40, 10))),
        "Webhook",
        "AWS::Serverless::Function",
        "No log group with a retention period for `Webhook`",
    );

    let mut report = Report {
        findings: vec![live_secret, public_url, unplaced_url],
        suppressed: vec![
            Suppressed {
                finding: suppressed_url,
                by: "metadata",
                reason: Some("Webhook signs its requests; checked in the handler".into()),
            },
            Suppressed {
                finding: baselined_retention,
                by: "baseline",
                reason: None,
            },
        ],
        diagnostics: vec![
            Diagnostic::warning(
                "unused-suppression",
                None,
                "ignore entry for CFG009 in warden.toml matched nothing",
            ),
            Diagnostic::error(
                "yaml-syntax",
                Some(file("broken.yaml", span((4, 3), (4, 4)))),
                "mapping values are not allowed in this context",
            ),
        ],
        rules: vec![PUBLIC_URL, PLAINTEXT_SECRET, LOG_RETENTION],
        files_scanned: 3,
        resources_scanned: 7,
    };
    report.sort();
    report
}

pub fn render_to_string(format: Format, report: &Report, color: bool) -> String {
    let options = RenderOptions {
        color,
        tool_version: "0.1.0-test".into(),
    };
    let mut out = Vec::new();
    if let Err(err) = render(format, report, &options, &mut out) {
        panic!("rendering {format} into memory failed: {err}");
    }
    match String::from_utf8(out) {
        Ok(text) => text,
        Err(err) => panic!("{format} output is not UTF-8: {err}"),
    }
}

pub fn parse_json(text: &str) -> serde_json::Value {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => panic!("output is not JSON: {err}\n{text}"),
    }
}

mod schema;
#[allow(unused_imports)]
pub use schema::*;
