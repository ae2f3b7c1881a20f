use std::collections::HashSet;

use super::pod_disruption_budget_blocks_eviction::{replicas, selected_workloads};
use crate::k8s::ObjectId;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments and StatefulSets that run more than one replica, or
    /// are scaled by a HorizontalPodAutoscaler, and whose pods no
    /// PodDisruptionBudget among the objects linted together selects (same
    /// namespace, selector matching the pod template's labels). Single-replica
    /// workloads are not flagged: a budget cannot keep one pod available
    /// through a drain without blocking it.
    ///
    /// ## Why is this bad?
    /// Without a budget, a node drain or a cluster-autoscaler scale-down may
    /// evict every replica at once (they often share a node or a zone), and
    /// the service goes down during routine maintenance even though it runs
    /// several replicas.
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
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
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
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ---
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ```
    pub MissingPodDisruptionBudget => {
        id: "REL100",
        name: "missing-pod-disruption-budget",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::Named("Deployment"), Kind::Named("StatefulSet")],
        summary: "a replicated workload has no PodDisruptionBudget",
        remediation: "Add a PodDisruptionBudget with `maxUnavailable: 1` whose selector matches the pod template's labels.",
        equivalents: &["polaris:missingPodDisruptionBudget", "kube-score:deployment-has-poddisruptionbudget", "kube-score:statefulset-has-poddisruptionbudget"],
    }
}

impl RelationRule for MissingPodDisruptionBudget {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        // Each budget marks the workloads it selects, so the cost is the
        // number of selected pods, not budgets times workloads.
        let covered: HashSet<ObjectId> = index
            .of_kind("PodDisruptionBudget")
            .flat_map(|pdb| selected_workloads(index, pdb))
            .map(|w| w.id)
            .collect();
        for kind in ["Deployment", "StatefulSet"] {
            for workload in index.of_kind(kind) {
                if covered.contains(&workload.id) {
                    continue;
                }
                let autoscalers = index.autoscalers_of(workload);
                let count = replicas(workload);
                let message = match autoscalers.first() {
                    Some(hpa) => format!(
                        "no PodDisruptionBudget selects the pods of this {kind}, which `{}` scales",
                        hpa.name()
                    ),
                    None if count > 1 => format!(
                        "no PodDisruptionBudget selects the {count} replicas of this {kind}"
                    ),
                    None => continue,
                };
                let pointer = match workload.root.path("spec/replicas") {
                    Some(_) if autoscalers.is_empty() => Pointer::root().join("spec/replicas"),
                    _ => Pointer::root().join("metadata/name"),
                };
                let report = cx.report(workload, pointer, message);
                if let Some(hpa) = autoscalers.first() {
                    report.related(
                        hpa,
                        Pointer::root().join("spec/scaleTargetRef"),
                        "the autoscaler that scales it",
                    );
                }
            }
        }
    }
}
