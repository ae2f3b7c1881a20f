//! Telling configuration that differs per environment from values that are
//! the same everywhere.
//!
//! A value is *baked-in configuration* when it names something outside the
//! workload that changes between environments: an external URL or host, an
//! in-cluster name that embeds a namespace (`redis.prod.svc.cluster.local`),
//! a connection string, a bucket. A short service name (`cartservice:7070`)
//! is the same in every environment and is an edge of the service graph
//! instead; booleans, numbers, log levels, paths inside the image and
//! `$(VAR)` references are not configuration worth moving.

use std::sync::LazyLock;

use regex::Regex;

/// Why a value is environment-specific.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigKind {
    /// A URL or host outside the cluster.
    ExternalEndpoint,
    /// An in-cluster name that spells out a namespace.
    NamespacedService,
    /// A database or broker connection string.
    ConnectionString,
    /// An object-storage bucket.
    Bucket,
}

impl ConfigKind {
    /// How a message names it.
    pub fn describe(&self) -> &'static str {
        match self {
            ConfigKind::ExternalEndpoint => "an external endpoint",
            ConfigKind::NamespacedService => "an in-cluster address that embeds a namespace",
            ConfigKind::ConnectionString => "a connection string",
            ConfigKind::Bucket => "a bucket name",
        }
    }
}

const DSN_SCHEMES: [&str; 16] = [
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "kafka",
    "nats",
    "sqlserver",
    "cassandra",
    "memcached",
    "clickhouse",
];

const TLDS: [&str; 24] = [
    "com",
    "net",
    "org",
    "io",
    "dev",
    "app",
    "cloud",
    "co",
    "ai",
    "info",
    "biz",
    "us",
    "uk",
    "de",
    "fr",
    "eu",
    "internal",
    "corp",
    "lan",
    "example",
    "amazonaws",
    "azure",
    "gcp",
    "aws",
];

const LOG_LEVELS: [&str; 10] = [
    "trace", "debug", "info", "warn", "warning", "error", "fatal", "panic", "critical", "off",
];

/// Whether a text may hold an address: a scheme (`://`), a port (a colon
/// before a digit), or a word that names a host (`host`, `addr`, `url`,
/// ...), as [`parse_address`] and the names of address settings need. One
/// search over the text, to skip a large file without reading its lines.
pub fn may_hold_address(text: &str) -> bool {
    static HINT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)://|:[0-9]|host|addr|server|endpoint|ur[il]|upstream")
            .expect("the pattern is valid")
    });
    HINT.is_match(text)
}

/// The `key = value` and `key: value` lines of an embedded configuration
/// file (properties, env, YAML, JSON), each key and value trimmed of
/// quotes and of a trailing comma. Comments and lines whose key holds a
/// space are skipped.
pub fn settings(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines().filter_map(|line| {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with("//") {
            return None;
        }
        // `line.split_once(": ")` would set up a substring search on every
        // line of files that may be large; colons are found with `memchr`.
        let colon = || {
            let at = line
                .match_indices(':')
                .find(|(at, _)| line[at + 1..].starts_with(' '))?
                .0;
            Some((&line[..at], &line[at + 2..]))
        };
        let (key, value) = line
            .split_once('=')
            .or_else(colon)
            .filter(|(k, _)| !k.trim().contains(char::is_whitespace))?;
        let key = key.trim().trim_matches('"');
        let value = value
            .trim()
            .trim_end_matches(',')
            .trim_matches(|c| c == '"' || c == '\'');
        Some((key, value))
    })
}

/// Whether a value is clearly not configuration: empty, a boolean, a
/// number, a duration or quantity, a log level, a path, a reference, or a
/// template placeholder left unfilled.
pub fn is_trivial(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.len() < 3
        || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("$(")
        || v.starts_with("${")
        || v.contains("{{")
        || is_unfilled_placeholder(v)
        || matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled" | "none"
        )
        || LOG_LEVELS.contains(&lower.as_str())
        || v.parse::<f64>().is_ok()
        || is_quantity_or_duration(v)
}

