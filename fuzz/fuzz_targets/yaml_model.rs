//! The YAML model: bytes → tree → pointer lookups → scalar resolution.
//!
//! Besides "no panic, no hang", it checks invariants every rule relies on:
//! every span lies inside the text, and the pointer to every node resolves
//! exactly to that node.

#![no_main]

use libfuzzer_sys::fuzz_target;
use plimsoll::yaml::parse::{Limits, parse_stream};
use plimsoll::yaml::pointer::{Pointer, resolve};
use plimsoll::yaml::scalar::{self, ScalarStyle};
use plimsoll::yaml::{Node, Value};

const STYLES: [ScalarStyle; 5] = [
    ScalarStyle::Plain,
    ScalarStyle::SingleQuoted,
    ScalarStyle::DoubleQuoted,
    ScalarStyle::Literal,
    ScalarStyle::Folded,
];

const TAGS: [Option<&str>; 8] = [
    None,
    Some("!!str"),
    Some("!!int"),
    Some("!!float"),
    Some("!!bool"),
    Some("!!null"),
    Some("!!binary"),
    Some("!custom"),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let stream = parse_stream(text, &Limits::default());
    for problem in &stream.problems {
        assert!(problem.span.start <= problem.span.end);
        assert!(problem.span.end as usize <= text.len());
    }
    for document in &stream.documents {
        let root = &document.root;
        let _ = root.to_json();
        let _ = root.node_count();
        walk(text, root, root, &Pointer::root());
    }
    // Scalar resolution of the raw text, in every style and with every tag.
    for line in text.lines().take(64) {
        for style in STYLES {
            for tag in TAGS {
                let _ = scalar::resolve(line, style, tag);
            }
        }
        let _ = scalar::yaml12_differs(line);
        let _ = scalar::resolve_plain_12(line);
    }
});

fn walk(text: &str, root: &Node, node: &Node, pointer: &Pointer) {
    assert!(node.span.start <= node.span.end, "{:?}", node.span);
    assert!(node.span.end as usize <= text.len(), "{:?}", node.span);
    let found = resolve(root, pointer);
    assert!(found.exact, "{pointer} does not resolve");
    assert_eq!(found.value, node.span, "{pointer} resolves elsewhere");
    assert_eq!(root.pointer(pointer).map(|n| n.span), Some(node.span));
    match &node.value {
        Value::Scalar(s) => {
            let _ = s.to_json();
            let _ = s.json_key();
            let _ = scalar::resolve(&s.text, s.style, s.tag.as_deref().map(|t| t.as_str()));
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(text, root, item, &pointer.child(i));
            }
        }
        Value::Map(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                assert!(entry.key.span.end as usize <= text.len());
                let Some(key) = entry.key.scalar_text() else {
                    continue;
                };
                // Only the first entry with a given text is reachable by a
                // pointer (keys that differ in type, `1` and `"1"`, share it).
                if entries[..i].iter().any(|e| e.key.scalar_text() == Some(key)) {
                    continue;
                }
                walk(text, root, &entry.value, &pointer.child(key));
            }
        }
    }
}
