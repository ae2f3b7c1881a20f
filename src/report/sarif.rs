//! SARIF 2.1.0, the format of code-scanning services (GitHub code scanning,
//! Azure DevOps) and of SARIF viewers in editors.
//!
//! One run, whose driver lists every rule of the registry in registry order
//! (so a `ruleIndex` means the same rule in every report of one version)
//! with its documentation. Each finding becomes a result with:
//! - a physical location: the file as a relative URI reference (forward
//!   slashes, percent-encoded where needed) and a region whose columns count
//!   Unicode code points (`columnKind: unicodeCodePoints`), end exclusive;
//! - a logical location for the Kubernetes object, of kind `object`, with
//!   `name` the object's name (its kind when it has none),
//!   `fullyQualifiedName` `namespace/Kind/name` (without the namespace when
//!   it has none) and `decoratedName` as human output shows it
//!   (`Deployment shop/cart`);
//! - related locations, each with its note;
//! - `partialFingerprints["plimsoll/v1"]`: a hash of the rule id, the file,
//!   the document, the object's identity and the JSON pointer, plus an
//!   occurrence number when several findings share all of those. Line
//!   numbers are not part of it, so a finding keeps its fingerprint when
//!   lines are inserted above it;
//! - `properties`: the JSON pointer and the document index, when known,
//!   and `sourceTemplate`, the Helm template a rendered document came from
//!   (its `# Source:` comment). It is a property rather than a related
//!   location because Helm names the template relative to the chart
//!   (`chart-name/templates/x.yaml`), not to the repository, so it is not
//!   an artifact a viewer could open.

use std::io::{self, Write};

use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::{Finding, Location};
use crate::k8s::ObjectRef;
use crate::rules::{RuleMeta, Severity};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The project's distribution page. The repository's address is not
/// settled, so the page every release is published on stands in for it;
/// change it together with the README once the project has a home page.
const INFORMATION_URI: &str = "https://crates.io/crates/plimsoll";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Message,
    full_description: Message,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    category: &'static str,
    tags: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [SarifLocation<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<MessageRef<'a>>,
}

#[derive(Serialize)]
struct MessageRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    decorated_name: String,
    kind: &'static str,
}

/// `partialFingerprints`, with plimsoll's own versioned key.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "plimsoll/v1")]
    plimsoll: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<usize>,
    #[serde(rename = "sourceTemplate", skip_serializing_if = "Option::is_none")]
    source_template: Option<&'a str>,
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.pointer.is_none() && self.document.is_none() && self.source_template.is_none()
    }
}

pub fn write(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    // Every rule that ran, in documentation order; findings come only from them.
    let metas: Vec<&'static RuleMeta> = outcome
        .rules
        .registry
        .metas()
        .filter(|m| outcome.rules.enabled(m))
        .collect();
    let rules = metas.iter().map(|m| rule(m)).collect();
    let mut seen = std::collections::HashMap::new();
    let results = outcome
        .findings
        .iter()
        .map(|finding| {
            let identity = identity(outcome, finding);
            let occurrence = seen.entry(identity.clone()).or_insert(0u32);
            *occurrence += 1;
            result(outcome, finding, &metas, &identity, *occurrence)
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "plimsoll",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule(meta: &'static RuleMeta) -> Rule {
    let docs = meta.docs();
    let full = what_it_does(&docs).unwrap_or_else(|| meta.summary.to_owned());
    Rule {
        id: meta.id,
        name: meta.name,
        short_description: Message {
            text: meta.summary.to_owned(),
        },
        full_description: Message { text: full },
        help: Help {
            text: meta.remediation,
            markdown: format!("{docs}\n\n## How to fix\n{}", meta.remediation),
        },
        default_configuration: Configuration {
            level: level(meta.default_severity),
        },
        properties: RuleProperties {
            category: meta.category.as_str(),
            tags: [meta.category.as_str()],
        },
    }
}

/// The paragraph under `## What it does`, unwrapped into one line.
fn what_it_does(docs: &str) -> Option<String> {
    let (_, rest) = docs.split_once("## What it does\n")?;
    let section = rest.split("\n## ").next().unwrap_or(rest);
    let paragraph = section.trim().split("\n\n").next()?;
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result<'a>(
    outcome: &Outcome,
    finding: &'a Finding,
    metas: &[&'static RuleMeta],
    identity: &str,
    occurrence: u32,
) -> SarifResult<'a> {
    let rule_index = metas
        .iter()
        .position(|m| m.id == finding.rule.id)
        .expect("every finding's rule is listed");
    let fingerprint = if occurrence == 1 {
        fnv1a64(identity.as_bytes())
    } else {
        fnv1a64(format!("{identity}\u{0}{occurrence}").as_bytes())
    };
    let location = &finding.location;
    SarifResult {
        rule_id: finding.rule.id,
        rule_index,
        level: level(finding.severity),
        message: Message {
            text: finding.message.clone(),
        },
        locations: [sarif_location(outcome, location, None)],
        related_locations: finding
            .related
            .iter()
            .map(|r| sarif_location(outcome, &r.location, Some(&r.message)))
            .collect(),
        partial_fingerprints: Fingerprints {
            plimsoll: format!("{fingerprint:016x}"),
        },
        properties: ResultProperties {
            pointer: location.pointer.as_ref().map(|p| p.as_str()),
            document: location.document,
            source_template: location.source_template.as_deref(),
        },
    }
}

fn sarif_location<'a>(
    outcome: &Outcome,
    location: &Location,
    message: Option<&'a str>,
) -> SarifLocation<'a> {
    let path = outcome.files[location.file.0 as usize].display_path();
    SarifLocation {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(&path) },
            region: Region {
                start_line: location.start.line,
                start_column: location.start.column,
                end_line: location.end.line,
                end_column: location.end.column,
            },
        },
        logical_locations: location.object.iter().map(logical_location).collect(),
        message: message.map(|text| MessageRef { text }),
    }
}

