//! `serverless.yml` to a CloudFormation template, as the framework compiles it
//! (`lib/plugins/aws/package/compile/**`): functions, their log groups, the shared execution
//! role, URLs, event invoke configs, the permissions and API resources events create; then
//! `resources:` merged over it. Logical ids are the framework's, so references between the two
//! resolve, and every generated node carries the span of what the user wrote.
//!
//! Triggers are not compiled to CloudFormation: the loader records them directly, named after
//! the function that declares them (see [`Trigger`]).

mod api;
mod events;
mod function;
mod resources;
mod role;

use std::collections::HashMap;
use std::sync::Arc;

use warden_model::skip_comments::{CommentSyntax, SkipComments};
use warden_model::{Diagnostic, EventSourceKind, Key, Origin, Span, Value, ValueKind};

use crate::build::{Obj, entry, list, set, text};
use crate::naming;

/// Provider settings the loader reads (a key differing from one of these only in case is
/// reported).
const PROVIDER_KEYS: &[&str] = &[
    "name",
    "runtime",
    "stage",
    "region",
    "environment",
    "iam",
    "iamRoleStatements",
    "iamManagedPolicies",
    "role",
    "rolePermissionsBoundary",
    "vpc",
    "tracing",
    "kmsKeyArn",
    "logRetentionInDays",
    "layers",
    "memorySize",
    "timeout",
    "architecture",
    "tags",
    "apiGateway",
    "httpApi",
    "logs",
    "endpointType",
    "resourcePolicy",
    "apiName",
    "vpcEndpointIds",
    "websocketApiId",
    "stackName",
    "deploymentBucket",
];

/// Function settings the loader reads.
const FUNCTION_KEYS: &[&str] = &[
    "handler",
    "image",
    "runtime",
    "name",
    "environment",
    "role",
    "vpc",
    "tracing",
    "kmsKeyArn",
    "reservedConcurrency",
    "layers",
    "onError",
    "destinations",
    "url",
    "events",
    "memorySize",
    "timeout",
    "architecture",
    "tags",
    "logRetentionInDays",
    "disableLogs",
    "maximumEventAge",
    "maximumRetryAttempts",
    "condition",
    "package",
    "codeSigningConfigArn",
];

/// How an element generated for the user's configuration is presented: named after what the
/// user wrote (the function key), implied by the element that declares it.
#[derive(Debug, Clone)]
pub(crate) struct Naming {
    pub name: String,
    /// Logical id of the implying element.
    pub implied_by: Option<String>,
}

/// A trigger of a function, recorded directly (not through CloudFormation).
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    /// Logical id of the function.
    pub function: String,
    /// Position in the function's `events`.
    pub index: usize,
    pub kind: EventSourceKind,
    pub source: Option<Value>,
    pub on_failure: Option<Value>,
    pub span: Span,
    pub resource_type: &'static str,
}

/// One function of the service.
#[derive(Debug, Clone)]
pub(crate) struct FunctionDef {
    /// The key under `functions`.
    pub name: String,
    pub key_span: Span,
    /// The function's settings (an empty map when written as `name:` alone).
    pub body: Value,
    /// `HelloLambdaFunction`.
    pub logical: String,
    /// `Hello`, the prefix of the function's other logical ids.
    pub base: String,
    /// Whether it runs with the framework's `IamRoleLambdaExecution`.
    pub default_role: bool,
}

/// What compiling produced.
pub(crate) struct Compiled {
    pub template: Value,
    pub names: HashMap<String, Naming>,
    pub triggers: Vec<Trigger>,
    pub functions: Vec<FunctionDef>,
    pub diagnostics: Vec<Diagnostic>,
}

pub(crate) struct Compiler<'d> {
    pub path: Arc<str>,
    /// The document with its variables resolved.
    pub doc: &'d Value,
    pub provider: Value,
    pub service: Value,
    pub stage: Value,
    pub functions: Vec<FunctionDef>,
    resources: Vec<(Key, Value)>,
    index: HashMap<String, usize>,
    pub names: HashMap<String, Naming>,
    pub triggers: Vec<Trigger>,
    /// Statements the framework adds to the shared role for what functions use.
    pub role_statements: Vec<Value>,
    pub rest: Option<api::ApiState>,
    pub http: Option<api::ApiState>,
    pub websockets: Option<api::ApiState>,
    pub diagnostics: Vec<Diagnostic>,
    comments: SkipComments<'d>,
}

