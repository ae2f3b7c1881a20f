//! What the security rules share: a container's *effective* security
//! settings, and the spellings of Linux capabilities and credential names.
//!
//! Kubernetes reads `runAsUser`, `runAsGroup`, `runAsNonRoot`,
//! `seccompProfile`, `seLinuxOptions` and `windowsOptions` from the
//! container's `securityContext` first and falls back to the pod's. Rules
//! that looked at only one of the two would flag pods that set the field
//! once for all containers, or miss a container that overrides it; the
//! helpers here keep that precedence in one place.

use crate::decoupling::secrets::{
    ends_with_word, has_credential_stem, is_placeholder, upper_snake_case,
};
use crate::k8s::Object;
use crate::k8s::extract::{self, Container};
use crate::yaml::{Node, Pointer};

/// A setting and where it was written.
pub struct Setting<'a> {
    /// The value.
    pub node: &'a Node,
    /// Where it is, relative to the object.
    pub pointer: Pointer,
    /// Whether it comes from the pod's `securityContext`, so that it applies
    /// to every container that does not override it.
    pub from_pod: bool,
}

/// The value of `field` for `container`: its own `securityContext.<field>`,
/// else the pod's `securityContext.<field>`, else `None`.
pub fn effective<'a>(
    object: &'a Object,
    container: &Container<'a>,
    field: &str,
) -> Option<Setting<'a>> {
    let own = format!("securityContext/{field}");
    if let Some(node) = container.node.path(&own).filter(|n| !n.is_null()) {
        return Some(Setting {
            node,
            pointer: container.field(&own),
            from_pod: false,
        });
    }
    let (spec_pointer, spec) = extract::pod_spec(object)?;
    let node = spec.path(&own).filter(|n| !n.is_null())?;
    Some(Setting {
        node,
        pointer: spec_pointer.join(&own),
        from_pod: true,
    })
}

/// Whether the pod runs on Windows nodes (`spec.os.name: windows`), where
/// Linux users, capabilities and seccomp do not apply.
pub fn is_windows_pod(object: &Object) -> bool {
    extract::pod_spec(object)
        .and_then(|(_, spec)| spec.path("os/name"))
        .and_then(Node::scalar_text)
        == Some("windows")
}

/// A capability as the runtime reads it: upper case, without `CAP_`.
pub fn normalize_capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").unwrap_or(&upper).to_owned()
}

/// The capabilities in `securityContext.capabilities.<list>` (`add` or
/// `drop`), normalized, with their pointers.
pub fn capabilities(container: &Container<'_>, list: &str) -> Vec<(String, Pointer)> {
    let path = format!("securityContext/capabilities/{list}");
    container
        .node
        .path(&path)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let name = item.scalar_text()?;
            Some((
                normalize_capability(name),
                container.field(&format!("{path}/{index}")),
            ))
        })
        .collect()
}

/// Words that mark a name as holding a credential.
const CREDENTIAL_WORDS: [&str; 10] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "BEARER",
    "APIKEY",
    "API_KEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

/// Final words that mark a name as *about* a credential rather than
/// holding one: where it is, what it is called, how long it lives.
const NOT_A_VALUE_SUFFIXES: [&str; 28] = [
    "FILE",
    "PATH",
    "DIR",
    "URL",
    "URI",
    "ENDPOINT",
    "HOST",
    "PORT",
    "NAME",
    "REF",
    "KEY_ID",
    "ID",
    "TTL",
    "EXPIRY",
    "EXPIRES",
    "TIMEOUT",
    "LENGTH",
    "HEADER",
    "TYPE",
    "ENABLED",
    "FORMAT",
    "FIELD",
    "MOUNT",
    "LOCATION",
    "NAMESPACE",
    "PATTERN",
    "MODE",
    "KNOWN_HOSTS",
];

/// Whether a variable or key name says it holds a credential: it contains a
/// credential word (`DB_PASSWORD`, `api-token`, `clientSecret`) and does not
/// end in a word that says it only points at one (`PASSWORD_FILE`,
/// `TOKEN_URL`, `SECRET_NAME`).
pub fn is_credential_name(name: &str) -> bool {
    if !has_credential_stem(name) || names_a_file(name) {
        return false;
    }
    let upper = upper_snake_case(name);
    if !CREDENTIAL_WORDS.iter().any(|w| upper.contains(w)) {
        return false;
    }
    !NOT_A_VALUE_SUFFIXES
        .iter()
        .any(|s| ends_with_word(&upper, s))
}

