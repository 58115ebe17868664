use warden_model::{Finding, RuleMeta};

use super::branches::branches;
use super::cfg008_deprecated_runtime::upgrade_hint;
use crate::runtimes::{DEPRECATING_SOON_DAYS, RuntimeStatus};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions on a runtime that AWS deprecates within the next 180 days, judged
    /// against the runtime table on the day of the scan. On its deprecation day the runtime
    /// stops being reported here and is reported by CFG008 (deprecated-runtime) instead.
    ///
    /// ## Why is this bad
    /// Once deprecated, the runtime stops receiving security patches, and AWS then blocks
    /// creating and later updating functions on it. Migrating a runtime takes testing; starting
    /// before the deadline avoids running unpatched code, or being unable to ship an urgent fix
    /// because the function first has to be migrated.
    ///
    /// ## Example
    /// ```yaml
    /// Api:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Runtime: nodejs22.x   # deprecated on 2027-04-30
    ///     Handler: index.handler
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Api:
    ///   Type: AWS::Lambda::Function
    ///   Properties:
    ///     Runtime: nodejs24.x
    ///     Handler: index.handler
    /// ```
    ///
    /// ## Fix
    /// Plan the move to a newer runtime of the same language (the message names the one
    /// supported longest), test the function on it, and deploy before the deprecation date.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html
    pub struct RuntimeDeprecatingSoon {
        id: "CFG009",
        name: "runtime-deprecating-soon",
        summary: "Function runs on a runtime deprecated within 180 days",
        layer: Configuration,
        severity: Low,
        checklist: [Dependencies],
        sources: [],
    }
}

impl Check for RuntimeDeprecatingSoon {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        let table = &cx.settings.runtimes;
        let today = cx.settings.today;
        for function in &cx.inventory.functions {
            for branch in function.runtime.iter().flat_map(branches) {
                let Some(runtime) = branch.value.as_str() else {
                    continue;
                };
                let RuntimeStatus::DeprecatingSoon { deprecated } = table.status(runtime, today) else {
                    continue;
                };
                out.push(finding_at(
                    meta,
                    &function.meta,
                    branch.value.span,
                    &branch.key(),
                    format!(
                        "function `{}` runs on `{runtime}`{}, which AWS deprecates on {deprecated} \
                         (within {DEPRECATING_SOON_DAYS} days){}",
                        function.meta.name,
                        branch.when(),
                        upgrade_hint(table, runtime, today),
                    ),
                ));
            }
        }
    }
}
