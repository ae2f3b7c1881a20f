use super::entropy_limits;
use crate::decoupling::graph::container_literals;
use crate::decoupling::secrets::{self, is_credential_name};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags literal `env[].value`s whose *value* is a secret, whatever the
    /// variable is called: a known token format (AWS access key ids, GitHub,
    /// GitLab and Slack tokens, Google API keys, Stripe keys, private key
    /// blocks, JSON Web Tokens), a password inside a URL
    /// (`postgres://user:pass@db`), or a long string random enough to be a
    /// key (Shannon entropy of at least `entropy-threshold` bits per
    /// character, default 4.3, over at least `min-length` characters,
    /// default 24; hex digests never count). Variables whose *name* says
    /// they hold a credential (`DB_PASSWORD`) are `secret-in-env-var`'s.
    /// The finding never shows the secret: at most its first two characters
    /// and its length, and human output masks the source line.
    ///
    /// ## Why is this bad?
    /// A secret in a manifest is in version control, every rendered chart,
    /// CI log and `kubectl get -o yaml`, readable by anyone who may read
    /// the workload, and it changes only with a new rollout of the workload.
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
    ///         - name: DATABASE_URL
    ///           value: postgres://shop:Tr0ub4dor3@db:5432/shop
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
    ///             secretKeyRef: {name: shop-db, key: password}
    ///         - name: DATABASE_URL
    ///           value: postgres://shop:$(DB_PASSWORD)@db:5432/shop
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub SecretValueInEnv => {
        id: "DEC001",
        name: "secret-value-in-env",
        category: Decoupling,
        severity: Error,
        kinds: &[Kind::PodSpecCarrier],
        summary: "an environment variable's literal value is a token, key or password",
        remediation: "Store the value in a Secret (or an external secret store) and read it with `valueFrom.secretKeyRef`; then rotate it, since it has been committed.",
        equivalents: &[],
        sensitive: true,
    }
}

impl ObjectRule for SecretValueInEnv {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let limits = entropy_limits(cx);
        for literal in container_literals(object) {
            if literal.is_arg || is_credential_name(literal.name) {
                continue;
            }
            let Some(found) = secrets::find(literal.value, limits) else {
                continue;
            };
            cx.report(
                object,
                literal.pointer(),
                format!(
                    "container `{}` sets `{}` to {}",
                    literal.container,
                    literal.name,
                    found.describe()
                ),
            );
        }
    }
}
