//! Checks positions on a real corpus: every finding's line and column match
//! its byte offset, and its span starts at the field its pointer names (or
//! at the nearest existing parent when the field is missing).
//!
//! The corpus is large, so this test is ignored by default. Run it with
//! `PLIMSOLL_CORPUS=../shared/corpus/real cargo test --release --test corpus -- --ignored`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use plimsoll::yaml::parse::{Limits, parse_stream};
use plimsoll::yaml::{Node, Pointer};
use serde_json::Value;

#[test]
#[ignore = "needs a corpus: set PLIMSOLL_CORPUS"]
fn positions_on_a_real_corpus() {
    let corpus = PathBuf::from(std::env::var("PLIMSOLL_CORPUS").expect("PLIMSOLL_CORPUS is set"));
    let output = Command::cargo_bin("plimsoll")
        .unwrap()
        .args(["lint", "--format", "json"])
        .arg(&corpus)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());

    let mut texts: HashMap<String, String> = HashMap::new();
    let mut checked = 0;
    for finding in findings {
        let file = finding["file"].as_str().unwrap();
        let text = texts
            .entry(file.to_owned())
            .or_insert_with(|| std::fs::read_to_string(file).unwrap_or_default());
        let start = finding["span"]["start"].as_u64().unwrap() as usize;
        let (line, column) = naive_line_col(text, start);
        assert_eq!(
            (line, column),
            (
                finding["start"]["line"].as_u64().unwrap() as usize,
                finding["start"]["column"].as_u64().unwrap() as usize
            ),
            "line and column of {finding}"
        );
        let Some(pointer) = finding["pointer"].as_str() else {
            continue;
        };
        if is_kustomization(file) {
            // The object a kustomization's generator makes is in no
            // document: its fields point at the item of the generator that
            // names them (`KEY=value`, a file, an env file), a list item.
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            let before = text[line_start..start].trim_start();
            assert!(
                before == "- " || before == "-" || before.ends_with(", ") || before.ends_with('['),
                "{file}:{line}:{column}: {pointer} should be at a generator's item, found {:?}",
                &text[line_start..text.len().min(start + 20)]
            );
            checked += 1;
            continue;
        }
        let document = finding["document"].as_u64().unwrap() as usize;
        let stream = parse_stream(text, &Limits::default());
        let root = &stream
            .documents
            .iter()
            .find(|d| d.index == document)
            .expect("the finding's document exists")
            .root;
        let object_root = object_root(root, finding);
        let (last_key, node) = deepest_existing(object_root, &Pointer::parse(pointer));
        let at = &text[start..];
        match last_key {
            Some(key) => assert!(
                at.starts_with(&key)
                    || at.starts_with(&format!("\"{key}\""))
                    || at.starts_with(&format!("'{key}'")),
                "{file}:{line}:{column}: span should start at key `{key}` of {pointer}, found {:?}",
                &at[..at.len().min(40)]
            ),
            None => assert_eq!(
                start, node.span.start as usize,
                "{file}:{line}:{column}: {pointer}"
            ),
        }
        checked += 1;
    }
    eprintln!("checked {checked} pointers in {} findings", findings.len());
}

/// Line and column counted the slow, obvious way.
fn naive_line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    let mut chars = text[..offset].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                column = 1;
            }
            _ => column += 1,
        }
    }
    (line, column)
}

/// The object's own root: the document, or the list item the object is.
fn object_root<'a>(root: &'a Node, finding: &Value) -> &'a Node {
    let kind = root
        .get("kind")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    if !kind.ends_with("List") {
        return root;
    }
    let object = &finding["object"];
    root.get("items")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .find(|item| {
            item.get("kind").and_then(Node::scalar_text) == object["kind"].as_str()
                && item.path("metadata/name").and_then(Node::scalar_text) == object["name"].as_str()
        })
        .unwrap_or(root)
}

/// The last mapping key on the existing part of `pointer`, and the node
/// reached (for pointers whose deepest existing step is a sequence item).
fn deepest_existing<'a>(root: &'a Node, pointer: &Pointer) -> (Option<String>, &'a Node) {
    let mut node = root;
    let mut key = None;
    for segment in pointer.segments() {
        let Some(next) = node.child(&segment) else {
            break;
        };
        key = node.as_map().map(|_| segment.into_owned());
        node = next;
    }
    (key, node)
}

fn is_kustomization(file: &str) -> bool {
    Path::new(file).file_name().is_some_and(|name| {
        plimsoll::kustomize::KUSTOMIZATION_NAMES
            .iter()
            .any(|k| name == *k)
    })
}
