//! A fast reader for the plain block style that Kubernetes manifests are
//! written in.
//!
//! Reading YAML through the general event parser (saphyr) cost a scanner, a
//! parser state machine and an owned `String` per scalar before the tree was
//! even built. Nearly every manifest uses a small subset of YAML: block
//! mappings and sequences, plain, quoted and block scalars, comments,
//! document markers, and one-line flow sequences and mappings of scalars.
//! This module reads that subset straight from the bytes into the tree,
//! borrowing scalar text from the source where it can.
//!
//! It gives up (returns `None`) on anything else: anchors, aliases, tags,
//! directives, flow collections over several lines or holding anything but
//! simple scalars, complex keys, tabs,
//! carriage returns, byte order marks, a budget of [`Limits`] reached, any
//! syntax error, and every construct whose reading it is not sure matches
//! the full parser's. [`super::parse::parse_stream`] then reads
//! the whole stream with the full parser. For every stream it does accept,
//! the result must be the very [`Stream`] the full parser builds: the same
//! nodes, spans, styles, resolutions and problems. Where the full parser is
//! quirky (where an empty node is placed, where an indentless sequence
//! starts) this reader copies the quirk; mapping and sequence endings and
//! duplicate keys go through the same code as the full parser's. The
//! differential tests in `tests/fast_yaml.rs` hold it to that on the YAML
//! test suite, on generated streams and on a real corpus.

use std::collections::HashMap;

use compact_str::CompactString;

use super::parse::{
    Document, Limits, Problem, Stream, dedup_key, duplicate_key, finish_seq, map_value,
};
use super::scalar::ScalarStyle;
use super::{Entry, Node, Scalar, Value};
use crate::source::TextRange;

/// Deepest nesting read here whatever the limits allow, so that the
/// recursion stays far from the end of the stack; deeper streams go to the
/// full parser.
const MAX_DEPTH: usize = 128;

/// Up to this many entries, a mapping's keys are compared one by one.
const SCAN: usize = 16;

/// Longest simple key: the full parser stops looking for the `:` of a key
/// 1024 characters after its start, so longer keys are left to it.
const MAX_KEY_BYTES: usize = 1000;

/// Reads `text` when it is written in the plain block subset, or `None`
/// when the full parser must read it.
pub fn parse_block_stream(text: &str, limits: &Limits) -> Option<Stream> {
    let bytes = text.as_bytes();
    if memchr::memchr3(b'\t', b'\r', 0, bytes).is_some()
        || memchr::memmem::find(bytes, "\u{feff}".as_bytes()).is_some()
    {
        return None;
    }
    let mut reader = Reader {
        text,
        bytes,
        max_depth: limits.max_depth.min(MAX_DEPTH),
        max_documents: limits.max_documents,
        pos: 0,
        depth: 0,
        document: 0,
        problems: Vec::new(),
        entries: Vec::new(),
        items: Vec::new(),
    };
    let documents = reader.documents()?;
    Some(Stream {
        documents,
        problems: reader.problems,
    })
}

/// What the next line with content holds.
enum Next {
    /// The end of the text.
    End,
    /// A `---` or `...` marker at this offset.
    Marker(usize),
    /// Content starting at offset `at`, in column `col`.
    Line { at: usize, col: usize },
}

/// Where the first line of a plain scalar stopped.
enum Stop {
    /// At the end of the line (the offset of the line break or the text's end).
    LineEnd(usize),
    /// At a comment starting at this offset.
    Comment(usize),
    /// At the `:` of a key, at this offset.
    Colon(usize),
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    max_depth: usize,
    max_documents: usize,
    /// Where reading goes on: after a node, the start of the line after it.
    pos: usize,
    /// Collections open around the node being read.
    depth: usize,
    /// Index of the document being read.
    document: usize,
    problems: Vec<Problem>,
    /// The entries of the mappings being read, innermost last; `None` where
    /// a later duplicate replaced an entry. Collections are built on these
    /// stacks and moved out at their exact size.
    entries: Vec<Option<Entry>>,
    /// The items of the sequences being read, innermost last.
    items: Vec<Node>,
}

