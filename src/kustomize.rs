//! The patches of kustomize overlays, which look like objects but are not.
//!
//! A kustomization lists, beside the objects it builds from (`resources`),
//! files that only change them: strategic-merge patches (`patches`,
//! `patchesStrategicMerge`) are partial objects, and JSON 6902 patches
//! (`patchesJson6902`) lists of operations. Linted on their own, a patch
//! that sets one image lacks probes, resources and required fields that
//! its base has, so every check of a whole object is wrong about it. The
//! files a kustomization of the run names as patches are therefore read
//! (their YAML must still parse) but give no objects; the base they patch
//! is linted, and `kustomize build | plimsoll lint -` lints the result.
//!
//! A kustomization's generators (`configMapGenerator`, `secretGenerator`)
//! define ConfigMaps and Secrets that no file of the run holds. Built, they
//! sit beside the resources that refer to them, so the run knows them as
//! [`generated`] objects: relation rules see them, nothing checks them, and
//! nothing is reported on them.
//!
//! A document that carries a strategic-merge directive (`$patch: delete`,
//! `$setElementOrder/containers`, ...) is a patch wherever it is found, and
//! kustomize's own files (`Kustomization`, `Component`) configure the build
//! and never reach a cluster: neither is an object.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use compact_str::CompactString;

use crate::k8s::ObjectRef;
use crate::source::TextRange;
use crate::source::discover::lexically_normal;
use crate::yaml::parse::{Limits, parse_stream};
use crate::yaml::{Entry, Node, Scalar, ScalarStyle, Value};

/// The names kustomize looks for in a directory.
const KUSTOMIZATION_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Keys of a strategic-merge patch that no object has: the text is
/// searched for them before any tree is walked.
const DIRECTIVES: [&str; 4] = [
    "$patch",
    "$setElementOrder/",
    "$retainKeys",
    "$deleteFromPrimitiveList/",
];

/// Whether `path` names a kustomization.
fn is_kustomization(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| KUSTOMIZATION_NAMES.iter().any(|k| name == *k))
}

/// The files a run's kustomizations name as patches.
#[derive(Default)]
pub struct Patches {
    paths: HashSet<PathBuf>,
    /// Their file names: most files are ruled out by name, without the
    /// cost of making their paths [`lexically_normal`].
    names: HashSet<OsString>,
}

impl Patches {
    /// Whether `path` is one of the patches.
    pub fn contains(&self, path: &Path) -> bool {
        path.file_name()
            .is_some_and(|name| self.names.contains(name))
            && self.paths.contains(&lexically_normal(path))
    }
}

impl FromIterator<PathBuf> for Patches {
    fn from_iter<I: IntoIterator<Item = PathBuf>>(paths: I) -> Self {
        let mut patches = Patches::default();
        for path in paths {
            patches.names.extend(path.file_name().map(OsStr::to_owned));
            patches.paths.insert(path);
        }
        patches
    }
}

