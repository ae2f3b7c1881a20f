//! Every rule, in the order docs and `plimsoll rules` list them.

use std::sync::OnceLock;

use super::{ObjectRule, RelationRule, Rule, RuleMeta};
use super::{correctness, efficiency, input, reliability, schema, security, style};

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

/// Every rule plimsoll knows: the Rust rules of each category module, in
/// the order of [`CATEGORY_RULES`].
pub struct Registry {
    entries: Vec<Entry>,
}

/// The rule lists of the category modules; each module owns its list, so
/// adding a rule touches one file and one line in its module.
const CATEGORY_RULES: &[&[Entry]] = &[
    input::RULES,
    schema::RULES,
    correctness::RULES,
    security::RULES,
    reliability::RULES,
    efficiency::RULES,
    style::RULES,
];

impl Registry {
    /// The built-in rules.
    pub fn standard() -> &'static Registry {
        static STANDARD: OnceLock<Registry> = OnceLock::new();
        STANDARD.get_or_init(|| Registry {
            entries: CATEGORY_RULES
                .iter()
                .flat_map(|rules| rules.iter().copied())
                .collect(),
        })
    }

    /// Every rule, in documentation order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every rule's metadata, in documentation order.
    pub fn metas(&self) -> impl Iterator<Item = &'static RuleMeta> + '_ {
        self.entries.iter().map(Entry::meta)
    }

    /// Finds a rule by id (`SEC001`, any case) or name (`privileged-container`).
    pub fn find(&self, id_or_name: &str) -> Option<&'static RuleMeta> {
        self.metas()
            .find(|m| m.name == id_or_name || m.id.eq_ignore_ascii_case(id_or_name))
    }

    /// The rule name closest to `input`, for "did you mean" hints.
    pub fn closest(&self, input: &str) -> Option<&'static str> {
        self.metas()
            .map(|m| m.name)
            .map(|name| (strsim::jaro_winkler(input, name), name))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name)| name)
    }
}
