//! The human format: each finding with the source line it points at.
//!
//! Rendering is done here rather than with a diagnostics crate so that the
//! layout can follow plimsoll's model (objects and pointers, not just spans)
//! and so that no rule ever depends on a renderer's types.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::summary_line;
use crate::engine::Outcome;
use crate::finding::{Finding, Location};
use crate::rules::Severity;
use crate::source::{FileId, SourceFile, TextRange};

struct Palette {
    error: Style,
    warning: Style,
    info: Style,
    emphasis: Style,
    gutter: Style,
    help: Style,
}

impl Palette {
    fn new(color: bool) -> Self {
        let style = |c: AnsiColor| {
            if color {
                Style::new().fg_color(Some(c.into())).bold()
            } else {
                Style::new()
            }
        };
        Self {
            error: style(AnsiColor::Red),
            warning: style(AnsiColor::Yellow),
            info: style(AnsiColor::Cyan),
            emphasis: if color {
                Style::new().bold()
            } else {
                Style::new()
            },
            gutter: style(AnsiColor::Blue),
            help: style(AnsiColor::Green),
        }
    }

    fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }
}

pub fn write(out: &mut dyn Write, outcome: &Outcome, color: bool) -> io::Result<()> {
    let palette = Palette::new(color);
    // Spans of findings of sensitive rules may hold secrets: they are masked
    // in every snippet that shows them, whichever finding the snippet is for.
    let masks: Vec<(FileId, TextRange)> = outcome
        .findings
        .iter()
        .filter(|f| f.rule.sensitive)
        .map(|f| (f.location.file, f.location.span))
        .collect();
    for finding in &outcome.findings {
        write_finding(out, outcome, finding, &palette, &masks)?;
    }
    let s = &outcome.summary;
    let style = if s.errors > 0 {
        palette.error
    } else if s.warnings > 0 {
        palette.warning
    } else {
        palette.emphasis
    };
    writeln!(out, "{style}{}{style:#}", summary_line(outcome))
}

fn write_finding(
    out: &mut dyn Write,
    outcome: &Outcome,
    finding: &Finding,
    p: &Palette,
    masks: &[(FileId, TextRange)],
) -> io::Result<()> {
    let sev = p.severity(finding.severity);
    let em = p.emphasis;
    writeln!(
        out,
        "{sev}{}[{}]{sev:#}{em}: {}{em:#}",
        finding.severity.as_str(),
        finding.rule.name,
        finding.message
    )?;
    let file = &outcome.files[finding.location.file.0 as usize];
    let width = gutter_width(finding);
    write_location_line(out, file, &finding.location, width, "-->", p)?;
    write_snippet(out, file, &finding.location, width, sev, p, masks)?;
    for related in &finding.related {
        let related_file = &outcome.files[related.location.file.0 as usize];
        write_location_line(out, related_file, &related.location, width, ":::", p)?;
        write_snippet(
            out,
            related_file,
            &related.location,
            width,
            p.info,
            p,
            masks,
        )?;
        let g = p.gutter;
        writeln!(out, "{:width$} {g}={g:#} note: {}", "", related.message)?;
    }
    if let Some(help) = &finding.help {
        let (g, h) = (p.gutter, p.help);
        writeln!(out, "{:width$} {g}={g:#} {h}help{h:#}: {help}", "")?;
    }
    writeln!(out)
}

fn gutter_width(finding: &Finding) -> usize {
    std::iter::once(&finding.location)
        .chain(finding.related.iter().map(|r| &r.location))
        .map(|l| l.start.line.to_string().len())
        .max()
        .unwrap_or(1)
}

fn write_location_line(
    out: &mut dyn Write,
    file: &SourceFile,
    location: &Location,
    width: usize,
    arrow: &str,
    p: &Palette,
) -> io::Result<()> {
    let object = location
        .object
        .as_ref()
        .map(|o| format!(" ({})", o.display()))
        .unwrap_or_default();
    let template = location
        .source_template
        .as_ref()
        .map(|t| format!(", rendered from {t}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{:width$}{}{arrow}{:#} {}:{}:{}{object}{template}",
        "",
        p.gutter,
        p.gutter,
        file.display_path(),
        location.start.line,
        location.start.column
    )
}

fn write_snippet(
    out: &mut dyn Write,
    file: &SourceFile,
    location: &Location,
    width: usize,
    underline: Style,
    p: &Palette,
    masks: &[(FileId, TextRange)],
) -> io::Result<()> {
    if file.text.is_empty() {
        return Ok(());
    }
    let line = location.start.line as usize - 1;
    let range = file.lines().line_range(&file.text, line);
    let text = &file.text[range.start as usize..range.end as usize];
    let masked = |offset: u32| {
        masks
            .iter()
            .any(|(f, span)| *f == location.file && span.start <= offset && offset < span.end)
    };
    let shown: String = text
        .char_indices()
        .map(|(i, c)| match c {
            _ if masked(range.start + i as u32) => '*',
            '\t' => ' ',
            c => c,
        })
        .collect();
    let start_col = location.start.column as usize - 1;
    let end_col = if location.end.line == location.start.line {
        location.end.column as usize - 1
    } else {
        shown.chars().count()
    };
    let carets = end_col.saturating_sub(start_col).max(1);
    let g = p.gutter;
    writeln!(out, "{:width$} {g}|{g:#}", "")?;
    writeln!(out, "{g}{:>width$} |{g:#} {shown}", location.start.line)?;
    writeln!(
        out,
        "{:width$} {g}|{g:#} {:start_col$}{underline}{}{underline:#}",
        "",
        "",
        "^".repeat(carets)
    )
}
