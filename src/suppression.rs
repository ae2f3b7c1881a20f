//! Suppressions: the ways a team says "we know, and it is fine here".
//!
//! - `plimsoll.io/ignore: "rule-a, SEC001 -- reason"` on an object, or on the
//!   pod template of a workload, silences those rules (or `all`) for the
//!   object.
//! - `plimsoll.io/ignore.container.NAME: "rule"` silences them for findings
//!   inside one container.
//! - A comment `# plimsoll: ignore[rule-a, rule-b] -- reason` silences them
//!   on its own line and on the line below it.
//! - With `honor_peer_annotations`, kube-linter's
//!   `ignore-check.kube-linter.io/<check>`, Polaris's
//!   `polaris.fairwinds.com/<check>-exempt` (and `.../exempt`) and
//!   kube-score's `kube-score/ignore` silence the plimsoll rules that are
//!   equivalent to those checks.
//!
//! Every suppression remembers whether it silenced anything, so that unused
//! ones can be reported by the `unused-suppression` rule.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::finding::Finding;
use crate::k8s::extract;
use crate::k8s::{Object, ObjectId};
use crate::rules::RuleMeta;
use crate::rules::registry::Registry;
use crate::source::{FileId, SourceFile, TextRange};
use crate::yaml::{Node, Pointer};

/// The annotation that silences rules on one object.
pub const IGNORE_ANNOTATION: &str = "plimsoll.io/ignore";
/// The prefix of the annotation that silences rules in one container.
pub const CONTAINER_IGNORE_PREFIX: &str = "plimsoll.io/ignore.container.";

/// What a suppression covers.
#[derive(Debug, Clone)]
enum Scope {
    /// Every finding about an object.
    Object(ObjectId),
    /// Findings about an object whose pointer lies under a container.
    Container(ObjectId, Pointer),
    /// Findings starting on a line (1-based) or the line below.
    Line(FileId, u32),
}

/// One suppression found in the input.
#[derive(Debug)]
pub struct Suppression {
    scope: Scope,
    /// Rule names or ids, or `all`.
    rules: Vec<String>,
    /// Where it is written, for the `unused-suppression` finding.
    pub file: FileId,
    /// Where it is written.
    pub span: TextRange,
    /// The document it is in, when known.
    pub document: Option<usize>,
    /// Whether it silenced anything.
    used: AtomicBool,
    /// Whether it came from a peer's annotation (never reported as unused:
    /// teams keep those for the peer tool).
    from_peer: bool,
}

impl Suppression {
    /// The rules it names, as written.
    pub fn rules(&self) -> &[String] {
        &self.rules
    }

    /// Whether it silenced a finding.
    pub fn used(&self) -> bool {
        self.used.load(Ordering::Relaxed)
    }

    /// Whether it is plimsoll's own (rather than a peer's).
    pub fn is_own(&self) -> bool {
        !self.from_peer
    }

    fn covers(&self, finding: &Finding, object: Option<ObjectId>, rule: &RuleMeta) -> bool {
        let names_rule = self
            .rules
            .iter()
            .any(|r| r == "all" || r == rule.name || r.eq_ignore_ascii_case(rule.id));
        if !names_rule {
            return false;
        }
        match &self.scope {
            Scope::Object(id) => object == Some(*id),
            Scope::Container(id, container) => {
                object == Some(*id)
                    && finding.location.pointer.as_ref().is_some_and(|p| {
                        p.as_str() == container.as_str()
                            || p.as_str().starts_with(&format!("{container}/"))
                    })
            }
            Scope::Line(file, line) => {
                finding.location.file == *file
                    && (finding.location.start.line == *line
                        || finding.location.start.line == line + 1)
            }
        }
    }
}

/// Every suppression of a run.
pub struct Suppressions {
    all: Vec<Suppression>,
    by_object: HashMap<ObjectId, Vec<usize>>,
    by_file: HashMap<FileId, Vec<usize>>,
}

/// The suppressions of one file's objects and comments. Files are read
/// apart, on all threads; [`Suppressions::new`] gathers what they hold.
pub fn found_in(
    file: FileId,
    source: &SourceFile,
    objects: &[Object],
    peer_rules: &dyn Fn(&str, &str) -> Vec<String>,
) -> Vec<Suppression> {
    let mut found = Vec::new();
    // One pass of a substring searcher over the whole text: searching
    // line by line set the searcher up again for each of millions of lines.
    let text = &source.text;
    let mut previous = None;
    for at in memchr::memmem::find_iter(text.as_bytes(), DIRECTIVE) {
        let number = source.lines().line_of(at as u32);
        if previous.replace(number) == Some(number) {
            continue;
        }
        let range = source.lines().line_range(text, number);
        let line = &text[range.start as usize..range.end as usize];
        let Some(rules) = comment_directive(line) else {
            continue;
        };
        let line_start = range.start as usize;
        let comment = line.find(DIRECTIVE).unwrap_or(0);
        found.push(Suppression {
            scope: Scope::Line(file, number as u32 + 1),
            rules,
            file,
            span: TextRange::new(line_start + comment, line_start + line.trim_end().len()),
            document: None,
            used: AtomicBool::new(false),
            from_peer: false,
        });
    }
    for object in objects {
        found_on_object(object, peer_rules, &mut found);
    }
    found
}

