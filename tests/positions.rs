//! JSON pointers resolve to the right bytes, and those bytes to the right
//! line and column, on real manifests under `testdata/positions/`.
//!
//! Every expectation is a row of [`CASES`]: the file, the document, the
//! pointer, and the text, line and column of the key and of the value.
//! Texts are compared with `text[span]`, so a span that is one byte off or
//! that swallows a trailing comment fails; lines and columns come from the
//! file's [`LineIndex`](plimsoll::source::LineIndex) through [`SourceFile`]
//! (1-based, columns in Unicode scalar values, a leading BOM taking none).
//!
//! Spans are over the raw source: quotes, escapes, a block scalar's header
//! (`|2-`) and a node's anchor or tag are part of it; blanks, comments and a
//! block scalar's trailing line breaks are not.
//!
//! Aliases: the node an alias stands for takes the alias's span (`*labels`),
//! while the nodes *inside* it keep the spans they have under the anchor, so
//! a pointer through an alias (or through a `<<` merge key) lands on the
//! anchored text, which may be far above the pointer's own path.

use std::path::PathBuf;

use plimsoll::source::discover::Input;
use plimsoll::source::{SourceFile, TextRange, load};
use plimsoll::yaml::Node;
use plimsoll::yaml::parse::{Limits, Stream, parse_stream};
use plimsoll::yaml::pointer::{Pointer, Resolution, resolve};

