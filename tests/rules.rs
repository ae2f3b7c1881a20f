//! The rule test harness: every rule against its fixtures and its own
//! documentation examples, and the conventions its metadata must follow.
//!
//! Fixtures live in `testdata/rules/<rule-name>/{pass,fail}/`. Each file is
//! linted on its own, as a file named on the command line, and only findings
//! of the directory's rule count; other rules may report what they like.
//!
//! - A fail file marks every expected finding with `# expect: <rule-name>`
//!   on the line where the finding starts, or with
//!   `# expect-next-line: <rule-name>` on the line before, where a comment
//!   cannot go (inside a quoted or block scalar). A marker may name the rule
//!   more than once, separated by commas, for several findings on one line.
//!   A file of zero bytes cannot carry a comment and expects one finding on
//!   line 1.
//! - A pass file must produce no finding of its rule and carry no markers.
//!
//! Findings that fixtures cannot produce, such as a missing path, are tested
//! by hand at the end of this file.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::AtomicUsize;

use plimsoll::config::{Config, RuleSet};
use plimsoll::engine::{self, Outcome};
use plimsoll::finding::Finding;
use plimsoll::report::{self, Format};
use plimsoll::rules::registry::Registry;
use plimsoll::rules::{Category, RuleMeta};
use plimsoll::source::discover::discover;
use std::sync::Arc;

/// The fixture root, relative to the package root where `cargo test` runs
/// integration tests; relative so that snapshots show portable paths.
const FIXTURES: &str = "testdata/rules";

/// Lints `paths` as the command line would with `--select all`, so that
/// rules that are off by default are checked against their fixtures too.
fn lint(paths: &[PathBuf]) -> Outcome {
    let (inputs, walk_errors) = discover(paths, &engine::default_stdin_name());
    let config = Config {
        select: Some(vec!["all".to_owned()]),
        ..Config::default()
    };
    let options = engine::Options {
        rules: Arc::new(RuleSet::new(&config).expect("`all` selects every rule")),
        ..engine::Options::default()
    };
    engine::run(inputs, walk_errors, &options, &AtomicUsize::new(0))
}

/// Lints one file named on the command line.
fn lint_file(path: &Path) -> Outcome {
    lint(&[path.to_owned()])
}

fn rule_lines(outcome: &Outcome, rule: &str) -> Vec<u32> {
    let mut lines: Vec<u32> = outcome
        .findings
        .iter()
        .filter(|f| f.rule.name == rule)
        .map(|f| f.location.start.line)
        .collect();
    lines.sort_unstable();
    lines
}

fn all_metas() -> impl Iterator<Item = &'static RuleMeta> {
    Registry::standard().metas()
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// Whether a fixture must trigger its rule or must not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expectation {
    /// In `pass/`: no finding of the rule.
    Pass,
    /// In `fail/`: exactly the findings its markers name.
    Fail,
}

/// One fixture file.
#[derive(Debug)]
struct Fixture {
    /// The rule, from the directory name.
    rule: String,
    /// Which subdirectory it is in.
    expectation: Expectation,
    /// Relative path, as shown in messages and snapshots.
    path: PathBuf,
}

/// A fixture and what linting it found.
struct Run {
    fixture: Fixture,
    outcome: Outcome,
}

