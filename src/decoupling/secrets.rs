//! Recognising secrets in literal text, and showing them without revealing them.
//!
//! Three signals, strongest first: a known token format (cloud access keys,
//! GitHub, GitLab and Slack tokens, private key blocks, JWTs), a password
//! inside a URL (`scheme://user:pass@host`), and a long run of characters
//! whose Shannon entropy is high enough to be random. Whatever is found is
//! only ever shown through [`redact`].

use std::sync::OnceLock;

use regex::Regex;

/// What kind of secret a piece of text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    AwsAccessKey,
    /// A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`).
    GitHubToken,
    /// A GitLab personal access token (`glpat-`).
    GitLabToken,
    /// A Slack token (`xoxb-`, `xoxp-`, …).
    SlackToken,
    /// A Google API key (`AIza…`).
    GoogleApiKey,
    /// A Stripe live secret key (`sk_live_…`).
    StripeKey,
    /// A PEM private key block.
    PrivateKey,
    /// A JSON Web Token.
    Jwt,
    /// The password part of `scheme://user:pass@host`.
    UrlPassword,
    /// A literal value of a credential-named variable, key or flag.
    NamedCredential,
    /// A long random-looking string.
    HighEntropy,
}

impl SecretKind {
    /// How a message names it: "a GitHub token".
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKey => "an AWS access key id",
            SecretKind::GitHubToken => "a GitHub token",
            SecretKind::GitLabToken => "a GitLab token",
            SecretKind::SlackToken => "a Slack token",
            SecretKind::GoogleApiKey => "a Google API key",
            SecretKind::StripeKey => "a Stripe secret key",
            SecretKind::PrivateKey => "a private key",
            SecretKind::Jwt => "a JSON Web Token",
            SecretKind::UrlPassword => "a password inside a URL",
            SecretKind::NamedCredential => "a credential",
            SecretKind::HighEntropy => "a high-entropy string that looks like a secret",
        }
    }
}

/// A secret found in a text: what it is and the secret part itself (to be
/// shown only through [`redact`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch<'a> {
    /// What was recognised.
    pub kind: SecretKind,
    /// The secret characters.
    pub secret: &'a str,
}

impl SecretMatch<'_> {
    /// "a GitHub token `gh…` (40 characters)".
    pub fn describe(&self) -> String {
        format!("{} {}", self.kind.describe(), redact(self.secret))
    }
}

/// Thresholds of the entropy test; rules read them from their parameters.
#[derive(Debug, Clone, Copy)]
pub struct EntropyLimits {
    /// Bits per character at or above which a string looks random.
    pub threshold: f64,
    /// Shortest string tested.
    pub min_length: usize,
}

impl Default for EntropyLimits {
    fn default() -> Self {
        Self {
            threshold: 4.3,
            min_length: 24,
        }
    }
}

/// Shows a secret without revealing it: at most its first two characters
/// (none when it is shorter than 8) and its length, as "`gh…` (40 characters)".
pub fn redact(secret: &str) -> String {
    let length = secret.chars().count();
    if length < 8 {
        return format!("({length} characters)");
    }
    let head: String = secret.chars().take(2).collect();
    format!("`{head}…` ({length} characters)")
}

struct Patterns {
    formats: Vec<(SecretKind, Regex)>,
    url_password: Regex,
    /// Any of the stems `has_credential_stem` looks for, in any case.
    stems: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("valid secret pattern");
        Patterns {
            formats: vec![
                (
                    SecretKind::PrivateKey,
                    re(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)"),
                ),
                (SecretKind::AwsAccessKey, re(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
                (
                    SecretKind::GitHubToken,
                    re(r"\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
                ),
                (SecretKind::GitLabToken, re(r"\bglpat-[A-Za-z0-9_\-]{20,}")),
                (SecretKind::SlackToken, re(r"\bxox[baprs]-[A-Za-z0-9\-]{10,}")),
                (SecretKind::GoogleApiKey, re(r"\bAIza[0-9A-Za-z_\-]{35}\b")),
                (SecretKind::StripeKey, re(r"\b[rs]k_live_[0-9A-Za-z]{24,}\b")),
                (
                    SecretKind::Jwt,
                    re(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
                ),
            ],
            url_password: re(r"[A-Za-z][A-Za-z0-9+.\-]*://[^/\s:@]+:([^@\s/]+)@[^\s]"),
            stems: re(r"(?i-u)pass|secret|token|bearer|key|credential"),
        }
    })
}

/// The first secret in `text` by a known format, a URL password or entropy.
pub fn find(text: &str, limits: EntropyLimits) -> Option<SecretMatch<'_>> {
    find_known(text).or_else(|| find_high_entropy(text, limits))
}

/// The first secret in `text` by a known format or a URL password.
pub fn find_known(text: &str) -> Option<SecretMatch<'_>> {
    let p = patterns();
    for (kind, re) in &p.formats {
        if let Some(m) = re.find(text) {
            return Some(SecretMatch {
                kind: *kind,
                secret: m.as_str(),
            });
        }
    }
    for caps in p.url_password.captures_iter(text) {
        let password = caps.get(1).expect("group 1").as_str();
        if !is_placeholder(password) {
            return Some(SecretMatch {
                kind: SecretKind::UrlPassword,
                secret: password,
            });
        }
    }
    None
}

