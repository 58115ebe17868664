//! The text renderer, as a person reads it.

mod support;

use warden_model::Report;
use warden_report::Format;

use support::{PUBLIC_URL, file, finding, render_to_string, sample_report, span};

#[test]
fn sample_report_renders_findings_diagnostics_and_summary() {
    insta::assert_snapshot!(render_to_string(Format::Text, &sample_report(), false));
}

#[test]
fn an_empty_report_says_there_are_no_findings() {
    let text = render_to_string(Format::Text, &Report::default(), false);
    assert!(text.starts_with("No findings.\n"), "{text}");
    assert!(
        text.contains("findings: 0 ("),
        "the summary is still shown:\n{text}"
    );
}

#[test]
fn colour_off_writes_no_escape_sequences() {
    let text = render_to_string(Format::Text, &sample_report(), false);
    assert!(!text.contains('\u{1b}'), "{text}");
}

#[test]
fn colour_on_styles_severity_and_rule_id() {
    let text = render_to_string(Format::Text, &sample_report(), true);
    assert!(text.contains("\u{1b}[31mHIGH\u{1b}[0m"), "{text}");
    assert!(text.contains("\u{1b}[1mACC001\u{1b}[0m"), "{text}");
}

#[test]
fn escape_sequences_from_the_inputs_are_neutralised() {
    let mut report = Report::default();
    let mut hostile = finding(
        &PUBLIC_URL,
        file("evil\u{1b}]0;title\u{7}.yaml", span((1, 1), (1, 4))),
        "Fn\u{202e}lmth.exe",
        "AWS::Lambda::Url",
        "clear screen \u{1b}[2J",
    );
    hostile.snippet = Some(warden_model::Snippet {
        first_line: 1,
        lines: vec!["x: \u{1b}[31mred".into()],
    });
    report.findings.push(hostile);
    let text = render_to_string(Format::Text, &report, false);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text}");
    assert!(text.contains("clear screen \\u{1b}[2J"), "{text}");
}
