//! Validation of a JSON document against a JSON schema with python3's `jsonschema`.
//! Shared by this crate's tests and the CLI's (included there with `#[path]`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The outcome of validating a document against a JSON schema.
#[derive(Debug)]
pub enum Validation {
    Valid,
    /// The document breaks the schema; one line per error.
    Invalid(String),
    /// python3 or its `jsonschema` module cannot be had; the caller skips.
    Unavailable(String),
}

/// Validates stdin against the schema at argv[1] with the validator the schema's `$schema`
/// asks for. With argv[2] == "strict", objects that list their properties accept no others, so
/// a field the schema does not document fails the test (the published schema stays open to
/// additions, see docs/json-schema.md).
const VALIDATE: &str = r##"
import json, sys
import jsonschema

def close(node):
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for child in node.values():
            close(child)
    elif isinstance(node, list):
        for child in node:
            close(child)

with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
# Some copies of the SARIF schema (shared/schemas among them) keep the root schema under
# definitions/Root and nothing at the top, which would accept any document.
if "Root" in schema.get("definitions", {}) and not any(
    key in schema for key in ("$ref", "type", "properties", "allOf", "anyOf", "oneOf")
):
    schema["$ref"] = "#/definitions/Root"
if sys.argv[2] == "strict":
    close(schema)
instance = json.load(sys.stdin)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
errors = sorted(cls(schema).iter_errors(instance), key=lambda e: str(list(e.absolute_path)))
for e in errors:
    print("/".join(str(p) for p in e.absolute_path) or "<root>", "-", e.message)
sys.exit(1 if errors else 0)
"##;

pub fn validate(schema: &Path, document: &str, strict: bool) -> Validation {
    if let Err(reason) = jsonschema_available() {
        return Validation::Unavailable(reason.clone());
    }
    let mode = if strict { "strict" } else { "open" };
    let child = Command::new("python3")
        .args(["-c", VALIDATE])
        .arg(schema)
        .arg(mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(err) => return Validation::Unavailable(format!("cannot run python3: {err}")),
    };
    if let Some(mut stdin) = child.stdin.take()
        && let Err(err) = stdin.write_all(document.as_bytes())
    {
        panic!("writing the document to python3 failed: {err}");
    }
    let output = match child.wait_with_output() {
        Ok(output) => output,
        Err(err) => panic!("waiting for python3 failed: {err}"),
    };
    if output.status.success() {
        Validation::Valid
    } else {
        Validation::Invalid(format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Whether `import jsonschema` works, installing it with pip once per test binary if not.
fn jsonschema_available() -> &'static Result<(), String> {
    static AVAILABLE: OnceLock<Result<(), String>> = OnceLock::new();
    AVAILABLE.get_or_init(|| {
        let imports = || {
            Command::new("python3")
                .args(["-c", "import jsonschema"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        if imports() {
            return Ok(());
        }
        eprintln!("python3 cannot import jsonschema; installing it with pip");
        let _ = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "jsonschema"])
            .status();
        if imports() {
            Ok(())
        } else {
            Err("python3 with the `jsonschema` module is not available (pip install jsonschema)".into())
        }
    })
}

/// Panic unless `document` validates and `broken` (the document made invalid on purpose)
/// does not: the second check proves the schema constrains anything at all. Skips with a
/// message when no validator can be had.
pub fn assert_valid(schema: &Path, document: &str, broken: &str, strict: bool) {
    match validate(schema, document, strict) {
        Validation::Valid => {}
        Validation::Invalid(errors) => {
            panic!(
                "output does not validate against {}:\n{errors}\n{document}",
                schema.display()
            )
        }
        Validation::Unavailable(reason) => {
            eprintln!("SKIPPED schema validation: {reason}");
            return;
        }
    }
    if let Validation::Valid = validate(schema, broken, strict) {
        panic!(
            "{} accepts a broken document, so it checks nothing:\n{broken}",
            schema.display()
        );
    }
}
