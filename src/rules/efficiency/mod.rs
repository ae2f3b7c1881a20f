//! Rules about how workloads use the cluster's capacity.

use crate::rules::registry::Entry;

mod missing_resource_requests;

pub use missing_resource_requests::MissingResourceRequests;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[Entry::Object(&MissingResourceRequests)];
