//! Baselines: the findings a team accepted when it adopted plimsoll, so that
//! only new ones are reported.
//!
//! `plimsoll lint --write-baseline FILE` records every finding of a run;
//! `plimsoll lint --baseline FILE` drops the findings the file lists and
//! counts those listed but no longer found as fixed.
//!
//! A finding is matched by its rule, its file, its object's identity
//! (`apiVersion`, `kind`, `namespace`, `name`) and the JSON pointer into the
//! object — never by line, so editing above a finding keeps it matched. A
//! finding about no object (a syntax error, an empty file) is matched by
//! rule, file and message instead. Identical keys form a multiset: when the
//! baseline lists a key twice and the run finds it three times, one is new.
//!
//! Files are named relative to the directory holding the baseline, with `/`
//! separators, so the same baseline works from any working directory.
//!
//! The file is YAML rather than JSON: YAML needs no commas between entries,
//! so two branches that each add entries merge as cleanly as line-based
//! text can, and it takes comments. Entries are sorted (by file, object,
//! pointer, rule) and carry no counts, positions or timestamps, so writing
//! the same findings twice gives the same bytes and unrelated edits leave
//! the file alone.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use crate::engine::{self, Outcome};
use crate::finding::{Finding, Summary};
use crate::source::SourceFile;
use crate::yaml::Node;
use crate::yaml::parse::{Limits, parse_stream};
use crate::yaml::scalar::{Resolved, ScalarStyle, resolve};

/// The version of the file format written and read.
pub const VERSION: i64 = 1;

const HEADER: &str = "\
# plimsoll baseline: findings accepted when this file was written.
# `plimsoll lint --baseline FILE` reports only findings not listed here;
# `plimsoll lint --write-baseline FILE` rewrites it. Entries are matched by
# rule, file, object and JSON pointer (never by line), and are sorted.
";

/// The object a finding is about, as the baseline names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace`, when set.
    pub namespace: Option<String>,
    /// `metadata.name` (or `generateName`), when set.
    pub name: Option<String>,
}

/// What identifies a finding across runs. The field order is the sort order
/// of the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The file, relative to the baseline's directory, with `/` separators.
    pub file: String,
    /// The object, for findings about one.
    pub object: Option<ObjectKey>,
    /// The JSON pointer into the object, for findings about one.
    pub pointer: Option<String>,
    /// The rule's name.
    pub rule: String,
    /// The message, for findings about no object only.
    pub message: Option<String>,
}

/// A baseline file's entries, as a multiset of keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// Every entry, sorted; a key appears once per accepted finding.
    pub entries: Vec<Key>,
    /// The directory file names are relative to.
    base: PathBuf,
}

/// What applying a baseline did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Entries in the baseline.
    pub total: usize,
    /// Findings of the run that the baseline listed, and that were dropped.
    pub matched: usize,
    /// Entries no finding of the run matched: problems fixed since.
    pub fixed: usize,
}

