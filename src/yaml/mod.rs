//! A YAML tree in which every node knows where it came from.
//!
//! Kubernetes reads manifests as YAML 1.1 (go-yaml v2 behind `sigs.k8s.io/yaml`),
//! so scalars are resolved the way the API server will see them, while the raw
//! text and quoting style are kept for rules that care about how a value was
//! written (see [`scalar`]). Spans are byte ranges into the source file; the
//! tree is built from a span-aware event parser in [`parse`], and JSON pointers
//! are resolved against it in [`pointer`](mod@pointer).

pub mod block;
pub mod data;
pub mod parse;
pub mod pointer;
pub mod scalar;

use compact_str::CompactString;

use crate::source::TextRange;
pub use pointer::Pointer;
pub use scalar::{Resolved, ScalarStyle};

/// A node of the tree: a value and the bytes it was written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node's text starts and ends (for a block collection, from its
    /// first to its last child).
    pub span: TextRange,
    /// What the node holds.
    pub value: Value,
}

/// The three kinds of YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar with its text and YAML 1.1 resolution.
    Scalar(Scalar),
    /// A sequence, in order.
    Seq(Vec<Node>),
    /// A mapping, in source order; duplicate keys are reported while parsing
    /// and only the last occurrence is kept, as Kubernetes does.
    Map(Vec<Entry>),
}

/// A key and its value in a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key node (almost always a string scalar in Kubernetes).
    pub key: Node,
    /// The value node.
    pub value: Node,
}

/// A scalar as written and as resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's content after unescaping and folding.
    pub text: CompactString,
    /// How the scalar was written.
    pub style: ScalarStyle,
    /// An explicit tag such as `!!str` or `!custom`, in its short form.
    /// Boxed: tags are rare, and a thin pointer keeps every node smaller.
    pub tag: Option<Box<CompactString>>,
    /// What Kubernetes will read this scalar as, short of a number's value
    /// (see `resolved`).
    reading: Reading,
}

/// A scalar's resolution without the value of a number, which is read
/// again from the text when asked for: keeping an `i64` or `f64` in every
/// scalar made every node a third larger, for the few that are numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Null,
    False,
    True,
    Int,
    Float,
    Str,
}

impl Node {
    /// The value of `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry for `key` when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .find(|e| e.key.scalar_text() == Some(key))
    }

    /// Follows a `/`-separated path of keys and sequence indices, unescaped
    /// (`spec/template/spec`); for keys containing `/` use [`Node::pointer`].
    pub fn path(&self, path: &str) -> Option<&Node> {
        path.split('/')
            .filter(|s| !s.is_empty())
            .try_fold(self, |node, seg| node.child(seg))
    }

    /// Follows an RFC 6901 JSON pointer.
    pub fn pointer(&self, pointer: &Pointer) -> Option<&Node> {
        pointer
            .segments()
            .try_fold(self, |node, seg| node.child(&seg))
    }

    /// One step down: a mapping key or a sequence index.
    pub fn child(&self, segment: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(_) => self.get(segment),
            Value::Seq(items) => items.get(segment.parse::<usize>().ok()?),
            Value::Scalar(_) => None,
        }
    }

    /// The entries, when this node is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, when this node is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The scalar, when this node is one.
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The text of any scalar, whatever it resolves to.
    pub fn scalar_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    /// The text of a scalar that Kubernetes reads as a string.
    pub fn as_str(&self) -> Option<&str> {
        let s = self.as_scalar()?;
        (s.reading == Reading::Str).then_some(s.text.as_str())
    }

    /// The value of a scalar that Kubernetes reads as a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_scalar()?.resolved() {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The value of a scalar that Kubernetes reads as an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self.as_scalar()?.resolved() {
            Resolved::Int(i) => Some(i),
            _ => None,
        }
    }

    /// Whether this node is an explicit or implicit null.
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(|s| s.reading == Reading::Null)
    }

    /// The items of the sequence under `key`, or nothing when the key is
    /// missing or not a sequence: `container.list("env")`.
    pub fn list(&self, key: &str) -> &[Node] {
        self.get(key).map(Node::items).unwrap_or_default()
    }

    /// The items of a sequence, or nothing for any other node; convenient
    /// where a missing list and an empty one mean the same.
    pub fn items(&self) -> &[Node] {
        self.as_seq().unwrap_or(&[])
    }

    /// The entries of a mapping, or nothing for any other node.
    pub fn entries(&self) -> &[Entry] {
        self.as_map().unwrap_or(&[])
    }

    /// Number of nodes in this subtree, this one included.
    pub fn node_count(&self) -> usize {
        1 + match &self.value {
            Value::Scalar(_) => 0,
            Value::Seq(items) => items.iter().map(Node::node_count).sum(),
            Value::Map(entries) => entries
                .iter()
                .map(|e| e.key.node_count() + e.value.node_count())
                .sum(),
        }
    }

    /// Converts to JSON, the form schema validation and user rules work on.
    /// Keys that are not strings are spelled as Kubernetes' YAML-to-JSON
    /// conversion (`sigs.k8s.io/yaml`) spells them: `yes:` becomes `"true"`,
    /// `0755:` becomes `"493"`; see [`Scalar::json_key`].
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Scalar(s) => s.to_json(),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|e| {
                    let key = e.key.as_scalar().map(Scalar::json_key).unwrap_or_default();
                    (key, e.value.to_json())
                })
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }
}

