//! Orchestration: read and check every file in parallel, then run relation
//! rules once over the index of all objects, then resolve positions, apply
//! suppressions and sort.
//!
//! Each file is processed independently (load → parse → model → object
//! rules), so the work spreads over threads with no shared state. All files
//! are loaded first; those that define CRDs are then checked after the
//! others, in a second wave, so that each CRD knows by then which of its
//! schemas resources need (`SchemaKeeper`). Output order never depends on
//! scheduling: files are numbered in sorted path order before the parallel
//! stages and findings are sorted at the end.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::config::RuleSet;
use crate::finding::{Finding, Location, Related, Summary};
use crate::guard::guard;
use crate::helm::SourceTemplates;
use crate::k8s::object::{DocumentContent, classify};
use crate::k8s::object::{ShedSchemas, crd_version_schema};
use crate::k8s::{Object, ObjectId, ObjectIndex, ObjectRef};
use crate::kustomize;
use crate::rules::registry::Entry;
use crate::rules::schema::{
    DeprecatedApiVersion, MissingSchema, RemovedApiVersion, SchemaViolation,
};
use crate::rules::style::UnusedSuppression;
use crate::rules::{
    Analysis, RelationContext, RelationRule, Report, Reports, Rule, RuleMeta, input,
};
use crate::schema::{self, SchemaOptions, Verdict};
use crate::source::discover::{Input, WalkError};
use crate::source::load::{self, LoadError};
use crate::source::{FileId, SourceFile, TextRange};
use crate::suppression::{self, Suppressions};
use crate::yaml::parse::{Limits, ProblemKind, parse_stream};
use crate::yaml::{Node, pointer};

/// Largest input read unless `--max-file-size` says otherwise, in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 100 * 1024 * 1024;

/// How a run behaves.
#[derive(Clone)]
pub struct Options {
    /// Limits against hostile input.
    pub limits: Limits,
    /// Largest input read, in bytes.
    pub max_file_size: u64,
    /// How objects are validated against schemas.
    pub schema: SchemaOptions,
    /// The rules of the run and their settings.
    pub rules: Arc<RuleSet>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            schema: SchemaOptions::default(),
            rules: Arc::new(RuleSet::standard()),
        }
    }
}

/// What a run found.
pub struct Outcome {
    /// Every input, indexed by [`FileId`]: the linted ones, then the
    /// context files ([`run_with_context`]), kept for the related locations
    /// that point into them.
    pub files: Vec<SourceFile>,
    /// How many of `files` (and of `objects`) were linted; findings are
    /// only ever on those.
    pub linted: usize,
    /// Findings in output order.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
    /// Whether an input could not be read, or plimsoll failed on one (an
    /// `internal-error` finding); such a run exits with code 2.
    pub had_input_errors: bool,
    /// The objects of each file, by [`FileId`]: their document and identity,
    /// for formats that list objects without findings too.
    pub objects: Vec<Vec<(usize, ObjectRef)>>,
    /// The rules of the run and their settings.
    pub rules: Arc<RuleSet>,
}

/// Everything learned from one file.
struct FileResult {
    source: SourceFile,
    objects: Vec<Object>,
    findings: Vec<Finding>,
    reports: Vec<Report>,
    /// Objects no built-in schema covers, by ordinal, for the CRDs of the run.
    deferred: Vec<usize>,
    /// Objects that are CRDs whose schemas were dropped after their checks.
    shed: Vec<(usize, ShedSchemas)>,
    verdicts: Vec<Verdict>,
    unreadable: bool,
}

/// Lints `inputs`; `walk_errors` become findings too. `progress` counts
/// files as they finish, for a progress display.
pub fn run(
    inputs: Vec<Input>,
    walk_errors: Vec<WalkError>,
    options: &Options,
    progress: &AtomicUsize,
) -> Outcome {
    run_with_context(inputs, Vec::new(), walk_errors, options, progress)
}

