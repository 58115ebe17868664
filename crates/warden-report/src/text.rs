//! The text renderer: what a person reads in a terminal or a CI log.
//!
//! ```text
//! template.yaml:12:7: HIGH ACC001 [public-function-url] Function URL `ApiUrl` allows anyone
//!   resource: ApiUrl (AWS::Lambda::Url)
//!      |
//!   11 |     Properties:
//!   12 |       AuthType: NONE
//!      |       ^^^^^^^^^^^^^^
//! ```
//!
//! Everything that comes from the scanned inputs (paths, messages, source lines) goes through
//! [`clean`], so a template cannot move the cursor, recolour the terminal or reorder text with
//! bidirectional controls.

use std::borrow::Cow;
use std::fmt::{self, Display};
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use warden_model::{Diagnostic, DiagnosticLevel, Finding, Origin, Report, Severity, Snippet, Span};

use crate::RenderOptions;
use crate::summary::{self, ChecklistRow};

pub(crate) fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let palette = Palette {
        enabled: options.color,
    };
    if report.findings.is_empty() {
        writeln!(out, "No findings.")?;
        writeln!(out)?;
    }
    for finding in &report.findings {
        write_finding(finding, &palette, out)?;
        writeln!(out)?;
    }
    if !report.diagnostics.is_empty() {
        write_diagnostics(&report.diagnostics, &palette, out)?;
        writeln!(out)?;
    }
    write_summary(report, &palette, out)?;
    writeln!(out)?;
    write_checklist(&summary::checklist(report), &palette, out)
}

fn write_finding(finding: &Finding, palette: &Palette, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} {} [{}] {}",
        clean(&finding.location.origin.to_string()),
        palette
            .severity(finding.severity)
            .paint(finding.severity.as_str().to_ascii_uppercase()),
        palette.rule_id().paint(finding.rule_id),
        finding.rule_name,
        clean(&finding.message),
    )?;
    writeln!(out, "  resource: {}", resource(finding))?;
    if let (Some(snippet), Origin::File { span, .. }) = (&finding.snippet, &finding.location.origin) {
        let marker = palette.severity(finding.severity);
        write_snippet(snippet, *span, marker, palette, out)?;
    }
    Ok(())
}

/// `Name (Type)`, or just the name when the type is unknown.
fn resource(finding: &Finding) -> String {
    let location = &finding.location;
    if location.resource_type.is_empty() {
        clean(&location.resource).into_owned()
    } else {
        format!(
            "{} ({})",
            clean(&location.resource),
            clean(&location.resource_type)
        )
    }
}

/// The snippet with line numbers in a gutter and carets under the span on its first line.
fn write_snippet(
    snippet: &Snippet,
    span: Span,
    marker: Style,
    palette: &Palette,
    out: &mut dyn Write,
) -> io::Result<()> {
    let last_line = snippet.first_line as usize + snippet.lines.len().saturating_sub(1);
    let width = last_line.to_string().len();
    let gutter = palette.gutter();
    let empty_gutter = gutter.paint(format!("{:width$} |", ""));
    writeln!(out, "  {empty_gutter}")?;
    for (number, line) in (snippet.first_line..).zip(&snippet.lines) {
        let numbered = gutter.paint(format!("{number:>width$} |"));
        if line.is_empty() {
            writeln!(out, "  {numbered}")?;
        } else {
            writeln!(out, "  {numbered} {}", clean(line))?;
        }
        if span.is_known() && number == span.start.line {
            let (padding, carets) = caret_marker(line, span);
            writeln!(
                out,
                "  {empty_gutter} {padding}{}",
                marker.paint("^".repeat(carets))
            )?;
        }
    }
    Ok(())
}

