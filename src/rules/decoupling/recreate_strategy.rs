use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments with `spec.strategy.type: Recreate`.
    ///
    /// ## Why is this bad?
    /// `Recreate` stops every pod before any new one starts, so each rollout
    /// is an outage, and it is usually chosen because the pods share node or
    /// volume state that a transient service should not have.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   strategy:
    ///     type: Recreate
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
    ///   strategy:
    ///     type: RollingUpdate
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
    pub RecreateStrategy => {
        id: "DEC034",
        name: "recreate-strategy",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a Deployment uses the Recreate strategy",
        remediation: "Use the default `RollingUpdate` strategy; if two versions cannot run side by side, make them able to (schema migrations that are backwards compatible, feature flags).",
        equivalents: &[],
    }
}

impl RelationRule for RecreateStrategy {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::Transience]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let transience = index.transience();
        for workload in index.pod_carriers() {
            for problem in transience
                .recreate_strategy(workload)
                .into_iter()
                .collect::<Vec<_>>()
            {
                cx.report(workload, problem.pointer, problem.message);
            }
        }
    }
}
