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

/// A container and where it is.
#[derive(Debug, Clone)]
pub struct Container<'a> {
    /// The container's mapping.
    pub node: &'a Node,
    /// Pointer to the container, relative to the object.
    pub pointer: Pointer,
    /// Which list it is in.
    pub kind: ContainerKind,
    /// `name`, or an empty string.
    pub name: &'a str,
}

impl Container<'_> {
    /// Pointer to a field of the container (`securityContext/privileged`).
    pub fn field(&self, relative: &str) -> Pointer {
        self.pointer.join(relative)
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
    let path = pod_spec_path(object)?;
    let node = object.root.path(path)?;
    node.as_map()?;
    Some((Pointer::root().join(path), node))
}

/// The pod template's metadata (`spec.template.metadata`), for workloads.
pub fn template_metadata(object: &Object) -> Option<(Pointer, &Node)> {
    let path = pod_spec_path(object)?;
    let meta = path.strip_suffix("spec")?.to_owned() + "metadata";
    let meta = if meta.is_empty() {
        "metadata".to_owned()
    } else {
        meta
    };
    let node = object.root.path(&meta)?;
    Some((Pointer::root().join(&meta), node))
}

/// Every container of a pod-spec carrier: regular, init and ephemeral.
pub fn containers(object: &Object) -> Vec<Container<'_>> {
    let Some((spec_pointer, spec)) = pod_spec(object) else {
        return Vec::new();
    };
    let lists = [
        ("containers", ContainerKind::Regular),
        ("initContainers", ContainerKind::Init),
        ("ephemeralContainers", ContainerKind::Ephemeral),
    ];
    let mut out = Vec::new();
    for (list, kind) in lists {
        let list_pointer = spec_pointer.child(list);
        for (index, node) in spec
            .get(list)
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            out.push(Container {
                node,
                pointer: list_pointer.child(index),
                kind,
                name: node
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
            });
        }
    }
    out
}