/// Extensions of configuration files, which ConfigMap keys often name.
const FILE_EXTENSIONS: [&str; 18] = [
    "html",
    "md",
    "tpl",
    "j2",
    "yaml",
    "yml",
    "json",
    "toml",
    "ini",
    "conf",
    "cfg",
    "properties",
    "xml",
    "txt",
    "sh",
    "env",
    "js",
    "py",
];

/// Whether `name` looks like a file name (`secrets.yaml`).
fn names_a_file(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| FILE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Whether the literal value of the credential-named `name` could be a
/// credential rather than a reference to one or a stand-in for it: not a
/// file path, not a boolean switch, not what the secret detector takes for
/// a placeholder (empty, an expansion, `<Client Secret>`, `changeme`, only
/// `*` or `x`), and not an upper-case template identifier.
pub fn could_be_credential(name: &str, value: &str) -> bool {
    let value = value.trim();
    !(is_placeholder(value)
        || value.starts_with('/')
        || ["true", "false", "on", "off", "yes", "no"]
            .contains(&value.to_ascii_lowercase().as_str())
        || is_template_identifier(name, value))
}

/// Words that ask the reader to fill a value in.
const PLACEHOLDER_WORDS: [&str; 6] = ["VAL", "VALUE", "INSERT", "REPLACE", "YOUR", "CHANGE"];

/// Whether `value` is an identifier in upper snake case that stands for the
/// value of `name`: it holds the variable's own name as whole words
/// (`GOOGLE_API_KEY_VAL` for `GOOGLE_API_KEY`, which a deploy script
/// substitutes) or a word that asks for a value (`INSERT_DISCOVERY_TOKEN`).
/// A random credential never spells out where it is stored or what to do
/// with it. Only this spelling, the one templates and samples use for
/// stand-ins, is read so: a password someone chose may well contain a word
/// such as `your`.
fn is_template_identifier(name: &str, value: &str) -> bool {
    let identifier = value.starts_with(|c: char| c.is_ascii_uppercase())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    identifier
        && (format!("_{value}_").contains(&format!("_{}_", upper_snake_case(name)))
            || value
                .split('_')
                .any(|word| PLACEHOLDER_WORDS.contains(&word)))
}

/// Whether a value holds a PEM private key.
pub fn is_private_key(value: &str) -> bool {
    value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for yes in [
            "DB_PASSWORD",
            "api-token",
            "clientSecret",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "password",
        ] {
            assert!(is_credential_name(yes), "{yes}");
        }
        for no in [
            "PASSWORD_FILE",
            "TOKEN_URL",
            "clientSecretName",
            "AWS_ACCESS_KEY_ID",
            "LOG_LEVEL",
            "SECRET_PATH",
            "secrets.yaml",
            "api-token-secret-namespace",
            "passwordPattern",
        ] {
            assert!(!is_credential_name(no), "{no}");
        }
    }

    #[test]
    fn credential_values() {
        for (name, value) in [
            ("DB_PASSWORD", "hunter2"),
            ("KEYCLOAK_ADMIN_PASSWORD", "admin"),
            ("API_TOKEN", "A1B2C3D4E5F6"),
            ("SIGNING_SECRET", "HUNTER2_VALUES"),
            ("clientSecret", "SECRETIVE_CLIENT"),
        ] {
            assert!(could_be_credential(name, value), "{name}: {value}");
        }
        for (name, value) in [
            ("DB_PASSWORD", "/etc/db/password"),
            ("DB_PASSWORD", "$(SHARED_PASSWORD)"),
            ("MYSQL_ROOT_PASSWORD", "changeme"),
            ("OAUTH2_PROXY_CLIENT_SECRET", "<Client Secret>"),
            ("GOOGLE_API_KEY", "GOOGLE_API_KEY_VAL"),
            ("GOOGLE_API_KEY", "GOOGLE_API_KEY"),
            ("clientSecret", "CLIENT_SECRET"),
            ("ETCD_DISCOVERY_TOKEN", "INSERT_ETCD_DISCOVERY_TOKEN"),
            ("API_TOKEN", "YOUR_TOKEN_HERE"),
            ("ADMIN_PASSWORD", "REPLACE_WITH_PASSWORD"),
        ] {
            assert!(!could_be_credential(name, value), "{name}: {value}");
        }
    }

    #[test]
    fn capability_spelling() {
        assert_eq!(normalize_capability("cap_net_raw"), "NET_RAW");
        assert_eq!(normalize_capability("All"), "ALL");
    }
}
