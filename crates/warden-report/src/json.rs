//! The JSON renderer: the versioned schema in `docs/json-schema.md`.
//!
//! The output is built from the types below, never by serializing model types, so a change to
//! the model cannot change the schema unnoticed: every field here is a deliberate part of
//! schema version [`SCHEMA_VERSION`].

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::Serializer;
use warden_model::{Diagnostic, Finding, Origin, Report, Severity, Snippet, Suppressed};

use crate::RenderOptions;
use crate::summary::{self, ChecklistRow};

/// Bumped on any change that can break a consumer; see the versioning policy in the docs.
pub(crate) const SCHEMA_VERSION: &str = "1";

pub(crate) fn render(report: &Report, options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    crate::write_json(&JsonReport::new(report, options), out)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: &'static str,
    tool: Tool<'a>,
    findings: Vec<JsonFinding<'a>>,
    suppressed: Vec<JsonSuppressed<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

impl<'a> JsonReport<'a> {
    fn new(report: &'a Report, options: &'a RenderOptions) -> Self {
        JsonReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "warden",
                version: &options.tool_version,
            },
            findings: report.findings.iter().map(JsonFinding::new).collect(),
            suppressed: report.suppressed.iter().map(JsonSuppressed::new).collect(),
            diagnostics: report.diagnostics.iter().map(JsonDiagnostic::new).collect(),
            summary: Summary::new(report),
        }
    }
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule_id: &'static str,
    rule_name: &'static str,
    severity: &'static str,
    layer: &'static str,
    checklist: Vec<&'static str>,
    message: &'a str,
    location: JsonLocation<'a>,
    resource: &'a str,
    resource_type: &'a str,
    fingerprint: &'a str,
    snippet: Option<JsonSnippet<'a>>,
}

impl<'a> JsonFinding<'a> {
    fn new(finding: &'a Finding) -> Self {
        JsonFinding {
            rule_id: finding.rule_id,
            rule_name: finding.rule_name,
            severity: finding.severity.as_str(),
            layer: finding.layer.as_str(),
            checklist: finding.checklist.iter().map(|item| item.id()).collect(),
            message: &finding.message,
            location: JsonLocation::new(&finding.location.origin),
            resource: &finding.location.resource,
            resource_type: &finding.location.resource_type,
            fingerprint: &finding.fingerprint,
            snippet: finding.snippet.as_ref().map(JsonSnippet::new),
        }
    }
}

/// A place in a file (positions `null` when unknown) or a resource in a live account.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum JsonLocation<'a> {
    File {
        path: &'a str,
        start_line: Option<u32>,
        start_column: Option<u32>,
        end_line: Option<u32>,
        end_column: Option<u32>,
    },
    Aws {
        arn: &'a str,
        region: &'a str,
    },
}

impl<'a> JsonLocation<'a> {
    fn new(origin: &'a Origin) -> Self {
        // The model uses 0 for "unknown"; JSON says so with null rather than an invalid number.
        let known = |n: u32| (n > 0).then_some(n);
        match origin {
            Origin::File { path, span } => JsonLocation::File {
                path,
                start_line: known(span.start.line),
                start_column: known(span.start.line).and(known(span.start.column)),
                end_line: known(span.end.line),
                end_column: known(span.end.line).and(known(span.end.column)),
            },
            Origin::Aws { arn, region } => JsonLocation::Aws { arn, region },
        }
    }
}

#[derive(Serialize)]
struct JsonSnippet<'a> {
    first_line: u32,
    lines: &'a [String],
}

impl<'a> JsonSnippet<'a> {
    fn new(snippet: &'a Snippet) -> Self {
        JsonSnippet {
            first_line: snippet.first_line,
            lines: &snippet.lines,
        }
    }
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    /// What suppressed the finding (`metadata`, `config`, `baseline`); new kinds may appear.
    by: &'static str,
    reason: Option<&'a str>,
    finding: JsonFinding<'a>,
}

impl<'a> JsonSuppressed<'a> {
    fn new(suppressed: &'a Suppressed) -> Self {
        JsonSuppressed {
            by: suppressed.by,
            reason: suppressed.reason.as_deref(),
            finding: JsonFinding::new(&suppressed.finding),
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    level: &'static str,
    code: &'static str,
    message: &'a str,
    location: Option<JsonLocation<'a>>,
}

impl<'a> JsonDiagnostic<'a> {
    fn new(diagnostic: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            level: crate::level_name(diagnostic.level),
            code: diagnostic.code,
            message: &diagnostic.message,
            location: diagnostic.origin.as_ref().map(JsonLocation::new),
        }
    }
}

#[derive(Serialize)]
struct Summary {
    findings: usize,
    by_severity: BySeverity,
    suppressed: usize,
    files_scanned: usize,
    resources_scanned: usize,
    checklist: Vec<ChecklistItem>,
}

impl Summary {
    fn new(report: &Report) -> Self {
        Summary {
            findings: report.findings.len(),
            by_severity: BySeverity(summary::severity_counts(&report.findings)),
            suppressed: report.suppressed.len(),
            files_scanned: report.files_scanned,
            resources_scanned: report.resources_scanned,
            checklist: summary::checklist(report)
                .iter()
                .map(ChecklistItem::new)
                .collect(),
        }
    }
}

/// `{"critical": n, "high": n, "medium": n, "low": n, "info": n}`, in that order.
struct BySeverity(Vec<(Severity, usize)>);

impl Serialize for BySeverity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(severity, n)| (severity.as_str(), n)))
    }
}

#[derive(Serialize)]
struct ChecklistItem {
    id: &'static str,
    title: &'static str,
    rules: usize,
    passing_rules: usize,
    percent: Option<u32>,
    findings: usize,
}

impl ChecklistItem {
    fn new(row: &ChecklistRow) -> Self {
        ChecklistItem {
            id: row.item.id(),
            title: row.item.title(),
            rules: row.rules,
            passing_rules: row.passing_rules,
            percent: row.percent,
            findings: row.findings,
        }
    }
}
