use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags PodDisruptionBudgets that allow no voluntary disruption at all:
    /// `maxUnavailable: 0` (or `0%`), `minAvailable: 100%`, or a
    /// `minAvailable` that is at least the replica count of a workload it
    /// selects among the objects linted together. Workloads without
    /// `spec.replicas` are skipped, since their count is set elsewhere. Percentages are rounded up
    /// as the disruption controller rounds them (`minAvailable: 90%` of 5
    /// replicas is 5). For a workload scaled by a HorizontalPodAutoscaler the
    /// autoscaler's `minReplicas` is the count that matters; a budget *above*
    /// it is reported by `pdb-min-available-exceeds-hpa-min` instead.
    ///
    /// ## Why is this bad?
    /// Every eviction of the selected pods is refused, so `kubectl drain`,
    /// cluster autoscaler scale-downs and node upgrades hang until someone
    /// deletes the budget by hand, which defeats its purpose. A budget that
    /// lets one pod go at a time keeps the same availability during
    /// maintenance.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   minAvailable: 3
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ---
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
    /// apiVersion: policy/v1
    /// kind: PodDisruptionBudget
    /// metadata:
    ///   name: web
    /// spec:
    ///   maxUnavailable: 1
    ///   selector:
    ///     matchLabels:
    ///       app: web
    /// ---
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
    pub PodDisruptionBudgetBlocksEviction => {
        id: "REL101",
        name: "pod-disruption-budget-blocks-eviction",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::Named("PodDisruptionBudget")],
        summary: "a PodDisruptionBudget allows no voluntary disruption",
        remediation: "Allow at least one disruption: `maxUnavailable: 1`, or a `minAvailable` below the replica count.",
        equivalents: &["polaris:pdbDisruptionsIsZero", "kube-linter:pdb-max-unavailable", "kube-linter:pdb-min-available"],
    }
}

impl RelationRule for PodDisruptionBudgetBlocksEviction {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for pdb in index.of_kind("PodDisruptionBudget") {
            if let Some(value) = pdb.root.path("spec/maxUnavailable") {
                if matches!(budget(value), Some(Budget::Count(0) | Budget::Percent(0))) {
                    cx.report(
                        pdb,
                        Pointer::root().join("spec/maxUnavailable"),
                        format!(
                            "`maxUnavailable: {}` allows no pod to be evicted",
                            value.scalar_text().unwrap_or("0")
                        ),
                    );
                }
                continue;
            }
            let Some(min_available) = pdb.root.path("spec/minAvailable").and_then(budget) else {
                continue;
            };
            let pointer = Pointer::root().join("spec/minAvailable");
            if let Budget::Percent(p) = min_available
                && p >= 100
            {
                cx.report(
                    pdb,
                    pointer,
                    format!("`minAvailable: {p}%` allows no pod to be evicted"),
                );
                continue;
            }
            let mut reported = std::collections::HashSet::new();
            for workload in selected_workloads(index, pdb) {
                let (replicas, source, source_pointer) =
                    match index.autoscalers_of(workload).first() {
                        Some(hpa) => (
                            hpa_min_replicas(hpa),
                            *hpa,
                            Pointer::root().join("spec/minReplicas"),
                        ),
                        // Without `spec.replicas` the count is whatever the
                        // cluster has; kube-linter skips these too.
                        None if workload.root.path("spec/replicas").is_none() => continue,
                        None => (
                            replicas(workload),
                            workload,
                            Pointer::root().join("spec/replicas"),
                        ),
                    };
                if replicas < 1 {
                    continue;
                }
                let required = min_available.of(replicas);
                let scaled = !std::ptr::eq(source, workload);
                // Above an autoscaler's minimum is the other rule's finding.
                let blocks = if scaled {
                    required == replicas
                } else {
                    required >= replicas
                };
                if !blocks {
                    continue;
                }
                let pods = match replicas {
                    1 => "the only pod".to_owned(),
                    n => format!("all {n} pods"),
                };
                let at_minimum = if scaled {
                    " at the autoscaler's minimum"
                } else {
                    ""
                };
                let message = format!(
                    "`minAvailable` keeps {pods} of {} `{}`{at_minimum}, so none can be evicted",
                    workload.kind(),
                    workload.name()
                );
                // Same-named workloads from several files: one finding.
                if !reported.insert(message.clone()) {
                    continue;
                }
                let note = if scaled {
                    "the autoscaler's minimum replica count"
                } else {
                    "the workload's replica count"
                };
                cx.report(pdb, pointer.clone(), message)
                    .related(source, source_pointer, note);
            }
        }
    }
}

/// An `IntOrString` budget: a count or a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Budget {
    Count(i64),
    Percent(i64),
}

impl Budget {
    /// The number of pods this budget means for `replicas` pods; percentages
    /// round up, as the disruption controller rounds them.
    pub(super) fn of(self, replicas: i64) -> i64 {
        match self {
            Budget::Count(n) => n,
            Budget::Percent(p) => (replicas * p + 99) / 100,
        }
    }
}

/// Reads `3` or `"50%"`; anything else is invalid and left to schema checks.
pub(super) fn budget(node: &Node) -> Option<Budget> {
    if let Some(n) = node.as_i64() {
        return Some(Budget::Count(n));
    }
    let percent = node.as_str()?.strip_suffix('%')?;
    percent.parse().ok().map(Budget::Percent)
}

/// The replicated workloads (Deployment, StatefulSet, ReplicaSet, ...)
/// whose pods a PodDisruptionBudget selects, in file order. A budget
/// without a selector selects nothing in `policy/v1`.
pub(super) fn selected_workloads<'a>(index: &ObjectIndex<'a>, pdb: &Object) -> Vec<&'a Object> {
    let Some(selector) = pdb
        .root
        .path("spec/selector")
        .and_then(LabelSelector::parse)
    else {
        return Vec::new();
    };
    index
        .pods_selected(effective_namespace(pdb), &selector)
        .into_iter()
        .filter(|o| Kind::ReplicatedWorkload.matches(o))
        .collect()
}

/// `spec.replicas`, which defaults to 1.
pub(super) fn replicas(workload: &Object) -> i64 {
    workload
        .root
        .path("spec/replicas")
        .and_then(Node::as_i64)
        .unwrap_or(1)
}

/// An autoscaler's `spec.minReplicas`, which defaults to 1.
pub(super) fn hpa_min_replicas(hpa: &Object) -> i64 {
    hpa.root
        .path("spec/minReplicas")
        .and_then(Node::as_i64)
        .unwrap_or(1)
}
