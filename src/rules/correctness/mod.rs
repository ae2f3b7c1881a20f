//! Rules about objects that are wrong: Kubernetes rejects them, or they are
//! accepted but cannot do what they say.

use crate::rules::registry::Entry;

mod ambiguous_yaml_scalar;
mod duplicate_env_var;
mod selector_mismatch;
mod service_selects_nothing;

pub use ambiguous_yaml_scalar::AmbiguousYamlScalar;
pub use duplicate_env_var::DuplicateEnvVar;
pub use selector_mismatch::SelectorMismatch;
pub use service_selects_nothing::ServiceSelectsNothing;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Object(&DuplicateEnvVar),
    Entry::Object(&SelectorMismatch),
    Entry::Relation(&ServiceSelectsNothing),
    Entry::Object(&AmbiguousYamlScalar),
];
