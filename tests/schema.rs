//! Schema validation end to end, on realistic manifests under
//! `testdata/schema/`:
//!
//! - `valid/`: one file per major kind; no schema finding at all.
//! - `invalid/`: the same kinds with real mistakes. Every expected finding
//!   is marked on its line with
//!   `# expect: <rule> <pointer> <message fragment>` (or
//!   `# expect-next-line: ...` for the line below). The pointer is the
//!   finding's JSON pointer, `""` for the object itself; the fragment must
//!   occur in the message. A line may carry several markers. The findings of
//!   the schema rules must be exactly the marked ones: rule, pointer, line and
//!   message.
//! - `crd/`: a CustomResourceDefinition and custom resources, linted in one
//!   run (the CRD must be in the run), with the same markers.
//! - `crd-keywords/`: the same for a CRD with the keywords that are
//!   compiled node by node (`anyOf`, `oneOf`, `not`, `pattern`, ...), and
//!   resources that break it at every depth.
//! - `re2/`: the same for a CRD whose patterns are RE2 with a
//!   case-insensitive flag, which ECMA-262 cannot write inline.
//! - `versions/`: APIs removed or deprecated between Kubernetes releases,
//!   checked against a table of versions below.
//! - `no-crd/`: a custom resource whose CRD is not linted, and kustomize
//!   build files, which need no schema.
//! - `hostile/`: a CRD with a remote `$ref`, and a Secret whose values must
//!   not leak into messages.
//!
//! Other rules (probes, requests, ...) may report what they like; only the
//! schema rules are checked.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use plimsoll::engine::{self, Options, Outcome};
use plimsoll::finding::Finding;
use plimsoll::schema::{MissingSchemaPolicy, SchemaOptions};
use plimsoll::source::discover::discover;
use serde_json::Value;

const FIXTURES: &str = "testdata/schema";

/// The rules schema validation reports.
const SCHEMA_RULES: [&str; 4] = [
    "schema-violation",
    "removed-api-version",
    "deprecated-api-version",
    "missing-schema",
];

// ---------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------

fn schema_options(version: &str, strict: bool, missing: MissingSchemaPolicy) -> SchemaOptions {
    SchemaOptions {
        version: version.parse().expect("a Kubernetes version"),
        strict,
        missing,
        ..SchemaOptions::default()
    }
}

fn strict() -> SchemaOptions {
    SchemaOptions::default()
}

/// Lints `paths` in one run, as `plimsoll lint <paths>` would.
fn lint(paths: &[PathBuf], schema: SchemaOptions) -> Outcome {
    let (inputs, walk_errors) = discover(paths, &engine::default_stdin_name());
    let options = Options {
        schema,
        ..Options::default()
    };
    engine::run(inputs, walk_errors, &options, &AtomicUsize::new(0))
}

fn fixture(relative: &str) -> PathBuf {
    let path = Path::new(FIXTURES).join(relative);
    assert!(
        path.exists(),
        "{} not found; integration tests run from the package root",
        path.display()
    );
    path
}

/// The YAML files of a fixture directory, sorted.
fn files_in(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(dir))
        .expect("read fixture directory")
        .map(|e| e.expect("read fixture entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {FIXTURES}/{dir}");
    files
}

/// A schema finding, reduced to what the markers check.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Actual {
    rule: String,
    pointer: String,
    line: u32,
    message: String,
}

impl std::fmt::Display for Actual {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:?} line {}: {}",
            self.rule, self.pointer, self.line, self.message
        )
    }
}

fn actual(finding: &Finding) -> Actual {
    Actual {
        rule: finding.rule.name.to_owned(),
        pointer: finding
            .location
            .pointer
            .as_ref()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        line: finding.location.start.line,
        message: finding.message.clone(),
    }
}

/// The findings of the schema rules in `path`.
fn schema_findings(outcome: &Outcome, path: &Path) -> Vec<Actual> {
    outcome
        .findings
        .iter()
        .filter(|f| SCHEMA_RULES.contains(&f.rule.name))
        .filter(|f| outcome.files[f.location.file.0 as usize].path == path)
        .map(actual)
        .collect()
}

fn all_schema_findings(outcome: &Outcome) -> Vec<Actual> {
    outcome
        .findings
        .iter()
        .filter(|f| SCHEMA_RULES.contains(&f.rule.name))
        .map(actual)
        .collect()
}

