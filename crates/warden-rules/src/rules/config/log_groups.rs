//! How log groups are named in messages.

use warden_model::{LogGroup, ValueKind};

/// `log group `/aws/lambda/api`` when its name is written (`/aws/lambda/${Api}` when partly
/// computed), else `log group `ApiLogs`` (the resource).
pub(crate) fn log_group_label(group: &LogGroup) -> String {
    let name = match group.log_group_name.as_ref().map(|n| &n.kind) {
        Some(ValueKind::String(name)) => name.clone(),
        Some(ValueKind::Unknown(unknown)) => unknown.expr.clone(),
        _ => group.meta.name.clone(),
    };
    format!("log group `{name}`")
}