/// Whether a value is only what a template tool fills in when the manifest
/// is rendered: a `$VAR` of envsubst or ko, or `<no value>`, which Helm
/// writes for a value the chart's values lack. Copies of it share no
/// configuration, only the template.
fn is_unfilled_placeholder(v: &str) -> bool {
    v == "<no value>"
        || v.strip_prefix('$').is_some_and(|name| {
            name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

fn is_quantity_or_duration(v: &str) -> bool {
    let digits = v.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &v[digits.len()..];
    !digits.is_empty()
        && digits.parse::<f64>().is_ok()
        && matches!(
            unit,
            "ms" | "s"
                | "m"
                | "h"
                | "d"
                | "k"
                | "K"
                | "M"
                | "G"
                | "Ki"
                | "Mi"
                | "Gi"
                | "Ti"
                | "KB"
                | "MB"
                | "GB"
        )
}

/// The parts of an address: scheme, host and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address<'a> {
    /// `https`, `redis`, …, or empty.
    pub scheme: &'a str,
    /// The host name or IP address.
    pub host: &'a str,
    /// The port, when written.
    pub port: Option<u16>,
    /// Whether the address carries `user@` or `user:pass@`.
    pub has_user: bool,
}

/// Parses `scheme://[user[:pass]@]host[:port][/…]` or `host:port` or a bare
/// host; `None` for anything else (paths, sentences, key=value pairs).
pub fn parse_address(value: &str) -> Option<Address<'_>> {
    let value = value.trim();
    if value.is_empty() || value.contains(char::is_whitespace) {
        return None;
    }
    let (scheme, rest) = match value.split_once("://") {
        Some((scheme, rest)) => {
            let scheme = scheme.strip_prefix("jdbc:").unwrap_or(scheme);
            if scheme.is_empty()
                || !scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-' | ':'))
            {
                return None;
            }
            (scheme, rest)
        }
        None => ("", value),
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let (user, host_port) = match authority.rsplit_once('@') {
        Some((user, hp)) => (Some(user), hp),
        None => (None, authority),
    };
    // Several hosts (`a:1,b:2`): the first one speaks for the value.
    let host_port = host_port.split(',').next()?;
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => (h, Some(p.parse::<u16>().ok()?)),
        Some(_) => return None,
        None => (host_port, None),
    };
    if !is_host(host) {
        return None;
    }
    if scheme.is_empty() && port.is_none() && rest.len() != host.len() {
        return None;
    }
    Some(Address {
        scheme,
        host,
        port,
        has_user: user.is_some(),
    })
}

/// Whether `text` is a DNS name or an IPv4 address.
pub fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && (parse_ipv4(text).is_some()
            || (text.starts_with(|c: char| c.is_ascii_alphabetic())
                && text.split('.').all(|label| {
                    !label.is_empty()
                        && label.len() <= 63
                        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                })))
}

/// The four octets of a dotted IPv4 address.
pub fn parse_ipv4(text: &str) -> Option<[u8; 4]> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *octet = part.parse().ok()?;
    }
    parts.next().is_none().then_some(octets)
}

/// Whether an IP address is one a service could be reached at: not the
/// unspecified address, loopback or link-local metadata addresses.
pub fn is_routable_ip(octets: [u8; 4]) -> bool {
    !matches!(octets, [0, ..] | [127, ..] | [255, 255, 255, 255])
}

/// Whether a host name lies outside the cluster: it has a dot and ends in a
/// well-known top-level or cloud domain.
pub fn is_external_host(host: &str) -> bool {
    if parse_ipv4(host).is_some() || host == "localhost" || !host.contains('.') {
        return false;
    }
    let last = host.rsplit('.').next().unwrap_or_default();
    TLDS.contains(&last)
}

/// Whether a host is an in-cluster DNS name that spells out a namespace:
/// `svc.ns.svc`, `svc.ns.svc.cluster.local` or, with a port, `svc.ns`.
pub fn is_namespaced_service_host(host: &str, has_port: bool) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    if host.ends_with(".svc") || host.ends_with(".svc.cluster.local") {
        return labels.len() >= 3;
    }
    has_port && labels.len() == 2 && !is_external_host(host) && parse_ipv4(host).is_none()
}

