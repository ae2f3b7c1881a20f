use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags container port names and Service `targetPort` names that are
    /// not valid IANA service names (at most 15 characters of lower-case
    /// letters, digits and `-`, with at least one letter, no leading,
    /// trailing or doubled `-`), and container port names used twice in one
    /// pod.
    ///
    /// ## Why is this bad?
    /// The API server rejects an invalid name, and a duplicated one makes a
    /// named `targetPort` or probe port ambiguous.
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
    ///         - name: http_metrics_endpoint
    ///           containerPort: 9090
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
    ///         - name: metrics
    ///           containerPort: 9090
    /// ```
    pub InvalidPortName => {
        id: "COR020",
        name: "invalid-port-name",
        category: Correctness,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier, Kind::Named("Service")],
        summary: "a port name is not a valid IANA service name, or is used twice in a pod",
        remediation: "Use at most 15 lower-case letters, digits and single hyphens, with at least one letter, and one name per port.",
        equivalents: &["kube-linter:invalid-target-ports", "kube-score:container-ports-check"],
    }
}

impl ObjectRule for InvalidPortName {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        if object.kind() == "Service" {
            for (index, port) in object
                .root
                .path("spec/ports")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let Some(name) = port.get("targetPort").and_then(Node::as_str) else {
                    continue;
                };
                if let Some(problem) = iana_problem(name) {
                    cx.report(
                        object,
                        Pointer::root()
                            .join("spec/ports")
                            .child(index)
                            .child("targetPort"),
                        format!("target port `{name}` {problem}"),
                    );
                }
            }
            return;
        }
        let mut seen: Vec<(&str, Pointer)> = Vec::new();
        for container in extract::containers(object) {
            for (index, port) in container.node.list("ports").iter().enumerate() {
                let Some(name) = port.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                let pointer = container.field(&format!("ports/{index}/name"));
                if let Some(problem) = iana_problem(name) {
                    cx.report(
                        object,
                        pointer.clone(),
                        format!("port name `{name}` {problem}"),
                    );
                }
                if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                    cx.report(
                        object,
                        pointer.clone(),
                        format!("port name `{name}` is used twice in the pod"),
                    )
                    .related(object, first.clone(), "first used here");
                }
                seen.push((name, pointer));
            }
        }
    }
}

/// Why `name` is not an IANA service name, if it is not one.
fn iana_problem(name: &str) -> Option<&'static str> {
    if name.len() > 15 {
        return Some("is longer than 15 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("may contain only lower-case letters, digits and `-`");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        return Some("must contain at least one letter");
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("may not start or end with `-` or contain `--`");
    }
    None
}
