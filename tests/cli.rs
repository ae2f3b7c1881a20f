//! End-to-end tests of the `plimsoll` binary: output formats, exit codes,
//! standard input, directory walking, determinism and the helper commands.
//!
//! Every command runs in the crate root with relative paths, so the paths in
//! the output (and so the snapshots) do not depend on where the crate is.

use std::fs;
use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod common;

use common::{check, plimsoll_in, stderr, stdout};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The binary, run in the crate root, with colour and its overrides off.
fn plimsoll() -> Command {
    plimsoll_in(Path::new(ROOT))
}

/// Runs `plimsoll lint <args>` in the crate root and checks the exit code
/// and that nothing panicked.
fn lint(args: &[&str], code: i32) -> Output {
    let output = plimsoll().arg("lint").args(args).output().unwrap();
    check(&output, code);
    output
}

/// `plimsoll lint --format json <args>`, parsed.
fn lint_json(args: &[&str], code: i32) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let output = lint(&all, code);
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

fn findings(json: &Value) -> &Vec<Value> {
    json["findings"].as_array().expect("findings is an array")
}

/// `(rule name, file, line, column)` of every finding, in output order.
fn positions(json: &Value) -> Vec<(String, String, u64, u64)> {
    findings(json)
        .iter()
        .map(|f| {
            (
                f["rule"]["name"].as_str().unwrap().to_owned(),
                f["file"].as_str().unwrap().to_owned(),
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn rule_names(json: &Value) -> Vec<&str> {
    findings(json)
        .iter()
        .map(|f| f["rule"]["name"].as_str().unwrap())
        .collect()
}

fn files_read(json: &Value) -> u64 {
    json["summary"]["files"].as_u64().unwrap()
}

// ---------------------------------------------------------------------------
// Output formats on the example application

#[test]
fn example_human_output() {
    let output = lint(&["testdata/example"], 1);
    insta::assert_snapshot!("example_human", stdout(&output));
    // Human output ends with the summary on stdout; nothing on stderr.
    assert_eq!(stderr(&output), "");
}

#[test]
fn example_human_output_has_no_colour_without_a_terminal() {
    // Even without NO_COLOR, stdout is a pipe, so no escape codes.
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(ROOT)
        .env_remove("NO_COLOR")
        .args(["lint", "testdata/example"])
        .output()
        .unwrap();
    check(&output, 1);
    assert!(!stdout(&output).contains('\x1b'));
}

#[test]
fn example_plain_output() {
    let output = lint(&["--format", "plain", "testdata/example"], 1);
    insta::assert_snapshot!("example_plain", stdout(&output));
    // The summary goes to stderr, the same line human output ends with.
    let human = lint(&["testdata/example"], 1);
    let last = stdout(&human).lines().last().unwrap().to_owned();
    assert_eq!(stderr(&output), format!("{last}\n"));
    assert!(last.ends_with(" in 5 objects from 3 files"), "{last}");
}

/// Every format gives the same bytes on one thread as on two: reports are
/// written on the run's own threads, and a worker must never wait for
/// standard output, which the main thread holds.
#[test]
fn reports_are_the_same_on_one_thread_and_on_two() {
    for format in ["human", "json", "sarif", "junit", "github"] {
        let on = |threads: &str| {
            let output = plimsoll()
                .args([
                    "lint",
                    "-j",
                    threads,
                    "--format",
                    format,
                    "testdata/example",
                ])
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .unwrap();
            check(&output, 1);
            output.stdout
        };
        assert_eq!(on("1"), on("2"), "{format}");
    }
}

#[test]
fn example_json_output() {
    let output = lint(&["--format", "json", "testdata/example"], 1);
    let text = stdout(&output);
    // stdout is exactly one JSON document; the summary line goes to stderr.
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], 1);
    // The summary counts what the findings say.
    let count = |severity: &str| {
        findings(&json)
            .iter()
            .filter(|f| f["severity"] == severity)
            .count()
    };
    // Fields may be added to the summary within a version; these are fixed.
    let summary = &json["summary"];
    assert_eq!(summary["files"], 3);
    assert_eq!(summary["objects"], 5);
    assert_eq!(summary["errors"], count("error"));
    assert_eq!(summary["warnings"], count("warning"));
    assert_eq!(summary["infos"], count("info"));
    assert!(count("error") > 0 && count("warning") > 0);
    let human = lint(&["testdata/example"], 1);
    let last = stdout(&human).lines().last().unwrap().to_owned();
    assert_eq!(stderr(&output), format!("{last}\n"));
    insta::assert_snapshot!("example_json", text);
}

#[test]
fn json_spans_cover_the_text_they_describe() {
    let json = lint_json(&["testdata/example"], 1);
    for finding in findings(&json) {
        let file = finding["file"].as_str().unwrap();
        let text = fs::read_to_string(Path::new(ROOT).join(file)).unwrap();
        let start = finding["span"]["start"].as_u64().unwrap() as usize;
        let end = finding["span"]["end"].as_u64().unwrap() as usize;
        assert!(start <= end && end <= text.len(), "{finding}");
        // The line and column agree with the byte offset.
        let line = text[..start].matches('\n').count() + 1;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..start].chars().count() + 1;
        assert_eq!(finding["start"]["line"], line as u64, "{finding}");
        assert_eq!(finding["start"]["column"], column as u64, "{finding}");
    }
    // The privileged finding covers `key: value`, as docs/json-output.md says.
    let privileged = findings(&json)
        .iter()
        .find(|f| f["rule"]["id"] == "SEC001")
        .unwrap();
    let text = fs::read_to_string(Path::new(ROOT).join("testdata/example/cart.yaml")).unwrap();
    let (s, e) = (
        privileged["span"]["start"].as_u64().unwrap() as usize,
        privileged["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "privileged: true");
    assert_eq!(
        privileged["pointer"],
        "/spec/template/spec/containers/0/securityContext/privileged"
    );
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn a_clean_file_exits_zero() {
    let output = lint(&["testdata/cli/clean/app.yaml"], 0);
    assert_eq!(
        stdout(&output),
        "no problems in 2 objects from 1 file\n",
        "a clean run prints only the summary"
    );
}

#[test]
fn an_error_finding_exits_one() {
    let json = lint_json(&["testdata/cli/stdin/app.yaml"], 1);
    assert_eq!(rule_names(&json), ["privileged-container"]);
}

#[test]
fn warnings_alone_exit_zero_with_the_default_fail_on() {
    let json = lint_json(&["testdata/cli/warnings-only"], 0);
    assert_eq!(rule_names(&json), ["latest-image-tag"]);
    lint(&["--fail-on", "error", "testdata/cli/warnings-only"], 0);
}

#[test]
fn fail_on_warning_turns_warnings_into_failure() {
    lint(&["--fail-on", "warning", "testdata/cli/warnings-only"], 1);
    lint(&["--fail-on", "info", "testdata/cli/warnings-only"], 1);
    // A clean file still passes.
    lint(&["--fail-on", "info", "testdata/cli/clean"], 0);
}

#[test]
fn a_missing_path_exits_two_and_names_the_path() {
    let output = lint(&["-f", "plain", "testdata/cli/no-such-dir/app.yaml"], 2);
    assert_eq!(
        stdout(&output),
        "testdata/cli/no-such-dir/app.yaml:1:1: error[unreadable-file] no such file or directory\n"
    );
    let output = lint(&["testdata/cli/no-such-dir/app.yaml"], 2);
    assert!(stdout(&output).contains("testdata/cli/no-such-dir/app.yaml"));
}

#[test]
fn a_missing_path_beside_good_ones_still_lints_them_and_exits_two() {
    let json = lint_json(&["testdata/cli/clean", "missing.yaml"], 2);
    assert_eq!(
        positions(&json),
        [(
            "unreadable-file".to_owned(),
            "missing.yaml".to_owned(),
            1,
            1
        )]
    );
    assert_eq!(json["summary"]["objects"], 2);
}

#[test]
fn empty_stdin_exits_two() {
    let output = plimsoll()
        .args(["lint", "-f", "plain", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    check(&output, 2);
    assert_eq!(
        stdout(&output),
        "<stdin>:1:1: warning[empty-input] standard input is empty\n"
    );
}

#[test]
fn usage_errors_exit_two() {
    let output = plimsoll()
        .args(["lint", "--no-such-flag"])
        .output()
        .unwrap();
    check(&output, 2);
    assert!(stderr(&output).contains("--no-such-flag"));
    assert_eq!(stdout(&output), "");

    let output = plimsoll()
        .args(["lint", "--format", "xml", "."])
        .output()
        .unwrap();
    check(&output, 2);

    let output = plimsoll().arg("frobnicate").output().unwrap();
    check(&output, 2);

    let output = plimsoll().output().unwrap();
    check(&output, 2);
}

#[test]
fn stdin_named_twice_is_a_usage_error() {
    let output = plimsoll()
        .args(["lint", "-", "-"])
        .write_stdin("a: 1\n")
        .output()
        .unwrap();
    check(&output, 2);
    assert!(stderr(&output).contains("only once"));
}

#[test]
fn stdin_is_not_merged_with_a_file_of_its_stdin_filename() {
    // An editor lints its unsaved buffer under the file's own name while the
    // file on disk is linted too: both are read.
    for dir_or_file in ["testdata/cli/stdin", "testdata/cli/stdin/app.yaml"] {
        let output = plimsoll()
            .args(["lint", "-f", "json", dir_or_file, "-"])
            .args(["--stdin-filename", "testdata/cli/stdin/app.yaml"])
            .write_stdin("apiVersion: v1\nkind: Pod\nmetadata:\n  name: buffer\n")
            .output()
            .unwrap();
        check(&output, 1);
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(files_read(&json), 2, "{dir_or_file}: {json:#}");
        assert_eq!(json["summary"]["objects"], 2, "{dir_or_file}");
    }
}

#[test]
fn help_and_version_exit_zero() {
    plimsoll()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("2  usage or configuration error"));
    plimsoll()
        .args(["lint", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("--fail-on"));
    plimsoll()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("plimsoll "));
}

// ---------------------------------------------------------------------------
// Standard input

#[test]
fn stdin_findings_carry_the_stdin_filename() {
    let manifest = fs::read_to_string(Path::new(ROOT).join("testdata/cli/stdin/app.yaml")).unwrap();
    let output = plimsoll()
        .args([
            "lint",
            "-",
            "--stdin-filename",
            "k8s/app.yaml",
            "--format",
            "plain",
        ])
        .write_stdin(manifest.clone())
        .output()
        .unwrap();
    check(&output, 1);
    assert_eq!(
        stdout(&output),
        "k8s/app.yaml:12:9: error[privileged-container] container `shell` runs privileged\n"
    );

    let output = plimsoll()
        .args([
            "lint",
            "-",
            "--stdin-filename",
            "k8s/app.yaml",
            "-f",
            "json",
        ])
        .write_stdin(manifest.clone())
        .output()
        .unwrap();
    check(&output, 1);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(findings(&json)[0]["file"], "k8s/app.yaml");
    assert_eq!(
        findings(&json)[0]["object"],
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "namespace": "ops", "name": "debug-shell"})
    );

    // Without --stdin-filename the input is called <stdin>.
    let output = plimsoll()
        .args(["lint", "-", "-f", "plain"])
        .write_stdin(manifest)
        .output()
        .unwrap();
    check(&output, 1);
    assert!(stdout(&output).starts_with("<stdin>:12:9: error[privileged-container]"));
}

#[test]
fn stdin_and_files_together() {
    let manifest = fs::read_to_string(Path::new(ROOT).join("testdata/cli/stdin/app.yaml")).unwrap();
    let output = plimsoll()
        .args([
            "lint",
            "-f",
            "plain",
            "testdata/cli/warnings-only",
            "-",
            "--stdin-filename",
            "a/first.yaml",
        ])
        .write_stdin(manifest)
        .output()
        .unwrap();
    check(&output, 1);
    // Sorted by path whatever the order on the command line.
    assert_eq!(
        stdout(&output),
        "a/first.yaml:12:9: error[privileged-container] container `shell` runs privileged\n\
         testdata/cli/warnings-only/worker.yaml:19:11: warning[latest-image-tag] image `docker.io/example/queue-worker:latest` uses the `latest` tag\n"
    );
}

// ---------------------------------------------------------------------------
// Kinds of input

#[test]
fn multi_document_streams_locate_each_document() {
    let json = lint_json(&["testdata/cli/multi-doc/stream.yaml"], 0);
    // Namespace, StatefulSet and Service; the empty and comment-only
    // documents are not objects and not findings.
    assert_eq!(json["summary"]["objects"], 3);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    let f = &found[0];
    assert_eq!(f["rule"]["name"], "latest-image-tag");
    assert_eq!(
        f["message"],
        "image `redis` has no tag, so it means `latest`"
    );
    assert_eq!(
        (&f["start"]["line"], &f["start"]["column"]),
        (&28.into(), &11.into())
    );
    // Document 0 is the Namespace, 1 the empty one between `---` and `---`.
    assert_eq!(f["document"], 2);
    assert_eq!(f["object"]["kind"], "StatefulSet");
    assert_eq!(f["object"]["name"], "redis");
}

#[test]
fn json_manifests_are_linted_like_yaml() {
    let output = lint(
        &["-f", "plain", "testdata/cli/json-manifest/cronjob.json"],
        1,
    );
    assert_eq!(
        stdout(&output),
        "testdata/cli/json-manifest/cronjob.json:18:17: warning[latest-image-tag] image `ghcr.io/example/report:latest` uses the `latest` tag\n\
         testdata/cli/json-manifest/cronjob.json:22:37: error[privileged-container] container `report` runs privileged\n"
    );
    let json = lint_json(&["testdata/cli/json-manifest"], 1);
    assert_eq!(
        findings(&json)[0]["pointer"],
        "/spec/jobTemplate/spec/template/spec/containers/0/image"
    );
    assert_eq!(findings(&json)[0]["object"]["kind"], "CronJob");
}

#[test]
fn list_items_are_objects_of_their_own() {
    let json = lint_json(&["testdata/cli/list/list.yaml"], 0);
    // The two Deployments; the List itself is not an object.
    assert_eq!(json["summary"]["objects"], 2);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{json:#}");
    let f = &found[0];
    assert_eq!(f["rule"]["name"], "latest-image-tag");
    // The second item's own line, not the List's.
    assert_eq!(f["start"], serde_json::json!({"line": 48, "column": 15}));
    assert_eq!(
        f["object"],
        serde_json::json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "namespace": "catalog",
            "name": "indexer"
        })
    );
    // The pointer is relative to the item.
    assert_eq!(f["pointer"], "/spec/template/spec/containers/0/image");
    assert_eq!(f["document"], 0);

    let output = lint(&["testdata/cli/list/list.yaml"], 0);
    assert!(
        stdout(&output)
            .contains("--> testdata/cli/list/list.yaml:48:15 (Deployment catalog/indexer)"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_ignore_annotation_silences_only_the_rules_it_names() {
    let json = lint_json(&["testdata/cli/annotation"], 0);
    let found: Vec<(&str, &str)> = findings(&json)
        .iter()
        .map(|f| {
            (
                f["object"]["name"].as_str().unwrap(),
                f["rule"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("canary", "missing-readiness-probe"),
            ("canary", "missing-liveness-probe"),
            ("stable", "missing-readiness-probe"),
            ("stable", "missing-liveness-probe"),
            ("stable", "latest-image-tag"),
        ]
    );
}

#[test]
fn the_ignore_annotation_takes_ids_lists_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let pod = |name: &str, ignore: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  annotations:\n    \
             plimsoll.io/ignore: \"{ignore}\"\nspec:\n  containers:\n    - name: app\n      \
             image: nginx\n      securityContext:\n        privileged: true\n"
        )
    };
    let stream = [
        pod("by-id", "sec001"),
        pod("by-list", "REL001, privileged-container"),
        pod("everything", "all"),
        pod("other", "missing-liveness-probe"),
    ]
    .join("---\n");
    fs::write(dir.path().join("pods.yaml"), stream).unwrap();
    let output = plimsoll_in(dir.path())
        .args(["lint", "-f", "json", "pods.yaml"])
        .output()
        .unwrap();
    check(&output, 1);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found: Vec<String> = findings(&json)
        .iter()
        .map(|f| format!("{} {}", f["object"]["name"], f["rule"]["name"]))
        .collect();
    found.sort();
    let expected = [
        "\"by-id\" \"latest-image-tag\"",
        "\"by-id\" \"missing-liveness-probe\"",
        "\"by-id\" \"missing-readiness-probe\"",
        "\"by-id\" \"missing-resource-requests\"",
        "\"by-list\" \"missing-liveness-probe\"",
        "\"by-list\" \"missing-readiness-probe\"",
        "\"by-list\" \"missing-resource-requests\"",
        "\"other\" \"latest-image-tag\"",
        "\"other\" \"missing-readiness-probe\"",
        "\"other\" \"missing-resource-requests\"",
        "\"other\" \"privileged-container\"",
    ];
    assert_eq!(found, expected);
}

// ---------------------------------------------------------------------------
// Directory walking

#[test]
fn walking_finds_manifests_and_skips_hidden_ignored_and_other_files() {
    let json = lint_json(&["testdata/cli/walk"], 0);
    // base/deployment.yaml, base/service.yml, overlays/prod/settings.json
    // and chart/values.yaml; not README.md, not .hidden/, not the file
    // listed in .plimsollignore.
    assert_eq!(files_read(&json), 4);
    assert_eq!(json["summary"]["objects"], 3);
    // The Helm values file is skipped quietly, and the Service in its own
    // .yml file found the Deployment in another.
    assert_eq!(
        positions(&json),
        [(
            "latest-image-tag".to_owned(),
            "testdata/cli/walk/base/deployment.yaml".to_owned(),
            17,
            11
        )]
    );
    let all = serde_json::to_string(&json).unwrap();
    assert!(!all.contains("generated.yaml"));
    assert!(!all.contains(".hidden"));
    assert!(!all.contains("README"));
}

#[test]
fn an_explicitly_named_file_is_read_even_when_ignored_or_hidden() {
    let json = lint_json(
        &[
            "testdata/cli/walk/overlays/prod/generated.yaml",
            "testdata/cli/walk/.hidden/node-debugger.yaml",
        ],
        1,
    );
    assert_eq!(files_read(&json), 2);
    let privileged: Vec<&str> = findings(&json)
        .iter()
        .filter(|f| f["rule"]["name"] == "privileged-container")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        privileged,
        [
            "testdata/cli/walk/.hidden/node-debugger.yaml",
            "testdata/cli/walk/overlays/prod/generated.yaml"
        ]
    );
    // Named beside its directory, an ignored file is read once.
    let json = lint_json(
        &[
            "testdata/cli/walk",
            "testdata/cli/walk/overlays/prod/generated.yaml",
        ],
        1,
    );
    assert_eq!(files_read(&json), 5);
}

#[test]
fn a_path_named_twice_is_read_once() {
    let once = lint_json(&["testdata/example"], 1);
    let twice = lint_json(&["testdata/example", "testdata/example/cart.yaml"], 1);
    assert_eq!(files_read(&twice), 3);
    assert_eq!(once, twice);
}

#[test]
fn non_kubernetes_yaml_is_quiet_when_walked_and_reported_when_named() {
    let json = lint_json(&["testdata/cli/not-k8s"], 0);
    assert_eq!(files_read(&json), 1);
    assert_eq!(findings(&json).len(), 0);

    let output = lint(&["-f", "plain", "testdata/cli/not-k8s/values.yaml"], 0);
    assert_eq!(
        stdout(&output),
        "testdata/cli/not-k8s/values.yaml:2:1: warning[not-a-kubernetes-object] the document has no string `apiVersion` and `kind`\n"
    );
    lint(
        &["--fail-on", "warning", "testdata/cli/not-k8s/values.yaml"],
        1,
    );
}

#[test]
fn gitignore_is_respected_inside_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("git")
        .args(["init", "--quiet"])
        .current_dir(dir.path())
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("skipped: git is not available");
        return;
    }
    let privileged = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    \
                      - name: c\n      image: busybox:1.36.1\n      securityContext:\n        \
                      privileged: true\n";
    let clean = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n";
    fs::create_dir_all(dir.path().join("rendered")).unwrap();
    fs::create_dir_all(dir.path().join("k8s")).unwrap();
    fs::write(dir.path().join(".gitignore"), "rendered/\n*.local.yaml\n").unwrap();
    fs::write(dir.path().join("rendered/all.yaml"), privileged).unwrap();
    fs::write(dir.path().join("k8s/dev.local.yaml"), privileged).unwrap();
    fs::write(dir.path().join("k8s/settings.yaml"), clean).unwrap();
    // `.ignore` works too, in or out of a repository.
    fs::write(dir.path().join("k8s/.ignore"), "scratch.yml\n").unwrap();
    fs::write(dir.path().join("k8s/scratch.yml"), privileged).unwrap();

    let output = plimsoll_in(dir.path())
        .args(["lint", "-f", "json", "."])
        .output()
        .unwrap();
    check(&output, 0);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(files_read(&json), 1, "{json:#}");
    assert_eq!(json["summary"]["objects"], 1);

    // Named explicitly, a git-ignored file is read.
    let output = plimsoll_in(dir.path())
        .args(["lint", "-f", "plain", "rendered/all.yaml"])
        .output()
        .unwrap();
    check(&output, 1);
    assert!(
        stdout(&output).contains(
            "rendered/all.yaml:10:9: error[privileged-container] container `c` runs privileged\n"
        ),
        "{}",
        stdout(&output)
    );
}

#[test]
fn plimsollignore_works_without_git() {
    let dir = tempfile::tempdir().unwrap();
    let privileged = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    \
                      - name: c\n      image: busybox:1.36.1\n      securityContext:\n        \
                      privileged: true\n";
    fs::create_dir_all(dir.path().join("deploy/generated")).unwrap();
    fs::write(dir.path().join(".plimsollignore"), "generated/\n").unwrap();
    fs::write(dir.path().join("deploy/generated/pod.yaml"), privileged).unwrap();
    fs::write(dir.path().join("deploy/pod.YAML"), privileged).unwrap();
    let output = plimsoll_in(dir.path())
        .args(["lint", "-f", "plain", "."])
        .output()
        .unwrap();
    check(&output, 1);
    // The upper-case extension is found; the ignored directory is not.
    let text = stdout(&output);
    assert!(
        text.contains(
            "./deploy/pod.YAML:10:9: error[privileged-container] container `c` runs privileged\n"
        ),
        "{text}"
    );
    assert!(
        text.lines().all(|l| l.starts_with("./deploy/pod.YAML:")),
        "{text}"
    );
}

// ---------------------------------------------------------------------------
// Determinism

#[test]
fn json_output_is_identical_for_any_thread_count_on_the_example() {
    let one = lint(&["-f", "json", "-j", "1", "testdata/example"], 1);
    let two = lint(&["-f", "json", "-j", "2", "testdata/example"], 1);
    let eight = lint(&["-f", "json", "-j", "8", "testdata/example"], 1);
    assert_eq!(stdout(&one), stdout(&two));
    assert_eq!(stdout(&one), stdout(&eight));
}

#[test]
fn json_output_is_identical_for_any_thread_count_on_many_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..120 {
        let team = format!("team-{}", i % 7);
        let sub = dir.path().join(&team).join(format!("svc-{}", i % 5));
        fs::create_dir_all(&sub).unwrap();
        // Every third workload has a selector typo, every fifth runs
        // privileged, and the Services sit in another file from their
        // workloads, so relation rules cross files.
        let label = if i % 3 == 0 {
            format!("app-{i}x")
        } else {
            format!("app-{i}")
        };
        let tag = if i % 4 == 0 { "latest" } else { "1.2.3" };
        let deployment = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  namespace: {team}\n\
             spec:\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      \
             labels:\n        app: {label}\n    spec:\n      containers:\n        - name: main\n          \
             image: example/app-{i}:{tag}\n          securityContext:\n            privileged: {}\n          \
             env:\n            - name: MODE\n              value: a\n            - name: MODE\n              \
             value: b\n",
            i % 5 == 0
        );
        let service = format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: app-{i}\n  namespace: {team}\nspec:\n  \
             selector:\n    app: app-{i}\n  ports:\n    - port: 80\n"
        );
        fs::write(sub.join(format!("deploy-{i}.yaml")), deployment).unwrap();
        fs::write(sub.join(format!("service-{i}.yml")), service).unwrap();
    }
    let run = |threads: &str| {
        let output = plimsoll_in(dir.path())
            .args(["lint", "-f", "json", "-j", threads, "."])
            .output()
            .unwrap();
        check(&output, 1);
        stdout(&output)
    };
    let one = run("1");
    let two = run("2");
    assert_eq!(one, two);
    assert_eq!(one, run("4"));
    let json: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(files_read(&json), 240);
    assert_eq!(json["summary"]["objects"], 240);
    let count = |rule: &str| {
        findings(&json)
            .iter()
            .filter(|f| f["rule"]["name"] == rule)
            .count()
    };
    assert_eq!(count("selector-mismatch"), 40);
    assert_eq!(count("service-selects-nothing"), 40);
    assert_eq!(count("privileged-container"), 24);
    assert_eq!(count("latest-image-tag"), 30);
    assert_eq!(count("duplicate-env-var"), 120);
}

