use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags HorizontalPodAutoscalers whose `minReplicas` (1 when unset) is
    /// below a minimum: two unless the `minimum` parameter says otherwise
    /// (kube-linter's `hpa-minimum-three-replicas` uses three). An
    /// explicit `minReplicas: 0` (scale to zero) is left alone.
    ///
    /// ## Why is this bad?
    /// At low load the autoscaler shrinks the workload to `minReplicas`. At
    /// one replica, a node drain, a crash or a rollout takes the service down
    /// until a new pod is ready, exactly when nobody is watching.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
    ///   maxReplicas: 10
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
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    pub HpaMinReplicasTooLow => {
        id: "REL021",
        name: "hpa-min-replicas-too-low",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::Named("HorizontalPodAutoscaler")],
        summary: "an autoscaler may scale its workload down to a single replica",
        remediation: "Set `spec.minReplicas` to at least 2 (or the configured minimum).",
        equivalents: &["kube-linter:hpa-minimum-three-replicas", "polaris:hpaMinAvailability", "kube-score:horizontalpodautoscaler-replicas"],
    }
}

impl ObjectRule for HpaMinReplicasTooLow {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let minimum: i64 = cx.param("minimum", 2);
        let set = object.root.path("spec/minReplicas");
        let min_replicas = match set {
            Some(node) => match node.as_i64() {
                Some(n) => n,
                None => return,
            },
            None => 1,
        };
        if min_replicas == 0 || min_replicas >= minimum {
            return;
        }
        let message = if set.is_some() {
            format!(
                "the autoscaler may scale down to {min_replicas}, fewer than the minimum of {minimum} replicas"
            )
        } else {
            format!(
                "the autoscaler sets no `minReplicas`, so it may scale down to 1, fewer than the minimum of {minimum} replicas"
            )
        };
        cx.report(object, Pointer::root().join("spec/minReplicas"), message);
    }
}
