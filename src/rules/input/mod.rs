//! Built-in rules for input that cannot be linted as Kubernetes objects.
//! The loader and parser report these; they have no logic of their own, but
//! they are rules like any other so that every output format, severity
//! override and exit code treats them alike.

use crate::rules::registry::Entry;

mod duplicate_key;
mod empty_input;
mod input_limit_exceeded;
mod internal_error;
mod not_a_kubernetes_object;
mod unreadable_file;
mod yaml_syntax_error;

pub use duplicate_key::DuplicateKey;
pub use empty_input::EmptyInput;
pub use input_limit_exceeded::InputLimitExceeded;
pub use internal_error::InternalError;
pub use not_a_kubernetes_object::NotAKubernetesObject;
pub use unreadable_file::UnreadableFile;
pub use yaml_syntax_error::YamlSyntaxError;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Builtin(&YamlSyntaxError),
    Entry::Builtin(&DuplicateKey),
    Entry::Builtin(&UnreadableFile),
    Entry::Builtin(&EmptyInput),
    Entry::Builtin(&InputLimitExceeded),
    Entry::Builtin(&NotAKubernetesObject),
    Entry::Builtin(&InternalError),
];
