use super::pod_disruption_budget_blocks_eviction::{
    Budget, budget, hpa_min_replicas, selected_workloads,
};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags PodDisruptionBudgets whose `minAvailable` (a count) is greater
    /// than the `minReplicas` of the HorizontalPodAutoscaler that scales a
    /// workload the budget selects, among the objects linted together.
    /// (A percentage of the current replicas can never exceed them.)
    ///
    /// ## Why is this bad?
    /// Whenever the autoscaler scales the workload down toward its minimum,
    /// the budget cannot be met: it reports zero allowed disruptions, node
    /// drains and upgrades hang, and the budget suggests an availability the
    /// autoscaler was told not to keep.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: api
    /// spec:
    ///   minAvailable: 3
    ///   selector:
    ///     matchLabels:
    ///       app: api
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: api
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: api
    ///   minReplicas: 2
    ///   maxReplicas: 10
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
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: api
    /// spec:
    ///   minAvailable: 2
    ///   selector:
    ///     matchLabels:
    ///       app: api
    /// ---
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: api
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: api
    ///   minReplicas: 3
    ///   maxReplicas: 10
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
    /// ```
    pub PdbMinAvailableExceedsHpaMin => {
        id: "REL102",
        name: "pdb-min-available-exceeds-hpa-min",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::Named("PodDisruptionBudget")],
        summary: "a PodDisruptionBudget's minAvailable exceeds the autoscaler's minReplicas",
        remediation: "Lower `minAvailable` below the autoscaler's `minReplicas`, raise `minReplicas`, or use `maxUnavailable` instead.",
        equivalents: &["polaris:pdbMinAvailableGreaterThanHPAMinReplicas"],
    }
}

impl RelationRule for PdbMinAvailableExceedsHpaMin {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for pdb in index.of_kind("PodDisruptionBudget") {
            let Some(Budget::Count(min_available)) =
                pdb.root.path("spec/minAvailable").and_then(budget)
            else {
                continue;
            };
            let mut reported = std::collections::HashSet::new();
            for workload in selected_workloads(index, pdb) {
                for hpa in index.autoscalers_of(workload) {
                    let min_replicas = hpa_min_replicas(hpa);
                    if min_available <= min_replicas {
                        continue;
                    }
                    let message = format!(
                        "`minAvailable: {min_available}` exceeds `minReplicas: {min_replicas}` of `{}`, which scales {} `{}`",
                        hpa.name(),
                        workload.kind(),
                        workload.name()
                    );
                    // Same-named objects from several files: one finding.
                    if !reported.insert(message.clone()) {
                        continue;
                    }
                    cx.report(pdb, Pointer::root().join("spec/minAvailable"), message)
                        .related(
                            hpa,
                            Pointer::root().join("spec/minReplicas"),
                            "the autoscaler's minimum replica count",
                        );
                }
            }
        }
    }
}
