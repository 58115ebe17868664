//! What analyses produce and reporters render.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Origin, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown severity `{s}` (expected info, low, medium, high or critical)"))
    }
}

/// The four layers of Lambda security in the product brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    /// IAM permissions: who can reach the function, what its role can do.
    Iam,
    /// Function configuration.
    Configuration,
    /// Code security.
    Code,
    /// Monitoring and logging.
    Monitoring,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Iam => "iam",
            Layer::Configuration => "configuration",
            Layer::Code => "code",
            Layer::Monitoring => "monitoring",
        }
    }
}

/// The security checklist every rule maps to, and every report scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Checklist {
    Encryption,
    AuthN,
    SecretsManager,
    CloudTrail,
    Audits,
    Dependencies,
    Throttling,
}

impl Checklist {
    pub const ALL: [Checklist; 7] = [
        Checklist::Encryption,
        Checklist::AuthN,
        Checklist::SecretsManager,
        Checklist::CloudTrail,
        Checklist::Audits,
        Checklist::Dependencies,
        Checklist::Throttling,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Checklist::Encryption => "encryption",
            Checklist::AuthN => "authn-authz",
            Checklist::SecretsManager => "secrets-manager",
            Checklist::CloudTrail => "cloudtrail",
            Checklist::Audits => "audits",
            Checklist::Dependencies => "dependencies",
            Checklist::Throttling => "throttling",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Checklist::Encryption => "Encryption at rest and in transit",
            Checklist::AuthN => "Authentication and authorization",
            Checklist::SecretsManager => "Secrets in a secrets manager",
            Checklist::CloudTrail => "CloudTrail logging",
            Checklist::Audits => "Regular audits",
            Checklist::Dependencies => "Dependencies up to date",
            Checklist::Throttling => "Rate limiting and throttling",
        }
    }
}

/// A rule's declared metadata (its documentation lives beside it, see `RuleMeta::doc`).
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable id, e.g. `ACC001`.
    pub id: &'static str,
    /// Kebab-case name, e.g. `public-invoke-permission`.
    pub name: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    pub layer: Layer,
    pub severity: Severity,
    pub checklist: &'static [Checklist],
    /// Equivalent checks in other tools: `checkov:CKV_AWS_45`, `securityhub:Lambda.1`, ...
    pub sources: &'static [&'static str],
    /// Markdown documentation with the headings What it does / Why is this bad / Example / Fix /
    /// References.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation as markdown, without the space each doc-comment line starts with.
    pub fn markdown(&self) -> String {
        self.doc
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }

    /// The body of the section under `## {heading}` (a trailing `?` on the heading is ignored,
    /// so `Why is this bad?` matches `Why is this bad`), or `None` when missing or empty.
    pub fn doc_section(&self, heading: &str) -> Option<String> {
        fn heading_text(line: &str) -> Option<&str> {
            let text = line.strip_prefix("## ")?.trim();
            Some(text.strip_suffix('?').unwrap_or(text))
        }
        let markdown = self.markdown();
        let mut lines = markdown.lines();
        lines.find(|line| heading_text(line).is_some_and(|text| text == heading))?;
        let body = lines
            .take_while(|line| heading_text(line).is_none())
            .collect::<Vec<_>>()
            .join("\n");
        let body = body.trim();
        (!body.is_empty()).then(|| body.to_string())
    }
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub origin: Origin,
    /// The resource the finding is about (logical id, Terraform address or ARN).
    pub resource: String,
    pub resource_type: String,
}

/// A problem found by a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule_id: &'static str,
    pub rule_name: &'static str,
    pub severity: Severity,
    pub layer: Layer,
    pub checklist: &'static [Checklist],
    pub message: String,
    pub location: Location,
    /// The lines of source around the location, when the source text is known.
    pub snippet: Option<Snippet>,
    /// Stable across line shifts: rule, resource identity and the property path.
    pub fingerprint: String,
    /// Secret values the finding is about: masked wherever source text is shown (snippets).
    /// Never rendered.
    #[serde(skip)]
    pub redact: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// Line number of the first line in `lines`.
    pub first_line: u32,
    pub lines: Vec<String>,
}

