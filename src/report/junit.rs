//! JUnit XML, the test-report format CI services show as test results
//! (Jenkins, GitLab, Azure Pipelines, CircleCI).
//!
//! A `<testsuite>` per file, named by its path, in output order. Within it a
//! `<testcase>` per Kubernetes object with findings (classname the path,
//! name `Kind namespace/name` as human output shows it), and one named after
//! the file for findings about no object (syntax errors, unreadable files).
//! Every finding, whatever its severity, is a `<failure>` whose `type` is the
//! rule name and whose body reads `file:line:col severity[rule] message` and
//! the help. A file without findings has one passing testcase named after
//! the file.
//!
//! `tests` counts testcases; `failures` counts failing testcases (so
//! `failures <= tests`, as JUnit consumers expect), not findings; `errors`
//! is always 0, since a finding is a failed check, not a crash.

use std::io::{self, Write};

use super::xml::{escape, escape_text};
use crate::engine::Outcome;
use crate::finding::Finding;
use crate::k8s::ObjectRef;

/// One testcase: an object of a file, or the file itself.
struct Case<'a> {
    name: String,
    key: Option<(Option<usize>, &'a ObjectRef)>,
    findings: Vec<&'a Finding>,
}

struct Suite<'a> {
    path: String,
    cases: Vec<Case<'a>>,
}

impl Suite<'_> {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| !c.findings.is_empty()).count()
    }
}

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    let suites = suites(outcome);
    let tests: usize = suites.iter().map(|s| s.cases.len()).sum();
    let failures: usize = suites.iter().map(Suite::failures).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="plimsoll" tests="{tests}" failures="{failures}" errors="0">"#
    )?;
    for suite in &suites {
        let path = escape(&suite.path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{}" failures="{}" errors="0">"#,
            suite.cases.len(),
            suite.failures()
        )?;
        for case in &suite.cases {
            let name = escape(&case.name);
            if case.findings.is_empty() {
                writeln!(out, r#"    <testcase classname="{path}" name="{name}"/>"#)?;
                continue;
            }
            writeln!(out, r#"    <testcase classname="{path}" name="{name}">"#)?;
            for finding in &case.findings {
                write_failure(out, &suite.path, finding)?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

fn write_failure(out: &mut dyn Write, path: &str, finding: &Finding) -> io::Result<()> {
    let mut body = format!(
        "{path}:{}:{} {}[{}] {}",
        finding.location.start.line,
        finding.location.start.column,
        finding.severity.as_str(),
        finding.rule.name,
        finding.message
    );
    if let Some(help) = &finding.help {
        body.push_str("\nhelp: ");
        body.push_str(help);
    }
    writeln!(
        out,
        r#"      <failure message="{}" type="{}">{}</failure>"#,
        escape(&finding.message),
        escape(finding.rule.name),
        escape_text(&body)
    )
}

/// Groups findings into suites and cases, keeping output order: files in
/// the order of the run, cases in the order of their first finding.
fn suites(outcome: &Outcome) -> Vec<Suite<'_>> {
    let mut suites: Vec<Suite> = outcome.files[..outcome.linted]
        .iter()
        .zip(&outcome.objects)
        .map(|(f, objects)| Suite {
            path: f.display_path(),
            cases: objects
                .iter()
                .map(|(document, object)| Case {
                    name: object.display(),
                    key: Some((Some(*document), object)),
                    findings: Vec::new(),
                })
                .collect(),
        })
        .collect();
    for finding in &outcome.findings {
        let location = &finding.location;
        let suite = &mut suites[location.file.0 as usize];
        let key = location.object.as_ref().map(|o| (location.document, o));
        // Findings are sorted by position and an object's findings are
        // mostly adjacent, so the last case is almost always the one.
        let last = suite.cases.len().checked_sub(1);
        let found = last
            .filter(|&i| suite.cases[i].key == key)
            .or_else(|| suite.cases.iter().position(|c| c.key == key));
        let index = match found {
            Some(index) => index,
            None => {
                let name = key.map_or_else(|| suite.path.clone(), |(_, o)| o.display());
                suite.cases.push(Case {
                    name,
                    key,
                    findings: Vec::new(),
                });
                suite.cases.len() - 1
            }
        };
        suite.cases[index].findings.push(finding);
    }
    for suite in &mut suites {
        // A file with no objects (empty, unreadable) is still one case.
        if suite.cases.is_empty() {
            suite.cases.push(Case {
                name: suite.path.clone(),
                key: None,
                findings: Vec::new(),
            });
        }
    }
    suites
}
