//! What each module instance declares, by name: variables, locals, outputs, module calls,
//! resources and data sources, so references resolve without searching the files.

use std::collections::HashMap;

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

use super::source::{ModuleKind, ModuleSource, module_kind};

/// A definition in one file of a module.
pub(crate) struct Def<T> {
    pub file: usize,
    pub item: T,
}

/// A `module` block.
pub(crate) struct Call<'s> {
    pub name: &'s str,
    pub file: usize,
    pub block: &'s Block,
    pub kind: CallKind,
}

pub(crate) enum CallKind {
    /// A local module, loaded as the module instance at this index.
    Local(usize),
    /// A local module that could not be loaded (already reported).
    NotLoaded,
    LambdaRegistry,
    Other(String),
}

/// What a module declares, by name.
pub(crate) struct ModuleIndex<'s> {
    pub variables: HashMap<&'s str, Def<&'s Block>>,
    pub locals: HashMap<&'s str, Def<&'s Expression>>,
    pub outputs: HashMap<&'s str, Def<&'s Block>>,
    pub calls: Vec<Call<'s>>,
    /// Managed resources in order: (type, name, block).
    pub resources: Vec<Def<(&'s str, &'s str, &'s Block)>>,
    pub data: HashMap<(&'s str, &'s str), Def<&'s Block>>,
}

/// Index the declarations of one module instance.
pub(crate) fn index(sources: &[ModuleSource], module: usize) -> ModuleIndex<'_> {
    let mut out = ModuleIndex {
        variables: HashMap::new(),
        locals: HashMap::new(),
        outputs: HashMap::new(),
        calls: Vec::new(),
        resources: Vec::new(),
        data: HashMap::new(),
    };
    for (file, parsed) in sources[module].files.iter().enumerate() {
        for block in parsed.body.blocks() {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    out.variables.entry(name).or_insert(Def { file, item: block });
                }
                ("output", [name]) => {
                    out.outputs.entry(name).or_insert(Def { file, item: block });
                }
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        out.locals.entry(attr.key.as_str()).or_insert(Def {
                            file,
                            item: &attr.value,
                        });
                    }
                }
                ("resource", [kind, name]) => out.resources.push(Def {
                    file,
                    item: (kind, name, block),
                }),
                ("data", [kind, name]) => {
                    out.data.entry((kind, name)).or_insert(Def { file, item: block });
                }
                ("module", [name]) => {
                    let kind = match module_kind(block) {
                        Some(ModuleKind::Local(_)) => sources
                            .iter()
                            .position(|m| m.parent.as_ref().is_some_and(|(p, n)| *p == module && n == name))
                            .map_or(CallKind::NotLoaded, CallKind::Local),
                        Some(ModuleKind::LambdaRegistry) => CallKind::LambdaRegistry,
                        Some(ModuleKind::Other(source)) => CallKind::Other(source),
                        None => CallKind::Other(String::new()),
                    };
                    out.calls.push(Call {
                        name,
                        file,
                        block,
                        kind,
                    });
                }
                _ => {}
            }
        }
    }
    out
}