// ---------------------------------------------------------------------------
// Markers
// ---------------------------------------------------------------------------

/// One finding a fixture expects.
#[derive(Debug, Clone)]
struct Expected {
    rule: String,
    pointer: String,
    line: u32,
    fragment: String,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {:?} line {}: …{}…",
            self.rule, self.pointer, self.line, self.fragment
        )
    }
}

/// Parses the markers of a fixture; see the module documentation.
fn markers(path: &Path) -> Vec<Expected> {
    let text = std::fs::read_to_string(path).expect("fixtures are UTF-8");
    let mut expected = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index as u32 + 1;
        let starts: Vec<usize> = line.match_indices("# expect").map(|(i, _)| i).collect();
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(line.len());
            let marker = &line[start + "# expect".len()..end];
            let (target, body) = if let Some(body) = marker.strip_prefix(':') {
                (number, body)
            } else if let Some(body) = marker.strip_prefix("-next-line:") {
                (number + 1, body)
            } else {
                panic!("{}:{number}: malformed marker", path.display());
            };
            let mut words = body.trim().splitn(3, ' ');
            let rule = words.next().unwrap_or_default();
            let pointer = words.next().unwrap_or_default();
            let fragment = words.next().unwrap_or_default().trim();
            assert!(
                SCHEMA_RULES.contains(&rule) && (pointer.starts_with('/') || pointer == "\"\""),
                "{}:{number}: a marker reads `# expect: <schema rule> <pointer> <fragment>`",
                path.display()
            );
            expected.push(Expected {
                rule: rule.to_owned(),
                pointer: if pointer == "\"\"" {
                    String::new()
                } else {
                    pointer.to_owned()
                },
                line: target,
                fragment: fragment.to_owned(),
            });
        }
    }
    expected
}

/// Compares the schema findings of `path` with `expected`; returns the
/// differences, one per line.
fn compare(path: &Path, expected: &[Expected], actual: Vec<Actual>) -> Vec<String> {
    let mut left = actual;
    let mut problems = Vec::new();
    for want in expected {
        let found = left.iter().position(|a| {
            a.rule == want.rule
                && a.pointer == want.pointer
                && a.line == want.line
                && a.message.contains(&want.fragment)
        });
        match found {
            Some(i) => {
                left.remove(i);
            }
            None => problems.push(format!("{}: missing {want}", path.display())),
        }
    }
    for extra in left {
        problems.push(format!("{}: unexpected {extra}", path.display()));
    }
    problems
}

