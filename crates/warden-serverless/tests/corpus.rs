//! Every `serverless.yml` of the public corpus loads, or is reported with a reason; none panics.

use std::path::{Path, PathBuf};

use warden_model::DiagnosticLevel;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/serverless-patterns")
}

fn serverless_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            serverless_files(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == "serverless.yml" || n == "serverless.yaml")
        {
            out.push(path);
        }
    }
}

#[test]
fn every_serverless_file_of_the_corpus_loads_or_is_reported() {
    let root = corpus();
    if !root.is_dir() {
        eprintln!("skipped: no corpus at {}", root.display());
        return;
    }
    let mut files = Vec::new();
    serverless_files(&root, &mut files);
    assert!(!files.is_empty(), "no serverless.yml under {}", root.display());
    let mut functions = 0;
    let mut summary = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let shown = path.strip_prefix(&root).unwrap_or(path).display().to_string();
        let loaded = warden_serverless::load(&shown, &text);
        assert!(
            loaded.is_template,
            "{shown} is not recognised as a Serverless service"
        );
        let errors: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
            .map(|d| format!("{}: {}", d.code, d.message))
            .collect();
        assert!(errors.is_empty(), "{shown}: {errors:#?}");
        // Whatever is not analysed is said, with a position in the file.
        for d in &loaded.diagnostics {
            let origin = d
                .origin
                .as_ref()
                .unwrap_or_else(|| panic!("{shown}: {} has no origin", d.message));
            assert_eq!(origin.path(), Some(shown.as_str()));
        }
        assert_eq!(loaded.inventory.sources.len(), 1);
        functions += loaded.inventory.functions.len();
        summary.push(format!(
            "{shown}: {} functions, {} roles, {} permissions, {} routes, {} triggers, {} notes",
            loaded.inventory.functions.len(),
            loaded.inventory.roles.len(),
            loaded.inventory.permissions.len(),
            loaded.inventory.routes.len(),
            loaded.inventory.event_sources.len(),
            loaded.diagnostics.len(),
        ));
    }
    eprintln!("{}", summary.join("\n"));
    assert_eq!(files.len(), 18, "the corpus has 18 serverless.yml files");
    assert!(functions >= 15, "only {functions} functions loaded");
}
