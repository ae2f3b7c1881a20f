//! The one type every problem becomes.
//!
//! Parse errors, unreadable files and rule violations are all [`Finding`]s,
//! so every output format shows them the same way and exit codes depend on
//! severities alone.

use serde::Serialize;

use crate::k8s::ObjectRef;
use crate::rules::{RuleMeta, Severity};
use crate::source::{FileId, LineCol, TextRange};
use crate::yaml::Pointer;

/// A problem at a place.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The rule that found it.
    pub rule: &'static RuleMeta,
    /// The severity in force (the rule's default unless configured).
    pub severity: Severity,
    /// What is wrong, in one sentence starting in lower case.
    pub message: String,
    /// How to fix it; the rule's remediation unless the rule said more.
    pub help: Option<String>,
    /// Where it is.
    pub location: Location,
    /// Other places that explain it.
    pub related: Vec<Related>,
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The byte range.
    pub span: TextRange,
    /// Line and column where the range starts.
    pub start: LineCol,
    /// Line and column where the range ends (exclusive).
    pub end: LineCol,
    /// The document of the stream, 0-based, when the finding is inside one.
    pub document: Option<usize>,
    /// The object, when the finding is about one.
    pub object: Option<ObjectRef>,
    /// Pointer into the object, when the finding is about one.
    pub pointer: Option<Pointer>,
    /// The Helm template the document was rendered from, when a rendered
    /// stream names it in a `# Source:` comment (`chart/templates/x.yaml`).
    pub source_template: Option<String>,
}

/// A secondary location with a note.
#[derive(Debug, Clone)]
pub struct Related {
    /// Where.
    pub location: Location,
    /// Why it matters, such as "first defined here".
    pub message: String,
}

impl Finding {
    /// The order of output: file, position, then rule id and message so that
    /// two findings at one place are always printed the same way round.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            self.location.file,
            self.location.span.start,
            self.location.span.end,
            self.rule.id,
            &self.message,
        )
    }
}

/// Counts per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Number of files read.
    pub files: usize,
    /// Number of Kubernetes objects found.
    pub objects: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Findings of severity info.
    pub infos: usize,
    /// Objects that a schema was found for and that conform to it.
    pub valid: usize,
    /// Objects that a schema was found for and that do not conform, or whose API was removed.
    pub invalid: usize,
    /// Objects that no schema was found for.
    pub skipped: usize,
}

impl Summary {
    /// Counts `findings` by severity.
    pub fn count(files: usize, objects: usize, findings: &[Finding]) -> Self {
        let mut summary = Summary {
            files,
            objects,
            ..Summary::default()
        };
        for f in findings {
            match f.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}
