//! Reading plimsoll's own YAML data files (configuration, rule files,
//! baselines): the first document of a file, and errors that name the file,
//! line and column, so every data file reports problems the same way.

use super::Node;
use super::parse::{Limits, parse_stream};
use crate::source::SourceFile;

/// A data file that cannot be used, with the place and the reason.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct DataFileError {
    /// The file, as shown to the user.
    pub path: String,
    /// 1-based line of the problem.
    pub line: u32,
    /// 1-based column of the problem.
    pub column: u32,
    /// What is wrong and what to do.
    pub message: String,
}

impl DataFileError {
    /// An error about a whole file, placed at its start.
    pub fn whole_file(path: &str, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: message.into(),
        }
    }
}

/// A data file read into a tree.
pub struct DataFile {
    /// The text and its line index.
    pub source: SourceFile,
    /// The first document's root; `None` for an empty file.
    pub root: Option<Node>,
}

impl DataFile {
    /// Parses `text`, shown as `path`; a YAML syntax error is an error.
    pub fn parse(path: &str, text: &str) -> Result<DataFile, DataFileError> {
        let source = SourceFile::new(path.into(), text.to_owned());
        let mut stream = parse_stream(text, &Limits::default());
        if let Some(problem) = stream.problems.first() {
            let at = source.line_col(problem.span.start);
            return Err(DataFileError {
                path: path.to_owned(),
                line: at.line,
                column: at.column,
                message: problem.message.clone(),
            });
        }
        let root = (!stream.documents.is_empty())
            .then(|| stream.documents.swap_remove(0).root)
            .filter(|root| !root.is_null());
        Ok(DataFile { source, root })
    }

    /// An error at byte `offset` of this file.
    pub fn error_at(&self, offset: u32, message: impl Into<String>) -> DataFileError {
        let at = self.source.line_col(offset);
        DataFileError {
            path: self.source.display_path(),
            line: at.line,
            column: at.column,
            message: message.into(),
        }
    }
}