/// The whitespace before the carets and how many carets to draw under `line`.
///
/// Columns are 1-based characters with an exclusive end. A span that ends on a later line is
/// underlined to the end of its first line; at least one caret is always drawn. Tabs in the
/// padding stay tabs so the carets line up however the terminal expands them.
fn caret_marker(line: &str, span: Span) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let start = span.start.column.max(1) as usize - 1;
    let end = if span.end.line > span.start.line {
        chars.len()
    } else if span.end.line == span.start.line && span.end.column > span.start.column {
        span.end.column as usize - 1
    } else {
        start + 1
    };
    let shown_width = |range: std::ops::Range<usize>| -> usize {
        range.map(|i| chars.get(i).map_or(1, |c| display_width(*c))).sum()
    };
    let mut padding = String::new();
    for i in 0..start {
        match chars.get(i) {
            Some('\t') => padding.push('\t'),
            Some(c) => padding.push_str(&" ".repeat(display_width(*c))),
            None => padding.push(' '),
        }
    }
    (padding, shown_width(start..end).max(1))
}

fn write_diagnostics(diagnostics: &[Diagnostic], palette: &Palette, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", palette.heading().paint("Diagnostics:"))?;
    for diagnostic in diagnostics {
        if let Some(origin) = &diagnostic.origin {
            write!(out, "{}: ", clean(&origin.to_string()))?;
        }
        let level = crate::level_name(diagnostic.level);
        writeln!(
            out,
            "{}: {}",
            palette
                .level(diagnostic.level)
                .paint(format_args!("{level}[{}]", diagnostic.code)),
            clean(&diagnostic.message),
        )?;
    }
    Ok(())
}

fn write_summary(report: &Report, palette: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let by_severity = summary::severity_counts(&report.findings)
        .into_iter()
        .map(|(severity, n)| format!("{n} {severity}"))
        .collect::<Vec<_>>()
        .join(", ");
    let errors = summary::diagnostic_count(report, DiagnosticLevel::Error);
    let warnings = summary::diagnostic_count(report, DiagnosticLevel::Warning);
    let notes = summary::diagnostic_count(report, DiagnosticLevel::Note);

    writeln!(out, "{}", palette.heading().paint("Summary:"))?;
    writeln!(out, "  findings: {} ({by_severity})", report.findings.len())?;
    writeln!(out, "  suppressed: {}", report.suppressed.len())?;
    writeln!(
        out,
        "  diagnostics: {}, {}, {}",
        count(errors, "error", "errors"),
        count(warnings, "warning", "warnings"),
        count(notes, "note", "notes"),
    )?;
    writeln!(
        out,
        "  scanned: {}, {}",
        count(report.files_scanned, "file", "files"),
        count(report.resources_scanned, "resource", "resources"),
    )
}

/// The scorecard as an aligned table: title, passing/total rules, percentage, findings.
fn write_checklist(rows: &[ChecklistRow], palette: &Palette, out: &mut dyn Write) -> io::Result<()> {
    let rules_column = |row: &ChecklistRow| format!("{}/{} rules passing", row.passing_rules, row.rules);
    let title_width = rows.iter().map(|r| r.item.title().len()).max().unwrap_or(0);
    let rules_width = rows.iter().map(|r| rules_column(r).len()).max().unwrap_or(0);

    writeln!(out, "{}", palette.heading().paint("Checklist:"))?;
    for row in rows {
        let title = row.item.title();
        match row.percent {
            Some(percent) => writeln!(
                out,
                "  {title:title_width$}  {:rules_width$}  {:>4}  {}",
                rules_column(row),
                format!("{percent}%"),
                count(row.findings, "finding", "findings"),
            )?,
            None => writeln!(out, "  {title:title_width$}  not checked (no rule ran)")?,
        }
    }
    Ok(())
}

/// `1 file`, `2 files`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `text` with control characters (other than tab) and bidirectional controls escaped.
fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            cleaned.extend(c.escape_default());
        } else {
            cleaned.push(c);
        }
    }
    Cow::Owned(cleaned)
}

fn needs_escape(c: char) -> bool {
    let bidi =
        matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    (c.is_control() && c != '\t') || bidi
}