// ---------------------------------------------------------------------------
// rules, explain, completions, man

#[test]
fn rules_table() {
    // The binary prints the table the README embeds (kept current by
    // tests/readme.rs), so adding a rule changes no snapshot here.
    let output = plimsoll().arg("rules").output().unwrap();
    check(&output, 0);
    let table = stdout(&output);
    assert_eq!(table, plimsoll::cli::rules_table());
    assert!(table.starts_with("| id | name | category | severity | summary |\n"));
    assert!(table.contains("| SEC001 | `privileged-container` | security | error |"));
}

#[test]
fn rules_json_lists_every_rule() {
    let output = plimsoll()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    check(&output, 0);
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = json.as_array().unwrap();
    let table = stdout(&plimsoll().arg("rules").output().unwrap());
    // One JSON entry per table row (the table has two header lines).
    assert_eq!(rules.len(), table.lines().count() - 2);
    assert!(rules.len() >= 15);
    let mut ids = std::collections::BTreeSet::new();
    for rule in rules {
        for field in [
            "id",
            "name",
            "category",
            "severity",
            "summary",
            "remediation",
            "docs",
        ] {
            assert!(
                rule[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} of {rule}"
            );
        }
        assert!(rule["kinds"].is_array());
        assert!(ids.insert(rule["id"].as_str().unwrap().to_owned()));
        let name = rule["name"].as_str().unwrap();
        assert!(table.contains(&format!("`{name}`")));
        // Every listed rule can be explained.
        plimsoll().args(["explain", name]).assert().code(0);
    }
    for name in [
        "privileged-container",
        "latest-image-tag",
        "selector-mismatch",
        "service-selects-nothing",
        "duplicate-env-var",
        "ambiguous-yaml-scalar",
        "not-a-kubernetes-object",
        "input-limit-exceeded",
    ] {
        assert!(rules.iter().any(|r| r["name"] == name), "{name}");
    }
}

