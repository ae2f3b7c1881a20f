use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers whose `securityContext.privileged` is `true`.
    ///
    /// ## Why is this bad?
    /// A privileged container gets every Linux capability and access to all
    /// host devices. Escaping it is trivial, so a compromised container
    /// means a compromised node.
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
    ///       securityContext:
    ///         privileged: true
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
    ///       securityContext:
    ///         privileged: false
    ///         capabilities:
    ///           add: [NET_BIND_SERVICE]
    /// ```
    pub PrivilegedContainer => {
        id: "SEC001",
        name: "privileged-container",
        category: Security,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container runs in privileged mode",
        remediation: "Set `securityContext.privileged: false` and add only the capabilities the container needs.",
        equivalents: &["kube-linter:privileged-container", "polaris:runAsPrivileged", "kube-score:container-security-context-privileged"],
    }
}

impl ObjectRule for PrivilegedContainer {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            if container
                .node
                .path("securityContext/privileged")
                .and_then(Node::as_bool)
                != Some(true)
            {
                continue;
            }
            cx.report(
                object,
                container.field("securityContext/privileged"),
                format!("container `{}` runs privileged", container.name),
            );
        }
    }
}
