use super::context::capabilities;
use crate::rules::prelude::*;

/// Capabilities that amount to root on the node, or on its network.
const DANGEROUS: [&str; 6] = [
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "BPF",
];

declare_rule! {
    /// ## What it does
    /// Flags containers whose `securityContext.capabilities.add` lists
    /// `ALL`, `SYS_ADMIN`, `NET_ADMIN`, `SYS_MODULE`, `SYS_PTRACE` or
    /// `BPF`, in any case and with or without the `CAP_` prefix, as the
    /// runtime accepts them.
    ///
    /// ## Why is this bad?
    /// Each of these is close to root on the node: `SYS_ADMIN` allows
    /// mounting file systems and most container escapes, `NET_ADMIN`
    /// rewrites the node's routing and firewall, `SYS_MODULE` loads kernel
    /// code, `SYS_PTRACE` reads other processes' memory and `BPF` loads
    /// programs into the kernel. `ALL` is all of them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/vpn:2.1.0
    ///       securityContext:
    ///         capabilities:
    ///           add: [NET_ADMIN]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/vpn:2.1.0
    ///       securityContext:
    ///         capabilities:
    ///           drop: [ALL]
    ///           add: [NET_BIND_SERVICE]
    /// ```
    pub DangerousCapabilityAdded => {
        id: "SEC030",
        name: "dangerous-capability-added",
        category: Security,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container adds a capability that amounts to root on the node",
        remediation: "Remove the capability from `capabilities.add`; grant narrower ones such as `NET_BIND_SERVICE` instead.",
        equivalents: &["polaris:dangerousCapabilities"],
    }
}

impl ObjectRule for DangerousCapabilityAdded {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            for (capability, pointer) in capabilities(&container, "add") {
                if !DANGEROUS.contains(&capability.as_str()) {
                    continue;
                }
                cx.report(
                    object,
                    pointer,
                    format!(
                        "container `{}` adds the capability `{capability}`",
                        container.name
                    ),
                );
            }
        }
    }
}
