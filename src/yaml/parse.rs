//! Builds located [`Node`] trees from a YAML stream.
//!
//! The events come from `saphyr-parser`, a maintained, pure-Rust YAML 1.2
//! parser that passes the YAML test suite and reports a span for every event.
//! The tree is built here rather than by a YAML library's own loader because
//! plimsoll needs what loaders throw away: byte spans on every node,
//! duplicate keys as findings instead of silent overwrites, go-yaml's merge
//! keys, and budgets that stop hostile input before it costs memory.

use std::collections::HashMap;

use compact_str::CompactString;
use saphyr_parser::{Event, Parser, ScanError, Span, Tag};

use super::scalar::ScalarStyle;
use super::{Entry, Node, Scalar, Value};
use crate::source::TextRange;

/// Budgets that bound the work one file can cause.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of collections accepted in a document.
    pub max_depth: usize,
    /// Most nodes that aliases may copy into one document, against
    /// "billion laughs" expansion.
    pub max_alias_nodes: usize,
    /// Most documents read from one stream.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 200,
            max_alias_nodes: 100_000,
            max_documents: 100_000,
        }
    }
}

/// One document of a stream.
#[derive(Debug, PartialEq)]
pub struct Document {
    /// 0-based position of the document in its stream.
    pub index: usize,
    /// The document's root node.
    pub root: Node,
}

/// What went wrong while reading a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The text is not valid YAML.
    Syntax,
    /// A mapping repeats a key.
    DuplicateKey,
    /// A budget in [`Limits`] was exceeded.
    Limit,
}

/// A problem found while reading a stream, located in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// The document it occurred in.
    pub document: usize,
    /// Where it is.
    pub span: TextRange,
    /// What is wrong, for the user.
    pub message: String,
    /// A second place that explains the first (the earlier duplicate key).
    pub related: Option<(TextRange, String)>,
}

/// The documents read from a stream and the problems met on the way. A
/// syntax error ends the stream, but the documents before it are kept.
#[derive(Debug, Default, PartialEq)]
pub struct Stream {
    /// Documents read in full.
    pub documents: Vec<Document>,
    /// Problems, in source order.
    pub problems: Vec<Problem>,
}

/// Parses every document of `text`: with the fast reader of [`super::block`]
/// when the stream is in the plain block style it reads, otherwise (and with
/// the same result for every stream it reads) with the full parser.
pub fn parse_stream(text: &str, limits: &Limits) -> Stream {
    super::block::parse_block_stream(text, limits)
        .unwrap_or_else(|| parse_stream_in_full(text, limits))
}

/// The root of the first document of `text`, for unit tests of the modules
/// that read trees.
#[cfg(test)]
pub(crate) fn first_tree(text: &str) -> Node {
    parse_stream(text, &Limits::default())
        .documents
        .remove(0)
        .root
}

/// Parses every document of `text` with the full YAML parser, never the fast
/// reader; the reference that the fast reader is tested against.
pub fn parse_stream_in_full(text: &str, limits: &Limits) -> Stream {
    let offsets = ByteOffsets::new(text);
    let mut builder = Builder::new(text, limits, &offsets);
    let mut parser = Parser::new_from_str(text);
    let mut stream = Stream::default();
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => match builder.event(event, span, &mut stream) {
                Flow::Continue => {}
                Flow::Stop => break,
            },
            Some(Err(error)) => {
                stream
                    .problems
                    .push(syntax_problem(text, &error, &offsets, builder.doc_index));
                break;
            }
        }
    }
    stream
}

fn syntax_problem(
    text: &str,
    error: &ScanError,
    offsets: &ByteOffsets,
    document: usize,
) -> Problem {
    let mut at = offsets.byte(error.marker().index());
    // saphyr reports a tab used as indentation just after it; point at it.
    if error.info().contains("tabs") {
        while at > 0 && text.as_bytes()[at - 1] == b'\t' {
            at -= 1;
        }
    }
    // The scanner bounds flow nesting itself; that is a limit, not a typo.
    let (kind, message) = if error.info() == "recursion limit exceeded" {
        (
            ProblemKind::Limit,
            "flow collections are nested too deeply; the rest of the stream is not read".to_owned(),
        )
    } else {
        (ProblemKind::Syntax, error.info().to_owned())
    };
    Problem {
        kind,
        document,
        span: TextRange::empty(at),
        message,
        related: None,
    }
}

