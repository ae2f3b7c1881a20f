//! JSON pointers (RFC 6901) and how they map to source spans.
//!
//! Rules say *where* a problem is with a pointer such as
//! `/spec/template/spec/containers/0/image`; this module alone decides which
//! bytes that means, so every rule and every output format agree.

use std::borrow::Cow;
use std::fmt;

use super::{Node, Value};
use crate::source::TextRange;

/// An RFC 6901 JSON pointer, stored in its escaped form. The empty pointer
/// names the whole object.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document.
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Parses an escaped pointer such as `/metadata/labels/app.kubernetes.io~1name`.
    pub fn parse(escaped: &str) -> Self {
        Self(escaped.to_owned())
    }

    /// This pointer with one more segment, escaped as needed.
    pub fn child(&self, segment: impl Segment) -> Self {
        let mut out = String::with_capacity(self.0.len() + 16);
        out.push_str(&self.0);
        out.push('/');
        segment.push_to(&mut out);
        Self(out)
    }

    /// This pointer extended by a `/`-separated relative path whose segments
    /// need no escaping (`securityContext/privileged`).
    pub fn join(&self, relative: &str) -> Self {
        let mut out = Self(String::with_capacity(self.0.len() + relative.len() + 1));
        out.0.push_str(&self.0);
        out.push_path(relative);
        out
    }

    /// The root pointer with room for `capacity` bytes of segments, to be
    /// built in place.
    pub fn with_capacity(capacity: usize) -> Self {
        Self(String::with_capacity(capacity))
    }

    /// Appends one segment.
    pub fn push(&mut self, segment: impl Segment) {
        self.0.push('/');
        segment.push_to(&mut self.0);
    }

    /// Appends the segments of a `/`-separated relative path.
    pub fn push_path(&mut self, relative: &str) {
        for segment in relative.split('/').filter(|s| !s.is_empty()) {
            self.0.push('/');
            push_escaped(&mut self.0, segment);
        }
    }

    /// This pointer followed by `rest`, a pointer relative to it.
    pub fn concat(&self, rest: &Pointer) -> Self {
        Self(format!("{}{}", self.0, rest.0))
    }

    /// The unescaped segments.
    pub fn segments(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.0.split('/').skip(1).map(|seg| {
            if seg.contains('~') {
                Cow::Owned(seg.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(seg)
            }
        })
    }

    /// The escaped text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mapping key or a sequence index, as one segment of a [`Pointer`].
///
/// Rules build pointers for every container they look at, millions in a
/// run; a segment is written straight into the new pointer, without the
/// formatting machinery of `Display`, which cost five times more.
pub trait Segment {
    /// Appends the segment to `out`, escaped.
    fn push_to(&self, out: &mut String);
}

impl Segment for str {
    fn push_to(&self, out: &mut String) {
        push_escaped(out, self);
    }
}

impl Segment for String {
    fn push_to(&self, out: &mut String) {
        push_escaped(out, self);
    }
}

impl Segment for Cow<'_, str> {
    fn push_to(&self, out: &mut String) {
        push_escaped(out, self);
    }
}

impl Segment for usize {
    fn push_to(&self, out: &mut String) {
        let _ = fmt::Write::write_fmt(out, format_args!("{self}"));
    }
}

impl<T: Segment + ?Sized> Segment for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// Appends `segment` to `out` with `~` and `/` escaped (RFC 6901).
fn push_escaped(out: &mut String, segment: &str) {
    if memchr::memchr2(b'~', b'/', segment.as_bytes()).is_none() {
        out.push_str(segment);
        return;
    }
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a pointer lands in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    /// The span of the mapping key naming the node, when it is a map value.
    pub key: Option<TextRange>,
    /// The span of the node itself.
    pub value: TextRange,
    /// Whether the whole pointer exists; when it does not, `key` and `value`
    /// belong to the nearest existing ancestor.
    pub exact: bool,
    /// Whether the node found is a scalar.
    pub scalar: bool,
}

impl Resolution {
    /// The span a finding should underline: `key: value` for a scalar, the
    /// key alone for a collection (its body may span many lines), and the
    /// node itself where there is no key (a sequence item, the root).
    pub fn primary(&self) -> TextRange {
        match self.key {
            Some(key) if self.scalar && self.exact => key.cover(self.value),
            Some(key) => key,
            None => self.value,
        }
    }
}

/// Finds `pointer` under `root`, falling back to the nearest ancestor that
/// exists when the target is missing.
pub fn resolve(root: &Node, pointer: &Pointer) -> Resolution {
    let mut node = root;
    let mut key = None;
    for segment in pointer.segments() {
        let next = match &node.value {
            Value::Map(entries) => entries
                .iter()
                .find(|e| e.key.scalar_text() == Some(segment.as_ref()))
                .map(|e| (Some(e.key.span), &e.value)),
            Value::Seq(items) => segment
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|n| (None, n)),
            Value::Scalar(_) => None,
        };
        let Some((next_key, next_node)) = next else {
            return Resolution {
                key,
                value: node.span,
                exact: false,
                scalar: matches!(node.value, Value::Scalar(_)),
            };
        };
        key = next_key;
        node = next_node;
    }
    Resolution {
        key,
        value: node.span,
        exact: true,
        scalar: matches!(node.value, Value::Scalar(_)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse::{Limits, parse_stream};

    fn text_of(text: &str, range: TextRange) -> &str {
        &text[range.start as usize..range.end as usize]
    }

    #[test]
    fn escaping_round_trips() {
        let p = Pointer::root()
            .child("metadata")
            .child("labels")
            .child("a/b~c");
        assert_eq!(p.as_str(), "/metadata/labels/a~1b~0c");
        let segs: Vec<_> = p.segments().collect();
        assert_eq!(segs, ["metadata", "labels", "a/b~c"]);
    }

    #[test]
    fn resolves_keys_values_and_missing_fields() {
        let text = "spec:\n  containers:\n    - name: app\n      image: nginx\n";
        let root = &parse_stream(text, &Limits::default()).documents[0].root;
        let image = resolve(root, &Pointer::parse("/spec/containers/0/image"));
        assert!(image.exact);
        assert_eq!(text_of(text, image.key.unwrap()), "image");
        assert_eq!(text_of(text, image.value), "nginx");
        let missing = Pointer::parse("/spec/containers/0/resources/requests");
        let r = resolve(root, &missing);
        assert!(!r.exact);
        assert_eq!(r.key, None);
        assert!(text_of(text, r.primary()).starts_with("name: app"));
        let containers = Pointer::parse("/spec/containers");
        let c = resolve(root, &containers);
        assert_eq!(text_of(text, c.primary()), "containers");
    }
}