/// Lints `inputs` as [`run`] does, and reads `context` beside them: the
/// objects of the context files take part in relation rules (the
/// Deployment a linted Service selects, the ConfigMap a linted workload
/// mounts), but they are neither validated nor checked, and nothing is
/// reported on them. A pre-commit hook, given only the staged files, sees
/// the rest of the repository this way.
pub fn run_with_context(
    mut inputs: Vec<Input>,
    context: Vec<Input>,
    walk_errors: Vec<WalkError>,
    options: &Options,
    progress: &AtomicUsize,
) -> Outcome {
    // Files are numbered linted inputs first, then the walk errors, then
    // the context files, which therefore come last in every table.
    let linted = inputs.len();
    let first_context = linted + walk_errors.len();
    let file_id = |i: usize| FileId((if i < linted { i } else { i + walk_errors.len() }) as u32);
    inputs.extend(context);
    // Files that define CRDs are read after all the others, so that each
    // CRD keeps in memory the schemas of the kinds that have resources,
    // known by then, and drops the others (see `Object::shed_crd_schemas`).
    let crd_marker = memchr::memmem::Finder::new("CustomResourceDefinition");
    let loaded: Vec<(usize, Result<String, LoadError>, bool)> = inputs
        .par_iter_mut()
        .enumerate()
        .map(|(i, input)| {
            let text = load::take(input, options.max_file_size);
            let defines_crds = text
                .as_ref()
                .is_ok_and(|t| crd_marker.find(t.as_bytes()).is_some());
            (i, text, defines_crds)
        })
        .collect();
    // Kustomizations are few and small, but read on all threads like the
    // rest, and the names of all files are checked.
    let read: Vec<kustomize::Kustomization> = loaded
        .par_iter()
        .filter_map(|(i, text, _)| kustomize::read(inputs[*i].path(), text.as_ref().ok()?))
        .collect();
    let kustomizations: kustomize::Kustomizations = read.into_iter().collect();
    let (mut second, first): (Vec<_>, Vec<_>) = loaded.into_iter().partition(|(_, _, crds)| *crds);
    let wave = |files: Vec<(usize, Result<String, LoadError>, bool)>, keeper: &SchemaKeeper| {
        files
            .into_par_iter()
            .map(|(i, text, _)| {
                let path = inputs[i].path();
                let role = if kustomizations.is_build_input(path) {
                    Role::BuildInput
                } else if i < linted {
                    Role::Checked
                } else {
                    Role::Context
                };
                let file = FileContext {
                    role,
                    build: kustomizations.build_of(path),
                };
                let result = lint_file(file_id(i), &inputs[i], text, options, keeper, file);
                progress.fetch_add(1, Ordering::Relaxed);
                (i, result)
            })
            .collect::<Vec<_>>()
    };
    let mut numbered = wave(first, &SchemaKeeper::default());
    let keeper = SchemaKeeper::expecting(
        numbered
            .iter()
            .flat_map(|(_, r)| deferred_kinds(r))
            .collect(),
    );
    // Last files first: the last CRD to define a version is the one
    // validation uses, so copies before it seldom need to be kept. (Largest
    // files first made this wave two thirds slower on the corpus.)
    second.sort_unstable_by_key(|(i, _, _)| std::cmp::Reverse(*i));
    numbered.extend(wave(second, &keeper));
    numbered.sort_unstable_by_key(|(i, _)| *i);
    let mut results: Vec<FileResult> = numbered.into_iter().map(|(_, r)| r).collect();
    let context_results = results.split_off(linted);
    for error in walk_errors {
        let id = FileId(results.len() as u32);
        let source = SourceFile::new(error.path, String::new());
        let finding = file_finding(id, &source, input::UnreadableFile.meta(), error.message);
        results.push(FileResult {
            source,
            objects: Vec::new(),
            findings: vec![finding],
            reports: Vec::new(),
            deferred: Vec::new(),
            shed: Vec::new(),
            verdicts: Vec::new(),
            unreadable: true,
        });
    }
    results.extend(context_results);

    let index = ObjectIndex::build(results.iter().flat_map(|r| &r.objects));
    let deferred = results
        .iter()
        .flat_map(|r| r.deferred.iter().map(|&i| &r.objects[i]));
    let shed =
        |crd: &Object, position: usize| reread_schema(&results, crd, position, &options.limits);
    // Both stages are uneven (one relation rule or one large CRD can
    // dominate), so they share the threads rather than run one after the
    // other.
    let ((mut late_reports, mut late_failures), custom) = rayon::join(
        || run_relation_rules(&index, &options.rules),
        || guard(|| schema::check_custom(deferred, &index, &options.schema, &shed)),
    );
    let mut verdicts = Vec::new();
    match custom {
        Ok((schema_reports, custom_verdicts)) => {
            late_reports.extend(schema_reports);
            verdicts = custom_verdicts;
        }
        Err(caught) => late_failures.push(format!(
            "validation against CustomResourceDefinitions failed, so custom resources were not validated: an internal error{}",
            caught.at()
        )),
    }
    drop(index);
    // A failure across files belongs to no one file: it is reported on the
    // first linted file with objects (relation rules see only objects).
    if let Some(first) = results[..first_context]
        .iter()
        .position(|r| !r.objects.is_empty())
    {
        for message in late_failures {
            internal_error(
                FileId(first as u32),
                &mut results[first],
                TextRange::empty(0),
                None,
                message,
            );
        }
    }
    // A few files hold most reports, so reports rather than files are
    // shared out; their line indexes are built first, one file per task, so
    // that no thread waits for another to build the one it needs.
    results
        .par_iter()
        .filter(|r| !r.reports.is_empty())
        .for_each(|r| {
            r.source.lines();
        });
    let reports: Vec<&Report> = results
        .iter()
        .flat_map(|r| &r.reports)
        .chain(&late_reports)
        .filter(|report| (report.object.file.0 as usize) < first_context)
        .collect();
    let candidates: Vec<(Finding, Option<ObjectId>)> = reports
        .par_iter()
        .map(|report| (to_finding(report, &results), Some(report.object)))
        .collect();
    let suppressions = collect_suppressions(&results, &options.rules);
    let mut findings = apply_settings(candidates, &results, &options.rules, &suppressions);
    verdicts.extend(results.iter().flat_map(|r| r.verdicts.iter().copied()));
    let objects = results[..first_context]
        .iter()
        .map(|r| r.objects.iter().filter(|o| o.is_written()).count())
        .sum();
    let had_input_errors = results[..first_context].iter().any(|r| r.unreadable);
    // One pass takes each file apart and frees its trees, on all threads.
    let ((file_objects, file_level), files): ((Vec<_>, Vec<Vec<_>>), Vec<_>) = results
        .into_par_iter()
        .map(|result| {
            let objects = result
                .objects
                .into_iter()
                .filter(Object::is_written)
                .map(|o| (o.document, o.identity))
                .collect();
            let file_level = result.findings.into_iter().map(|f| (f, None)).collect();
            let kept = apply_settings(file_level, &[], &options.rules, &suppressions);
            ((objects, kept), result.source)
        })
        .unzip();
    findings.extend(file_level.into_iter().flatten());
    findings.extend(unused_suppressions(&suppressions, &files, &options.rules));
    findings.retain(|f| (f.location.file.0 as usize) < first_context);
    name_source_templates(&mut findings, &files);
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut summary = Summary::count(first_context, objects, &findings);
    summary.valid = verdicts.iter().filter(|v| **v == Verdict::Valid).count();
    summary.invalid = verdicts.iter().filter(|v| **v == Verdict::Invalid).count();
    summary.skipped = objects - summary.valid - summary.invalid;
    Outcome {
        files,
        findings,
        summary,
        had_input_errors,
        objects: file_objects,
        linted: first_context,
        rules: options.rules.clone(),
    }
}

