use crate::k8s::index::{LabelSelector, effective_namespace, nearest};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags StatefulSets whose `spec.serviceName` names no Service among
    /// the objects linted together in the StatefulSet's namespace, a Service
    /// that is not headless (`clusterIP: None`), or a Service whose selector
    /// does not select the StatefulSet's pods. When several Services of that
    /// name are linted together (several projects in one run), one that is
    /// headless and selects the pods is enough, and a report cites the one in
    /// the StatefulSet's file if there is one.
    ///
    /// ## Why is this bad?
    /// The governing Service gives each replica its stable DNS name
    /// (`db-0.db.prod.svc`). Without a headless Service that selects the
    /// pods those names do not resolve, so peers that find each other by
    /// name (database replicas, Kafka brokers, ZooKeeper) cannot form a
    /// cluster. Kubernetes does not create the Service for you.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16.4
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 5432
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    /// spec:
    ///   serviceName: db
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:16.4
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 5432
    /// ```
    pub StatefulSetServiceMissing => {
        id: "COR017",
        name: "statefulset-service-missing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("StatefulSet")],
        summary: "a StatefulSet's governing Service is missing, not headless, or selects other pods",
        remediation: "Define a Service named as `spec.serviceName` with `clusterIP: None` whose selector matches the StatefulSet's pod labels.",
        equivalents: &["kube-score:statefulset-has-servicename"],
    }
}

impl RelationRule for StatefulSetServiceMissing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for statefulset in index.of_kind("StatefulSet") {
            let Some(name) = statefulset
                .root
                .path("spec/serviceName")
                .and_then(Node::scalar_text)
                .filter(|n| !n.is_empty())
            else {
                continue;
            };
            let pointer = Pointer::root().join("spec/serviceName");
            let namespace = effective_namespace(statefulset);
            let services = index.named("Service", namespace, name);
            let Some(service) = nearest(&services, statefulset) else {
                cx.report(
                    statefulset,
                    pointer,
                    format!("no Service `{name}` in namespace `{namespace}`"),
                );
                continue;
            };
            let selects = |service: &Object| {
                let selector = LabelSelector::from_map(service.root.path("spec/selector"));
                !selector.is_empty() && selector.selects_pods_of(statefulset)
            };
            if services
                .iter()
                .any(|s| cluster_ip(s) == Some("None") && selects(s))
            {
                continue;
            }
            let ip = cluster_ip(service);
            if ip != Some("None") {
                let (related, note) = match ip {
                    Some(ip) => ("spec/clusterIP", format!("`clusterIP: {ip}`")),
                    None => ("spec", "no `clusterIP: None`".to_owned()),
                };
                cx.report(
                    statefulset,
                    pointer,
                    format!("the Service `{name}` is not headless"),
                )
                .related(service, Pointer::root().join(related), note);
                continue;
            }
            cx.report(
                statefulset,
                pointer,
                format!("the Service `{name}` does not select the pods of this StatefulSet"),
            )
            .related(
                service,
                Pointer::root().join("spec/selector"),
                "the Service's selector",
            );
        }
    }
}

fn cluster_ip(service: &Object) -> Option<&str> {
    service
        .root
        .path("spec/clusterIP")
        .and_then(Node::scalar_text)
}
