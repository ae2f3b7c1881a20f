//! The fast block-style reader (`src/yaml/block.rs`) against the full YAML
//! parser: for every input, the fast reader either gives up or builds the
//! very same stream (trees, spans, styles, resolutions and problems).
//!
//! - every case of the YAML test suite, and each of them with one character
//!   deleted or a line break or space inserted anywhere;
//! - generated block-style streams, as written and with random edits
//!   (proptest; `PROPTEST_CASES=20000` runs more than the default);
//! - every file of a real corpus, ignored by default:
//!   `PLIMSOLL_CORPUS=../shared/corpus/real cargo test --release --test fast_yaml -- --ignored --nocapture`.

use std::path::{Path, PathBuf};

use plimsoll::yaml::block::parse_block_stream;
use plimsoll::yaml::parse::{Limits, Stream, parse_stream_in_full};
use plimsoll::yaml::{Node, Value};
use proptest::prelude::*;

mod common;
use common::yaml_test_suite as suite;

/// Whether the fast reader took `text`; panics when it read it differently
/// from the full parser.
fn check(text: &str, limits: &Limits) -> bool {
    let Some(fast) = parse_block_stream(text, limits) else {
        return false;
    };
    let full = parse_stream_in_full(text, limits);
    assert!(
        same(&fast, &full),
        "{text:?}\nfast: {fast:#?}\nfull: {full:#?}"
    );
    true
}

/// Equality in which a NaN equals a NaN (`.nan` resolves to one).
fn same(a: &Stream, b: &Stream) -> bool {
    a == b || format!("{a:?}") == format!("{b:?}")
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

/// `text` with one character removed, or a line break or a space put in,
/// at every position.
fn edits(text: &str) -> impl Iterator<Item = String> + '_ {
    text.char_indices().flat_map(move |(i, c)| {
        let rest = &text[i + c.len_utf8()..];
        [
            format!("{}{rest}", &text[..i]),
            format!("{}\n{}", &text[..i], &text[i..]),
            format!("{} {}", &text[..i], &text[i..]),
        ]
    })
}

#[test]
fn the_yaml_test_suite_reads_the_same_or_falls_back() {
    let Some(suite) = suite() else {
        eprintln!("skipped: the YAML test suite is not at ../shared/corpus/bad/yaml-test-suite");
        return;
    };
    let mut files = Vec::new();
    yaml_files(&suite, &mut files);
    files.sort();
    assert!(files.len() > 300, "{} files", files.len());
    let limits = Limits::default();
    let (mut fast, mut edited, mut edited_fast) = (0, 0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        fast += usize::from(check(&text, &limits));
        for variant in edits(&text) {
            edited += 1;
            edited_fast += usize::from(check(&variant, &limits));
        }
    }
    eprintln!(
        "fast path: {fast} of {} suite files, {edited_fast} of {edited} edited ones",
        files.len()
    );
    assert!(fast > 50, "the fast path should read the simple cases");
}

#[test]
fn limits_send_streams_to_the_full_parser() {
    let deep = (0..10)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect::<String>();
    let tight = Limits {
        max_depth: 3,
        max_documents: 2,
        ..Limits::default()
    };
    for text in [
        deep.as_str(),
        "a: 1\n---\nb: 2\n---\nc: 3\n",
        "a: []\n",
        "- {}\n",
    ] {
        assert!(check(text, &Limits::default()));
        check(text, &tight);
    }
    assert!(parse_block_stream(&deep, &tight).is_none());
}

#[test]
fn duplicate_and_merge_keys_are_read_the_same() {
    let small = "a:\n  x: 1\n  x: 2\na: 3\n---\n- k: 1\n  k: 2\n";
    assert!(check(small, &Limits::default()));
    // Past the size where keys are found through an index.
    let mut large: String = (0..60).map(|i| format!("k{}: {i}\n", i % 23)).collect();
    large.push_str("<<:\n  k1: merged\n  new: merged\n'<<': quoted\n<<:\n  other: 1\n");
    let nested: String = large.lines().map(|l| format!("  {l}\n")).collect();
    for text in [large, format!("outer:\n{nested}")] {
        assert!(check(&text, &Limits::default()), "{text}");
    }
}

