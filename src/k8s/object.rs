//! Kubernetes objects cut out of YAML documents.
//!
//! A document is an object when it is a mapping with string `apiVersion` and
//! `kind`. A `kind: List` (or any `*List` with `items`) is a wrapper, not an
//! object: each item becomes an object of its own, located at its own span,
//! so that findings name the item and not the list.

use std::sync::Arc;

use serde::Serialize;

use crate::kustomize::Build;
use crate::source::{FileId, TextRange};
use crate::yaml::{Entry, Node, Pointer, Value};

/// Identifies an object within a run: its file and its position among that
/// file's objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    /// The file the object is in.
    pub file: FileId,
    /// Position of the object among the file's objects.
    pub ordinal: u32,
}

/// Where in its file's text each version's `openAPIV3Schema`
/// ([`crd_version_schema`]) of a CRD was, by position in `spec.versions`,
/// once [`Object::shed_crd_schemas`] dropped them from memory.
pub type ShedSchemas = Vec<Option<TextRange>>;

/// The `openAPIV3Schema` of the version at `position` in `spec.versions` of
/// the CRD whose tree is `crd`: its own, or else the older one of every
/// version (`spec.validation`).
pub fn crd_version_schema(crd: &Node, position: usize) -> Option<&Node> {
    let spec = crd.get("spec")?;
    spec.get("versions")
        .and_then(|v| v.items().get(position))
        .and_then(|v| v.path("schema/openAPIV3Schema"))
        .or_else(|| spec.path("validation/openAPIV3Schema"))
}

/// One Kubernetes object and the tree it was read from.
#[derive(Debug)]
pub struct Object {
    /// Where the object is in the run.
    pub id: ObjectId,
    /// The document of the stream it came from.
    pub document: usize,
    /// Where the object sits in its document: the root, or `/items/N` of a list.
    pub base: Pointer,
    /// The object's own tree; rule pointers are relative to it.
    pub root: Node,
    /// Identity shown in findings.
    pub identity: ObjectRef,
    /// Where the pod spec is, for pods and workloads
    /// ([`super::kinds::pod_spec_path`]).
    pub(super) pod_spec_path: Option<&'static str>,
    /// Whether a document holds the object or a kustomization generates it.
    pub origin: Origin,
    /// How the run's kustomizations change the object when they build it,
    /// if any includes its file.
    pub build: Option<Arc<Build>>,
}

/// Where an object comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A document of its file.
    Document,
    /// A generator of the kustomization in its file
    /// ([`crate::kustomize::generated`]): only relation rules and the rules
    /// about data check it, and it is not counted among the objects of the
    /// run. `keys_known` is false when some of its keys could not be read.
    Generated {
        /// Whether every key of the object is under its `data`.
        keys_known: bool,
    },
}

/// The identity of an object as users name it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectRef {
    /// `apiVersion`, such as `apps/v1`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// `kind`, such as `Deployment`.
    pub kind: String,
    /// `metadata.namespace`, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.name`, or `metadata.generateName` when only that is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ObjectRef {
    /// `Kind namespace/name`, as shown in human output.
    pub fn display(&self) -> String {
        let mut out = self.kind.clone();
        if let Some(name) = &self.name {
            out.push(' ');
            if let Some(ns) = &self.namespace {
                out.push_str(ns);
                out.push('/');
            }
            out.push_str(name);
        }
        out
    }
}

impl Object {
    /// An object of a document.
    pub fn new(
        id: ObjectId,
        document: usize,
        base: Pointer,
        root: Node,
        identity: ObjectRef,
    ) -> Self {
        let pod_spec_path =
            super::kinds::pod_spec_path_of(group_of(&identity.api_version), &identity.kind);
        Self {
            id,
            document,
            base,
            root,
            identity,
            pod_spec_path,
            origin: Origin::Document,
            build: None,
        }
    }

    /// Whether a document of the run holds the object (it is not
    /// [`Origin::Generated`]).
    pub fn is_written(&self) -> bool {
        self.origin == Origin::Document
    }

    /// Whether the object is a CustomResourceDefinition.
    pub fn is_crd(&self) -> bool {
        self.kind() == "CustomResourceDefinition" && self.group() == "apiextensions.k8s.io"
    }

    /// The `spec.group` and `spec.names.kind` a CRD defines.
    pub fn crd_defines(&self) -> Option<(&str, &str)> {
        let spec = self.root.get("spec")?;
        Some((
            spec.get("group")?.scalar_text()?,
            spec.path("names/kind")?.scalar_text()?,
        ))
    }

