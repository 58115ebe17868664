use jiff::civil::Date;
use warden_model::{Finding, RuleMeta, Severity};

use super::branches::branches;
use crate::runtimes::{RuntimeStatus, RuntimeTable};
use crate::{Check, Context, declare_rule, finding_at};

declare_rule! {
    /// ## What it does
    /// Finds functions on a runtime AWS has deprecated, judged against the runtime table (the
    /// dates AWS publishes for each runtime, which `warden.toml` can update) on the day of the
    /// scan. A runtime counts as deprecated from its deprecation date on. Runtimes missing from
    /// the table and values the template cannot know are not reported; container-image
    /// functions have no `Runtime` and are not checked.
    ///
    /// Severity is high; it is critical once AWS blocks updates to functions on the runtime,
    /// because from then on a security fix to the function cannot even be deployed without
    /// first migrating it.
    ///
    /// ## Why is this bad
    /// A deprecated runtime no longer receives security patches to its language runtime,
    /// operating system or libraries, and functions on it are no longer eligible for technical
    /// support. Known vulnerabilities stay open for as long as the function runs. AWS then
    /// blocks creating functions on the runtime, and later updating them.
    ///
    /// ## Example
    /// ```yaml
    /// Legacy:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.8
    ///     Handler: app.handler
    ///     CodeUri: src/
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// Legacy:
    ///   Type: AWS::Serverless::Function
    ///   Properties:
    ///     Runtime: python3.13
    ///     Handler: app.handler
    ///     CodeUri: src/
    /// ```
    ///
    /// ## Fix
    /// Move the function to a supported runtime of its language (the message names the one
    /// supported longest), test it, and redeploy. Go functions on `go1.x` move to the OS-only
    /// runtime `provided.al2023`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
    /// - https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html
    /// - https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-2
    pub struct DeprecatedRuntime {
        id: "CFG008",
        name: "deprecated-runtime",
        summary: "Function runs on a deprecated runtime",
        layer: Configuration,
        severity: High,
        checklist: [Dependencies],
        sources: [
            "checkov:CKV_AWS_363",
            "securityhub:Lambda.2",
            "prowler:awslambda_function_using_supported_runtimes",
        ],
    }
}

impl Check for DeprecatedRuntime {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>) {
        let table = &cx.settings.runtimes;
        let today = cx.settings.today;
        for function in &cx.inventory.functions {
            for branch in function.runtime.iter().flat_map(branches) {
                let Some(runtime) = branch.value.as_str() else {
                    continue;
                };
                let Some((deprecated, blocks, severity)) = stage(table.status(runtime, today)) else {
                    continue;
                };
                let mut found = finding_at(
                    meta,
                    &function.meta,
                    branch.value.span,
                    &branch.key(),
                    format!(
                        "function `{}` runs on `{runtime}`{}, deprecated since {deprecated}: it gets no \
                         security patches{blocks}{}",
                        function.meta.name,
                        branch.when(),
                        upgrade_hint(table, runtime, today),
                    ),
                );
                found.severity = severity;
                out.push(found);
            }
        }
    }
}

/// For a runtime past support: its deprecation date, what AWS blocks (`; ...`), and the
/// finding's severity. `None` for a runtime still supported or not known.
fn stage(status: RuntimeStatus) -> Option<(Date, String, Severity)> {
    let on = |what: &str, day: Option<Date>| day.map(|d| format!("{what} from {d}"));
    match status {
        RuntimeStatus::Deprecated {
            since,
            create_blocked_on,
            update_blocked_on,
        } => {
            let coming: Vec<String> = [
                on("creating functions on it", create_blocked_on),
                on("updating them", update_blocked_on),
            ]
            .into_iter()
            .flatten()
            .collect();
            let blocks = if coming.is_empty() {
                String::new()
            } else {
                format!("; AWS blocks {}", coming.join(" and "))
            };
            Some((since, blocks, Severity::High))
        }
        RuntimeStatus::CreateBlocked {
            deprecated,
            since,
            update_blocked_on,
        } => {
            let next = on(", and updating them", update_blocked_on).unwrap_or_default();
            Some((
                deprecated,
                format!("; AWS blocks creating functions on it since {since}{next}"),
                Severity::High,
            ))
        }
        RuntimeStatus::UpdateBlocked { deprecated, since } => Some((
            deprecated,
            format!("; AWS blocks updating functions on it since {since}"),
            Severity::Critical,
        )),
        RuntimeStatus::Supported | RuntimeStatus::DeprecatingSoon { .. } | RuntimeStatus::Unknown => None,
    }
}

/// `; move to `python3.14`` when the table knows a supported runtime of the same language.
pub(super) fn upgrade_hint(table: &RuntimeTable, runtime: &str, today: Date) -> String {
    match table.successor(runtime, today) {
        Some(next) => format!("; move to `{}`", next.id),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use warden_model::{Inventory, Value};

    use super::*;
    use crate::rules::config::RuntimeDeprecatingSoon;
    use crate::rules::config::testing::{at, findings, function};

    fn on(runtime: &str) -> Inventory {
        let mut legacy = function("Legacy");
        legacy.runtime = Some(Value::string(runtime, at(9)));
        Inventory {
            functions: vec![legacy],
            ..Inventory::default()
        }
    }

    #[test]
    fn a_runtime_is_reported_as_deprecated_from_its_deprecation_day() {
        // python3.9 is deprecated on 2025-12-15.
        let inventory = on("python3.9");
        let eve = date(2025, 12, 14);
        assert!(findings(&DeprecatedRuntime, &inventory, eve).is_empty());
        let soon = findings(&RuntimeDeprecatingSoon, &inventory, eve);
        assert_eq!(soon.len(), 1);
        assert!(
            soon[0].message.contains("deprecates on 2025-12-15"),
            "{}",
            soon[0].message
        );

        let day = date(2025, 12, 15);
        assert!(findings(&RuntimeDeprecatingSoon, &inventory, day).is_empty());
        let deprecated = findings(&DeprecatedRuntime, &inventory, day);
        assert_eq!(deprecated.len(), 1);
        assert_eq!(deprecated[0].severity, Severity::High);
        assert_eq!(deprecated[0].span(), at(9));
        assert!(
            deprecated[0].message.contains("deprecated since 2025-12-15"),
            "{}",
            deprecated[0].message
        );
        assert!(
            deprecated[0].message.contains("move to `python3.14`"),
            "{}",
            deprecated[0].message
        );
    }

    #[test]
    fn blocked_updates_are_critical() {
        // nodejs20.x: updates blocked from 2027-03-03.
        let inventory = on("nodejs20.x");
        let before = findings(&DeprecatedRuntime, &inventory, date(2027, 3, 2));
        assert_eq!(before[0].severity, Severity::High);
        let after = findings(&DeprecatedRuntime, &inventory, date(2027, 3, 3));
        assert_eq!(after[0].severity, Severity::Critical);
        assert!(
            after[0]
                .message
                .contains("blocks updating functions on it since 2027-03-03")
        );
    }

    #[test]
    fn unknown_and_unknowable_runtimes_are_not_findings() {
        let today = date(2026, 11, 24);
        assert!(findings(&DeprecatedRuntime, &on("cobol85"), today).is_empty());
        let mut from_parameter = function("FromParameter");
        from_parameter.runtime = Some(Value::unknown("!Ref Runtime", Vec::new(), at(3)));
        let inventory = Inventory {
            functions: vec![from_parameter],
            ..Inventory::default()
        };
        assert!(findings(&DeprecatedRuntime, &inventory, today).is_empty());
    }
}
