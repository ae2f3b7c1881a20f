use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Prometheus Operator ServiceMonitors (`monitoring.coreos.com`)
    /// whose `spec.selector` matches the labels of no Service among the
    /// objects linted together. The namespaces searched follow
    /// `spec.namespaceSelector`: the ServiceMonitor's own namespace by
    /// default, the listed `matchNames`, or every namespace with `any: true`.
    ///
    /// ## Why is this bad?
    /// Prometheus discovers no target from such a ServiceMonitor, so the
    /// application's metrics silently go missing and the alerts built on
    /// them never fire. Note that the selector matches the *Service's own*
    /// labels (`metadata.labels`), not the pods' labels, which is a common
    /// mix-up.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: ServiceMonitor
    /// metadata:
    ///   name: checkout
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: checkout
    ///   endpoints:
    ///     - port: metrics
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: checkout
    /// spec:
    ///   selector:
    ///     app: checkout
    ///   ports:
    ///     - name: metrics
    ///       port: 9090
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: ServiceMonitor
    /// metadata:
    ///   name: checkout
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: checkout
    ///   endpoints:
    ///     - port: metrics
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: checkout
    ///   labels:
    ///     app: checkout
    /// spec:
    ///   selector:
    ///     app: checkout
    ///   ports:
    ///     - name: metrics
    ///       port: 9090
    /// ```
    pub ServiceMonitorSelectsNothing => {
        id: "COR016",
        name: "service-monitor-selects-nothing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("ServiceMonitor")],
        summary: "a ServiceMonitor's selector matches no Service",
        remediation: "Label the Service as the ServiceMonitor's selector says (on the Service's own `metadata.labels`), fix the selector or `namespaceSelector`, or lint the ServiceMonitor together with its Services.",
        equivalents: &["kube-linter:dangling-servicemonitor"],
    }
}

impl RelationRule for ServiceMonitorSelectsNothing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for monitor in index.of_kind("ServiceMonitor") {
            if monitor.group() != "monitoring.coreos.com" {
                continue;
            }
            let Some(selector) = monitor
                .root
                .path("spec/selector")
                .and_then(LabelSelector::parse)
            else {
                continue;
            };
            let scope = monitor.root.path("spec/namespaceSelector");
            let any = scope.and_then(|s| s.get("any")).and_then(Node::as_bool) == Some(true);
            let names: Vec<&str> = scope
                .and_then(|s| s.get("matchNames"))
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::scalar_text)
                .collect();
            let (found, searched) = if any {
                (
                    !index.labeled("Service", None, &selector).is_empty(),
                    "any namespace".to_owned(),
                )
            } else if !names.is_empty() {
                (
                    names
                        .iter()
                        .any(|ns| !index.labeled("Service", Some(ns), &selector).is_empty()),
                    match names.as_slice() {
                        [one] => format!("namespace `{one}`"),
                        _ => format!("namespaces `{}`", names.join("`, `")),
                    },
                )
            } else {
                let namespace = effective_namespace(monitor);
                (
                    !index
                        .labeled("Service", Some(namespace), &selector)
                        .is_empty(),
                    format!("namespace `{namespace}`"),
                )
            };
            if found {
                continue;
            }
            let wanted = if selector.is_empty() {
                "no Service".to_owned()
            } else {
                format!("no Service labelled `{selector}`")
            };
            cx.report(
                monitor,
                Pointer::root().join("spec/selector"),
                format!("{wanted} in {searched}"),
            );
        }
    }
}
