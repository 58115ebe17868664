//! Layers the service publishes, and `resources:` merged over the generated template
//! (`lib/merge-custom-provider-resources.js`): a resource with a generated logical id is merged
//! into the generated one (how users add, say, `KmsKeyId` to a function's log group), others
//! are added; `extensions` amend generated resources.

use warden_model::{Diagnostic, Key, Span, Value, ValueKind};

use super::{Compiler, Naming};
use crate::build::{Obj, list, merge, reference, set, text};
use crate::naming;

/// Template sections `resources:` may add besides `Resources`.
const SECTIONS: &[&str] = &["Parameters", "Conditions", "Mappings", "Outputs"];

impl Compiler<'_> {
    /// `layers:`: each a layer version, shared with `allowedAccounts`.
    pub(super) fn layers(&mut self) {
        let Some(layers) = set(self.doc, "layers") else {
            return;
        };
        let Some(entries) = layers.as_map().map(<[_]>::to_vec) else {
            self.not_read(layers, "`layers`");
            return;
        };
        for (key, config) in entries {
            let span = key.span;
            let logical = format!("{}LambdaLayer", naming::normalized(&key.name));
            let props = Obj::new(config.span.or(span))
                .set(
                    "LayerName",
                    set(&config, "name")
                        .cloned()
                        .unwrap_or_else(|| text(&key.name, span)),
                )
                .opt("CompatibleRuntimes", set(&config, "compatibleRuntimes").cloned())
                .opt("Content", set(&config, "path").cloned())
                .build();
            let body = self.resource("AWS::Lambda::LayerVersion", props, span, Some(span.start.line));
            let layer_naming = Naming {
                name: key.name.clone(),
                implied_by: None,
            };
            self.add(&logical, span, body, layer_naming);
            let accounts = set(&config, "allowedAccounts")
                .map(Value::items)
                .unwrap_or_default();
            for account in accounts {
                let id = account.display().replace('*', "Wild");
                let props = Obj::new(account.span)
                    .set("Action", text("lambda:GetLayerVersion", account.span))
                    .set("LayerVersionArn", reference(&logical, account.span))
                    .set("Principal", account.clone())
                    .build();
                let body = self.resource("AWS::Lambda::LayerVersionPermission", props, account.span, None);
                let naming = Naming {
                    name: key.name.clone(),
                    implied_by: Some(logical.clone()),
                };
                let permission = format!(
                    "{}{}LambdaLayerPermission",
                    naming::normalized(&key.name),
                    naming::alphanumeric(&id)
                );
                self.add(&permission, account.span, body, naming);
            }
        }
    }

    /// The template: generated resources with `resources:` merged in.
    pub(super) fn merge_resources(&mut self) -> Value {
        let mut sections: Vec<(String, Vec<(Key, Value)>)> =
            SECTIONS.iter().map(|s| (s.to_string(), Vec::new())).collect();
        let parts: Vec<Value> = match set(self.doc, "resources") {
            None => Vec::new(),
            Some(r) => match &r.kind {
                ValueKind::Map(_) => vec![r.clone()],
                ValueKind::List(items) => items.clone(),
                _ => {
                    self.not_read(r, "`resources`");
                    Vec::new()
                }
            },
        };
        for part in parts {
            let Some(entries) = part.as_map() else {
                self.not_read(&part, "resources");
                continue;
            };
            for (key, value) in entries {
                match key.name.as_str() {
                    "Resources" => self.merge_user_resources(value),
                    "extensions" => self.extensions(value),
                    name => {
                        if let Some((_, section)) = sections.iter_mut().find(|(s, _)| s == name) {
                            match value.as_map() {
                                Some(more) => section.extend(more.iter().cloned()),
                                None => self.not_read(value, &format!("`resources.{name}`")),
                            }
                        }
                    }
                }
            }
        }
        let span = self.doc.span;
        let mut root = Obj::new(span).set(
            "Resources",
            Value::new(ValueKind::Map(std::mem::take(&mut self.resources)), span),
        );
        for (name, entries) in sections {
            if !entries.is_empty() {
                root.put(&name, Value::new(ValueKind::Map(entries), span));
            }
        }
        root.build()
    }

    fn merge_user_resources(&mut self, resources: &Value) {
        let Some(entries) = resources.as_map() else {
            self.not_read(resources, "`resources.Resources`");
            return;
        };
        for (key, body) in entries {
            if body.as_map().is_none() {
                self.not_read(body, &format!("resource `{}`", key.name));
                continue;
            }
            let body = match self.skip_metadata(key.span.start.line) {
                Some(metadata) => with_skips(body, metadata),
                None => body.clone(),
            };
            let merged = match self.generated(&key.name) {
                Some(generated) => merge(generated, &body),
                None => body,
            };
            let naming = self.names.get(&key.name).cloned().unwrap_or_else(|| Naming {
                name: key.name.clone(),
                implied_by: None,
            });
            self.add(&key.name, key.span, merged, naming);
        }
    }

    /// `resources.extensions`: amend a generated resource's `Properties` / `Metadata` (shallow),
    /// `Condition` and the deletion and update policies.
    fn extensions(&mut self, extensions: &Value) {
        for (key, extension) in extensions.as_map().unwrap_or_default() {
            let Some(generated) = self.generated(&key.name).cloned() else {
                self.diagnostics.push(Diagnostic::warning(
                    "invalid-extension",
                    Some(self.origin(key.span)),
                    format!(
                        "`resources.extensions.{}` extends a resource the service does not generate",
                        key.name
                    ),
                ));
                continue;
            };
            let mut body = generated;
            for (attribute, value) in extension.as_map().unwrap_or_default() {
                match attribute.name.as_str() {
                    "Properties" | "Metadata" => {
                        let current = body
                            .get(&attribute.name)
                            .cloned()
                            .unwrap_or_else(|| Value::new(ValueKind::Map(Vec::new()), value.span));
                        let assigned = shallow_assign(&current, value);
                        set_entry(&mut body, attribute, assigned);
                    }
                    "Condition"
                    | "DeletionPolicy"
                    | "UpdateReplacePolicy"
                    | "UpdatePolicy"
                    | "CreationPolicy" => {
                        set_entry(&mut body, attribute, value.clone());
                    }
                    _ => {}
                }
            }
            let naming = self.names.get(&key.name).cloned().unwrap_or_else(|| Naming {
                name: key.name.clone(),
                implied_by: None,
            });
            let key_span = self.generated_key_span(&key.name).unwrap_or(key.span);
            self.add(&key.name, key_span, body, naming);
        }
    }

    fn generated(&self, logical: &str) -> Option<&Value> {
        self.resources
            .iter()
            .find(|(k, _)| k.name == logical)
            .map(|(_, v)| v)
    }

    fn generated_key_span(&self, logical: &str) -> Option<Span> {
        self.resources
            .iter()
            .find(|(k, _)| k.name == logical)
            .map(|(k, _)| k.span)
    }
}