/// Whether `value` of a variable or flag called `name` is environment-specific
/// configuration, and why.
pub fn classify(name: &str, value: &str) -> Option<ConfigKind> {
    let value = value.trim();
    if is_trivial(value) {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("s3://") || lower.starts_with("gs://") || lower.starts_with("az://") {
        return Some(ConfigKind::Bucket);
    }
    let upper_name = name.to_ascii_uppercase();
    if upper_name.contains("BUCKET")
        && !upper_name.ends_with("_REGION")
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.'))
        && value.len() >= 3
    {
        return Some(ConfigKind::Bucket);
    }
    let address = parse_address(value)?;
    if parse_ipv4(address.host).is_some() || address.host == "localhost" {
        return None;
    }
    let scheme = address.scheme.to_ascii_lowercase();
    let dsn = DSN_SCHEMES.contains(&scheme.as_str()) || value.starts_with("jdbc:");
    if is_namespaced_service_host(address.host, address.port.is_some()) {
        return Some(if dsn && address.has_user {
            ConfigKind::ConnectionString
        } else {
            ConfigKind::NamespacedService
        });
    }
    if is_external_host(address.host) {
        return Some(if dsn {
            ConfigKind::ConnectionString
        } else {
            ConfigKind::ExternalEndpoint
        });
    }
    // A connection string to a short in-cluster name is an edge of the
    // service graph unless it carries a user and a database.
    (dsn && address.has_user).then_some(ConfigKind::ConnectionString)
}

/// The ConfigMap key a value would get: the variable name as is (so
/// `envFrom` keeps working), or a flag name without its dashes.
pub fn config_map_key(name: &str) -> String {
    name.trim_start_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_from_every_kind_of_file() {
        let text = "\
# a comment
server.port=8080
  url: http://prometheus:9090
\"issuer\": \"http://dex.auth:5556/dex\",
time:12:30
plain line without a setting
two words: no
// also a comment
";
        assert_eq!(
            settings(text).collect::<Vec<_>>(),
            [
                ("server.port", "8080"),
                ("url", "http://prometheus:9090"),
                ("issuer", "http://dex.auth:5556/dex"),
            ]
        );
    }

    #[test]
    fn only_files_that_name_a_scheme_port_or_host_may_hold_addresses() {
        for text in ["a: http://x", "x=cart:7070", "db.HOST=pg", "upstreams:\n"] {
            assert!(may_hold_address(text), "{text}");
        }
        for text in [
            "{\"expr\": \"sum(rate(x[5m]))\", \"legendFormat\": \"{{pod}}\"}",
            "a: 1\nb: two",
        ] {
            assert!(!may_hold_address(text), "{text}");
        }
    }

    #[test]
    fn baked_in() {
        assert_eq!(
            classify("API_URL", "https://api.stripe.com/v1"),
            Some(ConfigKind::ExternalEndpoint)
        );
        assert_eq!(
            classify("REDIS", "redis.prod.svc.cluster.local:6379"),
            Some(ConfigKind::NamespacedService)
        );
        assert_eq!(
            classify("DB", "postgres://app@db.prod.example.com:5432/shop"),
            Some(ConfigKind::ConnectionString)
        );
        assert_eq!(
            classify("ASSETS_BUCKET", "shop-assets-prod"),
            Some(ConfigKind::Bucket)
        );
        assert_eq!(
            classify("OUT", "s3://shop-exports/daily"),
            Some(ConfigKind::Bucket)
        );
    }

    #[test]
    fn not_baked_in() {
        for (name, value) in [
            ("CART_SERVICE_ADDR", "cartservice:7070"),
            ("ENABLE_TRACING", "true"),
            ("PORT", "8080"),
            ("LOG_LEVEL", "debug"),
            ("CONFIG", "/etc/app/config.yaml"),
            ("POD_IP", "$(POD_IP)"),
            ("REPO", "$KO_DOCKER_REPO"),
            ("ENDPOINT", "<no value>"),
            ("TIMEOUT", "30s"),
            ("LISTEN", "0.0.0.0:8080"),
            ("MAIN_CLASS", "com.example.Main"),
            ("CONFIG_FILE", "config.yaml"),
            ("GREETING", "hello world"),
            ("REDIS_ADDR", "redis-cart:6379"),
        ] {
            assert_eq!(classify(name, value), None, "{name}={value}");
        }
    }
}
