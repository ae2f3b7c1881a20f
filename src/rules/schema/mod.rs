//! Rules reported by schema validation: the logic lives in `crate::schema`,
//! these declare what users see, select and silence.

mod deprecated_api_version;
mod missing_schema;
mod removed_api_version;
mod schema_violation;

pub use deprecated_api_version::DeprecatedApiVersion;
pub use missing_schema::MissingSchema;
pub use removed_api_version::RemovedApiVersion;
pub use schema_violation::SchemaViolation;
