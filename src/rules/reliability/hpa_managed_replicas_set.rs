use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads (Deployment, StatefulSet, ReplicaSet, Rollout) that
    /// set `spec.replicas` while a HorizontalPodAutoscaler among the objects
    /// linted together scales them.
    ///
    /// ## Why is this bad?
    /// The autoscaler owns the replica count. Every `kubectl apply`, Helm
    /// upgrade or GitOps sync resets it to the manifest's value, so a
    /// Deployment scaled to 12 under load drops back to 2 in the middle of a
    /// release, and the autoscaler has to scale it up again while pods are
    /// already overloaded.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   replicas: 2
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
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
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
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ```
    pub HpaManagedReplicasSet => {
        id: "REL103",
        name: "hpa-managed-replicas-set",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::ReplicatedWorkload],
        summary: "a workload scaled by an autoscaler also sets `spec.replicas`",
        remediation: "Remove `spec.replicas` and let the autoscaler's `minReplicas` set the floor.",
        equivalents: &["kube-score:deployment-targeted-by-hpa-does-not-have-replicas-configured"],
    }
}

impl RelationRule for HpaManagedReplicasSet {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for workload in index.pod_carriers() {
            if !Kind::ReplicatedWorkload.matches(workload)
                || workload.root.path("spec/replicas").is_none()
            {
                continue;
            }
            // One finding per workload, however many autoscalers name it.
            let Some(hpa) = index.autoscalers_of(workload).into_iter().next() else {
                continue;
            };
            cx.report(
                workload,
                Pointer::root().join("spec/replicas"),
                format!(
                    "`spec.replicas` is set, but `{}` scales this {}; every apply resets its replica count",
                    hpa.name(),
                    workload.kind()
                ),
            )
            .related(
                hpa,
                Pointer::root().join("spec/scaleTargetRef"),
                "the autoscaler that scales it",
            );
        }
    }
}
