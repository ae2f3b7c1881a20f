use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads selected by a Service whose pods cannot shut down
    /// gracefully: `terminationGracePeriodSeconds: 0`, no `preStop` hook on
    /// any long-running container, or a grace period no longer than the
    /// preStop hook's sleep. Off by default, since few manifests have
    /// preStop hooks yet; `plimsoll audit` always weighs it.
    ///
    /// ## Why is this bad?
    /// When a pod is terminated, the kubelet sends SIGTERM at the same time as
    /// the endpoints controller removes the pod from its Services; proxies and
    /// load balancers learn of it a little later. A process that exits at
    /// once drops the requests still routed to it. A short preStop sleep lets
    /// the removal propagate first, so killing a pod goes unnoticed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web}
    /// spec: {selector: {app: web}, ports: [{port: 80}]}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: web, labels: {app: web}}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/web:1.0.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web}
    /// spec: {selector: {app: web}, ports: [{port: 80}]}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: web, labels: {app: web}}
    /// spec:
    ///   terminationGracePeriodSeconds: 30
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/web:1.0.0
    ///       lifecycle:
    ///         preStop:
    ///           exec: {command: ["sleep", "5"]}
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub NoGracefulShutdown => {
        id: "DEC033",
        name: "no-graceful-shutdown",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a served pod has no time to leave the endpoints before it stops",
        remediation: "Add a `lifecycle.preStop` hook that waits a few seconds (`sleep: {seconds: 5}`) and keep `terminationGracePeriodSeconds` longer than that wait plus the time to finish requests.",
        equivalents: &[],
        enabled: false,
    }
}

impl RelationRule for NoGracefulShutdown {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::Transience]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let transience = index.transience();
        for workload in index.pod_carriers() {
            for problem in transience
                .no_graceful_shutdown(workload)
                .into_iter()
                .collect::<Vec<_>>()
            {
                cx.report(workload, problem.pointer, problem.message);
            }
        }
    }
}
