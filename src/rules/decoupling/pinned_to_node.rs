use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods and workloads (DaemonSets excepted) that can only run on one
    /// node: `spec.nodeName` set, a `nodeSelector` on `kubernetes.io/hostname`,
    /// or a required node affinity whose only terms select one
    /// `kubernetes.io/hostname`.
    ///
    /// ## Why is this bad?
    /// When that node is drained, fails or is replaced, the pods cannot be
    /// scheduled anywhere else and the service stays down until someone edits
    /// the manifest. Node names also differ per cluster, so the manifest is
    /// bound to one environment.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cache
    /// spec:
    ///   nodeSelector:
    ///     kubernetes.io/hostname: worker-3
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/cache:1.0.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: cache
    /// spec:
    ///   nodeSelector:
    ///     node.example.com/pool: memory-optimized
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/cache:1.0.0
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub PinnedToNode => {
        id: "DEC032",
        name: "pinned-to-node",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a workload's pods are pinned to a single node",
        remediation: "Remove `nodeName` and host-name selectors; select nodes by a label that several nodes share (a pool, a zone, a GPU type).",
        equivalents: &[],
    }
}

impl RelationRule for PinnedToNode {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::Transience]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let transience = index.transience();
        for workload in index.pod_carriers() {
            for problem in transience
                .pinned_to_node(workload)
                .into_iter()
                .collect::<Vec<_>>()
            {
                cx.report(workload, problem.pointer, problem.message);
            }
        }
    }
}
