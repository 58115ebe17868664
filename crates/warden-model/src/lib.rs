//! The model at the bottom of Lambda Warden: where things come from ([`Origin`], [`Span`]),
//! statically resolved template values ([`Value`]), the normalized [`Inventory`] every source
//! loads into, and the [`Finding`] / [`Diagnostic`] types every reporter renders.

mod finding;
mod inventory;
mod origin;
pub mod skip_comments;
mod value;

pub use finding::*;
pub use inventory::*;
pub use origin::*;
pub use value::*;