/// Text, 1-based line and 1-based column of a span's start.
type At = (&'static str, u32, u32);

struct Case {
    file: &'static str,
    doc: usize,
    pointer: &'static str,
    /// Whether the whole pointer exists.
    exact: bool,
    key: Option<At>,
    value: At,
}

/// A pointer that exists.
const fn at(
    file: &'static str,
    doc: usize,
    pointer: &'static str,
    key: Option<At>,
    value: At,
) -> Case {
    Case {
        file,
        doc,
        pointer,
        exact: true,
        key,
        value,
    }
}

/// A pointer that does not exist: `key` and `value` are the nearest existing
/// ancestor's.
const fn missing(
    file: &'static str,
    doc: usize,
    pointer: &'static str,
    key: Option<At>,
    value: At,
) -> Case {
    Case {
        file,
        doc,
        pointer,
        exact: false,
        key,
        value,
    }
}

const CASES: &[Case] = &[
    // Multi-document stream; comments before documents, between keys and
    // after values; a blank line inside a mapping.
    at(
        "multi-doc.yaml",
        0,
        "/metadata/name",
        Some(("name", 5, 3)),
        ("shop", 5, 9),
    ),
    at(
        "multi-doc.yaml",
        1,
        "/data/LOG_LEVEL",
        Some(("LOG_LEVEL", 13, 3)),
        ("info", 13, 14),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/kind",
        Some(("kind", 17, 1)),
        ("Deployment", 17, 7),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/spec/replicas",
        Some(("replicas", 25, 3)),
        ("3", 25, 13),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/spec/template/spec/containers/0/image",
        Some(("image", 39, 11)),
        ("registry.example.com/shop/web:1.4.2", 39, 18),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/spec/template/spec/containers/1/image",
        Some(("image", 44, 11)),
        ("envoyproxy/envoy:v1.29.1", 44, 18),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/spec/template/spec/containers/0/ports/0/containerPort",
        Some(("containerPort", 41, 15)),
        ("8080", 41, 30),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/spec/template/spec/containers/1",
        None,
        (
            "name: sidecar\n          image: envoyproxy/envoy:v1.29.1",
            43,
            11,
        ),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/metadata/labels",
        Some(("labels", 22, 3)),
        ("app: web", 23, 5),
    ),
    at(
        "multi-doc.yaml",
        2,
        "/spec/selector",
        Some(("selector", 26, 3)),
        ("matchLabels:\n      app: web", 27, 5),
    ),
    // Missing fields fall back to the nearest ancestor that exists.
    missing(
        "multi-doc.yaml",
        2,
        "/spec/template/metadata/annotations/owner",
        Some(("metadata", 31, 5)),
        ("labels:\n        app: web", 32, 7),
    ),
    missing(
        "multi-doc.yaml",
        2,
        "/spec/replicas/value",
        Some(("replicas", 25, 3)),
        ("3", 25, 13),
    ),
    missing(
        "multi-doc.yaml",
        2,
        "/spec/template/spec/containers/1/ports/0",
        None,
        (
            "name: sidecar\n          image: envoyproxy/envoy:v1.29.1",
            43,
            11,
        ),
    ),
    missing(
        "multi-doc.yaml",
        2,
        "/spec/selector/matchLabels/tier",
        Some(("matchLabels", 27, 5)),
        ("app: web", 28, 7),
    ),
    missing(
        "multi-doc.yaml",
        0,
        "/spec",
        None,
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop",
            2,
            1,
        ),
    ),
    // Anchors, aliases and merge keys.
    at(
        "anchors.yaml",
        0,
        "/metadata/labels",
        Some(("labels", 5, 3)),
        (
            "&labels\n    app.kubernetes.io/name: api\n    tier: backend",
            5,
            11,
        ),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/selector/matchLabels",
        Some(("matchLabels", 10, 5)),
        ("*labels", 10, 18),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/selector/matchLabels/tier",
        Some(("tier", 7, 5)),
        ("backend", 7, 11),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/metadata/labels/app.kubernetes.io~1name",
        Some(("app.kubernetes.io/name", 6, 5)),
        ("api", 6, 29),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/1/name",
        Some(("name", 22, 11)),
        ("api-worker", 22, 17),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/1/image",
        Some(("image", 18, 11)),
        ("example/api:2.0", 18, 18),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/1/resources/limits/cpu",
        Some(("cpu", 20, 22)),
        ("500m", 20, 27),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/1/args/0",
        None,
        ("--worker", 23, 18),
    ),
    missing(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/1/<<",
        None,
        (
            "<<: *container\n          name: api-worker\n          args: [--worker]",
            21,
            11,
        ),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/2/resources",
        Some(("resources", 26, 11)),
        ("*resources", 26, 22),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/2/resources/limits/memory",
        Some(("memory", 20, 33)),
        ("256Mi", 20, 41),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/2/image",
        Some(("image", 25, 11)),
        ("&image example/api:2.0", 25, 18),
    ),
    at(
        "anchors.yaml",
        0,
        "/spec/template/spec/containers/2/env/0/value",
        Some(("value", 29, 15)),
        ("*image", 29, 22),
    ),
    // Flow collections, on one line and over several.
    at(
        "flow.yaml",
        0,
        "/metadata",
        Some(("metadata", 3, 1)),
        (
            "{name: web, namespace: shop, labels: {app: web, tier: frontend}}",
            3,
            11,
        ),
    ),
    at(
        "flow.yaml",
        0,
        "/metadata/labels",
        Some(("labels", 3, 40)),
        ("{app: web, tier: frontend}", 3, 48),
    ),
    at(
        "flow.yaml",
        0,
        "/metadata/labels/tier",
        Some(("tier", 3, 59)),
        ("frontend", 3, 65),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/ports/1/targetPort",
        Some(("targetPort", 6, 78)),
        ("8443", 6, 90),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/ports/1",
        None,
        ("{name: https, port: 443, targetPort: 8443}", 6, 53),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/externalIPs",
        Some(("externalIPs", 8, 3)),
        ("[ \"198.51.100.7\" , '203.0.113.9' ]", 8, 16),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/externalIPs/0",
        None,
        ("\"198.51.100.7\"", 8, 18),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/externalIPs/1",
        None,
        ("'203.0.113.9'", 8, 35),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/sessionAffinityConfig",
        Some(("sessionAffinityConfig", 9, 3)),
        ("{clientIP: {timeoutSeconds: 10800}}", 9, 26),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/sessionAffinityConfig/clientIP/timeoutSeconds",
        Some(("timeoutSeconds", 9, 38)),
        ("10800", 9, 54),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/loadBalancerSourceRanges",
        Some(("loadBalancerSourceRanges", 10, 3)),
        ("[\n    10.0.0.0/8,\n    192.168.0.0/16,\n  ]", 10, 29),
    ),
    at(
        "flow.yaml",
        0,
        "/spec/loadBalancerSourceRanges/1",
        None,
        ("192.168.0.0/16", 12, 5),
    ),
    // Block scalars: the span runs from the header to the last content
    // character, without the trailing line breaks.
    at(
        "block-scalars.yaml",
        0,
        "/data/entrypoint.sh",
        Some(("entrypoint.sh", 6, 3)),
        (
            "|\n    #!/bin/sh\n    set -eu\n    exec /app/server --port \"${PORT}\"",
            6,
            18,
        ),
    ),
    at(
        "block-scalars.yaml",
        0,
        "/data/motd",
        Some(("motd", 11, 3)),
        (">\n    Welcome to the shop.\n    Please behave.", 11, 9),
    ),
    at(
        "block-scalars.yaml",
        0,
        "/data/banner.txt",
        Some(("banner.txt", 14, 3)),
        ("|-\n    ==== shop ====", 14, 15),
    ),
    at(
        "block-scalars.yaml",
        0,
        "/data/indented.py",
        Some(("indented.py", 16, 3)),
        (
            "|2\n      print(\"indented by four\")\n    print(\"by two\")",
            16,
            16,
        ),
    ),
    at(
        "block-scalars.yaml",
        0,
        "/data/folded-keep",
        Some(("folded-keep", 19, 3)),
        (">+\n    keeps trailing newlines", 19, 16),
    ),
    at(
        "block-scalars.yaml",
        0,
        "/data/after",
        Some(("after", 24, 3)),
        ("done", 24, 10),
    ),
    at(
        "block-scalars.yaml",
        0,
        "/data/strip-with-comment",
        Some(("strip-with-comment", 25, 3)),
        ("|- # header comment\n    last", 25, 23),
    ),
    // Quoted keys and values: spans include the quotes and the escapes as
    // written, and stop at the closing quote.
    at(
        "quoted.yaml",
        0,
        "/metadata/name",
        Some(("name", 4, 3)),
        ("\"quoted\"", 4, 9),
    ),
    at(
        "quoted.yaml",
        0,
        "/metadata/annotations/example.com~1description",
        Some(("\"example.com/description\"", 6, 5)),
        ("\"Caf\\u00e9 \\\"menu\\\"\\tv2\"", 6, 32),
    ),
    at(
        "quoted.yaml",
        0,
        "/metadata/annotations/example.com~1owner",
        Some(("'example.com/owner'", 7, 5)),
        ("'O''Brien'", 7, 26),
    ),
    at(
        "quoted.yaml",
        0,
        "/data/port",
        Some(("\"port\"", 9, 3)),
        ("\"8080\"", 9, 11),
    ),
    at(
        "quoted.yaml",
        0,
        "/data/enabled",
        Some(("'enabled'", 10, 3)),
        ("'yes'", 10, 14),
    ),
    at(
        "quoted.yaml",
        0,
        "/data/multi",
        Some(("\"multi\"", 11, 3)),
        ("\"first\n    second\"", 11, 12),
    ),
    at(
        "quoted.yaml",
        0,
        "/data/empty",
        Some(("empty", 13, 3)),
        ("\"\"", 13, 10),
    ),
    at(
        "quoted.yaml",
        0,
        "/data/tagged",
        Some(("tagged", 14, 3)),
        ("!!str 0755", 14, 11),
    ),
    at(
        "quoted.yaml",
        0,
        "/data/number",
        Some(("number", 15, 3)),
        ("!!int \"12\"", 15, 11),
    ),
    // Non-ASCII text before the target, on earlier lines and on the same
    // line; tabs inside values.
    at(
        "unicode.yaml",
        0,
        "/metadata/annotations/owner",
        Some(("owner", 7, 5)),
        ("\"José\"", 7, 12),
    ),
    at(
        "unicode.yaml",
        0,
        "/data/日本語",
        Some(("日本語", 9, 3)),
        ("こんにちは", 9, 8),
    ),
    at(
        "unicode.yaml",
        0,
        "/data/emoji",
        Some(("emoji", 10, 3)),
        ("\"🚀🚀\"", 10, 10),
    ),
    at(
        "unicode.yaml",
        0,
        "/data/mixed/ключ",
        Some(("ключ", 11, 11)),
        ("\"значение\"", 11, 17),
    ),
    at(
        "unicode.yaml",
        0,
        "/data/mixed/🔑",
        Some(("\"🔑\"", 11, 29)),
        ("値", 11, 34),
    ),
    at(
        "unicode.yaml",
        0,
        "/data/après",
        Some(("après", 12, 3)),
        ("🚀 launch", 12, 10),
    ),
    at(
        "unicode.yaml",
        0,
        "/data/tabbed",
        Some(("tabbed", 13, 3)),
        ("\"a\\tb\"", 13, 11),
    ),
    at(
        "unicode.yaml",
        0,
        "/data/tab-in-plain",
        Some(("tab-in-plain", 14, 3)),
        ("a\tb\tc", 14, 17),
    ),
    // Keys with `/` and `~`, escaped as `~1` and `~0` in pointers.
    at(
        "labels.yaml",
        0,
        "/metadata/labels/app.kubernetes.io~1name",
        Some(("app.kubernetes.io/name", 6, 5)),
        ("shop", 6, 29),
    ),
    at(
        "labels.yaml",
        0,
        "/metadata/labels/app.kubernetes.io~1part-of",
        Some(("app.kubernetes.io/part-of", 7, 5)),
        ("shop", 7, 32),
    ),
    at(
        "labels.yaml",
        0,
        "/metadata/annotations/example.com~1path~0with~0tilde",
        Some(("example.com/path~with~tilde", 9, 5)),
        ("\"yes\"", 9, 34),
    ),
    at(
        "labels.yaml",
        0,
        "/metadata/annotations/a~1b~0c~1d",
        Some(("a/b~c/d", 10, 5)),
        ("plain", 10, 14),
    ),
    // Unescaped, `app.kubernetes.io/name` is two segments that do not exist.
    missing(
        "labels.yaml",
        0,
        "/metadata/labels/app.kubernetes.io/name",
        Some(("labels", 5, 3)),
        (
            "app.kubernetes.io/name: shop\n    app.kubernetes.io/part-of: shop",
            6,
            5,
        ),
    ),
    // A `kind: List`.
    at(
        "list.yaml",
        0,
        "/items/1/kind",
        Some(("kind", 12, 5)),
        ("Deployment", 12, 11),
    ),
    at(
        "list.yaml",
        0,
        "/items/0/spec/ports/0/port",
        Some(("port", 10, 11)),
        ("80", 10, 17),
    ),
    at(
        "list.yaml",
        0,
        "/items/1/spec/template/spec/containers/0/image",
        Some(("image", 20, 15)),
        ("nginx:1.25", 20, 22),
    ),
    missing(
        "list.yaml",
        0,
        "/items/2/kind",
        Some(("items", 3, 1)),
        (
            "- apiVersion: v1\n    kind: Service\n    metadata:\n      name: web\n    spec:\n      ports:\n        - port: 80\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      template:\n        spec:\n          containers:\n            - name: web\n              image: nginx:1.25",
            4,
            3,
        ),
    ),
    // JSON, read by the same parser.
    at(
        "deployment.json",
        0,
        "/spec/replicas",
        Some(("\"replicas\"", 9, 5)),
        ("2", 9, 17),
    ),
    at(
        "deployment.json",
        0,
        "/spec/paused",
        Some(("\"paused\"", 10, 5)),
        ("false", 10, 16),
    ),
    at(
        "deployment.json",
        0,
        "/spec/template/spec/containers/0/image",
        Some(("\"image\"", 16, 13)),
        ("\"nginx:1.25\"", 16, 22),
    ),
    at(
        "deployment.json",
        0,
        "/spec/template/spec/containers/0/ports/1",
        None,
        ("{\"containerPort\": 443}", 17, 46),
    ),
    at(
        "deployment.json",
        0,
        "/metadata/labels/app.kubernetes.io~1name",
        Some(("\"app.kubernetes.io/name\"", 6, 16)),
        ("\"web\"", 6, 42),
    ),
    missing(
        "deployment.json",
        0,
        "/spec/template/spec/containers/0/resources/limits",
        None,
        (
            "{\n            \"name\": \"web\",\n            \"image\": \"nginx:1.25\",\n            \"ports\": [{\"containerPort\": 80}, {\"containerPort\": 443}]\n          }",
            14,
            11,
        ),
    ),
    // CRLF line endings: spans keep the `\r\n` they cover.
    at(
        "windows.crlf.yaml",
        0,
        "/metadata/name",
        Some(("name", 4, 3)),
        ("windows", 4, 9),
    ),
    at(
        "windows.crlf.yaml",
        0,
        "/data/script.ps1",
        Some(("script.ps1", 6, 3)),
        ("|\r\n    Write-Host \"hello\"\r\n    exit 0", 6, 15),
    ),
    at(
        "windows.crlf.yaml",
        0,
        "/data/quoted",
        Some(("'quoted'", 9, 3)),
        ("\"value\"", 9, 13),
    ),
    at(
        "windows.crlf.yaml",
        0,
        "/data/level",
        Some(("level", 10, 3)),
        ("warn", 10, 10),
    ),
    // Lone CR line endings (classic Mac OS).
    at(
        "classic-mac.cr.yaml",
        0,
        "/metadata/name",
        Some(("name", 4, 3)),
        ("classic-mac", 4, 9),
    ),
    at(
        "classic-mac.cr.yaml",
        0,
        "/data/note",
        Some(("note", 6, 3)),
        ("|\r    line one\r    line two", 6, 9),
    ),
    at(
        "classic-mac.cr.yaml",
        0,
        "/data/level",
        Some(("level", 9, 3)),
        ("debug", 9, 10),
    ),
    // A UTF-8 byte order mark: three bytes, no column.
    at(
        "bom.yaml",
        0,
        "/apiVersion",
        Some(("apiVersion", 1, 1)),
        ("v1", 1, 13),
    ),
    at(
        "bom.yaml",
        0,
        "/metadata/labels/team",
        Some(("team", 5, 12)),
        ("platform", 5, 18),
    ),
    at(
        "bom.yaml",
        0,
        "",
        None,
        (
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bom\n  labels: {team: platform}",
            1,
            1,
        ),
    ),
];