impl<'d> Compiler<'d> {
    pub fn new(path: &Arc<str>, text: &'d str, doc: &'d Value, stage: Option<String>) -> Compiler<'d> {
        let provider = match doc.get("provider") {
            Some(p) if p.as_map().is_some() => p.clone(),
            Some(p) => Value::new(ValueKind::Map(Vec::new()), p.span),
            None => Value::new(ValueKind::Map(Vec::new()), Span::default()),
        };
        let service = match doc.get("service") {
            // v1: `service: {name: ...}`.
            Some(s) if s.as_map().is_some() => s.get("name").cloned().unwrap_or_else(|| Value::null(s.span)),
            Some(s) => s.clone(),
            None => Value::null(Span::default()),
        };
        let stage = match stage {
            Some(stage) => Value::string(stage, Span::default()),
            None => provider
                .get("stage")
                .cloned()
                .unwrap_or_else(|| Value::unknown("${opt:stage}", Vec::new(), Span::default())),
        };
        Compiler {
            path: path.clone(),
            doc,
            provider,
            service,
            stage,
            functions: Vec::new(),
            resources: Vec::new(),
            index: HashMap::new(),
            names: HashMap::new(),
            triggers: Vec::new(),
            role_statements: Vec::new(),
            rest: None,
            http: None,
            websockets: None,
            diagnostics: Vec::new(),
            comments: SkipComments::new(text, CommentSyntax::Yaml),
        }
    }

    pub fn compile(mut self) -> Compiled {
        let provider = self.provider.clone();
        self.warn_misspelt_keys(&provider, PROVIDER_KEYS, "`provider`");
        self.collect_functions();
        let functions = self.functions.clone();
        for function in &functions {
            self.function(function);
        }
        for function in &functions {
            self.events(function);
        }
        self.apis();
        self.role();
        self.layers();
        let template = self.merge_resources();
        Compiled {
            template,
            names: self.names,
            triggers: self.triggers,
            functions: self.functions,
            diagnostics: self.diagnostics,
        }
    }

    /// `functions` as a mapping, or as a list of mappings (merged, as the framework does).
    fn collect_functions(&mut self) {
        let Some(functions) = set(self.doc, "functions") else {
            return;
        };
        let mut entries: Vec<(Key, Value)> = Vec::new();
        match &functions.kind {
            ValueKind::Map(map) => entries.extend(map.iter().cloned()),
            ValueKind::List(items) => {
                for item in items {
                    match item.as_map() {
                        Some(map) => entries.extend(map.iter().cloned()),
                        None => self.not_read(item, "functions listed here"),
                    }
                }
            }
            _ => self.not_read(functions, "`functions`"),
        }
        let provider_role = self.provider_role().is_some();
        for (key, body) in entries {
            let body = match &body.kind {
                ValueKind::Map(_) => body,
                ValueKind::Null => Value::new(ValueKind::Map(Vec::new()), key.span),
                _ => {
                    self.not_read(&body, &format!("function `{}`", key.name));
                    continue;
                }
            };
            if set(&body, "handler").is_none() && set(&body, "image").is_none() {
                self.diagnostics.push(Diagnostic::warning(
                    "invalid-function",
                    Some(self.origin(key.span)),
                    format!(
                        "function `{}` has neither `handler` nor `image`; the framework refuses to deploy it",
                        key.name
                    ),
                ));
            }
            let default_role = !provider_role && body.get("role").is_none();
            if set(&body, "handler").is_some()
                && set(&body, "runtime").is_none()
                && set(&self.provider, "runtime").is_none()
            {
                self.note(
                    key.span,
                    format!(
                        "function `{}` sets no `runtime` (nor does `provider`): the framework deploys its own default, which depends on its version; runtime rules are not applied",
                        key.name
                    ),
                );
            }
            self.warn_misspelt_keys(&body, FUNCTION_KEYS, &format!("function `{}`", key.name));
            self.functions.push(FunctionDef {
                logical: naming::function(&key.name),
                base: naming::normalized(&key.name),
                name: key.name.clone(),
                key_span: key.span,
                body,
                default_role,
            });
        }
    }

    /// A warning for keys that differ only in case from a setting the framework reads
    /// (`Runtime:` for `runtime:`): the framework ignores them, so the setting is not applied.
    fn warn_misspelt_keys(&mut self, map: &Value, known: &[&str], what: &str) {
        for (key, _) in map.as_map().unwrap_or_default() {
            if known.contains(&key.name.as_str()) {
                continue;
            }
            if let Some(meant) = known.iter().find(|k| k.eq_ignore_ascii_case(&key.name)) {
                self.diagnostics.push(Diagnostic::warning(
                    "unknown-setting",
                    Some(self.origin(key.span)),
                    format!(
                        "{what} sets `{}`, which the framework ignores (keys are case-sensitive): did you mean `{meant}`?",
                        key.name
                    ),
                ));
            }
        }
    }

    /// The role every function without its own uses when the provider names one:
    /// `provider.iam.role` as a name, ARN or intrinsic (not as settings with `statements`), or
    /// v1/v2 `provider.role`.
    pub fn provider_role(&self) -> Option<Value> {
        if let Some(role) = set(&self.provider, "role") {
            return Some(role.clone());
        }
        let role = crate::build::at(&self.provider, &["iam", "role"])?;
        match &role.kind {
            ValueKind::String(_) | ValueKind::Unknown(_) => Some(role.clone()),
            ValueKind::Map(entries)
                if entries.len() == 1
                    && matches!(
                        entries[0].0.name.as_str(),
                        "Fn::GetAtt" | "Ref" | "Fn::ImportValue" | "Fn::Sub" | "Fn::Join"
                    ) =>
            {
                Some(role.clone())
            }
            _ => None,
        }
    }

    /// Whether the shared role is generated: some function runs with it.
    pub fn has_default_role(&self) -> bool {
        self.functions.iter().any(|f| f.default_role)
    }

    /// The function of the service named `name`.
    pub fn function_named(&self, name: &str) -> Option<&FunctionDef> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// Add (or replace) a generated resource.
    pub fn add(&mut self, logical: &str, key_span: Span, body: Value, naming: Naming) {
        let key = Key {
            name: logical.to_string(),
            span: key_span,
        };
        match self.index.get(logical) {
            Some(&i) => self.resources[i] = (key, body),
            None => {
                self.index.insert(logical.to_string(), self.resources.len());
                self.resources.push((key, body));
            }
        }
        self.names.insert(logical.to_string(), naming);
    }

    pub fn has_resource(&self, logical: &str) -> bool {
        self.index.contains_key(logical)
    }

    /// A generated resource: `{Type, Properties}`, with the skip comments on or above
    /// `comment_line` as `Metadata.warden.skip` when that line is given.
    pub fn resource(
        &self,
        resource_type: &str,
        properties: Value,
        span: Span,
        comment_line: Option<u32>,
    ) -> Value {
        let mut body = Obj::new(span)
            .set("Type", text(resource_type, span))
            .set("Properties", properties);
        if let Some(metadata) = comment_line.and_then(|line| self.skip_metadata(line)) {
            body.put("Metadata", metadata);
        }
        body.build()
    }

    /// `{warden: {skip: [{id, reason}]}}` from the skip comments on or above `line`.
    pub fn skip_metadata(&self, line: u32) -> Option<Value> {
        let skips = self.comments.on_or_above(line);
        if skips.is_empty() {
            return None;
        }
        let span = skips[0].span;
        let entries = skips
            .into_iter()
            .map(|skip| {
                Obj::new(skip.span)
                    .set("id", text(skip.rule, skip.span))
                    .opt("reason", skip.reason.map(|r| text(r, skip.span)))
                    .build()
            })
            .collect();
        Some(
            Obj::new(span)
                .set("warden", Obj::new(span).set("skip", list(entries, span)).build())
                .build(),
        )
    }

    /// A name for an element the framework generates for a function.
    pub fn implied(&self, function: &FunctionDef) -> Naming {
        Naming {
            name: function.name.clone(),
            implied_by: Some(function.logical.clone()),
        }
    }

    pub fn origin(&self, span: Span) -> Origin {
        Origin::file(&self.path, span)
    }

    pub fn note(&mut self, span: Span, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::note("unresolved", Some(self.origin(span)), message));
    }

    /// A note for a part of the configuration that is not a literal mapping (usually
    /// `${file(...)}`), and so is not analysed.
    pub fn not_read(&mut self, value: &Value, what: &str) {
        let message = match value.as_unknown() {
            Some(u) => format!("{what}: `{}` is not read, so this part is not analysed", u.expr),
            None => format!("{what}: not written as the framework expects, so this part is not analysed"),
        };
        self.note(value.span, message);
    }

    /// `<service>-<stage>-<suffix>` (the framework's function names), or `<service>-<stage>`
    /// when `suffix` is empty.
    pub fn service_name(&self, suffix: &str, span: Span) -> Value {
        let dash = Value::string("-", span);
        let suffix = Value::string(suffix, span);
        if suffix.as_str() == Some("") {
            joined(&[&self.service, &dash, &self.stage], span)
        } else {
            joined(&[&self.service, &dash, &self.stage, &dash, &suffix], span)
        }
    }

    /// The key span of `name` in the provider section, or the provider's own.
    pub fn provider_span(&self, name: &str) -> Span {
        entry(&self.provider, name)
            .map(|(k, _)| k.span)
            .unwrap_or(self.provider.span)
    }
}

/// Text made of known and unknown parts: a string when every part is known, otherwise an
/// unknown value whose expression keeps the unknown parts (`svc-${opt:stage}-hello`).
pub(crate) fn joined(parts: &[&Value], span: Span) -> Value {
    let mut out = String::new();
    let mut known = true;
    for part in parts {
        match part.as_text() {
            Some(t) => out.push_str(&t),
            None => {
                known = false;
                match part.as_unknown() {
                    Some(u) if u.expr.starts_with("${") => out.push_str(&u.expr),
                    Some(u) => {
                        out.push_str("${");
                        out.push_str(&u.expr);
                        out.push('}');
                    }
                    None => out.push_str("${?}"),
                }
            }
        }
    }
    if known {
        Value::string(out, span)
    } else {
        Value::unknown(out, Vec::new(), span)
    }
}
