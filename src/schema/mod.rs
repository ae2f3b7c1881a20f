//! Schema validation: every object checked against the Kubernetes OpenAPI
//! schemas embedded in the binary, or against the CRD that defines it.
//!
//! Validation runs on the JSON form of an object (the YAML 1.1 reading that
//! Kubernetes itself makes) with the `jsonschema` crate, built without any
//! way to fetch a remote reference. Errors come back as JSON pointers, which
//! the engine turns into spans like any rule's report; [`messages`] turns
//! each error into one sentence that says what would fix it.

pub mod catalog;
pub mod crd;
pub mod deprecations;
pub mod instance;
pub mod location;
pub mod messages;
pub mod re2;
pub mod structural;

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;

use crate::k8s::{Object, ObjectIndex};
use crate::rules::schema::{
    DeprecatedApiVersion, MissingSchema, RemovedApiVersion, SchemaViolation,
};
use crate::rules::{Report, Rule};
use crate::yaml::Pointer;
use catalog::{Catalog, KindSchema, Lookup};

/// A Kubernetes minor version such as 1.37.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    /// The minor number: 37 for 1.37.
    pub minor: u32,
}

impl FromStr for KubeVersion {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim().trim_start_matches('v');
        let mut parts = trimmed.split('.');
        let major = parts.next().and_then(|p| p.parse::<u32>().ok());
        let minor = parts.next().and_then(|p| p.parse::<u32>().ok());
        match (major, minor) {
            (Some(1), Some(minor)) => Ok(KubeVersion { minor }),
            _ => Err(format!("`{text}` is not a Kubernetes version such as 1.37")),
        }
    }
}

impl fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

/// What to do with an object for which no schema is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingSchemaPolicy {
    /// Say nothing.
    Ignore,
    /// Report a warning.
    Warn,
    /// Report an error.
    Error,
}

/// How objects are validated.
#[derive(Debug, Clone)]
pub struct SchemaOptions {
    /// The Kubernetes version whose schemas apply.
    pub version: KubeVersion,
    /// Whether unknown fields are errors.
    pub strict: bool,
    /// What an object without a schema gets.
    pub missing: MissingSchemaPolicy,
    /// Local schema catalogues for kinds that are neither built in nor
    /// defined by a CRD of the run.
    pub locations: Vec<location::SchemaLocation>,
}

impl Default for SchemaOptions {
    fn default() -> Self {
        Self {
            version: catalog::newest(),
            strict: true,
            missing: MissingSchemaPolicy::Warn,
            locations: Vec::new(),
        }
    }
}

/// The verdict on one object, counted in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A schema was found and the object conforms.
    Valid,
    /// A schema was found and the object does not conform, or its API is removed.
    Invalid,
    /// No schema was found; left for the CRDs of the run.
    Deferred,
}

/// Checks one object against the embedded schemas: removed and deprecated
/// API versions first, then the schema. Returns [`Verdict::Deferred`] for
/// objects of API groups Kubernetes does not serve, which only a CRD can
/// describe.
pub fn check_builtin(
    object: &Object,
    options: &SchemaOptions,
    reports: &mut Vec<Report>,
) -> Verdict {
    let api_version = object.identity.api_version.as_str();
    let kind = object.kind();
    if let Some(api) = deprecations::find(api_version, kind) {
        if api.removed_by(options.version) {
            reports.push(report(
                object,
                RemovedApiVersion.meta(),
                "/apiVersion",
                api.removal_message(options.version),
            ));
            return Verdict::Invalid;
        }
        if api.deprecated_by(options.version) {
            reports.push(report(
                object,
                DeprecatedApiVersion.meta(),
                "/apiVersion",
                api.deprecation_message(options.version),
            ));
        }
    }
    let catalog = Catalog::get();
    match catalog.lookup(options.version, api_version, kind) {
        Lookup::Found(validator) => {
            let errors = messages::describe(&validator, object, options.strict);
            if errors.is_empty() {
                return Verdict::Valid;
            }
            for (pointer, message) in errors {
                reports.push(report_at(object, SchemaViolation.meta(), pointer, message));
            }
            Verdict::Invalid
        }
        Lookup::UnknownKind { suggestion } => {
            let hint = suggestion
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            let message = format!(
                "`{api_version}` has no kind `{kind}` in Kubernetes {}{hint}",
                options.version
            );
            reports.push(report(object, SchemaViolation.meta(), "/kind", message));
            Verdict::Invalid
        }
        Lookup::UnservedVersion { served } => {
            let served = served
                .map(|s| format!("; `{kind}` is served as `{s}`"))
                .unwrap_or_default();
            let message = format!(
                "`{api_version}` is not served by Kubernetes {}{served}",
                options.version
            );
            reports.push(report(
                object,
                SchemaViolation.meta(),
                "/apiVersion",
                message,
            ));
            Verdict::Invalid
        }
        Lookup::NotBuiltin => Verdict::Deferred,
    }
}

