//! Baselines: the findings a project has accepted, so that only new ones fail a run.
//!
//! A baseline is a small versioned JSON file keyed by [`Finding::fingerprint`] (rule, file,
//! resource and property, never line numbers), so edits that shift lines keep matching:
//!
//! ```json
//! {"version": 1, "findings": [{"fingerprint": "…", "rule_id": "ACC001", "resource": "PublicInvoke", "path": "template.yaml"}]}
//! ```
//!
//! `rule_id`, `resource` and `path` are there for people reading the file and for listing a
//! fixed finding; only the fingerprint is matched.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use warden_model::{Diagnostic, Finding, Origin, Report, Span, Suppressed};

/// The only version this build reads and writes.
pub const BASELINE_VERSION: u32 = 1;

/// What [`Suppressed::by`] says for a finding the baseline accepted.
pub const SUPPRESSED_BY_BASELINE: &str = "baseline";

/// The diagnostic code listing a baseline entry that no longer occurs.
pub const FIXED_SINCE_BASELINE: &str = "fixed-since-baseline";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    /// Sorted by fingerprint, so rewriting an unchanged baseline changes no byte.
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub resource: String,
    /// The file, or the ARN of a resource in a live account.
    pub path: String,
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("not a Warden baseline: {0}")]
    Malformed(#[from] serde_json::Error),
    #[error("baseline version {found} is not supported (this Warden reads version {BASELINE_VERSION})")]
    UnsupportedVersion { found: u32 },
}

impl Baseline {
    /// The baseline that accepts every finding of `report` (suppressed ones are already
    /// accounted for and stay out).
    pub fn from_report(report: &Report) -> Baseline {
        let mut findings: Vec<BaselineEntry> = report.findings.iter().map(BaselineEntry::new).collect();
        findings.sort();
        findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            version: BASELINE_VERSION,
            findings,
        }
    }

    pub fn parse(text: &str) -> Result<Baseline, BaselineError> {
        // The version is read first, so a future file says "unsupported version" rather than
        // failing on whatever field it added.
        #[derive(Deserialize)]
        struct Versioned {
            version: u32,
        }
        let Versioned { version } = serde_json::from_str(text)?;
        if version != BASELINE_VERSION {
            return Err(BaselineError::UnsupportedVersion { found: version });
        }
        Ok(serde_json::from_str(text)?)
    }

    /// Write as pretty JSON ending in a newline, ready to be committed.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        crate::write_json(self, out)
    }

    /// Move the findings of `report` that the baseline accepts to `report.suppressed`, and add a
    /// `fixed-since-baseline` note for each entry that no longer occurs. Entries of rules that
    /// did not run (`--select`, `--ignore`) are not called fixed: nobody looked for them.
    /// Returns how many findings were accepted.
    pub fn apply(&self, report: &mut Report) -> usize {
        let accepted: BTreeSet<&str> = self.findings.iter().map(|e| e.fingerprint.as_str()).collect();
        let (old, new): (Vec<Finding>, Vec<Finding>) = std::mem::take(&mut report.findings)
            .into_iter()
            .partition(|f| accepted.contains(f.fingerprint.as_str()));
        report.findings = new;
        let count = old.len();

        // A finding that a config or metadata ignore now hides still occurs: it is not fixed.
        let present: BTreeSet<&str> = old
            .iter()
            .chain(report.suppressed.iter().map(|s| &s.finding))
            .map(|f| f.fingerprint.as_str())
            .collect();
        let ran: BTreeSet<&str> = report.rules.iter().map(|r| r.id).collect();
        let fixed: Vec<Diagnostic> = self
            .findings
            .iter()
            .filter(|e| !present.contains(e.fingerprint.as_str()) && ran.contains(e.rule_id.as_str()))
            .map(BaselineEntry::fixed)
            .collect();

        report
            .suppressed
            .extend(old.into_iter().map(|finding| Suppressed {
                finding,
                by: SUPPRESSED_BY_BASELINE,
                reason: None,
            }));
        report.diagnostics.extend(fixed);
        report.sort();
        count
    }
}

impl BaselineEntry {
    fn new(finding: &Finding) -> BaselineEntry {
        let path = match &finding.location.origin {
            Origin::File { path, .. } => path.to_string(),
            Origin::Aws { arn, .. } => arn.clone(),
        };
        BaselineEntry {
            fingerprint: finding.fingerprint.clone(),
            rule_id: finding.rule_id.to_string(),
            resource: finding.location.resource.clone(),
            path,
        }
    }

    fn fixed(&self) -> Diagnostic {
        let origin = (!self.path.starts_with("arn:")).then(|| Origin::File {
            path: self.path.as_str().into(),
            span: Span::default(),
        });
        let place = if origin.is_some() {
            String::new()
        } else {
            format!(" ({})", self.path)
        };
        Diagnostic::note(
            FIXED_SINCE_BASELINE,
            origin,
            format!(
                "{} on `{}`{place} is fixed since the baseline (fingerprint {})",
                self.rule_id, self.resource, self.fingerprint
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fingerprint: &str) -> BaselineEntry {
        BaselineEntry {
            fingerprint: fingerprint.into(),
            rule_id: "ACC001".into(),
            resource: "Api".into(),
            path: "template.yaml".into(),
        }
    }

    #[test]
    fn written_baselines_parse_back() {
        let baseline = Baseline {
            version: BASELINE_VERSION,
            findings: vec![entry("aa"), entry("bb")],
        };
        let mut out = Vec::new();
        baseline.write(&mut out).expect("write to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
        assert_eq!(Baseline::parse(&text).ok(), Some(baseline));
    }

    #[test]
    fn other_versions_and_other_documents_are_refused() {
        let future = r#"{"version": 2, "findings": [], "new_field": true}"#;
        assert_eq!(
            Baseline::parse(future)
                .map_err(|e| e.to_string())
                .err()
                .as_deref(),
            Some("baseline version 2 is not supported (this Warden reads version 1)")
        );
        for text in [
            "",
            "[]",
            r#"{"version": 1}"#,
            r#"{"version": 1, "findings": [{"fingerprint": 1}]}"#,
        ] {
            assert!(
                matches!(Baseline::parse(text), Err(BaselineError::Malformed(_))),
                "{text:?} was accepted"
            );
        }
    }

    #[test]
    fn an_arn_path_is_named_in_the_message_not_as_a_file() {
        let mut live = entry("cc");
        live.path = "arn:aws:lambda:eu-west-1:1:function:f".into();
        let note = live.fixed();
        assert_eq!(note.origin, None);
        assert!(
            note.message.contains("(arn:aws:lambda:eu-west-1:1:function:f)"),
            "{}",
            note.message
        );
    }
}
