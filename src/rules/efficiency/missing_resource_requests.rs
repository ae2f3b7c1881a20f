use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers that do not request both CPU and memory
    /// (`resources.requests.cpu` and `resources.requests.memory`). A limit
    /// counts as a request, since Kubernetes copies it into an unset request.
    /// Ephemeral debugging containers are not checked.
    ///
    /// ## Why is this bad?
    /// The scheduler places pods by their requests. A container without them
    /// is scheduled as if it needed nothing, lands on a full node, and is
    /// the first to be throttled or evicted under pressure.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       resources:
    ///         requests:
    ///           cpu: 100m
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
    ///     - name: app
    ///       image: nginx:1.27
    ///       resources:
    ///         requests:
    ///           cpu: 100m
    ///           memory: 128Mi
    /// ```
    pub MissingResourceRequests => {
        id: "EFF001",
        name: "missing-resource-requests",
        category: Efficiency,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container does not request CPU and memory",
        remediation: "Set `resources.requests.cpu` and `resources.requests.memory` from the container's observed usage.",
        equivalents: &["kube-linter:unset-cpu-requirements", "kube-linter:unset-memory-requirements", "polaris:cpuRequestsMissing", "polaris:memoryRequestsMissing", "kube-score:container-resources"],
    }
}

impl ObjectRule for MissingResourceRequests {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            // Kubernetes copies a limit into an unset request of the same resource.
            let set = |section: &str, resource: &str| {
                container
                    .node
                    .path(section)
                    .and_then(|n| n.get(resource))
                    .is_some_and(|n| !n.is_null())
            };
            let missing: Vec<&str> = ["cpu", "memory"]
                .into_iter()
                .filter(|r| !set("resources/requests", r) && !set("resources/limits", r))
                .collect();
            if missing.is_empty() {
                continue;
            }
            cx.report(
                object,
                container.field("resources/requests"),
                format!(
                    "container `{}` has no {} request",
                    container.name,
                    missing.join(" or ")
                ),
            );
        }
    }
}
