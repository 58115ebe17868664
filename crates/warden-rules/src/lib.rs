//! Lambda Warden's rules: small, pure checks over the [`Inventory`], one per file under
//! `src/rules/`, declared with [`declare_rule!`] and listed in [`registry`]. This crate also
//! runs them: selection, severity overrides, suppressions and snippets ([`run`]).

mod config;
mod registry;
pub mod rules;
mod run;
pub mod runtimes;
mod support;

pub use config::*;
pub use registry::{find_rule, registry};
pub use run::run;
pub use support::*;

use warden_model::{Finding, Inventory, RuleMeta};

/// What a rule sees.
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub settings: &'a Settings,
    /// Analyses several rules share, computed once per run.
    pub(crate) shared: rules::access::SharedAnalyses<'a>,
}

impl<'a> Context<'a> {
    pub fn new(inventory: &'a Inventory, settings: &'a Settings) -> Context<'a> {
        Context {
            inventory,
            settings,
            shared: Default::default(),
        }
    }
}

/// A check over the Inventory. Rules know nothing of source formats.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Declares a rule: a unit struct whose doc comment is the rule's documentation (with the
/// headings `## What it does`, `## Why is this bad`, `## Example`, `## Fix`, `## References`),
/// plus its metadata. The rule's `check` is written as `impl Check for Name`.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            name: $rule_name:literal,
            summary: $summary:literal,
            layer: $layer:ident,
            severity: $severity:ident,
            checklist: [$($item:ident),* $(,)?],
            sources: [$($source:literal),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $crate::Rule for $name {
            fn meta(&self) -> &'static ::warden_model::RuleMeta {
                static META: ::warden_model::RuleMeta = ::warden_model::RuleMeta {
                    id: $id,
                    name: $rule_name,
                    summary: $summary,
                    layer: ::warden_model::Layer::$layer,
                    severity: ::warden_model::Severity::$severity,
                    checklist: &[$(::warden_model::Checklist::$item),*],
                    sources: &[$($source),*],
                    doc: concat!($($doc, "\n"),*),
                };
                &META
            }

            fn check(&self, cx: &$crate::Context<'_>, out: &mut Vec<::warden_model::Finding>) {
                <$name as $crate::Check>::check(cx, self.meta(), out)
            }
        }
    };
}

/// The body of a rule declared with [`declare_rule!`].
pub trait Check {
    fn check(cx: &Context<'_>, meta: &'static RuleMeta, out: &mut Vec<Finding>);
}
