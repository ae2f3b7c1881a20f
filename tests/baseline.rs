//! `--baseline` and `--write-baseline` on the real binary, in a temporary
//! directory: a team adopts plimsoll, edits its manifests and must see only
//! the problems it adds.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The rules of these tests: fixed, so that rules added to plimsoll later do
/// not change what a manifest edit introduces.
const RULES: &str = "privileged-container,latest-image-tag,yaml-syntax-error";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn findings(&self) -> Vec<Value> {
        let report: Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout));
        report["findings"].as_array().unwrap().clone()
    }
}

fn plimsoll(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("PLIMSOLL_CONFIG")
        .args(args)
        .output()
        .unwrap();
    let run = Run {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// `plimsoll lint -f json --select RULES <args> k8s`.
fn lint(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["lint", "-f", "json", "--select", RULES];
    all.extend_from_slice(args);
    all.push("k8s");
    plimsoll(dir, &all)
}

fn deployment(name: &str, containers: &[(&str, &str, bool)]) -> String {
    let mut out = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n"
    );
    for (container, image, privileged) in containers {
        out.push_str(&format!(
            "        - name: {container}\n          image: {image}\n          securityContext:\n            privileged: {privileged}\n"
        ));
    }
    out
}

/// A repository with `k8s/app.yaml` holding two problems: a privileged
/// container and an image without a tag.
fn legacy_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("k8s")).unwrap();
    let app = deployment(
        "cart",
        &[("cart", "nginx", true), ("sidecar", "envoy:1.30", false)],
    );
    fs::write(dir.path().join("k8s/app.yaml"), app).unwrap();
    dir
}

fn write_baseline(dir: &Path) {
    let run = lint(dir, &["--write-baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("baseline `baseline.yaml` written: 2 findings recorded"),
        "{}",
        run.stderr
    );
}

fn edit(dir: &Path, file: &str, edit: impl FnOnce(String) -> String) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, edit(text)).unwrap();
}

#[test]
fn without_a_baseline_the_legacy_problems_fail_the_run() {
    let dir = legacy_repo();
    let run = lint(dir.path(), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.findings().len(), 2);
}

#[test]
fn editing_above_the_findings_keeps_them_baselined() {
    let dir = legacy_repo();
    write_baseline(dir.path());
    let before = lint(dir.path(), &[]).findings();
    edit(dir.path(), "k8s/app.yaml", |text| {
        let header = "# The shop's cart.\n# Owned by the payments team.\n\n";
        let labels = "metadata:\n  labels:\n    team: payments\n    tier: backend\n";
        format!("{header}{}", text.replacen("metadata:\n", labels, 1))
    });
    let after = lint(dir.path(), &[]).findings();
    assert_eq!(after.len(), 2);
    for (b, a) in before.iter().zip(&after) {
        assert!(
            a["start"]["line"].as_u64() > b["start"]["line"].as_u64(),
            "the edit moved the findings"
        );
    }

    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.findings().is_empty(), "{}", run.stdout);
    assert_eq!(run.findings().len(), 0);
    let summary: Value = serde_json::from_str::<Value>(&run.stdout).unwrap()["summary"].clone();
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["warnings"], 0);
    assert!(
        run.stderr
            .contains("2 findings in the baseline, 0 fixed, 2 still present"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_new_problem_is_exactly_one_new_finding() {
    let dir = legacy_repo();
    write_baseline(dir.path());
    // A third container, privileged like the first.
    edit(dir.path(), "k8s/app.yaml", |text| {
        format!(
            "{text}        - name: debug\n          image: busybox:1.36\n          securityContext:\n            privileged: true\n"
        )
    });
    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert_eq!(findings[0]["rule"]["name"], "privileged-container");
    assert_eq!(
        findings[0]["pointer"],
        "/spec/template/spec/containers/2/securityContext/privileged"
    );
    assert!(run.stderr.contains("0 fixed"), "{}", run.stderr);
}

#[test]
fn a_fixed_problem_is_counted_as_fixed() {
    let dir = legacy_repo();
    write_baseline(dir.path());
    edit(dir.path(), "k8s/app.yaml", |text| {
        text.replacen("privileged: true", "privileged: false", 1)
    });
    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty());
    assert!(
        run.stderr
            .contains("2 findings in the baseline, 1 fixed, 1 still present"),
        "{}",
        run.stderr
    );
}

#[test]
fn only_new_findings_count_for_fail_on() {
    let dir = legacy_repo();
    write_baseline(dir.path());
    // A new warning: the sidecar loses its tag.
    edit(dir.path(), "k8s/app.yaml", |text| {
        text.replace("envoy:1.30", "envoy")
    });
    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "a baselined error must not fail the run");
    assert_eq!(run.findings().len(), 1);
    let run = lint(
        dir.path(),
        &["--baseline", "baseline.yaml", "--fail-on", "warning"],
    );
    assert_eq!(run.code, 1);
}

#[test]
fn identical_keys_are_counted_as_a_multiset() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("k8s")).unwrap();
    // The same object twice in one file: two findings with one key.
    let doc = deployment("cart", &[("cart", "nginx:1.27", true)]);
    fs::write(dir.path().join("k8s/app.yaml"), format!("{doc}---\n{doc}")).unwrap();
    let run = lint(dir.path(), &["--write-baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    assert_eq!(text.matches("rule: privileged-container").count(), 2);

    fs::write(
        dir.path().join("k8s/app.yaml"),
        format!("{doc}---\n{doc}---\n{doc}"),
    )
    .unwrap();
    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 1);
    let findings = run.findings();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert_eq!(findings[0]["document"], 2, "the last one is the new one");

    fs::write(dir.path().join("k8s/app.yaml"), &doc).unwrap();
    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("1 fixed"), "{}", run.stderr);
}

