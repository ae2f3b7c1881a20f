use super::entropy_limits;
use crate::decoupling::secrets::{self, is_credential_name, is_public_pem};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags ConfigMap `data` values that hold a secret by their *content*:
    /// a known token format, a private key block or a password inside a URL
    /// anywhere in the value; for a one-line value, a high-entropy string
    /// (parameters `entropy-threshold` and `min-length`); and inside an
    /// embedded configuration file, a `key: value` or `key=value` line whose
    /// key names a credential (`db.password=…`) with a literal value.
    /// Certificates and public keys are not secrets. Keys whose own name
    /// says they hold a credential are `secret-in-config-map`'s. The finding
    /// never shows the secret. The ConfigMaps of a kustomization's
    /// `configMapGenerator` are checked too (its `literals`, the lines of its
    /// `envs` files and the text of its `files`), at their items in the
    /// kustomization.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are meant to be read widely: by more users and service
    /// accounts than Secrets, shown in dashboards and diffed in CI output.
    /// A secret there is as good as public.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: shop
    /// data:
    ///   application.properties: |
    ///     server.port=8080
    ///     spring.datasource.url=jdbc:postgresql://db:5432/shop
    ///     spring.datasource.password=Tr0ub4dor3x
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: shop
    /// data:
    ///   application.properties: |
    ///     server.port=8080
    ///     spring.datasource.url=jdbc:postgresql://db:5432/shop
    ///     spring.datasource.password=${DB_PASSWORD}
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub SecretValueInConfigMap => {
        id: "DEC003",
        name: "secret-value-in-config-map",
        category: Decoupling,
        severity: Error,
        kinds: &[Kind::Named("ConfigMap")],
        summary: "a ConfigMap value holds a token, key or password",
        remediation: "Move the secret to a Secret and reference it (an environment variable expanded by the application, or a mounted file); then rotate it.",
        equivalents: &[],
        sensitive: true,
        generated: true,
    }
}

impl ObjectRule for SecretValueInConfigMap {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let limits = entropy_limits(cx);
        let data = Pointer::root().child("data");
        for entry in object
            .root
            .get("data")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let (Some(key), Some(value)) = (entry.key.scalar_text(), entry.value.scalar_text())
            else {
                continue;
            };
            // Knative-style `_example` keys hold commented documentation.
            if is_credential_name(key) || key.starts_with("_example") {
                continue;
            }
            let single_line = !value.trim().contains('\n');
            let found = secrets::find_known(value)
                .or_else(|| {
                    (single_line && !is_public_pem(value))
                        .then(|| secrets::find_high_entropy(value, limits))
                        .flatten()
                })
                .or_else(|| {
                    (!single_line)
                        .then(|| secrets::named_credentials_in_file(value))
                        .flatten()
                        .map(|(_, m)| m)
                });
            let Some(found) = found else {
                continue;
            };
            let detail = match secrets::named_credentials_in_file(value) {
                Some((name, m)) if m == found => format!("`{name}` set to {}", found.describe()),
                _ => found.describe(),
            };
            cx.report(
                object,
                data.child(key),
                format!("key `{key}` of this ConfigMap holds {detail}"),
            );
        }
    }
}
