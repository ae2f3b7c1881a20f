use crate::k8s::index::{LabelSelector, pod_labels};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags replicated workloads with at least two replicas (the
    /// `min-replicas` parameter) whose pods are not kept apart across nodes:
    /// no pod anti-affinity term, required or preferred, with topology key
    /// `kubernetes.io/hostname` (the `topology-key` parameter) and a label
    /// selector that matches the pod template's own labels. A topology
    /// spread constraint over the same key with a matching selector counts
    /// too. Workloads that leave `replicas` unset (one replica, or owned by
    /// an autoscaler) are not checked.
    ///
    /// ## Why is this bad?
    /// The scheduler may put every replica on the same node. Losing that
    /// node then takes the whole workload down at once, and the replicas
    /// bought no availability.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       affinity:
    ///         podAntiAffinity:
    ///           preferredDuringSchedulingIgnoredDuringExecution:
    ///             - weight: 100
    ///               podAffinityTerm:
    ///                 topologyKey: kubernetes.io/hostname
    ///                 labelSelector:
    ///                   matchLabels: {app: web}
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    pub MissingPodAntiAffinity => {
        id: "REL023",
        name: "missing-pod-anti-affinity",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::ReplicatedWorkload],
        summary: "nothing keeps a workload's replicas off the same node",
        remediation: "Add a `podAntiAffinity` term (preferred is usually enough) with `topologyKey: kubernetes.io/hostname` and a `labelSelector` matching the pod template's labels.",
        equivalents: &["kube-linter:no-anti-affinity", "kube-score:deployment-has-host-podantiaffinity", "kube-score:statefulset-has-host-podantiaffinity"],
    }
}

impl ObjectRule for MissingPodAntiAffinity {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let min_replicas: i64 = cx.param("min-replicas", 2);
        let topology_key: String = cx.param("topology-key", "kubernetes.io/hostname".to_owned());
        let Some(replicas) = object.root.path("spec/replicas").and_then(Node::as_i64) else {
            return;
        };
        if replicas < min_replicas {
            return;
        }
        let Some((spec_pointer, spec)) = extract::pod_spec(object) else {
            return;
        };
        let labels: Vec<(&str, &str)> = pod_labels(object).collect();
        let namespace = object.namespace();
        let anti = spec.path("affinity/podAntiAffinity");
        let preferred = anti
            .and_then(|a| a.get("preferredDuringSchedulingIgnoredDuringExecution"))
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p.get("podAffinityTerm"));
        let required = anti
            .and_then(|a| a.get("requiredDuringSchedulingIgnoredDuringExecution"))
            .map(Node::items)
            .unwrap_or_default()
            .iter();
        let spreads = spec.list("topologySpreadConstraints").iter();
        let keeps_apart = |term: &Node, check_namespaces: bool| {
            term.get("topologyKey").and_then(Node::scalar_text) == Some(topology_key.as_str())
                && term
                    .get("labelSelector")
                    .and_then(LabelSelector::parse)
                    .is_some_and(|s| s.matches(&labels))
                && (!check_namespaces || covers_namespace(term, namespace))
        };
        if preferred.chain(required).any(|t| keeps_apart(t, true))
            || spreads.into_iter().any(|t| keeps_apart(t, false))
        {
            return;
        }
        let pointer = if anti.is_some() {
            spec_pointer.join("affinity/podAntiAffinity")
        } else {
            spec_pointer.child("affinity")
        };
        cx.report(
            object,
            pointer,
            format!(
                "the {} runs {replicas} replicas but nothing keeps them on different nodes",
                object.kind()
            ),
        );
    }
}

/// Whether an affinity term applies to pods in the workload's own
/// namespace: it names no namespaces, or names that one. A workload with
/// no namespace of its own is given the benefit of the doubt.
fn covers_namespace(term: &Node, namespace: &str) -> bool {
    let Some(namespaces) = term.get("namespaces").map(Node::items) else {
        return true;
    };
    namespaces.is_empty()
        || namespace.is_empty()
        || namespaces
            .iter()
            .any(|n| n.scalar_text() == Some(namespace))
}