    /// Drops the schemas of a CRD's versions (`spec.versions[].schema` and
    /// the older `spec.validation`), keeping the rest of the object and the
    /// schemas of the served versions for which `keep(api_version, kind)`
    /// says so.
    /// Returns where in the text each dropped `openAPIV3Schema` was, by
    /// version (`None` for a version whose schema stayed, or that has none),
    /// if anything was dropped.
    ///
    /// CRD schemas are most of the bytes of a typical repository and, once
    /// the CRD itself is checked, only matter for custom resources of the
    /// same run: keeping them all until the relation phase doubled the peak
    /// memory. The engine reads again those that were dropped and are
    /// needed after all.
    pub fn shed_crd_schemas(&mut self, keep: impl Fn(&str, &str) -> bool) -> Option<ShedSchemas> {
        let (group, kind) = self.crd_defines().unwrap_or_default();
        let listed = self.root.path("spec/versions").map_or(&[][..], Node::items);
        let kept: Vec<bool> = listed
            .iter()
            .map(|version| {
                let served = version.get("served").and_then(Node::as_bool) != Some(false);
                let name = version.get("name").and_then(Node::scalar_text);
                served && name.is_some_and(|name| keep(&format!("{group}/{name}"), kind))
            })
            .collect();
        // The older schema serves every version without its own.
        let keep_shared = kept.iter().any(|k| *k);
        let spans: ShedSchemas = (0..listed.len())
            .map(|position| {
                let own = listed[position].path("schema/openAPIV3Schema").is_some();
                let stays = if own { kept[position] } else { keep_shared };
                let schema = crd_version_schema(&self.root, position)?;
                (!stays).then_some(schema.span)
            })
            .collect();
        let spec = map_entries(&mut self.root, "spec")?;
        let before = spec.len();
        if !keep_shared {
            spec.retain(|e| e.key.scalar_text() != Some("validation"));
        }
        let mut dropped = spec.len() != before;
        let versions = spec
            .iter_mut()
            .find(|e| e.key.scalar_text() == Some("versions"));
        if let Some(Value::Seq(versions)) = versions.map(|e| &mut e.value.value) {
            for (version, kept) in versions.iter_mut().zip(kept) {
                if let Value::Map(fields) = &mut version.value
                    && !kept
                {
                    let before = fields.len();
                    fields.retain(|e| e.key.scalar_text() != Some("schema"));
                    dropped |= fields.len() != before;
                }
            }
        }
        dropped.then_some(spans)
    }

    /// `kind`.
    pub fn kind(&self) -> &str {
        &self.identity.kind
    }

    /// The API group: the part of `apiVersion` before `/`, empty for the core group.
    pub fn group(&self) -> &str {
        group_of(&self.identity.api_version)
    }

    /// `metadata.name`, or an empty string.
    pub fn name(&self) -> &str {
        self.identity.name.as_deref().unwrap_or_default()
    }

    /// `metadata.namespace`, with no namespace read as the empty string.
    pub fn namespace(&self) -> &str {
        self.identity.namespace.as_deref().unwrap_or_default()
    }

    /// Whether the object is a Service of `type: ExternalName`: a DNS alias
    /// for another host, with no pods or ports of its own.
    pub fn is_external_name_service(&self) -> bool {
        self.kind() == "Service"
            && self.root.path("spec/type").and_then(Node::scalar_text) == Some("ExternalName")
    }

    /// `metadata.labels` as key and value pairs of strings.
    pub fn labels(&self) -> impl Iterator<Item = (&str, &str)> {
        string_pairs(self.root.path("metadata/labels"))
    }

    /// The value of an annotation.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.root
            .path("metadata/annotations")?
            .get(key)?
            .scalar_text()
    }
}

/// The API group of an `apiVersion`: `apps` for `apps/v1`, empty for the
/// core group's `v1`.
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// The string-to-string pairs of a mapping such as `labels` or `matchLabels`.
pub fn string_pairs(node: Option<&Node>) -> impl Iterator<Item = (&str, &str)> {
    node.map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.key.scalar_text()?, e.value.scalar_text()?)))
}

/// What a document turned out to be.
pub enum DocumentContent {
    /// One or more objects (a list yields its items), and the list items
    /// that are not objects, with their spans.
    Objects(Vec<(Pointer, Node, ObjectRef)>, Vec<TextRange>),
    /// An empty document: `---` with nothing or only comments after it.
    Empty,
    /// YAML that is not a Kubernetes object; the text says why.
    NotAnObject(&'static str),
}

/// Splits a document into objects.
pub fn classify(root: Node) -> DocumentContent {
    if root.is_null() {
        return DocumentContent::Empty;
    }
    if root.as_map().is_none() {
        return DocumentContent::NotAnObject("the document is not a mapping");
    }
    let Some(identity) = identity_of(&root) else {
        return DocumentContent::NotAnObject("the document has no string `apiVersion` and `kind`");
    };
    if identity.kind.ends_with("List") && root.get("items").is_some_and(|n| n.as_seq().is_some()) {
        return split_list(root);
    }
    DocumentContent::Objects(vec![(Pointer::root(), root, identity)], Vec::new())
}

fn split_list(root: Node) -> DocumentContent {
    let crate::yaml::Value::Map(entries) = root.value else {
        return DocumentContent::Empty;
    };
    let Some(items) = entries
        .into_iter()
        .find_map(|e| (e.key.scalar_text() == Some("items")).then_some(e.value))
    else {
        return DocumentContent::Empty;
    };
    let crate::yaml::Value::Seq(items) = items.value else {
        return DocumentContent::Empty;
    };
    let base = Pointer::root().child("items");
    let mut objects = Vec::new();
    let mut rejected = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match identity_of(&item) {
            Some(identity) => objects.push((base.child(i), item, identity)),
            None => rejected.push(item.span),
        }
    }
    DocumentContent::Objects(objects, rejected)
}

/// The entries of mapping `key` in mapping `node`, for editing.
fn map_entries<'a>(node: &'a mut Node, key: &str) -> Option<&'a mut Vec<Entry>> {
    let Value::Map(entries) = &mut node.value else {
        return None;
    };
    let entry = entries
        .iter_mut()
        .find(|e| e.key.scalar_text() == Some(key))?;
    match &mut entry.value.value {
        Value::Map(inner) => Some(inner),
        _ => None,
    }
}

fn identity_of(root: &Node) -> Option<ObjectRef> {
    let api_version = root.get("apiVersion")?.as_str()?.to_owned();
    let kind = root.get("kind")?.as_str()?.to_owned();
    let metadata = root.get("metadata");
    let field = |name: &str| {
        metadata
            .and_then(|m| m.get(name))
            .and_then(Node::scalar_text)
            .map(str::to_owned)
    };
    Some(ObjectRef {
        api_version,
        kind,
        namespace: field("namespace"),
        name: field("name").or_else(|| field("generateName")),
    })
}
