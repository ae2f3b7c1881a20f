//! Configuration and suppressions, on the real binary: rule selection and
//! its precedence, severity overrides, parameters, exclusions, errors that
//! point into the configuration file, and every form of suppression.

use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `plimsoll lint --format plain` in `dir` and returns the rule names
/// reported, in order, with the exit code.
fn lint(dir: &Path, args: &[&str]) -> (Vec<String>, i32, String) {
    let output = Command::cargo_bin("plimsoll")
        .unwrap()
        .current_dir(dir)
        .args(["lint", "--format", "plain", "--missing-schema", "ignore"])
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rules = stdout
        .lines()
        .filter_map(|line| {
            line.split_once('[')?
                .1
                .split_once(']')
                .map(|(rule, _)| rule.to_owned())
        })
        .collect();
    (
        rules,
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The rules these tests reason about; the catalogue holds many more, and
/// tests of selection would otherwise change with every rule added.
const CORE: &str = "[input, schema, privileged-container, latest-image-tag, missing-readiness-probe, \
                    missing-liveness-probe, missing-resource-requests, missing-pod-disruption-budget]";

/// A project whose configuration is `config`; unless it selects its own
/// rules, `CORE` replaces the defaults (appended, so that positions in the
/// configuration stay as written).
fn project(config: &str, manifest: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let selects = config.starts_with("select:") || config.contains("\nselect:");
    let config = if selects {
        config.to_owned()
    } else {
        format!("{config}\nselect: {CORE}\n")
    };
    std::fs::write(dir.path().join(".plimsoll.yaml"), config).unwrap();
    std::fs::create_dir(dir.path().join("k8s")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("testdata/config").join(manifest),
        dir.path().join("k8s/app.yaml"),
    )
    .unwrap();
    dir
}

fn sorted(mut rules: Vec<String>) -> Vec<String> {
    rules.sort();
    rules.dedup();
    rules
}

#[test]
fn the_defaults_report_default_rules_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(ROOT).join("testdata/config/selection.yaml"),
        dir.path().join("app.yaml"),
    )
    .unwrap();
    let (rules, code, _) = lint(dir.path(), &["app.yaml"]);
    for expected in [
        "latest-image-tag",
        "missing-liveness-probe",
        "missing-readiness-probe",
        "missing-resource-requests",
        "privileged-container",
    ] {
        assert!(
            rules.iter().any(|r| r == expected),
            "{expected} in {rules:?}"
        );
    }
    let registry = plimsoll::rules::registry::Registry::standard();
    assert!(
        rules
            .iter()
            .all(|r| registry.find(r).is_some_and(|m| m.default_enabled)),
        "{rules:?}"
    );
    assert_eq!(code, 1);
}

#[test]
fn select_replaces_the_defaults_and_ignore_removes_from_them() {
    let category = |rule: &str| {
        plimsoll::rules::registry::Registry::standard()
            .find(rule)
            .map(|m| m.category.as_str())
    };
    let dir = project("select: [security]\n", "selection.yaml");
    let rules = lint(dir.path(), &["k8s"]).0;
    assert!(
        rules.contains(&"privileged-container".to_owned()),
        "{rules:?}"
    );
    assert!(
        rules.iter().all(|r| category(r) == Some("security")),
        "{rules:?}"
    );

    let dir = project(
        "select: [security, reliability, efficiency]\nignore: [reliability, missing-resource-requests]\n",
        "selection.yaml",
    );
    let rules = lint(dir.path(), &["k8s"]).0;
    assert!(
        rules.contains(&"privileged-container".to_owned()),
        "{rules:?}"
    );
    assert!(
        !rules
            .iter()
            .any(|r| category(r) == Some("reliability") || r == "missing-resource-requests"),
        "{rules:?}"
    );
}