impl Applied {
    /// `12 findings in the baseline, 3 fixed, 9 still present (not shown)`.
    pub fn summary(&self) -> String {
        format!(
            "{} in the baseline, {} fixed, {} still present (not shown)",
            plural(self.total, "finding"),
            self.fixed,
            self.matched
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl Baseline {
    /// Records every finding of `outcome`, for a baseline file at `path`.
    pub fn from_outcome(outcome: &Outcome, path: &Path) -> Result<Self> {
        let base = base_dir(path)?;
        let mut entries: Vec<Key> = outcome
            .findings
            .iter()
            .map(|f| key(f, &outcome.files, &base))
            .collect();
        entries.sort();
        Ok(Self { entries, base })
    }

    /// Reads the baseline file at `path`; errors name the file and the line.
    pub fn load(path: &Path) -> Result<Self> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the baseline `{shown}`"))?;
        let base = base_dir(path)?;
        let entries = parse(&text).map_err(|(offset, message)| {
            let source = SourceFile::new(path.to_owned(), text.clone());
            let at = source.line_col(offset as u32);
            anyhow::anyhow!(
                "invalid baseline `{shown}`, line {}, column {}: {message}",
                at.line,
                at.column
            )
        })?;
        Ok(Self { entries, base })
    }

    /// The file's text: sorted, one entry per group of lines.
    pub fn to_yaml(&self) -> String {
        let mut out = String::from(HEADER);
        let _ = writeln!(out, "version: {VERSION}");
        if self.entries.is_empty() {
            out.push_str("findings: []\n");
            return out;
        }
        out.push_str("findings:\n");
        for key in &self.entries {
            let _ = writeln!(out, "  - file: {}", scalar(&key.file));
            if let Some(object) = &key.object {
                let mut fields = vec![
                    format!("apiVersion: {}", scalar(&object.api_version)),
                    format!("kind: {}", scalar(&object.kind)),
                ];
                if let Some(ns) = &object.namespace {
                    fields.push(format!("namespace: {}", scalar(ns)));
                }
                if let Some(name) = &object.name {
                    fields.push(format!("name: {}", scalar(name)));
                }
                let _ = writeln!(out, "    object: {{{}}}", fields.join(", "));
            }
            if let Some(pointer) = &key.pointer {
                let _ = writeln!(out, "    pointer: {}", scalar(pointer));
            }
            let _ = writeln!(out, "    rule: {}", scalar(&key.rule));
            if let Some(message) = &key.message {
                let _ = writeln!(out, "    message: {}", scalar(message));
            }
        }
        out
    }

    /// Writes the file at `path`.
    pub fn write(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_yaml())
            .with_context(|| format!("cannot write the baseline `{}`", path.display()))
    }

    /// Drops the findings of `outcome` that the baseline lists, once per
    /// entry, and recounts the summary.
    pub fn apply(&self, outcome: &mut Outcome) -> Applied {
        let mut remaining: HashMap<&Key, usize> = HashMap::new();
        for key in &self.entries {
            *remaining.entry(key).or_default() += 1;
        }
        let files = &outcome.files;
        let before = outcome.findings.len();
        outcome.findings.retain(|finding| {
            let key = key(finding, files, &self.base);
            match remaining.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        let matched = before - outcome.findings.len();
        let counts = Summary::count(0, 0, &outcome.findings);
        outcome.summary = Summary {
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            ..outcome.summary
        };
        Applied {
            total: self.entries.len(),
            matched,
            fixed: self.entries.len() - matched,
        }
    }
}

/// The key of `finding` for a baseline whose directory is `base`.
pub fn key(finding: &Finding, files: &[SourceFile], base: &Path) -> Key {
    let location = &finding.location;
    let file = relative_path(&files[location.file.0 as usize].path, base);
    let rule = finding.rule.name.to_owned();
    match &location.object {
        Some(object) => Key {
            file,
            object: Some(ObjectKey {
                api_version: object.api_version.clone(),
                kind: object.kind.clone(),
                namespace: object.namespace.clone(),
                name: object.name.clone(),
            }),
            pointer: Some(
                location
                    .pointer
                    .as_ref()
                    .map_or_else(String::new, |p| p.as_str().to_owned()),
            ),
            rule,
            message: None,
        },
        None => Key {
            file,
            object: None,
            pointer: None,
            rule,
            message: Some(finding.message.clone()),
        },
    }
}

/// The absolute directory of the baseline file at `path`.
fn base_dir(path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => cwd.join(dir),
        _ => cwd,
    };
    Ok(std::fs::canonicalize(&dir).unwrap_or_else(|_| normalize(&dir)))
}

/// `shown` relative to `base` with `/` separators; standard input keeps its
/// name, and a file outside `base` keeps the path it was shown with.
fn relative_path(shown: &Path, base: &Path) -> String {
    let slashes = |p: &Path| p.to_string_lossy().replace('\\', "/");
    if shown == engine::default_stdin_name() {
        return slashes(shown);
    }
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(shown))
        .unwrap_or_else(|_| shown.to_owned());
    let resolved = std::fs::canonicalize(&absolute)
        .ok()
        .or_else(|| {
            // A file that does not exist (an editor's unsaved buffer): its
            // directory may.
            let dir = std::fs::canonicalize(absolute.parent()?).ok()?;
            Some(dir.join(absolute.file_name()?))
        })
        .unwrap_or_else(|| normalize(&absolute));
    match resolved.strip_prefix(base) {
        Ok(relative) => slashes(relative),
        Err(_) => slashes(shown.strip_prefix("./").unwrap_or(shown)),
    }
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `text` as a YAML scalar: plain when that reads back as the same string
/// (for YAML 1.1 and 1.2 readers alike, and inside a flow mapping), double
/// quoted otherwise.
fn scalar(text: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_' | '-' | '~');
    let plain = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '/')
        && text.chars().all(safe)
        && resolve(text, ScalarStyle::Plain, None) == Resolved::Str
        && crate::yaml::scalar::resolve_plain_12(text) == Resolved::Str;
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).expect("a string serializes")
    }
}