/// saphyr counts positions in characters; plimsoll's spans are bytes.
struct ByteOffsets {
    /// Byte offset of each character, plus the text length; empty for ASCII
    /// text, where the two are the same.
    table: Vec<u32>,
    len: usize,
}

impl ByteOffsets {
    fn new(text: &str) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i as u32)
                .chain(std::iter::once(text.len() as u32))
                .collect()
        };
        Self {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.table.is_empty() {
            char_index.min(self.len)
        } else {
            self.table.get(char_index).map_or(self.len, |&b| b as usize)
        }
    }

    fn range(&self, span: Span) -> TextRange {
        TextRange::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

enum Flow {
    Continue,
    Stop,
}

struct Builder<'a> {
    text: &'a str,
    limits: &'a Limits,
    offsets: &'a ByteOffsets,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    alias_nodes: usize,
    doc_index: usize,
    /// Nesting depth of a document being skipped after a limit was hit.
    skipping: Option<usize>,
    root: Option<Node>,
    /// Byte offset where the previous event's span ended.
    previous_end: usize,
}

struct Frame {
    kind: FrameKind,
    start: TextRange,
    flow: bool,
    anchor: usize,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map {
        entries: Entries,
        pending_key: Option<Node>,
    },
}

/// The entries of a mapping being built. A replaced duplicate leaves a
/// hole, so that neither replacing nor finding a key costs time in the
/// size of the mapping: a mapping of a million keys once took hours.
#[derive(Default)]
struct Entries {
    /// In source order; `None` where a later duplicate replaced the entry.
    slots: Vec<Option<Entry>>,
    /// Slot of each scalar key's text other than merge keys; built once
    /// the mapping is larger than [`Entries::SCAN`] entries.
    index: HashMap<CompactString, usize>,
}

impl Entries {
    /// Up to this many entries, keys are found by scanning.
    const SCAN: usize = 16;

    fn find(&self, text: &str) -> Option<usize> {
        if self.slots.len() > Self::SCAN {
            return self.index.get(text).copied();
        }
        self.slots.iter().position(|slot| {
            slot.as_ref()
                .and_then(|e| dedup_key(&e.key))
                .is_some_and(|k| k == text)
        })
    }

