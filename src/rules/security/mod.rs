//! Rules about isolation: between containers, and between a container and its node.

use crate::rules::registry::Entry;

mod privileged_container;

pub use privileged_container::PrivilegedContainer;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[Entry::Object(&PrivilegedContainer)];
