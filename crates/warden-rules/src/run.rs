//! Runs the enabled rules and applies severity overrides, suppressions and snippets.

use warden_model::{Diagnostic, Finding, Inventory, Meta, Report, Skip, Snippet, Suppressed};

use rayon::prelude::*;

use crate::{Context, IgnoreEntry, Rule, Settings, redacted, registry};

/// Lines of context shown above and below a finding.
const SNIPPET_CONTEXT: u32 = 1;
/// Longest snippet shown for a multi-line span.
const SNIPPET_MAX_LINES: u32 = 3;

/// Run the enabled rules over the Inventory and return a sorted report.
pub fn run(inventory: &Inventory, settings: &Settings) -> Report {
    let cx = Context::new(inventory, settings);
    let mut report = Report::default();
    let mut raw = Vec::new();
    let enabled: Vec<&dyn Rule> = registry()
        .iter()
        .copied()
        .filter(|r| settings.is_enabled(r.meta().id))
        .collect();
    report.rules.extend(enabled.iter().map(|r| *r.meta()));
    // Rules are independent and pure: run them in parallel (the report is sorted afterwards).
    let per_rule: Vec<Vec<Finding>> = enabled
        .par_iter()
        .map(|rule| {
            let mut out = Vec::new();
            rule.check(&cx, &mut out);
            out
        })
        .collect();
    raw.extend(per_rule.into_iter().flatten());
    for finding in &mut raw {
        if let Some(severity) = settings.severity_overrides.get(finding.rule_id) {
            finding.severity = *severity;
        }
    }

    let mut suppressions = Suppressions::new(inventory, settings);
    for mut finding in raw {
        match suppressions.matching(&finding) {
            Some((by, reason)) => report.suppressed.push(Suppressed { finding, by, reason }),
            None => {
                finding.snippet = snippet(inventory, &finding);
                report.findings.push(finding);
            }
        }
    }
    report.diagnostics.extend(suppressions.diagnostics(settings));
    report.resources_scanned = count_resources(inventory);
    report.sort();
    report
}

fn count_resources(inv: &Inventory) -> usize {
    inv.functions.len()
        + inv.roles.len()
        + inv.managed_policies.len()
        + inv.permissions.len()
        + inv.layers.len()
        + inv.layer_permissions.len()
        + inv.function_urls.len()
        + inv.aliases.len()
        + inv.apis.len()
        + inv.routes.len()
        + inv.authorizers.len()
        + inv.stages.len()
        + inv.event_sources.len()
        + inv.event_invoke_configs.len()
        + inv.trails.len()
        + inv.log_groups.len()
        + inv.kms_keys.len()
        + inv.subnets.len()
}

/// Every element's metadata, for looking up in-source suppressions.
fn all_metas(inv: &Inventory) -> Vec<&Meta> {
    let mut metas: Vec<&Meta> = Vec::new();
    metas.extend(inv.functions.iter().map(|e| &e.meta));
    metas.extend(inv.roles.iter().map(|e| &e.meta));
    metas.extend(inv.managed_policies.iter().map(|e| &e.meta));
    metas.extend(inv.permissions.iter().map(|e| &e.meta));
    metas.extend(inv.layers.iter().map(|e| &e.meta));
    metas.extend(inv.layer_permissions.iter().map(|e| &e.meta));
    metas.extend(inv.function_urls.iter().map(|e| &e.meta));
    metas.extend(inv.aliases.iter().map(|e| &e.meta));
    metas.extend(inv.apis.iter().map(|e| &e.meta));
    metas.extend(inv.routes.iter().map(|e| &e.meta));
    metas.extend(inv.authorizers.iter().map(|e| &e.meta));
    metas.extend(inv.stages.iter().map(|e| &e.meta));
    metas.extend(inv.event_sources.iter().map(|e| &e.meta));
    metas.extend(inv.event_invoke_configs.iter().map(|e| &e.meta));
    metas.extend(inv.trails.iter().map(|e| &e.meta));
    metas.extend(inv.log_groups.iter().map(|e| &e.meta));
    metas.extend(inv.kms_keys.iter().map(|e| &e.meta));
    metas.extend(inv.subnets.iter().map(|e| &e.meta));
    metas
}

/// In-source skips (keyed by file and resource name) and config ignores, with use counts so
/// that a suppression that matched nothing can be reported.
struct Suppressions<'a> {
    skips: Vec<(&'a Meta, &'a Skip, usize)>,
    ignores: Vec<(&'a IgnoreEntry, usize)>,
}