    fn push(&mut self, entry: Entry) {
        let slot = self.slots.len();
        if let Some(text) = dedup_key(&entry.key).filter(|_| slot >= Self::SCAN) {
            self.index.insert(text.clone(), slot);
        }
        self.slots.push(Some(entry));
        if self.slots.len() == Self::SCAN + 1 {
            // From now on keys are found through the index.
            let live = self
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, slot)| Some((dedup_key(&slot.as_ref()?.key)?.clone(), i)));
            self.index.extend(live);
        }
    }

    /// Adds an entry, replacing an earlier one with the same key (the last
    /// one wins in Kubernetes) and reporting the duplicate.
    fn insert(&mut self, key: Node, value: Node) -> Option<Problem> {
        let duplicate = dedup_key(&key).and_then(|text| self.find(text));
        let first = duplicate.and_then(|at| self.slots[at].take());
        let problem = first.map(|first| duplicate_key(&key, &first.key));
        self.push(Entry { key, value });
        problem
    }

    /// The last entry, which is never a hole.
    fn last(&self) -> Option<&Entry> {
        self.slots.last().and_then(Option::as_ref)
    }

    fn into_vec(self) -> Vec<Entry> {
        self.slots.into_iter().flatten().collect()
    }
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, limits: &'a Limits, offsets: &'a ByteOffsets) -> Self {
        Self {
            text,
            limits,
            offsets,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            doc_index: 0,
            skipping: None,
            root: None,
            previous_end: 0,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span, stream: &mut Stream) -> Flow {
        let range = self.offsets.range(span);
        let previous_end = std::mem::replace(&mut self.previous_end, range.end as usize);
        if let Some(depth) = self.skipping.as_mut() {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => *depth += 1,
                Event::SequenceEnd | Event::MappingEnd => *depth = depth.saturating_sub(1),
                Event::DocumentEnd => return self.end_document(stream),
                _ => {}
            }
            return Flow::Continue;
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                if self.doc_index >= self.limits.max_documents {
                    stream.problems.push(Problem {
                        kind: ProblemKind::Limit,
                        document: self.doc_index,
                        span: TextRange::empty(range.start as usize),
                        message: format!(
                            "the stream has more than {} documents; the rest are not read",
                            self.limits.max_documents
                        ),
                        related: None,
                    });
                    return Flow::Stop;
                }
                self.stack.clear();
                self.anchors.clear();
                self.alias_nodes = 0;
                self.root = None;
            }
            Event::DocumentEnd => return self.end_document(stream),
            Event::Alias(id) => {
                let Some((node, count)) = self.anchors.get(&id) else {
                    stream.problems.push(Problem {
                        kind: ProblemKind::Syntax,
                        document: self.doc_index,
                        span: range,
                        message: "alias refers to an anchor that is not defined".into(),
                        related: None,
                    });
                    return Flow::Continue;
                };
                self.alias_nodes += count;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return self.limit_hit(
                        stream,
                        range,
                        format!(
                            "aliases expand to more than {} nodes; the document is not read \
                             (is this a \"billion laughs\" file?)",
                            self.limits.max_alias_nodes
                        ),
                    );
                }
                let mut copy = node.clone();
                copy.span = range;
                self.push_node(copy, 0, stream);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let style = convert_style(style);
                let tag = tag.map(|t| short_tag(&t));
                let has_properties = anchor != 0 || tag.is_some();
                let span = if text.is_empty() && style == ScalarStyle::Plain && !has_properties {
                    // An empty node (`key:` with no value, an empty document):
                    // saphyr may give it the span of the token after it.
                    TextRange::empty(range.start as usize)
                } else {
                    scalar_span(self.text, range, style, has_properties, previous_end)
                };
                let node = Node {
                    span,
                    value: Value::Scalar(Scalar::new(
                        CompactString::from(text.as_ref()),
                        style,
                        tag.map(|t| Box::new(CompactString::from(t))),
                    )),
                };
                self.push_node(node, anchor, stream);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= self.limits.max_depth {
                    return self.limit_hit(
                        stream,
                        range,
                        format!(
                            "nesting is deeper than {} levels; the document is not read",
                            self.limits.max_depth
                        ),
                    );
                }
                let kind = if matches!(event, Event::SequenceStart(..)) {
                    FrameKind::Seq(Vec::new())
                } else {
                    FrameKind::Map {
                        entries: Entries::default(),
                        pending_key: None,
                    }
                };
                self.stack.push(Frame {
                    kind,
                    start: range,
                    // A flow collection's event ends with its bracket; a
                    // block one's is empty or holds only its anchor and tag.
                    flow: opens_flow(self.text.as_bytes(), range),
                    anchor,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Flow::Continue;
                };
                let (value, last_end) = match frame.kind {
                    FrameKind::Seq(items) => finish_seq(items),
                    FrameKind::Map { entries, .. } => finish_map(entries),
                };
                let end = if frame.flow {
                    // saphyr's span of the closing bracket runs on over the
                    // blanks and comment after it.
                    match self.text.as_bytes().get(range.start as usize) {
                        Some(b'}' | b']') => range.start + 1,
                        _ => range.end,
                    }
                } else {
                    last_end.unwrap_or(frame.start.end)
                };
                let node = Node {
                    span: TextRange {
                        start: frame.start.start,
                        end: end.max(frame.start.start),
                    },
                    value,
                };
                self.push_node(node, frame.anchor, stream);
            }
        }
        Flow::Continue
    }

    fn limit_hit(&mut self, stream: &mut Stream, span: TextRange, message: String) -> Flow {
        stream.problems.push(Problem {
            kind: ProblemKind::Limit,
            document: self.doc_index,
            span,
            message,
            related: None,
        });
        self.skipping = Some(self.stack.len());
        self.stack.clear();
        self.anchors.clear();
        self.root = None;
        Flow::Continue
    }

    fn end_document(&mut self, stream: &mut Stream) -> Flow {
        if let Some(root) = self.root.take() {
            stream.documents.push(Document {
                index: self.doc_index,
                root,
            });
        }
        self.skipping = None;
        self.stack.clear();
        self.doc_index += 1;
        Flow::Continue
    }

    fn push_node(&mut self, node: Node, anchor: usize, stream: &mut Stream) {
        if anchor != 0 {
            let count = node.node_count();
            self.anchors.insert(anchor, (node.clone(), count));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        match &mut parent.kind {
            FrameKind::Seq(items) => items.push(node),
            FrameKind::Map {
                entries,
                pending_key,
            } => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => {
                    if let Some(problem) = entries.insert(key, node) {
                        stream.problems.push(Problem {
                            document: self.doc_index,
                            ..problem
                        });
                    }
                }
            },
        }
    }
}

