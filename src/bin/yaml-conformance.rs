//! Runs plimsoll's YAML reader over the YAML test suite.
//!
//! ```sh
//! cargo run --release --bin yaml-conformance -- ../shared/corpus/bad/yaml-test-suite
//! ```
//!
//! The directory holds `error/<id>.yaml` (text a YAML 1.2 parser must
//! reject) and `valid/<id>.yaml` (text it must accept), with
//! `valid/<id>.json` giving the expected data where the suite has it: one
//! JSON value per document. Three groups are checked:
//!
//! - **error**: linting the file gives a `yaml-syntax-error` or
//!   `input-limit-exceeded` finding;
//! - **valid**: linting the file gives neither;
//! - **data**: each document's [`Node::to_json`] equals the expected value
//!   (numbers compared as numbers). Where it differs only because
//!   Kubernetes reads YAML 1.1 (`yes` is a boolean, `0755` is octal, `<<` is
//!   a merge key) the case passes as a *YAML 1.1 reading* and is listed: the
//!   same tree read under the YAML 1.2 core schema must then equal the
//!   expected data.
//!
//! Prints the counts and failing ids of each group; with `--summary`, also
//! one machine-readable line `summary error=P/T valid=P/T data=P/T yaml11=N`
//! used by `tests/conformance.rs`. Exits with 0 whatever the counts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicUsize;

use plimsoll::engine::{self, Options};
use plimsoll::source::discover::Input;
use plimsoll::yaml::parse::{Limits, parse_stream};
use plimsoll::yaml::scalar::{self, Resolved, ScalarStyle};
use plimsoll::yaml::{Node, Value};
use serde_json::Value as Json;

fn main() -> ExitCode {
    let mut summary = false;
    let mut root = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--summary" => summary = true,
            "-h" | "--help" => {
                println!("usage: yaml-conformance [--summary] PATH/TO/yaml-test-suite");
                return ExitCode::SUCCESS;
            }
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    let Some(root) = root else {
        eprintln!("usage: yaml-conformance [--summary] PATH/TO/yaml-test-suite");
        return ExitCode::from(2);
    };
    plimsoll::guard::install_panic_hook();
    let report = match run(&root) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("yaml-conformance: {}: {error}", root.display());
            return ExitCode::from(2);
        }
    };
    report.print(summary);
    ExitCode::SUCCESS
}

/// Counts and failures of one group.
#[derive(Default)]
struct Group {
    passed: usize,
    failed: Vec<(String, String)>,
}

impl Group {
    fn record(&mut self, id: &str, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.passed += 1,
            Err(why) => self.failed.push((id.to_owned(), why)),
        }
    }

    fn total(&self) -> usize {
        self.passed + self.failed.len()
    }
}