impl Reader<'_> {
    fn documents(&mut self) -> Option<Vec<Document>> {
        let mut documents = Vec::new();
        // After a document without an explicit end only `---` may follow.
        let mut implicit_start_allowed = true;
        let mut pos = 0;
        loop {
            let root = match self.next_content(pos) {
                Next::End => break,
                Next::Marker(at) if self.bytes[at] == b'.' => {
                    pos = self.rest_of_line(at + 3)?;
                    implicit_start_allowed = true;
                    continue;
                }
                Next::Marker(at) => {
                    self.start_document(documents.len())?;
                    let content = self.rest_of_line(at + 3)?;
                    match self.next_content(content) {
                        Next::End => {
                            pos = content;
                            empty_node(self.bytes.len())
                        }
                        Next::Marker(next) => {
                            pos = content;
                            empty_node(next)
                        }
                        Next::Line { at, col } => {
                            let root = self.block_node(at, col, -1)?;
                            pos = self.pos;
                            root
                        }
                    }
                }
                Next::Line { at, col } => {
                    if !implicit_start_allowed {
                        return None;
                    }
                    self.start_document(documents.len())?;
                    let root = self.block_node(at, col, -1)?;
                    pos = self.pos;
                    root
                }
            };
            documents.push(Document {
                index: self.document,
                root,
            });
            implicit_start_allowed = false;
        }
        Some(documents)
    }

    fn start_document(&mut self, index: usize) -> Option<()> {
        (index < self.max_documents).then(|| self.document = index)
    }

    /// The next line with content from `pos`, a line start, past blank
    /// lines and comment lines.
    fn next_content(&self, mut pos: usize) -> Next {
        let bytes = self.bytes;
        loop {
            let line = pos;
            while bytes.get(pos) == Some(&b' ') {
                pos += 1;
            }
            match bytes.get(pos) {
                None => return Next::End,
                Some(b'\n') => pos += 1,
                Some(b'#') => pos = self.next_line(pos),
                Some(_) if pos == line && self.is_marker(pos) => return Next::Marker(pos),
                Some(_) => {
                    return Next::Line {
                        at: pos,
                        col: pos - line,
                    };
                }
            }
        }
    }

    /// Whether a `---` or `...` document marker starts at `at`, a line start.
    fn is_marker(&self, at: usize) -> bool {
        let bytes = self.bytes;
        matches!(bytes.get(at..at + 3), Some(b"---" | b"..."))
            && matches!(bytes.get(at + 3), None | Some(b' ' | b'\n'))
    }

    /// Whether the byte at `at` is followed by a blank, a line break or the end.
    fn blank_after(&self, at: usize) -> bool {
        matches!(self.bytes.get(at + 1), None | Some(b' ' | b'\n'))
    }

    /// The start of the line after the one holding `at`, or the text's end.
    fn next_line(&self, at: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |i| at + i + 1)
    }

    /// The offset of the line break (or text end) ending the line at `at`.
    fn line_end(&self, at: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |i| at + i)
    }

    /// The start of the next line when only blanks and a comment follow
    /// `at` on its line; a comment must follow a blank.
    fn rest_of_line(&self, at: usize) -> Option<usize> {
        let mut pos = at;
        while self.bytes.get(pos) == Some(&b' ') {
            pos += 1;
        }
        match self.bytes.get(pos) {
            None => Some(pos),
            Some(b'\n') => Some(pos + 1),
            Some(b'#') if pos > at => Some(self.next_line(pos)),
            Some(_) => None,
        }
    }

    fn enter(&mut self) -> Option<()> {
        (self.depth < self.max_depth).then(|| self.depth += 1)
    }

    /// Reads the node at `at`, in column `col`, the first thing on its line
    /// or after a `- `, inside a block collection at column `parent` (-1 at
    /// the root).
    fn block_node(&mut self, at: usize, col: usize, parent: isize) -> Option<Node> {
        match self.bytes[at] {
            b'-' if self.blank_after(at) => self.sequence(at, col, false),
            b'[' | b'{' => {
                let node = self.flow(at)?;
                self.pos = self.rest_of_line(node.span.end as usize)?;
                Some(node)
            }
            b'|' | b'>' if parent >= 0 => self.block_scalar(at, parent as usize),
            b'"' | b'\'' => {
                let (node, after) = self.quoted(at, parent)?;
                match self.colon_after(after) {
                    Some(colon) if !self.text[at..after].contains('\n') => {
                        self.mapping(at, col, node, colon)
                    }
                    Some(_) => None,
                    None => {
                        self.pos = self.rest_of_line(after)?;
                        Some(node)
                    }
                }
            }
            _ if self.plain_starts(at) => match self.plain_line(at) {
                (end, Stop::Colon(colon)) => {
                    let key = self.plain_key(at, end, colon)?;
                    self.mapping(at, col, key, colon)
                }
                (end, stop) => self.plain_rest(at, end, stop, parent),
            },
            _ => None,
        }
    }

    /// The offset of a `:` that makes what ends at `after` a key: after
    /// blanks on the same line, and followed by a blank or a line end.
    fn colon_after(&self, after: usize) -> Option<usize> {
        let mut pos = after;
        while self.bytes.get(pos) == Some(&b' ') {
            pos += 1;
        }
        (self.bytes.get(pos) == Some(&b':') && self.blank_after(pos)).then_some(pos)
    }

    /// The block mapping whose first key, at `at` in column `col`, has been
    /// read with the `:` at `colon`.
    fn mapping(&mut self, at: usize, col: usize, first_key: Node, colon: usize) -> Option<Node> {
        self.enter()?;
        let base = self.entries.len();
        let mut keys = Keys::default();
        let (mut key, mut colon) = (first_key, colon);
        loop {
            let value = self.mapping_value(col, colon)?;
            self.insert(base, &mut keys, key, value);
            match self.next_content(self.pos) {
                Next::Line { at, col: next } if next == col => (key, colon) = self.key(at)?,
                Next::Line { col: next, .. } if next > col => return None,
                _ => break,
            }
        }
        self.depth -= 1;
        // The entry added last is never replaced.
        let end = self
            .entries
            .last()
            .and_then(Option::as_ref)
            .map(|e| e.value.span.end.max(e.key.span.end));
        let mut entries = Vec::with_capacity(self.entries.len() - base - keys.replaced);
        entries.extend(self.entries.drain(base..).flatten());
        Some(collection(at, (map_value(entries), end)))
    }

    /// Adds an entry to the mapping whose entries start at `base`,
    /// replacing an earlier one with the same key and reporting it, as the
    /// full parser does.
    fn insert(&mut self, base: usize, keys: &mut Keys, key: Node, value: Node) {
        let text = dedup_key(&key);
        let slot = self.entries.len();
        if let Some(text) = text {
            let earlier = if slot - base <= SCAN {
                self.entries[base..]
                    .iter()
                    .position(|e| e.as_ref().and_then(|e| dedup_key(&e.key)) == Some(text))
                    .map(|i| base + i)
            } else {
                keys.index(&self.entries[base..], base).get(text).copied()
            };
            if let Some(first) = earlier.and_then(|i| self.entries[i].take()) {
                keys.replaced += 1;
                self.problems.push(Problem {
                    document: self.document,
                    ..duplicate_key(&key, &first.key)
                });
            }
            if let Some(index) = keys.index.as_mut() {
                index.insert(text.clone(), slot);
            }
        }
        self.entries.push(Some(Entry { key, value }));
    }

    /// A mapping key at `at`, the start of a line, and the offset of its `:`.
    fn key(&mut self, at: usize) -> Option<(Node, usize)> {
        match self.bytes[at] {
            b'"' | b'\'' => {
                let (node, after) = self.quoted(at, -1)?;
                let colon = self.colon_after(after)?;
                (colon - at <= MAX_KEY_BYTES).then_some((node, colon))
            }
            _ if self.plain_starts(at) => match self.plain_line(at) {
                (end, Stop::Colon(colon)) => Some((self.plain_key(at, end, colon)?, colon)),
                _ => None,
            },
            _ => None,
        }
    }

    fn plain_key(&self, at: usize, end: usize, colon: usize) -> Option<Node> {
        (colon - at <= MAX_KEY_BYTES)
            .then(|| scalar_node(at, end, self.text[at..end].into(), ScalarStyle::Plain))
    }

    /// The value of the key whose `:` is at `colon`, in a mapping at `col`.
    fn mapping_value(&mut self, col: usize, colon: usize) -> Option<Node> {
        let mut at = colon + 1;
        while self.bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        match self.bytes.get(at) {
            None | Some(b'\n' | b'#') => {
                self.pos = self.next_line(at.min(self.bytes.len()));
                match self.next_content(self.pos) {
                    Next::Line { at, col: next } if next > col => {
                        self.block_node(at, next, col as isize)
                    }
                    // An indentless sequence: `key:` then `- item` in the key's column.
                    Next::Line { at, col: next }
                        if next == col && self.bytes[at] == b'-' && self.blank_after(at) =>
                    {
                        self.sequence(at, col, true)
                    }
                    // The full parser places an empty value at the `:`.
                    _ => Some(empty_node(colon)),
                }
            }
            Some(b'[' | b'{') => {
                let node = self.flow(at)?;
                self.pos = self.rest_of_line(node.span.end as usize)?;
                Some(node)
            }
            Some(b'|' | b'>') => self.block_scalar(at, col),
            Some(b'"' | b'\'') => {
                let (node, after) = self.quoted(at, col as isize)?;
                self.pos = self.rest_of_line(after)?;
                Some(node)
            }
            Some(_) if self.plain_starts(at) => match self.plain_line(at) {
                (_, Stop::Colon(_)) => None,
                (end, stop) => self.plain_rest(at, end, stop, col as isize),
            },
            Some(_) => None,
        }
    }

    /// The block sequence whose first `-` is at `dash`, in column `col`.
    /// An indentless one (`key:` then `- item` in the key's column) starts,
    /// as the full parser has it, after its first `- `.
    fn sequence(&mut self, mut dash: usize, col: usize, indentless: bool) -> Option<Node> {
        self.enter()?;
        let base = self.items.len();
        let mut start = None;
        loop {
            let line = dash - col;
            let mut at = dash + 1;
            while self.bytes.get(at) == Some(&b' ') {
                at += 1;
            }
            if self.bytes.get(at) == Some(&b'#') {
                at = self.line_end(at);
            }
            start.get_or_insert(if indentless { at } else { dash });
            let item = match self.bytes.get(at) {
                None | Some(b'\n') => {
                    self.pos = self.next_line(at.min(self.bytes.len()));
                    match self.next_content(self.pos) {
                        Next::Line { at, col: next } if next > col => {
                            self.block_node(at, next, col as isize)?
                        }
                        // The full parser places an empty item after the `- `.
                        _ => empty_node(at),
                    }
                }
                Some(_) => self.block_node(at, at - line, col as isize)?,
            };
            self.items.push(item);
            match self.next_content(self.pos) {
                Next::Line { at, col: next }
                    if next == col && self.bytes[at] == b'-' && self.blank_after(at) =>
                {
                    dash = at;
                }
                Next::Line { col: next, .. } if next > col || (next == col && !indentless) => {
                    return None;
                }
                _ => break,
            }
        }
        self.depth -= 1;
        let mut items = Vec::with_capacity(self.items.len() - base);
        items.extend(self.items.drain(base..));
        Some(collection(start.unwrap_or(dash), finish_seq(items)))
    }

    /// A flow collection on one line at `at`: a sequence of items or a
    /// mapping of `key: value` entries (`[]`, `["a", 'b', c-1.x]`,
    /// `{path: /ready, port: http}`), each a single-line quoted scalar or a
    /// plain scalar made of a few safe characters.
    fn flow(&mut self, at: usize) -> Option<Node> {
        if self.depth >= self.max_depth {
            return None;
        }
        if self.bytes[at] == b'{' {
            return self.flow_mapping(at);
        }
        let bytes = self.bytes;
        let mut pos = self.skip_blanks(at + 1);
        let base = self.items.len();
        while bytes.get(pos) != Some(&b']') {
            let (item, after) = self.flow_scalar(pos)?;
            self.items.push(item);
            pos = self.flow_entry_end(after, b']')?;
        }
        let mut items = Vec::with_capacity(self.items.len() - base);
        items.extend(self.items.drain(base..));
        Some(Node {
            span: TextRange::new(at, pos + 1),
            value: finish_seq(items).0,
        })
    }

    /// The flow mapping on one line whose `{` is at `at`. Keys repeat and
    /// are reported as in a block mapping. A key cannot be a merge key
    /// (`<<` is not made of safe characters), and an entry without a value
    /// (`{a}`, `{a: }`) is left to the full parser.
    fn flow_mapping(&mut self, at: usize) -> Option<Node> {
        let bytes = self.bytes;
        let mut pos = self.skip_blanks(at + 1);
        let base = self.entries.len();
        let mut keys = Keys::default();
        while bytes.get(pos) != Some(&b'}') {
            let (key, after) = self.flow_scalar(pos)?;
            // Only `key: value`: a `:` right after the key and a blank after
            // it; the full parser stops looking for the `:` of a long key.
            if bytes.get(after..after + 2) != Some(b": ") || after - pos > MAX_KEY_BYTES {
                return None;
            }
            let (value, after) = self.flow_scalar(self.skip_blanks(after + 2))?;
            self.insert(base, &mut keys, key, value);
            pos = self.flow_entry_end(after, b'}')?;
        }
        let mut entries = Vec::with_capacity(self.entries.len() - base - keys.replaced);
        entries.extend(self.entries.drain(base..).flatten());
        Some(Node {
            span: TextRange::new(at, pos + 1),
            value: map_value(entries),
        })
    }

    /// After a flow entry ending at `after`, the offset of the next entry
    /// or of the closing bracket `close`.
    fn flow_entry_end(&self, after: usize, close: u8) -> Option<usize> {
        let pos = self.skip_blanks(after);
        match self.bytes.get(pos) {
            Some(b',') => {
                let next = self.skip_blanks(pos + 1);
                // A trailing comma is left to the full parser.
                (self.bytes.get(next) != Some(&close)).then_some(next)
            }
            Some(&b) if b == close => Some(pos),
            _ => None,
        }
    }

    fn skip_blanks(&self, mut pos: usize) -> usize {
        while self.bytes.get(pos) == Some(&b' ') {
            pos += 1;
        }
        pos
    }

    /// A scalar in a flow collection at `at`: a quoted one on one line, or
    /// a plain one of characters that cannot be indicators there; and the
    /// offset after it.
    fn flow_scalar(&self, at: usize) -> Option<(Node, usize)> {
        let bytes = self.bytes;
        match *bytes.get(at)? {
            b'"' | b'\'' => return self.quoted(at, -1),
            // Neither starts an indicator, nor a document marker: a flow
            // scalar is never at the start of a line here.
            b if b.is_ascii_alphanumeric() || b == b'/' || b == b'.' => {}
            _ => return None,
        }
        let safe = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'/');
        let mut end = at;
        while bytes.get(end).copied().is_some_and(safe) {
            end += 1;
        }
        let node = scalar_node(at, end, self.text[at..end].into(), ScalarStyle::Plain);
        Some((node, end))
    }

    /// Whether a plain scalar may start at `at`.
    fn plain_starts(&self, at: usize) -> bool {
        match self.bytes[at] {
            b'-' | b'?' | b':' => !self.blank_after(at),
            b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
            _ => true,
        }
    }

    /// Reads the first line of the plain scalar at `at`: the end of its text
    /// and what stopped it.
    fn plain_line(&self, at: usize) -> (usize, Stop) {
        let bytes = self.bytes;
        let mut pos = at;
        let mut end = at;
        loop {
            let run = pos;
            while let Some(&b) = bytes.get(pos) {
                if b == b' ' || b == b'\n' || (b == b':' && self.blank_after(pos)) {
                    break;
                }
                pos += 1;
            }
            if pos > run {
                end = pos;
            }
            match bytes.get(pos) {
                None | Some(b'\n') => return (end, Stop::LineEnd(pos)),
                Some(b':') => return (end, Stop::Colon(pos)),
                _ => {}
            }
            while bytes.get(pos) == Some(&b' ') {
                pos += 1;
            }
            match bytes.get(pos) {
                None | Some(b'\n') => return (end, Stop::LineEnd(pos)),
                Some(b'#') => return (end, Stop::Comment(pos)),
                _ => {}
            }
        }
    }

    /// Finishes the plain scalar at `at` whose first line ended at `end`,
    /// stopped by `stop`: more lines indented deeper than `parent` continue
    /// it, folded.
    fn plain_rest(&mut self, at: usize, mut end: usize, stop: Stop, parent: isize) -> Option<Node> {
        let bytes = self.bytes;
        let mut folded: Option<String> = None;
        let mut line_end = match stop {
            Stop::LineEnd(line_end) => line_end,
            Stop::Comment(hash) => {
                self.pos = self.next_line(hash);
                return Some(self.plain_node(at, end, folded));
            }
            Stop::Colon(_) => return None,
        };
        while line_end < bytes.len() {
            let mut pos = line_end + 1;
            let mut empty_lines = 0;
            let col = loop {
                let line = pos;
                while bytes.get(pos) == Some(&b' ') {
                    pos += 1;
                }
                if bytes.get(pos) == Some(&b'\n') {
                    empty_lines += 1;
                    pos += 1;
                } else {
                    break pos - line;
                }
            };
            if pos == bytes.len() || col as isize <= parent || bytes[pos] == b'#' {
                break;
            }
            // A root scalar's next line may be a document marker.
            if parent < 0 {
                return None;
            }
            let (line_text_end, stop) = self.plain_line(pos);
            let text = folded.get_or_insert_with(|| self.text[at..end].to_owned());
            if empty_lines == 0 {
                text.push(' ');
            } else {
                text.extend(std::iter::repeat_n('\n', empty_lines));
            }
            text.push_str(&self.text[pos..line_text_end]);
            end = line_text_end;
            match stop {
                Stop::LineEnd(next_end) => line_end = next_end,
                Stop::Comment(hash) => {
                    line_end = self.line_end(hash);
                    break;
                }
                Stop::Colon(_) => return None,
            }
        }
        self.pos = (line_end + 1).min(bytes.len());
        Some(self.plain_node(at, end, folded))
    }

    fn plain_node(&self, at: usize, end: usize, folded: Option<String>) -> Node {
        let text = folded.map_or_else(|| self.text[at..end].into(), |text| exact(&text));
        scalar_node(at, end, text, ScalarStyle::Plain)
    }

    /// Reads the quoted scalar at `at`; lines after the first must be
    /// indented deeper than `parent`, and a scalar at the root (`parent` -1)
    /// or a key must fit on one line. Returns the node and the offset after
    /// the closing quote.
    fn quoted(&self, at: usize, parent: isize) -> Option<(Node, usize)> {
        let bytes = self.bytes;
        let single = bytes[at] == b'\'';
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        let body = at + 1;
        // The common case: nothing to unescape or fold.
        let simple_end = if single {
            memchr::memchr2(b'\'', b'\n', &bytes[body..])
                .filter(|&i| bytes[body + i] == b'\'' && bytes.get(body + i + 1) != Some(&b'\''))
        } else {
            memchr::memchr3(b'"', b'\\', b'\n', &bytes[body..]).filter(|&i| bytes[body + i] == b'"')
        };
        if let Some(len) = simple_end {
            let close = body + len;
            let text = self.text[body..close].into();
            return Some((scalar_node(at, close + 1, text, style), close + 1));
        }
        let (text, close) = self.quoted_text(body, single, parent)?;
        Some((scalar_node(at, close + 1, exact(&text), style), close + 1))
    }

    /// The content of a quoted scalar from `body`, unescaped and folded as
    /// the full parser does, and the offset of its closing quote.
    fn quoted_text(&self, body: usize, single: bool, parent: isize) -> Option<(String, usize)> {
        let bytes = self.bytes;
        let quote = if single { b'\'' } else { b'"' };
        let mut text = String::new();
        let mut pos = body;
        loop {
            let mut leading_blanks = false;
            // A run of non-blank characters.
            loop {
                let run = pos;
                while let Some(&b) = bytes.get(pos) {
                    if b == b' ' || b == b'\n' || b == quote || b == b'\\' {
                        break;
                    }
                    pos += 1;
                }
                text.push_str(&self.text[run..pos]);
                match bytes.get(pos) {
                    None => return None,
                    Some(b'\'') if single && bytes.get(pos + 1) == Some(&b'\'') => {
                        text.push('\'');
                        pos += 2;
                    }
                    Some(&b) if b == quote => return Some((text, pos)),
                    Some(b'\\') if single => {
                        text.push('\\');
                        pos += 1;
                    }
                    Some(b'\\') if bytes.get(pos + 1) == Some(&b'\n') => {
                        pos += 2;
                        leading_blanks = true;
                        break;
                    }
                    Some(b'\\') => pos = self.escape(pos, &mut text)?,
                    Some(_) => break,
                }
            }
            // Blanks and line breaks, folded.
            let blanks = pos;
            let mut line_break = false;
            let mut more_breaks = 0;
            while let Some(&b) = bytes.get(pos) {
                match b {
                    b' ' => pos += 1,
                    b'\n' if leading_blanks => {
                        more_breaks += 1;
                        pos += 1;
                    }
                    b'\n' => {
                        line_break = true;
                        leading_blanks = true;
                        pos += 1;
                    }
                    _ => break,
                }
            }
            if leading_blanks {
                // A continuation line: indented deeper than the parent, and
                // never at the root or in a key.
                let line = memchr::memrchr(b'\n', &bytes[..pos]).map_or(0, |i| i + 1);
                if parent < 0 || ((pos - line) as isize) <= parent || pos == bytes.len() {
                    return None;
                }
                if line_break && more_breaks == 0 {
                    text.push(' ');
                } else {
                    text.extend(std::iter::repeat_n('\n', more_breaks));
                }
            } else {
                text.push_str(&self.text[blanks..pos]);
            }
        }
    }

    /// Unescapes the escape sequence at `at` (a `\`) into `text`; returns
    /// the offset after it.
    fn escape(&self, at: usize, text: &mut String) -> Option<usize> {
        let code_length = match *self.bytes.get(at + 1)? {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            b => {
                text.push(match b {
                    b'0' => '\0',
                    b'a' => '\x07',
                    b'b' => '\x08',
                    b't' => '\t',
                    b'n' => '\n',
                    b'v' => '\x0b',
                    b'f' => '\x0c',
                    b'r' => '\r',
                    b'e' => '\x1b',
                    b' ' => ' ',
                    b'"' => '"',
                    b'/' => '/',
                    b'\\' => '\\',
                    b'N' => '\u{85}',
                    b'_' => '\u{a0}',
                    b'L' => '\u{2028}',
                    b'P' => '\u{2029}',
                    _ => return None,
                });
                return Some(at + 2);
            }
        };
        let digits = self.bytes.get(at + 2..at + 2 + code_length)?;
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        let digits = std::str::from_utf8(digits).ok()?;
        text.push(char::from_u32(u32::from_str_radix(digits, 16).ok()?)?);
        Some(at + 2 + code_length)
    }

    /// Reads the literal (`|`) or folded (`>`) scalar whose header is at
    /// `at`, in a block collection at column `parent`, as the full parser's
    /// scanner does.
    fn block_scalar(&mut self, at: usize, parent: usize) -> Option<Node> {
        let bytes = self.bytes;
        let literal = bytes[at] == b'|';
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        let mut pos = at + 1;
        let mut chomping = Chomping::Clip;
        let mut increment = 0;
        let chomping_at = |b: Option<&u8>| match b {
            Some(b'+') => Some(Chomping::Keep),
            Some(b'-') => Some(Chomping::Strip),
            _ => None,
        };
        if let Some(c) = chomping_at(bytes.get(pos)) {
            chomping = c;
            pos += 1;
            if let Some(d) = bytes.get(pos).filter(|d| d.is_ascii_digit()) {
                increment = usize::from(d - b'0');
                pos += 1;
            }
        } else if let Some(d) = bytes.get(pos).filter(|d| d.is_ascii_digit()) {
            increment = usize::from(d - b'0');
            pos += 1;
            if let Some(c) = chomping_at(bytes.get(pos)) {
                chomping = c;
                pos += 1;
            }
        }
        if bytes.get(at + 1..pos).is_some_and(|h| h.contains(&b'0')) {
            return None;
        }
        let mut line = self.rest_of_line(pos)?;
        pos = line;
        let mut text = String::new();
        let mut trailing_breaks = 0;
        let mut indent = if increment > 0 { parent + increment } else { 0 };
        if indent == 0 {
            let mut max_indent = 0;
            loop {
                while bytes.get(pos) == Some(&b' ') {
                    pos += 1;
                }
                max_indent = max_indent.max(pos - line);
                if bytes.get(pos) != Some(&b'\n') {
                    break;
                }
                trailing_breaks += 1;
                pos += 1;
                line = pos;
            }
            indent = max_indent.max(parent + 1);
        } else {
            (pos, line) = self.block_scalar_indent(pos, line, indent, &mut trailing_breaks);
        }
        if pos == bytes.len() {
            if chomping == Chomping::Keep {
                let header_line_ended = line > at;
                if trailing_breaks == 0 && header_line_ended && pos > line {
                    text.push('\n');
                } else {
                    text.extend(std::iter::repeat_n('\n', trailing_breaks));
                }
            }
            return Some(self.block_scalar_node(at, pos, line, text, style));
        }
        if pos - line < indent && pos - line > parent {
            return None;
        }
        let mut leading_break = false;
        let mut leading_blank = false;
        while pos - line == indent && pos < bytes.len() && bytes[pos] != b'\n' {
            let trailing_blank = bytes[pos] == b' ';
            if !literal && leading_break && !leading_blank && !trailing_blank {
                if trailing_breaks == 0 {
                    text.push(' ');
                } else {
                    text.extend(std::iter::repeat_n('\n', trailing_breaks));
                }
            } else {
                if leading_break {
                    text.push('\n');
                }
                text.extend(std::iter::repeat_n('\n', trailing_breaks));
            }
            leading_break = false;
            trailing_breaks = 0;
            leading_blank = trailing_blank;
            let end = self.line_end(pos);
            text.push_str(&self.text[pos..end]);
            pos = end;
            if pos == bytes.len() {
                break;
            }
            leading_break = true;
            pos += 1;
            (pos, line) = self.block_scalar_indent(pos, pos, indent, &mut trailing_breaks);
        }
        if chomping != Chomping::Strip {
            if leading_break {
                text.push('\n');
            }
            if pos == bytes.len() && pos - line >= indent.max(1) {
                text.push('\n');
            }
        }
        if chomping == Chomping::Keep {
            text.extend(std::iter::repeat_n('\n', trailing_breaks));
        }
        Some(self.block_scalar_node(at, pos, line, text, style))
    }

    /// Skips up to `indent` spaces of each line from `pos` (at `line`'s
    /// start or inside its indentation) and the empty lines among them,
    /// counting their breaks; returns where content (or the text's end) was
    /// met and the start of its line.
    fn block_scalar_indent(
        &self,
        mut pos: usize,
        mut line: usize,
        indent: usize,
        breaks: &mut usize,
    ) -> (usize, usize) {
        loop {
            while pos - line < indent && self.bytes.get(pos) == Some(&b' ') {
                pos += 1;
            }
            if self.bytes.get(pos) != Some(&b'\n') {
                return (pos, line);
            }
            *breaks += 1;
            pos += 1;
            line = pos;
        }
    }

    /// The block scalar node whose header is at `at` and whose reading
    /// stopped at `stop`, in the line starting at `line`.
    fn block_scalar_node(
        &mut self,
        at: usize,
        stop: usize,
        line: usize,
        text: String,
        style: ScalarStyle,
    ) -> Node {
        self.pos = line;
        let end = super::parse::trim_blank_tail(self.bytes, at, stop);
        scalar_node(at, end, exact(&text), style)
    }
}