/// A finished sequence's value and the end of its last item.
pub(super) fn finish_seq(mut items: Vec<Node>) -> (Value, Option<u32>) {
    // Trees of a whole run stay in memory for relation rules: growth slack
    // is given back.
    items.shrink_to_fit();
    let end = items.last().map(|n| n.span.end);
    (Value::Seq(items), end)
}

/// A finished mapping's value, merge keys applied, and the end of its last
/// entry as written.
fn finish_map(entries: Entries) -> (Value, Option<u32>) {
    let end = entries.last().map(|e| e.value.span.end.max(e.key.span.end));
    (map_value(entries.into_vec()), end)
}

/// The key text by which a mapping entry is found, unless it is a merge
/// key, which may repeat.
pub(super) fn dedup_key(key: &Node) -> Option<&CompactString> {
    let k = key.as_scalar()?;
    (k.text != "<<" || k.style != ScalarStyle::Plain).then_some(&k.text)
}

/// A mapping's value from its entries, without duplicates, in source order.
pub(super) fn map_value(entries: Vec<Entry>) -> Value {
    let mut entries = apply_merge_keys(entries);
    entries.shrink_to_fit();
    Value::Map(entries)
}

/// The problem of `key` repeating `first`, an earlier key of its mapping
/// (in document 0: the caller knows the document).
pub(super) fn duplicate_key(key: &Node, first: &Node) -> Problem {
    Problem {
        kind: ProblemKind::DuplicateKey,
        document: 0,
        span: key.span,
        message: format!(
            "duplicate key `{}`; Kubernetes keeps only this last value",
            key.scalar_text().unwrap_or_default()
        ),
        related: Some((first.span, "first defined here".to_owned())),
    }
}