/// `Object.assign(current, more)`.
fn shallow_assign(current: &Value, more: &Value) -> Value {
    let mut entries: Vec<(Key, Value)> = current.as_map().unwrap_or_default().to_vec();
    for (key, value) in more.as_map().unwrap_or_default() {
        entries.retain(|(k, _)| k.name != key.name);
        entries.push((key.clone(), value.clone()));
    }
    Value::new(ValueKind::Map(entries), more.span)
}

fn set_entry(body: &mut Value, key: &Key, value: Value) {
    if let ValueKind::Map(entries) = &mut body.kind {
        entries.retain(|(k, _)| k.name != key.name);
        entries.push((key.clone(), value));
    }
}

/// A user's resource with skip comments added to its `Metadata.warden.skip`.
fn with_skips(body: &Value, metadata: Value) -> Value {
    let written = body
        .get("Metadata")
        .and_then(|m| m.get("warden"))
        .and_then(|w| w.get("skip"))
        .map(|s| s.items().into_iter().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let comments = metadata
        .get("warden")
        .and_then(|w| w.get("skip"))
        .map(|s| s.items().into_iter().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    let span = metadata.span;
    let all = list(written.into_iter().chain(comments).collect(), span);
    let metadata = Obj::new(span)
        .set("warden", Obj::new(span).set("skip", all).build())
        .build();
    merge(body, &Obj::new(body.span).set("Metadata", metadata).build())
}
