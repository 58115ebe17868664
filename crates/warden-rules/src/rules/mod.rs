//! One file per rule, grouped by area: `access` holds the `ACC` (who can reach the function)
//! and `IAM` (what its role can do) rules, `config` the `CFG` (function configuration) and `MON`
//! (monitoring) rules.

pub mod access;
pub mod config;
