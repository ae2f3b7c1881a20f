use super::context::{could_be_credential, is_credential_name, is_private_key};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags ConfigMap `data` entries that hold a credential: the key says
    /// it holds one (it contains `PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`,
    /// ... and does not end in `_FILE`, `_PATH`, `_URL`, `_NAME` and the
    /// like) and the value is not empty, a path, a reference or a
    /// placeholder (`changeme`, `<password>`, `DB_PASSWORD_VALUE`), or the
    /// value is a PEM private key whatever the key. Keys that name files
    /// (`secrets.yaml`, `token.json`) are read as names of configuration
    /// files, not credentials, and so are values of several lines under any
    /// key (`credentials: |` holding a JSON document of settings):
    /// `secret-value-in-config-map` reads the content of such embedded
    /// files. The finding names the key, never the value.
    /// The ConfigMaps of a kustomization's `configMapGenerator` are checked
    /// too, at their items in the kustomization.
    ///
    /// ## Why is this bad?
    /// ConfigMaps are meant for configuration anyone on the team may read:
    /// RBAC grants them broadly, they are shown in dashboards and logs, and
    /// they are never encrypted at rest. A credential there leaks to all of
    /// those places.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: api
    /// data:
    ///   LOG_LEVEL: info
    ///   DB_PASSWORD: hunter2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: api
    /// data:
    ///   LOG_LEVEL: info
    ///   DB_PASSWORD_FILE: /etc/api/db/password
    /// ```
    pub SecretInConfigMap => {
        id: "SEC052",
        name: "secret-in-config-map",
        category: Security,
        severity: Warning,
        kinds: &[Kind::Named("ConfigMap")],
        summary: "a ConfigMap holds a credential",
        remediation: "Move the value to a Secret and reference it from the workload.",
        equivalents: &["polaris:sensitiveConfigmapContent"],
        sensitive: true,
        generated: true,
    }
}

impl ObjectRule for SecretInConfigMap {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let data = Pointer::root().child("data");
        for entry in object
            .root
            .get("data")
            .map(Node::entries)
            .unwrap_or_default()
        {
            let Some(key) = entry.key.scalar_text() else {
                continue;
            };
            let value = entry.value.scalar_text().unwrap_or_default();
            if is_private_key(value) {
                cx.report(
                    object,
                    data.child(key),
                    format!("key `{key}` holds a private key"),
                );
            } else if is_credential_name(key)
                && !value.trim().contains('\n')
                && could_be_credential(key, value)
            {
                cx.report(
                    object,
                    data.child(key),
                    format!("key `{key}` holds a credential"),
                );
            }
        }
    }
}
