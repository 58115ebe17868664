//! Lambda runtime support dates, and how a runtime stands on a given day.
//!
//! AWS retires a managed runtime in three steps: on the *deprecation* date it stops applying
//! security patches (and the runtime loses technical support); on the *block function create*
//! date new functions can no longer use it; on the *block function update* date existing
//! functions can no longer be updated with it. Invocations are never blocked. Each step starts
//! on its date, so a runtime is deprecated on its deprecation day, not a day before.

use jiff::civil::{Date, date};

/// How far ahead a deprecation is announced as coming soon.
pub const DEPRECATING_SOON_DAYS: i64 = 180;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeInfo {
    pub id: String,
    /// The day AWS stops applying security patches (deprecation).
    pub deprecated: Option<Date>,
    /// The day creating functions with it is blocked.
    pub block_create: Option<Date>,
    /// The day updating functions with it is blocked.
    pub block_update: Option<Date>,
}

/// Where a runtime stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeStatus {
    /// Patched and supported, with no deprecation within [`DEPRECATING_SOON_DAYS`].
    Supported,
    /// Supported today, deprecated on `deprecated` (within [`DEPRECATING_SOON_DAYS`]).
    DeprecatingSoon { deprecated: Date },
    /// No longer patched since `since`; functions can still be created and updated.
    Deprecated {
        since: Date,
        create_blocked_on: Option<Date>,
        update_blocked_on: Option<Date>,
    },
    /// No longer patched, and new functions cannot use it since `since`; existing functions
    /// can still be updated until `update_blocked_on`.
    CreateBlocked {
        deprecated: Date,
        since: Date,
        update_blocked_on: Option<Date>,
    },
    /// No longer patched, and functions using it cannot be updated since `since`.
    UpdateBlocked { deprecated: Date, since: Date },
    /// Not in the table: a runtime this version of Warden does not know.
    Unknown,
}

impl RuntimeStatus {
    /// Whether the runtime no longer receives security patches.
    pub fn is_past_support(self) -> bool {
        matches!(
            self,
            RuntimeStatus::Deprecated { .. }
                | RuntimeStatus::CreateBlocked { .. }
                | RuntimeStatus::UpdateBlocked { .. }
        )
    }
}

/// The runtimes Warden knows, with their dates. A plain table: the configuration may insert or
/// replace entries (`warden.toml` runtime lists).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuntimeTable {
    pub entries: Vec<RuntimeInfo>,
}

