use crate::k8s::object::string_pairs;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Services whose `spec.selector` matches the labels of no pod or
    /// pod template among the objects linted together, in the same
    /// namespace. Services without a selector (backed by hand-made
    /// EndpointSlices) and `ExternalName` Services are not checked.
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
            if service.root.path("spec/type").and_then(Node::scalar_text) == Some("ExternalName") {
                continue;
            }
            let selector: Vec<(&str, &str)> =
                string_pairs(service.root.path("spec/selector")).collect();
            if selector.is_empty() {
                continue;
            }
            let selects_in = |ns: &str| !index.pods_matching(ns, &selector).is_empty();
            // An object that names no namespace meets one that names `default`.
            let selects_something = match service.namespace() {
                "" | "default" => selects_in("") || selects_in("default"),
                ns => selects_in(ns),
            };
            if selects_something {
                continue;
            }
            let wanted = selector
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",");
            cx.report(
                service,
                Pointer::root().join("spec/selector"),
                format!(
                    "no pod template in namespace `{}` has the labels `{wanted}`",
                    display_namespace(service)
                ),
            );
        }
    }
}

fn display_namespace(object: &Object) -> &str {
    match object.namespace() {
        "" => "default",
        ns => ns,
    }
}
