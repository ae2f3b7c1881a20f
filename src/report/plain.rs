//! `file:line:col: severity[rule] message`: the format of compilers, which
//! editors' quickfix lists and grep understand.

use std::io::{self, Write};

use crate::engine::Outcome;

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    for finding in &outcome.findings {
        let file = &outcome.files[finding.location.file.0 as usize];
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            file.display_path(),
            finding.location.start.line,
            finding.location.start.column,
            finding.severity.as_str(),
            finding.rule.name,
            finding.message
        )?;
    }
    Ok(())
}
