use super::context::{capabilities, is_windows_pod};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers that keep the `NET_RAW` capability: they add it, or
    /// their `securityContext.capabilities.drop` lists neither `NET_RAW`
    /// nor `ALL`. Names are compared as the runtime reads them, in any case
    /// and with or without `CAP_`. Privileged containers, which have every
    /// capability, are `privileged-container`'s finding. Windows pods are
    /// skipped.
    ///
    /// ## Why is this bad?
    /// Container runtimes grant `NET_RAW` by default. It lets a process
    /// forge packets and open raw sockets: enough to spoof ARP and DNS
    /// replies to other pods on the node and to exploit kernel networking
    /// bugs. Few applications need it (`ping` does not, on current
    /// kernels).
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
    ///         capabilities:
    ///           drop: [ALL]
    /// ```
    pub NetRawCapability => {
        id: "SEC031",
        name: "net-raw-capability",
        category: Security,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container keeps the `NET_RAW` capability",
        remediation: "Add `NET_RAW` or `ALL` to `securityContext.capabilities.drop`.",
        equivalents: &["kube-linter:drop-net-raw-capability"],
    }
}

impl ObjectRule for NetRawCapability {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        if is_windows_pod(object) {
            return;
        }
        for container in extract::containers(object) {
            if container
                .node
                .path("securityContext/privileged")
                .and_then(Node::as_bool)
                == Some(true)
            {
                continue;
            }
            let added = capabilities(&container, "add");
            if let Some((_, pointer)) = added.iter().find(|(c, _)| c == "NET_RAW" || c == "ALL") {
                cx.report(
                    object,
                    pointer.clone(),
                    format!(
                        "container `{}` adds the `NET_RAW` capability",
                        container.name
                    ),
                );
                continue;
            }
            let dropped = capabilities(&container, "drop");
            if dropped.iter().any(|(c, _)| c == "NET_RAW" || c == "ALL") {
                continue;
            }
            cx.report(
                object,
                container.field("securityContext/capabilities/drop"),
                format!(
                    "container `{}` keeps the `NET_RAW` capability: `capabilities.drop` lists neither `NET_RAW` nor `ALL`",
                    container.name
                ),
            );
        }
    }
}
