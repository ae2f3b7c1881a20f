use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments, ReplicaSets, StatefulSets and other replicated
    /// workloads that run one replica (`spec.replicas` of 1 or absent), unless
    /// a HorizontalPodAutoscaler targeting them keeps `minReplicas` at 2 or
    /// more, and bare Pods, which nothing recreates. Single-replica
    /// StatefulSets get their own message: their pod is rescheduled only
    /// after it is gone. Workloads scaled to zero are not flagged.
    ///
    /// ## Why is this bad?
    /// Every pod is killed sooner or later: node drains, upgrades, evictions,
    /// crashes. With one replica each of those is a user-visible outage, and a
    /// chaos test fails on the first try.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 1
    ///   selector:
    ///     matchLabels: {app: web}
    ///   template:
    ///     metadata:
    ///       labels: {app: web}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: registry.example.com/web:1.0.0
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
    ///       containers:
    ///         - name: app
    ///           image: registry.example.com/web:1.0.0
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub SingleReplica => {
        id: "DEC030",
        name: "single-replica",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a workload runs a single replica, so losing its pod is an outage",
        remediation: "Run at least two replicas (or an autoscaler with `minReplicas: 2`); a StatefulSet that cannot be replicated should be called out as a known single point of failure.",
        equivalents: &[],
    }
}

impl RelationRule for SingleReplica {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::Transience]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let transience = index.transience();
        for workload in index.pod_carriers() {
            for problem in transience
                .single_replica(workload)
                .into_iter()
                .collect::<Vec<_>>()
            {
                cx.report(workload, problem.pointer, problem.message);
            }
        }
    }
}