#[test]
fn one_line_flow_mappings_are_read_the_same() {
    for text in [
        "httpGet: {path: /ready, port: http}\n",
        "- {name: FOO, value: \"bar\"}\n- {name: 'B', value: ''}\n",
        "securityContext: {runAsNonRoot: true, runAsUser: 1000} # c\n",
        "a: {x: 1, y: .5, x: 2}\nb: {}\n",
        "{ a: b ,  c: \"d\\te\" }\n",
        "a:\n- {k: v}\n",
    ] {
        assert!(check(text, &Limits::default()), "{text}");
    }
    // Left to the full parser, or read the same.
    for text in [
        "{a}\n",
        "{a: }\n",
        "{a: b,}\n",
        "{a:b}\n",
        "{a : b}\n",
        "{<<: a}\n",
        "{a: [b]}\n",
        "{a: {b: c}}\n",
        "{a: b}: c\n",
        "{a: b\n",
        "{a: b\n  , c: d}\n",
        "{\"a\":b}\n",
        "{a: b c}\n",
        "{a: b #c}\n",
        "{a: nginx:1.2}\n",
        "{-a: b}\n",
    ] {
        check(text, &Limits::default());
    }
}

#[test]
#[ignore = "needs a corpus: set PLIMSOLL_CORPUS"]
fn a_real_corpus_reads_the_same_or_falls_back() {
    let corpus = PathBuf::from(std::env::var("PLIMSOLL_CORPUS").expect("PLIMSOLL_CORPUS is set"));
    let mut files = Vec::new();
    yaml_files(&corpus, &mut files);
    files.sort();
    let limits = Limits::default();
    let (mut fast, mut bytes, mut fast_bytes) = (0, 0, 0);
    let mut fallbacks = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        bytes += text.len();
        if check(&text, &limits) {
            fast += 1;
            fast_bytes += text.len();
        } else {
            fallbacks.push(file.display().to_string());
        }
    }
    for file in &fallbacks {
        eprintln!("full parser: {file}");
    }
    eprintln!(
        "fast path: {fast} of {} files ({:.1}% of {:.1} MB), all read as the full parser reads them",
        files.len(),
        100.0 * fast_bytes as f64 / bytes.max(1) as f64,
        bytes as f64 / 1e6
    );
}

/// Writes block-style YAML from a list of choices, so that proptest shrinks
/// a failing stream by shrinking the choices.
struct Writer<'a> {
    choices: &'a [u8],
    next: usize,
    out: String,
}

const KEYS: &[&str] = &[
    "a", "b", "key", "x-y", "a b", "-a", "?x", ":x", "a#b", "é", "y", "yes", "<<", "0755", "a:b",
    "---x", "k.s/io", "~", "1.5", "\"q\"", "'s'",
];
/// Keys that are errors or not scalars when plain.
const ODD_KEYS: &[&str] = &["[]", "{}", "*r", "&a", "!t", "? a", "- a"];
/// Scalar text that makes a valid plain or quoted scalar.
const WORDS: &[&str] = &[
    "v",
    "nginx:1.2",
    "http://x/y",
    "a b",
    "a  b",
    "yes",
    "no",
    "0755",
    "12",
    "-3",
    "1e3",
    ".nan",
    "~",
    "null",
    "",
    "x #y",
    "x#y",
    "é日",
    "a,b",
    "-x",
    "?x",
    ":x",
    "a]",
    "x-",
    "0x1F",
    "1_000",
];
/// Scalar text that is an error or something else than a scalar when plain.
const ODD_WORDS: &[&str] = &[
    "a: b", "- a", "'", "\"", "\\", "[x]", "{a: b}", "|", ">", "- ", "-", "?", ":", "#", "  lead",
    "trail  ", "%", "@x", "`", "&a", "*a", "!t",
];
const ESCAPES: &[&str] = &[
    "\\n",
    "\\t",
    "\\\\",
    "\\\"",
    "\\x41",
    "\\u00e9",
    "\\U0001F600",
    "\\0",
    "\\ ",
    "\\/",
    "\\N",
    "\\_",
    "\\e",
    "\\L",
];
/// Escapes that are errors.
const BAD_ESCAPES: &[&str] = &["\\q", "\\x4", "\\uD800", "\\'"];
const HEADERS: &[&str] = &[
    "|", ">", "|-", ">+", "|2", ">1-", "|+", "|-1", "| # c", ">-",
];
const BAD_HEADERS: &[&str] = &["|0", "|#c", "| x", "|++"];
/// Keys and values of flow mappings: mostly ones the fast reader takes.
const FLOW_WORDS: &[&str] = &[
    "a",
    "x-y",
    "/ready",
    "http",
    "1000",
    "true",
    "~",
    ".5",
    "k.s/io",
    "\"q\"",
    "'s'",
    "\"\"",
    "'it''s'",
    "\"a\\tb\"",
];
/// Flow mapping keys and values that the fast reader leaves to the full
/// parser, or that are errors.
const ODD_FLOW_WORDS: &[&str] = &[
    "a b",
    "a:b",
    "nginx:1.2",
    "<<",
    "-1",
    "é",
    "a#b",
    "",
    "[x]",
    "{}",
    "*a",
    "&a x",
    "!t x",
    "? x",
    "\"a\":b",
    "-",
    "'",
    "\"a\nb\"",
    "a\n  b",
];
const EDITS: &[&str] = &[
    " ",
    ",",
    "{",
    "}",
    "\n",
    "-",
    ":",
    "#",
    "'",
    "\"",
    "|",
    ">",
    "  ",
    "- ",
    "---\n",
    "...\n",
    "[",
    "]",
    "{}",
    "\\",
    "é",
    "\t",
    "&a ",
    "*a",
    "!t ",
    "? ",
    ": ",
    "\r",
    "%YAML 1.2\n",
    "\n\n",
    "a: b\n",
];