impl Scalar {
    /// A scalar of `text` written in `style` with `tag`, resolved as
    /// Kubernetes reads it.
    pub fn new(text: CompactString, style: ScalarStyle, tag: Option<Box<CompactString>>) -> Self {
        let reading = match scalar::resolve(&text, style, tag.as_deref().map(CompactString::as_str))
        {
            Resolved::Null => Reading::Null,
            Resolved::Bool(false) => Reading::False,
            Resolved::Bool(true) => Reading::True,
            Resolved::Int(_) => Reading::Int,
            Resolved::Float(_) => Reading::Float,
            Resolved::Str => Reading::Str,
        };
        Self {
            text,
            style,
            tag,
            reading,
        }
    }

    /// An empty plain scalar: a null.
    pub fn null() -> Self {
        Self {
            text: CompactString::default(),
            style: ScalarStyle::Plain,
            tag: None,
            reading: Reading::Null,
        }
    }

    /// Whether Kubernetes reads this scalar as a string or a null: what
    /// `resolved` tells, without reading a number again.
    pub fn is_string_or_null(&self) -> bool {
        matches!(self.reading, Reading::Str | Reading::Null)
    }

    /// What Kubernetes will read this scalar as.
    pub fn resolved(&self) -> Resolved {
        match self.reading {
            Reading::Null => Resolved::Null,
            Reading::False => Resolved::Bool(false),
            Reading::True => Resolved::Bool(true),
            Reading::Str => Resolved::Str,
            Reading::Int | Reading::Float => scalar::resolve(
                &self.text,
                self.style,
                self.tag.as_deref().map(CompactString::as_str),
            ),
        }
    }

    /// The JSON object key Kubernetes makes of this scalar when it is a
    /// mapping key. `sigs.k8s.io/yaml` (`convertToJSONableObject`) turns
    /// go-yaml's non-string keys into strings: booleans as `true`/`false`,
    /// integers in decimal, floats with Go's `FormatFloat(f, 'g', -1, 32)`.
    /// A null key is an error there; it is kept as its text here.
    pub fn json_key(&self) -> String {
        match self.resolved() {
            Resolved::Bool(b) => b.to_string(),
            Resolved::Int(i) => i.to_string(),
            Resolved::Float(f) => go_float32_g(f),
            Resolved::Null | Resolved::Str => self.text.to_string(),
        }
    }

    /// The JSON value Kubernetes would see.
    pub fn to_json(&self) -> serde_json::Value {
        match self.resolved() {
            Resolved::Null => serde_json::Value::Null,
            Resolved::Bool(b) => b.into(),
            Resolved::Int(i) => i.into(),
            Resolved::Float(f) => serde_json::Number::from_f64(f)
                .map_or_else(|| self.text.as_str().into(), Into::into),
            Resolved::Str => self.text.as_str().into(),
        }
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` with go-yaml's spellings of
/// the infinities and NaN: the shortest digits that identify the `float32`,
/// in exponent form (`1e+21`, `1e-05`) when the exponent is below -4 or at
/// least 21.
fn go_float32_g(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return ".nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let scientific = format!("{x:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` writes an integer exponent");
    if x != 0.0 && !(-4..21).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    } else {
        x.to_string()
    }
}

// Trees of large repositories hold millions of nodes; a larger node costs
// memory and time in every stage.
const _: () = assert!(size_of::<Node>() <= 48 && size_of::<Entry>() <= 96);
