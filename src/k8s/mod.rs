//! The Kubernetes model: objects found in documents, what kind of thing each
//! one is, where its pod spec and containers live, and an index across all
//! objects for relation rules.

pub mod extract;
pub mod index;
pub mod kinds;
pub mod object;

pub use index::ObjectIndex;
pub use kinds::Kind;
pub use object::{Object, ObjectId, ObjectRef, Origin};
