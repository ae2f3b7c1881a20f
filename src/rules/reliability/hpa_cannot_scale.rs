use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags HorizontalPodAutoscalers whose `maxReplicas` is not above
    /// `minReplicas` (1 when unset).
    ///
    /// ## Why is this bad?
    /// An autoscaler whose maximum equals its minimum never scales: the
    /// workload runs a fixed count while the manifest promises elasticity,
    /// and load spikes hit a ceiling nobody meant to set. A maximum below
    /// the minimum is rejected by the API server.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 3
    ///   maxReplicas: 3
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   minReplicas: 3
    ///   maxReplicas: 10
    /// ```
    pub HpaCannotScale => {
        id: "REL022",
        name: "hpa-cannot-scale",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::Named("HorizontalPodAutoscaler")],
        summary: "an autoscaler's `maxReplicas` is not above its `minReplicas`",
        remediation: "Raise `spec.maxReplicas` above `spec.minReplicas`, or replace the autoscaler with a fixed `replicas` count.",
        equivalents: &["polaris:hpaMaxAvailability"],
    }
}

impl ObjectRule for HpaCannotScale {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let Some(max) = object.root.path("spec/maxReplicas").and_then(Node::as_i64) else {
            return;
        };
        let min = match object.root.path("spec/minReplicas") {
            Some(node) => match node.as_i64() {
                Some(n) => n,
                None => return,
            },
            None => 1,
        };
        if max > min {
            return;
        }
        let message = if max == min {
            format!(
                "the autoscaler can never scale: `maxReplicas` and `minReplicas` are both {max}"
            )
        } else {
            format!("`maxReplicas` ({max}) is below `minReplicas` ({min})")
        };
        cx.report(object, Pointer::root().join("spec/maxReplicas"), message);
    }
}
