//! Between plimsoll's byte offsets and LSP positions, and between `file:`
//! URIs and paths.
//!
//! LSP positions are 0-based lines and columns counted in the code units of
//! the negotiated position encoding: UTF-16 unless the client offers
//! another. Lines end at `\n`, `\r\n` or a lone `\r`, as in YAML and in
//! plimsoll's [`LineIndex`], so both sides agree on line numbers.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, PositionEncodingKind, Range, Uri};

use crate::source::{LineIndex, TextRange};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 code units: bytes.
    Utf8,
    /// UTF-16 code units, the LSP default.
    Utf16,
}

impl Encoding {
    /// The encoding to use given the client's offer: UTF-8 when offered (it
    /// is plimsoll's own), else UTF-16, which every client supports.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    /// The LSP name of the encoding.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
        }
    }
}

/// A text with its line starts, for converting positions both ways.
pub struct LineMap<'a> {
    text: &'a str,
    lines: LineIndex,
    encoding: Encoding,
}

impl<'a> LineMap<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        Self {
            text,
            lines: LineIndex::new(text),
            encoding,
        }
    }

    /// The LSP position of a byte offset (clamped to the text, and moved
    /// back to a character boundary).
    pub fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.lines.line_col(self.text, offset as u32).line as usize - 1;
        let start = self.lines.line_range(self.text, line).start as usize;
        // An offset inside a `\r\n` break belongs to the end of its line.
        let start = start.min(offset);
        let character = self.text[start..offset]
            .chars()
            .map(|c| self.encoding.width(c))
            .sum();
        Position::new(line as u32, character)
    }

    /// The LSP range of a byte range.
    pub fn range(&self, span: TextRange) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of an LSP position; a position past the end of its
    /// line means the end of the line, past the last line the end of the
    /// text, and inside a character its start.
    pub fn offset(&self, position: Position) -> u32 {
        let line = position.line as usize;
        if line >= self.lines.line_count() {
            return self.text.len() as u32;
        }
        let range = self.lines.line_range(self.text, line);
        let content = &self.text[range.start as usize..range.end as usize];
        let mut units = 0;
        for (at, c) in content.char_indices() {
            let next = units + self.encoding.width(c);
            if next > position.character {
                return range.start + at as u32;
            }
            units = next;
        }
        range.end
    }

    /// The byte range of 0-based `line` without its line break.
    pub fn line_range(&self, line: usize) -> Option<TextRange> {
        (line < self.lines.line_count()).then(|| self.lines.line_range(self.text, line))
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        self.position(offset).line as usize
    }
}

/// The path of a `file:` URI, percent-decoded; `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("file://"))
        .map(|_| &text[7..])?;
    // The authority: empty or `localhost` for local files.
    let slash = rest.find('/')?;
    let authority = &rest[..slash];
    if !authority.is_empty() && !authority.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let path = &rest[slash..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    if cfg!(windows) {
        // `/C:/dir/file.yaml` is `C:/dir/file.yaml`.
        let bytes = decoded.as_bytes();
        if bytes.len() >= 3 && bytes[0] == b'/' && bytes[2] == b':' {
            return Some(PathBuf::from(&decoded[1..]));
        }
    }
    Some(PathBuf::from(decoded))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"/-._~:@!$&'()*+,;=".contains(&byte);
        if keep {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_the_negotiated_code_units() {
        let text = "a: x\r\nb: \"grüß 😀\" z\rc";
        let z = text.find('z').unwrap() as u32;
        let utf16 = LineMap::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(z), Position::new(1, 13));
        assert_eq!(utf16.offset(Position::new(1, 13)), z);
        let utf8 = LineMap::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(z), Position::new(1, 17));
        assert_eq!(utf8.offset(Position::new(1, 17)), z);
        // The last line, past the end of a line, past the last line.
        let c = text.find('c').unwrap() as u32;
        assert_eq!(utf16.position(c), Position::new(2, 0));
        assert_eq!(utf16.offset(Position::new(0, 99)), 4);
        assert_eq!(utf16.offset(Position::new(9, 0)), text.len() as u32);
        // Inside a surrogate pair: the start of the emoji.
        let emoji = text.find('😀').unwrap() as u32;
        assert_eq!(utf16.offset(Position::new(1, 10)), emoji);
    }

    #[test]
    fn file_uris_round_trip() {
        let uri = Uri::from_str("file:///tmp/a%20b/%C3%A9.yaml").unwrap();
        let path = uri_to_path(&uri).unwrap();
        if !cfg!(windows) {
            assert_eq!(path, PathBuf::from("/tmp/a b/é.yaml"));
            assert_eq!(path_to_uri(&path).unwrap(), uri);
        }
        let other = Uri::from_str("untitled:Untitled-1").unwrap();
        assert_eq!(uri_to_path(&other), None);
    }
}
