use crate::rules::efficiency::quantity;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers that request more CPU than the parameter `max-cpu`
    /// (default 4 cores) or more memory than `max-memory` (default `8Gi`).
    ///
    /// ## Why is this bad?
    /// A service that needs a large slice of a node is usually a monolith: it
    /// scales only in big steps, fits on few nodes, and losing one pod loses
    /// a large share of the capacity. It is also slow to reschedule after a
    /// node fails.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: erp
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/erp:9.1.0
    ///       resources:
    ///         requests: {cpu: "12", memory: 48Gi}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: orders
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/orders:2.0.0
    ///       resources:
    ///         requests: {cpu: 500m, memory: 512Mi}
    /// ```
    pub OversizedRequests => {
        id: "DEC052",
        name: "oversized-requests",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container requests more CPU or memory than a microservice should",
        remediation: "Split the work into smaller services that scale out, or raise the thresholds for workloads that must be big (databases).",
        equivalents: &[],
    }
}

impl ObjectRule for OversizedRequests {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let max_cpu = quantity::parse(&cx.param("max-cpu", "4".to_owned())).unwrap_or(4.0);
        let max_memory = quantity::parse(&cx.param("max-memory", "8Gi".to_owned()))
            .unwrap_or(8.0 * 1024f64.powi(3));
        for container in extract::containers(object) {
            for (resource, limit, shown) in
                [("cpu", max_cpu, "CPU"), ("memory", max_memory, "memory")]
            {
                let Some(text) = container
                    .node
                    .path("resources/requests")
                    .and_then(|r| r.get(resource))
                    .and_then(Node::scalar_text)
                else {
                    continue;
                };
                if quantity::parse(text).is_some_and(|v| v > limit) {
                    cx.report(
                        object,
                        container.field(&format!("resources/requests/{resource}")),
                        format!("container `{}` requests {text} of {shown}, more than a microservice should need", container.name),
                    );
                }
            }
        }
    }
}
