use super::quantity;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers, including init containers, whose request for a
    /// resource differs from their limit for it, or that request a resource
    /// without limiting it. The `resources` parameter names the resources
    /// compared (default `cpu` and `memory`; add `ephemeral-storage` for
    /// kube-score's ephemeral-storage check). A limit without a request
    /// passes, since Kubernetes then sets the request to the limit. Off by
    /// default: equal requests and limits waste capacity for most workloads.
    ///
    /// ## Why is this bad?
    /// A container that may use more than it requests is overcommitted: when
    /// its neighbours spike too, the node runs out, and it is throttled or
    /// evicted first. Pods whose requests equal their limits get the
    /// `Guaranteed` quality of service and are the last to be evicted.
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
    ///         requests: {cpu: 100m, memory: 128Mi}
    ///         limits: {cpu: 500m, memory: 128Mi}
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
    ///         requests: {cpu: "0.5", memory: 128Mi}
    ///         limits: {cpu: 500m, memory: 128Mi}
    /// ```
    pub ResourceRequestsDifferFromLimits => {
        id: "EFF006",
        name: "resource-requests-differ-from-limits",
        category: Efficiency,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container's resource requests differ from its limits",
        remediation: "Set each request equal to its limit, or leave this rule off for workloads that may burst.",
        equivalents: &["kube-score:container-resource-requests-equal-limits", "kube-score:container-cpu-requests-equal-limits", "kube-score:container-memory-requests-equal-limits", "kube-score:container-ephemeral-storage-request-equals-limit"],
        enabled: false,
    }
}

impl ObjectRule for ResourceRequestsDifferFromLimits {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let resources: Vec<String> =
            cx.param("resources", vec!["cpu".to_owned(), "memory".to_owned()]);
        for container in extract::containers(object) {
            if container.kind == ContainerKind::Ephemeral {
                continue;
            }
            for resource in &resources {
                let read = |section: &str| {
                    let node = container.node.path(section)?.get(resource)?;
                    Some((node.scalar_text()?, quantity::parse(node.scalar_text()?)))
                };
                let request = read("resources/requests");
                let limit = read("resources/limits");
                let message = match (request, limit) {
                    (Some((shown, _)), None) => format!(
                        "container `{}` requests {shown} {resource} but sets no limit",
                        container.name
                    ),
                    (Some((r_shown, Some(r))), Some((l_shown, Some(l))))
                        if !quantity::same(r, l) =>
                    {
                        format!(
                            "container `{}` requests {r_shown} {resource} but is limited to {l_shown}",
                            container.name
                        )
                    }
                    _ => continue,
                };
                cx.report(
                    object,
                    container.field(&format!("resources/requests/{resource}")),
                    message,
                );
            }
        }
    }
}
