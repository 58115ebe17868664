//! `CFG` and `MON` rules.

use crate::Rule;

/// The rules of this area, in id order.
pub static RULES: &[&dyn Rule] = &[];
