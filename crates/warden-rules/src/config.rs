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
