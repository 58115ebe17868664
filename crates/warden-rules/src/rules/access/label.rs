//! How the `ACC` and `IAM` rules name elements in their messages.

use warden_model::{Inventory, Link, Meta, Permission};

/// The name of the element `link` points to among `elements`, or the value as written when it is
/// not in the Inventory (an ARN, an imported name).
fn linked<'a>(link: &Link, mut elements: impl Iterator<Item = &'a Meta>) -> String {
    link.target
        .as_deref()
        .and_then(|id| elements.find(|meta| meta.id == id))
        .map(|meta| meta.name.clone())
        .unwrap_or_else(|| link.value.display())
}

/// A function, as its logical id when it is in the Inventory.
pub(super) fn function(inv: &Inventory, link: &Link) -> String {
    linked(link, inv.functions.iter().map(|f| &f.meta))
}

pub(super) fn api(inv: &Inventory, link: &Link) -> String {
    linked(link, inv.apis.iter().map(|a| &a.meta))
}

pub(super) fn layer(inv: &Inventory, link: &Link) -> String {
    linked(link, inv.layers.iter().map(|l| &l.meta))
}

/// A permission: "permission `X`", or for one a transform generated (SAM events and function
/// URLs), the resource that implies it.
pub(super) fn permission(permission: &Permission) -> String {
    if permission.meta.implied_by.is_some() {
        format!("the permission generated for `{}`", permission.meta.name)
    } else {
        format!("permission `{}`", permission.meta.name)
    }
}
