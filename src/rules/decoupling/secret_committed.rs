use crate::decoupling::secrets::is_placeholder;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `kind: Secret` objects whose `data` or `stringData` holds real
    /// values, that is, Secrets committed to the repository with their
    /// contents. Values that are empty or placeholders (`changeme`,
    /// `${VAR}`, `<token>`) do not count, and service account token
    /// Secrets, which the control plane fills in, are skipped, and so are
    /// public values: certificates (`*.crt`, `*.pub`, CA bundles), OAuth
    /// client IDs, and the `url`, `type`, `name`, `server` and the like
    /// that accompany credentials. Each key is
    /// reported on its value; the finding names the key, never the value.
    /// The `literals` of a kustomization's `secretGenerator` are committed
    /// the same way and reported at their items; the files it reads are
    /// often kept out of the repository and are not reported.
    ///
    /// ## Why is this bad?
    /// `data` is base64, not encryption: anyone who can read the repository
    /// (every clone, fork, CI runner and backup of it) has the secret, for
    /// good, since history keeps it after the file is fixed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: shop-db
    /// type: Opaque
    /// stringData:
    ///   password: Tr0ub4dor3x
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: bitnami.com/v1alpha1
    /// kind: SealedSecret
    /// metadata:
    ///   name: shop-db
    /// spec:
    ///   encryptedData:
    ///     password: AgBy8hCi8erSSPfQ3BtXb1hTwCzs
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub SecretCommitted => {
        id: "DEC005",
        name: "secret-committed",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::Named("Secret")],
        summary: "a Secret is committed with its values",
        remediation: "Commit an encrypted form instead (Sealed Secrets, SOPS) or sync it from a secret store (External Secrets Operator, the Secrets Store CSI driver), and rotate the committed values.",
        equivalents: &[],
        sensitive: true,
        generated: true,
    }
}

impl ObjectRule for SecretCommitted {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let kind = object.root.get("type").and_then(Node::scalar_text);
        if kind == Some("kubernetes.io/service-account-token") {
            return;
        }
        for field in ["data", "stringData"] {
            let pointer = Pointer::root().child(field);
            for entry in object
                .root
                .get(field)
                .map(Node::entries)
                .unwrap_or_default()
            {
                let (Some(key), Some(value)) = (entry.key.scalar_text(), entry.value.scalar_text())
                else {
                    continue;
                };
                let plain = if field == "data" {
                    decode(value)
                } else {
                    value.to_owned()
                };
                if is_placeholder(value)
                    || is_placeholder(&plain)
                    || is_public(key)
                    || is_flag_or_number(&plain)
                {
                    continue;
                }
                let message = if object.is_written() {
                    format!("the value of `{key}` is committed in this Secret's `{field}`")
                } else {
                    format!(
                        "the value of `{key}` is committed in this `secretGenerator`'s `literals`"
                    )
                };
                cx.report(object, pointer.child(key), message);
            }
        }
    }
}

/// The base64 text decoded when it is valid and readable, for placeholder checks.
fn decode(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for b in text.trim().bytes().filter(|b| *b != b'=') {
        let Some(v) = ALPHABET.iter().position(|a| *a == b) else {
            return String::from("?");
        };
        bits = (bits << 6) | v as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| "?".to_owned())
}

/// Keys whose values are public or descriptive: certificates, public keys
/// and revocation lists, addresses (`url`, `baseUrl`), modification times,
/// OAuth client IDs (sent in the clear in every authorisation request), and
/// the `type` and names that accompany credentials.
fn is_public(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.ends_with(".crt")
        || lower.ends_with(".pub")
        || lower.ends_with(".crl")
        || lower.ends_with("url")
        || lower.ends_with("mtime")
        || lower.ends_with("ca-bundle")
        || lower.ends_with("cabundle")
        || matches!(
            lower.replace(['-', '_', '.'], "").as_str(),
            "clientid" | "oauthclientid" | "oidcclientid"
        )
        || matches!(
            lower.as_str(),
            "type"
                | "name"
                | "project"
                | "namespace"
                | "server"
                | "host"
                | "port"
                | "insecure"
                | "enableoci"
        )
}

/// Booleans and numbers configure; they are not secrets.
fn is_flag_or_number(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    matches!(v.as_str(), "true" | "false" | "yes" | "no") || v.parse::<f64>().is_ok()
}
