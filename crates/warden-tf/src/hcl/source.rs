//! The files of a configuration: the root module's, and those of the local modules it calls,
//! read recursively (with a depth limit and a guard against modules that call themselves).
//! Reading goes through [`Disk`] so that text can also be loaded without touching the file
//! system (fuzzing, single files).

use std::path::{Component, Path, PathBuf};

use hcl_edit::structure::{Block, Body};
use warden_model::{Diagnostic, Origin, Pos, Span};

use crate::text::SourceText;

/// Deepest chain of local modules followed.
const MAX_MODULE_DEPTH: usize = 8;
/// Most module instances in one configuration (a module called from many places is loaded once
/// per call).
const MAX_MODULES: usize = 256;
/// Largest file `file()` / `templatefile()` reads.
const MAX_READ: u64 = 1 << 20;

/// Access to the directories and files a configuration names.
pub(crate) trait Disk {
    /// The `.tf` files of a module directory, sorted by name: (file name, text).
    fn module_files(&self, dir: &Path) -> Result<Vec<(String, String)>, String>;
    /// A file read by `file()` or `templatefile()`, relative to the root module.
    fn read(&self, path: &Path) -> Result<String, String>;
    /// The directory as it is on disk, to recognise a module that calls itself.
    fn canonical(&self, dir: &Path) -> Option<PathBuf>;
}

/// The file system, rooted at the root module's directory.
pub(crate) struct FsDisk {
    pub root: PathBuf,
}

/// No file system: local modules and files are reported as not loaded.
pub(crate) struct NoDisk;

impl Disk for FsDisk {
    fn module_files(&self, dir: &Path) -> Result<Vec<(String, String)>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| io_reason(&e))?;
        let mut names: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|path| {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text =
                    std::fs::read_to_string(&path).map_err(|e| format!("{name}: {}", io_reason(&e)))?;
                Ok((name, text))
            })
            .collect()
    }

    /// Only files inside the root module's directory tree are read: a configuration must not
    /// make the scanner copy arbitrary files (`file("/etc/passwd")`) into its reports.
    fn read(&self, path: &Path) -> Result<String, String> {
        let full = self.root.join(path);
        let canonical = full.canonicalize().map_err(|e| io_reason(&e))?;
        let root = self.root.canonicalize().map_err(|e| io_reason(&e))?;
        if !canonical.starts_with(&root) {
            return Err("outside the configuration's directory".into());
        }
        let size = std::fs::metadata(&canonical).map_err(|e| io_reason(&e))?.len();
        if size > MAX_READ {
            return Err(format!("larger than {MAX_READ} bytes"));
        }
        std::fs::read_to_string(&canonical).map_err(|e| io_reason(&e))
    }

    fn canonical(&self, dir: &Path) -> Option<PathBuf> {
        dir.canonicalize().ok()
    }
}

/// Why a file could not be read, in a few words.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "not UTF-8 text".into(),
        _ => e.to_string(),
    }
}

impl Disk for NoDisk {
    fn module_files(&self, _dir: &Path) -> Result<Vec<(String, String)>, String> {
        Err("modules are not read from disk in this mode".into())
    }

    fn read(&self, _path: &Path) -> Result<String, String> {
        Err("files are not read in this mode".into())
    }

    fn canonical(&self, _dir: &Path) -> Option<PathBuf> {
        None
    }
}

/// One parsed `.tf` file.
pub(crate) struct ParsedFile {
    pub src: SourceText,
    pub body: Body,
}

/// One module instance: the root module, or a local module called by a `module` block.
pub(crate) struct ModuleSource {
    /// Address prefix of its resources: empty for the root, `module.a.module.b.` below.
    pub prefix: String,
    pub files: Vec<ParsedFile>,
    /// The module that calls this one and the name of the `module` block.
    pub parent: Option<(usize, String)>,
    /// Its directory on disk, when known.
    pub dir: Option<PathBuf>,
    /// Its directory as findings name it.
    pub display_dir: String,
    /// `path.module`: the directory relative to the root module.
    pub path_module: String,
    /// Canonical directories of this module and its callers, to stop on cycles.
    ancestry: Vec<PathBuf>,
}

/// Every module instance of a configuration (the root first, callers before callees), and what
/// could not be read.
pub(crate) struct Sources {
    pub modules: Vec<ModuleSource>,
    pub diagnostics: Vec<Diagnostic>,
}

