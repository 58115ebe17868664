//! `warden scan`: discover files, load them in parallel, run the rules, render.

use std::fs;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use rayon::prelude::*;
use warden_model::{Diagnostic, DiagnosticLevel, Inventory, Origin, Report, Span};
use warden_report::{Baseline, Format, RenderOptions, render};
use warden_rules::{CONFIG_FILE, Settings};

use crate::args::ScanArgs;
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};

/// Extensions of files that may hold a template; content decides whether one does.
const TEMPLATE_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template", "tf"];
/// Larger files are not parsed (CloudFormation itself accepts at most 1 MB).
const MAX_TEMPLATE_BYTES: u64 = 16 * 1024 * 1024;
/// How much of an oversized file is read to decide whether it was meant as a template.
const SNIFF_BYTES: u64 = 64 * 1024;

pub fn run(args: ScanArgs) -> Result<u8> {
    // Read first: a baseline that cannot be used fails the run before any work is done.
    let baseline = args.baseline.as_deref().map(read_baseline).transpose()?;
    let today = jiff::ZonedDateTime::now().date();
    let mut settings = Settings::new(today);
    let mut diagnostics = Vec::new();
    if let Some(config) = config_path(&args) {
        let text =
            fs::read_to_string(&config).with_context(|| format!("cannot read {}", config.display()))?;
        if let Err(e) = settings.apply_config(&config.display().to_string(), &text) {
            diagnostics.push(Diagnostic::error("config", Some(e.origin), e.message));
        }
    }
    if !args.select.is_empty() {
        settings.select = Some(args.select.clone());
    }
    settings.ignore.extend(args.ignore.iter().cloned());

    let loaded = load_inventory(&args.paths);
    diagnostics.extend(loaded.diagnostics);
    let inventory = loaded.inventory;
    let files_scanned = loaded.files;
    let mut report = warden_rules::run(&inventory, &settings);
    report.diagnostics.extend(diagnostics);
    report.files_scanned = files_scanned;
    report.sort();

    // Written before the baseline in use is applied, so `--baseline b --write-baseline b`
    // updates it: findings still present stay, fixed ones drop out, new ones are added.
    if let Some(path) = &args.write_baseline {
        write_baseline(path, &Baseline::from_report(&report))?;
    }
    if let Some(baseline) = &baseline {
        baseline.apply(&mut report);
    }

    write_outputs(&args, &report)?;
    Ok(exit_code(&report, &args))
}

fn exit_code(report: &Report, args: &ScanArgs) -> u8 {
    if report
        .diagnostics
        .iter()
        .any(|d| d.level == DiagnosticLevel::Error)
    {
        EXIT_ERROR
    } else if report.findings.iter().any(|f| f.severity >= args.fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn read_baseline(path: &Path) -> Result<Baseline> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read baseline {}", path.display()))?;
    Baseline::parse(&text).with_context(|| format!("cannot use baseline {}", path.display()))
}

fn write_baseline(path: &Path, baseline: &Baseline) -> Result<()> {
    let mut file = fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    baseline
        .write(&mut file)
        .with_context(|| format!("cannot write {}", path.display()))
}

fn write_outputs(args: &ScanArgs, report: &Report) -> Result<()> {
    let version = env!("CARGO_PKG_VERSION").to_string();
    for (format, path) in &args.output {
        let mut file = fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let options = RenderOptions {
            color: false,
            tool_version: version.clone(),
        };
        render(*format, report, &options, &mut file)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !args.quiet {
        let color = args.format == Format::Text
            && !args.no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && io::stdout().is_terminal();
        let options = RenderOptions {
            color,
            tool_version: version,
        };
        render(args.format, report, &options, &mut io::stdout().lock())?;
    }
    Ok(())
}

/// The Inventory of every template under `paths`, with what could not be read.
pub struct Loaded {
    pub inventory: Inventory,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of templates loaded.
    pub files: usize,
}

/// Discover and load (in parallel) every template under `paths`.
pub fn load_inventory(paths: &[PathBuf]) -> Loaded {
    let (files, mut diagnostics) = discover(paths);
    let (terraform, others): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|f| f.extension().is_some_and(|e| e == "tf"));
    let mut results: Vec<FileResult> = others.par_iter().map(|f| load_file(f)).collect();
    results.extend(load_terraform(&terraform));
    let mut inventory = Inventory::default();
    let mut count = 0;
    for result in results {
        diagnostics.extend(result.diagnostics);
        if let Some(inv) = result.inventory {
            count += 1;
            inventory.extend(inv);
        }
    }
    Loaded {
        inventory,
        diagnostics,
        files: count,
    }
}

/// Terraform is read a directory (a module) at a time. Directories that another scanned
/// module calls as a local module are loaded through the call, with its inputs, not again on
/// their own.
fn load_terraform(files: &[PathBuf]) -> Vec<FileResult> {
    let mut dirs: std::collections::BTreeMap<PathBuf, Vec<&PathBuf>> = std::collections::BTreeMap::new();
    for file in files {
        dirs.entry(file.parent().map(Path::to_path_buf).unwrap_or_default())
            .or_default()
            .push(file);
    }
    // (directory, its files' display paths and texts, files that could not be read)
    type ModuleDir = (PathBuf, Vec<(String, String)>, Vec<Diagnostic>);
    let read: Vec<ModuleDir> = dirs
        .into_par_iter()
        .map(|(dir, files)| {
            let mut texts = Vec::new();
            let mut diagnostics = Vec::new();
            for file in files {
                match read_text(file) {
                    Ok(Some(text)) => texts.push((display_path(file), text)),
                    Ok(None) => {}
                    Err(diagnostic) => diagnostics.push(diagnostic),
                }
            }
            (dir, texts, diagnostics)
        })
        .collect();
    let called: std::collections::HashSet<PathBuf> = read
        .iter()
        .flat_map(|(dir, texts, _)| warden_tf::local_module_dirs(dir, texts))
        .filter_map(|d| fs::canonicalize(d).ok())
        .collect();
    read.into_par_iter()
        .map(|(dir, texts, mut diagnostics)| {
            let is_called = fs::canonicalize(&dir).is_ok_and(|d| called.contains(&d));
            if is_called || texts.is_empty() {
                return FileResult {
                    inventory: None,
                    diagnostics,
                };
            }
            let loaded = warden_tf::load_dir(&dir, &texts);
            diagnostics.extend(loaded.diagnostics);
            FileResult {
                inventory: loaded.is_template.then_some(loaded.inventory),
                diagnostics,
            }
        })
        .collect()
}

/// `--config`, or `warden.toml` found upward from the first scanned path.
fn config_path(args: &ScanArgs) -> Option<PathBuf> {
    if args.no_config {
        return None;
    }
    if let Some(config) = &args.config {
        return Some(config.clone());
    }
    let start = args.paths.first()?;
    let start = fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Files to read: those named on the command line, and under directories those with a
/// template extension that `.gitignore` does not exclude. Sorted, so output is deterministic.
fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let files = Mutex::new(Vec::new());
    let diagnostics = Mutex::new(Vec::new());
    for path in paths {
        if path.is_file() {
            push(&files, path.clone());
            continue;
        }
        if !path.exists() {
            let origin = Origin::File {
                path: path.display().to_string().into(),
                span: Span::default(),
            };
            push(
                &diagnostics,
                Diagnostic::error("not-found", Some(origin), "no such file or directory"),
            );
            continue;
        }
        ignore::WalkBuilder::new(path)
            .require_git(false)
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                            let ext = entry
                                .path()
                                .extension()
                                .and_then(|e| e.to_str())
                                .unwrap_or_default();
                            if TEMPLATE_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(ext)) {
                                push(&files, entry.into_path());
                            }
                        }
                        Ok(_) => {}
                        Err(e) => push(&diagnostics, Diagnostic::error("walk", None, e.to_string())),
                    }
                    ignore::WalkState::Continue
                })
            });
    }
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort();
    files.dedup();
    (files, diagnostics.into_inner().unwrap_or_else(|e| e.into_inner()))
}

