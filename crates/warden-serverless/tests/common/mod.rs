//! Helpers shared by the loader's tests.
#![allow(dead_code)]

use warden_model::{
    DiagnosticLevel, EventSource, Function, FunctionUrl, Inventory, Permission, Role, Route, Stage, Value,
};
use warden_serverless::Loaded;

pub const PATH: &str = "svc/serverless.yml";

/// Load a `serverless.yml` that must load without errors.
pub fn load(text: &str) -> Loaded {
    let loaded = warden_serverless::load(PATH, text);
    assert!(loaded.is_template, "not recognised as a Serverless service");
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == DiagnosticLevel::Error)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect();
    assert!(errors.is_empty(), "errors: {errors:#?}");
    loaded
}

pub fn inventory(text: &str) -> Inventory {
    load(text).inventory
}

pub fn id(logical: &str) -> String {
    format!("{PATH}#{logical}")
}

pub fn function<'a>(inv: &'a Inventory, name: &str) -> &'a Function {
    inv.functions
        .iter()
        .find(|f| f.meta.name == name && f.meta.implied_by.is_none())
        .unwrap_or_else(|| panic!("no function `{name}` in {:#?}", names(inv)))
}

pub fn role<'a>(inv: &'a Inventory, logical: &str) -> &'a Role {
    inv.roles
        .iter()
        .find(|r| r.meta.id == id(logical))
        .unwrap_or_else(|| panic!("no role `{logical}`"))
}

pub fn permission<'a>(inv: &'a Inventory, logical: &str) -> &'a Permission {
    inv.permissions
        .iter()
        .find(|p| p.meta.id == id(logical))
        .unwrap_or_else(|| {
            let ids: Vec<&str> = inv.permissions.iter().map(|p| p.meta.id.as_str()).collect();
            panic!("no permission `{logical}` in {ids:#?}")
        })
}

pub fn url<'a>(inv: &'a Inventory, function: &str) -> &'a FunctionUrl {
    inv.function_urls
        .iter()
        .find(|u| u.meta.name == function)
        .unwrap_or_else(|| panic!("no URL of `{function}`"))
}

pub fn route<'a>(inv: &'a Inventory, method: &str, path: &str) -> &'a Route {
    inv.routes
        .iter()
        .find(|r| r.method == method && r.path == path)
        .unwrap_or_else(|| {
            let routes: Vec<String> = inv
                .routes
                .iter()
                .map(|r| format!("{} {}", r.method, r.path))
                .collect();
            panic!("no route `{method} {path}` in {routes:?}")
        })
}

pub fn stage<'a>(inv: &'a Inventory, logical: &str) -> &'a Stage {
    inv.stages
        .iter()
        .find(|s| s.meta.id == id(logical))
        .unwrap_or_else(|| panic!("no stage `{logical}`"))
}

pub fn triggers<'a>(inv: &'a Inventory, function: &str) -> Vec<&'a EventSource> {
    inv.event_sources
        .iter()
        .filter(|e| e.meta.name == function)
        .collect()
}

/// The text of a known scalar.
pub fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(|v| v.as_text()).map(|t| t.into_owned())
}

/// The expression of an unknown value.
pub fn expr(value: Option<&Value>) -> Option<String> {
    value.and_then(|v| v.as_unknown()).map(|u| u.expr.clone())
}

/// The statements of every inline policy of a role, as JSON.
pub fn statements(role: &Role) -> Vec<serde_json::Value> {
    role.inline_policies
        .iter()
        .flat_map(|p| match p.document.to_json().get("Statement") {
            Some(serde_json::Value::Array(items)) => items.clone(),
            Some(one) => vec![one.clone()],
            None => Vec::new(),
        })
        .collect()
}

pub fn names(inv: &Inventory) -> Vec<String> {
    inv.functions.iter().map(|f| f.meta.name.clone()).collect()
}

/// Diagnostics of a level, as `code: message`.
pub fn diagnostics(loaded: &Loaded, level: DiagnosticLevel) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == level)
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

/// Findings of the rules, as `(rule id, resource)`, sorted.
pub fn findings(inv: &Inventory) -> Vec<(String, String)> {
    let settings = warden_rules::Settings::new(jiff::civil::date(2026, 6, 1));
    let report = warden_rules::run(inv, &settings);
    let mut out: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.rule_id.to_string(), f.location.resource.clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether a rule reports a finding on a resource.
pub fn has_finding(inv: &Inventory, rule: &str, resource: &str) -> bool {
    findings(inv).iter().any(|(r, res)| r == rule && res == resource)
}
