//! Building Inventory elements by hand for the rules' unit tests.

use std::sync::Arc;

use jiff::civil::Date;
use warden_model::{Finding, Function, Inventory, Meta, Origin, Pos, Span};

use crate::{Context, Rule, Settings};

/// A one-line span at `line`, column 7.
pub(crate) fn at(line: u32) -> Span {
    let pos = Pos {
        line,
        column: 7,
        offset: 0,
    };
    Span { start: pos, end: pos }
}

/// A function `name` of `template.yaml` with nothing configured.
pub(crate) fn function(name: &str) -> Function {
    let path: Arc<str> = Arc::from("template.yaml");
    Function {
        meta: Meta {
            id: format!("template.yaml#{name}"),
            name: name.into(),
            resource_type: "AWS::Lambda::Function".into(),
            origin: Origin::file(&path, at(1)),
            implied_by: None,
            skips: Vec::new(),
        },
        function_name: None,
        runtime: None,
        handler: None,
        architectures: None,
        memory_size: None,
        timeout: None,
        environment: None,
        environment_span: Span::default(),
        kms_key: None,
        vpc: None,
        reserved_concurrency: None,
        dead_letter_target: None,
        tracing: None,
        layers: Vec::new(),
        code_signing_config: None,
        tags: Vec::new(),
        package_type: None,
        code: None,
        role: None,
        auto_publish_alias: None,
    }
}

/// What `rule` finds in `inventory` on `today`, with the built-in runtime table.
pub(crate) fn findings(rule: &dyn Rule, inventory: &Inventory, today: Date) -> Vec<Finding> {
    let settings = Settings::new(today);
    let cx = Context::new(inventory, &settings);
    let mut out = Vec::new();
    rule.check(&cx, &mut out);
    out
}