fn found_on_object(
    object: &Object,
    peer_rules: &dyn Fn(&str, &str) -> Vec<String>,
    found: &mut Vec<Suppression>,
) {
    let mut places: Vec<&Node> = object
        .root
        .path("metadata/annotations")
        .into_iter()
        .collect();
    if let Some((_, template)) = extract::template_metadata(object)
        .filter(|(p, _)| !p.as_str().is_empty() && p.as_str() != "/metadata")
    {
        places.extend(template.get("annotations"));
    }
    for annotations in places {
        for entry in annotations.entries() {
            let (Some(key), Some(value)) = (entry.key.scalar_text(), entry.value.scalar_text())
            else {
                continue;
            };
            let (scope, rules, from_peer) = if key == IGNORE_ANNOTATION {
                (Scope::Object(object.id), rule_list(value), false)
            } else if let Some(name) = key.strip_prefix(CONTAINER_IGNORE_PREFIX) {
                let containers = extract::containers(object);
                let Some(container) = containers.iter().find(|c| c.name == name) else {
                    continue;
                };
                (
                    Scope::Container(object.id, container.pointer()),
                    rule_list(value),
                    false,
                )
            } else {
                let rules = peer_rules(key, value);
                if rules.is_empty() {
                    continue;
                }
                (Scope::Object(object.id), rules, true)
            };
            found.push(Suppression {
                scope,
                rules,
                file: object.id.file,
                span: entry.key.span.cover(entry.value.span),
                document: Some(object.document),
                used: AtomicBool::new(false),
                from_peer,
            });
        }
    }
}

impl Suppressions {
    /// Every suppression of the run, indexed by object and by file.
    pub fn new(all: Vec<Suppression>) -> Self {
        let mut by_object: HashMap<ObjectId, Vec<usize>> = HashMap::new();
        let mut by_file: HashMap<FileId, Vec<usize>> = HashMap::new();
        for (index, suppression) in all.iter().enumerate() {
            match &suppression.scope {
                Scope::Object(id) | Scope::Container(id, _) => {
                    by_object.entry(*id).or_default().push(index)
                }
                Scope::Line(file, _) => by_file.entry(*file).or_default().push(index),
            }
        }
        Self {
            all,
            by_object,
            by_file,
        }
    }

    /// Whether some suppression silences `finding` (about `object`, if any);
    /// marks the suppressions that do as used.
    pub fn silences(&self, finding: &Finding, object: Option<ObjectId>) -> bool {
        let candidates = object
            .and_then(|id| self.by_object.get(&id))
            .into_iter()
            .flatten()
            .chain(
                self.by_file
                    .get(&finding.location.file)
                    .into_iter()
                    .flatten(),
            );
        let mut silenced = false;
        for &i in candidates {
            let suppression = &self.all[i];
            if suppression.covers(finding, object, finding.rule) {
                suppression.used.store(true, Ordering::Relaxed);
                silenced = true;
            }
        }
        silenced
    }

    /// Every suppression.
    pub fn iter(&self) -> impl Iterator<Item = &Suppression> {
        self.all.iter()
    }
}

/// The rules of an ignore list: `rule-a, SEC001 -- the reason`.
fn rule_list(value: &str) -> Vec<String> {
    let list = value
        .split_once("--")
        .map_or(value, |(rules, _reason)| rules);
    list.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What starts a suppression comment.
const DIRECTIVE: &str = "# plimsoll:";

/// The rules of a `# plimsoll: ignore[...]` comment on this line, if any.
fn comment_directive(line: &str) -> Option<Vec<String>> {
    let at = line.find(DIRECTIVE)?;
    let directive = line[at + DIRECTIVE.len()..].trim_start();
    let inner = directive.strip_prefix("ignore[")?;
    let (rules, _) = inner.split_once(']')?;
    Some(rule_list(rules))
}

/// Maps a peer's ignore annotation to the plimsoll rules equivalent to the
/// checks it names.
pub fn peer_rules(registry: &Registry, key: &str, value: &str) -> Vec<String> {
    let equivalent = |peer: &str, check: &str| -> Vec<String> {
        let wanted = format!("{peer}:{check}");
        registry
            .metas()
            .filter(|m| {
                m.equivalents
                    .iter()
                    .any(|e| e.eq_ignore_ascii_case(&wanted))
            })
            .map(|m| m.name.to_owned())
            .collect()
    };
    if let Some(check) = key.strip_prefix("ignore-check.kube-linter.io/") {
        return equivalent("kube-linter", check);
    }
    if key == "polaris.fairwinds.com/exempt" {
        return if value == "true" {
            vec!["all".to_owned()]
        } else {
            Vec::new()
        };
    }
    if let Some(check) = key
        .strip_prefix("polaris.fairwinds.com/")
        .and_then(|k| k.strip_suffix("-exempt"))
    {
        return if value == "true" {
            equivalent("polaris", check)
        } else {
            Vec::new()
        };
    }
    if key == "kube-score/ignore" {
        return value
            .split(',')
            .flat_map(|check| equivalent("kube-score", check.trim()))
            .collect();
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_lists_drop_reasons_and_blanks() {
        assert_eq!(
            rule_list("latest-image-tag, SEC001 -- vendor chart"),
            ["latest-image-tag", "SEC001"]
        );
        assert_eq!(
            comment_directive(
                "  image: x:latest  # plimsoll: ignore[latest-image-tag] -- pinned by CI"
            ),
            Some(vec!["latest-image-tag".to_owned()])
        );
        assert_eq!(comment_directive("# plimsoll: ignore"), None);
        assert_eq!(comment_directive("image: nginx"), None);
    }
}
