//! Helpers shared by the tests that run the real binary or read the YAML
//! test suite. Each test crate uses some of them, so unused ones are
//! expected.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The binary, run in `dir`, with colour and its overrides off, and the
/// fixed rule selection of `testdata/core-rules.yaml`: these tests are about
/// the command line, not about which rules the catalogue holds.
pub fn plimsoll_in(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_plimsoll"));
    cmd.current_dir(dir)
        .env(
            "PLIMSOLL_CONFIG",
            concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/core-rules.yaml"),
        )
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR");
    cmd
}

/// Asserts the exit code, and that the process did not panic.
pub fn check(output: &Output, code: i32) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("panicked"),
        "the process panicked:\n{stderr}"
    );
    assert_eq!(
        output.status.code(),
        Some(code),
        "unexpected exit code\nstdout:\n{}\nstderr:\n{stderr}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// Standard output, which must be UTF-8.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// Standard error, which must be UTF-8.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

/// The YAML test suite: `PLIMSOLL_YAML_TEST_SUITE`, or
/// `../shared/corpus/bad/yaml-test-suite` beside the crate; `None` when it
/// is not there.
pub fn yaml_test_suite() -> Option<PathBuf> {
    let path = std::env::var_os("PLIMSOLL_YAML_TEST_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/bad/yaml-test-suite")
        });
    path.join("cases.tsv").is_file().then_some(path)
}
