//! Property tests over generated manifests (proptest):
//!
//! - the same tree written in different YAML styles (block or flow
//!   collections, JSON, plain, single- or double-quoted strings) gives the
//!   same findings;
//! - every finding's position lies inside its file, on character
//!   boundaries, and on the field its pointer names;
//! - the output is byte-for-byte the same for 1 and 4 threads.
//!
//! `PROPTEST_CASES=2000 cargo test --release --test properties` runs more
//! cases than the default 64.

use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;

use plimsoll::engine::{self, Options, Outcome};
use plimsoll::report::{self, Format};
use plimsoll::source::discover::Input;
use plimsoll::yaml::scalar::{self, Resolved};
use proptest::prelude::*;

/// A YAML value: what the generated manifests are made of.
#[derive(Debug, Clone)]
enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Seq(Vec<Val>),
    /// Keys are unique.
    Map(Vec<(String, Val)>),
}

fn map(entries: Vec<(&str, Val)>) -> Val {
    Val::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn s(text: &str) -> Val {
    Val::Str(text.to_owned())
}

fn unique<T>(entries: Vec<(String, T)>) -> Vec<(String, T)> {
    let mut seen = std::collections::BTreeSet::new();
    entries
        .into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .collect()
}

fn key() -> impl Strategy<Value = String> {
    "[a-z][a-zA-Z0-9]{0,7}"
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9][a-z0-9.-]{0,10}",
        // Text that only quoting keeps a string.
        Just("yes".to_owned()),
        Just("0755".to_owned()),
        Just("null".to_owned()),
        Just("1.5".to_owned()),
        "[ -~]{0,12}",
        "[a-zé日\\t\\n\"'\\\\:#-]{0,8}",
    ]
}

fn leaf() -> impl Strategy<Value = Val> {
    prop_oneof![
        Just(Val::Null),
        any::<bool>().prop_map(Val::Bool),
        (-100_000i64..100_000).prop_map(Val::Int),
        text().prop_map(Val::Str),
    ]
}

/// Any value, a few levels deep.
fn value() -> impl Strategy<Value = Val> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Val::Seq),
            prop::collection::vec((key(), inner), 0..4).prop_map(|e| Val::Map(unique(e))),
        ]
    })
}

fn container() -> impl Strategy<Value = Val> {
    (
        "[a-z]{1,6}",
        prop_oneof![
            Just("nginx".to_owned()),
            Just("nginx:latest".to_owned()),
            Just("busybox:1.36.1".to_owned())
        ],
        any::<bool>(),
        prop::option::of(-5i64..70_000),
        prop::option::of(1i64..70_000),
        prop::collection::vec((key(), text()), 0..3),
        prop::option::of(value()),
    )
        .prop_map(|(name, image, privileged, user, port, env, extra)| {
            let mut c = vec![
                ("name".to_owned(), Val::Str(name)),
                ("image".to_owned(), Val::Str(image)),
                (
                    "securityContext".to_owned(),
                    map(vec![("privileged", Val::Bool(privileged))]),
                ),
            ];
            if let (Some(user), Val::Map(sc)) = (user, &mut c[2].1) {
                sc.push(("runAsUser".to_owned(), Val::Int(user)));
            }
            if let Some(port) = port {
                c.push((
                    "ports".to_owned(),
                    Val::Seq(vec![map(vec![("containerPort", Val::Int(port))])]),
                ));
            }
            if !env.is_empty() {
                let env = unique(env)
                    .into_iter()
                    .map(|(n, v)| map(vec![("name", Val::Str(n)), ("value", Val::Str(v))]))
                    .collect();
                c.push(("env".to_owned(), Val::Seq(env)));
            }
            if let Some(extra) = extra {
                // An unknown field: schema findings at a generated position.
                c.push(("extraField".to_owned(), extra));
            }
            Val::Map(c)
        })
}