/// An `apiVersion` and a `kind`.
type KindKey = (String, String);

/// The kinds of the objects of a file that no built-in schema covers.
fn deferred_kinds(result: &FileResult) -> impl Iterator<Item = KindKey> + '_ {
    result.deferred.iter().map(|&o| {
        let identity = &result.objects[o].identity;
        (identity.api_version.clone(), identity.kind.clone())
    })
}

/// Decides which CRD schemas stay in memory after the CRD is checked: those
/// of the versions that resources of the run are expected of, in the one
/// CRD that defines each version last, which is the one validation uses
/// (`schema::crd::CrdCatalog`). Whatever it drops is read again from the
/// text if it is needed after all, so it decides memory and time, never a
/// finding.
#[derive(Default)]
struct SchemaKeeper {
    /// The kinds of the objects no built-in schema covers, in the files
    /// read before any file that defines CRDs.
    expected: HashSet<KindKey>,
    /// The last CRD found so far that keeps each version's schema.
    claims: Mutex<HashMap<KindKey, ObjectId>>,
}

impl SchemaKeeper {
    fn expecting(expected: HashSet<KindKey>) -> Self {
        Self {
            expected,
            claims: Mutex::default(),
        }
    }

    /// Whether `crd` keeps the schema of `kind` in `api_version`, given the
    /// kinds of objects in its own file (`own`).
    fn keeps(&self, crd: ObjectId, key: KindKey, own: &HashSet<KindKey>) -> bool {
        if !self.expected.contains(&key) && !own.contains(&key) {
            return false;
        }
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        let claim = claims.entry(key).or_insert(crd);
        if *claim > crd {
            return false;
        }
        *claim = crd;
        true
    }
}

