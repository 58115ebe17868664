//! The numbers every summary shows, computed once so text and JSON cannot disagree.

use warden_model::{Checklist, DiagnosticLevel, Finding, Report, Severity};

/// Findings per severity, highest severity first (the order summaries list them in). Every
/// severity is present, with 0 when nothing was found at it.
pub(crate) fn severity_counts(findings: &[Finding]) -> Vec<(Severity, usize)> {
    Severity::ALL
        .into_iter()
        .rev()
        .map(|severity| {
            (
                severity,
                findings.iter().filter(|f| f.severity == severity).count(),
            )
        })
        .collect()
}

/// How many diagnostics of `level` the report has.
pub(crate) fn diagnostic_count(report: &Report, level: DiagnosticLevel) -> usize {
    report.diagnostics.iter().filter(|d| d.level == level).count()
}

/// One line of the checklist scorecard.
pub(crate) struct ChecklistRow {
    pub item: Checklist,
    /// Rules that ran for this item.
    pub rules: usize,
    /// Rules that ran for this item and found nothing.
    pub passing_rules: usize,
    /// Share of `rules` that pass; `None` when no rule covers the item, because "100%" would
    /// claim a check that never happened.
    pub percent: Option<u32>,
    pub findings: usize,
}

/// The scorecard, in [`Checklist::ALL`] order.
pub(crate) fn checklist(report: &Report) -> Vec<ChecklistRow> {
    report
        .checklist_scores()
        .into_iter()
        .map(|score| ChecklistRow {
            item: score.item,
            rules: score.rules,
            passing_rules: score.rules.saturating_sub(score.failing_rules),
            percent: (score.rules > 0).then(|| score.percent()),
            findings: score.findings,
        })
        .collect()
}
