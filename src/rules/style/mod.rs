//! Rules about house style and metadata conventions: labels a team requires,
//! key order, explicit namespaces. Opinionated, so most are off by default.

use crate::rules::registry::Entry;

mod unused_suppression;

pub use unused_suppression::UnusedSuppression;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[Entry::Builtin(&UnusedSuppression)];