#[test]
fn explain_by_name_and_by_id() {
    let by_name = plimsoll()
        .args(["explain", "privileged-container"])
        .output()
        .unwrap();
    check(&by_name, 0);
    insta::assert_snapshot!("explain_privileged_container", stdout(&by_name));
    for id in ["SEC001", "sec001"] {
        let by_id = plimsoll().args(["explain", id]).output().unwrap();
        check(&by_id, 0);
        assert_eq!(stdout(&by_id), stdout(&by_name));
    }
}

#[test]
fn explain_suggests_the_closest_rule() {
    let output = plimsoll()
        .args(["explain", "privileged-containr"])
        .output()
        .unwrap();
    check(&output, 2);
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "plimsoll: error: no rule named `privileged-containr`; did you mean `privileged-container`?\n"
    );

    let output = plimsoll().args(["explain", "zzzz"]).output().unwrap();
    check(&output, 2);
    assert!(stderr(&output).contains("`plimsoll rules`"));
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        let output = plimsoll().args(["completions", shell]).output().unwrap();
        check(&output, 0);
        let text = stdout(&output);
        assert!(text.contains("plimsoll"), "{shell}");
        assert!(text.contains("fail-on"), "{shell}");
    }
    let output = plimsoll().arg("man").output().unwrap();
    check(&output, 0);
    let text = stdout(&output);
    assert!(text.starts_with(".ie") || text.starts_with(".TH"), "{text}");
    assert!(text.contains("plimsoll"));
    let output = plimsoll().args(["completions", "tcsh"]).output().unwrap();
    check(&output, 2);
}

