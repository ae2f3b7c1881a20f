use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Deployments (and ReplicaSets, ReplicationControllers, Argo
    /// Rollouts, DeploymentConfigs) that keep state on the node they run on:
    /// a `hostPath` volume, a claim bound to a local PersistentVolume (`local`
    /// or `hostPath`, or a storage class whose name contains `local`), or a
    /// writable `emptyDir` mounted where applications keep data (`…/data`,
    /// `/var/lib/…`, `…/db`, `…/uploads`, `…/storage`, `…/state`).
    /// Memory-backed `emptyDir`s, read-only mounts, mounts of sidecars
    /// (`istio-proxy`, …) and host paths that give node access rather than
    /// hold state (`/dev`, `/sys`, `/proc`, `/run`, `/etc`, …) are not flagged.
    ///
    /// ## Why is this bad?
    /// A Deployment's pods are interchangeable and may be replaced on any
    /// node at any time. State on the node is lost when the pod moves, or
    /// pins the pod to the node, so killing a pod loses data.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: uploads
    /// spec:
    ///   replicas: 2
    ///   selector:
    ///     matchLabels: {app: uploads}
    ///   template:
    ///     metadata:
    ///       labels: {app: uploads}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: registry.example.com/uploads:1.0.0
    ///           volumeMounts: [{name: files, mountPath: /srv/uploads}]
    ///       volumes:
    ///         - name: files
    ///           hostPath: {path: /mnt/uploads}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: uploads
    /// spec:
    ///   replicas: 2
    ///   selector:
    ///     matchLabels: {app: uploads}
    ///   template:
    ///     metadata:
    ///       labels: {app: uploads}
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: registry.example.com/uploads:1.0.0
    ///           volumeMounts: [{name: files, mountPath: /srv/uploads}]
    ///       volumes:
    ///         - name: files
    ///           persistentVolumeClaim: {claimName: uploads}
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub NodeLocalState => {
        id: "DEC031",
        name: "node-local-state",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a Deployment keeps state on its node",
        remediation: "Keep state in a PersistentVolumeClaim of a network storage class or an external store, or run the workload as a StatefulSet.",
        equivalents: &[],
    }
}

impl RelationRule for NodeLocalState {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::Transience]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let transience = index.transience();
        for workload in index.pod_carriers() {
            for problem in transience.node_local_state(workload) {
                cx.report(workload, problem.pointer, problem.message);
            }
        }
    }
}
