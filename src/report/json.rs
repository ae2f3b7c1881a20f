//! The JSON format: a versioned envelope for editors and scripts.
//!
//! The shape is a contract, documented field by field in
//! `docs/json-output.md`. Fields are only ever added within a version; a
//! change that removes or renames one bumps `version`.

use std::io::{self, IoSlice, Write};

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::{Finding, Location};
use crate::k8s::ObjectRef;
use crate::source::LineCol;

/// The version of the format written.
const VERSION: u32 = 1;

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

/// Writes the envelope `{"version", "findings", "summary"}`, pretty-printed.
///
/// The findings are serialized apart, on all threads, and indented to their
/// depth; the bytes are those of serializing the envelope whole (a test
/// checks it), which took a tenth of a run on one thread.
pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    let paths: Vec<String> = outcome.files.iter().map(|f| f.display_path()).collect();
    let findings: Vec<Vec<u8>> = outcome
        .findings
        .par_iter()
        // One scratch buffer per thread: grown once, not once per finding.
        .map_init(Vec::new, |scratch, f| {
            scratch.clear();
            serde_json::to_writer_pretty(&mut *scratch, &json_finding(f, &paths))?;
            Ok(indented(scratch, "    ", true))
        })
        .collect::<io::Result<_>>()?;
    let summary = indented(&serde_json::to_vec_pretty(&outcome.summary)?, "  ", false);
    let head = format!("{{\n  \"version\": {VERSION},\n  \"findings\": ");
    let mut parts: Vec<&[u8]> = Vec::with_capacity(2 * findings.len() + 8);
    parts.push(head.as_bytes());
    if findings.is_empty() {
        parts.push(b"[]");
    } else {
        parts.push(b"[\n");
        for (i, item) in findings.iter().enumerate() {
            if i > 0 {
                parts.push(b",\n");
            }
            parts.push(item);
        }
        parts.push(b"\n  ]");
    }
    parts.extend([&b",\n  \"summary\": "[..], &summary, b"\n}\n"]);
    write_parts(out, &parts)?;
    out.flush()
}

/// Writes `parts` one after the other with as few calls as the writer
/// allows: a `Vec` reserves their total once and a file or pipe takes them
/// in one `writev`, where copying each part in turn into a growing buffer
/// was the slowest step of the report.
fn write_parts(out: &mut dyn Write, parts: &[&[u8]]) -> io::Result<()> {
    let mut slices: Vec<IoSlice<'_>> = parts.iter().map(|p| IoSlice::new(p)).collect();
    let mut rest = &mut slices[..];
    IoSlice::advance_slices(&mut rest, 0);
    while !rest.is_empty() {
        match out.write_vectored(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut rest, written),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

fn json_finding<'a>(f: &'a Finding, paths: &'a [String]) -> JsonFinding<'a> {
    JsonFinding {
        rule: JsonRule {
            id: f.rule.id,
            name: f.rule.name,
            category: f.rule.category.as_str(),
        },
        severity: f.severity.as_str(),
        message: &f.message,
        help: f.help.as_deref(),
        location: location(paths, &f.location),
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                message: &r.message,
                location: location(paths, &r.location),
            })
            .collect(),
    }
}

/// Pretty-printed JSON moved `indent` to the right: every line, or every
/// line but the first when that one follows a key. JSON strings hold no raw
/// line breaks, so every `\n` ends a line.
fn indented(json: &[u8], indent: &str, first_line_too: bool) -> Vec<u8> {
    let lines = memchr::memchr_iter(b'\n', json).count() + 1;
    let mut out = Vec::with_capacity(json.len() + lines * indent.len());
    if first_line_too {
        out.extend_from_slice(indent.as_bytes());
    }
    let mut rest = json;
    while let Some(at) = memchr::memchr(b'\n', rest) {
        out.extend_from_slice(&rest[..=at]);
        out.extend_from_slice(indent.as_bytes());
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::AtomicUsize;

    use super::*;
    use crate::engine::{self, Options};
    use crate::finding::Summary;
    use crate::source::discover::Input;

    /// A writer that takes at most three bytes per call, as a pipe may.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let taken = buf.len().min(3);
            self.0.extend_from_slice(&buf[..taken]);
            Ok(taken)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn parts_are_written_whole_by_a_writer_that_takes_little_at_a_time() {
        let parts: [&[u8]; 5] = [b"{\n", b"", b"\"a\": 1", b"", b"\n}\n"];
        let mut trickle = Trickle(Vec::new());
        write_parts(&mut trickle, &parts).unwrap();
        assert_eq!(trickle.0, b"{\n\"a\": 1\n}\n");
    }

    /// The envelope as one value, serialized whole.
    #[derive(Serialize)]
    struct Envelope<'a> {
        version: u32,
        findings: Vec<JsonFinding<'a>>,
        summary: &'a Summary,
    }

    fn whole(outcome: &Outcome) -> String {
        let paths: Vec<String> = outcome.files.iter().map(|f| f.display_path()).collect();
        let envelope = Envelope {
            version: VERSION,
            findings: outcome
                .findings
                .iter()
                .map(|f| json_finding(f, &paths))
                .collect(),
            summary: &outcome.summary,
        };
        serde_json::to_string_pretty(&envelope).unwrap() + "\n"
    }

    fn written(outcome: &Outcome) -> String {
        let mut out = Vec::new();
        write(&mut out, outcome).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn lint(text: &str) -> Outcome {
        let input = Input::Memory {
            name: PathBuf::from("app.yaml"),
            text: text.to_owned(),
        };
        engine::run(
            vec![input],
            Vec::new(),
            &Options::default(),
            &AtomicUsize::new(0),
        )
    }

    #[test]
    fn findings_written_apart_read_as_the_envelope_serialized_whole() {
        // Findings with related locations (a duplicate key) and without,
        // and then none at all.
        let many = lint(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - {name: web, image: \"nginx:latest\", env: [{name: DB_PASSWORD, value: hunter2hunter2}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n",
        );
        assert!(many.findings.len() > 5, "{}", many.findings.len());
        assert!(many.findings.iter().any(|f| !f.related.is_empty()));
        assert_eq!(written(&many), whole(&many));
        let none = lint("apiVersion: v1\nkind: Namespace\nmetadata: {name: quiet}\n");
        let none = Outcome {
            findings: Vec::new(),
            ..none
        };
        assert_eq!(written(&none), whole(&none));
    }
}
