use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags liveness, readiness and startup probes whose `httpGet`,
    /// `tcpSocket` or `grpc` port is not one of the container's declared
    /// `ports`. A named port must always be declared. A numbered port is
    /// checked only when the parameter `check-numbered-ports` is `true`
    /// (default `false`), and then only in containers that declare ports at
    /// all.
    ///
    /// ## Why is this bad?
    /// The kubelet resolves a named probe port against the container's
    /// `ports`; when the name is missing the probe fails every time, so a
    /// liveness probe restarts the container forever and a readiness probe
    /// keeps it out of its Service. A numbered port needs no declaration:
    /// `ports` is informational, the kubelet probes the number either way,
    /// and health ports (ingress-nginx's 10254, Istio's 15021) are commonly
    /// left out of it. Teams that list every port can opt in to have a
    /// numbered port that differs from the declared ones flagged, as it may
    /// be a typo or a port changed in one place only.
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
    ///       ports:
    ///         - name: http
    ///           containerPort: 8080
    ///       readinessProbe:
    ///         httpGet: {path: /ready, port: web}
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
    ///       ports:
    ///         - name: http
    ///           containerPort: 8080
    ///       readinessProbe:
    ///         httpGet: {path: /ready, port: http}
    /// ```
    pub ProbePortNotDeclared => {
        id: "REL018",
        name: "probe-port-not-declared",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a probe targets a port the container does not declare",
        remediation: "Point the probe at one of the container's `ports` (by name or number), or declare the port it uses.",
        equivalents: &["kube-linter:liveness-port", "kube-linter:readiness-port", "kube-linter:startup-port"],
    }
}

const PROBES: [(&str, &str); 3] = [
    ("livenessProbe", "liveness"),
    ("readinessProbe", "readiness"),
    ("startupProbe", "startup"),
];

const HANDLERS: [&str; 3] = ["httpGet", "tcpSocket", "grpc"];

impl ObjectRule for ProbePortNotDeclared {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let check_numbered_ports: bool = cx.param("check-numbered-ports", false);
        for container in extract::containers(object) {
            if !container.is_long_running() {
                continue;
            }
            let ports = container.node.list("ports");
            let names: Vec<&str> = ports
                .iter()
                .filter_map(|p| p.get("name").and_then(Node::scalar_text))
                .collect();
            let numbers: Vec<i64> = ports
                .iter()
                .filter_map(|p| p.get("containerPort").and_then(port_number))
                .collect();
            for (field, probe_name) in PROBES {
                let Some(probe) = container.node.get(field) else {
                    continue;
                };
                for handler in HANDLERS {
                    let Some(port) = probe.get(handler).and_then(|h| h.get("port")) else {
                        continue;
                    };
                    let Some(text) = port.scalar_text() else {
                        continue;
                    };
                    let message = match port_number(port) {
                        Some(number)
                            if !check_numbered_ports
                                || numbers.is_empty()
                                || numbers.contains(&number) =>
                        {
                            continue;
                        }
                        Some(number) => format!(
                            "the {probe_name} probe of container `{}` targets port {number}, which the container does not declare",
                            container.name
                        ),
                        None if names.contains(&text) => continue,
                        None => format!(
                            "the {probe_name} probe of container `{}` targets the port named `{text}`, which the container does not declare, so the probe always fails",
                            container.name
                        ),
                    };
                    let pointer = container.field(&format!("{field}/{handler}/port"));
                    cx.report(object, pointer, message);
                }
            }
        }
    }
}

/// A port given as a number (`8080`, or `"8080"`, which Kubernetes reads as
/// a number too); `None` for a port name.
fn port_number(node: &Node) -> Option<i64> {
    node.as_i64()
        .or_else(|| node.scalar_text().and_then(|t| t.parse().ok()))
}
