//! Run settings: which rules run, at what severity, what is ignored, the runtime table and
//! today's date. `warden.toml` is read into these by [`Config`].

use std::collections::BTreeMap;

use jiff::civil::Date;
use warden_model::{Origin, Severity};

use crate::runtimes::RuntimeTable;

#[derive(Debug, Clone)]
pub struct Settings {
    /// When set, only rules whose id starts with one of these run (`ACC`, `CFG003`).
    pub select: Option<Vec<String>>,
    /// Rules whose id starts with one of these do not run.
    pub ignore: Vec<String>,
    pub severity_overrides: BTreeMap<String, Severity>,
    pub ignores: Vec<IgnoreEntry>,
    pub runtimes: RuntimeTable,
    /// The date runtime deprecations are judged against.
    pub today: Date,
}

impl Settings {
    pub fn new(today: Date) -> Settings {
        Settings {
            select: None,
            ignore: Vec::new(),
            severity_overrides: BTreeMap::new(),
            ignores: Vec::new(),
            runtimes: RuntimeTable::builtin(),
            today,
        }
    }

    /// Whether the rule with this id is enabled by `select` / `ignore`.
    pub fn is_enabled(&self, rule_id: &str) -> bool {
        let matches = |prefix: &String| rule_id.starts_with(prefix.as_str());
        self.select.as_ref().is_none_or(|s| s.iter().any(matches)) && !self.ignore.iter().any(matches)
    }
}

/// A config `[[ignore]]` entry: suppresses findings of `rule` (on `resource`, in files matching
/// `path`, when given) until `expires`.
#[derive(Debug, Clone, PartialEq)]
pub struct IgnoreEntry {
    pub rule: String,
    pub resource: Option<String>,
    pub path: Option<String>,
    pub reason: Option<String>,
    pub expires: Option<Date>,
    /// Where the entry is written (for "matched nothing" and "expired" diagnostics).
    pub origin: Option<Origin>,
}

/// The name of the configuration file, found upward from the scanned path.
pub const CONFIG_FILE: &str = "warden.toml";

/// `warden.toml` as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    rules: RulesSection,
    #[serde(default)]
    ignore: Vec<toml::Spanned<IgnoreSection>>,
    #[serde(default)]
    runtimes: BTreeMap<String, toml::Spanned<RuntimeSection>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesSection {
    select: Option<Vec<String>>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, toml::Spanned<String>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreSection {
    rule: String,
    resource: Option<String>,
    path: Option<String>,
    reason: Option<String>,
    expires: Option<toml::Spanned<String>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuntimeSection {
    deprecated: Option<toml::Spanned<String>>,
    block_create: Option<toml::Spanned<String>>,
    block_update: Option<toml::Spanned<String>>,
}

/// A mistake in the configuration file, with its position.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    pub origin: Origin,
    pub message: String,
}

/// Line/column of a byte offset.
fn position(text: &str, offset: usize) -> warden_model::Pos {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    warden_model::Pos {
        line: line as u32,
        column: column as u32,
        offset: offset as u32,
    }
}

fn origin(path: &str, text: &str, range: std::ops::Range<usize>) -> Origin {
    let span = warden_model::Span {
        start: position(text, range.start),
        end: position(text, range.end),
    };
    Origin::File {
        path: path.into(),
        span,
    }
}

fn date(path: &str, text: &str, value: &toml::Spanned<String>) -> Result<Date, ConfigError> {
    value.get_ref().parse::<Date>().map_err(|e| ConfigError {
        origin: origin(path, text, value.span()),
        message: format!("`{}` is not a date (YYYY-MM-DD): {e}", value.get_ref()),
    })
}

impl Settings {
    /// Apply a `warden.toml` (read from `path`) to these settings.
    pub fn apply_config(&mut self, path: &str, text: &str) -> Result<(), ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError {
            origin: origin(path, text, e.span().unwrap_or(0..0)),
            message: e.message().to_string(),
        })?;
        if let Some(select) = file.rules.select {
            self.select = Some(select);
        }
        self.ignore.extend(file.rules.ignore);
        for (rule, severity) in file.rules.severity {
            let parsed = severity
                .get_ref()
                .parse::<Severity>()
                .map_err(|message| ConfigError {
                    origin: origin(path, text, severity.span()),
                    message,
                })?;
            self.severity_overrides.insert(rule, parsed);
        }
        for entry in file.ignore {
            let span = entry.span();
            let entry = entry.into_inner();
            let expires = entry.expires.as_ref().map(|e| date(path, text, e)).transpose()?;
            self.ignores.push(IgnoreEntry {
                rule: entry.rule,
                resource: entry.resource,
                path: entry.path,
                reason: entry.reason,
                expires,
                origin: Some(origin(path, text, span)),
            });
        }
        for (id, runtime) in file.runtimes {
            let runtime = runtime.into_inner();
            let parse =
                |v: &Option<toml::Spanned<String>>| v.as_ref().map(|d| date(path, text, d)).transpose();
            self.runtimes.insert(crate::runtimes::RuntimeInfo {
                id,
                deprecated: parse(&runtime.deprecated)?,
                block_create: parse(&runtime.block_create)?,
                block_update: parse(&runtime.block_update)?,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::new(jiff::civil::date(2026, 11, 24))
    }

    #[test]
    fn config_selects_overrides_and_ignores() {
        let mut s = settings();
        let text = r#"
[rules]
ignore = ["CFG003"]
severity = { CFG005 = "high" }

[[ignore]]
rule = "ACC004"
resource = "PublicFn"
reason = "demo endpoint"
expires = "2027-01-31"

[runtimes."python3.9"]
deprecated = "2025-12-15"
"#;
        s.apply_config("warden.toml", text).unwrap();
        assert!(!s.is_enabled("CFG003") && s.is_enabled("CFG004"));
        assert_eq!(s.severity_overrides.get("CFG005"), Some(&Severity::High));
        assert_eq!(s.ignores[0].expires, Some(jiff::civil::date(2027, 1, 31)));
        assert_eq!(s.ignores[0].origin.as_ref().map(|o| o.span().start.line), Some(6));
        assert_eq!(
            s.runtimes.get("python3.9").and_then(|r| r.deprecated),
            Some(jiff::civil::date(2025, 12, 15))
        );
    }

    #[test]
    fn config_errors_point_into_the_file() {
        let mut s = settings();
        let err = s
            .apply_config("warden.toml", "[rules]\nseverity = { CFG005 = \"urgent\" }\n")
            .unwrap_err();
        assert!(err.message.contains("unknown severity"), "{}", err.message);
        assert_eq!(err.origin.span().start.line, 2);
        let err = s.apply_config("warden.toml", "[rulez]\n").unwrap_err();
        assert_eq!(err.origin.span().start.line, 1, "{}", err.message);
        let err = s
            .apply_config("w.toml", "[[ignore]]\nrule = \"X\"\nexpires = \"soon\"\n")
            .unwrap_err();
        assert_eq!(err.origin.span().start.line, 3, "{}", err.message);
    }
}
