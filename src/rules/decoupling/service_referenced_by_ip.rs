use std::collections::HashSet;

use crate::decoupling::graph::Target;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags IP addresses where a workload keeps the address of a
    /// dependency: in literal `env` values, `command`/`args`, and the
    /// ConfigMaps it reads through `envFrom` or `configMapKeyRef` (as
    /// `ip:port`, in a URL, or alone in a `*_HOST`/`*_ADDR`-style variable).
    /// Loopback and `0.0.0.0` bind addresses are not flagged.
    ///
    /// ## Why is this bad?
    /// Pod and ClusterIP addresses change when objects are recreated, and an
    /// address outside the cluster changes with the environment. Services
    /// should find each other by name, through DNS; an external dependency
    /// can get a name with an `ExternalName` Service or a Service without a
    /// selector plus an EndpointSlice.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: orders}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/orders:1.0.0
    ///       env: [{name: DB_HOST, value: "10.12.4.17"}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: orders-db}
    /// spec:
    ///   type: ExternalName
    ///   externalName: orders-db.internal.example.com
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: orders}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/orders:1.0.0
    ///       env: [{name: DB_HOST, value: "orders-db"}]
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub ServiceReferencedByIp => {
        id: "DEC021",
        name: "service-referenced-by-ip",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a workload addresses a dependency by IP address",
        remediation: "Address the dependency by a Service name; give external hosts a name with an `ExternalName` Service.",
        equivalents: &[],
    }
}

impl RelationRule for ServiceReferencedByIp {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::ServiceGraph]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let graph = index.graph();
        let mut seen = HashSet::new();
        for edge in &graph.edges {
            let Target::Ip(ip) = &edge.target else {
                continue;
            };
            let literal = &edge.literal;
            if !seen.insert((literal.object.id, literal.pointer())) {
                continue;
            }
            let name = if literal.name.is_empty() {
                "an argument".to_owned()
            } else {
                format!("`{}`", literal.name)
            };
            cx.report(
                literal.object,
                literal.pointer(),
                format!("{name} addresses a dependency by the IP address `{ip}`"),
            );
        }
    }
}