#[test]
fn image_sizes_from_a_file_feed_the_oversized_image_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: report\nspec:\n  containers:\n    - name: app\n      image: ghcr.io/example/report:5.0.0\n    - name: small\n      image: ghcr.io/example/small:1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sizes.json"),
        r#"{"ghcr.io/example/report:5.0.0": 3221225472, "ghcr.io/example/small:1.0.0": 52428800}"#,
    )
    .unwrap();
    let output = plimsoll_in(dir.path())
        .args([
            "lint",
            "-f",
            "plain",
            "--select",
            "oversized-image",
            "--image-sizes",
            "sizes.json",
            "pod.yaml",
        ])
        .output()
        .unwrap();
    check(&output, 0);
    assert_eq!(
        stdout(&output),
        "pod.yaml:8:7: warning[oversized-image] image `ghcr.io/example/report:5.0.0` of container `app` is 3.0 GiB, more than 1.0 GiB\n"
    );
    std::fs::write(dir.path().join("bad.json"), "[1, 2]").unwrap();
    let output = plimsoll_in(dir.path())
        .args(["lint", "--image-sizes", "bad.json", "pod.yaml"])
        .output()
        .unwrap();
    check(&output, 2);
    assert!(
        stderr(&output)
            .contains("`bad.json` is not a JSON object of image references to sizes in bytes")
    );
}

