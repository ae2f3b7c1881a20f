use super::context::{effective, is_windows_pod};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers with no seccomp profile: neither the container's
    /// nor the pod's `securityContext` sets `seccompProfile`. Setting it
    /// once on the pod covers every container. An explicit `Unconfined`
    /// profile is `unconfined-seccomp-profile`'s finding, not this rule's.
    /// The legacy `seccomp.security.alpha.kubernetes.io` annotations do not
    /// count: Kubernetes 1.27 stopped reading them. Windows pods are
    /// skipped.
    ///
    /// Off by default: unless the kubelet runs with `--seccomp-default`, a
    /// pod without a profile runs unconfined, but many clusters set that
    /// default for every pod.
    ///
    /// ## Why is this bad?
    /// Without seccomp a container can make every system call the kernel
    /// offers, including the rarely used ones behind most kernel privilege
    /// escalations. The runtime's default profile blocks those and nothing
    /// ordinary applications need.
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
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    pub MissingSeccompProfile => {
        id: "SEC026",
        name: "missing-seccomp-profile",
        category: Security,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container runs without a seccomp profile",
        remediation: "Set `seccompProfile: {type: RuntimeDefault}` in the pod's `securityContext`.",
        equivalents: &["kube-score:container-seccomp-profile", "polaris:linuxHardening"],
        enabled: false,
    }
}

impl ObjectRule for MissingSeccompProfile {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        if is_windows_pod(object) {
            return;
        }
        for container in extract::containers(object) {
            if effective(object, &container, "seccompProfile").is_some() {
                continue;
            }
            cx.report(
                object,
                container.field("securityContext/seccompProfile"),
                format!(
                    "container `{}` runs without a seccomp profile: neither it nor the pod sets `seccompProfile`",
                    container.name
                ),
            );
        }
    }
}
