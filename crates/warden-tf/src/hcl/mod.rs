//! Terraform HCL: a module directory (every `.tf` file of it is one configuration) with the
//! local modules it calls, evaluated statically into [`Resource`]s and built into the Inventory.

mod body;
mod eval;
mod functions;
mod index;
mod lambda_module;
mod policy;
mod reference;
mod resources;
mod skip;
pub(crate) mod source;

use std::path::Path;

use warden_model::{SourceFile, SourceFormat};

use crate::Loaded;
use source::Disk;

/// Load the configuration made of `files` (the root module), reading local modules and files
/// through `disk`.
pub(crate) fn load(files: &[(String, String)], dir: Option<&Path>, disk: &dyn Disk) -> Loaded {
    let sources = source::load(files, dir, disk);
    let config = eval::Config::new(&sources.modules, disk);
    let resources = config.resources();
    let (mut inventory, build_diagnostics) = crate::build::build(&resources);
    inventory.sources = sources
        .modules
        .iter()
        .flat_map(|m| &m.files)
        .map(|f| SourceFile {
            path: f.src.path.clone(),
            format: SourceFormat::Terraform,
            text: f.src.text.clone(),
        })
        .collect();
    let mut diagnostics = sources.diagnostics;
    diagnostics.extend(config.take_notes());
    diagnostics.extend(build_diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    Loaded {
        is_template: !files.is_empty(),
        inventory,
        diagnostics,
    }
}

/// The directories of the local modules the files call (`source = "./modules/x"`).
pub(crate) fn local_module_dirs(dir: &Path, files: &[(String, String)]) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for (_, text) in files {
        let Ok(body) = hcl_edit::parser::parse_body(&crate::text::parsable(text)) else {
            continue;
        };
        for block in body.get_blocks("module") {
            if let Some(source::ModuleKind::Local(source)) = source::module_kind(block) {
                let module_dir = source::join_path(dir, &source);
                if !out.contains(&module_dir) {
                    out.push(module_dir);
                }
            }
        }
    }
    out
}
