use crate::Rule;

/// Every rule, in id order.
pub fn registry() -> &'static [&'static dyn Rule] {
    &[]
}

pub fn find_rule(id_or_name: &str) -> Option<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id_or_name) || r.meta().name == id_or_name)
}