impl Writer<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let choice = self.choices.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        usize::from(choice) % n
    }

    /// True `percent` times in a hundred, and never once the choices run out.
    fn chance(&mut self, percent: usize) -> bool {
        self.pick(100) >= 100 - percent
    }

    fn one<'s>(&mut self, options: &[&'s str]) -> &'s str {
        options[self.pick(options.len())]
    }

    fn word(&mut self) -> &'static str {
        if self.chance(15) {
            self.one(ODD_WORDS)
        } else {
            self.one(WORDS)
        }
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn spaces(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    /// Ends a line, with trailing blanks, a comment or blank lines at times.
    fn end_line(&mut self) {
        if self.chance(10) {
            let n = self.pick(3);
            self.spaces(n);
        }
        if self.chance(10) {
            self.push(" # note");
        }
        self.push("\n");
        while self.chance(8) {
            let n = self.pick(6);
            self.spaces(n);
            if self.chance(50) {
                self.push("# comment");
            }
            self.push("\n");
        }
    }

    fn stream(&mut self) {
        let documents = 1 + self.pick(3);
        for i in 0..documents {
            if i > 0 || self.chance(30) {
                self.push("---");
                if self.chance(20) {
                    self.push(" # doc");
                }
                self.push("\n");
            }
            if self.chance(10) {
                continue;
            }
            let col = if self.chance(90) { 0 } else { self.pick(3) };
            self.node_on_new_line(col, -1, 0);
            if self.chance(15) {
                self.push("...\n");
            }
        }
    }

    /// A node that starts a line at column `col`, in a collection at `parent`.
    fn node_on_new_line(&mut self, col: usize, parent: isize, depth: usize) {
        self.spaces(col);
        match self.pick(if depth > 4 { 1 } else { 4 }) {
            0 => {
                self.scalar(parent);
                self.end_line();
            }
            1 | 2 => self.mapping(col, depth),
            _ => self.sequence(col, depth),
        }
    }

    fn mapping(&mut self, col: usize, depth: usize) {
        let entries = 1 + self.pick(4);
        for i in 0..entries {
            if i > 0 {
                self.spaces(col);
            }
            self.key();
            self.value(col, depth);
        }
    }

    fn key(&mut self) {
        match self.pick(6) {
            0 => {
                let k = self.one(KEYS);
                self.push(&format!("\"{}\"", k.replace('"', "\\\"")));
            }
            1 => {
                let k = self.one(KEYS);
                self.push(&format!("'{}'", k.replace('\'', "''")));
            }
            2 if self.chance(10) => {
                let k = self.one(ODD_KEYS);
                self.push(k);
            }
            _ => {
                let k = self.one(KEYS);
                self.push(k);
            }
        }
        if self.chance(5) {
            self.push(" ");
        }
        self.push(":");
    }

    /// What follows the `:` of a key in a mapping at `col`.
    fn value(&mut self, col: usize, depth: usize) {
        let options = if depth > 4 { 3 } else { 7 };
        match self.pick(options) {
            0 => self.end_line(),
            1 | 2 => {
                self.push(" ");
                self.scalar(col as isize);
                self.end_line();
            }
            3 => {
                self.end_line();
                let deeper = col + 1 + self.pick(4);
                self.node_on_new_line(deeper, col as isize, depth + 1);
            }
            4 => {
                // An indentless sequence.
                self.end_line();
                self.sequence(col, depth + 1);
            }
            5 => {
                self.end_line();
                let deeper = col + 1 + self.pick(4);
                self.spaces(deeper);
                self.sequence(deeper, depth + 1);
            }
            _ => {
                self.push(" ");
                self.block_scalar(col);
            }
        }
    }

    fn sequence(&mut self, col: usize, depth: usize) {
        let items = 1 + self.pick(4);
        for i in 0..items {
            if i > 0 {
                self.spaces(col);
            }
            self.push("-");
            match self.pick(if depth > 4 { 2 } else { 6 }) {
                0 => self.end_line(),
                1 => {
                    self.push(" ");
                    self.scalar(col as isize);
                    self.end_line();
                }
                2 => {
                    let gap = 1 + self.pick(3);
                    self.spaces(gap);
                    self.mapping(col + 1 + gap, depth + 1);
                }
                3 => {
                    self.push(" ");
                    self.sequence(col + 2, depth + 1);
                }
                4 => {
                    self.end_line();
                    let deeper = col + 1 + self.pick(3);
                    self.node_on_new_line(deeper, col as isize, depth + 1);
                }
                _ => {
                    self.push(" ");
                    self.block_scalar(col);
                }
            }
        }
    }

    /// A scalar on the current line; continuation lines go deeper than `parent`.
    fn scalar(&mut self, parent: isize) {
        let continuation = (parent + 1).max(0) as usize + self.pick(3);
        match self.pick(10) {
            0 => {
                let w = self.word();
                self.push(&format!("'{}'", w.replace('\'', "''")));
            }
            1 => {
                let w = self.word();
                let e = if self.chance(10) {
                    self.one(BAD_ESCAPES)
                } else {
                    self.one(ESCAPES)
                };
                self.push(&format!("\"{}{e}\"", w.replace(['"', '\\'], "")));
            }
            2 => {
                // A quoted scalar over several lines.
                let quote = if self.chance(50) { "'" } else { "\"" };
                self.push(quote);
                self.push("first");
                for _ in 0..1 + self.pick(3) {
                    if self.chance(30) {
                        self.push(" ");
                    }
                    if quote == "\"" && self.chance(20) {
                        self.push("\\");
                    }
                    self.push("\n");
                    if self.chance(20) {
                        self.push("\n");
                    }
                    self.spaces(continuation);
                    self.push("next");
                }
                self.push(quote);
            }
            3 => {
                // A plain scalar over several lines.
                self.push("first");
                for _ in 0..1 + self.pick(3) {
                    self.push("\n");
                    if self.chance(20) {
                        self.push("\n");
                    }
                    self.spaces(continuation);
                    let w = self.word();
                    self.push(if w.is_empty() { "w" } else { w });
                }
            }
            4 => {
                let flow = self.one(&[
                    "[]",
                    "{ }",
                    "[ ]",
                    "{}",
                    "[a]",
                    "[ \"x\", 'y' ]",
                    "[a, b-c/d.e_f, 1, 0x1F, yes, ~, .5]",
                    "[\"a\\tb\", 'it''s']",
                    "[a, ]",
                    "[a b]",
                    "[a: b]",
                    "[-a]",
                    "[a,b]",
                    "[a ,\"b\"]",
                    "[a]b",
                    "[\"a\":b]",
                    "[{}]",
                    "[[a]]",
                    "{a: b}",
                ]);
                self.push(flow);
            }
            8 | 9 => self.flow_mapping(),
            _ => {
                let w = self.word();
                self.push(if w.is_empty() { "x" } else { w });
            }
        }
    }

    fn flow_word(&mut self) -> &'static str {
        if self.chance(5) {
            self.one(ODD_FLOW_WORDS)
        } else {
            self.one(FLOW_WORDS)
        }
    }

    /// A flow mapping on the current line, broken at times.
    fn flow_mapping(&mut self) {
        self.push("{");
        for i in 0..self.pick(4) {
            if i > 0 {
                let comma = if self.chance(95) {
                    ", "
                } else {
                    self.one(&[",", " ,", " , ", ",,", ",\n"])
                };
                self.push(comma);
            }
            if self.chance(10) {
                self.push(" ");
            }
            let key = self.flow_word();
            self.push(key);
            let colon = if self.chance(95) {
                ": "
            } else {
                self.one(&[":", " : ", ":  ", "", ": \n", " :"])
            };
            self.push(colon);
            let value = self.flow_word();
            self.push(value);
        }
        if self.chance(3) {
            self.push(",");
        }
        if self.chance(10) {
            self.push(" ");
        }
        if self.chance(97) {
            self.push("}");
        }
    }

    /// A block scalar whose header is on the current line, in a collection
    /// at `parent`.
    fn block_scalar(&mut self, parent: usize) {
        let header = if self.chance(10) {
            self.one(BAD_HEADERS)
        } else {
            self.one(HEADERS)
        };
        self.push(header);
        self.push("\n");
        let indent = parent + 1 + self.pick(3);
        for _ in 0..self.pick(5) {
            match self.pick(6) {
                0 => self.push("\n"),
                1 => {
                    let n = indent + self.pick(3);
                    self.spaces(n);
                    self.push("\n");
                }
                2 => {
                    let n = indent + 1 + self.pick(2);
                    self.spaces(n);
                    self.push("more indented\n");
                }
                _ => {
                    self.spaces(indent);
                    let w = self.word();
                    self.push(w);
                    self.push("\n");
                }
            }
        }
    }

    /// Random edits: a deleted range or an inserted token.
    fn edit(&mut self) {
        for _ in 0..self.pick(4) {
            let len = self.out.len();
            let at = self.pick(len + 1);
            if !self.out.is_char_boundary(at) {
                continue;
            }
            if self.chance(40) {
                let end = (at + 1 + self.pick(3)).min(len);
                if self.out.is_char_boundary(end) {
                    self.out.replace_range(at..end, "");
                }
            } else {
                let token = self.one(EDITS);
                self.out.insert_str(at, token);
            }
        }
    }
}

