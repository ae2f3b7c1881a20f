use std::collections::HashSet;

use crate::decoupling::graph::Target;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags addresses of in-cluster services that no Service of the run
    /// defines. Addresses are read from literal `env` values, `command` and
    /// `args`, and the ConfigMaps a workload reads through `envFrom` or
    /// `configMapKeyRef`; an address is `svc:port`, `scheme://svc…`,
    /// `svc.ns.svc[.cluster.local]`, or a bare name in a variable whose name
    /// says it holds an address (`*_ADDR`, `*_HOST`, `*_URL`, …). Only
    /// namespaces the run defines objects in are checked, and `svc.ns` without
    /// a `.svc` suffix counts only when the Service exists (it may as well be
    /// a file or a domain).
    ///
    /// ## Why is this bad?
    /// The workload will fail to connect at run time, usually after a
    /// timeout, often only on the code path that needs the dependency. A
    /// renamed Service or a typo is the common cause.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: cartservice}
    /// spec:
    ///   selector: {app: cart}
    ///   ports: [{port: 7070}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: checkout}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/checkout:1.0.0
    ///       env: [{name: CART_SERVICE_ADDR, value: "cart-service:7070"}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: cartservice}
    /// spec:
    ///   selector: {app: cart}
    ///   ports: [{port: 7070}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: checkout}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/checkout:1.0.0
    ///       env: [{name: CART_SERVICE_ADDR, value: "cartservice:7070"}]
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub ServiceReferenceMissing => {
        id: "DEC020",
        name: "service-reference-missing",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a workload addresses a Service the run does not define",
        remediation: "Fix the name, or add the Service; if it is provided outside this repository, add it to the rule's `external` parameter.",
        equivalents: &[],
    }
}

impl RelationRule for ServiceReferenceMissing {
    fn needs(&self) -> &'static [Analysis] {
        &[Analysis::ServiceGraph]
    }

    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let external: Vec<String> = cx.param("external", Vec::new());
        let graph = index.graph();
        let mut seen = HashSet::new();
        for edge in &graph.edges {
            let Target::Missing { name, namespace } = &edge.target else {
                continue;
            };
            if external
                .iter()
                .any(|e| e == name || *e == format!("{namespace}/{name}"))
            {
                continue;
            }
            let literal = &edge.literal;
            if !seen.insert((literal.object.id, literal.pointer())) {
                continue;
            }
            let report = cx.report(
                literal.object,
                literal.pointer(),
                format!(
                    "`{}` addresses the Service `{name}` in namespace `{namespace}`, which the run does not define",
                    literal.name
                ),
            );
            if literal.object.id != edge.from.id {
                report.related(
                    edge.from,
                    Pointer::root().join("metadata/name"),
                    format!("read by `{}`", edge.from.name()),
                );
            }
        }
    }
}
