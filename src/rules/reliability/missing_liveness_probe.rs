use super::serves_traffic;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags long-running containers of pods and workloads that have no
    /// `livenessProbe`. Containers of Jobs and CronJobs, and init
    /// containers, are not checked.
    ///
    /// ## Why is this bad?
    /// A process that deadlocks or stops making progress without exiting is
    /// never restarted: the pod stays `Running` and keeps failing requests
    /// until a person notices.
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
    ///       livenessProbe:
    ///         httpGet: {path: /healthz, port: 8080}
    /// ```
    pub MissingLivenessProbe => {
        id: "REL003",
        name: "missing-liveness-probe",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a long-running container has no liveness probe",
        remediation: "Add a `livenessProbe` that fails only when the process is stuck, not when a dependency is down.",
        equivalents: &["kube-linter:no-liveness-probe", "polaris:livenessProbeMissing"],
    }
}

impl ObjectRule for MissingLivenessProbe {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            if !serves_traffic(object, &container) || container.node.get("livenessProbe").is_some()
            {
                continue;
            }
            cx.report(
                object,
                container.field("livenessProbe"),
                format!("container `{}` has no liveness probe", container.name),
            );
        }
    }
}