/// The first run of token characters in `text` that is long enough and
/// random enough; hex strings (digests, checksums, ids) never count.
pub fn find_high_entropy(text: &str, limits: EntropyLimits) -> Option<SecretMatch<'_>> {
    // The longest runs of the characters of base64 and of tokens.
    text.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-')))
        .filter(|t| !t.is_empty())
        .find(|t| looks_random(t, limits))
        .map(|secret| SecretMatch {
            kind: SecretKind::HighEntropy,
            secret,
        })
}

fn looks_random(token: &str, limits: EntropyLimits) -> bool {
    let token = token.trim_end_matches('=');
    if token.len() < limits.min_length || token.len() > 512 {
        return false;
    }
    let has = |f: fn(&u8) -> bool| token.as_bytes().iter().any(f);
    let hex_only = token.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    // Random tokens mix cases and digits; paths and identifiers do not.
    !hex_only
        && has(u8::is_ascii_digit)
        && has(u8::is_ascii_uppercase)
        && has(u8::is_ascii_lowercase)
        && !token.contains("--")
        && shannon_entropy(token) >= limits.threshold
}

/// Shannon entropy in bits per character.
pub fn shannon_entropy(text: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in text.bytes() {
        counts[b as usize] += 1;
    }
    let n = text.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Whether every line of `value` with content is an ellipsis standing for
/// elided content (`...base64 data...`) or a PEM armour line around one: no
/// generated secret has an ellipsis, while a script or config file in a
/// Secret may mention one beside a real password.
fn is_elided(value: &str) -> bool {
    value.contains("...")
        && value.lines().all(|line| {
            let line = line.trim();
            line.is_empty() || line.contains("...") || line.starts_with("-----")
        })
}

/// Whether a value stands for a secret rather than being one: empty, a
/// `$(VAR)`/`${VAR}`/`{{ … }}` expansion, `<…>`, elided (`...`), or a word
/// such as `changeme` or `REPLACE_ME`, or only `*` or `x`.
pub fn is_placeholder(value: &str) -> bool {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let lower = value.to_ascii_lowercase();
    value.is_empty()
        || value.starts_with("$(")
        || value.starts_with("${")
        || value.starts_with('$')
        || value.contains("{{")
        || is_elided(value)
        || (value.starts_with('<') && value.ends_with('>'))
        || value
            .chars()
            .all(|c| matches!(c, '*' | 'x' | 'X' | '.' | '-' | '_'))
        || [
            "changeme",
            "change-me",
            "change_me",
            "replace_me",
            "replaceme",
            "placeholder",
            "password",
            "secret",
            "null",
            "none",
            "todo",
            "redacted",
            "dummy",
            "example",
        ]
        .contains(&lower.as_str())
}

const CREDENTIAL_WORDS: [&str; 9] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

const NOT_A_VALUE_SUFFIXES: [&str; 26] = [
    "FILE", "PATH", "DIR", "URL", "URI", "ENDPOINT", "HOST", "PORT", "NAME", "REF", "KEY_ID", "ID",
    "TTL", "EXPIRY", "EXPIRES", "TIMEOUT", "LENGTH", "HEADER", "TYPE", "ENABLED", "FORMAT",
    "FIELD", "MOUNT", "LOCATION", "REF_NAME", "KEYS",
];

/// Whether a variable, key or flag name says it holds a credential
/// (`DB_PASSWORD`, `api-token`, `clientSecret`) rather than pointing at one
/// (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`).
pub fn is_credential_name(name: &str) -> bool {
    if !has_credential_stem(name) {
        return false;
    }
    let upper = upper_snake_case(name.trim_start_matches('-'));
    if !CREDENTIAL_WORDS.iter().any(|w| upper.contains(w)) {
        return false;
    }
    !NOT_A_VALUE_SUFFIXES
        .iter()
        .any(|s| ends_with_word(&upper, s))
}

/// `clientSecret-name.v2` as `CLIENT_SECRET_NAME_V2`: camel case, dashes
/// and dots split words as underscores do, so that one list of words
/// matches every spelling of a name.
pub fn upper_snake_case(name: &str) -> String {
    let mut upper = String::with_capacity(name.len() + 4);
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            upper.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        upper.push(match c {
            '-' | '.' => '_',
            c => c.to_ascii_uppercase(),
        });
    }
    upper
}

