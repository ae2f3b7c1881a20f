use crate::rules::prelude::*;

/// Host directories whose contents control the node: mounting the
/// directory itself is flagged.
const EXACT: [&str; 9] = [
    "/", "/bin", "/boot", "/dev", "/etc", "/lib", "/root", "/sbin", "/usr",
];

/// Host directories flagged together with everything below them.
const WITH_CHILDREN: [&str; 6] = [
    "/proc",
    "/sys",
    "/boot",
    "/var/lib/kubelet",
    "/etc/kubernetes",
    "/var/lib/etcd",
];

declare_rule! {
    /// ## What it does
    /// Flags `hostPath` volumes of the node's system directories: `/`,
    /// `/bin`, `/boot`, `/dev`, `/etc`, `/lib`, `/root`, `/sbin` and `/usr`
    /// themselves, and `/proc`, `/sys`, `/boot`, `/var/lib/kubelet`,
    /// `/etc/kubernetes` and `/var/lib/etcd` with anything below them. Files
    /// below `/etc` such as `/etc/localtime` or `/etc/ssl/certs`, commonly
    /// mounted read-only, are not flagged; `host-path-volume` flags every
    /// host path.
    ///
    /// ## Why is this bad?
    /// These directories hold the node's configuration, binaries, kernel
    /// interfaces and the kubelet's credentials. Reading them leaks the
    /// credentials of the node and its pods; writing them is root on the
    /// node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/agent:1.4.0
    ///       volumeMounts:
    ///         - name: etc
    ///           mountPath: /host/etc
    ///   volumes:
    ///     - name: etc
    ///       hostPath:
    ///         path: /etc
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/agent:1.4.0
    ///       volumeMounts:
    ///         - name: localtime
    ///           mountPath: /etc/localtime
    ///           readOnly: true
    ///   volumes:
    ///     - name: localtime
    ///       hostPath:
    ///         path: /etc/localtime
    /// ```
    pub SensitiveHostMount => {
        id: "SEC016",
        name: "sensitive-host-mount",
        category: Security,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a pod mounts a system directory of the node",
        remediation: "Remove the volume, or mount only the specific file the workload needs, read-only.",
        equivalents: &["kube-linter:sensitive-host-mounts"],
    }
}

fn is_sensitive(path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    let normalized = if trimmed.is_empty() { "/" } else { trimmed };
    EXACT.contains(&normalized)
        || WITH_CHILDREN
            .iter()
            .any(|dir| normalized == *dir || normalized.starts_with(&format!("{dir}/")))
}

impl ObjectRule for SensitiveHostMount {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let Some((spec_pointer, spec)) = extract::pod_spec(object) else {
            return;
        };
        for (index, volume) in spec.list("volumes").iter().enumerate() {
            let Some(path) = volume.path("hostPath/path").and_then(Node::scalar_text) else {
                continue;
            };
            if !is_sensitive(path) {
                continue;
            }
            let name = volume
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            cx.report(
                object,
                spec_pointer
                    .child("volumes")
                    .child(index)
                    .join("hostPath/path"),
                format!("volume `{name}` mounts the node's system directory `{path}`"),
            );
        }
    }
}
