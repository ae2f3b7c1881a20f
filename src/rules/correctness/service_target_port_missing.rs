use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Service ports whose `targetPort` is a name that no container of
    /// the selected pods declares (`ports[].name`). Only the pod templates
    /// linted together with the Service are looked at, and a Service whose
    /// selector matches none of them is left to `service-selects-nothing`.
    /// Numeric target ports are not checked: a container's `ports` list is
    /// informational, and a process may listen on a port it does not declare.
    ///
    /// No peer relates the two sides (kube-linter's `invalid-target-ports`
    /// only checks that port names are well-formed, and kube-score's
    /// `container-ports-check` looks at one container at a time), so
    /// this check is plimsoll's own.
    ///
    /// ## Why is this bad?
    /// A named target port is resolved on each pod. When no container
    /// declares the name, the pod is left out of the Service's endpoints, so
    /// the Service has no endpoints for that port and connections are refused
    /// even though the pods run and are ready.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///     - port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/api:2.3.1
    ///           ports:
    ///             - name: web
    ///               containerPort: 8080
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///     - port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/api:2.3.1
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
    /// ```
    pub ServiceTargetPortMissing => {
        id: "COR013",
        name: "service-target-port-missing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("Service")],
        summary: "a Service's named target port is not a port of the selected pods",
        remediation: "Name the container port as the Service's `targetPort` says, or point `targetPort` at an existing port name or number.",
        equivalents: &[],
    }
}

impl RelationRule for ServiceTargetPortMissing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for service in index.of_kind("Service") {
            if service.is_external_name_service() {
                continue;
            }
            let selector = LabelSelector::from_map(service.root.path("spec/selector"));
            if selector.is_empty() {
                continue;
            }
            let ports = service
                .root
                .path("spec/ports")
                .map(Node::items)
                .unwrap_or_default();
            let named: Vec<(usize, &str)> = ports
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Some((i, p.get("targetPort")?.as_str()?)))
                // A quoted number is not a port name (names need a letter);
                // the API server rejects it, and schema validation says so.
                .filter(|(_, name)| !name.bytes().all(|b| b.is_ascii_digit()))
                .collect();
            if named.is_empty() {
                continue;
            }
            let pods = index.pods_selected(effective_namespace(service), &selector);
            if pods.is_empty() {
                continue;
            }
            for (i, name) in named {
                if pods.iter().any(|pod| declares_port(pod, name)) {
                    continue;
                }
                let report = cx.report(
                    service,
                    Pointer::root()
                        .join("spec/ports")
                        .child(i)
                        .child("targetPort"),
                    format!("no container of the selected pods has a port named `{name}`"),
                );
                for pod in pods.iter().take(3) {
                    let pointer = extract::pod_spec(pod)
                        .map(|(p, _)| p.child("containers"))
                        .unwrap_or_default();
                    report.related(pod, pointer, "containers of a selected pod template");
                }
            }
        }
    }
}

/// Whether a container that serves for the pod's lifetime declares a port
/// named `name`.
fn declares_port(pod: &Object, name: &str) -> bool {
    extract::containers(pod)
        .iter()
        .filter(|c| c.is_long_running())
        .flat_map(|c| c.node.list("ports"))
        .any(|port| port.get("name").and_then(Node::scalar_text) == Some(name))
}