/// A Kubernetes object of a few kinds with generated content.
fn object() -> impl Strategy<Value = Val> {
    (
        0..3usize,
        "[a-z][a-z0-9-]{0,8}",
        prop::collection::vec((key(), text()), 0..3),
        prop::collection::vec(container(), 1..3),
        prop::collection::vec((key(), value()), 0..3),
    )
        .prop_map(|(kind, name, labels, containers, data)| {
            let metadata = map(vec![
                ("name", Val::Str(name)),
                ("namespace", s("shop")),
                (
                    "labels",
                    Val::Map(unique(
                        labels.into_iter().map(|(k, v)| (k, Val::Str(v))).collect(),
                    )),
                ),
            ]);
            let pod_spec = map(vec![("containers", Val::Seq(containers))]);
            match kind {
                0 => map(vec![
                    ("apiVersion", s("v1")),
                    ("kind", s("Pod")),
                    ("metadata", metadata),
                    ("spec", pod_spec),
                ]),
                1 => map(vec![
                    ("apiVersion", s("apps/v1")),
                    ("kind", s("Deployment")),
                    ("metadata", metadata),
                    (
                        "spec",
                        map(vec![
                            ("replicas", Val::Int(2)),
                            (
                                "selector",
                                map(vec![("matchLabels", map(vec![("app", s("web"))]))]),
                            ),
                            (
                                "template",
                                map(vec![
                                    (
                                        "metadata",
                                        map(vec![("labels", map(vec![("app", s("web"))]))]),
                                    ),
                                    ("spec", pod_spec),
                                ]),
                            ),
                        ]),
                    ),
                ]),
                _ => map(vec![
                    ("apiVersion", s("v1")),
                    ("kind", s("ConfigMap")),
                    ("metadata", metadata),
                    ("data", Val::Map(unique(data))),
                ]),
            }
        })
}

/// How strings are written.
#[derive(Debug, Clone, Copy)]
enum Quoting {
    /// Plain where that keeps the value a string, else double-quoted.
    Plain,
    /// Single-quoted where possible, else double-quoted.
    Single,
    Double,
}

fn plain_is_safe(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'/'))
        && !text.starts_with(['-', '.'])
        && scalar::resolve(text, scalar::ScalarStyle::Plain, None) == Resolved::Str
        && scalar::yaml12_differs(text).is_none()
}

fn string(text: &str, quoting: Quoting) -> String {
    let printable = text.chars().all(|c| !c.is_control());
    match quoting {
        Quoting::Plain if plain_is_safe(text) => text.to_owned(),
        Quoting::Single if printable => format!("'{}'", text.replace('\'', "''")),
        _ => serde_json::to_string(text).unwrap(),
    }
}

fn scalar_text(v: &Val, quoting: Quoting) -> Option<String> {
    Some(match v {
        Val::Null => "null".to_owned(),
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Str(t) => string(t, quoting),
        Val::Seq(_) | Val::Map(_) => return None,
    })
}

fn flow(v: &Val, q: Quoting) -> String {
    if let Some(t) = scalar_text(v, q) {
        return t;
    }
    match v {
        Val::Seq(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| flow(i, q))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Val::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}: {}", string(k, q), flow(v, q)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => unreachable!(),
    }
}

/// Block collections at `indent`; `out` ends with a line break.
fn block(v: &Val, q: Quoting, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Val::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                out.push_str(&format!("{pad}{}:", string(k, q)));
                block_value(v, q, indent, out);
            }
        }
        Val::Seq(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                block_value(item, q, indent, out);
            }
        }
        _ => out.push_str(&format!("{pad}{}\n", flow(v, q))),
    }
}

fn block_value(v: &Val, q: Quoting, indent: usize, out: &mut String) {
    match v {
        Val::Map(e) if !e.is_empty() => {
            out.push('\n');
            block(v, q, indent + 2, out);
        }
        Val::Seq(i) if !i.is_empty() => {
            out.push('\n');
            block(v, q, indent + 2, out);
        }
        _ => out.push_str(&format!(" {}\n", flow(v, q))),
    }
}