type ParseError = (usize, String);

fn parse(text: &str) -> Result<Vec<Key>, ParseError> {
    let stream = parse_stream(text, &Limits::default());
    if let Some(problem) = stream.problems.first() {
        return Err((problem.span.start as usize, problem.message.clone()));
    }
    let mut documents = stream.documents.into_iter().filter(|d| !d.root.is_null());
    let Some(document) = documents.next() else {
        return Err((0, "the file holds no YAML document".to_owned()));
    };
    if let Some(extra) = documents.next() {
        return Err((
            extra.root.span.start as usize,
            "a baseline is one YAML document".to_owned(),
        ));
    }
    let root = &document.root;
    let map = root
        .as_map()
        .ok_or_else(|| at(root, "expected a mapping with `version` and `findings`"))?;
    let mut version = None;
    let mut findings = None;
    for entry in map {
        match entry.key.scalar_text() {
            Some("version") => version = Some(&entry.value),
            Some("findings") => findings = Some(&entry.value),
            _ => {
                return Err(at(
                    &entry.key,
                    "unknown field; expected `version` or `findings`",
                ));
            }
        }
    }
    let version = version.ok_or_else(|| at(root, "the field `version` is missing"))?;
    match version.as_i64() {
        Some(VERSION) => {}
        Some(other) => {
            return Err(at(
                version,
                &format!(
                    "unsupported baseline version {other}; this plimsoll reads version {VERSION}"
                ),
            ));
        }
        None => return Err(at(version, "`version` must be an integer")),
    }
    let findings = findings.ok_or_else(|| at(root, "the field `findings` is missing"))?;
    let items = findings
        .as_seq()
        .ok_or_else(|| at(findings, "`findings` must be a list"))?;
    let mut keys = items.iter().map(entry).collect::<Result<Vec<_>, _>>()?;
    keys.sort();
    Ok(keys)
}

fn entry(node: &Node) -> Result<Key, ParseError> {
    let map = node
        .as_map()
        .ok_or_else(|| at(node, "a finding must be a mapping"))?;
    let mut file = None;
    let mut object = None;
    let mut pointer = None;
    let mut rule = None;
    let mut message = None;
    for entry in map {
        let value = &entry.value;
        match entry.key.scalar_text() {
            Some("file") => file = Some(string(value)?),
            Some("object") => object = Some(object_key(value)?),
            Some("pointer") => pointer = Some(string(value)?),
            Some("rule") => rule = Some(string(value)?),
            Some("message") => message = Some(string(value)?),
            _ => {
                return Err(at(
                    &entry.key,
                    "unknown field; expected `file`, `object`, `pointer`, `rule` or `message`",
                ));
            }
        }
    }
    let file = file.ok_or_else(|| at(node, "the finding has no `file`"))?;
    let rule = rule.ok_or_else(|| at(node, "the finding has no `rule`"))?;
    match (&object, &pointer, &message) {
        (Some(_), Some(_), None) | (None, None, Some(_)) => {}
        _ => {
            return Err(at(
                node,
                "a finding has either `object` and `pointer`, or `message`",
            ));
        }
    }
    Ok(Key {
        file,
        object,
        pointer,
        rule,
        message,
    })
}