/// What finds the keys of a mapping being read.
#[derive(Default)]
struct Keys {
    /// Entries replaced by a later duplicate.
    replaced: usize,
    /// Slot of each key's text, once the mapping is too large to scan.
    index: Option<HashMap<CompactString, usize>>,
}

impl Keys {
    /// The index of `entries`, which start at slot `base`, built on first use.
    fn index(&mut self, entries: &[Option<Entry>], base: usize) -> &HashMap<CompactString, usize> {
        self.index.get_or_insert_with(|| {
            entries
                .iter()
                .enumerate()
                .filter_map(|(i, e)| Some((dedup_key(&e.as_ref()?.key)?.clone(), base + i)))
                .collect()
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomping {
    Strip,
    Clip,
    Keep,
}

/// Text built up in a `String`, stored without its growth slack: trees of
/// a whole run stay in memory.
fn exact(text: &str) -> CompactString {
    CompactString::from(text)
}

fn scalar_node(start: usize, end: usize, text: CompactString, style: ScalarStyle) -> Node {
    Node {
        span: TextRange::new(start, end),
        value: Value::Scalar(Scalar::new(text, style, None)),
    }
}

/// An empty node, a null, where the full parser places it.
fn empty_node(at: usize) -> Node {
    Node {
        span: TextRange::empty(at),
        value: Value::Scalar(Scalar::null()),
    }
}

/// A block collection from `start` to the end of its last child.
fn collection(start: usize, (value, last_end): (Value, Option<u32>)) -> Node {
    let start = start as u32;
    Node {
        span: TextRange {
            start,
            end: last_end.unwrap_or(start).max(start),
        },
        value,
    }
}
