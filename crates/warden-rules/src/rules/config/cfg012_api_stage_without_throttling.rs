use warden_model::{Finding, RuleMeta, Value};

use super::branches::{Gap, gaps};
use super::stages::stage_label;
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds API Gateway stages (REST API stages and HTTP API stages, including the stages SAM
    /// creates implicitly) with no stage-wide throttling: no default rate limit or no default
    /// burst limit (REST `MethodSettings` for `/*` `*`, HTTP API `DefaultRouteSettings`, SAM
    /// `MethodSettings` / `DefaultRouteSettings`), or a negative limit, which turns throttling
    /// off. Usage-plan throttling applies per API key and is not considered.
    ///
    /// ## Why is this bad
    /// Without stage throttling, the only limit is the account-wide API Gateway quota
    /// (thousands of requests per second shared by every API in the Region). One client can
    /// then flood the API, exhaust the integrated functions' concurrency and the account's
    /// quota for every other API, and run up cost: a denial of service, or a denial of wallet.
    ///
    /// ## Example
    /// ```yaml
    /// ProdStage:
    ///   Type: AWS::ApiGateway::Stage
    ///   Properties:
    ///     RestApiId: !Ref Api
    ///     DeploymentId: !Ref Deployment
    ///     StageName: prod
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// ProdStage:
    ///   Type: AWS::ApiGateway::Stage
    ///   Properties:
    ///     RestApiId: !Ref Api
    ///     DeploymentId: !Ref Deployment
    ///     StageName: prod
    ///     MethodSettings:
    ///       - ResourcePath: /*
    ///         HttpMethod: '*'
    ///         ThrottlingRateLimit: 100
    ///         ThrottlingBurstLimit: 200
    /// ```
    ///
    /// ## Fix
    /// Set a default rate and burst limit on every stage, sized to what the backend (and the
    /// functions' reserved concurrency) can take; tighten them per route where needed, and add
    /// usage plans for API-key clients.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
    pub struct ApiStageWithoutThrottling {
        id: "CFG012",
        name: "api-stage-without-throttling",
        summary: "API Gateway stage has no default throttling",
        layer: Configuration,
        severity: Medium,
        checklist: [Throttling],
        sources: [],
    }
}

impl Check for ApiStageWithoutThrottling {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        for stage in &cx.inventory.stages {
            let label = stage_label(cx.inventory, stage);
            let limits = [
                ("rate", stage.throttling_rate_limit.as_ref()),
                ("burst", stage.throttling_burst_limit.as_ref()),
            ];
            // Limits missing in the same place (both unset, or both left out by one branch)
            // make one finding.
            let mut missing: Vec<(Gap, Vec<&str>)> = Vec::new();
            for (what, limit) in limits {
                for gap in gaps(limit) {
                    match missing
                        .iter_mut()
                        .find(|(g, _)| g.key == gap.key && g.span == gap.span)
                    {
                        Some((_, whats)) => whats.push(what),
                        None => missing.push((gap, vec![what])),
                    }
                }
            }
            for (gap, whats) in missing {
                let limits = match whats.as_slice() {
                    [what] => format!("default throttling {what} limit"),
                    _ => "default throttling (no rate or burst limit)".to_string(),
                };
                out.push(finding_at(
                    meta,
                    &stage.meta,
                    gap.span,
                    &format!("{}{}", whats.join("+"), gap.key),
                    format!("{label} has no {limits}{}", gap.when),
                ));
            }
            for (what, limit) in limits {
                if let Some(value) = limit.filter(|v| is_disabled(v)) {
                    out.push(finding_at(
                        meta,
                        &stage.meta,
                        value.span,
                        what,
                        format!(
                            "{label} turns throttling off with a negative {what} limit ({})",
                            value.display()
                        ),
                    ));
                }
            }
        }
    }
}

/// A negative limit (`-1`) disables throttling.
fn is_disabled(limit: &Value) -> bool {
    limit.as_f64().is_some_and(|n| n < 0.0)
}
