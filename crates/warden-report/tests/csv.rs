//! The csv renderer on the shared sample report.

mod support;

use warden_report::Format;

use support::{render_to_string, sample_report};

use warden_model::Report;

use support::{PUBLIC_URL, file, finding, span};

#[test]
fn sample_report_renders_one_row_per_finding() {
    insta::assert_snapshot!(render_to_string(Format::Csv, &sample_report(), false));
}

#[test]
fn header_and_rows_end_in_crlf() {
    let csv = render_to_string(Format::Csv, &sample_report(), false);
    let rows: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(
        rows.first().copied(),
        Some("severity,rule_id,rule_name,resource,resource_type,path,line,column,message,fingerprint")
    );
    assert_eq!(rows.len(), 1 + sample_report().findings.len(), "{csv}");
}

#[test]
fn unknown_positions_are_empty_and_live_resources_show_their_arn() {
    let csv = render_to_string(Format::Csv, &sample_report(), false);
    assert!(csv.contains(",infra/my stack.yaml,,,"), "{csv}");
    assert!(
        csv.contains(",arn:aws:lambda:eu-west-1:123456789012:function:billing,,,"),
        "{csv}"
    );
}

#[test]
fn commas_quotes_and_newlines_are_quoted() {
    let mut report = Report::default();
    report.findings.push(finding(
        &PUBLIC_URL,
        file("t.yaml", span((1, 1), (1, 2))),
        "Api",
        "AWS::Lambda::Url",
        "say \"hi\", then\nleave",
    ));
    let csv = render_to_string(Format::Csv, &report, false);
    assert!(csv.contains(",\"say \"\"hi\"\", then\nleave\","), "{csv}");
}