/// The files that the kustomization at `path`, of text `text`, names as
/// patches, as [`lexically_normal`] paths; none when `path` is not a kustomization.
pub fn listed_patches(path: &Path, text: &str) -> Vec<PathBuf> {
    if !is_kustomization(path) {
        return Vec::new();
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    parse_stream(text, &Limits::default())
        .documents
        .iter()
        .flat_map(|document| patch_paths(&document.root))
        .map(|listed| lexically_normal(&dir.join(listed)))
        .collect()
}

/// The paths a kustomization's patch lists name. `patches` and
/// `patchesJson6902` take `{path: ...}` entries; `patchesStrategicMerge`
/// takes paths or inline patches, told apart by a line break.
fn patch_paths(kustomization: &Node) -> Vec<&str> {
    let mut paths = Vec::new();
    for key in ["patches", "patchesJson6902"] {
        for entry in kustomization.list(key) {
            paths.extend(entry.get("path").and_then(Node::as_str));
        }
    }
    for entry in kustomization.list("patchesStrategicMerge") {
        paths.extend(entry.as_str().filter(|text| !text.contains('\n')));
    }
    paths
}

/// Whether a document of this `apiVersion` configures kustomize itself: a
/// `kustomization.yaml` of either kind.
pub fn is_build_file(api_version: &str) -> bool {
    api_version.starts_with("kustomize.config.k8s.io/")
}

/// A ConfigMap or Secret that a kustomization generates.
pub struct Generated {
    /// The object as the build makes it, without values: `apiVersion`,
    /// `kind`, `metadata` and the keys under `data`. Every node points at
    /// the generator entry, or at the line that names its key.
    pub root: Node,
    /// Its identity.
    pub identity: ObjectRef,
    /// Whether all its keys are known: the keys of an `envs` file that
    /// could not be read are not.
    pub keys_known: bool,
}

/// The ConfigMaps and Secrets the kustomization `kustomization` generates.
/// `dir` is its directory, where the `envs` files that list keys are read
/// (at most `max_file_size` bytes each); `None` for standard input.
///
/// Kustomize adds a hash of the content to each name and rewrites the
/// references of the build's resources to match, so the name written in
/// the generator is the one resources refer to.
pub fn generated(kustomization: &Node, dir: Option<&Path>, max_file_size: u64) -> Vec<Generated> {
    let mut out = Vec::new();
    for (list, kind) in [
        ("configMapGenerator", "ConfigMap"),
        ("secretGenerator", "Secret"),
    ] {
        for entry in kustomization.list(list) {
            let Some(name) = entry.get("name").filter(|n| n.as_str().is_some()) else {
                continue;
            };
            // Not the kustomization's `namespace`: the build moves its
            // resources there too, but the run lints them where they are
            // written, and the generated object must be where they look.
            let namespace = entry
                .get("namespace")
                .filter(|n| n.as_str().is_some_and(|ns| !ns.is_empty()));
            let (keys, mut keys_known) = generator_keys(entry, dir, max_file_size);
            // A merge adds keys to the base's object of the same name, which
            // the run may not hold.
            keys_known &= entry.get("behavior").and_then(Node::as_str) != Some("merge");
            let at = entry.span;
            let mut metadata = vec![text_entry("name", name.clone(), at)];
            metadata.extend(namespace.map(|ns| text_entry("namespace", ns.clone(), at)));
            let data = keys
                .into_iter()
                .map(|(key, span)| Entry {
                    key: text(key, span),
                    value: text("".into(), span),
                })
                .collect();
            let root = map(
                vec![
                    text_entry("apiVersion", text("v1".into(), at), at),
                    text_entry("kind", text(kind.into(), at), at),
                    Entry {
                        key: text("metadata".into(), at),
                        value: map(metadata, at),
                    },
                    Entry {
                        key: text("data".into(), at),
                        value: map(data, at),
                    },
                ],
                at,
            );
            out.push(Generated {
                identity: ObjectRef {
                    api_version: "v1".to_owned(),
                    kind: kind.to_owned(),
                    namespace: namespace.and_then(Node::as_str).map(str::to_owned),
                    name: name.as_str().map(str::to_owned),
                },
                root,
                keys_known,
            });
        }
    }
    out
}

/// The keys a generator entry gives its object, each with the span of the
/// item that names it, and whether those are all of them.
fn generator_keys(
    entry: &Node,
    dir: Option<&Path>,
    max_file_size: u64,
) -> (Vec<(CompactString, TextRange)>, bool) {
    let mut keys = Vec::new();
    // `KEY=value`; the value is never kept.
    for literal in entry.list("literals") {
        if let Some((key, _)) = literal.as_str().and_then(|l| l.split_once('=')) {
            keys.push((key.trim().into(), literal.span));
        }
    }
    // `path` gives the key of its file name, `key=path` the key `key`.
    for file in entry.list("files") {
        if let Some(listed) = file.as_str() {
            let key = match listed.split_once('=') {
                Some((key, _)) => key,
                None => listed.rsplit('/').next().unwrap_or(listed),
            };
            keys.push((key.trim().into(), file.span));
        }
    }
    let mut keys_known = true;
    // `envs` (and the older single `env`) name files of `KEY=value` lines.
    let env_files = entry.list("envs").iter().chain(entry.get("env"));
    for file in env_files {
        let text = file
            .as_str()
            .zip(dir)
            .map(|(listed, dir)| dir.join(listed))
            .filter(|path| {
                std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() <= max_file_size)
            })
            .and_then(|path| std::fs::read_to_string(path).ok());
        let Some(text) = text else {
            keys_known = false;
            continue;
        };
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let key = line.split_once('=').map_or(line, |(key, _)| key).trim();
            keys.push((key.into(), file.span));
        }
    }
    (keys, keys_known)
}

fn text(content: CompactString, span: TextRange) -> Node {
    Node {
        span,
        value: Value::Scalar(Scalar::new(content, ScalarStyle::DoubleQuoted, None)),
    }
}

fn text_entry(key: &str, value: Node, span: TextRange) -> Entry {
    Entry {
        key: text(key.into(), span),
        value,
    }
}

fn map(entries: Vec<Entry>, span: TextRange) -> Node {
    Node {
        span,
        value: Value::Map(entries),
    }
}

/// Whether `text` may hold a strategic-merge directive: one pass for the
/// rare `$` before [`is_patch_document`] walks trees.
pub fn may_hold_directives(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'$', bytes).any(|at| {
        DIRECTIVES
            .iter()
            .any(|d| bytes[at..].starts_with(d.as_bytes()))
    })
}

