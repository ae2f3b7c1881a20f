//! Linting editor buffers: the configuration of each directory, the run
//! itself (guarded against panics) and findings as LSP diagnostics.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::SystemTime;

use globset::GlobSet;
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    Location, NumberOrString, Uri,
};

use crate::config::{Config, RuleSet};
use crate::engine::{self, Options, Outcome};
use crate::kustomize;
use crate::rules::{RuleMeta, Severity};
use crate::schema::{MissingSchemaPolicy, SchemaOptions, catalog};
use crate::source::TextRange;
use crate::source::discover::Input;

use super::position::{Encoding, LineMap};

/// Most manifests read from a buffer's directory as context for rules that
/// relate objects (a Service and the pods it selects); a directory with
/// more is not read, and only the open buffers are linted together.
const MAX_SIBLINGS: usize = 200;

/// Largest sibling file read as context, in bytes.
const MAX_SIBLING_SIZE: u64 = 4 * 1024 * 1024;

/// The default link of a diagnostic's code: there is no website, so the
/// link names the rule in a `plimsoll:` URI (`plimsoll explain NAME` shows
/// the same documentation, and so does hovering the diagnostic). The
/// `rulesDocsUrl` initialization option replaces it.
pub const DEFAULT_DOCS_URL: &str = "plimsoll://rules/{name}";

/// The settings that apply to the files of one directory.
pub struct Setup {
    /// How the run behaves.
    pub options: Options,
    excluded: GlobSet,
    /// The configuration file's directory, canonical, for `exclude` globs.
    base: Option<PathBuf>,
}

impl Setup {
    fn load(config: Option<&Path>) -> Result<Setup, String> {
        let loaded = match config {
            Some(path) => Config::load(path).map_err(|e| e.to_string())?,
            None => Config::default(),
        };
        let rules = RuleSet::new(&loaded).map_err(|e| e.to_string())?;
        let options = Options {
            schema: SchemaOptions {
                version: loaded.kubernetes_version.unwrap_or_else(catalog::newest),
                strict: loaded.strict != Some(false),
                missing: loaded.missing_schema.unwrap_or(MissingSchemaPolicy::Warn),
                locations: loaded.schema_locations.clone(),
            },
            rules: Arc::new(rules),
            ..Options::default()
        };
        Ok(Setup {
            options,
            excluded: loaded.excluded_paths(),
            base: config
                .and_then(Path::parent)
                .and_then(|dir| std::fs::canonicalize(dir).ok()),
        })
    }

    /// Whether the configuration's `exclude` globs match `path`.
    pub fn excludes(&self, path: &Path) -> bool {
        if self.excluded.is_empty() {
            return false;
        }
        let full = canonical(path);
        let relative = self
            .base
            .as_deref()
            .and_then(|base| full.strip_prefix(base).ok())
            .unwrap_or(&full);
        self.excluded.is_match(relative)
    }
}

/// `path` made canonical as far as it exists (an unsaved buffer's file may
/// not).
fn canonical(path: &Path) -> PathBuf {
    if let Ok(full) = std::fs::canonicalize(path) {
        return full;
    }
    match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => canonical(dir).join(name),
        _ => path.to_path_buf(),
    }
}

/// A loaded configuration, or why it cannot be used.
pub type Loaded = Arc<Result<Setup, String>>;

struct Cached {
    loaded: Loaded,
    /// The configuration file and its modification time when it was read.
    stamp: Option<(PathBuf, Option<SystemTime>)>,
}

/// The configuration of each directory, loaded once; an entry is read
/// again when its configuration file's modification time changes, and the
/// whole cache is dropped when a `.plimsoll.yaml` is saved or reported
/// changed by the client.
#[derive(Default)]
pub struct Configs {
    by_dir: HashMap<PathBuf, Cached>,
}

