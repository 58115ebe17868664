use warden_iam::privilege::PrivilegeKind;
use warden_model::{Finding, RuleMeta, Severity};

use super::policy;
use crate::{Check, Context, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags execution-role statements that let the function read data or secrets, or obtain
    /// credentials, on every resource (`Resource: "*"`, or `NotResource`):
    ///
    /// - *data exfiltration* (medium): reading objects, items, messages, parameters, secrets
    ///   or decrypting anywhere, such as `s3:GetObject`, `dynamodb:Scan`, `ssm:GetParameter`,
    ///   `secretsmanager:GetSecretValue`, `kms:Decrypt` or `lambda:GetFunction` (which returns
    ///   a link to any function's code);
    /// - *credentials exposure* (high): minting or obtaining credentials for other principals,
    ///   such as `iam:CreateAccessKey`, `iam:UpdateLoginProfile`, `sts:AssumeRole` or
    ///   `redshift:GetClusterCredentials`.
    ///
    /// The IAM engine expands wildcards (`s3:Get*`, `secretsmanager:*`) with AWS's action
    /// catalog, so a wildcard that covers one of these actions is flagged too. A condition on
    /// the resource's tags (`aws:ResourceTag/...`), account or organization scopes the
    /// statement, so it is not flagged. `Action: "*"` and service wildcards such as `s3:*` on
    /// every resource are IAM001's.
    ///
    /// ## Why is this bad
    /// A function that can read every bucket, table, parameter and secret of the account turns
    /// any flaw in it (SSRF, injection, a compromised dependency) into a breach of all the
    /// account's data, not only its own. One that can create access keys, reset passwords or
    /// assume any role can hand an attacker lasting credentials for other principals, which
    /// survive the fix of the function.
    ///
    /// ## Example
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: [s3:GetObject, secretsmanager:GetSecretValue]
    ///         Resource: "*"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Policies:
    ///   - Statement:
    ///       - Effect: Allow
    ///         Action: s3:GetObject
    ///         Resource: !Sub "${ReportBucket.Arn}/*"
    ///       - Effect: Allow
    ///         Action: secretsmanager:GetSecretValue
    ///         Resource: !Ref DatabaseSecret
    /// ```
    ///
    /// ## Fix
    /// Scope `Resource` to the buckets, tables, parameters and secrets the function uses (SAM
    /// policy templates such as `S3ReadPolicy`, `DynamoDBReadPolicy`, `SSMParameterReadPolicy`
    /// and `AWSSecretsManagerGetSecretValuePolicy` do this), or limit the statement with a
    /// condition on the resources' tags. Grant `sts:AssumeRole` only on the ARNs of the roles
    /// the function assumes, and leave IAM credential actions out of execution roles.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html
    /// - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html
    pub struct RoleDataOrCredentialAccessOnAnyResource {
        id: "IAM005",
        name: "role-data-or-credential-access-on-any-resource",
        summary: "Execution role may read any data or secret, or obtain credentials (on `*`)",
        layer: Iam,
        severity: Medium,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_108", "checkov:CKV_AWS_107"],
    }
}

impl Check for RoleDataOrCredentialAccessOnAnyResource {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for document in policy::execution_policies(cx) {
            let issues = document.privilege_issues();
            for issue in issues {
                let (severity, key) = match issue.kind {
                    PrivilegeKind::DataExfiltration => (Severity::Medium, "data"),
                    PrivilegeKind::CredentialsExposure => (Severity::High, "credentials"),
                    _ => continue,
                };
                if policy::reported_elsewhere(issue, issues, |kind| {
                    matches!(kind, PrivilegeKind::ServiceWildcard { .. })
                }) {
                    continue;
                }
                let mut finding = document.issue_finding(meta, issue, key);
                finding.severity = severity;
                out.push(finding);
            }
        }
    }
}
