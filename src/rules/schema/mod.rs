//! Rules reported by schema validation: the logic lives in `crate::schema`,
//! these declare what users see, select and silence.

use crate::rules::registry::Entry;

mod deprecated_api_version;
mod missing_schema;
mod removed_api_version;
mod schema_violation;

pub use deprecated_api_version::DeprecatedApiVersion;
pub use missing_schema::MissingSchema;
pub use removed_api_version::RemovedApiVersion;
pub use schema_violation::SchemaViolation;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Builtin(&SchemaViolation),
    Entry::Builtin(&MissingSchema),
    Entry::Builtin(&RemovedApiVersion),
    Entry::Builtin(&DeprecatedApiVersion),
];