impl Configs {
    /// The configuration for files in `dir`: the nearest `.plimsoll.yaml`
    /// at or above it, or the defaults.
    pub fn get(&mut self, dir: &Path) -> Loaded {
        if let Some(cached) = self.by_dir.get(dir) {
            let fresh = match &cached.stamp {
                Some((path, time)) => modified(path) == *time,
                None => true,
            };
            if fresh {
                return cached.loaded.clone();
            }
        }
        // Walk up from the nearest directory that exists.
        let existing = dir.ancestors().find(|d| d.is_dir()).unwrap_or(dir);
        let config = Config::discover(existing);
        let loaded = Arc::new(Setup::load(config.as_deref()));
        let stamp = config.map(|path| {
            let time = modified(&path);
            (path, time)
        });
        self.by_dir.insert(
            dir.to_path_buf(),
            Cached {
                loaded: loaded.clone(),
                stamp,
            },
        );
        loaded
    }

    /// Forgets every configuration.
    pub fn clear(&mut self) {
        self.by_dir.clear();
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The manifests in `dir` (not below it) to read as context, leaving out
/// hidden files, `skip` (the open buffers) and excluded paths; none when
/// there are more than [`MAX_SIBLINGS`].
pub fn siblings(dir: &Path, skip: &[&Path], setup: &Setup) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let manifest = Path::new(&*name)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"));
        let regular = entry
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() <= MAX_SIBLING_SIZE);
        if !manifest || !regular || name.starts_with('.') || skip.contains(&path.as_path()) {
            continue;
        }
        if setup.excludes(&path) {
            continue;
        }
        found.push(path);
        if found.len() > MAX_SIBLINGS {
            return Vec::new();
        }
    }
    found.sort();
    found
}

/// Most directory entries looked at when finding the kustomizations of a
/// workspace; a larger workspace is searched this far only.
const MAX_WORKSPACE_ENTRIES: usize = 50_000;

/// The kustomizations under `root`, as the command line's walk finds them
/// (hidden, ignored and excluded paths left out): the overlays that build
/// a buffer may live far from its directory, and they decide what the
/// buffer's objects become (`src/kustomize.rs`). At most
/// [`MAX_WORKSPACE_ENTRIES`] entries are looked at.
pub fn workspace_kustomizations(root: &Path, setup: &Setup) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let entries = ignore::WalkBuilder::new(root)
        .add_custom_ignore_filename(".plimsollignore")
        .build()
        .take(MAX_WORKSPACE_ENTRIES)
        .flatten();
    for entry in entries {
        let path = entry.path();
        let regular = entry.file_type().is_some_and(|t| t.is_file())
            && entry.metadata().is_ok_and(|m| m.len() <= MAX_SIBLING_SIZE);
        if regular && kustomize::is_kustomization(path) && !setup.excludes(path) {
            found.push(entry.into_path());
        }
    }
    found.sort();
    found
}

/// Lints the open buffers `buffers` (path and text) with the files
/// `context` read from disk, which relation rules see but which are not
/// checked themselves; a panic anywhere in the run becomes an error
/// message.
pub fn run(
    buffers: &[(PathBuf, String)],
    context: Vec<PathBuf>,
    options: &Options,
) -> Result<Outcome, String> {
    let inputs: Vec<Input> = buffers
        .iter()
        .map(|(path, text)| Input::Memory {
            name: path.clone(),
            text: text.clone(),
        })
        .collect();
    let context = context
        .into_iter()
        .map(|path| Input::File {
            path,
            explicit: false,
        })
        .collect();
    let run = || {
        #[cfg(debug_assertions)]
        test_panic_hook(buffers);
        engine::run_with_context(inputs, context, Vec::new(), options, &AtomicUsize::new(0))
    };
    // The panic's message is not repeated: it may quote the buffer, which
    // may hold secrets. The panic hook has printed it to stderr already.
    catch_unwind(AssertUnwindSafe(run))
        .map_err(|_| "plimsoll panicked while linting (see the server's stderr)".to_owned())
}

/// In debug builds only, for the tests of panic recovery: a buffer holding
/// the text of `PLIMSOLL_SERVER_TEST_PANIC` makes the run panic.
#[cfg(debug_assertions)]
fn test_panic_hook(buffers: &[(PathBuf, String)]) {
    if let Some(marker) = std::env::var_os("PLIMSOLL_SERVER_TEST_PANIC")
        && let Some(marker) = marker.to_str().filter(|m| !m.is_empty())
        && buffers.iter().any(|(_, text)| text.contains(marker))
    {
        panic!("test panic requested by PLIMSOLL_SERVER_TEST_PANIC");
    }
}

