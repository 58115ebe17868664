//! The junit renderer on the shared sample report.

mod support;

use warden_report::Format;

use support::{render_to_string, sample_report};

use std::process::{Command, Stdio};

use warden_model::Report;

use support::{PUBLIC_URL, file, finding, span};

#[test]
fn sample_report_renders_one_suite_per_rule() {
    insta::assert_snapshot!(render_to_string(Format::Junit, &sample_report(), false));
}

#[test]
fn counts_a_test_case_per_rule_and_resource() {
    let xml = render_to_string(Format::Junit, &sample_report(), false);
    // ACC001 fails on ApiUrl and WorkerUrl; CFG002 on billing; MON001 (all suppressed) passes.
    assert!(
        xml.contains(r#"<testsuites name="warden" tests="4" failures="3" errors="0">"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<testcase name="MON001: no findings""#), "{xml}");
}

#[test]
fn several_findings_on_one_resource_share_one_failure() {
    let mut report = Report::default();
    for (line, variable) in [(5, "A"), (6, "B")] {
        report.findings.push(finding(
            &PUBLIC_URL,
            file("t.yaml", span((line, 1), (line, 2))),
            "Api",
            "AWS::Lambda::Url",
            &format!("problem {variable}"),
        ));
    }
    let xml = render_to_string(Format::Junit, &report, false);
    assert_eq!(xml.matches("<testcase ").count(), 1, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains("problem A (2 findings on this resource)"), "{xml}");
    assert!(xml.contains("t.yaml:6:1: HIGH ACC001: problem B"), "{xml}");
}

#[test]
fn hostile_text_stays_well_formed_xml() {
    let mut report = sample_report();
    report.findings.push(finding(
        &PUBLIC_URL,
        file("a&b.yaml", span((1, 1), (1, 2))),
        "X\"]]></failure><evil/>",
        "AWS::Lambda::Url",
        "<script>&\u{1b}[2J'\u{0}",
    ));
    let xml = render_to_string(Format::Junit, &report, false);
    assert!(!xml.contains("<evil/>") && !xml.contains("<script>"), "{xml}");
    assert_well_formed(&xml);
}

/// Parse with python3's XML parser where python3 exists (skips with a message otherwise).
fn assert_well_formed(xml: &str) {
    let child = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("skipping the XML parse: python3 is not available");
        return;
    };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin.write_all(xml.as_bytes()).expect("write to python3");
    }
    let output = child.wait_with_output().expect("python3 ran");
    assert!(
        output.status.success(),
        "not well-formed XML: {}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}