/// What a run does with a file it reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Its objects are validated and checked, and take part in relation rules.
    Checked,
    /// Its objects take part in relation rules only ([`run_with_context`]).
    Context,
    /// A kustomize patch, or a file a kustomize generator reads
    /// ([`kustomize`]): its YAML must parse, but it holds no objects.
    BuildInput,
}

/// What the run knows of a file before reading it.
struct FileContext {
    role: Role,
    /// How the run's kustomizations build its objects, if any does.
    build: Option<Arc<kustomize::Build>>,
}

/// Reads one file and, as its `role` says, validates and checks its objects.
fn lint_file(
    id: FileId,
    input: &Input,
    text: Result<String, LoadError>,
    options: &Options,
    keeper: &SchemaKeeper,
    file: FileContext,
) -> FileResult {
    let (text, error) = match text {
        Ok(text) => (text, None),
        Err(error) => (String::new(), Some(error)),
    };
    let mut result = FileResult {
        source: SourceFile::new(input.path().to_owned(), text),
        objects: Vec::new(),
        findings: Vec::new(),
        reports: Vec::new(),
        deferred: Vec::new(),
        shed: Vec::new(),
        verdicts: Vec::new(),
        unreadable: false,
    };
    let Some(error) = error else {
        // A panic becomes an `internal-error` finding naming the file; the
        // objects read before it are dropped, since the rules would see
        // only part of the file.
        if let Err(caught) = guard(|| parse_file(id, input, options, &file, &mut result)) {
            result.objects.clear();
            let message = format!(
                "plimsoll failed while reading this file, which was not checked: an internal error{}",
                caught.at()
            );
            internal_error(id, &mut result, TextRange::empty(0), None, message);
            return result;
        }
        if file.role == Role::Checked {
            check_objects(id, options, keeper, &mut result);
        }
        return result;
    };
    let rule = if error.is_limit() {
        input::InputLimitExceeded.meta()
    } else {
        result.unreadable = true;
        input::UnreadableFile.meta()
    };
    let message = load_message(input, &error);
    result
        .findings
        .push(file_finding(id, &result.source, rule, message));
    result
}

fn load_message(input: &Input, error: &LoadError) -> String {
    match input {
        Input::Stdin { .. } => format!("standard input: {error}"),
        Input::File { .. } | Input::Memory { .. } => error.to_string(),
    }
}

fn parse_file(
    id: FileId,
    input: &Input,
    options: &Options,
    file: &FileContext,
    result: &mut FileResult,
) {
    fault_point(input.path(), "parse");
    let stream = parse_stream(&result.source.text, &options.limits);
    let source = &result.source;
    for problem in &stream.problems {
        let rule = match problem.kind {
            ProblemKind::Syntax => input::YamlSyntaxError.meta(),
            ProblemKind::DuplicateKey => input::DuplicateKey.meta(),
            ProblemKind::Limit => input::InputLimitExceeded.meta(),
        };
        let mut finding = file_finding(id, source, rule, problem.message.clone());
        finding.location = location(id, source, problem.span, Some(problem.document));
        finding.related = problem
            .related
            .iter()
            .map(|(span, note)| Related {
                location: location(id, source, *span, Some(problem.document)),
                message: note.clone(),
            })
            .collect();
        result.findings.push(finding);
    }
    if stream.problems.is_empty() && stream.documents.iter().all(|d| d.root.is_null()) {
        let message = match input {
            Input::Stdin { .. } => "standard input is empty".to_owned(),
            Input::File { .. } | Input::Memory { .. } => {
                "the file holds no YAML documents".to_owned()
            }
        };
        result
            .findings
            .push(file_finding(id, source, input::EmptyInput.meta(), message));
        if matches!(input, Input::Stdin { .. }) {
            result.unreadable = true;
        }
    }
    if file.role == Role::BuildInput {
        return;
    }
    let directives = kustomize::may_hold_directives(&source.text);
    // Kustomize reads its file by name, with or without `apiVersion`.
    let kustomization = kustomize::is_kustomization(input.path());
    for document in stream.documents {
        let span = document.root.span;
        if kustomization {
            add_generated(
                id,
                input,
                options,
                document.index,
                &document.root,
                &mut result.objects,
            );
            continue;
        }
        if directives && kustomize::is_patch_document(&document.root) {
            continue;
        }
        match classify(document.root) {
            DocumentContent::Empty => {}
            DocumentContent::NotAnObject(why) => {
                if input.explicit() {
                    let at = TextRange::empty(span.start as usize);
                    result
                        .findings
                        .push(not_an_object(id, source, at, document.index, why));
                }
            }
            DocumentContent::Objects(objects, rejected_items) => {
                for item in rejected_items {
                    let why = "this list item has no string `apiVersion` and `kind`";
                    result
                        .findings
                        .push(not_an_object(id, source, item, document.index, why));
                }
                for (base, root, identity) in objects {
                    if kustomize::is_build_file(&identity.api_version) {
                        add_generated(
                            id,
                            input,
                            options,
                            document.index,
                            &root,
                            &mut result.objects,
                        );
                        continue;
                    }
                    let ordinal = result.objects.len() as u32;
                    let mut object = Object::new(
                        ObjectId { file: id, ordinal },
                        document.index,
                        base,
                        root,
                        identity,
                    );
                    object.build.clone_from(&file.build);
                    result.objects.push(object);
                }
            }
        }
    }
}

