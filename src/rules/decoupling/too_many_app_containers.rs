use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods that run more application containers than the parameter
    /// `max` (default 3). Init containers and well-known sidecars (service
    /// mesh proxies, log shippers, secret agents, database proxies) do not
    /// count.
    ///
    /// ## Why is this bad?
    /// Containers of one pod are scheduled, scaled, restarted and rolled out
    /// together. Several applications in one pod are a monolith split into
    /// processes but not into services: none of them can scale or fail on
    /// its own.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: shop
    /// spec:
    ///   containers:
    ///     - {name: web, image: "ghcr.io/example/web:1.0.0"}
    ///     - {name: cart, image: "ghcr.io/example/cart:1.0.0"}
    ///     - {name: checkout, image: "ghcr.io/example/checkout:1.0.0"}
    ///     - {name: search, image: "ghcr.io/example/search:1.0.0"}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - {name: web, image: "ghcr.io/example/web:1.0.0"}
    ///     - {name: istio-proxy, image: "docker.io/istio/proxyv2:1.24.0"}
    /// ```
    pub TooManyAppContainers => {
        id: "DEC050",
        name: "too-many-app-containers",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a pod runs more application containers than a microservice needs",
        remediation: "Split the applications into workloads of their own, each with its Service.",
        equivalents: &[],
    }
}

/// Names and image repositories of containers that support an application
/// rather than being one.
const SIDECARS: [&str; 14] = [
    "istio-proxy",
    "proxyv2",
    "envoy",
    "linkerd-proxy",
    "fluent-bit",
    "fluentd",
    "vault-agent",
    "cloud-sql-proxy",
    "oauth2-proxy",
    "cloudsql-proxy",
    "otel-collector",
    "jaeger-agent",
    "kube-rbac-proxy",
    "config-reloader",
];

fn is_sidecar(container: &Container<'_>) -> bool {
    let image = container
        .node
        .get("image")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    let repository = image.split(['@', ':']).next().unwrap_or(image);
    let repository = repository.rsplit('/').next().unwrap_or(repository);
    SIDECARS
        .iter()
        .any(|s| container.name == *s || repository == *s)
}

impl ObjectRule for TooManyAppContainers {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let max: usize = cx.param("max", 3);
        let apps: Vec<&str> = extract::containers(object)
            .iter()
            .filter(|c| c.kind == ContainerKind::Regular && !is_sidecar(c))
            .map(|c| c.name)
            .collect();
        if apps.len() <= max {
            return;
        }
        let Some((spec, _)) = extract::pod_spec(object) else {
            return;
        };
        cx.report(
            object,
            spec.child("containers"),
            format!(
                "the pod runs {} application containers (`{}`), more than {max}",
                apps.len(),
                apps.join("`, `")
            ),
        );
    }
}
