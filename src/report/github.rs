//! GitHub Actions workflow commands: one `::error`, `::warning` or
//! `::notice` line per finding, which the runner turns into an annotation
//! on the file and lines of the pull request.
//!
//! `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=T::message`.
//! Columns count characters with an exclusive end, as in every plimsoll
//! format; GitHub accepts them only for a single-line range, so a finding
//! that spans lines gets `line` and `endLine` alone. The message is the
//! finding's message, then the help on a line of its own.

use std::io::{self, Write};

use crate::engine::Outcome;
use crate::rules::Severity;

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    for finding in &outcome.findings {
        let location = &finding.location;
        let file = outcome.files[location.file.0 as usize].display_path();
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!(
            "file={},line={}",
            escape_property(&file),
            location.start.line
        );
        if location.start.line == location.end.line {
            properties.push_str(&format!(
                ",col={},endLine={},endColumn={}",
                location.start.column, location.end.line, location.end.column
            ));
        } else {
            properties.push_str(&format!(",endLine={}", location.end.line));
        }
        let title = format!("plimsoll({})", finding.rule.name);
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(
            out,
            "::{command} {properties},title={}::{}",
            escape_property(&title),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// Escapes the message of a command: `%`, carriage return and line feed.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, and `:` and `,`, which end a value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_github_requires() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b,c\r\nd"),
            "100%25 a%3Ab%2Cc%0D%0Ad"
        );
        // `%` first, so an escape is never escaped again.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
