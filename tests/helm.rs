//! Rendered Helm streams on standard input: findings point into the stream
//! and name the template (`# Source:` comment) their document came from.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const RULES: &str = "privileged-container,latest-image-tag";

fn lint_stdin(format: &str, extra: &[&str]) -> Output {
    let stream = std::fs::read(Path::new(ROOT).join("testdata/helm/rendered.yaml")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("PLIMSOLL_CONFIG")
        .args(["lint", "-f", format, "--select", RULES])
        .args(extra)
        .arg("-")
        .write_stdin(stream)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn json_findings_name_their_template() {
    let report: Value = serde_json::from_str(&stdout(&lint_stdin("json", &[]))).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let seen: Vec<(&str, &str, u64, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"]["name"].as_str().unwrap(),
                f["object"]["kind"].as_str().unwrap(),
                f["start"]["line"].as_u64().unwrap(),
                f["sourceTemplate"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "privileged-container",
                "Deployment",
                69,
                "shop/templates/deployment.yaml"
            ),
            (
                "latest-image-tag",
                "Pod",
                105,
                "shop/templates/tests/test-connection.yaml"
            ),
        ]
    );
    assert!(findings.iter().all(|f| f["file"] == "<stdin>"));
}

#[test]
fn human_output_says_where_it_was_rendered_from() {
    let out = stdout(&lint_stdin(
        "human",
        &["--stdin-filename", "rendered/shop.yaml"],
    ));
    assert!(
        out.contains(
            "--> rendered/shop.yaml:69:13 (Deployment release-name-shop), rendered from shop/templates/deployment.yaml\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(", rendered from shop/templates/tests/test-connection.yaml\n"),
        "{out}"
    );
}

#[test]
fn sarif_results_carry_the_template_as_a_property() {
    let sarif: Value = serde_json::from_str(&stdout(&lint_stdin("sarif", &[]))).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let templates: Vec<&str> = results
        .iter()
        .map(|r| r["properties"]["sourceTemplate"].as_str().unwrap())
        .collect();
    assert_eq!(
        templates,
        [
            "shop/templates/deployment.yaml",
            "shop/templates/tests/test-connection.yaml"
        ]
    );
}

#[test]
fn plain_manifests_have_no_template() {
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(ROOT)
        .env_remove("PLIMSOLL_CONFIG")
        .args(["lint", "-f", "json", "testdata/example"])
        .output()
        .unwrap();
    assert!(!stdout(&output).contains("sourceTemplate"));
}