/// Whether an upper-case `name` is `word` or ends in `_` and `word`.
pub fn ends_with_word(name: &str, word: &str) -> bool {
    name.strip_suffix(word)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('_'))
}

/// Whether `name` holds, in any case, a stem that every credential word
/// contains (`pass`, `key`, ...): a test without allocation that rules out
/// most names before the exact one, which runs on every key of every
/// embedded file.
pub fn has_credential_stem(name: &str) -> bool {
    const STEMS: [&[u8]; 6] = [
        b"pass",
        b"secret",
        b"token",
        b"bearer",
        b"key",
        b"credential",
    ];
    let bytes = name.as_bytes();
    STEMS.iter().any(|stem| {
        bytes
            .windows(stem.len())
            .any(|window| window.eq_ignore_ascii_case(stem))
    })
}

/// Whether a literal value of a credential-named field is a credential:
/// not a placeholder, not a path, not a boolean or a number.
pub fn is_credential_value(value: &str) -> bool {
    let value = value.trim();
    !(is_placeholder(value)
        || value.starts_with('/')
        || value.contains(char::is_whitespace)
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled"
        )
        || value.parse::<f64>().is_ok())
}

/// Whether a value looks like a reference rather than a secret: the name
/// of an object (`basic-auth`, `tls.example.com`), a `namespace/name` pair
/// (`cert-manager/webhook-ca`), or the name of an environment variable
/// (`OIDC_CLIENT_SECRET`), which is how configuration usually *points at* a
/// secret.
pub fn looks_like_object_name(value: &str) -> bool {
    let dns = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.'))
            && part.chars().any(|c| c.is_ascii_lowercase())
    };
    let env_name = value.len() > 2
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    env_name
        || match value.split_once('/') {
            Some((namespace, name)) => dns(namespace) && dns(name),
            None => {
                dns(value) && (value.contains('-') || !value.chars().any(|c| c.is_ascii_digit()))
            }
        }
}

/// `key: value` and `key=value` lines of an embedded configuration file
/// whose key is credential-named and whose value is a literal credential.
pub fn named_credentials_in_file(text: &str) -> Option<(&str, SecretMatch<'_>)> {
    // Most files name no credential anywhere: one scan of the whole text
    // rules them out before any line is taken apart.
    if !patterns().stems.is_match(text) {
        return None;
    }
    for (key, value) in super::values::settings(text) {
        if is_credential_name(key)
            && is_credential_value(value)
            && !looks_like_object_name(value)
            && !value.starts_with(['[', '{'])
        {
            return Some((
                key,
                SecretMatch {
                    kind: SecretKind::NamedCredential,
                    secret: value,
                },
            ));
        }
    }
    None
}

/// Whether a text is a PEM certificate or public key, whose base64 body is
/// random but public.
pub fn is_public_pem(text: &str) -> bool {
    text.contains("-----BEGIN CERTIFICATE-----")
        || text.contains("-----BEGIN PUBLIC KEY-----")
        || text.contains("-----BEGIN RSA PUBLIC KEY-----")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats() {
        let l = EntropyLimits::default();
        let gh = "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5";
        assert_eq!(find(gh, l).unwrap().kind, SecretKind::GitHubToken);
        assert_eq!(
            find("AKIAIOSFODNN7EXAMPLE", l).unwrap().kind,
            SecretKind::AwsAccessKey
        );
        let url = find("postgres://app:s3cr3tpw@db:5432/app", l).unwrap();
        assert_eq!(url.kind, SecretKind::UrlPassword);
        assert_eq!(url.secret, "s3cr3tpw");
        assert!(find("postgres://app:$(DB_PASSWORD)@db:5432/app", l).is_none());
        assert!(find("https://example.com/a/b", l).is_none());
    }

    #[test]
    fn entropy() {
        let l = EntropyLimits::default();
        assert!(find("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", l).is_some());
        // Hex digests and readable identifiers are not secrets.
        assert!(
            find(
                "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
                l
            )
            .is_none()
        );
        assert!(find("my-very-long-service-name-for-testing", l).is_none());
        assert!(find("org.apache.kafka.common.serialization.StringSerializer", l).is_none());
    }

    #[test]
    fn redaction() {
        assert_eq!(redact("ghp_abcdefgh"), "`gh…` (12 characters)");
        assert_eq!(redact("hunter2"), "(7 characters)");
    }

    #[test]
    fn names() {
        assert!(is_credential_name("DB_PASSWORD"));
        assert!(is_credential_name("--api-token"));
        assert!(is_credential_name("clientSecret"));
        assert!(!is_credential_name("PASSWORD_FILE"));
        assert!(!is_credential_name("clientSecretName"));
        assert!(!is_credential_name("LOG_LEVEL"));
    }
}
