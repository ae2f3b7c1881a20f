//! The analyses behind the decoupling audit, shared by its rules and by
//! `plimsoll audit`:
//! - [`secrets`]: secrets in literal text, and how to show them redacted;
//! - [`values`]: environment-specific configuration in literal values;
//! - [`graph`]: the service graph, from addresses in env, args and ConfigMaps;
//! - [`workload`]: transience and monolith signals of one workload;
//! - [`audit`]: the per-application report and its score.

pub mod audit;
pub mod graph;
pub mod secrets;
pub mod values;
pub mod workload;
