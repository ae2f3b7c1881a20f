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
//! A document that carries a strategic-merge directive (`$patch: delete`,
//! `$setElementOrder/containers`, ...) is a patch wherever it is found, and
//! kustomize's own files (`Kustomization`, `Component`) configure the build
//! and never reach a cluster: neither is an object.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use crate::source::discover::lexically_normal;
use crate::yaml::Node;
use crate::yaml::parse::{Limits, parse_stream};

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
