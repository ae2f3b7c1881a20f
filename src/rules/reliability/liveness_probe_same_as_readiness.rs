use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags long-running containers whose liveness and readiness probes run
    /// the same check: the same `httpGet`, `tcpSocket`, `exec` or `grpc`
    /// handler, whatever their timing settings. Containers of Jobs and
    /// CronJobs are not checked.
    ///
    /// ## Why is this bad?
    /// Readiness answers "should I get traffic now?", liveness answers "am I
    /// stuck beyond repair?". When both ask the same question, a pod that is
    /// merely overloaded or waiting on a dependency fails liveness too and
    /// is restarted, which adds load to the pods still serving and can turn
    /// a brief slowdown into a cascade of restarts.
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
    ///       readinessProbe:
    ///         httpGet: {path: /health, port: 8080}
    ///       livenessProbe:
    ///         httpGet: {path: /health, port: 8080}
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
    ///       livenessProbe:
    ///         httpGet: {path: /livez, port: 8080}
    /// ```
    pub LivenessProbeSameAsReadiness => {
        id: "REL019",
        name: "liveness-probe-same-as-readiness",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container's liveness probe runs the same check as its readiness probe",
        remediation: "Give the liveness probe a cheaper check that fails only when the process is stuck, or drop it.",
        equivalents: &["kube-score:pod-probes-identical"],
    }
}

const HANDLERS: [&str; 4] = ["httpGet", "tcpSocket", "exec", "grpc"];

impl ObjectRule for LivenessProbeSameAsReadiness {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        if matches!(object.kind(), "Job" | "CronJob") {
            return;
        }
        for container in extract::containers(object) {
            if !container.is_long_running() {
                continue;
            }
            let (Some(liveness), Some(readiness)) = (
                container.node.get("livenessProbe"),
                container.node.get("readinessProbe"),
            ) else {
                continue;
            };
            let same = HANDLERS.iter().any(|handler| {
                match (liveness.get(handler), readiness.get(handler)) {
                    (Some(l), Some(r)) => l.to_json() == r.to_json(),
                    _ => false,
                }
            });
            if !same {
                continue;
            }
            cx.report(
                object,
                container.field("livenessProbe"),
                format!(
                    "container `{}` runs the same check for liveness as for readiness",
                    container.name
                ),
            );
        }
    }
}
