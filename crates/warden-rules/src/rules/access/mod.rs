//! `ACC` and `IAM` rules.

use crate::Rule;

/// The rules of this area, in id order.
pub static RULES: &[&dyn Rule] = &[];
