use super::entropy_limits;
use crate::decoupling::secrets::{
    self, SecretKind, SecretMatch, is_credential_name, is_credential_value,
};
use crate::k8s::extract::template_metadata;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags annotations, on any object and on pod templates, whose value
    /// is a secret: a known token format, a password inside a URL, a
    /// high-entropy string (parameters `entropy-threshold` and
    /// `min-length`), or a literal value under a credential-named key
    /// (`example.com/api-token`). Checksums and digests
    /// (`checksum/config`), and `kubectl.kubernetes.io/last-applied-configuration`,
    /// are skipped. The finding never shows the secret.
    ///
    /// ## Why is this bad?
    /// Annotations are metadata: copied by tools, shown by `kubectl
    /// describe`, exported to monitoring, readable by anyone who may list the
    /// object. Credentials handed to controllers through annotations leak
    /// with them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     example.com/webhook: https://hooks.slack.com/services/T000/B000/xoxb-2931245823-Xk8PqLm2Zr4Tn6Wv
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80}]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     example.com/webhook-secret: web-webhook
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80}]
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub SecretValueInAnnotation => {
        id: "DEC004",
        name: "secret-value-in-annotation",
        category: Decoupling,
        severity: Error,
        kinds: &[Kind::Any],
        summary: "an annotation holds a token, key or password",
        remediation: "Keep the secret in a Secret and let the annotation name that Secret; then rotate it.",
        equivalents: &[],
        sensitive: true,
    }
}

impl ObjectRule for SecretValueInAnnotation {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let limits = entropy_limits(cx);
        let mut places = vec![(
            Pointer::root().join("metadata"),
            object.root.get("metadata"),
        )];
        if let Some((pointer, node)) = template_metadata(object) {
            places.push((pointer, Some(node)));
        }
        for (pointer, metadata) in places {
            let annotations = pointer.child("annotations");
            for entry in metadata
                .and_then(|m| m.get("annotations"))
                .map(Node::entries)
                .unwrap_or_default()
            {
                let (Some(key), Some(value)) = (entry.key.scalar_text(), entry.value.scalar_text())
                else {
                    continue;
                };
                let lower = key.to_ascii_lowercase();
                if lower.ends_with("last-applied-configuration")
                    || ["checksum", "hash", "digest", "signature"]
                        .iter()
                        .any(|w| lower.contains(w))
                {
                    continue;
                }
                let name = key.rsplit('/').next().unwrap_or(key);
                let named = (is_credential_name(name)
                    && is_credential_value(value)
                    && !secrets::looks_like_object_name(value))
                .then_some(SecretMatch {
                    kind: SecretKind::NamedCredential,
                    secret: value,
                });
                let Some(found) = secrets::find_known(value)
                    .or(named)
                    .or_else(|| secrets::find_high_entropy(value, limits))
                else {
                    continue;
                };
                cx.report(
                    object,
                    annotations.child(key),
                    format!("annotation `{key}` holds {}", found.describe()),
                );
            }
        }
    }
}
