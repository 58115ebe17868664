//! Every Terraform directory of the public corpus loads, or is reported with a reason; none
//! makes the loader panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use warden_model::DiagnosticLevel;

fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/serverless-patterns");
    root.is_dir().then_some(root)
}

/// Directories holding `.tf` files, with their files (name in findings, text).
fn tf_dirs(root: &Path) -> BTreeMap<PathBuf, Vec<(String, String)>> {
    let mut out: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "tf") {
                let shown = path.strip_prefix(root).unwrap_or(&path).display().to_string();
                let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned();
                out.entry(dir.clone()).or_default().push((shown, text));
            }
        }
    }
    for files in out.values_mut() {
        files.sort();
    }
    out
}

#[test]
fn every_terraform_directory_loads_or_is_reported() {
    let Some(root) = corpus() else {
        eprintln!("skipped: corpus not found at ../shared/corpus/serverless-patterns");
        return;
    };
    let dirs = tf_dirs(&root);
    let files: usize = dirs.values().map(Vec::len).sum();
    assert!(files >= 300, "expected the corpus's 337 .tf files, found {files}");
    let (mut loaded, mut reported, mut functions) = (0, 0, 0);
    for (dir, files) in &dirs {
        let result = std::panic::catch_unwind(|| warden_tf::load_dir(dir, files));
        let Ok(result) = result else {
            panic!("loading {} panicked", dir.display());
        };
        assert!(
            result.is_template,
            "{} is not recognised as Terraform",
            dir.display()
        );
        let errors: Vec<_> = result
            .diagnostics
            .iter()
            .filter(|d| d.level == DiagnosticLevel::Error)
            .collect();
        for error in &errors {
            // A report always says where and why.
            assert!(error.origin.is_some() && !error.message.is_empty(), "{error:?}");
            eprintln!(
                "reported: {} {}",
                error.origin.as_ref().map(|o| o.to_string()).unwrap_or_default(),
                error.message
            );
        }
        if errors.is_empty() {
            loaded += 1;
        } else {
            reported += 1;
        }
        functions += result.inventory.functions.len();
    }
    eprintln!(
        "{} directories ({files} files): {loaded} loaded, {reported} reported; {functions} functions",
        dirs.len()
    );
    assert!(
        functions >= 90,
        "the corpus defines about 100 Lambda functions in Terraform, found {functions}"
    );
}