fn to_json(v: &Val) -> serde_json::Value {
    match v {
        Val::Null => serde_json::Value::Null,
        Val::Bool(b) => (*b).into(),
        Val::Int(i) => (*i).into(),
        Val::Str(t) => t.as_str().into(),
        Val::Seq(items) => items.iter().map(to_json).collect(),
        Val::Map(e) => e
            .iter()
            .map(|(k, v)| (k.clone(), to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// Every way of writing `v` as a document.
fn renderings(v: &Val) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, q) in [
        ("plain", Quoting::Plain),
        ("single", Quoting::Single),
        ("double", Quoting::Double),
    ] {
        let mut text = String::new();
        block(v, q, 0, &mut text);
        out.push((format!("block/{name}"), text));
        out.push((format!("flow/{name}"), flow(v, q) + "\n"));
    }
    out.push((
        "json".to_owned(),
        serde_json::to_string_pretty(&to_json(v)).unwrap() + "\n",
    ));
    out
}

fn lint(files: Vec<(String, String)>) -> Outcome {
    let inputs = files
        .into_iter()
        .map(|(name, text)| Input::Memory {
            name: PathBuf::from(name),
            text,
        })
        .collect();
    engine::run(
        inputs,
        Vec::new(),
        &Options::default(),
        &AtomicUsize::new(0),
    )
}

/// What a finding says, without where.
fn meaning(outcome: &Outcome) -> Vec<String> {
    let mut out: Vec<String> = outcome
        .findings
        .iter()
        .map(|f| {
            let pointer = f.location.pointer.as_ref().map(|p| p.to_string());
            format!(
                "{} {:?} {:?} {}",
                f.rule.name, f.severity, pointer, f.message
            )
        })
        .collect();
    out.sort();
    out
}

/// Whether `pointer` names an existing field of `v`; returns the last key.
fn exact_key<'a>(v: &'a Val, pointer: &str) -> Option<Option<&'a str>> {
    let mut node = v;
    let mut last = None;
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        match node {
            Val::Map(e) => {
                let (k, v) = e.iter().find(|(k, _)| *k == seg)?;
                last = Some(k.as_str());
                node = v;
            }
            Val::Seq(items) => {
                node = items.get(seg.parse::<usize>().ok()?)?;
                last = None;
            }
            _ => return None,
        }
    }
    Some(last)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_style_gives_the_same_findings(v in object()) {
        let renderings = renderings(&v);
        let (first_name, first_text) = &renderings[0];
        let expected = meaning(&lint(vec![("m.yaml".to_owned(), first_text.clone())]));
        for (name, text) in &renderings[1..] {
            let got = meaning(&lint(vec![("m.yaml".to_owned(), text.clone())]));
            prop_assert_eq!(
                &got, &expected,
                "{} differs from {}:\n{}\n---\n{}", name, first_name, text, first_text
            );
        }
    }

    #[test]
    fn positions_lie_inside_the_file_and_on_the_named_field(v in object()) {
        for (name, text) in renderings(&v) {
            let outcome = lint(vec![("m.yaml".to_owned(), text.clone())]);
            for f in &outcome.findings {
                let related = f.related.iter().map(|r| &r.location);
                for loc in std::iter::once(&f.location).chain(related) {
                    let span = loc.span;
                    prop_assert!(span.start <= span.end && span.end as usize <= text.len(),
                        "{name}: {span:?} outside the file");
                    prop_assert!(text.is_char_boundary(span.start as usize)
                        && text.is_char_boundary(span.end as usize));
                    prop_assert!(loc.start <= loc.end);
                    let lines = text.split('\n').count() as u32;
                    prop_assert!(loc.start.line >= 1 && loc.end.line <= lines);
                }
                let Some(pointer) = &f.location.pointer else { continue };
                // A pointer to an existing map value underlines its key.
                if let Some(Some(key)) = exact_key(&v, pointer.as_str()) {
                    let span = f.location.span;
                    let underlined = &text[span.start as usize..span.end as usize];
                    let written = serde_json::to_string(key).unwrap();
                    prop_assert!(
                        underlined.starts_with(key)
                            || underlined.starts_with(&written)
                            || underlined.starts_with(&format!("'{key}'")),
                        "{name}: {} {pointer} underlines {underlined:?}\n{text}",
                        f.rule.name
                    );
                }
            }
        }
    }

    #[test]
    fn output_is_the_same_for_one_and_four_threads(
        objects in prop::collection::vec(object(), 1..6)
    ) {
        let files: Vec<(String, String)> = objects
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let (_, text) = renderings(v).swap_remove(i % 7);
                (format!("dir/{i}.yaml"), text)
            })
            .collect();
        let write = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let outcome = pool.install(|| lint(files.clone()));
            let mut out = Vec::new();
            for format in [Format::Json, Format::Sarif, Format::Human] {
                report::write(format, &mut out, &outcome, false).unwrap();
            }
            out
        };
        let one = write(1);
        prop_assert!(one == write(4), "output differs between 1 and 4 threads");
    }
}
