//! Helpers shared by the loader's tests.
#![allow(dead_code)]

use warden_model::{DiagnosticLevel, Function, Inventory, Role, Value};
use warden_tf::Loaded;

/// Load one `main.tf`, without touching the disk.
pub fn load(text: &str) -> Loaded {
    warden_tf::load_hcl(&[("main.tf".to_string(), text.to_string())])
}

/// Load one `main.tf` and insist it produced no error.
pub fn inventory(text: &str) -> Inventory {
    let loaded = load(text);
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Error)
        .collect();
    assert!(errors.is_empty(), "unexpected errors: {errors:#?}");
    loaded.inventory
}

pub fn id(address: &str) -> String {
    format!("main.tf#{address}")
}

pub fn function<'i>(inv: &'i Inventory, address: &str) -> &'i Function {
    inv.function(&id(address))
        .unwrap_or_else(|| panic!("no function {address} in {:#?}", inv.functions))
}

pub fn role<'i>(inv: &'i Inventory, address: &str) -> &'i Role {
    inv.role(&id(address))
        .unwrap_or_else(|| panic!("no role {address} in {:#?}", inv.roles))
}

pub fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(|v| v.as_text().map(|t| t.into_owned()))
}

/// The `Statement` list of a policy document.
pub fn statements(document: &Value) -> Vec<&Value> {
    document.get("Statement").map(Value::items).unwrap_or_default()
}
