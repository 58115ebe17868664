//! The JUnit XML renderer, for the test tabs of CI systems (GitLab, Jenkins, Azure DevOps).
//!
//! One `<testsuite>` per rule that ran, one `<testcase>` per rule and resource: a resource
//! with findings is a failed test case, and a rule with no findings is one passing test case,
//! so a clean run still shows what was checked.
//!
//! Written by hand rather than with `quick-junit`: the document is three element kinds deep,
//! and all it needs is correct escaping, which [`escape`] does in a few lines without adding
//! an XML library and its dependency tree to the build.

use std::collections::BTreeMap;
use std::io::{self, Write};

use warden_model::{Finding, Report};

use crate::RenderOptions;

pub(crate) fn render(report: &Report, _options: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let suites = suites(report);
    let tests: usize = suites.iter().map(Suite::tests).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="warden" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    for suite in &suites {
        write_suite(suite, out)?;
    }
    writeln!(out, "</testsuites>")
}

struct Suite<'a> {
    rule_id: &'a str,
    rule_name: &'a str,
    /// Resource name -> its findings (empty for the single passing case of a clean rule).
    cases: BTreeMap<&'a str, Vec<&'a Finding>>,
}

impl Suite<'_> {
    /// A clean rule still counts one (passing) test case.
    fn tests(&self) -> usize {
        self.cases.len().max(1)
    }

    fn failures(&self) -> usize {
        self.cases.values().filter(|f| !f.is_empty()).count()
    }
}

/// Rules that ran, plus any rule a finding names (a report built without its rule list).
fn suites(report: &Report) -> Vec<Suite<'_>> {
    let mut suites: BTreeMap<&str, Suite<'_>> = BTreeMap::new();
    for rule in &report.rules {
        suites.entry(rule.id).or_insert_with(|| Suite {
            rule_id: rule.id,
            rule_name: rule.name,
            cases: BTreeMap::new(),
        });
    }
    for finding in &report.findings {
        suites
            .entry(finding.rule_id)
            .or_insert_with(|| Suite {
                rule_id: finding.rule_id,
                rule_name: finding.rule_name,
                cases: BTreeMap::new(),
            })
            .cases
            .entry(&finding.location.resource)
            .or_default()
            .push(finding);
    }
    suites.into_values().collect()
}

fn write_suite(suite: &Suite<'_>, out: &mut dyn Write) -> io::Result<()> {
    let name = format!("{} {}", suite.rule_id, suite.rule_name);
    writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0">"#,
        escape(&name),
        suite.tests(),
        suite.failures()
    )?;
    if suite.cases.is_empty() {
        writeln!(
            out,
            r#"    <testcase name="{}" classname="{}"/>"#,
            escape(&format!("{}: no findings", suite.rule_id)),
            escape(&name)
        )?;
    }
    for (resource, findings) in &suite.cases {
        write_case(&name, suite.rule_id, resource, findings, out)?;
    }
    writeln!(out, "  </testsuite>")
}

fn write_case(
    classname: &str,
    rule_id: &str,
    resource: &str,
    findings: &[&Finding],
    out: &mut dyn Write,
) -> io::Result<()> {
    let Some(first) = findings.first() else {
        return Ok(());
    };
    let file = first
        .location
        .origin
        .path()
        .map(|path| format!(r#" file="{}""#, escape(path)))
        .unwrap_or_default();
    writeln!(
        out,
        r#"    <testcase name="{}" classname="{}"{file}>"#,
        escape(&format!("{rule_id}: {resource}")),
        escape(classname)
    )?;
    // Several findings of one rule on one resource (e.g. two secrets) share one failure.
    let message = if findings.len() == 1 {
        first.message.clone()
    } else {
        format!("{} ({} findings on this resource)", first.message, findings.len())
    };
    let body: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{}: {} {}: {}",
                f.location.origin,
                f.severity.as_str().to_ascii_uppercase(),
                f.rule_id,
                f.message
            )
        })
        .collect();
    writeln!(
        out,
        r#"      <failure message="{}" type="{}">{}</failure>"#,
        escape(&message),
        first.severity.as_str(),
        escape(&body.join("\n"))
    )?;
    writeln!(out, "    </testcase>")
}

/// `text` safe in XML 1.0 attribute values and text. Characters XML 1.0 cannot carry at all,
/// even as references (most control characters), are written as Rust escapes instead.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // Kept literally in text, but normalised away in attributes unless referenced.
            '\n' => escaped.push_str("&#10;"),
            '\t' => escaped.push_str("&#9;"),
            '\r' => escaped.push_str("&#13;"),
            c if is_xml_char(c) => escaped.push(c),
            c => escaped.extend(c.escape_default()),
        }
    }
    escaped
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_quotes_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape("a<b>&\"c'\n\u{1b}\u{fffe}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;\\u{1b}\\u{fffe}"
        );
    }
}