#[test]
fn the_more_specific_selector_wins_and_ignore_wins_ties() {
    // A rule name is more specific than its category.
    let dir = project(
        "select: [security, reliability]\nignore: [reliability]\nextend-select: [latest-image-tag]\n",
        "selection.yaml",
    );
    let rules = sorted(lint(dir.path(), &["k8s"]).0);
    assert!(rules.contains(&"latest-image-tag".to_owned()), "{rules:?}");
    assert!(
        !rules.contains(&"missing-liveness-probe".to_owned()),
        "{rules:?}"
    );
    // The same selector in both lists: ignore wins.
    let dir = project(
        "select: [privileged-container]\nignore: [privileged-container]\n",
        "selection.yaml",
    );
    assert_eq!(lint(dir.path(), &["k8s"]).0, Vec::<String>::new());
    // An id prefix is more specific than a category.
    let dir = project("select: [SEC001]\nignore: [security]\n", "selection.yaml");
    assert_eq!(
        sorted(lint(dir.path(), &["k8s"]).0),
        ["privileged-container"]
    );
}

#[test]
fn command_line_selectors_override_the_file() {
    let dir = project("select: [security]\n", "selection.yaml");
    let (rules, _, _) = lint(dir.path(), &["--select", "latest-image-tag,REL002", "k8s"]);
    assert_eq!(
        sorted(rules),
        ["latest-image-tag", "missing-readiness-probe"]
    );
}

#[test]
fn a_category_does_not_enable_rules_that_are_off_by_default() {
    let dir = project("select: [style]\n", "suppressions.yaml");
    assert_eq!(lint(dir.path(), &["k8s"]).0, Vec::<String>::new());
    // Suppressions of rules that did not run are not reported as unused.
    let dir = project("select: [unused-suppression]\n", "suppressions.yaml");
    assert_eq!(lint(dir.path(), &["k8s"]).0, Vec::<String>::new());
}

#[test]
fn severity_overrides_change_the_exit_code() {
    let dir = project(
        "severity:\n  privileged-container: warning\n",
        "selection.yaml",
    );
    let (_, code, _) = lint(dir.path(), &["k8s"]);
    assert_eq!(code, 0);
    let dir = project(
        "fail-on: warning\nseverity:\n  privileged-container: warning\n",
        "selection.yaml",
    );
    assert_eq!(lint(dir.path(), &["k8s"]).1, 1);
}