/// How many columns `c` takes once [`clean`] has run (wide characters are counted as one).
fn display_width(c: char) -> usize {
    if needs_escape(c) {
        c.escape_default().count()
    } else {
        1
    }
}

/// Styles, or plain styles (which render as nothing) when colour is off.
struct Palette {
    enabled: bool,
}

impl Palette {
    fn pick(&self, style: Style) -> Style {
        if self.enabled { style } else { Style::new() }
    }

    fn severity(&self, severity: Severity) -> Style {
        self.pick(match severity {
            Severity::Critical => AnsiColor::Red.on_default().bold(),
            Severity::High => AnsiColor::Red.on_default(),
            Severity::Medium => AnsiColor::Yellow.on_default(),
            Severity::Low => AnsiColor::Blue.on_default(),
            Severity::Info => AnsiColor::Cyan.on_default(),
        })
    }

    fn level(&self, level: DiagnosticLevel) -> Style {
        self.pick(match level {
            DiagnosticLevel::Error => AnsiColor::Red.on_default().bold(),
            DiagnosticLevel::Warning => AnsiColor::Yellow.on_default().bold(),
            DiagnosticLevel::Note => AnsiColor::Cyan.on_default().bold(),
        })
    }

    fn rule_id(&self) -> Style {
        self.pick(Style::new().bold())
    }

    fn heading(&self) -> Style {
        self.pick(Style::new().bold())
    }

    fn gutter(&self) -> Style {
        self.pick(AnsiColor::Blue.on_default())
    }
}

/// Something displayed in a style, reset afterwards.
trait Paint {
    fn paint<T: Display>(self, content: T) -> Painted<T>;
}

impl Paint for Style {
    fn paint<T: Display>(self, content: T) -> Painted<T> {
        Painted { style: self, content }
    }
}

struct Painted<T> {
    style: Style,
    content: T,
}

impl<T: Display> Display for Painted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:#}", self.style, self.content, self.style)
    }
}

#[cfg(test)]
mod tests {
    use warden_model::Pos;

    use super::*;

    fn span(start: (u32, u32), end: (u32, u32)) -> Span {
        let pos = |(line, column)| Pos {
            line,
            column,
            offset: 0,
        };
        Span {
            start: pos(start),
            end: pos(end),
        }
    }

    #[test]
    fn carets_cover_a_one_line_span() {
        let (padding, carets) = caret_marker("  AuthType: NONE", span((1, 3), (1, 11)));
        assert_eq!((padding.as_str(), carets), ("  ", 8));
    }

    #[test]
    fn carets_run_to_the_end_of_the_line_for_a_multi_line_span() {
        let (padding, carets) = caret_marker("  Api:", span((1, 3), (4, 1)));
        assert_eq!((padding.as_str(), carets), ("  ", 4));
    }

    #[test]
    fn padding_keeps_tabs_so_carets_line_up() {
        let (padding, carets) = caret_marker("\tkey: v", span((1, 2), (1, 5)));
        assert_eq!((padding.as_str(), carets), ("\t", 3));
    }

    #[test]
    fn an_empty_or_backwards_span_still_gets_one_caret() {
        assert_eq!(caret_marker("abc", span((1, 2), (1, 2))).1, 1);
        assert_eq!(caret_marker("abc", span((1, 2), (0, 0))).1, 1);
    }

    #[test]
    fn padding_accounts_for_escaped_characters() {
        let (padding, _) = caret_marker("\u{1b}x", span((1, 2), (1, 3)));
        assert_eq!(padding.len(), "\\u{1b}".len());
    }

    #[test]
    fn clean_escapes_terminal_and_bidi_controls_but_keeps_tabs() {
        assert_eq!(clean("a\u{1b}[2Jb\u{202e}c\td"), "a\\u{1b}[2Jb\\u{202e}c\td");
        assert!(matches!(clean("plain"), Cow::Borrowed("plain")));
    }
}
