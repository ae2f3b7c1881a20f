//! Checkstyle XML, read by many CI plugins and code-review bots
//! (Jenkins Warnings, reviewdog's `-f=checkstyle`, SonarQube importers).
//!
//! `<checkstyle version="4.3">` with a `<file>` per input in output order,
//! including files without findings, as Checkstyle lists every file it
//! audited; each finding is an `<error>` with `line`, `column` (characters),
//! `severity` (`error`, `warning` or `info`), `message` and `source`
//! `plimsoll.<rule-name>`.

use std::io::{self, Write};

use super::xml::escape;
use crate::engine::Outcome;

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    let mut findings = outcome.findings.iter().peekable();
    for (index, file) in outcome.files[..outcome.linted].iter().enumerate() {
        let name = escape(&file.display_path());
        // Findings are sorted by file first, so each file's are adjacent.
        let mut mine = Vec::new();
        while let Some(f) = findings.next_if(|f| f.location.file.0 as usize == index) {
            mine.push(f);
        }
        if mine.is_empty() {
            writeln!(out, r#"  <file name="{name}"/>"#)?;
            continue;
        }
        writeln!(out, r#"  <file name="{name}">"#)?;
        for finding in mine {
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="plimsoll.{}"/>"#,
                finding.location.start.line,
                finding.location.start.column,
                finding.severity.as_str(),
                escape(&finding.message),
                escape(finding.rule.name)
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
}
