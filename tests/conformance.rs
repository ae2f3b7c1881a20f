//! The YAML test suite, run through `yaml-conformance` (see
//! `src/bin/yaml-conformance.rs` and `docs/robustness.md`): the pass counts
//! must not fall below those measured when the command was written.
//!
//! The suite is not part of the project: it is read from
//! `../shared/corpus/bad/yaml-test-suite` beside the crate, or from
//! `$PLIMSOLL_YAML_TEST_SUITE`; the test says so and passes when it is absent.

use std::process::Command;

mod common;
use common::yaml_test_suite as suite;

/// Measured with the suite's 94 error cases, 308 valid cases and 279
/// expected-data files.
const ERROR_PASSED: usize = 94;
const VALID_PASSED: usize = 308;
const DATA_PASSED: usize = 279;
/// Data cases that pass only because Kubernetes reads YAML 1.1: C4HZ
/// (`y:` is a boolean key).
const YAML11_READINGS: usize = 1;

/// `P/T` as two numbers.
fn ratio(summary: &str, name: &str) -> (usize, usize) {
    let field = summary
        .split_whitespace()
        .find_map(|f| f.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no `{name}=` in {summary:?}"));
    let (passed, total) = field.split_once('/').expect("P/T");
    (passed.parse().unwrap(), total.parse().unwrap())
}

#[test]
fn yaml_test_suite_pass_counts_do_not_regress() {
    let Some(suite) = suite() else {
        eprintln!("skipped: the YAML test suite is not at ../shared/corpus/bad/yaml-test-suite");
        return;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_yaml-conformance"))
        .arg("--summary")
        .arg(&suite)
        .output()
        .expect("run yaml-conformance");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("summary "))
        .expect("a summary line");
    let (error, error_total) = ratio(summary, "error");
    let (valid, valid_total) = ratio(summary, "valid");
    let (data, data_total) = ratio(summary, "data");
    assert!(
        error_total > 0 && valid_total > 0 && data_total > 0,
        "{summary}"
    );
    assert!(error >= ERROR_PASSED, "error cases regressed:\n{stdout}");
    assert!(valid >= VALID_PASSED, "valid cases regressed:\n{stdout}");
    assert!(data >= DATA_PASSED, "expected data regressed:\n{stdout}");
    let yaml11: usize = summary
        .split_whitespace()
        .find_map(|f| f.strip_prefix("yaml11="))
        .and_then(|n| n.parse().ok())
        .expect("yaml11=N");
    // A new difference from YAML 1.2 must be looked at and listed in
    // docs/robustness.md, not slip in as a pass.
    assert!(
        yaml11 <= YAML11_READINGS,
        "new YAML 1.1 readings:\n{stdout}"
    );
}
