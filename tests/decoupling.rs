//! Secrets never leave plimsoll: every output format, run over fixtures
//! full of secrets, shows at most two characters of each.

use std::path::Path;

use assert_cmd::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

const FORMATS: [&str; 8] = [
    "human",
    "json",
    "plain",
    "sarif",
    "junit",
    "github",
    "checkstyle",
    "rdjson",
];

/// Fixtures whose secrets the rules report.
const FIXTURES: [&str; 7] = [
    "testdata/rules/secret-value-in-env/fail",
    "testdata/rules/secret-value-in-args/fail",
    "testdata/rules/secret-value-in-config-map/fail",
    "testdata/rules/secret-value-in-annotation/fail",
    "testdata/rules/secret-committed/fail",
    "testdata/rules/secret-in-env-var/fail",
    "testdata/rules/secret-in-config-map/fail",
];

/// Every secret in those fixtures.
const SECRETS: [&str; 17] = [
    "ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5",
    "AKIAIOSFODNN7EXAMPLE",
    "xoxb-5820374619-Yd3RfGh7Jq9Lm2Sx",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "Qv7nPw2sLk",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "glpat-Bq5Wd8Fj3Kc6Nm9Ps2Tv",
    "Hx4mRt8vNq2",
    "Sup3rS3cret",
    "Pk7Wd2Hs9Lq4Mv8Xr3Zt",
    "Z2hwX2FCM2RFNWZHN2hJOWpLMWxNM25PNXBRN3JTOXRVMXZXM3hZNQ==",
    "Tq7mZw4c",
    "Lp3vXn8q",
    "sk_live_abc123",
    "abc123",
    "MIIEexa",
];

/// Parts of token formats that the rule documentation names: public, not secret.
const FORMAT_PREFIXES: [&str; 2] = ["glpat-", "github_pat_"];

fn leaks(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for secret in SECRETS {
        let chars: Vec<char> = secret.chars().collect();
        for window in chars.windows(6) {
            let piece: String = window.iter().collect();
            if text.contains(&piece) && !FORMAT_PREFIXES.iter().any(|p| p.contains(&piece)) {
                found.push(format!("`{piece}` of `{}…`", &secret[..2]));
                break;
            }
        }
    }
    found
}

#[test]
fn no_format_shows_a_secret() {
    for format in FORMATS {
        for select in ["decoupling", "all"] {
            let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
                .current_dir(Path::new(ROOT))
                .env("NO_COLOR", "1")
                .args(["lint", "--format", format, "--select", select])
                .args(FIXTURES)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stdout.contains("secret-value-in-env")
                    || format == "junit"
                    || format == "checkstyle",
                "{format}: the secret rules did not run:\n{stdout}"
            );
            let mut problems = leaks(&stdout);
            problems.extend(leaks(&stderr));
            assert!(
                problems.is_empty(),
                "`--format {format} --select {select}` shows secrets: {problems:?}"
            );
        }
    }
}

#[test]
fn the_audit_shows_no_secret_either() {
    for format in ["human", "json", "markdown"] {
        let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
            .current_dir(Path::new(ROOT))
            .args(["audit", "--format", format])
            .args(FIXTURES)
            .output()
            .unwrap();
        let mut problems = leaks(&String::from_utf8_lossy(&output.stdout));
        problems.extend(leaks(&String::from_utf8_lossy(&output.stderr)));
        assert!(
            problems.is_empty(),
            "audit `{format}` shows secrets: {problems:?}"
        );
    }
}