fn assert_no_problems(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// Unknown fields are reported only in strict mode.
fn is_unknown_field(expected: &Expected) -> bool {
    expected.fragment.starts_with("unknown field")
}

// ---------------------------------------------------------------------------
// Built-in kinds
// ---------------------------------------------------------------------------

#[test]
fn valid_manifests_have_no_schema_findings() {
    let mut problems = Vec::new();
    for path in files_in("valid") {
        assert!(
            markers(&path).is_empty(),
            "{}: valid files carry no markers",
            path.display()
        );
        let outcome = lint(std::slice::from_ref(&path), strict());
        problems.extend(compare(&path, &[], schema_findings(&outcome, &path)));
        let summary = &outcome.summary;
        if summary.valid != summary.objects || summary.objects == 0 {
            problems.push(format!(
                "{}: {} of {} objects counted valid",
                path.display(),
                summary.valid,
                summary.objects
            ));
        }
    }
    assert_no_problems(problems);
}

/// What the valid fixtures are there to prove; a guard against edits that
/// would quietly drop a case.
#[test]
fn valid_manifests_cover_int_or_string_and_quantity_forms() {
    let text = std::fs::read_to_string(fixture("valid/deployment.yaml")).unwrap();
    for needle in [
        "port: http",
        "port: 8080",
        "cpu: 100m",
        "cpu: 0.5",
        "cpu: 1\n",
        "maxSurge: 25%",
        "maxUnavailable: 1\n",
    ] {
        assert!(
            text.contains(needle),
            "valid/deployment.yaml lost `{needle}`"
        );
    }
    let kinds: Vec<String> = files_in("valid")
        .iter()
        .flat_map(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .lines()
                .filter_map(|l| l.strip_prefix("kind: ").map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect();
    for kind in [
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "Pod",
        "Service",
        "Ingress",
        "ConfigMap",
        "Secret",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "no valid {kind}");
    }
}

#[test]
fn invalid_manifests_report_exactly_the_marked_findings() {
    let mut problems = Vec::new();
    for path in files_in("invalid") {
        let expected = markers(&path);
        assert!(!expected.is_empty(), "{}: no markers", path.display());
        let outcome = lint(std::slice::from_ref(&path), strict());
        problems.extend(compare(&path, &expected, schema_findings(&outcome, &path)));
        if outcome.summary.invalid == 0 {
            problems.push(format!("{}: no object counted invalid", path.display()));
        }
    }
    assert_no_problems(problems);
}

/// `--no-strict` drops unknown fields and nothing else.
#[test]
fn no_strict_drops_only_unknown_fields_in_builtin_kinds() {
    let mut problems = Vec::new();
    let mut dropped = 0;
    for path in files_in("invalid") {
        let all = markers(&path);
        let expected: Vec<Expected> = all
            .iter()
            .filter(|e| !is_unknown_field(e))
            .cloned()
            .collect();
        dropped += all.len() - expected.len();
        let options = schema_options("1.37", false, MissingSchemaPolicy::Warn);
        let outcome = lint(std::slice::from_ref(&path), options);
        problems.extend(compare(&path, &expected, schema_findings(&outcome, &path)));
    }
    assert!(
        dropped >= 10,
        "the fixtures should hold many unknown fields"
    );
    assert_no_problems(problems);
}

// ---------------------------------------------------------------------------
// Kubernetes versions
// ---------------------------------------------------------------------------

/// (fixture, version, expected findings as (rule, pointer, line, fragment)).
type VersionCase = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, u32, &'static str)],
);

const VERSION_CASES: &[VersionCase] = &[
    (
        "versions/hpa-v2beta2.yaml",
        "1.25",
        &[(
            "deprecated-api-version",
            "/apiVersion",
            3,
            "deprecated since Kubernetes 1.23 and will be removed in 1.26 (target 1.25); use `autoscaling/v2`",
        )],
    ),
    (
        "versions/hpa-v2beta2.yaml",
        "1.26",
        &[(
            "removed-api-version",
            "/apiVersion",
            3,
            "was removed in Kubernetes 1.26 and is not served by 1.26",
        )],
    ),
    (
        "versions/hpa-v2beta2.yaml",
        "1.37",
        &[(
            "removed-api-version",
            "/apiVersion",
            3,
            "was removed in Kubernetes 1.26 and is not served by 1.37; use `autoscaling/v2` `HorizontalPodAutoscaler` instead",
        )],
    ),
    (
        "versions/flowschema-v1beta2.yaml",
        "1.28",
        &[(
            "deprecated-api-version",
            "/apiVersion",
            2,
            "will be removed in 1.29 (target 1.28)",
        )],
    ),
    (
        "versions/flowschema-v1beta2.yaml",
        "1.29",
        &[(
            "removed-api-version",
            "/apiVersion",
            2,
            "was removed in Kubernetes 1.29",
        )],
    ),
    ("versions/endpoints.yaml", "1.32", &[]),
    (
        "versions/endpoints.yaml",
        "1.33",
        &[(
            "deprecated-api-version",
            "/apiVersion",
            3,
            "`v1` `Endpoints` is deprecated since Kubernetes 1.33 (target 1.33); use `discovery.k8s.io/v1` `EndpointSlice` instead",
        )],
    ),
    (
        "versions/endpoints.yaml",
        "1.37",
        &[(
            "deprecated-api-version",
            "/apiVersion",
            3,
            "deprecated since Kubernetes 1.33 (target 1.37)",
        )],
    ),
    // A field added after 1.25: valid on 1.37, unknown on 1.25.
    ("valid/pdb.yaml", "1.37", &[]),
    (
        "valid/pdb.yaml",
        "1.25",
        &[(
            "schema-violation",
            "/spec/unhealthyPodEvictionPolicy",
            11,
            "unknown field `unhealthyPodEvictionPolicy`",
        )],
    ),
];

#[test]
fn versions_decide_what_is_removed_deprecated_or_unknown() {
    let mut problems = Vec::new();
    for (file, version, cases) in VERSION_CASES {
        let path = fixture(file);
        let expected: Vec<Expected> = cases
            .iter()
            .map(|(rule, pointer, line, fragment)| Expected {
                rule: (*rule).to_owned(),
                pointer: (*pointer).to_owned(),
                line: *line,
                fragment: (*fragment).to_owned(),
            })
            .collect();
        let options = schema_options(version, true, MissingSchemaPolicy::Warn);
        let outcome = lint(std::slice::from_ref(&path), options);
        problems.extend(
            compare(&path, &expected, schema_findings(&outcome, &path))
                .into_iter()
                .map(|p| format!("[{version}] {p}")),
        );
    }
    assert_no_problems(problems);
}

/// Deprecated is a warning that does not fail a run; removed is an error
/// that does.
#[test]
fn removed_fails_the_run_and_deprecated_only_warns() {
    let hpa = "testdata/schema/versions/hpa-v2beta2.yaml";
    let old = lint_json(&["--kubernetes-version", "1.25", hpa], 0);
    assert_eq!(rules_of(&old), ["deprecated-api-version"]);
    assert_eq!(old["findings"][0]["severity"], "warning");
    let new = lint_json(&["--kubernetes-version", "1.37", hpa], 1);
    assert_eq!(rules_of(&new), ["removed-api-version"]);
    assert_eq!(new["findings"][0]["severity"], "error");
    assert_eq!(new["summary"]["invalid"], 1);

    let endpoints = lint_json(&["testdata/schema/versions/endpoints.yaml"], 0);
    assert_eq!(rules_of(&endpoints), ["deprecated-api-version"]);
    assert_eq!(endpoints["summary"]["valid"], 1);
}

// ---------------------------------------------------------------------------
// Custom resources
// ---------------------------------------------------------------------------

/// Lints the fixture directory `dir` in strict mode, checks its markers and
/// returns the counts of valid, invalid and skipped objects.
fn marked_findings_of(dir: &str) -> (usize, usize, usize) {
    let outcome = lint(&[fixture(dir)], strict());
    let mut problems = Vec::new();
    for path in files_in(dir) {
        problems.extend(compare(
            &path,
            &markers(&path),
            schema_findings(&outcome, &path),
        ));
    }
    assert_no_problems(problems);
    let summary = &outcome.summary;
    (summary.valid, summary.invalid, summary.skipped)
}

#[test]
fn custom_resources_are_checked_against_the_crd_of_the_run() {
    // The CRD and the two valid Backups are valid; the two broken Backups
    // are invalid; the unserved v1alpha1 one has no schema.
    assert_eq!(marked_findings_of("crd"), (3, 2, 1));
}

#[test]
fn custom_resources_are_checked_at_every_depth_and_keyword() {
    // The CRD and the three valid Gadgets are valid (one of them null
    // wherever it may be), the three broken ones invalid.
    assert_eq!(marked_findings_of("crd-keywords"), (4, 3, 0));
}

#[test]
fn crd_patterns_are_read_as_re2() {
    // The CRD and the two resources that match whatever the case are
    // valid; the one that matches in no case is invalid, and its messages
    // quote the patterns as the CRD writes them.
    assert_eq!(marked_findings_of("re2"), (3, 1, 0));
    let outcome = lint(&[fixture("re2")], strict());
    let messages: Vec<String> = all_schema_findings(&outcome)
        .iter()
        .map(|f| f.message.clone())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("`^(?i)(abort|warn)?$`"))
            && messages.iter().any(|m| m.contains("`(?i)^dm-[0-9a-f]+$`")),
        "{messages:?}"
    );
}

