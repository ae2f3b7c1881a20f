//! Configuration: `.plimsoll.yaml`, found by walking up from the first
//! linted path, or named with `--config`.
//!
//! It chooses rules (`select`, `extend-select`, `ignore`), overrides their
//! severities and parameters, excludes paths and objects, and sets run-wide
//! defaults such as the Kubernetes version. Selectors are ruff's: a category
//! (`security`), an id prefix (`SEC`, `SEC01`), a rule id or name, or `all`.
//! The more specific selector wins; at equal specificity `ignore` wins. A
//! category selects only the rules that are on by default; opinionated rules
//! are enabled by name, id, id prefix or `all`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde_json::Value;

use crate::k8s::Object;
use crate::rules::registry::{Entry, Registry};
use crate::rules::{ObjectRule, RuleMeta, Severity};
use crate::schema::location::SchemaLocation;
use crate::schema::{KubeVersion, MissingSchemaPolicy};
use crate::source::SourceFile;
use crate::yaml::Node;
use crate::yaml::data::{DataFile, DataFileError};

/// The file name looked for in each directory up from a linted path.
pub const FILE_NAME: &str = ".plimsoll.yaml";

/// A configuration that cannot be used, with the place and the reason; the
/// path is "command line" for selectors given as options.
pub type ConfigError = DataFileError;

/// The settings of a run, from the configuration file and the command line.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file the settings came from, if any.
    pub path: Option<PathBuf>,
    /// Rules to run instead of the defaults.
    pub select: Option<Vec<String>>,
    /// Rules to run besides the selected ones.
    pub extend_select: Vec<String>,
    /// Rules not to run.
    pub ignore: Vec<String>,
    /// Severity per rule name or id.
    pub severity: BTreeMap<String, Severity>,
    /// Parameters per rule name or id.
    pub params: BTreeMap<String, Value>,
    /// Path globs never linted.
    pub exclude: Vec<String>,
    /// Objects never linted, by kind, namespace and name globs.
    pub exclude_objects: Vec<ObjectPattern>,
    /// The Kubernetes version to validate against.
    pub kubernetes_version: Option<KubeVersion>,
    /// The lowest severity that fails the run.
    pub fail_on: Option<Severity>,
    /// Extra rule files, relative to the configuration file.
    pub rule_files: Vec<PathBuf>,
    /// Whether unknown fields are errors.
    pub strict: Option<bool>,
    /// What objects without a schema get.
    pub missing_schema: Option<MissingSchemaPolicy>,
    /// Local schema catalogues.
    pub schema_locations: Vec<SchemaLocation>,
    /// Honour kube-linter's, Polaris's and kube-score's ignore annotations.
    pub honor_peer_annotations: bool,
}

/// Objects to leave alone, such as a third-party chart that cannot be annotated.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectPattern {
    /// A glob on `kind`; any kind when absent.
    pub kind: Option<String>,
    /// A glob on `metadata.namespace`; any namespace when absent.
    pub namespace: Option<String>,
    /// A glob on `metadata.name`; any name when absent.
    pub name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<String>>,
    #[serde(default)]
    extend_select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, Severity>,
    #[serde(default)]
    params: BTreeMap<String, Value>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    exclude_objects: Vec<ObjectPattern>,
    kubernetes_version: Option<String>,
    fail_on: Option<Severity>,
    #[serde(default)]
    rule_files: Vec<PathBuf>,
    strict: Option<bool>,
    missing_schema: Option<MissingSchemaPolicy>,
    #[serde(default)]
    schema_locations: Vec<String>,
    #[serde(default)]
    honor_peer_annotations: bool,
}

/// The keys a configuration file may have, for "did you mean" hints.
const KEYS: [&str; 15] = [
    "select",
    "extend-select",
    "ignore",
    "severity",
    "params",
    "exclude",
    "exclude-objects",
    "kubernetes-version",
    "fail-on",
    "rule-files",
    "strict",
    "missing-schema",
    "schema-locations",
    "honor-peer-annotations",
    "$schema",
];

