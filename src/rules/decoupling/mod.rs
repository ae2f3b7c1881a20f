//! Rules of the decoupling audit: configuration, secrets and addresses baked
//! into workloads, references that point nowhere, workloads that do not
//! survive losing a pod, and monoliths squeezed into a pod.

use crate::rules::registry::Entry;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[];