#[test]
fn no_strict_accepts_unknown_fields_in_custom_resources() {
    let options = schema_options("1.37", false, MissingSchemaPolicy::Warn);
    let outcome = lint(&[fixture("crd")], options);
    let mut problems = Vec::new();
    let mut dropped = 0;
    for path in files_in("crd") {
        let all = markers(&path);
        let expected: Vec<Expected> = all
            .iter()
            .filter(|e| !is_unknown_field(e))
            .cloned()
            .collect();
        dropped += all.len() - expected.len();
        problems.extend(compare(&path, &expected, schema_findings(&outcome, &path)));
    }
    assert_eq!(dropped, 3);
    assert_no_problems(problems);
}

/// CRD schemas are dropped from memory after the CRD's own checks, unless
/// resources of them were seen in the files read before any file that
/// defines CRDs, or in the CRD's own file. Otherwise they are read again
/// from the text: here the resources sit beside a CRD of another kind, so
/// the Backup CRD is read before anything tells of Backups. A CRD read
/// again as a top-level document, as a List item, or through an anchor
/// defined outside it (so that its bytes do not parse alone) must validate
/// its resources all the same.
#[test]
fn crds_read_again_from_lists_and_anchors_validate_their_resources() {
    let crd = std::fs::read_to_string(fixture("crd/backup-crd.yaml")).unwrap();
    let body: String = crd
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let indented = body.replace('\n', "\n  ");
    let as_item = format!("apiVersion: v1\nkind: List\nitems:\n- {indented}\n");
    let shared = "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: shared}\n  data: &cron {type: string}\n";
    let aliased = indented.replacen(
        "schedule:\n                    type: string\n                    description: Cron expression.",
        "schedule: *cron",
        1,
    );
    assert_ne!(
        aliased, indented,
        "the fixture still has a `schedule: {{type: string}}` to alias"
    );
    let with_alias = format!("apiVersion: v1\nkind: List\nitems:\n{shared}- {aliased}\n");
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let invalid = dir.path().join("backups-beside-another-crd.yaml");
    let other_crd = std::fs::read_to_string(fixture("crd-keywords/gadget-crd.yaml")).unwrap();
    let resources = std::fs::read_to_string(fixture("crd/backups-invalid.yaml")).unwrap();
    std::fs::write(&invalid, format!("{resources}\n---\n{other_crd}")).unwrap();
    let expected = markers(&invalid);
    assert!(!expected.is_empty());
    for (name, text) in [
        ("plain.yaml", body),
        ("as-item.yaml", as_item),
        ("with-alias.yaml", with_alias),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let outcome = lint(&[path.clone(), invalid.clone()], strict());
        assert!(
            schema_findings(&outcome, &path).is_empty(),
            "{name}: {:?}",
            schema_findings(&outcome, &path)
        );
        assert_no_problems(compare(
            &invalid,
            &expected,
            schema_findings(&outcome, &invalid),
        ));
    }
}