/// Applies YAML 1.1 merge keys (`<<: *defaults`) as go-yaml does: keys
/// written in the mapping win over merged ones, and earlier merged mappings
/// win over later ones.
fn apply_merge_keys(entries: Vec<Entry>) -> Vec<Entry> {
    let is_merge = |e: &Entry| {
        e.key
            .as_scalar()
            .is_some_and(|k| k.text == "<<" && k.style == ScalarStyle::Plain)
    };
    if !entries.iter().any(is_merge) {
        return entries;
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(is_merge);
    // Keys present, by text (`None` for every non-scalar key), so that a
    // large merge costs no time in the size of the mapping.
    let mut present: std::collections::HashSet<Option<CompactString>> = own
        .iter()
        .map(|e| e.key.as_scalar().map(|k| k.text.clone()))
        .collect();
    for merge in merges {
        let sources: Vec<Node> = match merge.value.value {
            Value::Map(_) => vec![merge.value],
            Value::Seq(items) => items,
            Value::Scalar(_) => Vec::new(),
        };
        for source in sources {
            let Value::Map(merged) = source.value else {
                continue;
            };
            for entry in merged {
                if present.insert(entry.key.as_scalar().map(|k| k.text.clone())) {
                    own.push(entry);
                }
            }
        }
    }
    own
}

/// Corrects saphyr's span of a scalar event to the scalar's text (with its
/// anchor and tag, when it has them). saphyr lets a quoted scalar's span run
/// on over the blanks and comment after the closing quote, and starts a block
/// scalar's span at its first content line, leaving out the `|` or `>` header,
/// and ends it after the trailing line breaks.
fn scalar_span(
    text: &str,
    range: TextRange,
    style: ScalarStyle,
    has_properties: bool,
    previous_end: usize,
) -> TextRange {
    let bytes = text.as_bytes();
    let (start, end) = (range.start as usize, range.end as usize);
    match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            quoted_end(bytes, start, end).map_or(range, |end| TextRange::new(start, end))
        }
        ScalarStyle::Literal | ScalarStyle::Folded => {
            let start = if has_properties {
                start
            } else {
                block_header(bytes, previous_end, start).unwrap_or(start)
            };
            TextRange::new(start, trim_blank_tail(bytes, start, end))
        }
        ScalarStyle::Plain => range,
    }
}

/// Whether a collection's start event is a flow collection's: its span holds
/// the opening bracket, after any anchor and tag. A block collection's is
/// empty or holds only its anchor and tag (and saphyr lets either run on
/// over the blanks after it).
fn opens_flow(bytes: &[u8], range: TextRange) -> bool {
    let (start, end) = (range.start as usize, range.end as usize);
    let at = skip_properties(bytes, start, end);
    at < end && matches!(bytes[at], b'{' | b'[')
}

