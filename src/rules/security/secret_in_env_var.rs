use super::context::{could_be_credential, is_credential_name, is_private_key};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers that set a credential as a literal environment
    /// variable: the variable's name says it holds one (it contains
    /// `PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`,
    /// `CREDENTIAL`, ... and does not end in `_FILE`, `_PATH`, `_URL`,
    /// `_NAME`, `_KEY_ID` and the like) and its `value` is written in the
    /// manifest, or the value is a PEM private key whatever the name.
    /// Values that are file paths, `$(VAR)` references or placeholders
    /// (`changeme`, `<Client Secret>`, an upper-case identifier holding the
    /// variable's own name or a word such as `INSERT` or `VALUE`) are not
    /// credentials; `valueFrom` is never flagged. The finding names the
    /// variable, never the value.
    ///
    /// ## Why is this bad?
    /// A credential in a manifest is in version control, in every rendered
    /// chart and CI log, and readable by anyone who may read the workload
    /// object, which is many more people than may read Secrets.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/api:3.2.1
    ///       env:
    ///         - name: DB_PASSWORD
    ///           value: hunter2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/api:3.2.1
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef:
    ///               name: api-db
    ///               key: password
    /// ```
    pub SecretInEnvVar => {
        id: "SEC050",
        name: "secret-in-env-var",
        category: Security,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container sets a credential as a literal environment variable",
        remediation: "Store the value in a Secret and read it with `valueFrom.secretKeyRef`, or mount the Secret as a file.",
        equivalents: &["kube-linter:env-var-secret", "polaris:sensitiveContainerEnvVar"],
        sensitive: true,
    }
}

impl ObjectRule for SecretInEnvVar {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            for (index, var) in container.node.list("env").iter().enumerate() {
                let Some(name) = var.get("name").and_then(Node::scalar_text) else {
                    continue;
                };
                let Some(value) = var.get("value").and_then(Node::scalar_text) else {
                    continue;
                };
                let message = if is_private_key(value) {
                    format!(
                        "container `{}` sets `{name}` to a literal private key",
                        container.name
                    )
                } else if is_credential_name(name) && could_be_credential(name, value) {
                    format!(
                        "container `{}` sets the credential `{name}` to a literal value",
                        container.name
                    )
                } else {
                    continue;
                };
                cx.report(
                    object,
                    container.field(&format!("env/{index}/value")),
                    message,
                );
            }
        }
    }
}