/// When two CRDs define the same version of a kind, resources are validated
/// against the one read last, in path order, whichever copy stayed in
/// memory and whichever was read again.
#[test]
fn the_last_crd_to_define_a_version_is_the_one_used() {
    let original = std::fs::read_to_string(fixture("crd/backup-crd.yaml")).unwrap();
    let lenient = original.replacen(
        "keepLast:\n                      type: integer\n                      minimum: 1",
        "keepLast:\n                      type: string",
        1,
    );
    assert_ne!(lenient, original, "the fixture still types `keepLast`");
    let invalid = fixture("crd/backups-invalid.yaml");
    let findings = |crds: &[PathBuf]| {
        let mut paths = crds.to_vec();
        paths.push(invalid.clone());
        let outcome = lint(&paths, strict());
        let found = schema_findings(&outcome, &invalid);
        found.iter().map(ToString::to_string).collect::<Vec<_>>()
    };
    for (first, last) in [(&lenient, &original), (&original, &lenient)] {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let paths = [dir.path().join("a-crd.yaml"), dir.path().join("b-crd.yaml")];
        std::fs::write(&paths[0], first).unwrap();
        std::fs::write(&paths[1], last).unwrap();
        let alone = findings(&paths[1..]);
        assert_ne!(
            alone,
            findings(&paths[..1]),
            "the two CRDs judge differently"
        );
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let both = pool.install(|| findings(&paths));
            assert_eq!(both, alone, "{threads} threads");
        }
    }
}