/// Checks objects the built-in schemas do not cover against the CRDs found
/// among all objects of the run. `full` gives back the schemas of CRDs that
/// were dropped from memory.
///
/// Objects are checked kind by kind: a kind's CRD schema is compiled once,
/// used for all its objects and dropped, so that compiled validators of
/// large CRDs never pile up.
pub fn check_custom<'a>(
    deferred: impl IntoIterator<Item = &'a Object>,
    index: &ObjectIndex<'_>,
    options: &SchemaOptions,
    shed: &crd::ShedSchema,
) -> (Vec<Report>, Vec<Verdict>) {
    let crds = crd::CrdCatalog::build(index, options.strict);
    let locations =
        location::LocationCatalog::new(options.locations.clone(), options.version, options.strict);
    let mut kinds: Vec<((&str, &str), Vec<&Object>)> = Vec::new();
    let mut position: HashMap<(&str, &str), usize> = HashMap::new();
    for object in deferred {
        let key = (object.identity.api_version.as_str(), object.kind());
        let at = *position.entry(key).or_insert_with(|| {
            kinds.push((key, Vec::new()));
            kinds.len() - 1
        });
        kinds[at].1.push(object);
    }
    let patterns = structural::Patterns::default();
    let checked: Vec<Vec<(Vec<Report>, Option<Verdict>)>> = kinds
        .par_iter()
        .map(|((api_version, kind), objects)| {
            let source = crds.source(api_version, kind, shed);
            // A walk of the two trees validates without compiling the whole
            // schema, for any schema that compiles.
            let walked = source.as_ref().and_then(|source| match source.tree() {
                Some(tree) => {
                    let checker = structural::Conformance::new(tree, options.strict, &patterns)?;
                    objects
                        .iter()
                        .map(|object| {
                            let errors =
                                checker.errors(&object.root, messages::redacted(object))?;
                            Some(judged(object, errors))
                        })
                        .collect()
                }
                // A CRD version without a schema accepts anything.
                None => Some(
                    objects
                        .iter()
                        .map(|_| (Vec::new(), Some(Verdict::Valid)))
                        .collect(),
                ),
            });
            if let Some(checked) = walked {
                return checked;
            }
            let defined = source.is_some();
            let schema = source.and_then(crd::CrdSource::compile);
            let uncompilable = defined && schema.is_none();
            objects
                .iter()
                .map(|object| {
                    check_custom_object(object, schema.as_ref(), uncompilable, &locations, options)
                })
                .collect()
        })
        .collect();
    let mut reports = Vec::new();
    let mut verdicts = Vec::new();
    for (object_reports, verdict) in checked.into_iter().flatten() {
        reports.extend(object_reports);
        verdicts.extend(verdict);
    }
    (reports, verdicts)
}

/// Checks an object against its CRD's schema, or else against the schema
/// locations. `uncompilable` says that a CRD of the run defines the kind but
/// its schema could not be compiled.
fn check_custom_object(
    object: &Object,
    from_crd: Option<&KindSchema>,
    uncompilable: bool,
    locations: &location::LocationCatalog,
    options: &SchemaOptions,
) -> (Vec<Report>, Option<Verdict>) {
    let (api_version, kind) = (object.identity.api_version.as_str(), object.kind());
    let from_location;
    let validator = match from_crd {
        Some(validator) => validator,
        None => match locations.find(api_version, kind) {
            location::Found::Schema(schema) => {
                from_location = schema;
                &from_location
            }
            location::Found::Broken(why) => {
                return (
                    vec![report(object, MissingSchema.meta(), "/kind", why)],
                    None,
                );
            }
            location::Found::Nothing => {
                return (missing_schema(object, options, uncompilable), None);
            }
        },
    };
    judged(
        object,
        messages::describe(validator, object, options.strict),
    )
}

/// The reports and verdict of an object with these schema errors.
fn judged(object: &Object, errors: Vec<(Pointer, String)>) -> (Vec<Report>, Option<Verdict>) {
    let verdict = if errors.is_empty() {
        Verdict::Valid
    } else {
        Verdict::Invalid
    };
    let reports = errors
        .into_iter()
        .map(|(pointer, message)| report_at(object, SchemaViolation.meta(), pointer, message))
        .collect();
    (reports, Some(verdict))
}

fn missing_schema(object: &Object, options: &SchemaOptions, uncompilable: bool) -> Vec<Report> {
    if options.missing == MissingSchemaPolicy::Ignore {
        return Vec::new();
    }
    let (api_version, kind) = (&object.identity.api_version, object.kind());
    let message = if uncompilable {
        // Kubernetes reads CRD patterns as RE2; the validator here reads
        // them as ECMA-262, which rejects RE2-only syntax that `re2` does
        // not rewrite, such as a flag group inside a pattern.
        format!(
            "no schema for `{api_version}` `{kind}`: the CustomResourceDefinition for it in this run has a schema plimsoll cannot compile (most often a `pattern` in RE2 syntax, such as a flag group `(?s)` or `(?i)` inside it, that its ECMA-262 validator rejects), and no schema location has it"
        )
    } else {
        format!(
            "no schema for `{api_version}` `{kind}`: it is not built into Kubernetes {}, no CustomResourceDefinition for it was linted, and no schema location has it",
            options.version
        )
    };
    let mut missing = report(object, MissingSchema.meta(), "/kind", message);
    if options.missing == MissingSchemaPolicy::Error {
        missing.severity = Some(crate::rules::Severity::Error);
    }
    vec![missing]
}

fn report(
    object: &Object,
    rule: &'static crate::rules::RuleMeta,
    pointer: &str,
    message: String,
) -> Report {
    report_at(object, rule, Pointer::parse(pointer), message)
}

fn report_at(
    object: &Object,
    rule: &'static crate::rules::RuleMeta,
    pointer: Pointer,
    message: String,
) -> Report {
    Report {
        rule,
        object: object.id,
        pointer,
        message,
        help: None,
        related: Vec::new(),
        severity: None,
    }
}
