//! The CSV renderer: one row per finding, for spreadsheets and ad-hoc scripts (RFC 4180).
//!
//! Columns: `severity, rule_id, rule_name, resource, resource_type, path, line, column,
//! message, fingerprint`. For a finding in a live account `path` holds the ARN; unknown
//! positions are empty.

use std::borrow::Cow;
use std::io::{self, Write};

use warden_model::{Origin, Report};

use crate::RenderOptions;

const HEADER: [&str; 10] = [
    "severity",
    "rule_id",
    "rule_name",
    "resource",
    "resource_type",
    "path",
    "line",
    "column",
    "message",
    "fingerprint",
];

pub(crate) fn render(report: &Report, _options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    write_row(&HEADER.map(Cow::Borrowed), out)?;
    for finding in &report.findings {
        let known = |n: u32| if n > 0 { n.to_string() } else { String::new() };
        let (path, line, column) = match &finding.location.origin {
            Origin::File { path, span } if span.is_known() => {
                (path.to_string(), known(span.start.line), known(span.start.column))
            }
            Origin::File { path, .. } => (path.to_string(), String::new(), String::new()),
            Origin::Aws { arn, .. } => (arn.clone(), String::new(), String::new()),
        };
        let row = [
            Cow::Borrowed(finding.severity.as_str()),
            Cow::Borrowed(finding.rule_id),
            Cow::Borrowed(finding.rule_name),
            Cow::Borrowed(finding.location.resource.as_str()),
            Cow::Borrowed(finding.location.resource_type.as_str()),
            Cow::Owned(path),
            Cow::Owned(line),
            Cow::Owned(column),
            Cow::Borrowed(finding.message.as_str()),
            Cow::Borrowed(finding.fingerprint.as_str()),
        ];
        write_row(&row, out)?;
    }
    Ok(())
}

/// One record, CRLF-terminated as RFC 4180 asks.
fn write_row(fields: &[Cow<'_, str>], out: &mut dyn Write) -> io::Result<()> {
    let fields: Vec<Cow<'_, str>> = fields.iter().map(|f| field(f)).collect();
    write!(out, "{}\r\n", fields.join(","))
}

/// A field quoted when it holds a separator, quote or line break. A field a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`, since template text reaches
/// this column.
fn field(value: &str) -> Cow<'_, str> {
    let formula = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let value: Cow<'_, str> = if formula {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    };
    if value.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
    }
}
