//! Terraform loader: HCL configurations and `terraform show -json` plans into the
//! [`Inventory`].
//!
//! A Terraform module is a directory: all its `.tf` files are one configuration, so
//! [`load_dir`] takes them together, evaluates variables (defaults and module inputs), locals
//! and simple expressions statically (module `hcl`), follows local modules on disk and understands
//! the registry module `terraform-aws-modules/lambda/aws` from its inputs. [`load_plan`] reads
//! plan JSON. Both produce format-neutral resources that one set of builders (`build`) turns
//! into Inventory elements, so the same function gives the same elements whichever way it is
//! written.
//!
//! Elements are identified as `path#address` (`infra/main.tf#aws_lambda_function.api`), named by
//! their Terraform address; references between resources are unknown values whose `refs` are
//! the addresses they name, and links point at the elements of those addresses.

mod build;
mod hcl;
mod json;
mod plan;
mod policy;
mod resource;
mod text;

use std::path::{Path, PathBuf};

use warden_model::{Diagnostic, Inventory};

/// What loading a configuration or a plan produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Whether the input is Terraform at all (other JSON is ignored quietly by the caller).
    pub is_template: bool,
    pub inventory: Inventory,
    /// Errors (a file could not be read), warnings and notes (parts that could not be resolved).
    pub diagnostics: Vec<Diagnostic>,
}

/// Load the root module in directory `dir` from its `.tf` files, given as (name in findings,
/// text). Local modules it calls are read from disk below `dir`, as are files read with `file()`
/// and `templatefile()` (only inside `dir`).
pub fn load_dir(dir: &Path, files: &[(String, String)]) -> Loaded {
    let disk = hcl::source::FsDisk {
        root: dir.to_path_buf(),
    };
    hcl::load(files, Some(dir), &disk)
}

/// Load `.tf` text without touching the file system (fuzzing, tests, editors): the files are
/// one configuration; local modules, `file()` and `templatefile()` are reported as not read.
/// Never panics, whatever the input.
pub fn load_hcl(files: &[(String, String)]) -> Loaded {
    hcl::load(files, None, &hcl::source::NoDisk)
}

/// Load `terraform show -json` output (a plan, or a state). Other JSON gives
/// `is_template: false`; a plan whose `format_version` major is not 1 is refused with an error.
/// Never panics, whatever the input.
pub fn load_plan(path: &str, text: &str) -> Loaded {
    plan::load(path, text)
}

/// Whether JSON text looks like `terraform show -json` output (`format_version` with
/// `planned_values` or `terraform_version`), to choose [`load_plan`] for a `.json` file.
pub fn looks_like_plan(text: &str) -> bool {
    plan::looks_like_plan(text)
}

/// The directories of the local modules that `files` (the root module in `dir`) call. A scanner
/// that loads every directory should not also load these on their own: their resources are
/// already in the caller's Inventory, with the caller's inputs.
pub fn local_module_dirs(dir: &Path, files: &[(String, String)]) -> Vec<PathBuf> {
    hcl::local_module_dirs(dir, files)
}