struct Fixture {
    source: SourceFile,
    stream: Stream,
}

impl Fixture {
    fn load(name: &str) -> Self {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/positions")
            .join(name);
        let mut input = Input::File {
            path: path.clone(),
            explicit: true,
        };
        let text = load::take(&mut input, 1 << 20).unwrap_or_else(|e| panic!("{name}: {e}"));
        let stream = parse_stream(&text, &Limits::default());
        assert!(
            stream.problems.is_empty(),
            "{name}: unexpected problems: {:?}",
            stream.problems
        );
        Self {
            source: SourceFile::new(path, text),
            stream,
        }
    }

    fn root(&self, doc: usize) -> &Node {
        &self
            .stream
            .documents
            .iter()
            .find(|d| d.index == doc)
            .unwrap_or_else(|| panic!("{}: no document {doc}", self.source.display_path()))
            .root
    }

    fn resolve(&self, doc: usize, pointer: &str) -> Resolution {
        resolve(self.root(doc), &Pointer::parse(pointer))
    }

    fn text(&self, range: TextRange) -> &str {
        &self.source.text[range.start as usize..range.end as usize]
    }

    /// What a span shows: its text and the line and column of its start.
    fn show(&self, range: TextRange) -> (String, u32, u32) {
        let at = self.source.line_col(range.start);
        (self.text(range).to_owned(), at.line, at.column)
    }
}