impl Finding {
    /// A finding for `meta` about `resource`, pointing at `origin`. `key` distinguishes several
    /// findings of one rule on one resource (e.g. the environment variable name) and goes into
    /// the fingerprint; it must not depend on line numbers.
    pub fn new(meta: &RuleMeta, location: Location, key: &str, message: impl Into<String>) -> Finding {
        let fingerprint = fingerprint(&[
            meta.id,
            location.origin.path().unwrap_or_default(),
            &location.resource,
            key,
        ]);
        Finding {
            rule_id: meta.id,
            rule_name: meta.name,
            severity: meta.severity,
            layer: meta.layer,
            checklist: meta.checklist,
            message: message.into(),
            location,
            snippet: None,
            fingerprint,
            redact: Vec::new(),
        }
    }

    pub fn span(&self) -> Span {
        self.location.origin.span()
    }

    /// The order reporters render findings in: file, position, rule, message.
    pub fn sort_key(&self) -> (Option<&str>, Span, &str, &str, &str) {
        (
            self.location.origin.path(),
            self.location.origin.span(),
            self.rule_id,
            &self.location.resource,
            &self.message,
        )
    }
}

/// A short hex digest of the parts, for fingerprints.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DiagnosticLevel {
    /// An input that could not be read; the run exits 2. Listed first.
    Error,
    Warning,
    /// Something the user should know that does not stop the scan (an unresolvable
    /// intrinsic, a part of a template that is not analysed).
    Note,
}

/// A message about the inputs or the configuration rather than about security.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub level: DiagnosticLevel,
    /// Stable kebab-case code, e.g. `yaml-syntax`, `unknown-resource-type`, `unused-suppression`.
    pub code: &'static str,
    /// `path:line:col` or an ARN, when the message is about a place.
    pub origin: Option<Origin>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, origin: Option<Origin>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: DiagnosticLevel::Error,
            code,
            origin,
            message: message.into(),
        }
    }

    pub fn warning(code: &'static str, origin: Option<Origin>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: DiagnosticLevel::Warning,
            code,
            origin,
            message: message.into(),
        }
    }

    pub fn note(code: &'static str, origin: Option<Origin>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: DiagnosticLevel::Note,
            code,
            origin,
            message: message.into(),
        }
    }
}

/// A finding that a suppression removed, kept for reports that list them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// `metadata`, `config` or `baseline`.
    pub by: &'static str,
    pub reason: Option<String>,
}

/// Everything one run produced, in render order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub suppressed: Vec<Suppressed>,
    pub diagnostics: Vec<Diagnostic>,
    /// The rules that ran (for SARIF's rule table and the checklist score).
    pub rules: Vec<RuleMeta>,
    /// Number of source files read and resources found, for the summary.
    pub files_scanned: usize,
    pub resources_scanned: usize,
}

impl Report {
    /// Sort findings and diagnostics so output is deterministic.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.findings
            .dedup_by(|a, b| a.fingerprint == b.fingerprint && a.span() == b.span());
        self.suppressed
            .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
        self.diagnostics.sort();
        self.diagnostics.dedup();
        self.rules.sort_by_key(|r| r.id);
    }

    /// Per checklist item: (rules that ran for it, rules with at least one finding).
    pub fn checklist_scores(&self) -> Vec<ChecklistScore> {
        Checklist::ALL
            .into_iter()
            .map(|item| {
                let rules: Vec<&RuleMeta> = self
                    .rules
                    .iter()
                    .filter(|r| r.checklist.contains(&item))
                    .collect();
                let failing = rules
                    .iter()
                    .filter(|r| self.findings.iter().any(|f| f.rule_id == r.id))
                    .count();
                let findings = self
                    .findings
                    .iter()
                    .filter(|f| f.checklist.contains(&item))
                    .count();
                ChecklistScore {
                    item,
                    rules: rules.len(),
                    failing_rules: failing,
                    findings,
                }
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChecklistScore {
    pub item: Checklist,
    pub rules: usize,
    pub failing_rules: usize,
    pub findings: usize,
}

impl ChecklistScore {
    /// Percentage of this item's rules that pass (100 when no rule covers it).
    pub fn percent(&self) -> u32 {
        ((self.rules - self.failing_rules) * 100)
            .checked_div(self.rules)
            .unwrap_or(100) as u32
    }
}
