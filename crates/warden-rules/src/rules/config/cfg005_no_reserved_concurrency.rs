use warden_model::{Finding, RuleMeta};

use super::branches::gaps;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions without reserved concurrency (`ReservedConcurrentExecutions`).
    ///
    /// ## Why is this bad
    /// Without reserved concurrency a function can scale until it uses the whole account's
    /// regional concurrency quota. A flood of requests or events — an attack, a retry storm, a
    /// runaway loop — then throttles every other function in the account, drives cost without
    /// bound, and overwhelms the databases and APIs the function calls. Reserved concurrency
    /// caps the function and also guarantees it the capacity it needs.
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
    ///     ReservedConcurrentExecutions: 50
    /// ```
    ///
    /// ## Fix
    /// Set `ReservedConcurrentExecutions` to the most concurrent executions the function and
    /// what it calls can sustain. Throttle callers too (API Gateway stage throttling, CFG012;
    /// the maximum concurrency of SQS event source mappings).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
    pub struct NoReservedConcurrency {
        id: "CFG005",
        name: "no-reserved-concurrency",
        summary: "Function has no reserved concurrency",
        layer: Configuration,
        severity: Low,
        checklist: [Throttling],
        sources: ["checkov:CKV_AWS_115"],
    }
}

impl Check for NoReservedConcurrency {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for function in &cx.inventory.functions {
            for gap in gaps(function.reserved_concurrency.as_ref()) {
                out.push(finding_at(
                    meta,
                    &function.meta,
                    gap.span,
                    &gap.key,
                    format!(
                        "function `{}` has no reserved concurrency (`ReservedConcurrentExecutions`){}; \
                         it can use the account's whole concurrency quota",
                        function.meta.name, gap.when
                    ),
                ));
            }
        }
    }
}