impl Config {
    /// The nearest `.plimsoll.yaml` at or above `start` (a file or directory).
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::fs::canonicalize(start).ok()?;
        let dir = if start.is_dir() {
            start
        } else {
            start.parent()?.to_owned()
        };
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// Reads a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: shown.clone(),
            line: 1,
            column: 1,
            message: format!("cannot read the configuration: {e}"),
        })?;
        Config::parse(&shown, &text, path.parent().unwrap_or(Path::new(".")))
    }

    /// Parses configuration text; relative paths in it are relative to `base`.
    pub fn parse(shown: &str, text: &str, base: &Path) -> Result<Config, ConfigError> {
        let file = DataFile::parse(shown, text)?;
        let source = &file.source;
        let error_at = |offset: u32, message: String| file.error_at(offset, message);
        let Some(root) = &file.root else {
            return Ok(Config {
                path: Some(PathBuf::from(shown)),
                ..Config::default()
            });
        };
        let Some(entries) = root.as_map() else {
            return Err(error_at(
                root.span.start,
                "the configuration must be a mapping".to_owned(),
            ));
        };
        for entry in entries {
            let key = entry.key.scalar_text().unwrap_or_default();
            if KEYS.contains(&key) {
                continue;
            }
            let hint = closest(key, KEYS.iter().copied())
                .map(|k| format!("; did you mean `{k}`?"))
                .unwrap_or_default();
            return Err(error_at(
                entry.key.span.start,
                format!("unknown key `{key}`{hint}"),
            ));
        }
        let mut json = root.to_json();
        if let Some(map) = json.as_object_mut() {
            map.remove("$schema");
        }
        let raw: RawConfig = serde_json::from_value(json).map_err(|e| {
            let field = e.to_string();
            let at = entries
                .iter()
                .find(|entry| {
                    entry
                        .key
                        .scalar_text()
                        .is_some_and(|k| field.contains(&format!("`{k}`")) || field.contains(k))
                })
                .map_or(root.span.start, |entry| entry.value.span.start);
            error_at(at, field)
        })?;
        let value_at = |key: &str| {
            root.entry(key)
                .map_or(root.span.start, |e| e.value.span.start)
        };
        let kubernetes_version = raw
            .kubernetes_version
            .map(|v| v.parse::<KubeVersion>())
            .transpose()
            .map_err(|e| error_at(value_at("kubernetes-version"), e))?;
        let schema_locations = raw
            .schema_locations
            .iter()
            .map(|l| l.parse::<SchemaLocation>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| error_at(value_at("schema-locations"), e))?;
        for pattern in &raw.exclude {
            Glob::new(pattern).map_err(|e| {
                error_at(
                    value_at("exclude"),
                    format!("invalid glob `{pattern}`: {e}"),
                )
            })?;
        }
        Ok(Config {
            path: Some(PathBuf::from(shown)),
            select: raw.select,
            extend_select: raw.extend_select,
            ignore: raw.ignore,
            severity: raw.severity,
            params: raw.params,
            exclude: raw.exclude,
            exclude_objects: raw.exclude_objects,
            kubernetes_version,
            fail_on: raw.fail_on,
            rule_files: raw
                .rule_files
                .iter()
                .flat_map(|f| expand_rule_files(base, f))
                .collect(),
            strict: raw.strict,
            missing_schema: raw.missing_schema,
            schema_locations,
            honor_peer_annotations: raw.honor_peer_annotations,
        })
        .and_then(|config| config.check_positions(root, source, shown))
    }

    /// Checks rule names in `severity` and `params` and selector names
    /// against the standard registry, pointing at the offending entry. Rules
    /// from `rule-files` are checked again, against the full registry, when
    /// the rule set is built.
    fn check_positions(
        self,
        root: &Node,
        source: &SourceFile,
        shown: &str,
    ) -> Result<Config, ConfigError> {
        if !self.rule_files.is_empty() {
            return Ok(self);
        }
        let registry = Registry::standard();
        for key in ["select", "extend-select", "ignore", "severity", "params"] {
            let Some(node) = root.get(key) else {
                continue;
            };
            let names: Vec<(&str, u32)> = match key {
                "severity" | "params" => node
                    .entries()
                    .iter()
                    .filter_map(|e| Some((e.key.scalar_text()?, e.key.span.start)))
                    .collect(),
                _ => node
                    .items()
                    .iter()
                    .filter_map(|n| Some((n.scalar_text()?, n.span.start)))
                    .collect(),
            };
            for (name, offset) in names {
                let is_selector = !matches!(key, "severity" | "params");
                if !known(registry, name, is_selector) {
                    let at = source.line_col(offset);
                    return Err(ConfigError {
                        path: shown.to_owned(),
                        line: at.line,
                        column: at.column,
                        message: unknown_rule_message(registry, name),
                    });
                }
            }
        }
        Ok(self)
    }

    /// The `exclude` globs, compiled.
    pub fn excluded_paths(&self) -> GlobSet {
        let mut builder = GlobSetBuilder::new();
        for pattern in &self.exclude {
            if let Ok(glob) = Glob::new(pattern) {
                builder.add(glob);
            }
        }
        builder.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// Whether `object` matches an `exclude-objects` pattern.
    pub fn excludes_object(&self, object: &Object) -> bool {
        self.exclude_objects.iter().any(|p| {
            let matches = |glob: &Option<String>, value: &str| {
                glob.as_deref()
                    .is_none_or(|g| Glob::new(g).is_ok_and(|g| g.compile_matcher().is_match(value)))
            };
            matches(&p.kind, object.kind())
                && matches(&p.namespace, object.namespace())
                && matches(&p.name, object.name())
        })
    }
}

