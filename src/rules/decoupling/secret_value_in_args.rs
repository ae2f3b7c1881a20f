use super::entropy_limits;
use crate::decoupling::graph::container_literals;
use crate::decoupling::secrets::{
    self, SecretKind, SecretMatch, is_credential_name, is_credential_value,
};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `command` and `args` items that carry a secret: a known token
    /// format, a password inside a URL, a high-entropy string (parameters
    /// `entropy-threshold` and `min-length`, as for `secret-value-in-env`),
    /// or the literal value of a credential-named flag
    /// (`--db-password=hunter22`, `--api-token abc…`). Values that are
    /// `$(VAR)` references or file paths are not secrets. The finding never
    /// shows the secret.
    ///
    /// ## Why is this bad?
    /// Arguments are in the manifest and in version control, and at run time
    /// in every process listing on the node (`ps`, `/proc/*/cmdline`), in
    /// crash reports and in audit logs of the API server.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: exporter
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/exporter:1.0.0
    ///       args: ["--listen=:9100", "--api-token=glpat-Xy7Qm2Lp9Rt4Vw8Zk3Nb"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: exporter
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/exporter:1.0.0
    ///       env:
    ///         - name: API_TOKEN
    ///           valueFrom:
    ///             secretKeyRef: {name: exporter, key: api-token}
    ///       args: ["--listen=:9100", "--api-token=$(API_TOKEN)"]
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub SecretValueInArgs => {
        id: "DEC002",
        name: "secret-value-in-args",
        category: Decoupling,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a command or argument carries a token, key or password",
        remediation: "Read the secret from a Secret: as an environment variable referenced with `$(VAR)`, or from a mounted file; then rotate it.",
        equivalents: &[],
        sensitive: true,
    }
}

impl ObjectRule for SecretValueInArgs {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let limits = entropy_limits(cx);
        for literal in container_literals(object) {
            if !literal.is_arg {
                continue;
            }
            let named = (literal.name.starts_with('-')
                && is_credential_name(literal.name)
                && is_credential_value(literal.value)
                && !secrets::looks_like_object_name(literal.value))
            .then_some(SecretMatch {
                kind: SecretKind::NamedCredential,
                secret: literal.value,
            });
            let Some(found) = secrets::find_known(literal.value)
                .or(named)
                .or_else(|| secrets::find_high_entropy(literal.value, limits))
            else {
                continue;
            };
            let flag = if literal.name.is_empty() {
                "an argument".to_owned()
            } else {
                format!("`{}`", literal.name)
            };
            cx.report(
                object,
                literal.pointer(),
                format!(
                    "container `{}` passes {} in {flag}",
                    literal.container,
                    found.describe()
                ),
            );
        }
    }
}