fn written(choices: &[u8], edited: bool) -> String {
    let mut writer = Writer {
        choices,
        next: 0,
        out: String::new(),
    };
    writer.stream();
    if edited {
        writer.edit();
    }
    writer.out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_streams_read_the_same_or_fall_back(
        choices in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let text = written(&choices, false);
        check(&text, &Limits::default());
    }

    #[test]
    fn edited_streams_read_the_same_or_fall_back(
        choices in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let text = written(&choices, true);
        check(&text, &Limits::default());
    }
}

#[test]
fn most_generated_streams_take_the_fast_path() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut random_choices = || {
        (0..300)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect::<Vec<u8>>()
    };
    let runs = 3000;
    let (mut fast, mut flow_maps) = (0, 0);
    for _ in 0..runs {
        let text = written(&random_choices(), false);
        if check(&text, &Limits::default()) {
            fast += 1;
            let stream = parse_block_stream(&text, &Limits::default()).expect("read");
            flow_maps += usize::from(
                stream
                    .documents
                    .iter()
                    .any(|d| has_flow_entries(&text, &d.root)),
            );
        }
    }
    eprintln!(
        "fast path: {fast} of {runs} generated streams, {flow_maps} with flow mapping entries"
    );
    assert!(
        fast * 4 > runs,
        "only {fast} of {runs} generated streams took the fast path"
    );
    assert!(
        flow_maps * 30 > runs,
        "only {flow_maps} streams read flow mapping entries"
    );
}

/// Whether `node` holds a flow mapping with entries.
fn has_flow_entries(text: &str, node: &Node) -> bool {
    match &node.value {
        Value::Scalar(_) => false,
        Value::Seq(items) => items.iter().any(|n| has_flow_entries(text, n)),
        Value::Map(entries) => {
            (!entries.is_empty() && text.as_bytes()[node.span.start as usize] == b'{')
                || entries.iter().any(|e| has_flow_entries(text, &e.value))
        }
    }
}
