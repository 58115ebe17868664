//! CloudFormation / SAM loader: reads a template (YAML or JSON) into the [`Inventory`].

pub mod resolve;
pub mod sam_policies;
pub mod tree;

use warden_model::{Diagnostic, Inventory};

/// What loading one file produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Whether the file is a CloudFormation / SAM template at all (other YAML / JSON is
    /// ignored quietly by the caller).
    pub is_template: bool,
    pub inventory: Inventory,
    /// Errors (the file could not be read), warnings and notes (parts that could not be resolved).
    pub diagnostics: Vec<Diagnostic>,
}

/// Load one template. `path` is how the file is named in findings.
pub fn load(_path: &str, _text: &str) -> Loaded {
    Loaded::default()
}