fn logical_location(object: &ObjectRef) -> LogicalLocation {
    let name = object.name.clone().unwrap_or_else(|| object.kind.clone());
    let mut qualified = String::new();
    if let Some(namespace) = &object.namespace {
        qualified.push_str(namespace);
        qualified.push('/');
    }
    qualified.push_str(&object.kind);
    if let Some(name) = &object.name {
        qualified.push('/');
        qualified.push_str(name);
    }
    LogicalLocation {
        name,
        fully_qualified_name: qualified,
        decorated_name: object.display(),
        kind: "object",
    }
}

/// What a finding's fingerprint is computed from: everything that says
/// which problem it is, and nothing that moves when lines are added.
fn identity(outcome: &Outcome, finding: &Finding) -> String {
    let location = &finding.location;
    let object = location
        .object
        .as_ref()
        .map(|o| {
            format!(
                "{}\u{1}{}\u{1}{}\u{1}{}",
                o.api_version,
                o.kind,
                o.namespace.as_deref().unwrap_or(""),
                o.name.as_deref().unwrap_or("")
            )
        })
        .unwrap_or_default();
    format!(
        "{}\u{0}{}\u{0}{}\u{0}{object}\u{0}{}",
        finding.rule.id,
        outcome.files[location.file.0 as usize].display_path(),
        location.document.map(|d| d.to_string()).unwrap_or_default(),
        location.pointer.as_ref().map_or("", |p| p.as_str()),
    )
}

/// The 64-bit FNV-1a hash: small, stable across versions and platforms,
/// and good enough to tell findings apart (it is not a security measure).
fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME))
}

/// A path with forward slashes as a URI reference: relative paths stay
/// relative (resolved against the directory plimsoll ran in), absolute
/// ones become `file://` URIs. Everything but unreserved characters, `/`
/// and a few safe sub-delimiters is percent-encoded, including `:` so that
/// a relative path is never read as a scheme.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let rest = if path.starts_with('/') {
        out.push_str("file://");
        path
    } else if path.len() >= 3 && path.as_bytes()[0].is_ascii_alphabetic() && &path[1..3] == ":/" {
        // A Windows drive path, `C:/…`.
        out.push_str("file:///");
        out.push_str(&path[..2]);
        &path[2..]
    } else {
        path
    };
    for &b in rest.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry::Registry;

    #[test]
    fn fnv1a64_matches_the_reference_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("k8s/app.yaml"), "k8s/app.yaml");
        assert_eq!(uri("my dir/a#b?.yaml"), "my%20dir/a%23b%3F.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("a:b.yaml"), "a%3Ab.yaml");
        assert_eq!(uri("/srv/k8s/app.yaml"), "file:///srv/k8s/app.yaml");
        assert_eq!(uri("C:/k8s/app.yaml"), "file:///C:/k8s/app.yaml");
        assert_eq!(uri("déjà.yaml"), "d%C3%A9j%C3%A0.yaml");
    }

    #[test]
    fn what_it_does_is_the_first_paragraph_of_its_section() {
        let docs = "## What it does\nFlags a\nthing.\n\nMore.\n\n## Why is this bad?\nBecause.";
        assert_eq!(what_it_does(docs).as_deref(), Some("Flags a thing."));
        assert_eq!(what_it_does("no sections"), None);
    }

    #[test]
    fn every_rule_has_a_description_of_what_it_does() {
        for meta in Registry::standard().metas() {
            assert!(what_it_does(&meta.docs()).is_some(), "{}", meta.id);
        }
    }
}