/// A `rule-files` entry relative to the configuration's directory; a `*` or
/// `?` in its file name matches the files of that directory, in sorted order.
fn expand_rule_files(base: &Path, entry: &Path) -> Vec<PathBuf> {
    let path = base.join(entry);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if !name.contains(['*', '?']) {
        return vec![path];
    }
    let Ok(glob) = Glob::new(name) else {
        return vec![path];
    };
    let matcher = glob.compile_matcher();
    let dir = path.parent().unwrap_or(base);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| matcher.is_match(n)))
        .collect();
    files.sort();
    files
}

/// Whether `name` names a rule (or, for selectors, a category, an id prefix or `all`).
pub fn known(registry: &Registry, name: &str, is_selector: bool) -> bool {
    if registry.find(name).is_some() {
        return true;
    }
    is_selector
        && (name == "all"
            || registry
                .metas()
                .any(|m| m.category.as_str() == name || is_id_prefix(name, m)))
}

fn is_id_prefix(selector: &str, meta: &RuleMeta) -> bool {
    !selector.is_empty()
        && selector
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && meta.id.starts_with(selector)
}

/// "no rule named `x`; did you mean `y`?"
pub fn unknown_rule_message(registry: &Registry, name: &str) -> String {
    let hint = registry
        .closest(name)
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_else(|| "; `plimsoll rules` lists them all".to_owned());
    format!("no rule, category or id prefix named `{name}`{hint}")
}

fn closest<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// How one rule runs in a run.
#[derive(Debug, Clone)]
pub struct RuleSetting {
    /// Whether it runs.
    pub enabled: bool,
    /// The severity of its findings.
    pub severity: Severity,
    /// Its parameters.
    pub params: Option<Value>,
}

/// Specificity of a selector that matches `meta`, if it does. `for_select`
/// keeps categories from enabling rules that are off by default.
fn specificity(selector: &str, meta: &RuleMeta, for_select: bool) -> Option<usize> {
    if selector == meta.name || selector.eq_ignore_ascii_case(meta.id) {
        return Some(1000);
    }
    if is_id_prefix(selector, meta) {
        return Some(10 + selector.len());
    }
    if selector == meta.category.as_str() && (meta.default_enabled || !for_select) {
        return Some(2);
    }
    if selector == "all" {
        return Some(1);
    }
    None
}

fn best(selectors: &[String], meta: &RuleMeta, for_select: bool) -> Option<usize> {
    selectors
        .iter()
        .filter_map(|s| specificity(s, meta, for_select))
        .max()
}

impl Config {
    /// The setting of every rule of `registry` under this configuration.
    pub fn settings(
        &self,
        registry: &Registry,
    ) -> Result<BTreeMap<&'static str, RuleSetting>, ConfigError> {
        let unknown = |name: &str| ConfigError {
            path: self
                .path
                .as_ref()
                .map_or_else(|| "command line".to_owned(), |p| p.display().to_string()),
            line: 1,
            column: 1,
            message: unknown_rule_message(registry, name),
        };
        for name in self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
        {
            if !known(registry, name, true) {
                return Err(unknown(name));
            }
        }
        for name in self.severity.keys().chain(self.params.keys()) {
            if registry.find(name).is_none() {
                return Err(unknown(name));
            }
        }
        let names =
            |key: &String, meta: &RuleMeta| *key == meta.name || key.eq_ignore_ascii_case(meta.id);
        Ok(registry
            .metas()
            .map(|meta| {
                let selected = match &self.select {
                    Some(select) => best(select, meta, true),
                    None => meta.default_enabled.then_some(0),
                };
                let selected = selected.max(best(&self.extend_select, meta, true));
                let ignored = best(&self.ignore, meta, false);
                let enabled = match (selected, ignored) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(s), Some(i)) => s > i,
                };
                let severity = self
                    .severity
                    .iter()
                    .find(|(k, _)| names(k, meta))
                    .map_or(meta.default_severity, |(_, s)| *s);
                let params = self
                    .params
                    .iter()
                    .find(|(k, _)| names(k, meta))
                    .map(|(_, p)| p.clone());
                (
                    meta.id,
                    RuleSetting {
                        enabled,
                        severity,
                        params,
                    },
                )
            })
            .collect())
    }
}

