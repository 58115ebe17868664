//! The markdown renderer on the shared sample report.

mod support;

use warden_report::Format;

use support::{render_to_string, sample_report};

use warden_model::{Report, Severity};

use support::{PUBLIC_URL, file, finding, span};

#[test]
fn sample_report_renders_a_pull_request_comment() {
    insta::assert_snapshot!(render_to_string(Format::Markdown, &sample_report(), false));
}

#[test]
fn worst_findings_come_first_and_the_full_list_is_collapsed() {
    let md = render_to_string(Format::Markdown, &sample_report(), false);
    let worst = md.find("### Critical and high findings").expect("worst table");
    let details = md.find("<details>").expect("collapsed list");
    assert!(worst < details, "{md}");
    let critical = md[worst..].find("| Critical | `CFG002`").expect("critical row");
    let high = md[worst..].find("| High | `ACC001`").expect("high row");
    assert!(critical < high, "critical before high:\n{md}");
}

#[test]
fn a_low_only_report_has_no_worst_table() {
    let mut report = Report::default();
    let mut low = finding(
        &PUBLIC_URL,
        file("t.yaml", span((1, 1), (1, 2))),
        "Api",
        "AWS::Lambda::Url",
        "m",
    );
    low.severity = Severity::Low;
    report.findings.push(low);
    let md = render_to_string(Format::Markdown, &report, false);
    assert!(!md.contains("### Critical and high"), "{md}");
    assert!(md.contains("<summary>All 1 finding</summary>"), "{md}");
}

#[test]
fn messages_cannot_break_the_table_or_inject_markup() {
    let mut report = Report::default();
    report.findings.push(finding(
        &PUBLIC_URL,
        file("t.yaml", span((1, 1), (1, 2))),
        "Api",
        "AWS::Lambda::Url",
        "a | b\n| --- |\n<img src=x onerror=alert(1)> [link](http://evil)",
    ));
    let md = render_to_string(Format::Markdown, &report, false);
    let row = md.lines().find(|l| l.contains("ACC001")).expect("finding row");
    assert!(row.contains(r"a \| b \| --- \| \<img"), "{row}");
    assert!(row.contains(r"\[link\](http://evil)"), "{row}");
    // Six real cell separators: five columns.
    assert_eq!(row.replace(r"\|", "").matches('|').count(), 6, "{row}");
}

#[test]
fn an_empty_report_says_so() {
    let md = render_to_string(Format::Markdown, &Report::default(), false);
    assert!(md.contains("**No findings**"), "{md}");
    assert!(!md.contains("<details>"), "{md}");
}
