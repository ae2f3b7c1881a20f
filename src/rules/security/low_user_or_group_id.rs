use super::context::{effective, is_windows_pod};
use crate::rules::prelude::*;

/// Below this, IDs may collide with users of the node.
const DEFAULT_MINIMUM: i64 = 10000;

declare_rule! {
    /// ## What it does
    /// Flags containers whose effective `runAsUser` or `runAsGroup` is unset
    /// or below 10000 (the parameter `minimum`). Each field is read from
    /// the container's `securityContext` first and from the pod's
    /// otherwise. Windows pods are skipped.
    ///
    /// Off by default: it asks for more than running as non-root, and many
    /// well-run images use IDs such as 1000 or 65532.
    ///
    /// ## Why is this bad?
    /// Low IDs are the ones the node's own users and system services have.
    /// A process that escapes its container with such an ID owns the files
    /// of the matching host user; a high ID that no host account uses owns
    /// nothing.
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
    ///       image: nginxinc/nginx-unprivileged:1.27
    ///       securityContext:
    ///         runAsUser: 101
    ///         runAsGroup: 101
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   securityContext:
    ///     runAsUser: 10101
    ///     runAsGroup: 10101
    ///   containers:
    ///     - name: app
    ///       image: nginxinc/nginx-unprivileged:1.27
    /// ```
    pub LowUserOrGroupId => {
        id: "SEC022",
        name: "low-user-or-group-id",
        category: Security,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container runs with a user or group ID below 10000",
        remediation: "Set `runAsUser` and `runAsGroup` to 10000 or more in the pod's or the container's `securityContext`.",
        equivalents: &["kube-score:container-security-context-user-group-id"],
        enabled: false,
    }
}

impl ObjectRule for LowUserOrGroupId {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        if is_windows_pod(object) {
            return;
        }
        let minimum: i64 = cx.param("minimum", DEFAULT_MINIMUM);
        let mut pod_reported = Vec::new();
        for container in extract::containers(object) {
            for (field, what) in [("runAsUser", "user"), ("runAsGroup", "group")] {
                match effective(object, &container, field) {
                    None => {
                        cx.report(
                            object,
                            container.field(&format!("securityContext/{field}")),
                            format!(
                                "container `{}` sets no `{field}`, so it runs with the image's {what} ID",
                                container.name
                            ),
                        );
                    }
                    Some(setting) => {
                        let Some(id) = setting.node.as_i64() else {
                            continue;
                        };
                        if id >= minimum {
                            continue;
                        }
                        if setting.from_pod {
                            if pod_reported.contains(&field) {
                                continue;
                            }
                            pod_reported.push(field);
                            cx.report(
                                object,
                                setting.pointer,
                                format!("the pod runs its containers with {what} ID {id}, below {minimum}"),
                            );
                            continue;
                        }
                        cx.report(
                            object,
                            setting.pointer,
                            format!(
                                "container `{}` runs with {what} ID {id}, below {minimum}",
                                container.name
                            ),
                        );
                    }
                }
            }
        }
    }
}
