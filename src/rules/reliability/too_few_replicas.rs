use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags replicated workloads whose `spec.replicas` is below a minimum,
    /// three unless the `minimum` parameter says otherwise (Polaris's
    /// `deploymentMissingReplicas` uses two). Workloads that leave
    /// `replicas` unset are not checked, since an autoscaler may own the
    /// count, nor are workloads deliberately scaled to zero. Off by default.
    ///
    /// ## Why is this bad?
    /// With one replica every rollout, node drain or crash is an outage;
    /// with two, one disruption leaves a single pod carrying all the load.
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
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    pub TooFewReplicas => {
        id: "REL020",
        name: "too-few-replicas",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::ReplicatedWorkload],
        summary: "a replicated workload runs fewer replicas than the configured minimum",
        remediation: "Raise `spec.replicas` to the minimum (three by default), or let an autoscaler own it.",
        equivalents: &["kube-linter:minimum-three-replicas", "polaris:deploymentMissingReplicas", "kube-score:deployment-replicas"],
        enabled: false,
    }
}

impl ObjectRule for TooFewReplicas {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let minimum: i64 = cx.param("minimum", 3);
        let Some(replicas) = object.root.path("spec/replicas").and_then(Node::as_i64) else {
            return;
        };
        if replicas == 0 || replicas >= minimum {
            return;
        }
        let noun = if replicas == 1 { "replica" } else { "replicas" };
        cx.report(
            object,
            Pointer::root().join("spec/replicas"),
            format!(
                "the {} runs {replicas} {noun}, fewer than the minimum of {minimum}",
                object.kind()
            ),
        );
    }
}
