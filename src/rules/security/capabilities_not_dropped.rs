use super::context::{capabilities, is_windows_pod};
use crate::rules::prelude::*;

/// The capabilities container runtimes grant by default.
const DEFAULT_GRANTED: [&str; 14] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "NET_RAW",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

declare_rule! {
    /// ## What it does
    /// Flags containers that do not drop the capabilities the runtime
    /// grants by default: `securityContext.capabilities.drop` lists neither
    /// `ALL` nor every one of `AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`,
    /// `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `NET_RAW`,
    /// `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID` and `SYS_CHROOT`. Names
    /// are compared in any case, with or without `CAP_`. Capabilities added
    /// back after dropping `ALL` are fine. Windows pods are skipped.
    ///
    /// Off by default: `net-raw-capability` flags the one default
    /// capability that is commonly abused; this rule asks for the
    /// least-privilege posture of the Pod Security Standards' restricted
    /// profile.
    ///
    /// ## Why is this bad?
    /// A process that runs as root, or gains root, uses these capabilities
    /// to change file ownership, bypass file permissions, kill other
    /// processes and forge packets. Dropping them all costs nothing for an
    /// ordinary application and turns root in the container into a much
    /// weaker user.
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
    ///         capabilities:
    ///           drop: [NET_RAW]
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
    ///           add: [NET_BIND_SERVICE]
    /// ```
    pub CapabilitiesNotDropped => {
        id: "SEC032",
        name: "capabilities-not-dropped",
        category: Security,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container keeps the capabilities the runtime grants by default",
        remediation: "Set `securityContext.capabilities.drop: [ALL]` and add back only what the container needs.",
        equivalents: &["polaris:insecureCapabilities"],
        enabled: false,
    }
}

impl ObjectRule for CapabilitiesNotDropped {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        if is_windows_pod(object) {
            return;
        }
        for container in extract::containers(object) {
            let dropped: Vec<String> = capabilities(&container, "drop")
                .into_iter()
                .map(|(c, _)| c)
                .collect();
            if dropped.iter().any(|c| c == "ALL") {
                continue;
            }
            let kept: Vec<&str> = DEFAULT_GRANTED
                .iter()
                .copied()
                .filter(|c| !dropped.iter().any(|d| d == c))
                .collect();
            if kept.is_empty() {
                continue;
            }
            let shown = if kept.len() > 3 {
                format!("{} default capabilities", kept.len())
            } else {
                kept.iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            cx.report(
                object,
                container.field("securityContext/capabilities/drop"),
                format!("container `{}` keeps {shown}: drop `ALL`", container.name),
            );
        }
    }
}
