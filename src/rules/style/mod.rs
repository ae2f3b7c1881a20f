//! Rules about house style and metadata conventions: labels a team requires,
//! key order, explicit namespaces. Opinionated, so most are off by default.

use crate::rules::registry::Entry;

mod instance_label_mismatch;
mod unsorted_keys;
mod unused_suppression;

pub use instance_label_mismatch::InstanceLabelMismatch;
pub use unsorted_keys::UnsortedKeys;
pub use unused_suppression::UnusedSuppression;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Builtin(&UnusedSuppression),
    Entry::Object(&InstanceLabelMismatch),
    Entry::Object(&UnsortedKeys),
];