// ---------------------------------------------------------------------------
// --context: the rest of the repository, for the staged files
// ---------------------------------------------------------------------------

const STAGED_SERVICE: &str = "testdata/cli/context/k8s/service.yaml";

/// The options of a run over the staged Service with its directory as
/// context, and the relation rule that reads a Service's target ports.
fn with_context<'a>(staged: &'a str, context: &'a str) -> [&'a str; 5] {
    [
        "--extend-select",
        "service-target-port-missing",
        staged,
        "--context",
        context,
    ]
}

#[test]
fn relation_rules_see_context_files_but_nothing_is_reported_on_them() {
    // Alone, the Service selects nothing and its target port is not checked.
    let alone = lint_json(&[STAGED_SERVICE], 0);
    assert_eq!(rule_names(&alone), ["service-selects-nothing"]);

    // With the directory as context, the Deployment is found: the missing
    // `metrics` port is reported on the Service, pointing into the context
    // file, and the Deployment's own findings and the unparsable file are
    // not reported, nor counted.
    let with = lint_json(&with_context(STAGED_SERVICE, "testdata/cli/context/k8s"), 0);
    assert_eq!(rule_names(&with), ["service-target-port-missing"]);
    let finding = &findings(&with)[0];
    assert_eq!(finding["file"], STAGED_SERVICE);
    assert_eq!(finding["pointer"], "/spec/ports/1/targetPort");
    let related = finding["related"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(
        related[0]["file"],
        "testdata/cli/context/k8s/deployment.yaml"
    );
    assert_eq!(related[0]["start"]["line"], 16);
    assert_eq!(files_read(&with), 1);
    assert_eq!(with["summary"]["objects"], 1);
    assert_eq!(with["summary"]["valid"], 1);

    // Human output shows the related lines from the context file.
    let human = lint(&with_context(STAGED_SERVICE, "testdata/cli/context/k8s"), 0);
    let text = stdout(&human);
    assert!(
        text.contains("testdata/cli/context/k8s/deployment.yaml:16"),
        "{text}"
    );
    assert!(text.contains("1 object from 1 file"), "{text}");
}

#[test]
fn a_linted_file_inside_the_context_is_linted_once() {
    // pre-commit names files without `./`; a walk of `./…` finds them with
    // it. Either way the staged file is linted, and only once.
    for context in ["testdata/cli/context/k8s", "./testdata/cli/context/k8s"] {
        for staged in [STAGED_SERVICE, &format!("./{STAGED_SERVICE}")] {
            let json = lint_json(&with_context(staged, context), 0);
            assert_eq!(files_read(&json), 1, "{staged} in {context}");
            assert_eq!(rule_names(&json), ["service-target-port-missing"]);
        }
    }
}

#[test]
fn formats_that_list_files_list_only_the_linted_ones() {
    for format in ["checkstyle", "junit"] {
        let mut args = vec!["--format", format];
        args.extend(with_context(STAGED_SERVICE, "testdata/cli/context/k8s"));
        let output = lint(&args, 0);
        let text = stdout(&output);
        assert!(text.contains("service.yaml"), "{format}: {text}");
        assert!(!text.contains("deployment.yaml\""), "{format}: {text}");
        assert!(!text.contains("broken.yaml"), "{format}: {text}");
    }
}

#[test]
fn a_missing_context_path_is_a_usage_error() {
    let output = lint(
        &[STAGED_SERVICE, "--context", "testdata/cli/no-such-dir"],
        2,
    );
    let text = stderr(&output);
    assert!(text.contains("testdata/cli/no-such-dir"), "{text}");
    assert!(text.contains("does not exist"), "{text}");
}

#[test]
fn kustomize_patches_and_build_files_are_not_objects() {
    // Only the base Deployment is an object: every finding is on it, none
    // on the listed patches or the `$patch` document. The one finding in a
    // kustomization is on the ConfigMap its generator makes, at the
    // literal the Deployment reads.
    let json = lint_json(&["--select", "all", "testdata/kustomize"], 1);
    assert_eq!(files_read(&json), 6);
    assert_eq!(json["summary"]["objects"], 1);
    let (on_deployment, elsewhere): (Vec<&Value>, Vec<&Value>) = findings(&json)
        .iter()
        .partition(|f| f["file"] == "testdata/kustomize/base/deployment.yaml");
    assert!(!on_deployment.is_empty());
    assert_eq!(elsewhere.len(), 1, "{elsewhere:?}");
    assert_eq!(
        elsewhere[0]["file"],
        "testdata/kustomize/base/kustomization.yaml"
    );
    assert_eq!(elsewhere[0]["rule"]["name"], "service-referenced-by-ip");
    assert_eq!(elsewhere[0]["start"]["line"], 10);
    assert_eq!(elsewhere[0]["object"]["kind"], "ConfigMap");

    // Named alone, as pre-commit names a staged patch, a patch is known as
    // one only with its kustomization in the run, as context for instance.
    let patch = "testdata/kustomize/overlays/prod/replicas.yaml";
    let alone = lint_json(&["--select", "all", patch], 1);
    assert_eq!(alone["summary"]["objects"], 1);
    let with = lint_json(
        &["--select", "all", patch, "--context", "testdata/kustomize"],
        0,
    );
    assert_eq!(with["summary"]["objects"], 0);
    assert!(findings(&with).is_empty(), "{with}");
}

#[test]
fn kustomize_generators_define_what_relation_rules_look_for() {
    // The base's generators make a ConfigMap and a Secret that no file
    // holds. References to their keys resolve; the one key no generator
    // makes is reported, citing the generator entry. Generated objects are
    // not counted, checked or reported on.
    let json = lint_json(&["--select", "reference-missing", "testdata/kustomize"], 0);
    assert_eq!(json["summary"]["objects"], 1);
    let found = findings(&json);
    assert_eq!(found.len(), 1, "{json}");
    let finding = &found[0];
    assert_eq!(
        finding["message"],
        "the ConfigMap `shop-settings` has no key `THEME`"
    );
    assert_eq!(finding["file"], "testdata/kustomize/base/deployment.yaml");
    let related = &finding["related"][0];
    assert_eq!(
        related["file"],
        "testdata/kustomize/base/kustomization.yaml"
    );
    assert_eq!(related["start"]["line"], 7);
    assert_eq!(related["object"]["kind"], "ConfigMap");
    // The Secret's keys come from its env file; its values are never shown.
    let human = plimsoll()
        .args(["lint", "--select", "all", "testdata/kustomize"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let human = String::from_utf8(human).unwrap();
    assert!(!human.contains("changeme"), "{human}");
    assert!(!human.contains("(Secret shop-credentials)"), "{human}");
}

#[test]
fn kustomize_generator_files_are_data_checked_as_a_config_map() {
    // `flags.yaml` looks like a custom resource but is the content of a
    // ConfigMap key: no object, so no `missing-schema`. The generated
    // ConfigMap's values are checked by the rules about a ConfigMap's data,
    // at their lines of the kustomization, and never shown. The Secret's
    // literal is committed; its env file's value is never read.
    let json = lint_json(&["--select", "all", "testdata/kustomize-generators"], 1);
    assert_eq!(files_read(&json), 3);
    assert_eq!(json["summary"]["objects"], 1);
    let elsewhere: Vec<(String, u64, u64)> = positions(&json)
        .into_iter()
        .filter(|(_, file, ..)| !file.ends_with("deployment.yaml"))
        .map(|(rule, file, line, column)| {
            assert_eq!(file, "testdata/kustomize-generators/kustomization.yaml");
            (rule, line, column)
        })
        .collect();
    let at = |rule: &str, line, column| (rule.to_owned(), line, column);
    assert_eq!(
        elsewhere,
        [
            at("secret-in-config-map", 9, 9),
            at("secret-value-in-config-map", 11, 9),
            // The file's `payments.url` names a Service the run lacks.
            at("service-reference-missing", 11, 9),
            at("secret-committed", 16, 9),
        ]
    );
    for format in ["human", "json", "sarif"] {
        let output = lint(
            &[
                "--select",
                "all",
                "--format",
                format,
                "testdata/kustomize-generators",
            ],
            1,
        );
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            !["Wq4nZr", "Rt5kW9", "Hy6tRw", "Mv2xKq"]
                .iter()
                .any(|secret| text.contains(secret)),
            "{format}: {text}"
        );
    }
}

#[test]
fn an_address_may_name_the_namespace_a_kustomization_moves_a_service_into() {
    // `payments` is written without a namespace; the kustomization moves it
    // into `shop`, which the run defines, and billing calls
    // `payments.shop.svc`. Without the kustomization, the Service is not in
    // `shop`.
    let dir = "testdata/audit-config-files";
    let select = ["--select", "service-reference-missing"];
    let built = lint_json(&[&select[..], &[dir]].concat(), 0);
    assert!(findings(&built).is_empty(), "{built}");
    let files = ["namespace.yaml", "billing.yaml", "payments.yaml"].map(|f| format!("{dir}/{f}"));
    let alone: Vec<&str> = select
        .iter()
        .copied()
        .chain(files.iter().map(String::as_str))
        .collect();
    let json = lint_json(&alone, 0);
    let messages: Vec<&str> = findings(&json)
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "`PAYMENTS_HEALTH_URL` addresses the Service `payments` in namespace `shop`, which the run does not define"
        ]
    );
}

