//! The Markdown renderer: a comment for a pull request (GitHub-flavoured tables).
//!
//! A summary table by severity, the critical and high findings in a table, then every
//! finding in a collapsed `<details>` block, worst first. Everything that comes from the
//! scanned inputs goes through [`escape`], so a template cannot break a table or inject
//! markup, links or HTML into the comment.

use std::io::{self, Write};

use warden_model::{DiagnosticLevel, Finding, Report, Severity};

use crate::RenderOptions;
use crate::summary;

pub(crate) fn render(report: &Report, _options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "## Lambda Warden")?;
    writeln!(out)?;
    writeln!(out, "{}", headline(report))?;
    writeln!(out)?;

    writeln!(out, "| Severity | Findings |")?;
    writeln!(out, "| --- | ---: |")?;
    for (severity, count) in summary::severity_counts(&report.findings) {
        writeln!(out, "| {} | {count} |", title(severity))?;
    }
    writeln!(out)?;

    // Worst first; the report's own order (file, position) breaks ties.
    let mut findings: Vec<&Finding> = report.findings.iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let worst: Vec<&Finding> = findings
        .iter()
        .copied()
        .filter(|f| f.severity >= Severity::High)
        .collect();
    if !worst.is_empty() {
        writeln!(out, "### Critical and high findings")?;
        writeln!(out)?;
        write_table(&worst, out)?;
        writeln!(out)?;
    }
    if !findings.is_empty() {
        let noun = if findings.len() == 1 {
            "finding"
        } else {
            "findings"
        };
        writeln!(out, "<details>")?;
        writeln!(out, "<summary>All {} {noun}</summary>", findings.len())?;
        writeln!(out)?;
        write_table(&findings, out)?;
        writeln!(out)?;
        writeln!(out, "</details>")?;
    }
    Ok(())
}

/// `**3 findings** (2 suppressed) in 3 files and 7 resources; 1 error, 1 warning.`
fn headline(report: &Report) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = if report.findings.is_empty() {
        "**No findings**".to_string()
    } else {
        format!("**{}**", plural(report.findings.len(), "finding", "findings"))
    };
    if !report.suppressed.is_empty() {
        line.push_str(&format!(" ({} suppressed)", report.suppressed.len()));
    }
    line.push_str(&format!(
        " in {} and {}",
        plural(report.files_scanned, "file", "files"),
        plural(report.resources_scanned, "resource", "resources")
    ));
    let errors = summary::diagnostic_count(report, DiagnosticLevel::Error);
    let warnings = summary::diagnostic_count(report, DiagnosticLevel::Warning);
    if errors + warnings > 0 {
        line.push_str(&format!(
            "; {}, {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        ));
    }
    line.push('.');
    line
}

fn write_table(findings: &[&Finding], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "| Severity | Rule | Resource | Location | Message |")?;
    writeln!(out, "| --- | --- | --- | --- | --- |")?;
    for finding in findings {
        writeln!(
            out,
            "| {} | `{}` {} | {} | {} | {} |",
            title(finding.severity),
            finding.rule_id,
            finding.rule_name,
            escape(&finding.location.resource),
            escape(&finding.location.origin.to_string()),
            escape(&finding.message),
        )?;
    }
    Ok(())
}

fn title(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// `text` as literal characters in a table cell: the punctuation that can start markup inside
/// a cell (emphasis, code, links, HTML, entities, the cell separator) is backslash-escaped;
/// line breaks and other control characters, which would end the row, become spaces. Block
/// markup (`#`, `-`, `>` ...) cannot start inside a cell, and `(` only matters after an
/// escaped `]`, so they stay readable.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                escaped.push('\\');
                escaped.push(c);
            }
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_cells_intact_and_markup_literal() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("&lt;"), "\\&lt;");
        assert_eq!(escape("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(escape("`code` *b*"), "\\`code\\` \\*b\\*");
    }
}