/// Each CRD feature, on its own, in a resource that is otherwise valid.
#[test]
fn crd_features_accept_what_kubernetes_accepts() {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let crd = fixture("crd/backup-crd.yaml");
    let head = "apiVersion: storage.example.com/v1\nkind: Backup\nmetadata:\n  name: b\nspec:\n  schedule: \"@daily\"\n  source:\n    persistentVolumeClaim:\n      name: data\n";
    let cases: &[(&str, bool)] = &[
        ("  endpoint: {port: 8443}\n", true),
        ("  endpoint: {port: https}\n", true),
        ("  endpoint: {port: 84.5}\n", false),
        ("  notes: null\n", true),
        ("  notes: ~\n", true),
        ("  notes: 42\n", false),
        (
            "  hooks: {anything: [1, {deep: true}], timeoutSeconds: 5}\n",
            true,
        ),
        ("  hooks: {timeoutSeconds: soon}\n", false),
        (
            "  podTemplate: {apiVersion: v1, kind: Pod, metadata: {name: x}, spec: {whatever: 1}}\n",
            true,
        ),
        ("  compression: gzip\n", true),
        ("  compression: GZIP\n", false),
        ("  retention: {keepLast: 1}\n", true),
        ("  retention: {keepLast: 0}\n", false),
        ("status: {anything: [goes]}\n", true),
    ];
    let mut problems = Vec::new();
    for (i, (tail, valid)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case-{i}.yaml"));
        std::fs::write(&path, format!("{head}{tail}")).unwrap();
        let outcome = lint(&[crd.clone(), path.clone()], strict());
        let findings = schema_findings(&outcome, &path);
        if findings.is_empty() != *valid {
            problems.push(format!(
                "`{}` should be {}: {findings:?}",
                tail.trim(),
                if *valid { "valid" } else { "invalid" }
            ));
        }
    }
    assert_no_problems(problems);
}

#[test]
fn a_custom_resource_without_its_crd_gets_missing_schema() {
    let widget = "testdata/schema/no-crd/widget.yaml";
    let warn = lint_json(&[widget], 0);
    assert_eq!(rules_of(&warn), ["missing-schema"]);
    let finding = &warn["findings"][0];
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["pointer"], "/kind");
    assert_eq!(finding["start"]["line"], 3);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .starts_with("no schema for `storage.example.com/v1` `Backup`"),
        "{finding}"
    );
    assert_eq!(warn["summary"]["skipped"], 1);

    let ignored = lint_json(&["--missing-schema", "ignore", widget], 0);
    assert_eq!(rules_of(&ignored), Vec::<String>::new());

    let error = lint_json(&["--missing-schema", "error", widget], 1);
    assert_eq!(rules_of(&error), ["missing-schema"]);
    assert_eq!(error["findings"][0]["severity"], "error");

    // With its CRD in the same run, the same file is validated.
    let with_crd = lint_json(&["testdata/schema/crd/backup-crd.yaml", widget], 0);
    assert_eq!(rules_of(&with_crd), Vec::<String>::new());
    assert_eq!(with_crd["summary"]["valid"], 2);
}

#[test]
fn kustomize_build_files_need_no_schema() {
    // Whether named or found in a directory, a kustomization is read (its
    // YAML must parse) but is not an object, so no schema is missing.
    let files = [
        "testdata/schema/no-crd/kustomization.yaml",
        "testdata/schema/no-crd/component.yaml",
    ];
    for policy in ["warn", "error"] {
        let mut args = vec!["--missing-schema", policy];
        args.extend(files);
        let json = lint_json(&args, 0);
        assert_eq!(rules_of(&json), Vec::<String>::new(), "{json}");
        assert_eq!(json["summary"]["files"], 2);
        assert_eq!(json["summary"]["objects"], 0);
    }
    // The directory's custom resource still lacks one.
    let dir = lint_json(&["testdata/schema/no-crd"], 0);
    assert_eq!(rules_of(&dir), ["missing-schema"]);
}

// ---------------------------------------------------------------------------
// The binary's options
// ---------------------------------------------------------------------------

#[test]
fn no_strict_flag_silences_unknown_fields() {
    let file = "testdata/schema/invalid/deployment.yaml";
    let strict = lint_json(&[file], 1);
    let lenient = lint_json(&["--no-strict", file], 1);
    let unknown = |json: &Value| {
        messages_of(json, "schema-violation")
            .iter()
            .filter(|m| m.starts_with("unknown field"))
            .count()
    };
    assert_eq!(unknown(&strict), 2);
    assert_eq!(unknown(&lenient), 0);
    assert_eq!(
        messages_of(&strict, "schema-violation").len() - 2,
        messages_of(&lenient, "schema-violation").len()
    );

    // A file whose only problem is an unknown field passes outright.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cm.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labelz: {a: b}\ndata:\n  k: v\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    assert_eq!(rules_of(&lint_json(&[path], 1)), ["schema-violation"]);
    assert_eq!(
        rules_of(&lint_json(&["--no-strict", path], 0)),
        Vec::<String>::new()
    );
}

