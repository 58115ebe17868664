//! Lambda Warden's IAM policy engine. A library that knows nothing of rules: it parses policy
//! documents (keeping spans back to the template), matches actions, resources and principals
//! the way AWS does, and evaluates requests against sets of policies.

pub mod catalog;
pub mod condition;
pub mod context;
pub mod escalation;
pub mod eval;
pub mod exposure;
pub mod lint;
pub mod pattern;
pub mod policy;
pub mod privilege;

pub use pattern::*;
pub use policy::*;