/// Directory names under the fixture root, sorted.
fn fixture_dirs() -> Vec<String> {
    let root = Path::new(FIXTURES);
    assert!(
        root.is_dir(),
        "{FIXTURES} not found; integration tests must run from the package root"
    );
    let mut dirs: Vec<String> = std::fs::read_dir(root)
        .expect("read fixture root")
        .map(|e| e.expect("read fixture root entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

/// The files of `<rule>/<sub>/`, sorted; documentation such as READMEs is not a fixture.
fn files_in(rule: &str, sub: &str) -> Vec<PathBuf> {
    let dir = Path::new(FIXTURES).join(rule).join(sub);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("read fixture entry").path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
}

fn all_fixtures() -> Vec<Fixture> {
    let mut fixtures = Vec::new();
    for rule in fixture_dirs() {
        for (sub, expectation) in [("pass", Expectation::Pass), ("fail", Expectation::Fail)] {
            for path in files_in(&rule, sub) {
                fixtures.push(Fixture {
                    rule: rule.clone(),
                    expectation,
                    path,
                });
            }
        }
    }
    fixtures
}

/// Every fixture linted once, shared by the tests that need the results.
fn runs() -> &'static [Run] {
    static RUNS: OnceLock<Vec<Run>> = OnceLock::new();
    RUNS.get_or_init(|| {
        all_fixtures()
            .into_iter()
            .map(|fixture| {
                let outcome = lint_file(&fixture.path);
                Run { fixture, outcome }
            })
            .collect()
    })
}

/// The text of a fixture for finding markers: UTF-8 read leniently, or
/// UTF-16 when the file starts with a byte order mark, so that fixtures in
/// encodings plimsoll rejects can still say what they expect.
fn marker_text(bytes: &[u8]) -> String {
    let utf16 = |to_unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|pair| to_unit([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(u16::from_le_bytes),
        [0xFE, 0xFF, ..] => utf16(u16::from_be_bytes),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The rule names and 1-based lines that a fixture's markers expect.
fn markers(text: &str) -> Result<Vec<(String, u32)>, String> {
    let mut expected = Vec::new();
    // Lines end as plimsoll counts them: at `\n`, `\r\n` or a lone `\r`.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (index, line) in text.split('\n').enumerate() {
        let number = index as u32 + 1;
        let Some(at) = line.find("# expect") else {
            continue;
        };
        let marker = &line[at + "# expect".len()..];
        let (target, names) = if let Some(names) = marker.strip_prefix(':') {
            (number, names)
        } else if let Some(names) = marker.strip_prefix("-next-line:") {
            (number + 1, names)
        } else {
            return Err(format!(
                "line {number}: malformed marker `{}`; write `# expect: <rule>` or \
                 `# expect-next-line: <rule>`",
                line[at..].trim_end()
            ));
        };
        for name in names.split(',').map(str::trim) {
            if name.is_empty() {
                return Err(format!("line {number}: marker names no rule"));
            }
            expected.push((name.to_owned(), target));
        }
    }
    Ok(expected)
}

/// The lines where a fixture expects findings of its rule.
fn expected_lines(fixture: &Fixture) -> Result<Vec<u32>, String> {
    let bytes = std::fs::read(&fixture.path).map_err(|e| format!("cannot read: {e}"))?;
    let marked = markers(&marker_text(&bytes))?;
    if let Some((name, line)) = marked.iter().find(|(name, _)| *name != fixture.rule) {
        return Err(format!(
            "line {line} expects `{name}`, but fixtures in `{}/` test only `{}`",
            fixture.rule, fixture.rule
        ));
    }
    let mut lines: Vec<u32> = marked.into_iter().map(|(_, line)| line).collect();
    lines.sort_unstable();
    match fixture.expectation {
        Expectation::Pass if !lines.is_empty() => {
            Err("a pass fixture must not carry `# expect` markers".to_owned())
        }
        Expectation::Fail if bytes.is_empty() => Ok(vec![1]),
        Expectation::Fail if lines.is_empty() => {
            Err("a fail fixture must mark at least one finding with `# expect:`".to_owned())
        }
        _ => Ok(lines),
    }
}

fn describe_findings(outcome: &Outcome, rule: &str) -> String {
    let mut out = String::new();
    for f in outcome.findings.iter().filter(|f| f.rule.name == rule) {
        let _ = write!(
            out,
            "\n      {}:{}: {}",
            f.location.start.line, f.location.start.column, f.message
        );
    }
    out
}

#[test]
fn fixtures_report_exactly_the_marked_lines() {
    let runs = runs();
    assert!(!runs.is_empty(), "no fixtures found under {FIXTURES}");
    let mut failures = Vec::new();
    for Run { fixture, outcome } in runs {
        let path = fixture.path.display();
        let expected = match expected_lines(fixture) {
            Ok(lines) => lines,
            Err(problem) => {
                failures.push(format!("{path}: {problem}"));
                continue;
            }
        };
        let actual = rule_lines(outcome, &fixture.rule);
        if actual != expected {
            failures.push(format!(
                "{path}: `{}` expected on lines {expected:?}, reported on lines {actual:?}{}",
                fixture.rule,
                describe_findings(outcome, &fixture.rule)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures disagree with their markers:\n  {}",
        failures.len(),
        runs.len(),
        failures.join("\n  ")
    );
}

/// Rules no input file can trigger: their fixture directory has a README.md
/// saying how they are tested instead, and they need no fail fixture.
const UNTRIGGERABLE_BY_FILES: [&str; 1] = ["internal-error"];

#[test]
fn every_rule_has_fixtures_and_every_fixture_dir_has_a_rule() {
    let registered: BTreeSet<&str> = all_metas().map(|m| m.name).collect();
    let dirs = fixture_dirs();
    let mut problems = Vec::new();
    for name in &registered {
        if UNTRIGGERABLE_BY_FILES.contains(name)
            && !Path::new(FIXTURES).join(name).join("README.md").is_file()
        {
            problems.push(format!(
                "rule `{name}` needs {FIXTURES}/{name}/README.md saying how it is tested"
            ));
        }
        for sub in ["pass", "fail"] {
            if sub == "fail" && UNTRIGGERABLE_BY_FILES.contains(name) {
                continue;
            }
            if files_in(name, sub).is_empty() {
                problems.push(format!(
                    "rule `{name}` has no fixture in {FIXTURES}/{name}/{sub}/"
                ));
            }
        }
    }
    for dir in &dirs {
        if !registered.contains(dir.as_str()) {
            problems.push(format!(
                "{FIXTURES}/{dir}/ belongs to no registered rule{}",
                Registry::standard()
                    .closest(dir)
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default()
            ));
        }
        let stray: Vec<String> = std::fs::read_dir(Path::new(FIXTURES).join(dir))
            .expect("read fixture dir")
            .map(|e| e.expect("read fixture dir entry").file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !matches!(n.as_str(), "pass" | "fail" | "README.md"))
            .collect();
        if !stray.is_empty() {
            problems.push(format!(
                "{FIXTURES}/{dir}/ holds {stray:?}; fixtures go in pass/ or fail/"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The plain rendering of one rule's findings in all its fail fixtures,
/// which is what a user sees; one snapshot per rule.
#[test]
fn fail_fixture_snapshots() {
    for meta in all_metas() {
        let fail = files_in(meta.name, "fail");
        if fail.is_empty() {
            // Reported by `every_rule_has_fixtures_and_every_fixture_dir_has_a_rule`.
            continue;
        }
        let rendering: String = fail.iter().map(|p| render_plain(p, meta.name)).collect();
        insta::assert_snapshot!(meta.name, rendering);
    }
}

/// `path` linted alone and written in the plain format, keeping only
/// findings of `rule`.
fn render_plain(path: &Path, rule: &str) -> String {
    let mut outcome = lint_file(path);
    outcome.findings.retain(|f| f.rule.name == rule);
    let mut out = Vec::new();
    report::write(Format::Plain, &mut out, &outcome, false).expect("write to memory");
    String::from_utf8(out).expect("plain output is UTF-8")
}

// ---------------------------------------------------------------------------
// Documentation examples
// ---------------------------------------------------------------------------

/// The body of the first ```` ```yaml ```` block after `marker` in `docs`.
fn yaml_block_after<'a>(docs: &'a str, marker: &str) -> Option<&'a str> {
    const FENCE: &str = "```yaml\n";
    let rest = &docs[docs.find(marker)? + marker.len()..];
    let body = &rest[rest.find(FENCE)? + FENCE.len()..];
    Some(&body[..body.find("```")?])
}

/// The bytes a bad example is saved as. Examples are text saved as UTF-8,
/// except for rules that judge the bytes of a file rather than its text.
fn example_bytes(rule: &str, text: &str) -> Vec<u8> {
    match rule {
        // Its example reads "a file saved as UTF-16 ... cannot be read", so
        // it is saved as UTF-16 (little-endian, with a byte order mark).
        "unreadable-file" => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        _ => text.as_bytes().to_vec(),
    }
}

fn lint_example(bytes: &[u8]) -> Outcome {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let path = dir.path().join("example.yaml");
    std::fs::write(&path, bytes).expect("write example");
    lint_file(&path)
}

#[test]
fn doc_examples_trigger_their_rule_and_the_fixes_do_not() {
    let mut failures = Vec::new();
    for meta in all_metas() {
        let docs = meta.docs();
        let name = meta.name;
        let (Some(bad), Some(good)) = (
            yaml_block_after(&docs, "## Example"),
            yaml_block_after(&docs, "Use instead:"),
        ) else {
            failures.push(format!(
                "`{name}`: docs need a ```yaml block after `## Example` and after `Use instead:`"
            ));
            continue;
        };
        let outcome = lint_example(&example_bytes(name, bad));
        if rule_lines(&outcome, name).is_empty() && !UNTRIGGERABLE_BY_FILES.contains(&name) {
            failures.push(format!(
                "`{name}`: the `## Example` block produces no `{name}` finding"
            ));
        }
        check_messages(&outcome, &mut failures);
        let outcome = lint_example(good.as_bytes());
        let lines = rule_lines(&outcome, name);
        if !lines.is_empty() {
            failures.push(format!(
                "`{name}`: the `Use instead:` block produces `{name}` on lines {lines:?}{}",
                describe_findings(&outcome, name)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Metadata conventions
// ---------------------------------------------------------------------------

fn id_prefix(category: Category) -> &'static str {
    match category {
        Category::Input => "INP",
        Category::Schema => "SCH",
        Category::Correctness => "COR",
        Category::Security => "SEC",
        Category::Reliability => "REL",
        Category::Efficiency => "EFF",
        Category::Decoupling => "DEC",
        Category::Style => "STY",
    }
}

fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && name.starts_with(|c: char| c.is_ascii_lowercase())
}

#[test]
fn ids_and_names_are_unique_and_well_formed() {
    let mut problems = Vec::new();
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for meta in all_metas() {
        if !ids.insert(meta.id) {
            problems.push(format!("id {} is used twice", meta.id));
        }
        if !names.insert(meta.name) {
            problems.push(format!("name `{}` is used twice", meta.name));
        }
        if !is_kebab_case(meta.name) {
            problems.push(format!("name `{}` is not kebab-case", meta.name));
        }
        let prefix = id_prefix(meta.category);
        let number = meta.id.strip_prefix(prefix);
        if !number.is_some_and(|n| n.len() == 3 && n.bytes().all(|b| b.is_ascii_digit())) {
            problems.push(format!(
                "`{}` is in category {} so its id should be {prefix} and three digits, not {}",
                meta.name,
                meta.category.as_str(),
                meta.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn docs_have_every_section_and_summaries_start_lowercase() {
    let mut problems = Vec::new();
    for meta in all_metas() {
        let docs = meta.docs();
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "Use instead:",
        ] {
            if !docs.contains(section) {
                problems.push(format!("`{}`: docs lack `{section}`", meta.name));
            }
        }
        if !starts_lowercase(meta.summary) || meta.summary.ends_with('.') {
            problems.push(format!(
                "`{}`: the summary should start in lower case with no final period: {:?}",
                meta.name, meta.summary
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn starts_lowercase(text: &str) -> bool {
    text.starts_with(|c: char| c.is_lowercase() || c == '`')
}

fn check_message(finding: &Finding, problems: &mut Vec<String>) {
    let message = &finding.message;
    if !starts_lowercase(message) || message.ends_with('.') {
        problems.push(format!(
            "`{}`: messages start in lower case (or a backtick) with no final period: {message:?}",
            finding.rule.name
        ));
    }
}

fn check_messages(outcome: &Outcome, problems: &mut Vec<String>) {
    for finding in &outcome.findings {
        check_message(finding, problems);
    }
}

#[test]
fn messages_start_lowercase_without_a_final_period() {
    let mut problems = Vec::new();
    for run in runs() {
        check_messages(&run.outcome, &mut problems);
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------
// What fixtures cannot hold
// ---------------------------------------------------------------------------

/// A missing path cannot be checked in; see `unreadable-file/README.md`.
#[test]
fn unreadable_file_reports_a_missing_path() {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let missing = dir.path().join("deployment.yaml");
    let outcome = lint_file(&missing);
    assert_eq!(rule_lines(&outcome, "unreadable-file"), [1]);
    assert_eq!(outcome.findings.len(), 1);
    assert_eq!(outcome.findings[0].message, "no such file or directory");
    assert!(outcome.had_input_errors);
}

/// Permissions are not kept by git reliably, and root reads anything; the
/// check runs only where the file really cannot be read.
#[cfg(unix)]
#[test]
fn unreadable_file_reports_permission_denied() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().expect("create a temporary directory");
    let path = dir.path().join("secret.yaml");
    std::fs::write(
        &path,
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!("skipped: this user can read a file with mode 000");
        return;
    }
    let outcome = lint_file(&path);
    assert_eq!(rule_lines(&outcome, "unreadable-file"), [1]);
    assert!(outcome.findings[0].message.contains("permission denied"));
    assert!(outcome.had_input_errors);
}

/// A device cannot be checked in either; `/dev/null` is one everywhere on Unix.
#[cfg(unix)]
#[test]
fn unreadable_file_reports_a_device() {
    let outcome = lint_file(Path::new("/dev/null"));
    assert_eq!(rule_lines(&outcome, "unreadable-file"), [1]);
    assert!(outcome.findings[0].message.contains("not a regular file"));
    assert!(outcome.had_input_errors);
}

/// A directory walk skips YAML that is not Kubernetes; only files named on
/// the command line are reported, and the fixtures name theirs. The one
/// exception is an item of a `kind: List`: the file is a manifest, so an item
/// without `kind` is a mistake wherever the file was found.
#[test]
fn not_a_kubernetes_object_is_quiet_for_files_found_by_walking() {
    let dir = Path::new(FIXTURES).join("not-a-kubernetes-object/fail");
    let outcome = lint(&[dir]);
    assert!(outcome.files.len() > 1, "the walk found the fixtures");
    let reported: Vec<String> = outcome
        .findings
        .iter()
        .filter(|f| f.rule.name == "not-a-kubernetes-object")
        .map(|f| outcome.files[f.location.file.0 as usize].display_path())
        .collect();
    assert!(
        reported
            .iter()
            .all(|p| p.ends_with("list-item-without-kind.yaml")),
        "{reported:?}"
    );
}

/// Every rule names its peers (`kube-linter:latest-tag`), or says in its docs
/// that no peer has it, so `docs/coverage.md` and `plimsoll rules --format
/// json` can map a team's old checks to plimsoll's.
#[test]
fn every_rule_names_its_peers_or_says_it_has_none() {
    const PEERS: [&str; 4] = ["kube-linter", "polaris", "kube-score", "kubeconform"];
    for meta in all_metas() {
        for equivalent in meta.equivalents {
            let (peer, check) = equivalent.split_once(':').unwrap_or_else(|| {
                panic!(
                    "`{}`: equivalent `{equivalent}` is not `peer:check`",
                    meta.name
                )
            });
            assert!(
                PEERS.contains(&peer),
                "`{}`: unknown peer `{peer}`",
                meta.name
            );
            assert!(
                !check.is_empty(),
                "`{}`: equivalent `{equivalent}` names no check",
                meta.name
            );
        }
        assert!(
            !meta.equivalents.is_empty() || meta.docs().contains("this check is plimsoll's own"),
            "`{}` has no equivalents and its docs do not say it is plimsoll's own",
            meta.name
        );
    }
}