/// Adds what the kustomization `root` generates to the file's objects; the
/// `envs` and `files` it names are read beside the file, unless it is
/// standard input.
fn add_generated(
    id: FileId,
    input: &Input,
    options: &Options,
    document: usize,
    root: &Node,
    objects: &mut Vec<Object>,
) {
    let dir = match input {
        Input::Stdin { .. } => None,
        Input::File { .. } | Input::Memory { .. } => input.path().parent(),
    };
    for generated in kustomize::generated(root, dir, options.max_file_size) {
        let ordinal = objects.len() as u32;
        objects.push(generated.into_object(ObjectId { file: id, ordinal }, document));
    }
}

/// Validates each written object of a file and runs the object rules on
/// it (on a generated object, only the rules that check generated data),
/// then drops the CRD schemas that `keeper` does not keep. Each validation and
/// each rule runs under a [`guard`]: a panic drops that stage's reports and
/// becomes an `internal-error` finding at the object.
fn check_objects(id: FileId, options: &Options, keeper: &SchemaKeeper, result: &mut FileResult) {
    let validate = schema_enabled(&options.rules);
    let mut failures = Vec::new();
    let path = result.source.path.clone();
    for (ordinal, object) in result.objects.iter().enumerate() {
        let written = object.is_written();
        let at = (object.root.span, object.document);
        if validate && written {
            let mut reports = Vec::new();
            match guard(|| schema::check_builtin(object, &options.schema, &mut reports)) {
                Ok(Verdict::Deferred) => {
                    result.deferred.push(ordinal);
                    result.reports.append(&mut reports);
                }
                Ok(verdict) => {
                    result.verdicts.push(verdict);
                    result.reports.append(&mut reports);
                }
                Err(caught) => failures.push((
                    at,
                    format!(
                        "schema validation failed on this object, which was not validated: an internal error{}",
                        caught.at()
                    ),
                )),
            }
        }
        for running in options.rules.object_rules() {
            let (rule, meta) = (running.rule, running.rule.meta());
            if !(written || meta.checks_generated) || !meta.kinds.iter().any(|k| k.matches(object))
            {
                continue;
            }
            let checked = guard(|| {
                let mut reports = Reports::new(meta, running.params.as_ref());
                fault_point(&path, meta.name);
                rule.check(object, &mut reports);
                reports.into_inner()
            });
            match checked {
                Ok(reports) => result.reports.extend(reports),
                Err(caught) => failures.push((
                    at,
                    format!(
                        "rule `{}` failed on this object, which it did not check: an internal error{}",
                        meta.name,
                        caught.at()
                    ),
                )),
            }
        }
    }
    for ((span, document), message) in failures {
        internal_error(id, result, span, Some(document), message);
    }
    if !result.objects.iter().any(Object::is_crd) {
        return;
    }
    // Resources of the file itself count too: a chart often ships its CRDs
    // with resources of them.
    let own: HashSet<KindKey> = deferred_kinds(result).collect();
    for (ordinal, object) in result.objects.iter_mut().enumerate() {
        let id = object.id;
        let keeps = |api_version: &str, kind: &str| {
            keeper.keeps(id, (api_version.to_owned(), kind.to_owned()), &own)
        };
        if object.is_crd()
            && let Some(shed) = object.shed_crd_schemas(keeps)
        {
            result.shed.push((ordinal, shed));
        }
    }
}

