//! Source files and positions.
//!
//! The core of plimsoll is byte-based: every node and finding carries a
//! [`TextRange`] of byte offsets into its [`SourceFile`]. Lines and columns are
//! derived from those offsets by a [`LineIndex`] only when a finding is
//! reported, so the parser and rules never juggle two coordinate systems.

pub mod discover;
pub mod load;

use std::path::PathBuf;
use std::sync::OnceLock;

/// Index of a file in the run's file table; files are numbered in sorted path
/// order so that output is identical for any thread count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A half-open byte range `[start, end)` into a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TextRange {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl TextRange {
    /// A range from `start` to `end`, both byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    /// An empty range at `offset`.
    pub fn empty(offset: usize) -> Self {
        Self::new(offset, offset)
    }

    /// The smallest range covering both `self` and `other`.
    pub fn cover(self, other: TextRange) -> Self {
        Self {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A 1-based line and column. Columns count Unicode scalar values, so a
/// non-ASCII character before the finding moves it by one column, as editors
/// show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Bytes in the UTF-8 byte order mark.
const BOM_LEN: usize = '\u{feff}'.len_utf8();

/// Byte offsets of line starts. A line ends at `\n`, `\r\n` or a lone `\r`,
/// the three breaks YAML recognises.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    /// Scans `text` once for line breaks.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Counting first sizes the table once: growing it by doubling cost
        // more than this second scan, over large files.
        let mut line_starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
        line_starts.push(0);
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + found;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            line_starts.push(next as u32);
            i = next;
        }
        Self { line_starts }
    }

    /// The line and column of `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(text.len() as u32);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let mut start = self.line_starts[line] as usize;
        // A byte order mark is not shown by editors, so it takes no column.
        if start == 0 && text.starts_with('\u{feff}') && offset as usize >= BOM_LEN {
            start = BOM_LEN;
        }
        let mut end = (offset as usize).max(start);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() as u32 + 1;
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }

    /// The 0-based line that `offset` is on.
    pub fn line_of(&self, offset: u32) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte range of 0-based line `line` without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_starts[line] as usize;
        let next = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |&s| s as usize);
        let content = text[start..next].trim_end_matches(['\n', '\r']);
        TextRange::new(start, start + content.len())
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// One input: a file on disk or standard input, with its text and, once a
/// position in it is asked for, its line index.
#[derive(Debug)]
pub struct SourceFile {
    /// The path shown to the user: as given on the command line, as found by
    /// the walker, or the `--stdin-filename` for standard input.
    pub path: PathBuf,
    /// The decoded text (without a leading byte order mark's effect on offsets:
    /// the BOM stays in the text so that byte offsets match the file).
    pub text: String,
    /// Line starts of `text`, found the first time a position is asked
    /// for: files without findings never need them.
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    /// Wraps already-decoded text.
    pub fn new(path: PathBuf, text: String) -> Self {
        Self {
            path,
            text,
            lines: OnceLock::new(),
        }
    }

    /// Line starts of the text.
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.lines().line_col(&self.text, offset)
    }

    /// The path as a displayable string with forward slashes, for stable output.
    pub fn display_path(&self) -> String {
        self.path.to_string_lossy().replace('\\', "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_handles_every_line_break_and_non_ascii() {
        let text = "a\r\nbé x\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(index.line_col(text, x), LineCol { line: 2, column: 4 });
        let c = text.find('c').unwrap() as u32;
        assert_eq!(index.line_col(text, c), LineCol { line: 3, column: 1 });
        let d = text.find('d').unwrap() as u32;
        assert_eq!(index.line_col(text, d), LineCol { line: 4, column: 1 });
        assert_eq!(index.line_range(text, 0), TextRange::new(0, 1));
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let text = "\u{feff}ab\nc";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap() as u32;
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, b), LineCol { line: 1, column: 2 });
    }
}