#[test]
fn unknown_keys_and_rule_names_point_into_the_file_with_a_suggestion() {
    let dir = project(
        "select: [security]\nignorre: [latest-image-tag]\n",
        "selection.yaml",
    );
    let (_, code, stderr) = lint(dir.path(), &["k8s"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(".plimsoll.yaml:2:1: unknown key `ignorre`; did you mean `ignore`?"),
        "{stderr}"
    );

    let dir = project("ignore:\n  - latest-image-tags\n", "selection.yaml");
    let (_, code, stderr) = lint(dir.path(), &["k8s"]);
    assert_eq!(code, 2);
    assert!(stderr.contains(".plimsoll.yaml:2:5:"), "{stderr}");
    assert!(
        stderr.contains("did you mean `latest-image-tag`?"),
        "{stderr}"
    );

    let dir = project("", "selection.yaml");
    let (_, code, stderr) = lint(dir.path(), &["--ignore", "privileged-containr", "k8s"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("did you mean `privileged-container`?"),
        "{stderr}"
    );
}

#[test]
fn excluded_paths_and_objects_are_not_linted() {
    let dir = project("exclude: [\"vendor/**\"]\n", "selection.yaml");
    std::fs::create_dir(dir.path().join("vendor")).unwrap();
    std::fs::copy(
        dir.path().join("k8s/app.yaml"),
        dir.path().join("vendor/chart.yaml"),
    )
    .unwrap();
    let (walked, _, _) = lint(dir.path(), &["."]);
    let (only_k8s, _, _) = lint(dir.path(), &["k8s"]);
    assert_eq!(walked, only_k8s, "the vendor copy was skipped");
    let (named, _, _) = lint(dir.path(), &["vendor/chart.yaml"]);
    assert!(
        !named.is_empty(),
        "a file named on the command line is always linted"
    );

    let dir = project(
        "exclude-objects:\n  - {kind: Pod, name: \"w*\"}\n",
        "selection.yaml",
    );
    assert_eq!(lint(dir.path(), &["k8s"]).0, Vec::<String>::new());
}

#[test]
fn every_kind_of_suppression_silences_its_findings_only() {
    let dir = project("", "suppressions.yaml");
    let (rules, _, _) = lint(dir.path(), &["k8s"]);
    // The object, pod-template, container and comment suppressions silence
    // their rules; the `metrics` container's latest tag is not covered.
    assert_eq!(
        sorted(rules),
        ["latest-image-tag", "missing-pod-disruption-budget"]
    );
}

#[test]
fn an_unused_suppression_is_reported_when_selected() {
    let dir = project("extend-select: [unused-suppression]\n", "suppressions.yaml");
    let output = Command::cargo_bin("plimsoll")
        .unwrap()
        .current_dir(dir.path())
        .args(["lint", "--format", "plain", "k8s"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let unused: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("unused-suppression"))
        .collect();
    assert_eq!(unused.len(), 1, "{stdout}");
    assert!(unused[0].starts_with("k8s/app.yaml:32:50:"), "{stdout}");
    assert!(unused[0].contains("`privileged-container`"), "{stdout}");
}

#[test]
fn peer_annotations_count_only_when_asked() {
    let dir = project("", "peers.yaml");
    let (plain, _, _) = lint(dir.path(), &["k8s"]);
    assert!(plain.contains(&"latest-image-tag".to_owned()));
    let (honoured, _, _) = lint(dir.path(), &["--honor-peer-annotations", "k8s"]);
    assert_eq!(honoured, ["missing-liveness-probe"]);
    let dir = project("honor-peer-annotations: true\n", "peers.yaml");
    assert_eq!(lint(dir.path(), &["k8s"]).0, ["missing-liveness-probe"]);
}

#[test]
fn parameters_and_custom_rule_files_come_from_the_configuration() {
    let dir = project(
        "rule-files: [policies/*.yaml]\nselect: [missing-team-label]\n",
        "selection.yaml",
    );
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("testdata/rule-files/team-label.yaml"),
        dir.path().join("policies/team-label.yaml"),
    )
    .unwrap();
    let (rules, code, stderr) = lint(dir.path(), &["k8s"]);
    assert_eq!(rules, ["missing-team-label"], "{stderr}");
    assert_eq!(code, 0);

    let dir = project("rule-files: [policies/broken.yaml]\n", "selection.yaml");
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    std::fs::copy(
        Path::new(ROOT).join("testdata/rule-files/unknown-field.yaml"),
        dir.path().join("policies/broken.yaml"),
    )
    .unwrap();
    let (_, code, stderr) = lint(dir.path(), &["k8s"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("broken.yaml:14:1: unknown field `templat`; did you mean `template`?"),
        "{stderr}"
    );
}

#[test]
fn numbered_probe_ports_are_checked_only_when_the_parameter_asks() {
    // The rule's own pass fixture, so that the opted-in findings are exactly
    // what the default leaves alone.
    let fixture = "../rules/probe-port-not-declared/pass/numbered-not-declared.yaml";
    let dir = project("select: [probe-port-not-declared]\n", fixture);
    let (rules, _, stderr) = lint(dir.path(), &["k8s"]);
    assert_eq!(rules, Vec::<String>::new(), "{stderr}");

    let dir = project(
        "select: [probe-port-not-declared]\nparams:\n  probe-port-not-declared: {check-numbered-ports: true}\n",
        fixture,
    );
    let (rules, _, stderr) = lint(dir.path(), &["k8s"]);
    assert_eq!(rules, ["probe-port-not-declared"; 3], "{stderr}");
}

#[test]
fn config_show_prints_the_effective_settings() {
    let dir = project(
        "select: [security]\nseverity:\n  privileged-container: warning\n",
        "selection.yaml",
    );
    let output = Command::cargo_bin("plimsoll")
        .unwrap()
        .current_dir(dir.path())
        .args(["config", "--show"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains(".plimsoll.yaml"), "{stdout}");
    assert!(
        stdout.contains("on  SEC001  warning  privileged-container"),
        "{stdout}"
    );
    assert!(stdout.contains("off REL001"), "{stdout}");
}