/// How a `module` block's `source` is understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ModuleKind {
    /// `./...` or `../...`: read from disk.
    Local(String),
    /// `terraform-aws-modules/lambda/aws` (registry or GitHub): understood from its inputs.
    LambdaRegistry,
    /// Anything else: not analysed.
    Other(String),
}

/// The kind of a module block, from its literal `source`.
pub(crate) fn module_kind(block: &Block) -> Option<ModuleKind> {
    let source = block
        .body
        .get_attribute("source")?
        .value
        .as_str()?
        .trim()
        .to_string();
    if source.starts_with("./") || source.starts_with("../") || source == "." || source == ".." {
        return Some(ModuleKind::Local(source));
    }
    let registry = source.trim_start_matches("registry.terraform.io/");
    let (path, subdir) = match registry.split_once("//") {
        Some((p, s)) if !p.ends_with(':') && !p.contains("://") => (p, Some(s)),
        _ => (registry, None),
    };
    let is_lambda = path == "terraform-aws-modules/lambda/aws"
        || (source.contains("terraform-aws-modules/terraform-aws-lambda") && !source.contains("//modules/"));
    if is_lambda && subdir.is_none_or(|s| s.is_empty()) {
        return Some(ModuleKind::LambdaRegistry);
    }
    Some(ModuleKind::Other(source))
}

/// Parse the root module's files, then every local module reachable from it.
pub(crate) fn load(files: &[(String, String)], dir: Option<&Path>, disk: &dyn Disk) -> Sources {
    let mut diagnostics = Vec::new();
    let parsed = parse_files(files, &mut diagnostics);
    let display_dir = files
        .first()
        .and_then(|(path, _)| Path::new(path).parent())
        .map(display)
        .or_else(|| dir.map(display))
        .unwrap_or_default();
    let root = ModuleSource {
        prefix: String::new(),
        files: parsed,
        parent: None,
        dir: dir.map(Path::to_path_buf),
        display_dir,
        path_module: ".".into(),
        ancestry: dir.and_then(|d| disk.canonical(d)).into_iter().collect(),
    };
    let mut modules = vec![root];
    let mut next = 0;
    while next < modules.len() {
        let calls = local_calls(&modules[next]);
        for (name, source, origin) in calls {
            if modules.len() >= MAX_MODULES {
                diagnostics.push(Diagnostic::warning(
                    "module-not-loaded",
                    Some(origin),
                    format!("module `{name}` is not loaded: more than {MAX_MODULES} module instances"),
                ));
                continue;
            }
            match child(&modules[next], next, &name, &source, disk, &mut diagnostics) {
                Ok(module) => modules.push(module),
                Err(reason) => diagnostics.push(Diagnostic::warning(
                    "module-not-loaded",
                    Some(origin),
                    format!("module `{name}` (source `{source}`) is not loaded: {reason}"),
                )),
            }
        }
        next += 1;
    }
    Sources { modules, diagnostics }
}

/// Parse files, reporting those that are not HCL (they are left out; the others still load).
fn parse_files(files: &[(String, String)], diagnostics: &mut Vec<Diagnostic>) -> Vec<ParsedFile> {
    let mut parsed = Vec::new();
    for (path, text) in files {
        let src = SourceText::new(path, text);
        if text.contains('\0') {
            diagnostics.push(Diagnostic::error(
                "binary-input",
                Some(Origin::file(&src.path, Span::default())),
                "file contains binary data (NUL bytes), not Terraform",
            ));
            continue;
        }
        match hcl_edit::parser::parse_body(&crate::text::parsable(text)) {
            Ok(body) => parsed.push(ParsedFile { src, body }),
            Err(e) => {
                let pos = error_pos(&src, e.location().line(), e.location().column());
                diagnostics.push(Diagnostic::error(
                    "syntax",
                    Some(Origin::file(&src.path, Span { start: pos, end: pos })),
                    format!("invalid HCL: {}", e.message()),
                ));
            }
        }
    }
    parsed
}

/// The parser reports lines and byte columns; positions count characters.
fn error_pos(src: &SourceText, line: usize, column: usize) -> Pos {
    match src.line_start(line) {
        Some(start) => src.pos(start + column.saturating_sub(1)),
        None => src.pos(src.text.len()),
    }
}

