use warden_model::{Finding, RuleMeta};

use super::branches::branches;
use super::secrets::{find_credential, is_literal_secret, secret_name};
use crate::{Check, Context, declare_rule, finding_at, redacted};

declare_rule! {
    /// ## What it does
    /// Finds secrets written into a function's environment variables: any variable whose value
    /// is in a known credential format (an AWS access key ID `AKIA…`/`ASIA…`, a PEM private key,
    /// a GitHub `ghp_…` token, a Slack `xoxb-…` token, a Stripe `sk_live_…` key, a JSON Web
    /// Token, a connection URL with a password in it), and any variable *named* like a secret
    /// (`…PASSWORD`, `…SECRET`, `…TOKEN`, `…API_KEY`, `…PRIVATE_KEY`, `…ACCESS_KEY`,
    /// `…CREDENTIALS`, `…_KEY`) whose value is a literal.
    ///
    /// A name is judged by its last word, so `SECRET_ARN`, `TOKEN_URL`, `KMS_KEY_ID`,
    /// `PASSWORD_MIN_LENGTH` and `MAX_TOKENS` are not secrets; nor is a final `KEY` after a word
    /// that makes it an identifier or a data key (`TABLE_KEY`, `PARTITION_KEY`, `S3_KEY`,
    /// `PUBLIC_KEY`, `KMS_KEY`, ...). Not literal, and not reported: values the template cannot
    /// know (`!Ref`, `!GetAtt`, `!ImportValue`), dynamic references (`{{resolve:secretsmanager:…}}`,
    /// `{{resolve:ssm-secure:…}}`, `{{resolve:ssm:…}}`), ARNs, KMS aliases, parameter paths,
    /// empty or very short values, booleans and obvious placeholders (`changeme`, `<token>`,
    /// `${TOKEN}`, `xxxx`). Under an undecided `!If`, each branch is checked.
    ///
    /// A known credential format is reported as critical; a literal under a secret's name as
    /// high. Messages show the variable, the kind of secret and a redacted preview (at most the
    /// first four characters), never the secret.
    ///
    /// ## Why is this bad
    /// Environment variables are configuration, not a vault: anyone who can read the template,
    /// the repository, the CloudFormation stack or call `lambda:GetFunctionConfiguration` reads
    /// them in clear, and they end up in build logs and CI artifacts. A leaked AWS key or
    /// provider token gives direct access to the account or service. Secrets written there
    /// cannot be rotated without a deployment.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     Environment:
    ///       Variables:
    ///         DB_PASSWORD: hunter2-but-longer
    ///         UPSTREAM_KEY: AKIAIOSFODNN7EXAMPLE
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     Environment:
    ///       Variables:
    ///         DB_SECRET_ARN: !Ref DbSecret
    ///     Policies:
    ///       - AWSSecretsManagerGetSecretValuePolicy:
    ///           SecretArn: !Ref DbSecret
    /// ```
    ///
    /// ## Fix
    /// Store the secret in AWS Secrets Manager (or SSM Parameter Store as a `SecureString`),
    /// pass its name or ARN in the variable, grant the function read access to that one secret,
    /// and read it at run time (the AWS Parameters and Secrets Lambda Extension caches it).
    /// Rotate any credential that was committed: it is in the repository history. A
    /// `{{resolve:secretsmanager:…}}` dynamic reference keeps the secret out of the template,
    /// but CloudFormation writes the resolved value into the function configuration, so reading
    /// it at run time is better still.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
    /// - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
    pub struct SecretInEnvironment {
        id: "CFG001",
        name: "secret-in-environment",
        summary: "A secret is written in clear in an environment variable",
        layer: Configuration,
        severity: High,
        checklist: [SecretsManager],
        sources: ["checkov:CKV_AWS_45", "prowler:awslambda_function_no_secrets_in_variables"],
    }
}

impl Check for SecretInEnvironment {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            for var in function.environment.iter().flatten() {
                for branch in branches(&var.value) {
                    // Unknown values, null, maps and lists are not literals.
                    let Some(text) = branch.value.as_text() else {
                        continue;
                    };
                    let key = match branch.key() {
                        k if k.is_empty() => var.name.clone(),
                        k => format!("{}:{k}", var.name),
                    };
                    if let Some(credential) = find_credential(&text) {
                        let mut found = finding_at(
                            meta,
                            &function.meta,
                            branch.value.span,
                            &key,
                            format!(
                                "environment variable `{}` of function `{}` holds {} in clear (`{}`){}; \
                                 keep it in Secrets Manager and read it at run time",
                                var.name,
                                function.meta.name,
                                credential.kind.describe(),
                                redacted(credential.text),
                                branch.when(),
                            ),
                        );
                        found.severity = credential.kind.severity();
                        found.redact = secret_parts(&text);
                        out.push(found);
                    } else if let Some(kind) = secret_name(&var.name)
                        && is_literal_secret(&var.name, &text)
                    {
                        let message = format!(
                            "environment variable `{}` of function `{}` is named like a {kind} and holds \
                             a literal value (`{}`){}; keep it in Secrets Manager and pass its ARN",
                            var.name,
                            function.meta.name,
                            redacted(&text),
                            branch.when(),
                        );
                        let mut found = finding_at(meta, &function.meta, branch.value.span, &key, message);
                        found.redact = secret_parts(&text);
                        out.push(found);
                    }
                }
            }
        }
    }
}