impl<'a> Suppressions<'a> {
    fn new(inv: &'a Inventory, settings: &'a Settings) -> Suppressions<'a> {
        let skips = all_metas(inv)
            .into_iter()
            .flat_map(|meta| meta.skips.iter().map(move |skip| (meta, skip, 0)))
            .collect();
        let ignores = settings
            .ignores
            .iter()
            .filter(|i| i.expires.is_none_or(|d| d >= settings.today))
            .map(|i| (i, 0))
            .collect();
        Suppressions { skips, ignores }
    }

    fn matching(&mut self, finding: &Finding) -> Option<(&'static str, Option<String>)> {
        let skip = self.skips.iter_mut().find(|(meta, skip, _)| {
            meta.origin.path() == finding.location.origin.path()
                && meta.name == finding.location.resource
                && skip.rule.eq_ignore_ascii_case(finding.rule_id)
        });
        if let Some((_, skip, used)) = skip {
            *used += 1;
            return Some(("metadata", skip.reason.clone()));
        }
        let entry = self
            .ignores
            .iter_mut()
            .find(|(i, _)| ignore_matches(i, finding))?;
        entry.1 += 1;
        Some(("config", entry.0.reason.clone()))
    }

    fn diagnostics(&self, settings: &Settings) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (meta, skip, used) in &self.skips {
            let origin = Some(meta.origin.at(skip.span));
            if skip.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                out.push(Diagnostic::warning(
                    "suppression-without-reason",
                    origin.clone(),
                    format!("suppression of {} on {} has no reason", skip.rule, meta.name),
                ));
            }
            if *used == 0 {
                out.push(Diagnostic::warning(
                    "unused-suppression",
                    origin,
                    format!("suppression of {} on {} matched no finding", skip.rule, meta.name),
                ));
            }
        }
        for (entry, used) in &self.ignores {
            if entry.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                out.push(Diagnostic::warning(
                    "suppression-without-reason",
                    entry.origin.clone(),
                    format!("ignore of {} has no reason", entry.rule),
                ));
            }
            if *used == 0 {
                out.push(Diagnostic::warning(
                    "unused-suppression",
                    entry.origin.clone(),
                    format!("ignore of {} matched no finding", entry.rule),
                ));
            }
        }
        for entry in settings
            .ignores
            .iter()
            .filter(|i| i.expires.is_some_and(|d| d < settings.today))
        {
            let expires = entry.expires.map(|d| d.to_string()).unwrap_or_default();
            out.push(Diagnostic::warning(
                "expired-suppression",
                entry.origin.clone(),
                format!(
                    "ignore of {} expired on {expires}; its findings are reported again",
                    entry.rule
                ),
            ));
        }
        out
    }
}

fn ignore_matches(entry: &IgnoreEntry, finding: &Finding) -> bool {
    entry.rule.eq_ignore_ascii_case(finding.rule_id)
        && entry
            .resource
            .as_deref()
            .is_none_or(|r| r == finding.location.resource)
        && entry.path.as_deref().is_none_or(|p| {
            finding
                .location
                .origin
                .path()
                .is_some_and(|path| path == p || path.ends_with(&format!("/{p}")))
        })
}

fn snippet(inv: &Inventory, finding: &Finding) -> Option<Snippet> {
    let path = finding.location.origin.path()?;
    let span = finding.span();
    if !span.is_known() {
        return None;
    }
    let source = inv.source(path)?;
    let first = span.start.line.saturating_sub(SNIPPET_CONTEXT).max(1);
    let last = span
        .end
        .line
        .max(span.start.line)
        .min(span.start.line + SNIPPET_MAX_LINES)
        + SNIPPET_CONTEXT;
    let lines: Vec<String> = source
        .text
        .lines()
        .skip(first as usize - 1)
        .take((last - first + 1) as usize)
        .map(|l| mask(l.trim_end(), &finding.redact))
        .collect();
    (!lines.is_empty()).then_some(Snippet {
        first_line: first,
        lines,
    })
}

/// A source line with every secret replaced by its redacted preview.
fn mask(line: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .filter(|s| !s.is_empty())
        .fold(line.to_string(), |line, secret| {
            line.replace(secret.as_str(), &redacted(secret))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_never_show_secrets() {
        let line = "          DB_PASSWORD: hunter2-very-secret";
        let masked = mask(line, &["hunter2-very-secret".to_string()]);
        assert_eq!(masked, "          DB_PASSWORD: hunt…");
        assert!(!masked.contains("very-secret"));
    }
}