#[test]
fn findings_about_no_object_match_by_message() {
    let dir = legacy_repo();
    fs::write(dir.path().join("k8s/broken.yaml"), "a: [1, 2\n").unwrap();
    let run = lint(dir.path(), &["--write-baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    assert!(
        text.contains("  - file: k8s/broken.yaml\n    rule: yaml-syntax-error\n    message: \""),
        "{text}"
    );
    edit(dir.path(), "k8s/broken.yaml", |text| {
        format!("# header\n{text}")
    });
    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.findings().is_empty(), "{}", run.stdout);
}

#[test]
fn the_baseline_is_sorted_and_deterministic() {
    let dir = legacy_repo();
    fs::write(
        dir.path().join("k8s/a-first.yaml"),
        deployment("web", &[("web", "httpd", true)]),
    )
    .unwrap();
    let write = |threads: &str| {
        let run = lint(
            dir.path(),
            &["--write-baseline", "baseline.yaml", "-j", threads],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        fs::read(dir.path().join("baseline.yaml")).unwrap()
    };
    let first = write("1");
    let second = write("8");
    assert_eq!(first, second, "the same findings must give the same bytes");

    // The same baseline from another working directory: files are named
    // relative to the baseline's directory.
    let sub = dir.path().join("k8s");
    let run = plimsoll(
        &sub,
        &[
            "lint",
            "-f",
            "json",
            "--select",
            RULES,
            "--write-baseline",
            "../baseline.yaml",
            ".",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fs::read(dir.path().join("baseline.yaml")).unwrap(), first);

    let text = String::from_utf8(first).unwrap();
    assert!(text.contains("\nversion: 1\n"), "{text}");
    let entries: Vec<&str> = text.split("\n  - ").skip(1).collect();
    assert_eq!(entries.len(), 4, "{text}");
    let files: Vec<&str> = entries
        .iter()
        .map(|e| e.lines().next().unwrap().trim_start_matches("file: "))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert_eq!(files[0], "k8s/a-first.yaml");
    assert!(
        text.contains(
            "  - file: k8s/app.yaml\n    object: {apiVersion: apps/v1, kind: Deployment, namespace: shop, name: cart}\n    pointer: /spec/template/spec/containers/0/image\n    rule: latest-image-tag\n"
        ),
        "{text}"
    );
    // Entries are sorted by file, object, pointer and rule, in that order.
    let field = |entry: &str, name: &str| {
        entry
            .lines()
            .map(|l| l.trim_start_matches("  - ").trim())
            .find_map(|l| l.strip_prefix(name).map(str::to_owned))
            .unwrap_or_default()
    };
    let keys: Vec<[String; 4]> = entries
        .iter()
        .map(|e| ["file: ", "object: ", "pointer: ", "rule: "].map(|f| field(e, f)))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_ne!(keys[0][2], keys[1][2], "two pointers in one object");
}

#[test]
fn the_example_baseline_is_stable_for_every_rule() {
    // All rules on a realistic fixture: written twice, byte-identical, and
    // the run with it reports nothing.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("baseline.yaml");
    let path = path.to_str().unwrap();
    let mut texts = Vec::new();
    for _ in 0..2 {
        let run = plimsoll(
            root,
            &["lint", "--write-baseline", path, "testdata/example"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        texts.push(fs::read(path).unwrap());
    }
    assert_eq!(texts[0], texts[1]);
    let run = plimsoll(
        root,
        &["lint", "-f", "json", "--baseline", path, "testdata/example"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty());
}

#[test]
fn a_missing_or_invalid_baseline_is_a_usage_error() {
    let dir = legacy_repo();
    let run = lint(dir.path(), &["--baseline", "nowhere.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read the baseline `nowhere.yaml`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "nothing is linted: {}", run.stdout);

    fs::write(
        dir.path().join("bad.yaml"),
        "version: 1\nfindings:\n  - file: k8s/app.yaml\n    rule: [oops\n",
    )
    .unwrap();
    let run = lint(dir.path(), &["--baseline", "bad.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid baseline `bad.yaml`, line "),
        "{}",
        run.stderr
    );

    fs::write(
        dir.path().join("bad.yaml"),
        "version: 1\nfindings:\n  - file: k8s/app.yaml\n    rule: latest-image-tag\n    line: 12\n",
    )
    .unwrap();
    let run = lint(dir.path(), &["--baseline", "bad.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("invalid baseline `bad.yaml`, line 5, column 5: unknown field"),
        "{}",
        run.stderr
    );

    fs::write(dir.path().join("bad.yaml"), "version: 7\nfindings: []\n").unwrap();
    let run = lint(dir.path(), &["--baseline", "bad.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("line 1, column 10: unsupported baseline version 7"),
        "{}",
        run.stderr
    );

    let run = lint(
        dir.path(),
        &["--baseline", "a.yaml", "--write-baseline", "b.yaml"],
    );
    assert_eq!(run.code, 2, "the two flags conflict");
}

#[test]
fn an_empty_baseline_lists_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("k8s")).unwrap();
    fs::write(
        dir.path().join("k8s/ok.yaml"),
        deployment("ok", &[("ok", "nginx:1.27", false)]),
    )
    .unwrap();
    let run = lint(dir.path(), &["--write-baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    assert!(text.ends_with("version: 1\nfindings: []\n"), "{text}");
    let run = lint(dir.path(), &["--baseline", "baseline.yaml"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("0 findings in the baseline, 0 fixed"));
}