/// The `openAPIV3Schema` of version `position` of a CRD whose schemas were
/// dropped after its checks ([`Object::shed_crd_schemas`]), read again from
/// the kept text: the schema's own bytes when they parse alone, else the
/// whole file, which gives the same objects in the same order.
fn reread_schema(
    results: &[FileResult],
    object: &Object,
    position: usize,
    limits: &Limits,
) -> Option<Node> {
    let result = &results[object.id.file.0 as usize];
    let ordinal = object.id.ordinal as usize;
    let (_, shed) = result.shed.iter().find(|(o, _)| *o == ordinal)?;
    let span = shed.get(position).copied().flatten()?;
    let text = &result.source.text;
    if let Some(schema) = parse_alone(text, span, limits) {
        return Some(schema);
    }
    let root = parse_stream(text, limits)
        .documents
        .into_iter()
        .flat_map(|document| match classify(document.root) {
            DocumentContent::Objects(objects, _) => objects,
            DocumentContent::Empty | DocumentContent::NotAnObject(_) => Vec::new(),
        })
        .nth(ordinal)
        .map(|(_, root, _)| root)?;
    crd_version_schema(&root, position).cloned()
}

/// The node written at `span` of `text`, parsed on its own, or `None` if
/// those bytes do not parse alone (an alias to an anchor outside them, a
/// syntax error). Blanks in front of the first line keep the columns, so
/// that a block mapping's keys stay aligned.
fn parse_alone(text: &str, span: TextRange, limits: &Limits) -> Option<Node> {
    let (start, end) = (span.start as usize, span.end as usize);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut alone = " ".repeat(text[line_start..start].chars().count());
    alone.push_str(&text[start..end]);
    let stream = parse_stream(&alone, limits);
    let parsed = !stream
        .problems
        .iter()
        .any(|p| p.kind != ProblemKind::DuplicateKey);
    stream
        .documents
        .into_iter()
        .next()
        .filter(|_| parsed)
        .map(|document| document.root)
}

/// In test builds only, panics when the input is named
/// `inject-panic/<stage>`, so that the guards can be tested; a stage is
/// `parse` or a rule's name. Release and debug builds compile it away.
#[cfg(test)]
fn fault_point(input: &std::path::Path, stage: &str) {
    if input == std::path::Path::new("inject-panic").join(stage) {
        panic!("injected panic at {stage}");
    }
}

#[cfg(not(test))]
#[inline(always)]
fn fault_point(_input: &std::path::Path, _stage: &str) {}

/// Adds an `internal-error` finding to a file's result; the run then exits
/// with code 2, since part of the input was not checked.
fn internal_error(
    id: FileId,
    result: &mut FileResult,
    span: TextRange,
    document: Option<usize>,
    message: String,
) {
    let span = TextRange::empty(span.start as usize);
    let mut finding = file_finding(id, &result.source, input::InternalError.meta(), message);
    finding.location = location(id, &result.source, span, document);
    result.findings.push(finding);
    result.unreadable = true;
}

/// Whether any schema rule runs; when none does, validation is skipped.
fn schema_enabled(rules: &RuleSet) -> bool {
    [
        SchemaViolation.meta(),
        MissingSchema.meta(),
        RemovedApiVersion.meta(),
        DeprecatedApiVersion.meta(),
    ]
    .into_iter()
    .any(|rule| rules.enabled(rule))
}

/// Names the Helm template (`# Source:` comment) of each finding's
/// document, for rendered streams; each file is scanned once.
fn name_source_templates(findings: &mut [Finding], files: &[SourceFile]) {
    // Only files with findings in a document are scanned.
    let mut wanted = vec![false; files.len()];
    for finding in findings.iter() {
        let related = finding.related.iter().map(|r| &r.location);
        for location in std::iter::once(&finding.location).chain(related) {
            if location.document.is_some() {
                wanted[location.file.0 as usize] = true;
            }
        }
    }
    let templates: Vec<SourceTemplates> = files
        .par_iter()
        .zip(wanted)
        .map(|(f, wanted)| {
            if wanted {
                SourceTemplates::scan(&f.text)
            } else {
                SourceTemplates::default()
            }
        })
        .collect();
    if templates.iter().all(SourceTemplates::is_empty) {
        return;
    }
    for finding in findings {
        let related = finding.related.iter_mut().map(|r| &mut r.location);
        for location in std::iter::once(&mut finding.location).chain(related) {
            // A finding about a whole file belongs to no template.
            if location.document.is_some() {
                let file = &templates[location.file.0 as usize];
                location.source_template = file.at(location.span.start as usize).map(str::to_owned);
            }
        }
    }
}

fn not_an_object(
    file: FileId,
    source: &SourceFile,
    span: TextRange,
    document: usize,
    why: &str,
) -> Finding {
    let mut finding = file_finding(
        file,
        source,
        input::NotAKubernetesObject.meta(),
        why.to_owned(),
    );
    finding.location = location(file, source, span, Some(document));
    finding
}

