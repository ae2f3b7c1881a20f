//! Rules written as data: YAML files naming a template and its parameters.
//!
//! Most Kubernetes checks are "field X must or must not be Y"; writing each
//! one in Rust would bury the policy in code. A rule file says what to check
//! in the vocabulary of [`templates`]; this module validates the file against
//! `schemas/rule.schema.json`, checks that the template can look at the kinds
//! the rule names, and turns it into an [`ObjectRule`] like any other. The
//! built-in files under `rules/` are embedded in the binary; users add their
//! own through the configuration, through the same loader.

pub mod templates;

use std::path::Path;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::{Category, ObjectRule, Reports, Rule, RuleMeta, Severity};
use crate::k8s::{Kind, Object};
use crate::schema::catalog::KindSchema;
use crate::schema::instance::Yaml;
use crate::schema::messages::describe_tree_errors;
use crate::yaml::data::{DataFile, DataFileError};
use crate::yaml::pointer;
use templates::Template;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A rule loaded from a rule file.
pub struct DeclarativeRule {
    meta: &'static RuleMeta,
    template: Template,
}

impl Rule for DeclarativeRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }
}

impl ObjectRule for DeclarativeRule {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        self.template.check(object, cx);
    }
}

/// A rule file that cannot be used, with the place and the reason.
pub type RuleFileError = DataFileError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    name: String,
    category: String,
    severity: Severity,
    #[serde(default = "enabled_by_default")]
    enabled: bool,
    kinds: Vec<String>,
    summary: String,
    description: String,
    remediation: String,
    #[serde(default)]
    equivalents: Vec<String>,
    template: String,
    params: Value,
    examples: Examples,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Examples {
    fail: String,
    pass: String,
}

/// The rules built into the binary from `rules/`.
pub fn builtin() -> &'static [DeclarativeRule] {
    static RULES: OnceLock<Vec<DeclarativeRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        BUILTIN_RULE_FILES
            .iter()
            .map(|(path, text)| {
                parse(path, text, false).unwrap_or_else(|e| panic!("built-in rule file: {e}"))
            })
            .collect()
    })
}

/// Loads one rule file. Metadata is leaked: rule files are loaded once per
/// process and their rules live as long as it does.
pub fn load(path: &str, text: &str) -> Result<DeclarativeRule, RuleFileError> {
    parse(path, text, true)
}

/// Loads one rule file, checking it against `schemas/rule.schema.json`
/// first and compiling its template's schema when `check` is set. The
/// built-in files skip both at start-up (the rule schema was a tenth of a
/// one-file lint, the templates' schemas a third), compiling each schema
/// when its rule first needs it; a test checks and compiles them instead.
fn parse(path: &str, text: &str, check: bool) -> Result<DeclarativeRule, RuleFileError> {
    let file = DataFile::parse(path, text)?;
    let error_at = |offset: u32, message: String| file.error_at(offset, message);
    let Some(root) = &file.root else {
        return Err(error_at(0, "the rule file is empty".to_owned()));
    };
    let errors = if check {
        describe_tree_errors(rule_file_schema(), root, true, false)
    } else {
        Vec::new()
    };
    // A misspelt key also makes a required key missing; the typo is the news.
    let first = errors
        .iter()
        .find(|(_, message)| message.starts_with("unknown field"))
        .or(errors.first());
    if let Some((pointer, message)) = first {
        let span = pointer::resolve(root, pointer).primary();
        return Err(error_at(span.start, message.clone()));
    }
    let rule: RuleFile =
        serde_json::from_value(root.to_json()).map_err(|e| error_at(0, e.to_string()))?;
    let at = |field: &str| root.entry(field).map_or(0, |e| e.key.span.start);
    let category = category(&rule.category).ok_or_else(|| {
        error_at(
            at("category"),
            format!("unknown category `{}`", rule.category),
        )
    })?;
    let kinds = rule.kinds.iter().map(|k| kind(k)).collect::<Vec<_>>();
    let template = Template::new(&rule.template, &rule.params, &kinds, check)
        .map_err(|message| error_at(at("params"), message))?;
    let docs = documentation(&rule);
    let meta = RuleMeta {
        id: leak(rule.id),
        name: leak(rule.name),
        category,
        default_severity: rule.severity,
        kinds: Box::leak(kinds.into_boxed_slice()),
        summary: leak(rule.summary),
        docs: leak(docs),
        remediation: leak(rule.remediation),
        equivalents: Box::leak(
            rule.equivalents
                .into_iter()
                .map(leak)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        default_enabled: rule.enabled,
        sensitive: false,
        checks_generated: false,
    };
    Ok(DeclarativeRule {
        meta: Box::leak(Box::new(meta)),
        template,
    })
}

/// Loads a rule file from disk.
pub fn load_file(path: &Path) -> Result<DeclarativeRule, RuleFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        RuleFileError::whole_file(&shown, format!("cannot read the rule file: {e}"))
    })?;
    load(&shown, &text)
}

fn rule_file_schema() -> &'static KindSchema {
    static SCHEMA: OnceLock<KindSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(include_str!("../../../schemas/rule.schema.json"))
            .expect("schemas/rule.schema.json is valid JSON");
        let validator = jsonschema::options_for::<Yaml>()
            .with_draft(jsonschema::Draft::Draft202012)
            .offline()
            .build(&schema)
            .expect("schemas/rule.schema.json is a valid schema");
        let mut defs = serde_json::Map::new();
        if let Some(Value::Object(inner)) = schema.get("$defs") {
            defs.extend(inner.clone());
        }
        defs.insert("rule".to_owned(), schema);
        KindSchema {
            validator,
            defs: Value::Object(defs),
            root: "rule".to_owned(),
        }
    })
}

/// The docs of a rule file in the shape of a Rust rule's doc comment, so
/// `explain`, the README table and the doc-example tests treat both alike.
fn documentation(file: &RuleFile) -> String {
    let peers = if file.equivalents.is_empty() {
        "\n\n## Peers\nNone: this check is plimsoll's own."
    } else {
        ""
    };
    format!(
        "{}{peers}\n\n## Example\n```yaml\n{}```\n\nUse instead:\n```yaml\n{}```",
        file.description.trim_end(),
        ensure_newline(&file.examples.fail),
        ensure_newline(&file.examples.pass),
    )
}

fn ensure_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_owned()
    } else {
        format!("{text}\n")
    }
}

fn category(name: &str) -> Option<Category> {
    Some(match name {
        "correctness" => Category::Correctness,
        "security" => Category::Security,
        "reliability" => Category::Reliability,
        "efficiency" => Category::Efficiency,
        "decoupling" => Category::Decoupling,
        "style" => Category::Style,
        _ => return None,
    })
}

fn kind(name: &str) -> Kind {
    match name {
        "Any" => Kind::Any,
        "PodSpecCarrier" => Kind::PodSpecCarrier,
        "ReplicatedWorkload" => Kind::ReplicatedWorkload,
        other => Kind::Named(leak(other.to_owned())),
    }
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loaded as users' files are, the built-in ones are checked against
    /// the rule schema and their templates' schemas compiled, which the
    /// binary leaves until a rule first checks an object.
    #[test]
    fn built_in_rule_files_conform_to_the_rule_schema_and_compile() {
        for (path, text) in BUILTIN_RULE_FILES {
            if let Err(error) = load(path, text) {
                panic!("{error}");
            }
        }
    }
}
