use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicies whose `spec.podSelector` is not empty and
    /// selects no pod or pod template among the objects linted together, in
    /// the policy's namespace. An empty selector (`{}`) applies to every pod
    /// of the namespace, wherever they are defined, and is not checked.
    ///
    /// ## Why is this bad?
    /// A policy that selects nothing isolates nothing: the pods it was
    /// written for accept and send traffic freely, while the policy's
    /// presence suggests they are protected. This is usually a label that
    /// changed on the workload but not in the policy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: postgres
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: db
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16.4
    /// ```
    pub NetworkPolicySelectsNothing => {
        id: "COR011",
        name: "network-policy-selects-nothing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("NetworkPolicy")],
        summary: "a NetworkPolicy's pod selector matches no pods",
        remediation: "Fix the pod selector or the pod template labels so that they agree, or lint the policy together with its workloads.",
        equivalents: &["kube-linter:dangling-networkpolicy", "kube-score:networkpolicy-targets-pod"],
    }
}

impl RelationRule for NetworkPolicySelectsNothing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for policy in index.of_kind("NetworkPolicy") {
            let Some(selector) = policy
                .root
                .path("spec/podSelector")
                .and_then(LabelSelector::parse)
            else {
                continue;
            };
            if selector.is_empty() {
                continue;
            }
            let namespace = effective_namespace(policy);
            if !index.pods_selected(namespace, &selector).is_empty() {
                continue;
            }
            cx.report(
                policy,
                Pointer::root().join("spec/podSelector"),
                format!("no pod template in namespace `{namespace}` matches `{selector}`"),
            );
        }
    }
}
