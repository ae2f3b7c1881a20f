//! reviewdog's Diagnostic Format as one JSON document (`rdjson`, the
//! `DiagnosticResult` message of reviewdog's `proto/rdf/reviewdog.proto`),
//! for `reviewdog -f=rdjson`.
//!
//! Each finding is a diagnostic with `message`, `location.path`,
//! `location.range` (`start` and exclusive `end`), `severity` (`ERROR`,
//! `WARNING` or `INFO`) and `code` (`value`: the rule name). The format
//! counts columns in UTF-8 bytes, not characters, so columns here are byte
//! offsets from the start of the line plus one, and differ from the other
//! formats' on lines with non-ASCII text before the finding. The top-level
//! `severity` is the highest of the diagnostics', absent when there are none.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::Location;
use crate::rules::Severity;
use crate::source::{LineCol, SourceFile};

/// Where the format's readers learn more about plimsoll; see the SARIF
/// module for why this address.
const URL: &str = "https://crates.io/crates/plimsoll";

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'static str>,
    diagnostics: Vec<Diagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    message: &'a str,
    location: RdLocation,
    severity: &'static str,
    code: Code,
}

#[derive(Serialize)]
struct RdLocation {
    path: String,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Code {
    value: &'static str,
}

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    let diagnostics = outcome
        .findings
        .iter()
        .map(|f| Diagnostic {
            message: &f.message,
            location: location(outcome, &f.location),
            severity: severity(f.severity),
            code: Code { value: f.rule.name },
        })
        .collect();
    let result = DiagnosticResult {
        source: Source {
            name: "plimsoll",
            url: URL,
        },
        severity: outcome
            .findings
            .iter()
            .map(|f| f.severity)
            .max()
            .map(severity),
        diagnostics,
    };
    serde_json::to_writer_pretty(&mut *out, &result)?;
    writeln!(out)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

fn location(outcome: &Outcome, location: &Location) -> RdLocation {
    let file = &outcome.files[location.file.0 as usize];
    RdLocation {
        path: file.display_path(),
        range: Range {
            start: position(file, location.start, location.span.start),
            end: position(file, location.end, location.span.end),
        },
    }
}

/// The line of `at` and the byte column of `offset` on it, 1-based.
fn position(file: &SourceFile, at: LineCol, offset: u32) -> Position {
    let line_start = file
        .lines()
        .line_range(&file.text, at.line as usize - 1)
        .start;
    Position {
        line: at.line,
        column: offset.saturating_sub(line_start) + 1,
    }
}
