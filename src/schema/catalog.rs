//! The schemas embedded in the binary, one compressed file per Kubernetes
//! minor version, produced by `schemas/generate.py`.
//!
//! Nothing is decompressed at start-up: a version's file is inflated the
//! first time an object needs it, and only scanned then (each definition is
//! kept as raw JSON text). Each (version, apiVersion, kind) validator is
//! built the first time it is used, from the kind's definition and the ones
//! it refers to, so a one-file pre-commit run parses and compiles only the
//! few dozen definitions it needs out of ~860. Both happen once per process,
//! however many threads ask at the same moment.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::sync::{Arc, OnceLock, RwLock};

use jsonschema::{Draft, Validator};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::KubeVersion;
use super::instance::Yaml;
use crate::k8s::object::group_of;

macro_rules! embedded_versions {
    ($($minor:literal),* $(,)?) => {
        &[$(($minor, include_bytes!(concat!("../../schemas/kubernetes/v1.", stringify!($minor), ".json.gz")))),*]
    };
}

/// The compressed schema files, oldest first.
static EMBEDDED: &[(u32, &[u8])] =
    embedded_versions![25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37];

/// The newest Kubernetes version with embedded schemas.
pub fn newest() -> KubeVersion {
    KubeVersion {
        minor: EMBEDDED.last().map_or(0, |(minor, _)| *minor),
    }
}

/// Every Kubernetes version with embedded schemas.
pub fn versions() -> impl Iterator<Item = KubeVersion> {
    EMBEDDED
        .iter()
        .map(|(minor, _)| KubeVersion { minor: *minor })
}

/// A validator and what is needed to explain its errors.
pub struct KindSchema {
    /// The compiled validator.
    pub validator: Validator<Yaml>,
    /// The definitions the validator was built from, to look up what a
    /// field should have been.
    pub defs: Defs,
    /// The definition name of the kind, such as `io.k8s.api.apps.v1.Deployment`.
    pub root: String,
}

/// Schema definitions by name: those a kind's validator was built from.
pub type Defs = Value;

/// Definitions holding one schema under `name`, moved rather than copied
/// (`json!` would serialise a deep copy of it).
pub fn single_def(name: &str, schema: Value) -> Defs {
    let mut defs = serde_json::Map::new();
    defs.insert(name.to_owned(), schema);
    Value::Object(defs)
}

/// The result of looking a kind up.
pub enum Lookup {
    /// The kind's schema.
    Found(Arc<KindSchema>),
    /// The apiVersion is built in, but has no such kind.
    UnknownKind {
        /// The closest kind name in that apiVersion.
        suggestion: Option<String>,
    },
    /// The API group is built in, but this version of it is not served.
    UnservedVersion {
        /// The apiVersion that serves the kind in the target version.
        served: Option<String>,
    },
    /// The API group is not built into Kubernetes.
    NotBuiltin,
}

/// All embedded versions, loaded on demand.
pub struct Catalog {
    versions: Vec<(u32, &'static [u8], OnceLock<Loaded>)>,
}

type ValidatorCell = Arc<OnceLock<Option<Arc<KindSchema>>>>;

struct Loaded {
    kinds: BTreeMap<String, BTreeMap<String, String>>,
    /// The API groups of `kinds`: asked for every custom resource, which
    /// belongs to none of them.
    groups: HashSet<String>,
    defs: BTreeMap<&'static str, &'static RawValue>,
    /// By apiVersion, then kind: looked up without allocating a key, under
    /// a lock every thread takes for every object.
    validators: RwLock<HashMap<String, HashMap<String, ValidatorCell>>>,
}

#[derive(Deserialize)]
struct SchemaFile {
    kinds: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(rename = "$defs", borrow)]
    defs: BTreeMap<&'static str, &'static RawValue>,
}

/// How definitions refer to each other in the embedded files.
const DEF_PREFIX: &str = "#/$defs/";