fn owned(at: At) -> (String, u32, u32) {
    (at.0.to_owned(), at.1, at.2)
}

#[test]
fn pointers_resolve_to_the_expected_key_and_value_spans() {
    let mut failures = Vec::new();
    let mut fixtures = std::collections::HashMap::new();
    for case in CASES {
        let fixture = fixtures
            .entry(case.file)
            .or_insert_with(|| Fixture::load(case.file));
        let r = fixture.resolve(case.doc, case.pointer);
        let key = r.key.map(|k| fixture.show(k));
        let value = fixture.show(r.value);
        let expected_key = case.key.map(owned);
        let expected_value = owned(case.value);
        if r.exact != case.exact || key != expected_key || value != expected_value {
            failures.push(format!(
                "{} doc {} {}:\n  expected exact={} key={expected_key:?} value={expected_value:?}\n  \
                 found    exact={} key={key:?} value={value:?}",
                case.file, case.doc, case.pointer, case.exact, r.exact
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_is_covered_by_the_table() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/positions");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with('.') {
            continue;
        }
        assert!(
            CASES.iter().any(|c| c.file == name),
            "{name} has no case in CASES"
        );
    }
}

#[test]
fn the_third_document_is_the_one_pointed_into() {
    let f = Fixture::load("multi-doc.yaml");
    let indices: Vec<usize> = f.stream.documents.iter().map(|d| d.index).collect();
    assert_eq!(indices, [0, 1, 2]);
    let kinds: Vec<&str> = f
        .stream
        .documents
        .iter()
        .map(|d| d.root.get("kind").and_then(Node::as_str).unwrap())
        .collect();
    assert_eq!(kinds, ["Namespace", "ConfigMap", "Deployment"]);
    // The same pointer lands in each document's own bytes.
    let names: Vec<(String, u32, u32)> = [0, 1, 2]
        .iter()
        .map(|&doc| f.show(f.resolve(doc, "/metadata/name").value))
        .collect();
    assert_eq!(
        names,
        [
            ("shop".to_owned(), 5, 9),
            ("shop-config".to_owned(), 10, 9),
            ("web".to_owned(), 19, 9)
        ]
    );
}

#[test]
fn primary_underlines_key_and_value_of_a_scalar_and_the_key_of_anything_else() {
    let f = Fixture::load("multi-doc.yaml");
    let primary = |doc, pointer| f.show(f.resolve(doc, pointer).primary());
    // A scalar that exists: `key: value`, the comment after it left out.
    assert_eq!(
        primary(1, "/data/LOG_LEVEL"),
        ("LOG_LEVEL: info".to_owned(), 13, 3)
    );
    // A collection: its key only.
    assert_eq!(
        primary(2, "/spec/template/spec/containers"),
        ("containers".to_owned(), 36, 7)
    );
    // Missing fields: the nearest existing ancestor's key.
    assert_eq!(
        primary(2, "/spec/template/spec/securityContext/runAsNonRoot"),
        ("spec".to_owned(), 34, 5)
    );
    assert_eq!(
        primary(2, "/spec/template/spec/containers/9"),
        ("containers".to_owned(), 36, 7)
    );
    assert_eq!(
        primary(2, "/spec/template/spec/containers/first"),
        ("containers".to_owned(), 36, 7)
    );
    // Below a scalar: the scalar's key alone, since the scalar is not the target.
    assert_eq!(
        primary(2, "/spec/replicas/value"),
        ("replicas".to_owned(), 25, 3)
    );
    // Missing at the top: the whole document, from its first key.
    let (text, line, column) = primary(2, "/status");
    assert!(
        text.starts_with("apiVersion: apps/v1\nkind: Deployment"),
        "{text}"
    );
    assert!(text.ends_with("envoyproxy/envoy:v1.29.1"), "{text}");
    assert_eq!((line, column), (16, 1));
    // A sequence item has no key: the item itself.
    let r = f.resolve(2, "/spec/template/spec/containers/1/resources");
    assert!(!r.exact);
    assert_eq!(r.key, None);
    assert_eq!(
        f.show(r.primary()),
        (
            "name: sidecar\n          image: envoyproxy/envoy:v1.29.1".to_owned(),
            43,
            11
        )
    );
}

#[test]
fn primary_of_block_and_quoted_scalars_stops_at_their_last_character() {
    let f = Fixture::load("block-scalars.yaml");
    let (text, line, column) = f.show(f.resolve(0, "/data/entrypoint.sh").primary());
    assert_eq!(
        text,
        "entrypoint.sh: |\n    #!/bin/sh\n    set -eu\n    exec /app/server --port \"${PORT}\""
    );
    assert_eq!((line, column), (6, 3));
    let end = f.resolve(0, "/data/entrypoint.sh").primary().end;
    let end = f.source.line_col(end);
    assert_eq!((end.line, end.column), (9, 38));

    let q = Fixture::load("quoted.yaml");
    assert_eq!(
        q.show(
            q.resolve(0, "/metadata/annotations/example.com~1owner")
                .primary()
        ),
        ("'example.com/owner': 'O''Brien'".to_owned(), 7, 5)
    );
}

#[test]
fn pointers_built_with_child_match_the_escaped_table_entries() {
    let f = Fixture::load("labels.yaml");
    let root = f.root(0);
    let built = Pointer::root()
        .child("metadata")
        .child("annotations")
        .child("example.com/path~with~tilde");
    assert_eq!(
        built.as_str(),
        "/metadata/annotations/example.com~1path~0with~0tilde"
    );
    assert_eq!(
        resolve(root, &built),
        f.resolve(0, "/metadata/annotations/example.com~1path~0with~0tilde")
    );
    let joined = Pointer::root()
        .join("spec/containers")
        .child(0)
        .child("image");
    assert_eq!(f.text(resolve(root, &joined).value), "nginx:1.25");
}

#[test]
fn scalar_contents_are_unescaped_folded_and_chomped() {
    let text_at = |f: &Fixture, pointer: &str| {
        f.root(0)
            .pointer(&Pointer::parse(pointer))
            .and_then(Node::scalar_text)
            .unwrap_or_else(|| panic!("{pointer}"))
            .to_owned()
    };
    let b = Fixture::load("block-scalars.yaml");
    assert_eq!(
        text_at(&b, "/data/entrypoint.sh"),
        "#!/bin/sh\nset -eu\nexec /app/server --port \"${PORT}\"\n"
    );
    assert_eq!(
        text_at(&b, "/data/motd"),
        "Welcome to the shop. Please behave.\n"
    );
    assert_eq!(text_at(&b, "/data/banner.txt"), "==== shop ====");
    assert_eq!(
        text_at(&b, "/data/indented.py"),
        "  print(\"indented by four\")\nprint(\"by two\")\n"
    );
    assert_eq!(
        text_at(&b, "/data/folded-keep"),
        "keeps trailing newlines\n\n\n"
    );
    assert_eq!(text_at(&b, "/data/strip-with-comment"), "last");

    let q = Fixture::load("quoted.yaml");
    assert_eq!(
        text_at(&q, "/metadata/annotations/example.com~1description"),
        "Café \"menu\"\tv2"
    );
    assert_eq!(
        text_at(&q, "/metadata/annotations/example.com~1owner"),
        "O'Brien"
    );
    assert_eq!(text_at(&q, "/data/multi"), "first second");
    assert_eq!(text_at(&q, "/data/empty"), "");

    let u = Fixture::load("unicode.yaml");
    assert_eq!(text_at(&u, "/data/tabbed"), "a\tb");
    assert_eq!(text_at(&u, "/data/tab-in-plain"), "a\tb\tc");

    // Line breaks in content are `\n` whatever the file uses.
    let w = Fixture::load("windows.crlf.yaml");
    assert_eq!(
        text_at(&w, "/data/script.ps1"),
        "Write-Host \"hello\"\nexit 0\n"
    );
    let m = Fixture::load("classic-mac.cr.yaml");
    assert_eq!(text_at(&m, "/data/note"), "line one\nline two\n");
}

#[test]
fn fixtures_keep_their_line_endings_and_bom() {
    let raw = |name: &str| {
        std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("testdata/positions")
                .join(name),
        )
        .unwrap()
    };
    let crlf = raw("windows.crlf.yaml");
    let lf = crlf.iter().filter(|&&b| b == b'\n').count();
    let crlf_pairs = crlf.windows(2).filter(|w| w == b"\r\n").count();
    assert!(
        lf > 0 && lf == crlf_pairs,
        "windows.crlf.yaml lost its CRLFs"
    );
    let cr = raw("classic-mac.cr.yaml");
    assert!(cr.contains(&b'\r') && !cr.contains(&b'\n'));
    assert!(raw("bom.yaml").starts_with(b"\xEF\xBB\xBF"));
}

#[test]
fn aliases_copy_the_anchored_nodes_whole() {
    let f = Fixture::load("anchors.yaml");
    let root = f.root(0);
    let labels = root.pointer(&Pointer::parse("/metadata/labels")).unwrap();
    let alias = root
        .pointer(&Pointer::parse("/spec/template/metadata/labels"))
        .unwrap();
    // Same content, own root span, the anchor's spans below it.
    assert_eq!(alias.to_json(), labels.to_json());
    assert_eq!(f.text(alias.span), "*labels");
    assert_eq!(alias.as_map().unwrap(), labels.as_map().unwrap());
    // The merged container has the anchor's keys, its own `name` winning.
    let worker = root
        .pointer(&Pointer::parse("/spec/template/spec/containers/1"))
        .unwrap();
    let keys: Vec<&str> = worker
        .entries()
        .iter()
        .filter_map(|e| e.key.scalar_text())
        .collect();
    assert_eq!(keys, ["name", "args", "image", "resources"]);
}