fn object_key(node: &Node) -> Result<ObjectKey, ParseError> {
    let map = node
        .as_map()
        .ok_or_else(|| at(node, "`object` must be a mapping"))?;
    let (mut api_version, mut kind, mut namespace, mut name) = (None, None, None, None);
    for entry in map {
        let value = Some(string(&entry.value)?);
        match entry.key.scalar_text() {
            Some("apiVersion") => api_version = value,
            Some("kind") => kind = value,
            Some("namespace") => namespace = value,
            Some("name") => name = value,
            _ => {
                return Err(at(
                    &entry.key,
                    "unknown field; expected `apiVersion`, `kind`, `namespace` or `name`",
                ));
            }
        }
    }
    Ok(ObjectKey {
        api_version: api_version.ok_or_else(|| at(node, "the object has no `apiVersion`"))?,
        kind: kind.ok_or_else(|| at(node, "the object has no `kind`"))?,
        namespace,
        name,
    })
}

fn string(node: &Node) -> Result<String, ParseError> {
    node.scalar_text()
        .filter(|_| !node.is_null())
        .map(str::to_owned)
        .ok_or_else(|| at(node, "expected a string"))
}

fn at(node: &Node, message: &str) -> ParseError {
    (node.span.start as usize, message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_plain_only_when_that_is_safe() {
        assert_eq!(scalar("apps/v1"), "apps/v1");
        assert_eq!(
            scalar("/spec/template/spec/containers/0/image"),
            "/spec/template/spec/containers/0/image"
        );
        assert_eq!(scalar("k8s/cart.yaml"), "k8s/cart.yaml");
        for quoted in [
            "yes", "no", "0755", "1.5", "", "a: b", "null", "<stdin>", "-x", "a,b", "#x",
        ] {
            assert!(scalar(quoted).starts_with('"'), "{quoted} must be quoted");
        }
    }

    #[test]
    fn the_text_reads_back() {
        let baseline = Baseline {
            entries: vec![
                Key {
                    file: "k8s/a.yaml".into(),
                    object: Some(ObjectKey {
                        api_version: "apps/v1".into(),
                        kind: "Deployment".into(),
                        namespace: Some("yes".into()),
                        name: Some("web, {x}".into()),
                    }),
                    pointer: Some(String::new()),
                    rule: "privileged-container".into(),
                    message: None,
                },
                Key {
                    file: "<stdin>".into(),
                    object: None,
                    pointer: None,
                    rule: "yaml-syntax-error".into(),
                    message: Some("did not find \"expected\" ':'\n".into()),
                },
            ],
            base: PathBuf::new(),
        };
        let text = baseline.to_yaml();
        let mut expected = baseline.entries.clone();
        expected.sort();
        assert_eq!(parse(&text).unwrap(), expected);
    }

    #[test]
    fn errors_point_at_the_line() {
        let text = "version: 1\nfindings:\n  - file: a.yaml\n    rule: r\n    colour: red\n";
        let (offset, message) = parse(text).unwrap_err();
        assert_eq!(&text[offset..offset + 6], "colour");
        assert!(message.contains("unknown field"));
        assert!(
            parse("version: 2\nfindings: []\n")
                .unwrap_err()
                .1
                .contains("version 2")
        );
        assert!(parse("findings: []\n").unwrap_err().1.contains("`version`"));
    }
}
