//! Rules about objects that are wrong: Kubernetes rejects them, or they are
//! accepted but cannot do what they say.

mod ambiguous_yaml_scalar;
mod duplicate_env_var;
mod selector_mismatch;
mod service_selects_nothing;

pub use ambiguous_yaml_scalar::AmbiguousYamlScalar;
pub use duplicate_env_var::DuplicateEnvVar;
pub use selector_mismatch::SelectorMismatch;
pub use service_selects_nothing::ServiceSelectsNothing;