/// An object rule that runs, with its parameters.
pub struct RunningObjectRule {
    /// The rule.
    pub rule: &'static dyn ObjectRule,
    /// Its parameters, if configured.
    pub params: Option<Value>,
}

/// The rules of a run and how each one runs: the registry (built-in rules
/// plus configured rule files) and every rule's setting.
pub struct RuleSet {
    /// Every rule known to the run.
    pub registry: Registry,
    settings: BTreeMap<&'static str, RuleSetting>,
    /// The object rules that run, looked up once: the engine asks for them
    /// for every object, and a lookup by rule id per object and rule cost
    /// more than some of the rules themselves.
    object_rules: Vec<RunningObjectRule>,
    explicit_severity: BTreeMap<&'static str, Severity>,
    /// Whether peers' ignore annotations count as suppressions.
    pub honor_peer_annotations: bool,
    exclude_objects: Config,
}

impl RuleSet {
    /// The rules and settings `config` asks for.
    pub fn new(config: &Config) -> Result<RuleSet, ConfigError> {
        let registry = if config.rule_files.is_empty() {
            Registry::standard().clone()
        } else {
            Registry::with_rule_files(&config.rule_files)?
        };
        let settings = config.settings(&registry)?;
        let explicit_severity = registry
            .metas()
            .filter_map(|meta| {
                let key = config
                    .severity
                    .keys()
                    .find(|k| *k == meta.name || k.eq_ignore_ascii_case(meta.id))?;
                Some((meta.id, config.severity[key]))
            })
            .collect();
        let object_rules = registry
            .entries()
            .iter()
            .filter_map(|entry| match entry {
                Entry::Object(rule) => {
                    let setting = settings.get(rule.meta().id).filter(|s| s.enabled)?;
                    Some(RunningObjectRule {
                        rule: *rule,
                        params: setting.params.clone(),
                    })
                }
                Entry::Builtin(_) | Entry::Relation(_) => None,
            })
            .collect();
        Ok(RuleSet {
            registry,
            settings,
            object_rules,
            explicit_severity,
            honor_peer_annotations: config.honor_peer_annotations,
            exclude_objects: Config {
                exclude_objects: config.exclude_objects.clone(),
                ..Config::default()
            },
        })
    }

    /// The default rules with their default settings.
    pub fn standard() -> RuleSet {
        RuleSet::new(&Config::default()).expect("the default configuration is valid")
    }

    /// Whether `rule` runs.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        self.settings.get(rule.id).is_some_and(|s| s.enabled)
    }

    /// The object rules that run, in registry order.
    pub fn object_rules(&self) -> &[RunningObjectRule] {
        &self.object_rules
    }

    /// The parameters configured for `rule`.
    pub fn params(&self, rule: &RuleMeta) -> Option<&Value> {
        self.settings.get(rule.id).and_then(|s| s.params.as_ref())
    }

    /// The severity the configuration sets for `rule`, if it sets one.
    pub fn severity_override(&self, rule: &RuleMeta) -> Option<Severity> {
        self.explicit_severity.get(rule.id).copied()
    }

    /// Whether the configuration leaves `object` alone.
    pub fn excludes(&self, object: &Object) -> bool {
        self.exclude_objects.excludes_object(object)
    }

    /// Every rule with its setting, in documentation order.
    pub fn settings(&self) -> impl Iterator<Item = (&'static RuleMeta, &RuleSetting)> + '_ {
        self.registry
            .metas()
            .filter_map(|m| Some((m, self.settings.get(m.id)?)))
    }
}
