//! The JSON format: a versioned envelope for editors and scripts.
//!
//! The shape is a contract, documented field by field in
//! `docs/json-output.md`. Fields are only ever added within a version; a
//! change that removes or renames one bumps `version`.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::{Location, Summary};
use crate::k8s::ObjectRef;
use crate::source::LineCol;

/// The version of the format written.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Envelope<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: JsonRule<'a>,
    severity: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(flatten)]
    location: JsonLocation<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    name: &'a str,
    category: &'a str,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    file: &'a str,
    span: JsonSpan,
    start: LineCol,
    end: LineCol,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(rename = "sourceTemplate", skip_serializing_if = "Option::is_none")]
    source_template: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSpan {
    start: u32,
    end: u32,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    message: &'a str,
    #[serde(flatten)]
    location: JsonLocation<'a>,
}

fn location<'a>(paths: &'a [String], location: &'a Location) -> JsonLocation<'a> {
    JsonLocation {
        file: &paths[location.file.0 as usize],
        span: JsonSpan {
            start: location.span.start,
            end: location.span.end,
        },
        start: location.start,
        end: location.end,
        document: location.document,
        object: location.object.as_ref(),
        pointer: location.pointer.as_ref().map(|p| p.as_str()),
        source_template: location.source_template.as_deref(),
    }
}

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    let paths: Vec<String> = outcome.files.iter().map(|f| f.display_path()).collect();
    let findings = outcome
        .findings
        .iter()
        .map(|f| JsonFinding {
            rule: JsonRule {
                id: f.rule.id,
                name: f.rule.name,
                category: f.rule.category.as_str(),
            },
            severity: f.severity.as_str(),
            message: &f.message,
            help: f.help.as_deref(),
            location: location(&paths, &f.location),
            related: f
                .related
                .iter()
                .map(|r| JsonRelated {
                    message: &r.message,
                    location: location(&paths, &r.location),
                })
                .collect(),
        })
        .collect();
    let envelope = Envelope {
        version: VERSION,
        findings,
        summary: &outcome.summary,
    };
    // The serializer makes a write call per token; a buffer of its own
    // keeps those calls static instead of through `dyn Write`.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, &envelope)?;
    writeln!(buffered)?;
    buffered.flush()
}