#[derive(Default)]
struct Report {
    error: Group,
    valid: Group,
    data: Group,
    /// Data cases that pass only under the YAML 1.1 reading, with the reason.
    yaml11: Vec<(String, &'static str)>,
}

impl Report {
    fn print(&self, summary: bool) {
        for (name, group) in [
            ("error (must be rejected)", &self.error),
            ("valid (must parse)", &self.valid),
            ("data (must equal the .json)", &self.data),
        ] {
            println!("{name}: {}/{} passed", group.passed, group.total());
            for (id, why) in &group.failed {
                println!("  FAIL {id}: {why}");
            }
        }
        println!(
            "data passing under the Kubernetes YAML 1.1 reading: {}",
            self.yaml11.len()
        );
        for (id, why) in &self.yaml11 {
            println!("  1.1  {id}: {why}");
        }
        if summary {
            println!(
                "summary error={}/{} valid={}/{} data={}/{} yaml11={}",
                self.error.passed,
                self.error.total(),
                self.valid.passed,
                self.valid.total(),
                self.data.passed,
                self.data.total(),
                self.yaml11.len()
            );
        }
    }
}

fn cases(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
        .collect();
    cases.sort();
    Ok(cases)
}

fn run(root: &Path) -> std::io::Result<Report> {
    let mut report = Report::default();
    let options = Options::default();
    for (id, path) in cases(&root.join("error"))? {
        let text = read(&path)?;
        let outcome = syntax_findings(&text, &options)
            .map_or(Err("accepted without a syntax finding".to_owned()), |_| {
                Ok(())
            });
        report.error.record(&id, outcome);
    }
    for (id, path) in cases(&root.join("valid"))? {
        let text = read(&path)?;
        let outcome = match syntax_findings(&text, &options) {
            Some(message) => Err(format!("rejected: {message}")),
            None => Ok(()),
        };
        let parsed = outcome.is_ok();
        report.valid.record(&id, outcome);
        let expected = path.with_extension("json");
        if !expected.exists() {
            continue;
        }
        let expected = read(&expected)?;
        let outcome = if parsed {
            compare(&text, &expected).map(|reading| {
                if let Some(why) = reading {
                    report.yaml11.push((id.clone(), why));
                }
            })
        } else {
            Err("not parsed".to_owned())
        };
        report.data.record(&id, outcome);
    }
    Ok(report)
}

fn read(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// The message of the first `yaml-syntax-error` or `input-limit-exceeded`
/// finding of linting `text` as a file named on the command line.
fn syntax_findings(text: &str, options: &Options) -> Option<String> {
    let input = Input::Memory {
        name: PathBuf::from("case.yaml"),
        text: text.to_owned(),
    };
    let outcome = engine::run(vec![input], Vec::new(), options, &AtomicUsize::new(0));
    outcome
        .findings
        .iter()
        .find(|f| matches!(f.rule.name, "yaml-syntax-error" | "input-limit-exceeded"))
        .map(|f| {
            format!(
                "{}:{}: {}",
                f.location.start.line, f.location.start.column, f.message
            )
        })
}

/// Compares the documents of `text` with the JSON stream `expected`:
/// `Ok(None)` when equal as Kubernetes reads them, `Ok(Some(why))` when
/// equal only under the YAML 1.2 reading, `Err` otherwise.
fn compare(text: &str, expected: &str) -> Result<Option<&'static str>, String> {
    let expected: Vec<Json> = serde_json::Deserializer::from_str(expected)
        .into_iter::<Json>()
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the .json does not parse: {e}"))?;
    let stream = parse_stream(text, &Limits::default());
    let k8s: Vec<Json> = stream.documents.iter().map(|d| d.root.to_json()).collect();
    if same_stream(&k8s, &expected) {
        return Ok(None);
    }
    let yaml12: Vec<Json> = stream
        .documents
        .iter()
        .map(|d| to_json_12(&d.root))
        .collect();
    if same_stream(&yaml12, &expected) {
        return Ok(Some(yaml11_reason(
            &stream.documents.iter().map(|d| &d.root).collect::<Vec<_>>(),
        )));
    }
    // Merge keys are applied while the tree is built, so a stream with a
    // plain `<<` key cannot be read the YAML 1.2 way from the tree.
    if text.contains("<<") {
        return Ok(Some(
            "`<<` is a merge key in YAML 1.1, a plain key in YAML 1.2",
        ));
    }
    Err(format!(
        "got {} expected {}",
        short(&Json::Array(k8s)),
        short(&Json::Array(expected))
    ))
}

fn short(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        format!("{}…", text.chars().take(160).collect::<String>())
    } else {
        text
    }
}

fn same_stream(got: &[Json], expected: &[Json]) -> bool {
    got.len() == expected.len() && got.iter().zip(expected).all(|(a, b)| same(a, b))
}

/// JSON equality with numbers compared by value (`1e3` equals `1000`).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The tree as a YAML 1.2 core-schema reader sees it.
fn to_json_12(node: &Node) -> Json {
    match &node.value {
        Value::Scalar(s) => {
            let resolved = if s.tag.is_none() && s.style == ScalarStyle::Plain {
                scalar::resolve_plain_12(&s.text)
            } else {
                s.resolved()
            };
            resolved_json(resolved, &s.text)
        }
        Value::Seq(items) => items.iter().map(to_json_12).collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| {
                let key = e.key.scalar_text().unwrap_or_default().to_owned();
                (key, to_json_12(&e.value))
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn resolved_json(resolved: Resolved, text: &str) -> Json {
    match resolved {
        Resolved::Null => Json::Null,
        Resolved::Bool(b) => b.into(),
        Resolved::Int(i) => i.into(),
        Resolved::Float(f) => {
            serde_json::Number::from_f64(f).map_or_else(|| text.into(), Into::into)
        }
        Resolved::Str => text.into(),
    }
}

/// Why a stream reads differently under YAML 1.1: the first plain scalar
/// whose two readings differ.
fn yaml11_reason(roots: &[&Node]) -> &'static str {
    fn find(node: &Node) -> Option<&'static str> {
        match &node.value {
            Value::Scalar(s) if s.style == ScalarStyle::Plain && s.tag.is_none() => {
                let (k8s, _) = scalar::yaml12_differs(&s.text)?;
                Some(match k8s {
                    Resolved::Bool(_) => "a YAML 1.1 boolean (`yes`, `no`, `on`, `off`, `y`, `n`)",
                    Resolved::Int(_) => "a YAML 1.1 integer (octal `0755`, `1_000`, `0b101`)",
                    Resolved::Float(_) => "a YAML 1.1 number",
                    Resolved::Null | Resolved::Str => "a scalar YAML 1.2 resolves differently",
                })
            }
            Value::Scalar(_) => None,
            Value::Seq(items) => items.iter().find_map(find),
            Value::Map(entries) => entries
                .iter()
                .find_map(|e| find(&e.key).or_else(|| find(&e.value))),
        }
    }
    roots
        .iter()
        .find_map(|r| find(r))
        .unwrap_or("non-string keys are spelled as Kubernetes spells them")
}
