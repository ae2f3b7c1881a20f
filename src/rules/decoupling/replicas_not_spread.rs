use crate::decoupling::workload::Transience;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags replicated workloads with two or more replicas (or an
    /// autoscaler's `minReplicas` of two or more) that have neither
    /// `topologySpreadConstraints` nor a pod anti-affinity. Off by default:
    /// the scheduler spreads replicas on its own in most clusters; enable it
    /// where it does not.
    ///
    /// ## Why is this bad?
    /// Replicas on one node all go down with it, so a node drain or failure
    /// still takes the service down despite its replicas.
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
    ///       topologySpreadConstraints:
    ///         - maxSkew: 1
    ///           topologyKey: kubernetes.io/hostname
    ///           whenUnsatisfiable: ScheduleAnyway
    ///           labelSelector:
    ///             matchLabels: {app: web}
    ///       containers:
    ///         - name: app
    ///           image: registry.example.com/web:1.0.0
    /// ```
    pub ReplicasNotSpread => {
        id: "DEC035",
        name: "replicas-not-spread",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "the replicas of a workload may all land on one node",
        remediation: "Add a `topologySpreadConstraints` entry on `kubernetes.io/hostname` (and `topology.kubernetes.io/zone`) or a preferred pod anti-affinity.",
        equivalents: &["kube-linter:no-anti-affinity", "kube-score:deployment-has-host-podantiaffinity"],
        enabled: false,
    }
}

impl RelationRule for ReplicasNotSpread {
    fn check(&self, index: &ObjectIndex<'_>, cx: &mut Reports<'_>) {
        let transience = Transience::new(index);
        for workload in index.pod_carriers() {
            for problem in transience
                .not_spread(workload)
                .into_iter()
                .collect::<Vec<_>>()
            {
                cx.report(workload, problem.pointer, problem.message);
            }
        }
    }
}