/// Runs every relation rule, each under a [`guard`]; returns the reports
/// and a message for each rule that panicked.
fn run_relation_rules(index: &ObjectIndex<'_>, rules: &RuleSet) -> (Vec<Report>, Vec<String>) {
    let enabled: Vec<&dyn RelationRule> = rules
        .registry
        .entries()
        .iter()
        .filter_map(|entry| match entry {
            Entry::Relation(rule) if rules.enabled(rule.meta()) => Some(*rule),
            _ => None,
        })
        .collect();
    let index = RelationContext::new(index);
    let index = &index;
    let needed: Vec<Analysis> = enabled.iter().flat_map(|r| r.needs()).copied().collect();
    // After a panic here, each rule that needs the analysis asks for it
    // again and is reported as failing on its own.
    let _ = guard(|| index.prepare(&needed));
    let outcomes: Vec<Result<Vec<Report>, String>> = enabled
        .par_iter()
        .map(|rule| {
            guard(|| {
                let mut reports = Reports::new(rule.meta(), rules.params(rule.meta()));
                rule.check(index, &mut reports);
                reports.into_inner()
            })
            .map_err(|caught| {
                format!(
                    "rule `{}` failed while comparing objects across files, and checked nothing: an internal error{}",
                    rule.meta().name,
                    caught.at()
                )
            })
        })
        .collect();
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(found) => reports.extend(found),
            Err(message) => failures.push(message),
        }
    }
    (reports, failures)
}

/// Resolves a rule's report to a finding with positions.
fn to_finding(report: &Report, results: &[FileResult]) -> Finding {
    let object = object_by_id(results, report.object);
    let related = report
        .related
        .iter()
        .map(|(id, pointer, note)| Related {
            location: object_location(results, object_by_id(results, *id), pointer),
            message: note.clone(),
        })
        .collect();
    Finding {
        rule: report.rule,
        severity: report.severity.unwrap_or(report.rule.default_severity),
        message: report.message.clone(),
        help: report
            .help
            .clone()
            .or_else(|| Some(report.rule.remediation.to_owned())),
        location: object_location(results, object, &report.pointer),
        related,
    }
}

fn collect_suppressions(results: &[FileResult], rules: &RuleSet) -> Suppressions {
    let peer_rules = |key: &str, value: &str| {
        if rules.honor_peer_annotations {
            suppression::peer_rules(&rules.registry, key, value)
        } else {
            Vec::new()
        }
    };
    let found: Vec<Vec<_>> = results
        .par_iter()
        .enumerate()
        .map(|(i, result)| {
            suppression::found_in(
                FileId(i as u32),
                &result.source,
                &result.objects,
                &peer_rules,
            )
        })
        .collect();
    Suppressions::new(found.into_iter().flatten().collect())
}

/// Drops findings of disabled rules, of excluded objects and silenced by a
/// suppression, and applies configured severities. `results` is empty for
/// file-level findings, which belong to no object.
fn apply_settings(
    candidates: Vec<(Finding, Option<ObjectId>)>,
    results: &[FileResult],
    rules: &RuleSet,
    suppressions: &Suppressions,
) -> Vec<Finding> {
    candidates
        .into_iter()
        .filter_map(|(mut finding, object)| {
            if !rules.enabled(finding.rule) {
                return None;
            }
            if object.is_some_and(|id| rules.excludes(object_by_id(results, id))) {
                return None;
            }
            if let Some(severity) = rules.severity_override(finding.rule) {
                finding.severity = severity;
            }
            (!suppressions.silences(&finding, object)).then_some(finding)
        })
        .collect()
}

fn unused_suppressions(
    suppressions: &Suppressions,
    files: &[SourceFile],
    rules: &RuleSet,
) -> Vec<Finding> {
    let meta = UnusedSuppression.meta();
    if !rules.enabled(meta) {
        return Vec::new();
    }
    suppressions
        .iter()
        // A suppression of a rule that did not run is not known to be stale.
        .filter(|s| {
            s.is_own()
                && !s.used()
                && s.rules()
                    .iter()
                    .all(|r| r == "all" || rules.registry.find(r).is_none_or(|m| rules.enabled(m)))
        })
        .map(|s| {
            let source = &files[s.file.0 as usize];
            let mut finding = file_finding(
                s.file,
                source,
                meta,
                format!(
                    "this suppression of `{}` silenced nothing",
                    s.rules().join(", ")
                ),
            );
            finding.severity = rules
                .severity_override(meta)
                .unwrap_or(meta.default_severity);
            finding.location = location(s.file, source, s.span, s.document);
            finding
        })
        .collect()
}