/// What snippets must mask: the value, its escaped form (as a JSON or double-quoted YAML string
/// writes it), and each of its lines, since a multi-line value (a PEM key in a block scalar)
/// appears in the source one line at a time. Lines under 4 characters reveal nothing and would
/// mask unrelated text.
fn secret_parts(value: &str) -> Vec<String> {
    let mut parts = vec![value.to_string()];
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    let lines = value.lines().map(str::trim).filter(|l| l.chars().count() >= 4);
    for part in std::iter::once(escaped.as_str()).chain(lines) {
        if !parts.iter().any(|p| p == part) {
            parts.push(part.to_string());
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use warden_model::{EnvVar, Inventory, Severity, Value, ValueKind};

    use super::*;
    use crate::rules::config::testing::{at, findings, function};

    fn check(vars: Vec<(&str, Value)>) -> Vec<Finding> {
        let mut api = function("Api");
        api.environment = Some(
            vars.into_iter()
                .map(|(name, value)| EnvVar {
                    name: name.into(),
                    name_span: value.span,
                    value,
                })
                .collect(),
        );
        let inventory = Inventory {
            functions: vec![api],
            ..Inventory::default()
        };
        findings(&SecretInEnvironment, &inventory, jiff::civil::date(2026, 11, 24))
    }

    #[test]
    fn known_formats_are_critical_and_never_shown_in_clear() {
        let key = "AKIAIOSFODNN7EXAMPLE";
        let found = check(vec![("UPSTREAM", Value::string(key, at(5)))]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Critical);
        assert!(found[0].message.contains("`UPSTREAM`"));
        assert!(found[0].message.contains("AWS access key ID"));
        assert!(found[0].message.contains("`AKIA…`"));
        assert!(!found[0].message.contains(key));
        assert_eq!(found[0].span(), at(5));
        assert_eq!(found[0].redact, vec![key.to_string()], "snippets mask the key");
    }

    #[test]
    fn named_secrets_with_literals_are_high_and_redacted() {
        let password = "correct-horse-battery";
        let found = check(vec![("DB_PASSWORD", Value::string(password, at(6)))]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::High);
        assert!(found[0].message.contains("`corr…`"));
        assert!(!found[0].message.contains(password));
        assert!(found[0].redact.contains(&password.to_string()));
    }

    #[test]
    fn every_line_of_a_multi_line_secret_is_masked() {
        let pem = concat!(
            "-----BEGIN RSA PRIVATE KEY-----\n",
            "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n",
            "-----END RSA PRIVATE KEY-----\n"
        );
        let found = check(vec![("SIGNING", Value::string(pem, at(5)))]);
        assert_eq!(found.len(), 1);
        let parts = &found[0].redact;
        assert!(
            parts.contains(&"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo".to_string()),
            "{parts:?}"
        );
        assert!(
            parts.iter().any(|p| p.contains("\\n")),
            "the JSON-escaped form: {parts:?}"
        );
    }

    #[test]
    fn references_are_not_findings() {
        let found = check(vec![
            (
                "DB_PASSWORD",
                Value::unknown("!Ref DbPassword", Vec::new(), at(3)),
            ),
            (
                "API_TOKEN",
                Value::string("{{resolve:secretsmanager:api:SecretString:token}}", at(4)),
            ),
            (
                "SECRET_ARN",
                Value::string("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x", at(5)),
            ),
            ("GITHUB_TOKEN", Value::string("", at(6))),
            ("TABLE_NAME", Value::string("orders", at(7))),
        ]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn the_branch_that_has_the_secret_is_reported() {
        let value = Value::new(
            ValueKind::Choice {
                condition: "IsProd".into(),
                when_true: Box::new(Value::string("{{resolve:ssm-secure:/prod/token}}", at(8))),
                when_false: Box::new(Value::string("dev-token-0123456789", at(9))),
            },
            at(8),
        );
        let found = check(vec![("API_TOKEN", value)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span(), at(9));
        assert!(found[0].message.contains("when condition `IsProd` is false"));
    }
}
