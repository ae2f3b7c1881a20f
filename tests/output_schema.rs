//! The JSON output matches its committed schema, `schemas/output.schema.json`,
//! for a run with every kind of finding field: related locations, list items,
//! Helm templates, file-level findings and an empty run.

use assert_cmd::Command;
use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(format!("{ROOT}/schemas/output.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .offline()
        .build(&schema)
        .expect("the output schema compiles")
}

fn output(args: &[&str]) -> Value {
    let out = Command::cargo_bin("plimsoll")
        .unwrap()
        .current_dir(ROOT)
        .args(["lint", "--format", "json", "--select", "all"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

#[test]
fn real_output_validates_against_the_committed_schema() {
    let validator = validator();
    for args in [
        vec![
            "testdata/example",
            "testdata/helm",
            "testdata/cli/list",
            "testdata/rules/yaml-syntax-error/fail",
        ],
        vec!["testdata/formats/clean", "--select", "schema"],
    ] {
        let report = output(&args);
        let errors: Vec<String> = validator
            .iter_errors(&report)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
}

#[test]
fn the_schema_rejects_what_the_format_never_writes() {
    let validator = validator();
    let mut report = output(&["testdata/example"]);
    report["findings"][0]["severity"] = "fatal".into();
    assert!(!validator.is_valid(&report));
}
