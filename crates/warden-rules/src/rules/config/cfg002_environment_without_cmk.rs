use warden_model::{Finding, RuleMeta};

use super::branches::{branches, gaps};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions that set environment variables without a customer-managed KMS key
    /// (`KmsKeyArn`), or that name the AWS managed key `alias/aws/lambda` in it.
    ///
    /// ## Why is this bad
    /// Lambda always encrypts environment variables at rest, but without `KmsKeyArn` it uses
    /// the AWS managed key `aws/lambda`, whose policy you cannot change: every principal in the
    /// account allowed to read the function's configuration gets the decrypted values, key use
    /// cannot be restricted or separately audited, and the key cannot be disabled in an
    /// incident. A customer-managed key puts decryption behind a key policy you control and
    /// logs every use in CloudTrail.
    ///
    /// ## Example
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     Role: !GetAtt WorkerRole.Arn
    ///     Code: { S3Bucket: artifacts, S3Key: worker.zip }
    ///     Environment:
    ///       Variables:
    ///         TABLE_NAME: orders
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     Role: !GetAtt WorkerRole.Arn
    ///     Code: { S3Bucket: artifacts, S3Key: worker.zip }
    ///     KmsKeyArn: !GetAtt EnvironmentKey.Arn
    ///     Environment:
    ///       Variables:
    ///         TABLE_NAME: orders
    /// ```
    ///
    /// ## Fix
    /// Create an `AWS::KMS::Key` (with rotation enabled) whose key policy lets the function's
    /// execution role `kms:Decrypt`, and set the function's `KmsKeyArn` (SAM: `KmsKeyArn`) to
    /// its ARN. Keep secrets out of environment variables altogether (see CFG001).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html#cfn-lambda-function-kmskeyarn
    pub struct EnvironmentWithoutCmk {
        id: "CFG002",
        name: "environment-without-cmk",
        summary: "Environment variables are not encrypted with a customer-managed KMS key",
        layer: Configuration,
        severity: Low,
        checklist: [Encryption],
        sources: ["checkov:CKV_AWS_173"],
    }
}

impl Check for EnvironmentWithoutCmk {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            let count = function.environment.as_ref().map_or(0, Vec::len);
            if count == 0 {
                continue;
            }
            let name = &function.meta.name;
            for gap in gaps(function.kms_key.as_ref()) {
                out.push(finding_at(
                    meta,
                    &function.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "function `{name}` sets {count} environment variable{} but no customer-managed \
                         KMS key (`KmsKeyArn`){}; Lambda encrypts {} with the AWS managed key `aws/lambda`",
                        if count == 1 { "" } else { "s" },
                        gap.when,
                        if count == 1 { "it" } else { "them" },
                    ),
                ));
            }
            for branch in function.kms_key.iter().flat_map(branches) {
                let Some(key) = branch.value.as_str() else {
                    continue;
                };
                if key.contains("alias/aws/") {
                    out.push(finding_at(
                        meta,
                        &function.meta,
                        branch.value.span,
                        &branch.key(),
                        format!(
                            "function `{name}` encrypts its environment with the AWS managed key `{key}`{}; \
                             use a customer-managed key",
                            branch.when(),
                        ),
                    ));
                }
            }
        }
    }
}
