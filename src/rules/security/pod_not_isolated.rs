use std::collections::HashSet;

use crate::k8s::ObjectId;
use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods and workloads that no NetworkPolicy isolates for ingress:
    /// no policy in their namespace, among the objects linted together,
    /// selects their pods with an `Ingress` policy type. Pods on the host
    /// network, which policies do not apply to, are skipped.
    ///
    /// By default the rule looks only at namespaces where the run defines at
    /// least one NetworkPolicy. A run without any policy for a namespace
    /// usually gets its isolation from elsewhere (a platform team's
    /// default-deny policy, a cluster-wide Calico or Cilium policy), and
    /// flagging every workload there is the noise that made kube-linter ship
    /// its `non-isolated-pod` disabled. Where the run does manage policies,
    /// a workload none of them selects is almost always a new workload or a
    /// changed label that the policies missed. Set the parameter
    /// `every-namespace: true` to check namespaces without policies too, and
    /// `require-egress: true` to also require an `Egress` policy, as
    /// kube-score and Polaris do.
    ///
    /// ## Why is this bad?
    /// A pod no policy selects accepts connections from every pod in the
    /// cluster. One compromised workload can then reach it directly, which
    /// is exactly what the namespace's other policies were written to
    /// prevent.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: admin
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: admin
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: admin
    ///     spec:
    ///       containers:
    ///         - name: admin
    ///           image: registry.example.com/admin:1.0.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny-ingress
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: admin
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: admin
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: admin
    ///     spec:
    ///       containers:
    ///         - name: admin
    ///           image: registry.example.com/admin:1.0.2
    /// ```
    pub PodNotIsolated => {
        id: "SEC100",
        name: "pod-not-isolated",
        category: Security,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "no NetworkPolicy isolates a workload's pods",
        remediation: "Add a NetworkPolicy that selects the pods (a namespace-wide default-deny with `podSelector: {}` covers new workloads too).",
        equivalents: &["kube-linter:non-isolated-pod", "polaris:missingNetworkPolicy", "kube-score:pod-networkpolicy"],
    }
}

impl RelationRule for PodNotIsolated {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let every_namespace: bool = cx.param("every-namespace", false);
        let require_egress: bool = cx.param("require-egress", false);
        let mut with_policies: HashSet<&str> = HashSet::new();
        let mut ingress: HashSet<ObjectId> = HashSet::new();
        let mut egress: HashSet<ObjectId> = HashSet::new();
        for policy in index.of_kind("NetworkPolicy") {
            let namespace = effective_namespace(policy);
            with_policies.insert(namespace);
            let Some(selector) = policy
                .root
                .path("spec/podSelector")
                .and_then(LabelSelector::parse)
            else {
                continue;
            };
            let (isolates_ingress, isolates_egress) = policy_types(policy);
            for pod in index.pods_selected(namespace, &selector) {
                if isolates_ingress {
                    ingress.insert(pod.id);
                }
                if isolates_egress {
                    egress.insert(pod.id);
                }
            }
        }
        for workload in index.pod_carriers() {
            let namespace = effective_namespace(workload);
            if !every_namespace && !with_policies.contains(namespace) {
                continue;
            }
            let Some((spec_pointer, spec)) = extract::pod_spec(workload) else {
                continue;
            };
            if spec.get("hostNetwork").and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let direction = if !ingress.contains(&workload.id) {
                "ingress"
            } else if require_egress && !egress.contains(&workload.id) {
                "egress"
            } else {
                continue;
            };
            let pointer = match extract::template_metadata(workload) {
                Some((meta, node)) if node.get("labels").is_some() => meta.child("labels"),
                Some((meta, _)) => meta,
                None => spec_pointer,
            };
            let report = cx.report(
                workload,
                pointer,
                format!(
                    "no NetworkPolicy in namespace `{namespace}` selects these pods for {direction}"
                ),
            );
            for policy in index.of_kind_in("NetworkPolicy", namespace).iter().take(2) {
                report.related(
                    policy,
                    Pointer::root().join("spec/podSelector"),
                    "this NetworkPolicy selects other pods",
                );
            }
        }
    }
}

/// Whether a policy isolates the pods it selects for ingress and for
/// egress: its `policyTypes`, or when unset, ingress always and egress when
/// it has `egress` rules.
fn policy_types(policy: &Object) -> (bool, bool) {
    let Some(types) = policy.root.path("spec/policyTypes") else {
        return (true, policy.root.path("spec/egress").is_some());
    };
    let has = |t: &str| types.items().iter().any(|n| n.scalar_text() == Some(t));
    (has("Ingress"), has("Egress"))
}
