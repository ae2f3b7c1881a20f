use crate::decoupling::graph::node_name;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads that depend on each other in a cycle through their
    /// Services: A's configuration addresses a Service that selects B, and
    /// B's (directly or through others) one that selects A. Each cycle is
    /// reported once, on its first workload, with the others related.
    /// Addresses are found as for `service-reference-missing`.
    ///
    /// ## Why is this bad?
    /// Services in a cycle cannot be deployed, started, scaled or reasoned
    /// about on their own: a failure in one cascades around the loop, and
    /// neither can start while the other is down. It is usually a sign that
    /// two services are one, or that an event should replace a call.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: orders}
    /// spec: {selector: {app: orders}, ports: [{port: 80}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: billing}
    /// spec: {selector: {app: billing}, ports: [{port: 80}]}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: orders, labels: {app: orders}}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/orders:1.0.0
    ///       env: [{name: BILLING_URL, value: "http://billing"}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: billing, labels: {app: billing}}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/billing:1.0.0
    ///       env: [{name: ORDERS_URL, value: "http://orders"}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: orders}
    /// spec: {selector: {app: orders}, ports: [{port: 80}]}
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: billing}
    /// spec: {selector: {app: billing}, ports: [{port: 80}]}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: orders, labels: {app: orders}}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/orders:1.0.0
    ///       env: [{name: BILLING_URL, value: "http://billing"}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: billing, labels: {app: billing}}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/billing:1.0.0
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub ServiceDependencyCycle => {
        id: "DEC022",
        name: "service-dependency-cycle",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "workloads depend on each other in a cycle",
        remediation: "Break the cycle: merge the services, move the shared part into a third one, or replace one direction of calls with events.",
        equivalents: &[],
    }
}

impl RelationRule for ServiceDependencyCycle {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::ServiceGraph]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let graph = index.graph();
        for cycle in graph.cycles() {
            let names: Vec<String> = cycle.iter().map(|w| format!("`{}`", w.name())).collect();
            let first = cycle[0];
            let report = cx.report(
                first,
                Pointer::root().join("metadata/name"),
                format!("{} depend on each other in a cycle", names.join(", ")),
            );
            for other in &cycle[1..] {
                report.related(
                    other,
                    Pointer::root().join("metadata/name"),
                    format!("{} is part of the cycle", node_name(other)),
                );
            }
        }
    }
}
