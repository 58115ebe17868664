//! Renders one [`Report`] as text for people, JSON for machines, SARIF for code-scanning
//! dashboards, JUnit XML for CI test tabs, Markdown for pull-request comments and CSV for
//! spreadsheets; and compares a report with a [`Baseline`] of accepted findings.
//!
//! Renderers only render: the caller has already run the rules and sorted the report
//! ([`Report::sort`]), so the same report always renders to the same bytes.

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::str::FromStr;

use warden_model::{DiagnosticLevel, Report};

pub use baseline::{
    BASELINE_VERSION, Baseline, BaselineEntry, BaselineError, FIXED_SINCE_BASELINE, SUPPRESSED_BY_BASELINE,
};

mod baseline;
mod csv;
mod json;
mod junit;
mod markdown;
mod sarif;
mod summary;
mod text;

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people at a terminal: findings with snippets, diagnostics, a summary.
    Text,
    /// For machines: the versioned schema documented in `docs/json-schema.md`.
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// JUnit XML, for CI test tabs: one test suite per rule, one test case per rule and resource.
    Junit,
    /// A pull-request comment: a summary by severity, the worst findings, the full list collapsed.
    Markdown,
    /// One row per finding (RFC 4180), for spreadsheets.
    Csv,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Markdown,
        Format::Csv,
    ];

    /// The name users type after `--format`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
            Format::Csv => "csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of [`Format::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}` (expected {choices})", choices = format_choices())]
pub struct UnknownFormat(pub String);

/// `text, json, sarif, junit, markdown or csv`, from [`Format::ALL`] so it cannot go stale.
fn format_choices() -> String {
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Case-insensitive, like severities, so `--format SARIF` works.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|format| format.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// What the caller decides for the renderers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// Colour the text output. The CLI decides (terminal, `NO_COLOR`); other formats ignore it.
    pub color: bool,
    /// The version reported as the tool's (JSON `tool.version`, SARIF `driver.version`).
    pub tool_version: String,
}

impl Default for RenderOptions {
    /// No colour, and this crate's version (the workspace shares one version).
    fn default() -> Self {
        RenderOptions {
            color: false,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// Render `report` in `format` to `out`.
///
/// Output is buffered here, so callers can pass an unbuffered handle such as `stdout().lock()`.
/// I/O errors (a closed pipe included) are returned for the caller to handle.
pub fn render(
    format: Format,
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut out = BufWriter::new(out);
    match format {
        Format::Text => text::render(report, options, &mut out)?,
        Format::Json => json::render(report, options, &mut out)?,
        Format::Sarif => sarif::render(report, options, &mut out)?,
        Format::Junit => junit::render(report, options, &mut out)?,
        Format::Markdown => markdown::render(report, options, &mut out)?,
        Format::Csv => csv::render(report, options, &mut out)?,
    }
    out.flush()
}

/// The name of a diagnostic level, the same in text, JSON and SARIF.
fn level_name(level: DiagnosticLevel) -> &'static str {
    match level {
        DiagnosticLevel::Error => "error",
        DiagnosticLevel::Warning => "warning",
        DiagnosticLevel::Note => "note",
    }
}

/// Write `value` as pretty JSON followed by a newline, so files end like text files.
fn write_json<T: serde::Serialize>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for format in Format::ALL {
            assert_eq!(format.to_string().parse::<Format>(), Ok(format));
        }
    }

    #[test]
    fn format_parsing_ignores_case() {
        assert_eq!("SARIF".parse::<Format>(), Ok(Format::Sarif));
    }

    /// A closed pipe: the CLI must get the error back to exit quietly, not a panic.
    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn write_errors_are_returned() {
        for format in Format::ALL {
            let result = render(
                format,
                &Report::default(),
                &RenderOptions::default(),
                &mut ClosedPipe,
            );
            assert_eq!(
                result.map_err(|e| e.kind()),
                Err(io::ErrorKind::BrokenPipe),
                "{format}"
            );
        }
    }

    #[test]
    fn unknown_format_names_the_choices() {
        let err = "xml".parse::<Format>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown format `xml` (expected text, json, sarif, junit, markdown or csv)"
        );
    }
}
