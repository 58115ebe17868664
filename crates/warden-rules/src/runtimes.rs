//! Lambda runtime support dates.

use jiff::civil::Date;

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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuntimeTable {
    pub entries: Vec<RuntimeInfo>,
}

impl RuntimeTable {
    pub fn builtin() -> RuntimeTable {
        RuntimeTable::default()
    }

    pub fn get(&self, id: &str) -> Option<&RuntimeInfo> {
        self.entries.iter().find(|r| r.id == id)
    }
}