impl Catalog {
    /// The process-wide catalog.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog {
            versions: EMBEDDED
                .iter()
                .map(|(minor, bytes)| (*minor, *bytes, OnceLock::new()))
                .collect(),
        })
    }

    /// Whether schemas for `version` are embedded.
    pub fn has_version(&self, version: KubeVersion) -> bool {
        self.versions
            .iter()
            .any(|(minor, ..)| *minor == version.minor)
    }

    /// Finds the schema of `kind` in `api_version` for `version`.
    pub fn lookup(&self, version: KubeVersion, api_version: &str, kind: &str) -> Lookup {
        let Some(loaded) = self.load(version) else {
            return Lookup::NotBuiltin;
        };
        if let Some(kinds) = loaded.kinds.get(api_version) {
            let Some(name) = kinds.get(kind) else {
                let suggestion = closest(kind, kinds.keys().map(String::as_str)).map(str::to_owned);
                return Lookup::UnknownKind { suggestion };
            };
            return match loaded.validator(api_version, kind, name) {
                Some(schema) => Lookup::Found(schema),
                None => Lookup::NotBuiltin,
            };
        }
        let group = group_of(api_version);
        if !loaded.groups.contains(group) {
            return Lookup::NotBuiltin;
        }
        let served = loaded
            .kinds
            .iter()
            .find(|(av, kinds)| group_of(av) == group && kinds.contains_key(kind))
            .map(|(av, _)| av.clone());
        Lookup::UnservedVersion { served }
    }

    fn load(&self, version: KubeVersion) -> Option<&Loaded> {
        let (_, bytes, cell) = self
            .versions
            .iter()
            .find(|(minor, ..)| *minor == version.minor)?;
        Some(cell.get_or_init(|| Loaded::from_compressed(bytes)))
    }
}

impl Loaded {
    fn from_compressed(bytes: &[u8]) -> Loaded {
        let mut json = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut json)
            .expect("embedded schemas are valid gzip");
        // Inflated once per version for the life of the process; leaking lets
        // the raw definitions borrow the text.
        let json: &'static str = Box::leak(
            String::from_utf8(json)
                .expect("embedded schemas are UTF-8")
                .into_boxed_str(),
        );
        let file: SchemaFile = serde_json::from_str(json).expect("embedded schemas are valid JSON");
        let groups = file
            .kinds
            .keys()
            .map(|av| group_of(av).to_owned())
            .collect();
        Loaded {
            groups,
            kinds: file.kinds,
            defs: file.defs,
            validators: RwLock::new(HashMap::new()),
        }
    }

    /// The definition `name` and every definition it refers to, parsed.
    fn closure(&self, name: &str) -> serde_json::Map<String, Value> {
        let mut defs = serde_json::Map::new();
        let mut pending = vec![name.to_owned()];
        while let Some(name) = pending.pop() {
            if defs.contains_key(&name) {
                continue;
            }
            let Some(raw) = self.defs.get(name.as_str()) else {
                continue;
            };
            let def: Value =
                serde_json::from_str(raw.get()).expect("embedded definitions are valid JSON");
            collect_refs(&def, &mut pending);
            defs.insert(name, def);
        }
        defs
    }

    fn validator(&self, api_version: &str, kind: &str, name: &str) -> Option<Arc<KindSchema>> {
        let known = {
            let validators = self.validators.read().unwrap_or_else(|e| e.into_inner());
            validators
                .get(api_version)
                .and_then(|kinds| kinds.get(kind))
                .cloned()
        };
        let cell = known.unwrap_or_else(|| {
            let mut validators = self.validators.write().unwrap_or_else(|e| e.into_inner());
            validators
                .entry(api_version.to_owned())
                .or_default()
                .entry(kind.to_owned())
                .or_default()
                .clone()
        });
        cell.get_or_init(|| {
            let mut document = serde_json::Map::new();
            document.insert(
                "$schema".to_owned(),
                "https://json-schema.org/draft/2020-12/schema".into(),
            );
            document.insert("$ref".to_owned(), format!("{DEF_PREFIX}{name}").into());
            document.insert("$defs".to_owned(), Value::Object(self.closure(name)));
            let mut document = Value::Object(document);
            let validator = jsonschema::options_for::<Yaml>()
                .with_draft(Draft::Draft202012)
                .offline()
                .build(&document)
                .ok()?;
            Some(Arc::new(KindSchema {
                validator,
                defs: document["$defs"].take(),
                root: name.to_owned(),
            }))
        })
        .clone()
    }
}

/// Pushes the definition names that `value` refers to onto `names`.
fn collect_refs(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(target)) => {
                        if let Some(name) = target.strip_prefix(DEF_PREFIX) {
                            names.push(name.to_owned());
                        }
                    }
                    _ => collect_refs(child, names),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, names)),
        _ => {}
    }
}

/// The candidate closest to `input`, if any is close enough to be a typo.
pub fn closest<'a>(input: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| {
            (
                strsim::jaro_winkler(&input.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