/// Whether a document carries a strategic-merge directive at any depth.
pub fn is_patch_document(root: &Node) -> bool {
    if let Some(entries) = root.as_map() {
        return entries.iter().any(|entry| {
            entry
                .key
                .as_str()
                .is_some_and(|key| DIRECTIVES.iter().any(|d| key.starts_with(d)))
                || is_patch_document(&entry.value)
        });
    }
    root.as_seq()
        .is_some_and(|items| items.iter().any(is_patch_document))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch_files(files: &[(&str, &str)]) -> Patches {
        files
            .iter()
            .flat_map(|(path, text)| listed_patches(Path::new(path), text))
            .collect()
    }

    fn patches_of(files: &[(&str, &str)]) -> Vec<String> {
        let patches = patch_files(files);
        assert!(patches.paths.iter().all(|p| patches.contains(p)));
        let mut found: Vec<String> = patches
            .paths
            .into_iter()
            .map(|p| p.display().to_string())
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_patch_list_names_files_relative_to_its_kustomization() {
        let kustomization = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [../../base]
patches:
  - path: replicas.yaml
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
    target: {kind: Deployment}
patchesStrategicMerge:
  - ./patches/memory.yaml
  - |-
    apiVersion: apps/v1
    kind: Deployment
patchesJson6902:
  - path: ../shared/ops.yaml
    target: {kind: Service, name: web}
";
        assert_eq!(
            patches_of(&[
                ("deploy/overlays/prod/kustomization.yaml", kustomization),
                ("deploy/overlays/prod/replicas.yaml", "kind: Deployment\n"),
            ]),
            [
                "deploy/overlays/prod/patches/memory.yaml",
                "deploy/overlays/prod/replicas.yaml",
                "deploy/overlays/shared/ops.yaml",
            ]
        );
        let patches = patch_files(&[("deploy/kustomization.yaml", kustomization)]);
        assert!(patches.contains(Path::new("./deploy/replicas.yaml")));
        assert!(!patches.contains(Path::new("deploy/base/replicas.yaml")));
        // Only a kustomization's own name makes it one.
        assert!(patches_of(&[("deploy/patches.yaml", kustomization)]).is_empty());
    }

    /// Each generated object as `Kind namespace/name: keys (known|partial)`.
    fn generated_from(text: &str, dir: Option<&Path>) -> Vec<String> {
        let stream = parse_stream(text, &Limits::default());
        generated(&stream.documents[0].root, dir, 1 << 20)
            .into_iter()
            .map(|g| {
                let keys: Vec<&str> = g
                    .root
                    .get("data")
                    .map(Node::entries)
                    .unwrap_or_default()
                    .iter()
                    .map(|e| e.key.as_str().unwrap())
                    .collect();
                format!(
                    "{} {}/{}: {} ({})",
                    g.identity.kind,
                    g.identity.namespace.as_deref().unwrap_or("-"),
                    g.identity.name.as_deref().unwrap_or("-"),
                    keys.join(","),
                    if g.keys_known { "known" } else { "partial" }
                )
            })
            .collect()
    }

    #[test]
    fn generators_make_objects_with_the_keys_they_list() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("db.env"),
            "# comment\n\nDB_USER=app\nDB_PASSWORD = s3cret\nFROM_ENVIRONMENT\n",
        )
        .unwrap();
        let kustomization = "\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
configMapGenerator:
  - name: settings
    literals: [LOG_LEVEL=info, \"EMPTY=\"]
    files: [conf/app.toml, motd=banner.txt]
  - name: extra
    namespace: tools
    behavior: merge
    literals: [MORE=1]
  - literals: [NO_NAME=1]
secretGenerator:
  - name: db
    envs: [db.env]
  - name: elsewhere
    env: missing.env
";
        // The kustomization's `namespace` is not applied (see `generated`);
        // a merge adds to keys the run may not know.
        assert_eq!(
            generated_from(kustomization, Some(dir.path())),
            [
                "ConfigMap -/settings: LOG_LEVEL,EMPTY,app.toml,motd (known)",
                "ConfigMap tools/extra: MORE (partial)",
                "Secret -/db: DB_USER,DB_PASSWORD,FROM_ENVIRONMENT (known)",
                "Secret -/elsewhere:  (partial)",
            ]
        );
        // Standard input has no directory to read env files from.
        assert_eq!(
            generated_from(kustomization, None)[2],
            "Secret -/db:  (partial)"
        );
    }

    #[test]
    fn generated_objects_keep_no_values() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("db.env"), "DB_PASSWORD=s3cret\n").unwrap();
        let text =
            "secretGenerator:\n  - name: db\n    envs: [db.env]\n    literals: [TOKEN=abc123]\n";
        let stream = parse_stream(text, &Limits::default());
        let made = generated(&stream.documents[0].root, Some(dir.path()), 1 << 20);
        let shown = format!("{:?}", made[0].root);
        assert!(
            !shown.contains("s3cret") && !shown.contains("abc123"),
            "{shown}"
        );
    }

    #[test]
    fn directives_mark_patch_documents_at_any_depth() {
        let patch = |text: &str| {
            let stream = parse_stream(text, &Limits::default());
            assert!(may_hold_directives(text));
            is_patch_document(&stream.documents[0].root)
        };
        assert!(patch(
            "kind: Deployment\nmetadata: {name: web}\n$patch: delete\n"
        ));
        assert!(patch(
            "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          $patch: delete\n"
        ));
        assert!(patch(
            "spec:\n  $setElementOrder/containers:\n    - name: web\n"
        ));
        // A value that mentions one is not one.
        assert!(!patch("kind: ConfigMap\ndata:\n  note: $patch\n"));
        assert!(!may_hold_directives("kind: ConfigMap\n"));
    }
}
