use crate::k8s::index::{effective_namespace, nearest};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Ingress backends (`spec.defaultBackend` and every
    /// `rules[].http.paths[].backend`) that name a Service which is not among
    /// the objects linted together in the Ingress's namespace, or a port
    /// (by number or by name) that the Service does not have. The older
    /// `serviceName`/`servicePort` form of `extensions/v1beta1` and
    /// `networking.k8s.io/v1beta1` is read too; `resource` backends are not
    /// checked, nor the ports of `ExternalName` Services, which forward to
    /// another host. When several Services of the name are linted together
    /// (several projects in one run), one with the port is enough, and a
    /// report cites the one in the Ingress's file if there is one.
    ///
    /// ## Why is this bad?
    /// The controller cannot route to a Service that does not exist or to a
    /// port it does not expose: requests for that host and path get a 503
    /// or the controller's default backend. The cause is usually a renamed
    /// Service or a port renamed from `http` to `web` on one side only.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: storefront
    ///                 port:
    ///                   name: http
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: store-front
    /// spec:
    ///   selector:
    ///     app: storefront
    ///   ports:
    ///     - name: http
    ///       port: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    /// spec:
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: store-front
    ///                 port:
    ///                   name: http
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: store-front
    /// spec:
    ///   selector:
    ///     app: storefront
    ///   ports:
    ///     - name: http
    ///       port: 80
    /// ```
    pub IngressBackendMissing => {
        id: "COR010",
        name: "ingress-backend-missing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("Ingress")],
        summary: "an Ingress backend names a Service or port that does not exist",
        remediation: "Point the backend at an existing Service and one of its ports, or lint the Ingress together with its Services.",
        equivalents: &["kube-linter:dangling-ingress", "kube-score:ingress-targets-service"],
    }
}

/// A backend: where it is, and the Service and port it names.
struct Backend<'a> {
    service: &'a str,
    service_pointer: Pointer,
    port: Option<(&'a Node, Pointer)>,
}

impl RelationRule for IngressBackendMissing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for ingress in index.of_kind("Ingress") {
            let namespace = effective_namespace(ingress);
            for backend in backends(ingress) {
                let services = index.named("Service", namespace, backend.service);
                let Some(service) = nearest(&services, ingress) else {
                    cx.report(
                        ingress,
                        backend.service_pointer,
                        format!(
                            "no Service `{}` in namespace `{namespace}`",
                            backend.service
                        ),
                    );
                    continue;
                };
                let Some((port, port_pointer)) = backend.port else {
                    continue;
                };
                let Some(wanted) = port_spec(port) else {
                    continue;
                };
                // An ExternalName Service is a DNS alias: the controller
                // connects to the backend's port on the other host.
                let serves = |service: &Object| {
                    service.is_external_name_service()
                        || service
                            .root
                            .path("spec/ports")
                            .map(Node::items)
                            .unwrap_or_default()
                            .iter()
                            .any(|p| wanted.matches(p))
                };
                if services.iter().any(|s| serves(s)) {
                    continue;
                }
                let port_pointer = match wanted {
                    _ if port.as_map().is_none() => port_pointer,
                    PortRef::Number(_) => port_pointer.child("number"),
                    PortRef::Name(_) => port_pointer.child("name"),
                };
                cx.report(
                    ingress,
                    port_pointer,
                    format!("the Service `{}` has no port {wanted}", backend.service),
                )
                .related(
                    service,
                    Pointer::root().join("spec/ports"),
                    "the Service's ports",
                );
            }
        }
    }
}

/// A backend's port: a number or a name.
enum PortRef<'a> {
    Number(i64),
    Name(&'a str),
}

impl PortRef<'_> {
    fn matches(&self, service_port: &Node) -> bool {
        match self {
            PortRef::Number(n) => service_port.get("port").and_then(Node::as_i64) == Some(*n),
            PortRef::Name(name) => {
                service_port.get("name").and_then(Node::scalar_text) == Some(*name)
            }
        }
    }
}

impl std::fmt::Display for PortRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "`{n}`"),
            PortRef::Name(name) => write!(f, "named `{name}`"),
        }
    }
}

/// Reads `port: {number: 80}`, `port: {name: http}`, or the v1beta1
/// `servicePort: 80` / `servicePort: http`.
fn port_spec(port: &Node) -> Option<PortRef<'_>> {
    if let Some(n) = port.as_i64() {
        return Some(PortRef::Number(n));
    }
    if let Some(name) = port.as_str() {
        return Some(PortRef::Name(name));
    }
    if let Some(n) = port.get("number").and_then(Node::as_i64) {
        return Some(PortRef::Number(n));
    }
    port.get("name")
        .and_then(Node::scalar_text)
        .map(PortRef::Name)
}

/// Every Service backend of an Ingress, in document order.
fn backends(ingress: &Object) -> Vec<Backend<'_>> {
    let mut out = Vec::new();
    for default in ["spec/defaultBackend", "spec/backend"] {
        if let Some(node) = ingress.root.path(default) {
            out.extend(backend(node, Pointer::root().join(default)));
        }
    }
    let rules = ingress
        .root
        .path("spec/rules")
        .map(Node::items)
        .unwrap_or_default();
    for (r, rule) in rules.iter().enumerate() {
        let paths = rule.path("http/paths").map(Node::items).unwrap_or_default();
        for (p, path) in paths.iter().enumerate() {
            let Some(node) = path.get("backend") else {
                continue;
            };
            let pointer = Pointer::root()
                .join("spec/rules")
                .child(r)
                .join("http/paths")
                .child(p)
                .child("backend");
            out.extend(backend(node, pointer));
        }
    }
    out
}

fn backend(node: &Node, pointer: Pointer) -> Option<Backend<'_>> {
    if let Some(service) = node.get("service") {
        let name = service.get("name")?.scalar_text()?;
        let service_pointer = pointer.child("service");
        return Some(Backend {
            service: name,
            port: service
                .get("port")
                .map(|p| (p, service_pointer.child("port"))),
            service_pointer: service_pointer.child("name"),
        });
    }
    let name = node.get("serviceName")?.scalar_text()?;
    Some(Backend {
        service: name,
        service_pointer: pointer.child("serviceName"),
        port: node
            .get("servicePort")
            .map(|p| (p, pointer.child("servicePort"))),
    })
}
