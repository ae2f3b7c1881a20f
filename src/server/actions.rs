//! Quick fixes that silence a finding, and the hover text of a rule.
//!
//! Both fixes are computed from the YAML model's byte spans and checked
//! before they are offered: the edited text is parsed again, and the fix is
//! dropped unless the text still parses as well as before and means what it
//! should (the comment changes no value; the annotation lands in the
//! object's `metadata.annotations` and changes nothing else).

use crate::k8s::object::{DocumentContent, classify};
use crate::rules::RuleMeta;
use crate::source::TextRange;
use crate::suppression::IGNORE_ANNOTATION;
use crate::yaml::parse::{Limits, Stream, parse_stream};
use crate::yaml::{Node, ScalarStyle, Value};

use super::lint::Published;
use super::position::LineMap;

/// An edit of a buffer in bytes: replace `range` with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced.
    pub range: TextRange,
    /// The new text.
    pub text: String,
}

impl Edit {
    fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.text.len());
        out.push_str(&text[..self.range.start as usize]);
        out.push_str(&self.text);
        out.push_str(&text[self.range.end as usize..]);
        out
    }
}

/// The line break the text uses.
fn line_break(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// Inserts `# plimsoll: ignore[rule]` on the line above the finding, with
/// the finding line's indentation, or adds the rule to a directive already
/// on that line. `None` when the comment would change the document (inside
/// a block scalar) or the buffer is JSON, which has no comments.
pub fn suppression_comment(
    text: &str,
    map: &LineMap<'_>,
    finding: &Published,
    json: bool,
) -> Option<Edit> {
    if json {
        return None;
    }
    let name = finding.rule.name;
    let line = map.line_of(finding.span.start);
    let line_range = map.line_range(line)?;
    let content = &text[line_range.start as usize..line_range.end as usize];
    let indent: String = content
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let above = line
        .checked_sub(1)
        .and_then(|l| map.line_range(l))
        .map(|r| (r, &text[r.start as usize..r.end as usize]));
    let edit = match above {
        Some((range, above)) if above.trim_start().starts_with("# plimsoll: ignore[") => {
            let close = above.find(']')?;
            let listed = &above[above.find('[')? + 1..close];
            if listed.split(',').any(|r| r.trim() == name) {
                return None;
            }
            let at = range.start as usize + close;
            let separator = if listed.trim().is_empty() { "" } else { ", " };
            Edit {
                range: TextRange::empty(at),
                text: format!("{separator}{name}"),
            }
        }
        _ => Edit {
            range: TextRange::empty(line_range.start as usize),
            text: format!("{indent}# plimsoll: ignore[{name}]{}", line_break(text)),
        },
    };
    let before = parse_stream(text, &Limits::default());
    let after = parse_stream(&edit.apply(text), &Limits::default());
    (same_problems(&before, &after) && values(&before) == values(&after)).then_some(edit)
}

/// Adds `plimsoll.io/ignore: "rule"` to the annotations of the object the
/// finding is about: to the rules of an existing `plimsoll.io/ignore`, as a
/// new entry of `metadata.annotations`, or as a new `annotations` mapping
/// under `metadata`. `None` when no safe edit is found.
pub fn suppression_annotation(text: &str, finding: &Published) -> Option<Edit> {
    if !finding.has_object {
        return None;
    }
    let name = finding.rule.name;
    let before = parse_stream(text, &Limits::default());
    let document = before
        .documents
        .iter()
        .find(|d| Some(d.index) == finding.document)?;
    let object = innermost_object(&document.root, finding.span)?;
    let metadata = object.get("metadata").filter(|m| m.as_map().is_some())?;
    let edit = match metadata.get("annotations") {
        Some(annotations) if annotations.as_map().is_some() => {
            match annotations.entry(IGNORE_ANNOTATION) {
                Some(existing) => extend_ignore(text, &existing.value, name)?,
                None => insert_entry(
                    text,
                    annotations,
                    &[format!("{IGNORE_ANNOTATION}: \"{name}\"")],
                    &format!("\"{IGNORE_ANNOTATION}\": \"{name}\""),
                )?,
            }
        }
        Some(_) => return None,
        None => {
            let unit = indent_unit(text, object, metadata);
            insert_entry(
                text,
                metadata,
                &[
                    "annotations:".to_owned(),
                    format!("{unit}{IGNORE_ANNOTATION}: \"{name}\""),
                ],
                &format!("\"annotations\": {{\"{IGNORE_ANNOTATION}\": \"{name}\"}}"),
            )?
        }
    };
    let after = parse_stream(&edit.apply(text), &Limits::default());
    let ok =
        same_problems(&before, &after) && annotation_added(&before, &after, document.index, name);
    ok.then_some(edit)
}

/// The innermost Kubernetes object of a document containing `span`: the
/// document, or an item of a `List`.
fn innermost_object(root: &Node, span: TextRange) -> Option<&Node> {
    let is_list = root
        .get("kind")
        .and_then(Node::as_str)
        .is_some_and(|k| k.ends_with("List"))
        && root.get("items").and_then(Node::as_seq).is_some();
    if is_list {
        return root
            .get("items")?
            .items()
            .iter()
            .filter(|item| item.as_map().is_some())
            .find(|item| item.span.start <= span.start && span.start <= item.span.end);
    }
    root.as_map().is_some().then_some(root)
}

/// Adds `name` to the rules of an existing `plimsoll.io/ignore` value, kept
/// before any `-- reason`, rewriting the value as a double-quoted string.
fn extend_ignore(text: &str, value: &Node, name: &str) -> Option<Edit> {
    let scalar = value.as_scalar()?;
    let single_line = !text[value.span.start as usize..value.span.end as usize].contains('\n');
    let quoted_or_plain = matches!(
        scalar.style,
        ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted
    );
    if !single_line || !quoted_or_plain || value.span.start == value.span.end {
        return None;
    }
    let current = scalar.text.as_str();
    let (rules, reason) = match current.split_once("--") {
        Some((rules, reason)) => (rules, Some(reason.trim())),
        None => (current, None),
    };
    let mut listed: Vec<&str> = rules
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .collect();
    if listed.contains(&name) || listed.contains(&"all") {
        return None;
    }
    listed.push(name);
    let mut new = listed.join(", ");
    if let Some(reason) = reason {
        new.push_str(" -- ");
        new.push_str(reason);
    }
    Some(Edit {
        range: value.span,
        text: serde_json::to_string(&new).ok()?,
    })
}

/// Inserts an entry into a mapping: after its last entry, as `block`
/// lines at the entries' indentation, for a block mapping; right after the
/// opening brace, as `flow` text, for a flow mapping (JSON).
fn insert_entry(text: &str, map: &Node, block: &[String], flow: &str) -> Option<Edit> {
    let entries = map.as_map()?;
    let bytes = text.as_bytes();
    let start = map.span.start as usize;
    if bytes.get(start) == Some(&b'{') {
        let separator = if entries.is_empty() { "" } else { ", " };
        return Some(Edit {
            range: TextRange::empty(start + 1),
            text: format!("{flow}{separator}"),
        });
    }
    let first = entries.first()?;
    let key_start = first.key.span.start as usize;
    let line_start = text[..key_start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let column = text[line_start..key_start].chars().count();
    let indent = " ".repeat(column);
    let end = content_end(map)? as usize;
    // After the line the mapping's content ends on.
    let (at, lead) = match text[end..].find(['\n', '\r']) {
        Some(i) => {
            let brk = end + i;
            let after = if text[brk..].starts_with("\r\n") {
                brk + 2
            } else {
                brk + 1
            };
            (after, "")
        }
        None => (text.len(), line_break(text)),
    };
    let newline = line_break(text);
    let mut insert = String::from(lead);
    for line in block {
        insert.push_str(&indent);
        insert.push_str(line);
        insert.push_str(newline);
    }
    if lead.is_empty() {
        Some(Edit {
            range: TextRange::empty(at),
            text: insert,
        })
    } else {
        // At the end of a text without a final line break.
        insert.truncate(insert.len() - newline.len());
        Some(Edit {
            range: TextRange::empty(at),
            text: insert,
        })
    }
}

/// Where a node's written content ends; an empty value (`key:`) has none
/// of its own, so its key's end counts.
fn content_end(node: &Node) -> Option<u32> {
    match &node.value {
        Value::Scalar(s) => {
            let empty = s.text.is_empty() && s.style == ScalarStyle::Plain;
            (!empty || node.span.start != node.span.end).then_some(node.span.end)
        }
        Value::Seq(items) => items.iter().filter_map(content_end).max(),
        Value::Map(entries) => entries
            .iter()
            .map(|e| {
                content_end(&e.value)
                    .unwrap_or(e.key.span.end)
                    .max(e.key.span.end)
            })
            .max(),
    }
}

/// The indentation step of the file, from how far `metadata`'s entries sit
/// inside the object's; two spaces when unknown.
fn indent_unit(text: &str, object: &Node, metadata: &Node) -> String {
    let column = |node: &Node| {
        let first = node.as_map()?.first()?.key.span.start as usize;
        let line_start = text[..first].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        Some(text[line_start..first].chars().count())
    };
    let step = column(metadata)
        .zip(column(object))
        .and_then(|(inner, outer)| inner.checked_sub(outer))
        .filter(|s| (1..=8).contains(s))
        .unwrap_or(2);
    " ".repeat(step)
}

fn same_problems(before: &Stream, after: &Stream) -> bool {
    let kinds = |s: &Stream| s.problems.iter().map(|p| p.kind).collect::<Vec<_>>();
    kinds(before) == kinds(after) && before.documents.len() == after.documents.len()
}

fn values(stream: &Stream) -> Vec<serde_json::Value> {
    stream.documents.iter().map(|d| d.root.to_json()).collect()
}

/// Whether `after` differs from `before` only in that an object of
/// document `index` now has `name` in its `plimsoll.io/ignore` annotation.
fn annotation_added(before: &Stream, after: &Stream, index: usize, name: &str) -> bool {
    let (old, new) = (values(before), values(after));
    if old.len() != new.len() {
        return false;
    }
    for (i, (old, new)) in old.iter().zip(&new).enumerate() {
        if i != index && old != new {
            return false;
        }
    }
    let Some(document) = after.documents.iter().find(|d| d.index == index) else {
        return false;
    };
    let silenced = match classify(document.root.clone()) {
        DocumentContent::Objects(objects, _) => objects.iter().any(|(_, root, _)| {
            root.path("metadata/annotations")
                .and_then(|a| a.get(IGNORE_ANNOTATION))
                .and_then(Node::scalar_text)
                .is_some_and(|v| {
                    let rules = v.split_once("--").map_or(v, |(r, _)| r);
                    rules.split(',').any(|r| r.trim() == name)
                })
        }),
        _ => false,
    };
    // Nothing but annotations changed.
    let strip = |mut value: serde_json::Value| {
        strip_annotations(&mut value);
        value
    };
    let unchanged = old
        .get(index)
        .zip(new.get(index))
        .is_some_and(|(o, n)| strip(o.clone()) == strip(n.clone()));
    silenced && unchanged
}

fn strip_annotations(value: &mut serde_json::Value) {
    if let Some(metadata) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        metadata.remove("annotations");
    }
    if let Some(items) = value.get_mut("items").and_then(|i| i.as_array_mut()) {
        items.iter_mut().for_each(strip_annotations);
    }
}

/// The hover text of the diagnostics under the cursor: each rule's
/// documentation, in Markdown.
pub fn hover_markdown(findings: &[&Published]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut sections = Vec::new();
    for finding in findings {
        let rule: &RuleMeta = finding.rule;
        let mut section = format!(
            "### {} ({})\n\n*{} · {}* — {}\n\n**{}**",
            rule.name,
            rule.id,
            rule.category.as_str(),
            finding.diagnostic.severity.map_or("", |s| match s {
                lsp_types::DiagnosticSeverity::ERROR => "error",
                lsp_types::DiagnosticSeverity::WARNING => "warning",
                _ => "info",
            }),
            rule.summary,
            finding.diagnostic.message,
        );
        if let Some(help) = finding.help.as_deref().filter(|h| *h != rule.remediation) {
            section.push_str(&format!("\n\nhelp: {help}"));
        }
        if !seen.contains(&rule.name) {
            seen.push(rule.name);
            section.push_str(&format!(
                "\n\n{}\n\n#### How to fix\n\n{}\n\nSilence it on one object with the annotation `{IGNORE_ANNOTATION}: \"{}\"`, or on one line with the comment `# plimsoll: ignore[{}]` on or above it.",
                rule.docs(),
                rule.remediation,
                rule.name,
                rule.name,
            ));
        }
        sections.push(section);
    }
    sections.join("\n\n---\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry::Registry;
    use crate::server::position::Encoding;

    fn finding(text: &str, needle: &str, has_object: bool) -> Published {
        let start = text.find(needle).unwrap();
        Published {
            diagnostic: lsp_types::Diagnostic::default(),
            rule: Registry::standard().find("latest-image-tag").unwrap(),
            span: TextRange::new(start, start + needle.len()),
            document: Some(0),
            has_object,
            help: None,
        }
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n";

    #[test]
    fn the_comment_goes_above_with_the_same_indentation() {
        let f = finding(POD, "nginx:latest", true);
        let map = LineMap::new(POD, Encoding::Utf16);
        let edit = suppression_comment(POD, &map, &f, false).unwrap();
        let fixed = edit.apply(POD);
        assert!(fixed.contains(
            "    - name: web\n      # plimsoll: ignore[latest-image-tag]\n      image: nginx:latest\n"
        ));
        assert_eq!(suppression_comment(POD, &map, &f, true), None);
    }

    #[test]
    fn the_comment_is_not_put_inside_a_block_scalar() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: |\n    one\n    two\n";
        let f = finding(text, "two", true);
        let map = LineMap::new(text, Encoding::Utf16);
        assert_eq!(suppression_comment(text, &map, &f, false), None);
    }

    #[test]
    fn annotations_are_created_or_extended() {
        let f = finding(POD, "nginx:latest", true);
        let fixed = suppression_annotation(POD, &f).unwrap().apply(POD);
        assert!(fixed.contains(
            "metadata:\n  name: web\n  annotations:\n    plimsoll.io/ignore: \"latest-image-tag\"\nspec:"
        ));

        let annotated = POD.replace(
            "  name: web\n",
            "  name: web\n  annotations:\n    team: shop\n",
        );
        let f = finding(&annotated, "nginx:latest", true);
        let fixed = suppression_annotation(&annotated, &f)
            .unwrap()
            .apply(&annotated);
        assert!(
            fixed.contains("    team: shop\n    plimsoll.io/ignore: \"latest-image-tag\"\nspec:")
        );

        let ignoring = POD.replace(
            "  name: web\n",
            "  name: web\n  annotations:\n    plimsoll.io/ignore: naked-pod -- a demo\n",
        );
        let f = finding(&ignoring, "nginx:latest", true);
        let fixed = suppression_annotation(&ignoring, &f)
            .unwrap()
            .apply(&ignoring);
        assert!(fixed.contains("plimsoll.io/ignore: \"naked-pod, latest-image-tag -- a demo\"\n"));

        let f = finding(POD, "nginx:latest", false);
        assert_eq!(suppression_annotation(POD, &f), None);
    }

    #[test]
    fn json_objects_get_flow_edits() {
        let text = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"web\"},\n \"spec\": {\"containers\": [{\"name\": \"web\", \"image\": \"nginx:latest\"}]}}\n";
        let f = finding(text, "\"nginx:latest\"", true);
        let fixed = suppression_annotation(text, &f).unwrap().apply(text);
        let value: serde_json::Value = serde_json::from_str(&fixed).unwrap();
        assert_eq!(
            value["metadata"]["annotations"]["plimsoll.io/ignore"],
            "latest-image-tag"
        );
    }
}