/// The built-in table, newest runtime of each language first ([`RuntimeTable::successor`]
/// prefers the earlier of two entries supported equally long).
///
/// Source: the AWS Lambda Developer Guide, "Lambda runtimes"
/// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), tables "Supported
/// runtimes" and "Deprecated runtimes", as published on 2026-09-29, read on 2026-11-24 through
/// a transcription of that page (the page itself was not reachable in full). Deprecation dates
/// agree with the other transcriptions consulted (tflint-ruleset-aws, endoflife.date,
/// cfn-lint's `LmbdRuntimeLifecycle.json` for the older runtimes). AWS has moved the block
/// dates of deprecated runtimes several times; a transcription dated October 2026 shows
/// 2027-07-29 / 2027-08-31 where this table has 2027-02-01 / 2027-03-03. Check the page before
/// relying on a block date, and override entries in `warden.toml` when AWS moves them.
/// `dotnet5.0`, `dotnet7` and `dotnet9` are container-image-only runtimes: AWS publishes a
/// deprecation date but no block dates for them.
const BUILTIN: &[RuntimeDates] = &[
    // Node.js
    ("nodejs24.x", d(2028, 4, 30), d(2028, 6, 1), d(2028, 7, 1)),
    ("nodejs22.x", d(2027, 4, 30), d(2027, 6, 1), d(2027, 7, 1)),
    ("nodejs20.x", d(2026, 4, 30), d(2027, 2, 1), d(2027, 3, 3)),
    ("nodejs18.x", d(2025, 9, 1), d(2027, 2, 1), d(2027, 3, 3)),
    ("nodejs16.x", d(2024, 6, 12), d(2027, 2, 1), d(2027, 3, 3)),
    ("nodejs14.x", d(2023, 12, 4), d(2024, 1, 9), d(2027, 3, 3)),
    ("nodejs12.x", d(2023, 3, 31), d(2023, 3, 31), d(2023, 4, 30)),
    ("nodejs10.x", d(2021, 7, 30), d(2021, 7, 30), d(2022, 2, 14)),
    ("nodejs8.10", d(2020, 3, 6), d(2020, 2, 4), d(2020, 3, 6)),
    ("nodejs6.10", d(2019, 8, 12), d(2019, 7, 12), d(2019, 8, 12)),
    ("nodejs4.3-edge", d(2020, 3, 5), d(2019, 3, 31), d(2019, 4, 30)),
    ("nodejs4.3", d(2020, 3, 5), d(2020, 2, 3), d(2020, 3, 5)),
    ("nodejs", d(2016, 8, 30), d(2016, 9, 30), d(2016, 10, 31)),
    // Python
    ("python3.14", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    ("python3.13", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    ("python3.12", d(2028, 10, 31), d(2028, 11, 30), d(2029, 1, 10)),
    ("python3.11", d(2027, 6, 30), d(2027, 7, 31), d(2027, 8, 31)),
    ("python3.10", d(2026, 10, 31), d(2027, 2, 1), d(2027, 3, 3)),
    ("python3.9", d(2025, 12, 15), d(2027, 2, 1), d(2027, 3, 3)),
    ("python3.8", d(2024, 10, 14), d(2027, 2, 1), d(2027, 3, 3)),
    ("python3.7", d(2023, 12, 4), d(2024, 1, 9), d(2027, 3, 3)),
    ("python3.6", d(2022, 7, 18), d(2022, 7, 18), d(2022, 8, 29)),
    ("python2.7", d(2021, 7, 15), d(2021, 7, 15), d(2022, 5, 30)),
    // Java
    ("java25", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    ("java21", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    ("java17", d(2027, 6, 30), d(2027, 7, 31), d(2027, 8, 31)),
    ("java11", d(2027, 6, 30), d(2027, 7, 31), d(2027, 8, 31)),
    ("java8.al2", d(2027, 6, 30), d(2027, 7, 31), d(2027, 8, 31)),
    ("java8", d(2024, 1, 8), d(2024, 2, 8), d(2027, 3, 3)),
    // .NET
    ("dotnet10", d(2028, 11, 14), d(2028, 12, 14), d(2029, 1, 15)),
    ("dotnet9", d(2026, 11, 10), None, None),
    ("dotnet8", d(2026, 11, 10), d(2027, 2, 1), d(2027, 3, 3)),
    ("dotnet7", d(2024, 5, 14), None, None),
    ("dotnet6", d(2024, 12, 20), d(2027, 2, 1), d(2027, 3, 3)),
    ("dotnet5.0", d(2022, 5, 10), None, None),
    ("dotnetcore3.1", d(2023, 4, 3), d(2023, 4, 3), d(2023, 5, 3)),
    ("dotnetcore2.1", d(2022, 1, 5), d(2022, 1, 5), d(2022, 4, 13)),
    ("dotnetcore2.0", d(2019, 5, 30), d(2019, 4, 30), d(2019, 5, 30)),
    ("dotnetcore1.0", d(2019, 6, 27), d(2019, 6, 30), d(2019, 7, 30)),
    // Ruby
    ("ruby4.0", d(2029, 3, 31), d(2029, 4, 30), d(2029, 5, 31)),
    ("ruby3.4", d(2028, 3, 31), d(2028, 4, 30), d(2028, 5, 31)),
    ("ruby3.3", d(2027, 3, 31), d(2027, 4, 30), d(2027, 5, 31)),
    ("ruby3.2", d(2026, 3, 31), d(2027, 2, 1), d(2027, 3, 3)),
    ("ruby2.7", d(2023, 12, 7), d(2024, 1, 9), d(2027, 3, 3)),
    ("ruby2.5", d(2021, 7, 30), d(2021, 7, 30), d(2022, 3, 31)),
    // OS-only runtimes (Go, Rust and custom runtimes); `go1.x` moved to these.
    ("provided.al2023", d(2029, 6, 30), d(2029, 7, 31), d(2029, 8, 31)),
    ("provided.al2", d(2026, 7, 31), d(2027, 2, 1), d(2027, 3, 3)),
    ("provided", d(2024, 1, 8), d(2024, 2, 8), d(2027, 3, 3)),
    ("go1.x", d(2024, 1, 8), d(2024, 2, 8), d(2027, 3, 3)),
];

/// (identifier, deprecation, block function create, block function update).
type RuntimeDates = (&'static str, Option<Date>, Option<Date>, Option<Date>);

const fn d(year: i16, month: i8, day: i8) -> Option<Date> {
    Some(date(year, month, day))
}

impl RuntimeTable {
    pub fn builtin() -> RuntimeTable {
        let entries = BUILTIN
            .iter()
            .map(|&(id, deprecated, block_create, block_update)| RuntimeInfo {
                id: id.to_string(),
                deprecated,
                block_create,
                block_update,
            })
            .collect();
        RuntimeTable { entries }
    }

    pub fn get(&self, id: &str) -> Option<&RuntimeInfo> {
        self.entries.iter().find(|r| r.id == id)
    }

    /// Add an entry, or replace the one with the same id (keeping its place in the table).
    /// Returns the entry it replaced.
    pub fn insert(&mut self, info: RuntimeInfo) -> Option<RuntimeInfo> {
        match self.entries.iter_mut().find(|r| r.id == info.id) {
            Some(existing) => Some(std::mem::replace(existing, info)),
            None => {
                self.entries.push(info);
                None
            }
        }
    }

    /// Where runtime `id` stands on `today`.
    pub fn status(&self, id: &str, today: Date) -> RuntimeStatus {
        match self.get(id) {
            Some(info) => info.status(today),
            None => RuntimeStatus::Unknown,
        }
    }

    /// The runtime to move a function on `id` to: the supported runtime of the same language
    /// (OS-only for Go) that stays supported longest, as of `today`.
    pub fn successor(&self, id: &str, today: Date) -> Option<&RuntimeInfo> {
        let family = language(id);
        let mut best: Option<&RuntimeInfo> = None;
        for info in self
            .entries
            .iter()
            .filter(|r| language(&r.id) == family && r.id != id)
        {
            if info.status(today) != RuntimeStatus::Supported {
                continue;
            }
            // An entry with no deprecation date is supported indefinitely.
            let later = match (best.map(|b| b.deprecated), info.deprecated) {
                (None, _) => true,
                (Some(None), _) => false,
                (Some(Some(_)), None) => true,
                (Some(Some(b)), Some(i)) => i > b,
            };
            if later {
                best = Some(info);
            }
        }
        best
    }
}

impl RuntimeInfo {
    /// Where this runtime stands on `today`. The stages are judged on their own dates, so a
    /// table whose create block precedes its deprecation (some early runtimes) still reads
    /// sensibly: the runtime is past support from the first of its dates that has arrived.
    pub fn status(&self, today: Date) -> RuntimeStatus {
        let reached = |d: Option<Date>| d.filter(|d| *d <= today);
        let first = [self.deprecated, self.block_create, self.block_update]
            .into_iter()
            .flatten()
            .min();
        let Some(first) = first else {
            return RuntimeStatus::Supported;
        };
        if first > today {
            let soon = self.deprecated.unwrap_or(first);
            return if days_between(today, soon) <= DEPRECATING_SOON_DAYS {
                RuntimeStatus::DeprecatingSoon { deprecated: soon }
            } else {
                RuntimeStatus::Supported
            };
        }
        let deprecated = reached(self.deprecated).unwrap_or(first);
        if let Some(since) = reached(self.block_update) {
            return RuntimeStatus::UpdateBlocked { deprecated, since };
        }
        if let Some(since) = reached(self.block_create) {
            return RuntimeStatus::CreateBlocked {
                deprecated,
                since,
                update_blocked_on: self.block_update,
            };
        }
        RuntimeStatus::Deprecated {
            since: deprecated,
            create_blocked_on: self.block_create,
            update_blocked_on: self.block_update,
        }
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    from.duration_until(to).as_secs() / 86_400
}

/// The language a runtime id belongs to: `python3.12` → `python`, `dotnetcore3.1` → `dotnet`,
/// `java8.al2` → `java`; Go functions move to the OS-only runtimes, so `go1.x` → `provided`.
fn language(id: &str) -> &str {
    let end = id.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(id.len());
    match &id[..end] {
        "dotnetcore" | "dotnet" => "dotnet",
        "go" | "provided" => "provided",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(id: &str, today: Date) -> RuntimeStatus {
        RuntimeTable::builtin().status(id, today)
    }

    #[test]
    fn a_runtime_is_deprecated_on_its_deprecation_day_not_before() {
        // python3.9: deprecated 2025-12-15.
        assert_eq!(
            status("python3.9", date(2025, 12, 14)),
            RuntimeStatus::DeprecatingSoon {
                deprecated: date(2025, 12, 15)
            }
        );
        assert_eq!(
            status("python3.9", date(2025, 12, 15)),
            RuntimeStatus::Deprecated {
                since: date(2025, 12, 15),
                create_blocked_on: Some(date(2027, 2, 1)),
                update_blocked_on: Some(date(2027, 3, 3)),
            }
        );
    }

    #[test]
    fn block_stages_start_on_their_dates() {
        // nodejs20.x: deprecated 2026-04-30, create blocked 2027-02-01, update blocked 2027-03-03.
        assert!(matches!(
            status("nodejs20.x", date(2027, 1, 31)),
            RuntimeStatus::Deprecated { .. }
        ));
        assert_eq!(
            status("nodejs20.x", date(2027, 2, 1)),
            RuntimeStatus::CreateBlocked {
                deprecated: date(2026, 4, 30),
                since: date(2027, 2, 1),
                update_blocked_on: Some(date(2027, 3, 3)),
            }
        );
        assert_eq!(
            status("nodejs20.x", date(2027, 3, 3)),
            RuntimeStatus::UpdateBlocked {
                deprecated: date(2026, 4, 30),
                since: date(2027, 3, 3),
            }
        );
    }

    #[test]
    fn deprecating_soon_is_a_window_of_180_days() {
        // nodejs22.x: deprecated 2027-04-30; 180 days before is 2026-11-01.
        assert_eq!(status("nodejs22.x", date(2026, 10, 31)), RuntimeStatus::Supported);
        assert_eq!(
            status("nodejs22.x", date(2026, 11, 1)),
            RuntimeStatus::DeprecatingSoon {
                deprecated: date(2027, 4, 30)
            }
        );
        assert_eq!(status("python3.13", date(2026, 11, 24)), RuntimeStatus::Supported);
    }

    #[test]
    fn unknown_runtimes_are_unknown() {
        assert_eq!(status("cobol85", date(2026, 11, 24)), RuntimeStatus::Unknown);
        assert_eq!(status("", date(2026, 11, 24)), RuntimeStatus::Unknown);
    }

    #[test]
    fn container_only_runtimes_without_block_dates_stay_deprecated() {
        assert_eq!(
            status("dotnet7", date(2030, 1, 1)),
            RuntimeStatus::Deprecated {
                since: date(2024, 5, 14),
                create_blocked_on: None,
                update_blocked_on: None
            }
        );
    }

    #[test]
    fn early_runtimes_whose_create_block_preceded_deprecation() {
        // nodejs8.10: create blocked 2020-02-04, deprecated and update blocked 2020-03-06.
        assert_eq!(
            status("nodejs8.10", date(2020, 2, 10)),
            RuntimeStatus::CreateBlocked {
                deprecated: date(2020, 2, 4),
                since: date(2020, 2, 4),
                update_blocked_on: Some(date(2020, 3, 6)),
            }
        );
        assert!(matches!(
            status("nodejs8.10", date(2020, 3, 6)),
            RuntimeStatus::UpdateBlocked { .. }
        ));
    }

    #[test]
    fn insert_replaces_an_entry_or_adds_one() {
        let mut table = RuntimeTable::builtin();
        let before = table.entries.len();
        let replaced = table.insert(RuntimeInfo {
            id: "python3.13".into(),
            deprecated: d(2026, 1, 1),
            block_create: None,
            block_update: None,
        });
        assert_eq!(replaced.and_then(|r| r.deprecated), d(2029, 6, 30));
        assert!(status_in(&table, "python3.13").is_past_support());
        table.insert(RuntimeInfo {
            id: "python3.15".into(),
            deprecated: None,
            block_create: None,
            block_update: None,
        });
        assert_eq!(table.entries.len(), before + 1);
        assert_eq!(status_in(&table, "python3.15"), RuntimeStatus::Supported);
    }

    fn status_in(table: &RuntimeTable, id: &str) -> RuntimeStatus {
        table.status(id, date(2026, 11, 24))
    }

    #[test]
    fn successor_is_the_longest_supported_runtime_of_the_language() {
        let table = RuntimeTable::builtin();
        let today = date(2026, 11, 24);
        assert_eq!(
            table.successor("python3.8", today).map(|r| r.id.as_str()),
            Some("python3.14")
        );
        assert_eq!(
            table.successor("nodejs16.x", today).map(|r| r.id.as_str()),
            Some("nodejs24.x")
        );
        assert_eq!(
            table.successor("go1.x", today).map(|r| r.id.as_str()),
            Some("provided.al2023")
        );
        assert_eq!(
            table.successor("dotnetcore3.1", today).map(|r| r.id.as_str()),
            Some("dotnet10")
        );
        assert_eq!(table.successor("cobol85", today), None);
    }

    #[test]
    fn builtin_ids_are_unique() {
        let table = RuntimeTable::builtin();
        for (i, entry) in table.entries.iter().enumerate() {
            assert!(
                table.entries[..i].iter().all(|e| e.id != entry.id),
                "{} appears twice",
                entry.id
            );
        }
    }
}
