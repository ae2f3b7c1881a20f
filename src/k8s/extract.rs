//! Finding the parts of an object that many rules look at: the pod spec,
//! the pod template's labels, and every container with its pointer.

use super::Object;
use super::kinds::pod_spec_path;
use crate::yaml::{Node, Pointer};

/// Which list a container is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerKind {
    /// `containers`: the application.
    Regular,
    /// `initContainers`: run to completion before the others start.
    Init,
    /// `ephemeralContainers`: debugging containers added at run time.
    Ephemeral,
}

impl ContainerKind {
    /// The field of the pod spec that holds this list.
    fn list(self) -> &'static str {
        match self {
            ContainerKind::Regular => "containers",
            ContainerKind::Init => "initContainers",
            ContainerKind::Ephemeral => "ephemeralContainers",
        }
    }
}

/// A container and where it is.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    /// The container's mapping.
    pub node: &'a Node,
    /// Which list it is in.
    pub kind: ContainerKind,
    /// `name`, or an empty string.
    pub name: &'a str,
    /// Where the pod spec is in the object (`spec/template/spec`).
    spec_path: &'static str,
    /// The container's position in its list.
    index: usize,
}

impl Container<'_> {
    /// Pointer to the container, relative to the object.
    pub fn pointer(&self) -> Pointer {
        self.field("")
    }

    /// Pointer to a field of the container (`securityContext/privileged`).
    ///
    /// Pointers are made when asked for: rules list the containers of an
    /// object many times over and report on few of them.
    pub fn field(&self, relative: &str) -> Pointer {
        let mut pointer = Pointer::with_capacity(self.spec_path.len() + relative.len() + 32);
        pointer.push_path(self.spec_path);
        pointer.push(self.kind.list());
        pointer.push(self.index);
        pointer.push_path(relative);
        pointer
    }

    /// Whether the container runs beside the application rather than before it
    /// (init containers do not serve traffic and need no probes).
    pub fn is_long_running(&self) -> bool {
        match self.kind {
            ContainerKind::Regular => true,
            // A restartable init container is a sidecar.
            ContainerKind::Init => {
                self.node.path("restartPolicy").and_then(Node::scalar_text) == Some("Always")
            }
            ContainerKind::Ephemeral => false,
        }
    }
}

/// The pod spec of an object and its pointer.
pub fn pod_spec(object: &Object) -> Option<(Pointer, &Node)> {
    let (path, node) = pod_spec_at(object)?;
    Some((Pointer::root().join(path), node))
}

/// The pod spec of an object and its `/`-separated path, for callers that
/// need a pointer only now and then.
pub fn pod_spec_at(object: &Object) -> Option<(&'static str, &Node)> {
    let path = pod_spec_path(object)?;
    let node = object.root.path(path)?;
    node.as_map()?;
    Some((path, node))
}

/// The pod template's metadata (`spec.template.metadata`), for workloads,
/// and its pointer; a Pod's own metadata.
pub fn template_metadata(object: &Object) -> Option<(Pointer, &Node)> {
    let (path, node) = template_metadata_at(object)?;
    Some((Pointer::root().join(path), node))
}

/// [`template_metadata`] without the pointer, which the object index and
/// suppressions do not need for each of their many lookups.
pub fn template_metadata_node(object: &Object) -> Option<&Node> {
    template_metadata_at(object).map(|(_, node)| node)
}

/// The pod template's metadata and its `/`-separated path, for callers
/// that need a pointer only now and then.
pub fn template_metadata_at(object: &Object) -> Option<(&'static str, &Node)> {
    // The metadata beside each pod spec `pod_spec_path` knows of.
    let path = match pod_spec_path(object)? {
        "spec" => "metadata",
        "template/spec" => "template/metadata",
        "spec/template/spec" => "spec/template/metadata",
        "spec/jobTemplate/spec/template/spec" => "spec/jobTemplate/spec/template/metadata",
        _ => return None,
    };
    Some((path, object.root.path(path)?))
}

/// Every container of a pod-spec carrier: regular, init and ephemeral.
pub fn containers(object: &Object) -> Vec<Container<'_>> {
    let Some((spec_path, spec)) = pod_spec_at(object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for kind in [
        ContainerKind::Regular,
        ContainerKind::Init,
        ContainerKind::Ephemeral,
    ] {
        let listed = spec.get(kind.list()).map(Node::items).unwrap_or_default();
        for (index, node) in listed.iter().enumerate() {
            out.push(Container {
                node,
                kind,
                name: node
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                spec_path,
                index,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::k8s::object::{DocumentContent, classify};
    use crate::k8s::{ObjectId, ObjectRef};
    use crate::source::FileId;
    use crate::yaml::parse::first_tree;

    fn object(text: &str) -> Object {
        let DocumentContent::Objects(mut found, _) = classify(first_tree(text)) else {
            panic!("not an object: {text}");
        };
        let (base, root, identity): (Pointer, Node, ObjectRef) = found.remove(0);
        let id = ObjectId {
            file: FileId(0),
            ordinal: 0,
        };
        Object::new(id, 0, base, root, identity)
    }

    #[test]
    fn every_pod_spec_has_its_metadata_found() {
        let cases = [
            (
                "v1",
                "Pod",
                "metadata: {labels: {app: a}}\nspec: {}",
                "/metadata",
            ),
            (
                "v1",
                "PodTemplate",
                "metadata: {name: t}\ntemplate: {metadata: {labels: {app: a}}, spec: {}}",
                "/template/metadata",
            ),
            (
                "apps/v1",
                "Deployment",
                "metadata: {name: d}\nspec: {template: {metadata: {labels: {app: a}}, spec: {}}}",
                "/spec/template/metadata",
            ),
            (
                "batch/v1",
                "CronJob",
                "metadata: {name: c}\nspec: {jobTemplate: {spec: {template: {metadata: {labels: {app: a}}, spec: {}}}}}",
                "/spec/jobTemplate/spec/template/metadata",
            ),
        ];
        for (api_version, kind, body, pointer) in cases {
            let object = object(&format!(
                "apiVersion: {api_version}\nkind: {kind}\n{body}\n"
            ));
            assert!(pod_spec(&object).is_some(), "{kind}");
            let (found, node) = template_metadata(&object).expect(kind);
            assert_eq!(found.as_str(), pointer);
            assert!(node.get("labels").is_some(), "{kind}");
            assert!(template_metadata_node(&object).is_some(), "{kind}");
        }
    }
}