/// The local modules a module calls: (name, source, where the call is).
fn local_calls(module: &ModuleSource) -> Vec<(String, String, Origin)> {
    let mut out = Vec::new();
    for file in &module.files {
        for block in file.body.get_blocks("module") {
            let Some(name) = block.labels.first().map(|l| l.as_str().to_string()) else {
                continue;
            };
            if let Some(ModuleKind::Local(source)) = module_kind(block) {
                let span = hcl_edit::Span::span(block).map(|r| file.src.span(r.start..r.start));
                out.push((
                    name,
                    source,
                    Origin::file(&file.src.path, span.unwrap_or_default()),
                ));
            }
        }
    }
    out
}

/// Read one local module called by `parent`.
/// Syntax errors in its files are reported like the root module's; its other files still load.
fn child(
    parent: &ModuleSource,
    index: usize,
    name: &str,
    source: &str,
    disk: &dyn Disk,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ModuleSource, String> {
    if parent.ancestry.len() > MAX_MODULE_DEPTH
        || parent.prefix.matches("module.").count() >= MAX_MODULE_DEPTH
    {
        return Err(format!("modules nest more than {MAX_MODULE_DEPTH} deep"));
    }
    let dir = parent
        .dir
        .as_ref()
        .ok_or("the calling module's directory is not known")?
        .join(source);
    let canonical = disk.canonical(&dir);
    if canonical.as_ref().is_some_and(|c| parent.ancestry.contains(c)) {
        return Err("the module calls itself".into());
    }
    let display_dir = join_display(&parent.display_dir, source);
    let files: Vec<(String, String)> = disk
        .module_files(&dir)?
        .into_iter()
        .map(|(file, text)| (join_display(&display_dir, &file), text))
        .collect();
    if files.is_empty() {
        return Err("no .tf files in its directory".into());
    }
    let parsed = parse_files(&files, diagnostics);
    let mut ancestry = parent.ancestry.clone();
    ancestry.extend(canonical);
    Ok(ModuleSource {
        prefix: format!("{}module.{name}.", parent.prefix),
        files: parsed,
        parent: Some((index, name.to_string())),
        dir: Some(dir),
        display_dir,
        path_module: join_display(&parent.path_module, source),
        ancestry,
    })
}

/// `base` joined with a relative path, `.` and `..` resolved lexically (`infra/./m` ->
/// `infra/m`), so it compares equal to the same directory found by walking.
pub(crate) fn join_path(base: &Path, relative: &str) -> PathBuf {
    let mut out = base.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A path with `/` separators.
fn display(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `base` joined with a relative path, `.` and `..` resolved where they can be.
pub(crate) fn join_display(base: &str, relative: &str) -> String {
    let mut parts: Vec<String> = base
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .map(str::to_string)
        .collect();
    let absolute = base.starts_with('/');
    for component in Path::new(relative).components() {
        match component {
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".into());
                }
            }
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_resolve_dots() {
        assert_eq!(join_display("infra", "./modules/lambda"), "infra/modules/lambda");
        assert_eq!(join_display("infra/app", "../shared"), "infra/shared");
        assert_eq!(join_display(".", "./m"), "m");
        assert_eq!(join_display("", "../m"), "../m");
        assert_eq!(join_display("/abs/dir", "main.tf"), "/abs/dir/main.tf");
        assert_eq!(join_path(Path::new("infra/app"), "./../m"), Path::new("infra/m"));
        assert_eq!(
            join_path(Path::new("infra"), "./modules/x"),
            Path::new("infra/modules/x")
        );
    }

    #[test]
    fn lambda_module_sources_are_recognised() {
        let kind = |source: &str| {
            let body =
                hcl_edit::parser::parse_body(&format!("module \"m\" {{\n source = \"{source}\"\n}}\n"))
                    .expect("parses");
            body.get_blocks("module").next().and_then(module_kind)
        };
        assert_eq!(
            kind("terraform-aws-modules/lambda/aws"),
            Some(ModuleKind::LambdaRegistry)
        );
        assert_eq!(
            kind("github.com/terraform-aws-modules/terraform-aws-lambda?ref=abc"),
            Some(ModuleKind::LambdaRegistry)
        );
        assert!(matches!(
            kind("terraform-aws-modules/lambda/aws//modules/alias"),
            Some(ModuleKind::Other(_))
        ));
        assert_eq!(kind("./modules/x"), Some(ModuleKind::Local("./modules/x".into())));
        assert!(matches!(
            kind("terraform-aws-modules/s3-bucket/aws"),
            Some(ModuleKind::Other(_))
        ));
    }
}
