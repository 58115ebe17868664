//! How API Gateway stages are named in messages.

use warden_model::{ApiKind, Inventory, Stage};

/// `stage `prod` of REST API `Api``: the stage name when known (else its resource), and its API.
pub(crate) fn stage_label(inventory: &Inventory, stage: &Stage) -> String {
    let name = stage
        .stage_name
        .as_ref()
        .and_then(|n| n.as_text())
        .map_or_else(|| stage.meta.name.clone(), |n| n.into_owned());
    let api = stage
        .api
        .target
        .as_deref()
        .and_then(|id| inventory.apis.iter().find(|a| a.meta.id == id));
    match api {
        Some(api) => {
            let kind = match api.kind {
                ApiKind::Rest => "REST API",
                ApiKind::Http => "HTTP API",
            };
            format!("stage `{name}` of {kind} `{}`", api.meta.name)
        }
        None => format!("stage `{name}` of API `{}`", stage.api.value.display()),
    }
}
