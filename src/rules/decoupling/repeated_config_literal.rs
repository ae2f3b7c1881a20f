use std::collections::BTreeMap;

use crate::decoupling::graph::{Literal, addresses, container_literals};
use crate::decoupling::values::is_trivial;
use crate::k8s::index::effective_namespace;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a literal `env` value that is repeated, under the same variable
    /// name, in at least `min-workloads` workloads (a parameter, default 3).
    /// Workloads are told apart by kind, namespace and name, so copies of one
    /// workload in overlays or golden files count once. It is reported once,
    /// on the first occurrence, with the others as related locations. Values
    /// that are not configuration (booleans, numbers, log levels, paths,
    /// `$(VAR)` references, placeholders a template tool fills in such as
    /// `$VAR` or Helm's `<no value>`) and addresses of in-cluster services by
    /// their short name (`cartservice:7070`, the same in every environment)
    /// are not counted.
    ///
    /// ## Why is this bad?
    /// A value copied into many workloads must be changed in all of them at
    /// once, and one is always missed. A shared ConfigMap read with
    /// `envFrom` or `configMapKeyRef` changes in one place.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: a}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/a:1.0.0
    ///       env: [{name: SENTRY_ENVIRONMENT, value: production}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: b}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/b:1.0.0
    ///       env: [{name: SENTRY_ENVIRONMENT, value: production}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: c}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/c:1.0.0
    ///       env: [{name: SENTRY_ENVIRONMENT, value: production}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: telemetry}
    /// data: {SENTRY_ENVIRONMENT: production}
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: a}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/a:1.0.0
    ///       envFrom: [{configMapRef: {name: telemetry}}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: b}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/b:1.0.0
    ///       envFrom: [{configMapRef: {name: telemetry}}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: c}
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/c:1.0.0
    ///       envFrom: [{configMapRef: {name: telemetry}}]
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub RepeatedConfigLiteral => {
        id: "DEC011",
        name: "repeated-config-literal",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "the same env literal is repeated across several workloads",
        remediation: "Put the value in one shared ConfigMap and read it with `envFrom` or `configMapKeyRef` in every workload.",
        equivalents: &[],
    }
}

/// A literal reported once: where, the message, and the other places.
type Repeated<'a> = (&'a Object, Pointer, String, Vec<(&'a Object, Pointer)>);

impl RelationRule for RepeatedConfigLiteral {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let min: usize = cx.param("min-workloads", 3);
        let mut groups: BTreeMap<(&str, &str), Vec<(&Object, Pointer)>> = BTreeMap::new();
        for workload in index.pod_carriers() {
            for literal in container_literals(workload) {
                if literal.is_arg || is_trivial(literal.value) || is_service_address(&literal) {
                    continue;
                }
                let places = groups.entry((literal.name, literal.value)).or_default();
                // Overlays, golden files and test data copy one workload
                // into several files; the copies are one workload.
                if places.iter().all(|(w, _)| !same_workload(w, workload)) {
                    places.push((workload, literal.pointer()));
                }
            }
        }
        let mut reported: Vec<Repeated<'_>> = Vec::new();
        for ((name, _), places) in groups {
            if places.len() < min.max(2) {
                continue;
            }
            let (first, pointer) = places[0].clone();
            let message = format!(
                "`{name}` is set to the same literal in {} workloads",
                places.len()
            );
            reported.push((first, pointer, message, places[1..].to_vec()));
        }
        for (first, pointer, message, others) in reported {
            let report = cx.report(first, pointer, message);
            for (object, pointer) in others {
                report.related(object, pointer, format!("repeated in `{}`", object.name()));
            }
        }
    }
}

/// Whether `a` and `b` are the same workload: of one kind and name in one
/// namespace.
fn same_workload(a: &Object, b: &Object) -> bool {
    a.kind() == b.kind() && a.name() == b.name() && effective_namespace(a) == effective_namespace(b)
}

/// Whether a literal is only addresses of in-cluster services by short name.
fn is_service_address(literal: &Literal<'_>) -> bool {
    let found = addresses(literal.name, literal.value);
    !found.is_empty() && found.iter().all(|a| !a.host.contains('.'))
}
