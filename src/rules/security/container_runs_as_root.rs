use super::context::{effective, is_windows_pod};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers that may run as root: their effective `runAsUser`
    /// is `0`, or it is unset and `runAsNonRoot` is not `true`. Each field
    /// is read from the container's `securityContext` first and from the
    /// pod's otherwise, as Kubernetes does, so `runAsNonRoot: true` set once
    /// on the pod satisfies every container. Init containers are checked
    /// too; Windows pods (`spec.os.name: windows`) are skipped.
    ///
    /// ## Why is this bad?
    /// Root in a container is root on the node's kernel: a container escape
    /// or a writable host mount then gives full control of the node. Most
    /// images run as root unless told otherwise, so only `runAsNonRoot` or a
    /// non-zero `runAsUser` makes the kubelet guarantee it.
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
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///     - name: app
    ///       image: nginxinc/nginx-unprivileged:1.27
    /// ```
    pub ContainerRunsAsRoot => {
        id: "SEC021",
        name: "container-runs-as-root",
        category: Security,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container may run as the root user",
        remediation: "Set `runAsNonRoot: true` and a non-zero `runAsUser` in the pod's or the container's `securityContext`.",
        equivalents: &["kube-linter:run-as-non-root", "polaris:runAsRootAllowed"],
    }
}

impl ObjectRule for ContainerRunsAsRoot {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        if is_windows_pod(object) {
            return;
        }
        let mut pod_reported = false;
        for container in extract::containers(object) {
            let user = effective(object, &container, "runAsUser");
            match user.as_ref().and_then(|u| u.node.as_i64()) {
                Some(0) => {
                    let user = user.expect("matched a value");
                    if !user.from_pod {
                        cx.report(
                            object,
                            user.pointer,
                            format!(
                                "container `{}` runs as root (`runAsUser: 0`)",
                                container.name
                            ),
                        );
                    } else if !pod_reported {
                        pod_reported = true;
                        cx.report(
                            object,
                            user.pointer,
                            "the pod runs its containers as root (`runAsUser: 0`)",
                        );
                    }
                    continue;
                }
                Some(_) => continue,
                None => {}
            }
            let non_root = effective(object, &container, "runAsNonRoot");
            match non_root {
                Some(setting) if setting.node.as_bool() == Some(true) => {}
                Some(setting) => {
                    cx.report(
                        object,
                        setting.pointer,
                        format!(
                            "container `{}` sets `runAsNonRoot: false` and no `runAsUser`, so it may run as root",
                            container.name
                        ),
                    );
                }
                None => {
                    cx.report(
                        object,
                        container.field("securityContext/runAsNonRoot"),
                        format!(
                            "container `{}` may run as root: neither it nor the pod sets `runAsNonRoot: true` or a non-zero `runAsUser`",
                            container.name
                        ),
                    );
                }
            }
        }
    }
}