#[test]
fn kustomize_images_pin_the_versions_of_the_files_they_build() {
    // The overlay gives `ghcr.io/example/shop` a tag; `busybox` has none.
    let messages = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--select", "latest-image-tag"];
        all.extend_from_slice(args);
        findings(&lint_json(&all, 0))
            .iter()
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect()
    };
    let busybox = "image `busybox` has no tag, so it means `latest`";
    assert_eq!(messages(&["testdata/kustomize"]), [busybox]);
    // Alone, the base is what `kubectl apply -f` would create; with its
    // overlay as context, it is built.
    let base = "testdata/kustomize/base/deployment.yaml";
    assert_eq!(messages(&[base]).len(), 2);
    assert_eq!(
        messages(&[base, "--context", "testdata/kustomize"]),
        [busybox]
    );
}

#[test]
fn kustomize_labels_fill_the_selector_a_workload_leaves_out() {
    let dir = "testdata/kustomize-labels";
    let built = lint_json(&["--select", "schema-violation", dir], 0);
    assert!(findings(&built).is_empty(), "{built}");
    assert_eq!(built["summary"]["valid"], 1);
    let alone = lint_json(
        &[
            "--select",
            "schema-violation",
            &format!("{dir}/deployment.yaml"),
        ],
        1,
    );
    assert_eq!(
        findings(&alone)[0]["message"],
        "missing required field `selector`"
    );
}

// ---------------------------------------------------------------------------
// Relation rules across projects
// ---------------------------------------------------------------------------

#[test]
fn reports_cite_the_same_named_object_in_their_own_file() {
    let json = lint_json(
        &[
            "--select",
            "statefulset-service-missing,ingress-backend-missing",
            "testdata/cli/same-name",
        ],
        0,
    );
    let app = "testdata/cli/same-name/b-app/app.yaml";
    let mut cited = Vec::new();
    for finding in findings(&json) {
        assert_eq!(finding["file"], app, "{finding}");
        for related in finding["related"].as_array().unwrap() {
            cited.push((
                finding["rule"]["name"].as_str().unwrap(),
                related["file"].as_str().unwrap(),
            ));
        }
    }
    assert_eq!(
        cited,
        [
            ("statefulset-service-missing", app),
            ("ingress-backend-missing", app),
        ]
    );
}
