//! Local schema catalogues named with kubeconform's `--schema-location`
//! templates, so existing catalogues (a kubernetes-json-schema checkout, the
//! CRDs-catalog layout) work unchanged.
//!
//! Only local paths are accepted: plimsoll never uses the network, so a URL
//! is refused when the options are read, with a hint to download it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::Draft;
use serde_json::Value;

use super::KubeVersion;
use super::catalog::{KindSchema, single_def};
use super::instance::Yaml;

/// The path kubeconform appends to a location that is not itself a template
/// ending in `json`.
const DEFAULT_LAYOUT: &str = "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json";

/// One `--schema-location`: a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaLocation {
    template: String,
}

impl std::str::FromStr for SchemaLocation {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.starts_with("http://") || text.starts_with("https://") {
            return Err(format!(
                "`{text}` is a URL, and plimsoll never uses the network; download the catalogue and pass its directory"
            ));
        }
        let template = if text.ends_with("json") {
            text.to_owned()
        } else {
            format!("{}{DEFAULT_LAYOUT}", text.trim_end_matches('/'))
        };
        let location = SchemaLocation { template };
        location.path("apps/v1", "Deployment", KubeVersion { minor: 0 }, true)?;
        Ok(location)
    }
}

impl SchemaLocation {
    /// The file this location names for a kind, as kubeconform computes it:
    /// `ResourceKind` is the lowercased kind, `Group` the part of the
    /// apiVersion before `/` (the whole apiVersion for the core group),
    /// `ResourceAPIVersion` the part after it, and `KindSuffix`
    /// `-<first label of the group>-<version>`.
    pub fn path(
        &self,
        api_version: &str,
        kind: &str,
        version: KubeVersion,
        strict: bool,
    ) -> Result<PathBuf, String> {
        let (group, resource_version) = api_version
            .rsplit_once('/')
            .unwrap_or((api_version, api_version));
        let first_label = group
            .split('.')
            .next()
            .unwrap_or(group)
            .to_ascii_lowercase();
        let kind_suffix = if api_version.contains('/') {
            format!("-{first_label}-{}", resource_version.to_ascii_lowercase())
        } else {
            format!("-{first_label}")
        };
        let mut out = String::new();
        let mut rest = self.template.as_str();
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find("}}")
                .ok_or_else(|| format!("unclosed `{{{{` in schema location `{}`", self.template))?;
            let name = rest[start + 2..start + end].trim().trim_start_matches('.');
            let value = match name {
                "NormalizedKubernetesVersion" => format!("v1.{}.0", version.minor),
                "StrictSuffix" => if strict { "-strict" } else { "" }.to_owned(),
                "ResourceKind" => kind.to_ascii_lowercase(),
                "ResourceAPIVersion" => resource_version.to_owned(),
                "Group" => group.to_owned(),
                "KindSuffix" => kind_suffix.clone(),
                other => {
                    return Err(format!(
                        "unknown variable `{other}` in schema location `{}`",
                        self.template
                    ));
                }
            };
            out.push_str(&value);
            rest = &rest[start + end + 2..];
        }
        out.push_str(rest);
        Ok(PathBuf::from(out))
    }
}

/// What a set of locations holds for one kind.
pub enum Found {
    /// A compiled schema.
    Schema(Arc<KindSchema>),
    /// A file exists but is not a usable schema; the text says why.
    Broken(String),
    /// No location has a file for the kind.
    Nothing,
}

type Cell = Arc<OnceLock<Option<Result<Arc<KindSchema>, String>>>>;

/// Schemas read from locations during one run, each file read and compiled once.
pub struct LocationCatalog {
    locations: Vec<SchemaLocation>,
    version: KubeVersion,
    strict: bool,
    cache: Mutex<HashMap<(String, String), Cell>>,
}

impl LocationCatalog {
    /// A catalog over `locations`, tried in order.
    pub fn new(locations: Vec<SchemaLocation>, version: KubeVersion, strict: bool) -> Self {
        Self {
            locations,
            version,
            strict,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The schema of `kind` in `api_version` from the first location that has one.
    pub fn find(&self, api_version: &str, kind: &str) -> Found {
        if self.locations.is_empty() {
            return Found::Nothing;
        }
        let cell = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache
                .entry((api_version.to_owned(), kind.to_owned()))
                .or_default()
                .clone()
        };
        match cell.get_or_init(|| self.load(api_version, kind)) {
            Some(Ok(schema)) => Found::Schema(schema.clone()),
            Some(Err(why)) => Found::Broken(why.clone()),
            None => Found::Nothing,
        }
    }

    fn load(&self, api_version: &str, kind: &str) -> Option<Result<Arc<KindSchema>, String>> {
        self.locations.iter().find_map(|location| {
            let path = location
                .path(api_version, kind, self.version, self.strict)
                .ok()?;
            let text = std::fs::read_to_string(&path).ok()?;
            Some(compile(&path, &text))
        })
    }
}

fn compile(path: &std::path::Path, text: &str) -> Result<Arc<KindSchema>, String> {
    let shown = path.display();
    let schema: Value = serde_json::from_str(text)
        .map_err(|e| format!("the schema `{shown}` is not valid JSON: {e}"))?;
    let validator = jsonschema::options_for::<Yaml>()
        .with_draft(Draft::Draft4)
        .offline()
        .build(&schema)
        .map_err(|e| {
            format!("the schema `{shown}` cannot be used: {e} (references are never fetched)")
        })?;
    Ok(Arc::new(KindSchema {
        validator,
        defs: single_def("location", schema),
        root: "location".to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(template: &str, api_version: &str, kind: &str) -> String {
        let location: SchemaLocation = template.parse().unwrap();
        location
            .path(api_version, kind, KubeVersion { minor: 30 }, true)
            .unwrap()
            .display()
            .to_string()
    }

    #[test]
    fn kubeconform_templates_expand_as_kubeconform_does() {
        assert_eq!(
            path("/schemas", "apps/v1", "Deployment"),
            "/schemas/v1.30.0-standalone-strict/deployment-apps-v1.json"
        );
        assert_eq!(
            path("/schemas", "v1", "Pod"),
            "/schemas/v1.30.0-standalone-strict/pod-v1.json"
        );
        assert_eq!(
            path(
                "/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json",
                "monitoring.coreos.com/v1",
                "ServiceMonitor"
            ),
            "/crds/monitoring.coreos.com/servicemonitor_v1.json"
        );
        assert_eq!(
            path(
                "/s/{{ .ResourceKind }}{{ .KindSuffix }}.json",
                "cert-manager.io/v1",
                "Certificate"
            ),
            "/s/certificate-cert-manager-v1.json"
        );
    }

    #[test]
    fn urls_and_bad_templates_are_refused() {
        assert!(
            "https://example.com/schemas"
                .parse::<SchemaLocation>()
                .unwrap_err()
                .contains("never uses the network")
        );
        assert!(
            "/s/{{ .Nope }}.json"
                .parse::<SchemaLocation>()
                .unwrap_err()
                .contains("unknown variable")
        );
        assert!(
            "/s/{{ .ResourceKind .json"
                .parse::<SchemaLocation>()
                .is_err()
        );
    }
}
