//! Writing findings for people and for programs.
//!
//! Every format reads the same [`Outcome`]; none of them computes positions
//! or filters findings, so they cannot disagree with each other.

mod checkstyle;
mod github;
mod human;
mod json;
mod junit;
mod plain;
mod rdjson;
mod sarif;
mod xml;

use std::io::{self, Write};

use crate::engine::Outcome;

/// The output formats of `plimsoll lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with the span underlined, help and a summary; the
    /// default on a terminal.
    Human,
    /// A versioned JSON document, described in `docs/json-output.md`.
    Json,
    /// `file:line:col: severity[rule] message`, one per line; the default
    /// when stdout is not a terminal.
    Plain,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps) and SARIF viewers.
    Sarif,
    /// JUnit XML: a test suite per file, a test case per object.
    Junit,
    /// GitHub Actions workflow commands, which annotate pull requests.
    Github,
    /// Checkstyle XML.
    Checkstyle,
    /// reviewdog's diagnostic format (`reviewdog -f=rdjson`).
    Rdjson,
}

/// Writes `outcome` to `out` in `format`; `color` applies to human output.
pub fn write(
    format: Format,
    out: &mut dyn Write,
    outcome: &Outcome,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(out, outcome, color),
        Format::Json => json::write(out, outcome),
        Format::Plain => plain::write(out, outcome),
        Format::Sarif => sarif::write(out, outcome),
        Format::Junit => junit::write(out, outcome),
        Format::Github => github::write(out, outcome),
        Format::Checkstyle => checkstyle::write(out, outcome),
        Format::Rdjson => rdjson::write(out, outcome),
    }
}

/// The one-line summary, such as `3 errors, 1 warning in 12 objects from 4 files`.
pub fn summary_line(outcome: &Outcome) -> String {
    let s = &outcome.summary;
    let counts = [
        (s.errors, "error"),
        (s.warnings, "warning"),
        (s.infos, "info"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, word)| plural(n, word))
    .collect::<Vec<_>>();
    let found = if counts.is_empty() {
        "no problems".to_owned()
    } else {
        counts.join(", ")
    };
    format!(
        "{found} in {} from {}",
        plural(s.objects, "object"),
        plural(s.files, "file")
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
