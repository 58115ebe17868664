use warden_model::{CodeLocation, Finding, Function, RuleMeta};

use super::branches::{branches, gaps};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions deployed as .zip packages that have no code signing configuration
    /// (`CodeSigningConfigArn`). Container-image functions (`PackageType: Image`) are not
    /// reported: Lambda code signing applies to .zip packages only (images are verified with
    /// container image signing instead).
    ///
    /// Inline code (`ZipFile`, SAM `InlineCode`) cannot be signed, so a function with inline
    /// code is reported too: enforcing signatures means packaging that code as a signed
    /// artifact.
    ///
    /// ## Why is this bad
    /// Without code signing, Lambda deploys any package that whoever holds
    /// `lambda:UpdateFunctionCode` (or write access to the artifact bucket) provides. A leaked
    /// CI credential or a tampered artifact becomes code running with the function's role.
    /// With a code signing configuration whose policy is `Enforce`, Lambda rejects packages
    /// not signed by an allowed AWS Signer profile.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     CodeUri: src/
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Api:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     CodeUri: src/
    ///     CodeSigningConfigArn: !Ref SigningConfig
    /// ```
    ///
    /// ## Fix
    /// Create an AWS Signer signing profile and an `AWS::Lambda::CodeSigningConfig` that allows
    /// it with `UntrustedArtifactOnDeployment: Enforce`, set `CodeSigningConfigArn` on the
    /// function, and sign packages in the pipeline (`sam deploy --signing-profiles`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-codesigningconfig.html
    pub struct NoCodeSigning {
        id: "CFG010",
        name: "no-code-signing",
        summary: "Function has no code signing configuration",
        layer: Configuration,
        severity: Low,
        checklist: [AuthN],
        sources: ["checkov:CKV_AWS_272"],
    }
}

impl Check for NoCodeSigning {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in cx.inventory.functions.iter().filter(|f| !is_image(f)) {
            let inline = matches!(function.code, Some(CodeLocation::Inline(_)));
            for gap in gaps(function.code_signing_config.as_ref()) {
                out.push(finding_at(
                    meta,
                    &function.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "function `{}` has no code signing configuration (`CodeSigningConfigArn`){}; \
                         Lambda deploys any package{}",
                        function.meta.name,
                        gap.when,
                        if inline {
                            " (its inline code cannot be signed)"
                        } else {
                            ""
                        },
                    ),
                ));
            }
        }
    }
}

/// A container-image function: its code is an image, or every branch of `PackageType` is `Image`.
fn is_image(function: &Function) -> bool {
    if matches!(function.code, Some(CodeLocation::Image(_))) {
        return true;
    }
    function.package_type.as_ref().is_some_and(|p| {
        let kinds = branches(p);
        !kinds.is_empty() && kinds.iter().all(|b| b.value.as_str() == Some("Image"))
    })
}
