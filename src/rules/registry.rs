//! Every rule, in the order docs and `plimsoll rules` list them.

use std::path::PathBuf;
use std::sync::OnceLock;

use super::declarative::{self, DeclarativeRule, RuleFileError};
use super::{ObjectRule, RelationRule, Rule, RuleMeta};
use super::{correctness, decoupling, efficiency, input, reliability, schema, security, style};

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

/// Every rule of a run: the Rust rules of each category module, the built-in
/// rule files under `rules/`, and any rule files the configuration adds.
#[derive(Clone)]
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
    decoupling::RULES,
    style::RULES,
];

impl Registry {
    /// The built-in rules.
    pub fn standard() -> &'static Registry {
        static STANDARD: OnceLock<Registry> = OnceLock::new();
        STANDARD.get_or_init(|| {
            let rust = CATEGORY_RULES
                .iter()
                .flat_map(|rules| rules.iter().copied());
            let data = declarative::builtin()
                .iter()
                .map(|rule| Entry::Object(rule));
            Registry::ordered(rust.chain(data).collect())
        })
    }

    /// The standard rules plus the rules of `files`, loaded as the built-in
    /// rule files are.
    pub fn with_rule_files(files: &[PathBuf]) -> Result<Registry, RuleFileError> {
        let mut entries = Registry::standard().entries.clone();
        for file in files {
            let rule: &'static DeclarativeRule = Box::leak(Box::new(declarative::load_file(file)?));
            let meta = rule.meta();
            if let Some(clash) = entries
                .iter()
                .map(Entry::meta)
                .find(|e| e.id == meta.id || e.name == meta.name)
            {
                return Err(RuleFileError {
                    path: file.display().to_string(),
                    line: 1,
                    column: 1,
                    message: format!(
                        "rule `{}` ({}) clashes with the existing rule `{}` ({})",
                        meta.name, meta.id, clash.name, clash.id
                    ),
                });
            }
            entries.push(Entry::Object(rule));
        }
        Ok(Registry::ordered(entries))
    }

    /// Sorts rules for documentation: by category, then id.
    fn ordered(mut entries: Vec<Entry>) -> Registry {
        entries.sort_by_key(|e| (e.meta().category, e.meta().id));
        Registry { entries }
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
