//! Every built-in rule, in the order docs and `plimsoll rules` list them.
//! Adding a rule means one line here and one file beside it.

use super::{ObjectRule, RelationRule, Rule, RuleMeta};
use super::{correctness, efficiency, input, reliability, schema, security};

/// A rule with the way the engine runs it.
#[derive(Clone, Copy)]
pub enum Entry {
    /// Reported by the engine's own stages: the loader, the parser and
    /// schema validation.
    Builtin(&'static dyn Rule),
    /// Run on each object.
    Object(&'static dyn ObjectRule),
    /// Run once over all objects.
    Relation(&'static dyn RelationRule),
}

impl Entry {
    /// The rule's metadata.
    pub fn meta(&self) -> &'static RuleMeta {
        match self {
            Entry::Builtin(rule) => rule.meta(),
            Entry::Object(rule) => rule.meta(),
            Entry::Relation(rule) => rule.meta(),
        }
    }
}

/// All built-in rules.
pub static RULES: &[Entry] = &[
    Entry::Builtin(&input::YamlSyntaxError),
    Entry::Builtin(&input::DuplicateKey),
    Entry::Builtin(&input::UnreadableFile),
    Entry::Builtin(&input::EmptyInput),
    Entry::Builtin(&input::InputLimitExceeded),
    Entry::Builtin(&input::NotAKubernetesObject),
    Entry::Builtin(&schema::SchemaViolation),
    Entry::Builtin(&schema::MissingSchema),
    Entry::Builtin(&schema::RemovedApiVersion),
    Entry::Builtin(&schema::DeprecatedApiVersion),
    Entry::Object(&correctness::DuplicateEnvVar),
    Entry::Object(&correctness::SelectorMismatch),
    Entry::Relation(&correctness::ServiceSelectsNothing),
    Entry::Object(&correctness::AmbiguousYamlScalar),
    Entry::Object(&security::PrivilegedContainer),
    Entry::Object(&reliability::LatestImageTag),
    Entry::Object(&reliability::MissingReadinessProbe),
    Entry::Object(&reliability::MissingLivenessProbe),
    Entry::Object(&efficiency::MissingResourceRequests),
];

/// Finds a rule by id (`SEC001`, any case) or name (`privileged-container`).
pub fn find(id_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(Entry::meta)
        .find(|m| m.name == id_or_name || m.id.eq_ignore_ascii_case(id_or_name))
}

/// The rule name closest to `input`, for "did you mean" hints.
pub fn closest(input: &str) -> Option<&'static str> {
    RULES
        .iter()
        .map(|e| e.meta().name)
        .map(|name| (strsim::jaro_winkler(input, name), name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| name)
}