/// The offset of the first byte from `start` that is not part of a node's
/// anchor or tag, nor a blank or comment around them; `limit` at most.
fn skip_properties(bytes: &[u8], start: usize, limit: usize) -> usize {
    let mut i = start;
    while i < limit {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < limit && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
            }
            b'&' | b'!' => {
                while i < limit && !matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i.min(limit)
}

/// The offset just after the closing quote of the quoted scalar whose
/// properties or opening quote are at `start`.
fn quoted_end(bytes: &[u8], start: usize, limit: usize) -> Option<usize> {
    let mut i = skip_properties(bytes, start, limit);
    let quote = *bytes.get(i).filter(|_| i < limit)?;
    if !matches!(quote, b'\'' | b'"') {
        return None;
    }
    i += 1;
    while i < limit {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The offset of the `|` or `>` of a block scalar's header, looked for
/// between the end of the previous event (a key, a `-`) and the scalar's
/// first content line.
fn block_header(bytes: &[u8], from: usize, to: usize) -> Option<usize> {
    let mut i = from;
    while i < to {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' | b':' | b'-' | b'?' => i += 1,
            b'#' => {
                while i < to && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
            }
            b'|' | b'>' => return Some(i),
            _ => return None,
        }
    }
    None
}

/// `end` moved back over trailing line breaks and blank lines.
pub(super) fn trim_blank_tail(bytes: &[u8], start: usize, mut end: usize) -> usize {
    loop {
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let line_start = bytes[start..end]
            .iter()
            .rposition(|b| matches!(b, b'\n' | b'\r'))
            .map_or(start, |p| start + p + 1);
        let blank = bytes[line_start..end]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t'));
        if !blank || end == start {
            return end;
        }
        end = line_start;
    }
}

fn convert_style(style: saphyr_parser::ScalarStyle) -> ScalarStyle {
    match style {
        saphyr_parser::ScalarStyle::Plain => ScalarStyle::Plain,
        saphyr_parser::ScalarStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        saphyr_parser::ScalarStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        saphyr_parser::ScalarStyle::Literal => ScalarStyle::Literal,
        saphyr_parser::ScalarStyle::Folded => ScalarStyle::Folded,
    }
}

/// The short form of a tag: `!!int` for the core schema's however it was
/// written (`!!int`, the verbatim `!<tag:yaml.org,2002:int>`, or a `%TAG`
/// handle for the same prefix), as go-yaml's `shortTag` does.
fn short_tag(tag: &Tag) -> String {
    const CORE: &str = "tag:yaml.org,2002:";
    if tag.is_yaml_core_schema() {
        return format!("!!{}", tag.suffix);
    }
    let full = format!("{}{}", tag.handle, tag.suffix);
    match full.strip_prefix(CORE) {
        Some(short) => format!("!!{short}"),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Resolved;

    fn parse(text: &str) -> Stream {
        parse_stream(text, &Limits::default())
    }

    #[test]
    fn spans_are_bytes_even_after_non_ascii_text() {
        let text = "a: \"é\"\nb: c\n";
        let stream = parse(text);
        let b = stream.documents[0].root.get("b").unwrap();
        assert_eq!(&text[b.span.start as usize..b.span.end as usize], "c");
    }

    #[test]
    fn duplicate_keys_keep_the_last_value_and_are_reported() {
        let stream = parse("a: 1\na: 2\n");
        assert_eq!(stream.documents[0].root.get("a").unwrap().as_i64(), Some(2));
        assert_eq!(stream.problems.len(), 1);
        assert_eq!(stream.problems[0].kind, ProblemKind::DuplicateKey);
        assert_eq!(stream.problems[0].span, TextRange::new(5, 6));
    }

    #[test]
    fn merge_keys_fill_in_missing_keys() {
        let stream = parse("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n");
        let node = stream.documents[0].root.get("use").unwrap();
        assert_eq!(node.get("x").unwrap().as_i64(), Some(1));
        assert_eq!(node.get("y").unwrap().as_i64(), Some(3));
        assert!(node.get("<<").is_none());
    }

    #[test]
    fn billion_laughs_hits_the_alias_budget() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names: Vec<char> = ('b'..='j').collect();
        let mut previous = 'a';
        for name in names {
            let refs = vec![format!("*{previous}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
            previous = name;
        }
        let stream = parse(&text);
        assert!(stream.documents.is_empty());
        assert_eq!(stream.problems[0].kind, ProblemKind::Limit);
    }

    #[test]
    fn deep_nesting_hits_the_depth_limit_and_later_documents_survive() {
        let deep: String = (0..300)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect();
        let stream = parse(&format!("{deep}---\nok: true\n"));
        assert_eq!(stream.problems[0].kind, ProblemKind::Limit);
        assert_eq!(stream.documents.len(), 1);
        assert_eq!(stream.documents[0].index, 1);
        assert_eq!(
            stream.documents[0].root.get("ok").unwrap().as_bool(),
            Some(true)
        );
    }

    #[test]
    fn deep_flow_nesting_is_a_limit_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let stream = parse(&deep);
        assert_eq!(stream.problems[0].kind, ProblemKind::Limit);
    }

    #[test]
    fn syntax_errors_keep_earlier_documents() {
        let stream = parse("a: 1\n---\nb: [1\n");
        assert_eq!(stream.documents.len(), 1);
        assert_eq!(stream.problems[0].kind, ProblemKind::Syntax);
        assert_eq!(stream.problems[0].document, 1);
    }

    #[test]
    fn block_collections_end_at_their_last_child() {
        let text = "a:\n  b: 1\n  c: [x]\n# trailing comment\n";
        let stream = parse(text);
        let a = stream.documents[0].root.get("a").unwrap();
        assert_eq!(
            &text[a.span.start as usize..a.span.end as usize],
            "b: 1\n  c: [x]"
        );
        assert!(matches!(
            a.get("c").unwrap().items()[0]
                .as_scalar()
                .unwrap()
                .resolved(),
            Resolved::Str
        ));
    }
}