fn object_by_id(results: &[FileResult], id: ObjectId) -> &Object {
    &results[id.file.0 as usize].objects[id.ordinal as usize]
}

fn object_location(
    results: &[FileResult],
    object: &Object,
    pointer: &pointer::Pointer,
) -> Location {
    let source = &results[object.id.file.0 as usize].source;
    let span = pointer::resolve(&object.root, pointer).primary();
    Location {
        object: Some(object.identity.clone()),
        pointer: Some(pointer.clone()),
        ..location(object.id.file, source, span, Some(object.document))
    }
}

fn location(
    file: FileId,
    source: &SourceFile,
    span: TextRange,
    document: Option<usize>,
) -> Location {
    Location {
        file,
        span,
        start: source.line_col(span.start),
        end: source.line_col(span.end),
        document,
        object: None,
        pointer: None,
        source_template: None,
    }
}

fn file_finding(
    file: FileId,
    source: &SourceFile,
    rule: &'static RuleMeta,
    message: String,
) -> Finding {
    Finding {
        rule,
        severity: rule.default_severity,
        message,
        help: Some(rule.remediation.to_owned()),
        location: location(file, source, TextRange::empty(0), None),
        related: Vec::new(),
    }
}

/// The default name of standard input in output.
pub fn default_stdin_name() -> PathBuf {
    PathBuf::from("<stdin>")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36.1\n      securityContext:\n        privileged: true\n";

    fn lint(names: &[&str]) -> Outcome {
        crate::guard::install_panic_hook();
        let inputs = names
            .iter()
            .map(|name| Input::Memory {
                name: PathBuf::from(name),
                text: POD.to_owned(),
            })
            .collect();
        run(
            inputs,
            Vec::new(),
            &Options::default(),
            &AtomicUsize::new(0),
        )
    }

    fn rules_of(outcome: &Outcome, file: usize) -> Vec<&'static str> {
        outcome
            .findings
            .iter()
            .filter(|f| f.location.file.0 as usize == file)
            .map(|f| f.rule.name)
            .collect()
    }

    #[test]
    fn a_clean_run_has_no_internal_error() {
        let outcome = lint(&["ok.yaml"]);
        assert!(!outcome.had_input_errors);
        assert!(rules_of(&outcome, 0).contains(&"privileged-container"));
        assert!(!rules_of(&outcome, 0).contains(&"internal-error"));
    }

    #[test]
    fn a_panic_while_parsing_is_a_finding_naming_the_file_and_the_run_goes_on() {
        let outcome = lint(&["inject-panic/parse", "ok.yaml"]);
        assert!(outcome.had_input_errors, "the run must exit with code 2");
        let path = Path::new("inject-panic/parse");
        let file = outcome.files.iter().position(|f| f.path == path).unwrap();
        let failing: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| f.location.file.0 as usize == file)
            .collect();
        assert_eq!(
            failing.len(),
            1,
            "only the internal error: no objects were kept"
        );
        let finding = failing[0];
        assert_eq!(finding.rule.name, "internal-error");
        assert_eq!(finding.severity, crate::rules::Severity::Error);
        assert!(
            finding
                .message
                .starts_with("plimsoll failed while reading this file, which was not checked: an internal error (panic at src/engine.rs:"),
            "{}",
            finding.message
        );
        // The panic's own message is never shown.
        assert!(!finding.message.contains("injected"));
        let other = 1 - file;
        assert!(rules_of(&outcome, other).contains(&"privileged-container"));
    }

    #[test]
    fn a_panicking_rule_is_a_finding_naming_the_rule_and_other_rules_still_run() {
        let outcome = lint(&["inject-panic/privileged-container"]);
        assert!(outcome.had_input_errors);
        let rules = rules_of(&outcome, 0);
        assert!(rules.contains(&"internal-error"), "{rules:?}");
        assert!(!rules.contains(&"privileged-container"), "{rules:?}");
        // Other rules on the same object still report.
        assert!(rules.len() > 1, "{rules:?}");
        let finding = outcome
            .findings
            .iter()
            .find(|f| f.rule.name == "internal-error")
            .unwrap();
        assert!(
            finding
                .message
                .starts_with("rule `privileged-container` failed on this object, which it did not check: an internal error (panic at "),
            "{}",
            finding.message
        );
        // At the object, in its document.
        assert_eq!(finding.location.document, Some(0));
        assert_eq!(finding.location.start.line, 1);
    }
}