#[test]
fn unknown_kubernetes_versions_are_refused() {
    let output = plimsoll(&[
        "--kubernetes-version",
        "1.24",
        "testdata/schema/valid/pod.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no schemas are embedded for Kubernetes 1.24"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

// ---------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------

/// plimsoll has no HTTP client: a CRD that points at a remote schema must
/// neither fetch it, nor hang, nor panic. Today the custom resource is left
/// unvalidated and reported as `missing-schema` (the CRD's schema does not
/// compile offline); it must never be reported as valid or invalid against
/// a schema it could not read.
#[test]
fn a_remote_ref_in_a_crd_is_never_fetched() {
    let started = Instant::now();
    let outcome = lint(&[fixture("hostile/remote-ref.yaml")], strict());
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let findings = all_schema_findings(&outcome);
    let rules: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["missing-schema"], "{findings:?}");
    assert_eq!(findings[0].line, 25, "on the Probe's `kind`");
    // The CRD itself is valid; the Probe is skipped.
    assert_eq!((outcome.summary.valid, outcome.summary.skipped), (1, 1));

    let output = plimsoll(&["testdata/schema/hostile/remote-ref.yaml"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

const SECRET_VALUES: [&str; 5] = [
    "12345",
    "true",
    "0.75",
    "s3cr3t-list-item",
    "hunter2-nested",
];

/// Schema messages about a Secret describe the type of a wrong value, never
/// the value.
#[test]
fn schema_messages_never_print_a_secret_value() {
    let json = lint_json(&["testdata/schema/hostile/secret-values.yaml"], 1);
    let schema_messages: Vec<String> = SCHEMA_RULES
        .iter()
        .flat_map(|rule| messages_of(&json, rule))
        .collect();
    assert_eq!(
        schema_messages,
        [
            "expected a string, found an integer",
            "expected a string, found a list",
            "expected a string, found a boolean",
            "expected a string, found a number",
            "expected a string, found a mapping",
        ]
    );
}

/// No message of any rule prints a Secret's value.
#[test]
fn no_message_prints_a_secret_value() {
    let json = lint_json(&["testdata/schema/hostile/secret-values.yaml"], 1);
    let mut leaks = Vec::new();
    for finding in json["findings"].as_array().unwrap() {
        let message = finding["message"].as_str().unwrap();
        for value in SECRET_VALUES {
            if message.contains(value) {
                leaks.push(format!("{}: {message}", finding["rule"]["name"]));
            }
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

// ---------------------------------------------------------------------------
// Binary helpers
// ---------------------------------------------------------------------------

/// Runs `plimsoll lint --format json <args>` in the crate root.
fn plimsoll(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg("lint")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("run plimsoll")
}

/// The JSON output of a run that must exit with `code`.
fn lint_json(args: &[&str], code: i32) -> Value {
    let output = plimsoll(args);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(code),
        "plimsoll lint {args:?}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).expect("JSON output")
}

/// The names of the schema rules reported, in output order.
fn rules_of(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["name"].as_str().unwrap().to_owned())
        .filter(|name| SCHEMA_RULES.contains(&name.as_str()))
        .collect()
}

fn messages_of(json: &Value, rule: &str) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["name"] == rule)
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------
// Custom resources: the schema walk against the compiled schema
// ---------------------------------------------------------------------------

/// Every object of `paths`, each file parsed on its own.
fn objects_of(paths: &[PathBuf]) -> Vec<plimsoll::k8s::Object> {
    use plimsoll::k8s::object::{DocumentContent, classify};
    use plimsoll::k8s::{Object, ObjectId};
    use plimsoll::source::FileId;
    use plimsoll::yaml::parse::{Limits, parse_stream};
    let mut objects = Vec::new();
    for (file, path) in paths.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut ordinal = 0;
        for document in parse_stream(&text, &Limits::default()).documents {
            let index = document.index;
            if let DocumentContent::Objects(found, _) = classify(document.root) {
                for (base, root, identity) in found {
                    let id = ObjectId {
                        file: FileId(file as u32),
                        ordinal,
                    };
                    ordinal += 1;
                    objects.push(Object::new(id, index, base, root, identity));
                }
            }
        }
    }
    objects
}

/// Checks that the walk of the CRD schema and the resource
/// ([`Conformance`]) finds exactly the errors of the compiled whole schema,
/// message for message, for every custom resource of `paths`, and that it
/// says "conforms" only of resources without errors; returns how many
/// resources it judged and how many of those had errors.
fn walk_agrees_with_the_validator(paths: &[PathBuf], strict: bool) -> (usize, usize) {
    use plimsoll::k8s::ObjectIndex;
    use plimsoll::schema::crd::CrdCatalog;
    use plimsoll::schema::messages::{describe, redacted};
    use plimsoll::schema::structural::{Conformance, Patterns};
    let objects = objects_of(paths);
    let index = ObjectIndex::build(&objects);
    let crds = CrdCatalog::build(&index, strict);
    let (mut judged, mut with_errors) = (0, 0);
    let mut disagreements = Vec::new();
    for object in &objects {
        let (api_version, kind) = (object.identity.api_version.as_str(), object.kind());
        let Some(source) = crds.source(api_version, kind, &|_, _| None) else {
            continue;
        };
        let Some((conforms, walked)) = source.tree().and_then(|tree| {
            let checker = Conformance::new(tree, strict, &Patterns::default())?;
            Some((
                checker.conforms(&object.root),
                checker.errors(&object.root, redacted(object)),
            ))
        }) else {
            continue;
        };
        judged += 1;
        let compiled = source
            .compile()
            .map(|schema| describe(&schema, object, strict));
        let sorted = |errors: Option<Vec<(plimsoll::yaml::Pointer, String)>>| {
            errors.map(|mut e| {
                e.sort();
                e
            })
        };
        let (walked, compiled) = (sorted(walked), sorted(compiled));
        let clean = compiled.as_ref().is_some_and(Vec::is_empty);
        with_errors += usize::from(!clean);
        if walked.is_none() || walked != compiled || (conforms && !clean) {
            disagreements.push(format!(
                "{api_version} {}: conforms {conforms}, walked {walked:?}, compiled {compiled:?}",
                object.name()
            ));
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    (judged, with_errors)
}

#[test]
fn the_schema_walk_finds_the_errors_of_the_compiled_schema() {
    let mut paths = files_in("crd");
    paths.extend(files_in("crd-keywords"));
    paths.push(fixture("no-crd/widget.yaml"));
    for strict in [true, false] {
        let (judged, with_errors) = walk_agrees_with_the_validator(&paths, strict);
        assert!(
            judged >= 9 && with_errors >= 5,
            "judged {judged}, with errors {with_errors}"
        );
    }
}

/// The same on a real corpus: `PLIMSOLL_CORPUS=../shared/corpus/real cargo
/// test --release --test schema -- --ignored`.
#[test]
#[ignore = "needs a corpus named by PLIMSOLL_CORPUS"]
fn the_schema_walk_agrees_with_the_validator_on_a_corpus() {
    let root = PathBuf::from(std::env::var("PLIMSOLL_CORPUS").expect("PLIMSOLL_CORPUS is set"));
    let (inputs, _) = discover(&[root], Path::new("-"));
    let paths: Vec<PathBuf> = inputs.iter().map(|i| i.path().to_owned()).collect();
    for strict in [true, false] {
        let (judged, with_errors) = walk_agrees_with_the_validator(&paths, strict);
        eprintln!("strict {strict}: judged {judged}, {with_errors} with errors");
    }
}

/// Kubernetes reads CRD patterns as RE2; the validator reads them as
/// ECMA-262, which rejects RE2-only syntax that is not rewritten (here a
/// flag group inside the pattern). Such a CRD's resources cannot be
/// validated, and the finding says why rather than that no CRD was linted.
#[test]
fn a_crd_whose_schema_does_not_compile_is_named_as_the_reason() {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                mode: {type: string, pattern: '^fast(?i)(er)?$'}\n";
    let widget =
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {mode: fastER}\n";
    std::fs::write(dir.path().join("crd.yaml"), crd).unwrap();
    std::fs::write(dir.path().join("widget.yaml"), widget).unwrap();
    let outcome = lint(&[dir.path().to_path_buf()], strict());
    let missing: Vec<&str> = outcome
        .findings
        .iter()
        .filter(|f| f.rule.name == "missing-schema")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].contains("cannot compile") && missing[0].contains("RE2"),
        "{}",
        missing[0]
    );
}
