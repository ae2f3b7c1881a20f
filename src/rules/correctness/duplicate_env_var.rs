use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a container whose `env` list names the same variable twice.
    ///
    /// ## Why is this bad?
    /// Only the last definition takes effect. Whoever edits the first one
    /// sees no change, and tools that merge or patch `env` by name (Kustomize,
    /// server-side apply) may keep either one.
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
    ///       env:
    ///         - name: LOG_LEVEL
    ///           value: info
    ///         - name: LOG_LEVEL
    ///           value: debug
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
    ///       env:
    ///         - name: LOG_LEVEL
    ///           value: debug
    /// ```
    pub DuplicateEnvVar => {
        id: "COR001",
        name: "duplicate-env-var",
        category: Correctness,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container defines the same environment variable twice",
        remediation: "Keep a single entry for each variable name.",
        equivalents: &["kube-linter:duplicate-env-var", "kube-score:environment-variable-key-duplication"],
    }
}

impl ObjectRule for DuplicateEnvVar {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            let env = container.node.list("env");
            for (index, var) in env.iter().enumerate() {
                let Some(name) = var.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                let first = env[..index].iter().position(|earlier| {
                    earlier.get("name").and_then(Node::scalar_text) == Some(name)
                });
                let Some(first) = first else {
                    continue;
                };
                cx.report(
                    object,
                    container.field(&format!("env/{index}/name")),
                    format!(
                        "container `{}` sets `{name}` more than once",
                        container.name
                    ),
                )
                .related(
                    object,
                    container.field(&format!("env/{first}/name")),
                    "first set here",
                );
            }
        }
    }
}
