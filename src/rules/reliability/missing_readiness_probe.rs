use super::serves_traffic;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags long-running containers of pods and workloads that have no
    /// `readinessProbe`. Containers of Jobs and CronJobs, and init
    /// containers, are not checked.
    ///
    /// ## Why is this bad?
    /// Without a readiness probe a pod receives traffic as soon as its
    /// process starts, before it can answer, and keeps receiving it while it
    /// is overloaded or shutting down. Rollouts then drop requests.
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
    ///       readinessProbe:
    ///         httpGet: {path: /ready, port: 8080}
    /// ```
    pub MissingReadinessProbe => {
        id: "REL002",
        name: "missing-readiness-probe",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a long-running container has no readiness probe",
        remediation: "Add a `readinessProbe` that succeeds only when the container can serve requests.",
        equivalents: &["kube-linter:no-readiness-probe", "polaris:readinessProbeMissing", "kube-score:pod-probes"],
    }
}

impl ObjectRule for MissingReadinessProbe {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            if !serves_traffic(object, &container) || container.node.get("readinessProbe").is_some()
            {
                continue;
            }
            cx.report(
                object,
                container.field("readinessProbe"),
                format!("container `{}` has no readiness probe", container.name),
            );
        }
    }
}