/// A diagnostic as published, with what code actions and hover need.
#[derive(Debug, Clone)]
pub struct Published {
    /// What the client was sent.
    pub diagnostic: Diagnostic,
    /// The rule.
    pub rule: &'static RuleMeta,
    /// The byte range in the buffer.
    pub span: TextRange,
    /// The document of the stream, when the finding is inside one.
    pub document: Option<usize>,
    /// Whether the finding is about an object (which an annotation can
    /// silence).
    pub has_object: bool,
    /// The finding's help.
    pub help: Option<String>,
}

/// How diagnostics are written.
pub struct Style<'a> {
    /// The position encoding.
    pub encoding: Encoding,
    /// The template of a rule's documentation link (`{name}`, `{id}`).
    pub docs_url: &'a str,
}

/// The diagnostics of the file at `path` in `outcome`; `uri_of` names the
/// files of related locations.
pub fn diagnostics(
    outcome: &Outcome,
    path: &Path,
    style: &Style<'_>,
    uri_of: &dyn Fn(&Path) -> Option<Uri>,
) -> Vec<Published> {
    let Some(file) = outcome.files.iter().position(|f| f.path == path) else {
        return Vec::new();
    };
    let source = &outcome.files[file];
    let map = LineMap::new(&source.text, style.encoding);
    // A buffer without Kubernetes objects (a CI workflow, a values file) is
    // not reported for being one: only manifests are the linter's business.
    let has_objects = outcome.objects.get(file).is_some_and(|o| !o.is_empty());
    let mut maps: HashMap<usize, LineMap<'_>> = HashMap::new();
    outcome
        .findings
        .iter()
        .filter(|f| f.location.file.0 as usize == file)
        .filter(|f| {
            has_objects || !matches!(f.rule.name, "not-a-kubernetes-object" | "empty-input")
        })
        .map(|finding| {
            let related = finding
                .related
                .iter()
                .filter_map(|r| {
                    let index = r.location.file.0 as usize;
                    let other = outcome.files.get(index)?;
                    let map = maps
                        .entry(index)
                        .or_insert_with(|| LineMap::new(&other.text, style.encoding));
                    Some(DiagnosticRelatedInformation {
                        location: Location::new(uri_of(&other.path)?, map.range(r.location.span)),
                        message: r.message.clone(),
                    })
                })
                .collect::<Vec<_>>();
            let rule = finding.rule;
            let tags = match rule.name {
                "unused-suppression" => Some(vec![DiagnosticTag::UNNECESSARY]),
                "deprecated-api-version" => Some(vec![DiagnosticTag::DEPRECATED]),
                _ => None,
            };
            let diagnostic = Diagnostic {
                range: map.range(finding.location.span),
                severity: Some(severity(finding.severity)),
                code: Some(NumberOrString::String(rule.name.to_owned())),
                code_description: docs_uri(style.docs_url, rule)
                    .map(|href| CodeDescription { href }),
                source: Some("plimsoll".to_owned()),
                message: finding.message.clone(),
                related_information: (!related.is_empty()).then_some(related),
                tags,
                data: None,
            };
            Published {
                diagnostic,
                rule,
                span: finding.location.span,
                document: finding.location.document,
                has_object: finding.location.object.is_some(),
                help: finding.help.clone(),
            }
        })
        .collect()
}

/// A diagnostic at the start of a buffer saying why it was not linted.
pub fn problem(message: String, severity: DiagnosticSeverity) -> Diagnostic {
    Diagnostic {
        range: lsp_types::Range::default(),
        severity: Some(severity),
        source: Some("plimsoll".to_owned()),
        message,
        ..Diagnostic::default()
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The documentation link of `rule`.
pub fn docs_uri(template: &str, rule: &RuleMeta) -> Option<Uri> {
    let text = template
        .replace("{name}", rule.name)
        .replace("{id}", rule.id);
    Uri::from_str(&text).ok()
}
