use warden_model::{Finding, RuleMeta};

use super::branches::{branches, gaps};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions whose X-Ray tracing mode is not `Active`: tracing not configured
    /// (`TracingConfig`, SAM `Tracing`), or set to `PassThrough`.
    ///
    /// ## Why is this bad
    /// Without active tracing, Lambda records no trace of an invocation unless the caller
    /// already sampled it, so there is no per-request record of what the function called,
    /// for how long and with what errors. Investigating an incident (which requests reached a
    /// compromised function, what it talked to) then relies on whatever the code logged.
    ///
    /// ## Example
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     TracingConfig:
    ///       Mode: PassThrough
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Worker:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     TracingConfig:
    ///       Mode: Active
    /// ```
    ///
    /// ## Fix
    /// Set `TracingConfig.Mode: Active` (SAM: `Tracing: Active`, or in `Globals.Function`) and
    /// allow the execution role `xray:PutTraceSegments` and `xray:PutTelemetryRecords`
    /// (`AWSXRayDaemonWriteAccess`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
    /// - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-function-tracingconfig.html
    pub struct TracingNotActive {
        id: "CFG006",
        name: "tracing-not-active",
        summary: "X-Ray tracing is not Active",
        layer: Configuration,
        severity: Low,
        checklist: [Audits],
        sources: ["checkov:CKV_AWS_50"],
    }
}

impl Check for TracingNotActive {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            let name = &function.meta.name;
            // The mode itself, or a `TracingConfig` map holding it.
            let mode = function.tracing.as_ref().map(|t| t.get("Mode").unwrap_or(t));
            for gap in gaps(mode) {
                out.push(finding_at(
                    meta,
                    &function.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "function `{name}` has no X-Ray tracing configured{}; set it to `Active`",
                        gap.when
                    ),
                ));
            }
            for branch in mode.into_iter().flat_map(branches) {
                let Some(text) = branch.value.as_str() else {
                    continue;
                };
                if !text.eq_ignore_ascii_case("Active") {
                    out.push(finding_at(
                        meta,
                        &function.meta,
                        branch.value.span,
                        &branch.key(),
                        format!(
                            "function `{name}` sets X-Ray tracing to `{text}`{}, not `Active`",
                            branch.when()
                        ),
                    ));
                }
            }
        }
    }
}
