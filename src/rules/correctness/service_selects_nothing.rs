use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Services whose `spec.selector` matches the labels of no pod or
    /// pod template among the objects linted together, in the same
    /// namespace. Services without a selector (backed by hand-made
    /// EndpointSlices) and `ExternalName` Services are not checked. Labels
    /// that controllers add to the pods they create count as well: a
    /// StatefulSet's pods are named `<name>-<ordinal>` in
    /// `statefulset.kubernetes.io/pod-name`, and hashes and Job names
    /// (`pod-template-hash`, `controller-revision-hash`, `job-name`, …) match
    /// any value on pods of the kinds that set them.
    ///
    /// ## Why is this bad?
    /// A Service that selects nothing has no endpoints: clients resolve its
    /// name and get connection refused. This is usually a label typo, or a
    /// workload that was renamed without its Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: webapp
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: webapp
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: webapp
    ///   ports:
    ///     - port: 80
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: webapp
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: webapp
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    pub ServiceSelectsNothing => {
        id: "COR003",
        name: "service-selects-nothing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("Service")],
        summary: "a Service's selector matches no pods",
        remediation: "Fix the selector or the pod template labels so that they agree, or lint the Service together with its workload.",
        equivalents: &["kube-linter:dangling-service", "kube-score:service-targets-pod"],
    }
}

impl RelationRule for ServiceSelectsNothing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for service in index.of_kind("Service") {
            if service.is_external_name_service() {
                continue;
            }
            let selector = LabelSelector::from_map(service.root.path("spec/selector"));
            if selector.is_empty() {
                continue;
            }
            let namespace = effective_namespace(service);
            if !index.pods_selected(namespace, &selector).is_empty() {
                continue;
            }
            cx.report(
                service,
                Pointer::root().join("spec/selector"),
                format!("no pod template in namespace `{namespace}` has the labels `{selector}`"),
            );
        }
    }
}
