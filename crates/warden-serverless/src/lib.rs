//! Serverless Framework loader: a `serverless.yml` (v1 to v4 conventions) into the
//! [`Inventory`].
//!
//! The framework is a CloudFormation generator, so the loader does what it does: variables are
//! resolved statically (`variables`), the service is compiled to the template the framework
//! would deploy, with its logical ids (`HelloLambdaFunction`, `IamRoleLambdaExecution`,
//! `ApiGatewayRestApi`, `HttpApi`, ...) and `resources:` merged in (`compile`), and that
//! template is loaded by the CloudFormation loader. One function thus fills the same Inventory
//! fields with the same meaning whichever format defines it, and references between
//! `resources:` and what the framework generates resolve both ways.
//!
//! Elements are identified by their logical ids (`serverless.yml#HelloLambdaFunction`) and named
//! as the user wrote them: a function by its key under `functions`, and what the framework
//! generates for it (log group, URL, permissions, routes, triggers) by the same name, as SAM's
//! implied elements are. `# warden:skip=ID reason` comments on or above a function key, a
//! `resources.Resources` key, `provider.iam` (the shared role), `provider.apiGateway` or
//! `provider.httpApi` (the APIs) suppress findings on those elements.

mod build;
mod compile;
mod finish;
mod naming;
mod variables;

use std::sync::Arc;

use warden_model::{Diagnostic, Inventory, Origin, SourceFile, SourceFormat, Span, Value, ValueKind};

/// What loading one file produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Whether the file is a Serverless Framework service at all (other YAML is ignored quietly
    /// by the caller).
    pub is_template: bool,
    pub inventory: Inventory,
    /// Errors (the file could not be read), warnings and notes (parts that could not be resolved).
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether text looks like a Serverless Framework service: top-level `service:` and `provider:`
/// keys. Also true for text that does not parse, so that its errors are reported.
pub fn looks_like_serverless(text: &str) -> bool {
    let top_level = |key: &str| {
        text.lines().any(|line| {
            let line = line.trim_start_matches('\u{feff}');
            ["", "'", "\""].iter().any(|q| {
                line.strip_prefix(q)
                    .and_then(|l| l.strip_prefix(key))
                    .and_then(|l| l.strip_prefix(q))
                    .is_some_and(|l| l.trim_start().starts_with(':'))
            })
        })
    };
    top_level("service") && top_level("provider")
}

/// Load one `serverless.yml`. `path` is how the file is named in findings. Never panics,
/// whatever the input.
pub fn load(path: &str, text: &str) -> Loaded {
    let path: Arc<str> = Arc::from(path);
    let mut loaded = Loaded::default();
    if text.contains('\0') {
        if looks_like_serverless(text) {
            loaded.is_template = true;
            loaded.diagnostics.push(Diagnostic::error(
                "binary-input",
                Some(Origin::file(&path, Span::default())),
                "file contains binary data (NUL bytes), not a Serverless Framework service",
            ));
        }
        return loaded;
    }
    let root = match warden_cfn::tree::parse(text) {
        Ok(root) => root,
        Err(e) => {
            if looks_like_serverless(text) {
                loaded.is_template = true;
                let span = Span {
                    start: e.pos,
                    end: e.pos,
                };
                loaded.diagnostics.push(Diagnostic::error(
                    "syntax",
                    Some(Origin::file(&path, span)),
                    e.message,
                ));
            }
            return loaded;
        }
    };
    if !is_service(&root) {
        if looks_like_serverless(text) {
            loaded.is_template = true;
            loaded.diagnostics.push(Diagnostic::error(
                "invalid-service",
                Some(Origin::file(&path, root.span)),
                "a Serverless Framework service must be a mapping with `service` and `provider`",
            ));
        }
        return loaded;
    }
    loaded.is_template = true;
    let source = SourceFile {
        path: path.clone(),
        format: SourceFormat::Serverless,
        text: Arc::from(text),
    };
    if let Some(note) = non_aws_provider(&path, &root) {
        loaded.diagnostics.push(note);
        loaded.inventory.sources.push(source);
        return loaded;
    }

    let mut variables = variables::Variables::new(&root, &path);
    let doc = variables.resolve_document();
    let stage = variables.stage();
    let mut diagnostics = std::mem::take(&mut variables.diagnostics);
    let compiled = compile::Compiler::new(&path, text, &doc, stage).compile();
    let cfn = warden_cfn::load_value(&path, text, &compiled.template);
    let (inventory, more) = finish::finish(&path, source, compiled, cfn, &doc);
    diagnostics.extend(more);
    loaded.inventory = inventory;
    loaded.diagnostics = diagnostics;
    loaded
}

/// A mapping with `service` and `provider`.
fn is_service(root: &Value) -> bool {
    root.as_map().is_some() && root.get("service").is_some() && root.get("provider").is_some()
}

/// A note when the provider is not AWS (`provider.name: azure`, v1 `provider: google`).
fn non_aws_provider(path: &Arc<str>, root: &Value) -> Option<Diagnostic> {
    let provider = root.get("provider")?;
    let name = match &provider.kind {
        ValueKind::String(name) => Some((name.clone(), provider.span)),
        ValueKind::Map(_) => provider
            .get("name")
            .and_then(|n| n.as_str().map(|s| (s.to_string(), n.span))),
        _ => None,
    };
    let (name, span) = name?;
    (!name.eq_ignore_ascii_case("aws")).then(|| {
        Diagnostic::note(
            "unsupported-provider",
            Some(Origin::file(path, span)),
            format!("the service runs on provider `{name}`, not AWS; it is not analysed"),
        )
    })
}
