use std::sync::LazyLock;

use crate::Rule;
use crate::rules::{access, config};

static REGISTRY: LazyLock<Vec<&'static dyn Rule>> = LazyLock::new(|| {
    let mut all: Vec<&'static dyn Rule> = access::RULES
        .iter()
        .chain(config::RULES.iter())
        .copied()
        .collect();
    all.sort_by_key(|r| r.meta().id);
    all
});

/// Every rule, in id order.
pub fn registry() -> &'static [&'static dyn Rule] {
    &REGISTRY
}

pub fn find_rule(id_or_name: &str) -> Option<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id_or_name) || r.meta().name == id_or_name)
}