fn push<T>(list: &Mutex<Vec<T>>, item: T) {
    list.lock().unwrap_or_else(|e| e.into_inner()).push(item);
}

struct FileResult {
    inventory: Option<Inventory>,
    diagnostics: Vec<Diagnostic>,
}

fn display_path(path: &Path) -> String {
    let shown = path.strip_prefix("./").unwrap_or(path);
    shown.display().to_string()
}

fn file_error(path: &str, code: &'static str, message: String) -> Diagnostic {
    let origin = Origin::File {
        path: path.into(),
        span: Span::default(),
    };
    Diagnostic::error(code, Some(origin), message)
}

/// The text of a file, `Ok(None)` for a large file that is not a template, or the diagnostics
/// of a file that cannot be read as text.
fn read_text(path: &Path) -> Result<Option<String>, Diagnostic> {
    let shown = display_path(path);
    let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_TEMPLATE_BYTES {
        let mut head = Vec::new();
        let sniffed = fs::File::open(path).and_then(|f| f.take(SNIFF_BYTES).read_to_end(&mut head));
        if sniffed.is_ok() && !warden_cfn::looks_like_template(&String::from_utf8_lossy(&head)) {
            return Ok(None);
        }
        let mb = size as f64 / (1024.0 * 1024.0);
        let limit = MAX_TEMPLATE_BYTES / (1024 * 1024);
        return Err(file_error(
            &shown,
            "too-large",
            format!("file is {mb:.1} MB, over the {limit} MB limit for templates"),
        ));
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return Err(file_error(&shown, "unreadable", format!("cannot read: {e}"))),
    };
    if bytes.contains(&0) {
        return Err(file_error(
            &shown,
            "binary-input",
            "binary data (NUL bytes), not a text template".to_string(),
        ));
    }
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid].iter().filter(|b| **b == b'\n').count() + 1;
            let at = warden_model::Pos {
                line: line as u32,
                column: 1,
                offset: valid as u32,
            };
            let origin = Origin::File {
                path: shown.as_str().into(),
                span: Span { start: at, end: at },
            };
            let diagnostic = Diagnostic::error("encoding", Some(origin), "not valid UTF-8 text");
            return Err(diagnostic);
        }
    };
    Ok(Some(text))
}

fn load_file(path: &Path) -> FileResult {
    let shown = display_path(path);
    let text = match read_text(path) {
        Ok(Some(text)) => text,
        Ok(None) => {
            return FileResult {
                inventory: None,
                diagnostics: Vec::new(),
            };
        }
        Err(diagnostic) => {
            return FileResult {
                inventory: None,
                diagnostics: vec![diagnostic],
            };
        }
    };
    // Serverless first: a broken serverless.yml whose `resources:` name `AWS::` types would
    // otherwise be reported as a broken CloudFormation template.
    let (is_template, inventory, diagnostics) = if warden_tf::looks_like_plan(&text) {
        let loaded = warden_tf::load_plan(&shown, &text);
        (loaded.is_template, loaded.inventory, loaded.diagnostics)
    } else if warden_serverless::looks_like_serverless(&text) {
        let loaded = warden_serverless::load(&shown, &text);
        (loaded.is_template, loaded.inventory, loaded.diagnostics)
    } else {
        let loaded = warden_cfn::load(&shown, &text);
        (loaded.is_template, loaded.inventory, loaded.diagnostics)
    };
    FileResult {
        inventory: is_template.then_some(inventory),
        diagnostics,
    }
}
