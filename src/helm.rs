//! The template files of rendered Helm streams.
//!
//! `helm template` prints every rendered manifest as its own document, with a
//! comment naming the template it came from:
//!
//! ```yaml
//! ---
//! # Source: shop/templates/deployment.yaml
//! apiVersion: apps/v1
//! ```
//!
//! [`SourceTemplates::scan`] reads those comments once per file, so that each
//! finding in a rendered stream can name its template as well as its position
//! in the stream.

/// The `# Source:` template of every document of a stream that has one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SourceTemplates {
    /// Byte offset where each document with a `# Source:` comment starts (its
    /// `---` line, or 0 for the first), in increasing order, with the
    /// template it was rendered from. A document without a comment has an
    /// entry with `None`, so that it does not inherit the previous one.
    starts: Vec<(usize, Option<String>)>,
}

const MARKER: &str = "# Source:";

impl SourceTemplates {
    /// Scans `text` for `---` document markers and the `# Source:` comments
    /// heading documents. Costs one substring search for text that has no
    /// such comment.
    pub fn scan(text: &str) -> Self {
        let mut out = Self::default();
        if !text.contains(MARKER) {
            return out;
        }
        // The document being read: where it starts, its template, and
        // whether content (anything but comments and blank lines) was seen.
        let mut start = 0;
        let mut template: Option<String> = None;
        let mut content = false;
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let bare = line.trim_end_matches(['\n', '\r']);
            if is_document_start(bare) {
                out.push(start, template.take());
                start = offset;
                content = false;
            } else if !content {
                let trimmed = bare.trim_start_matches('\u{feff}').trim();
                if let Some(name) = trimmed.strip_prefix(MARKER) {
                    let name = name.trim();
                    if template.is_none() && !name.is_empty() {
                        template = Some(name.to_owned());
                    }
                } else if !trimmed.is_empty() && !trimmed.starts_with('#') {
                    content = true;
                }
            }
            offset += line.len();
        }
        out.push(start, template);
        if out.starts.iter().all(|(_, t)| t.is_none()) {
            out.starts.clear();
        }
        out
    }

    fn push(&mut self, start: usize, template: Option<String>) {
        // Only changes matter: consecutive documents without a template
        // need one entry between them.
        if self.starts.last().is_none_or(|(_, t)| *t != template) {
            self.starts.push((start, template));
        }
    }

    /// Whether the stream names no template at all.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The template of the document holding byte `offset`.
    pub fn at(&self, offset: usize) -> Option<&str> {
        let after = self.starts.partition_point(|(start, _)| *start <= offset);
        self.starts
            .get(after.checked_sub(1)?)
            .and_then(|(_, t)| t.as_deref())
    }
}

/// Whether a line is a `---` document start marker (`---`, `--- `, `--- |`…).
fn is_document_start(line: &str) -> bool {
    line.strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = "---\n# Source: shop/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\n---\n# Source: shop/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: ConfigMap\n";

    #[test]
    fn each_document_gets_its_own_template() {
        let templates = SourceTemplates::scan(STREAM);
        let at = |needle: &str| templates.at(STREAM.find(needle).unwrap());
        assert_eq!(at("kind: ServiceAccount"), Some("shop/templates/sa.yaml"));
        assert_eq!(at("kind: Deployment"), Some("shop/templates/deploy.yaml"));
        assert_eq!(at("kind: ConfigMap"), None);
        assert_eq!(templates.at(0), Some("shop/templates/sa.yaml"));
    }

    #[test]
    fn a_comment_after_content_is_not_a_source() {
        let text = "apiVersion: v1\n# Source: not/this.yaml\nkind: ConfigMap\n";
        assert!(SourceTemplates::scan(text).is_empty());
        assert!(SourceTemplates::scan("kind: Pod\n").is_empty());
    }

    #[test]
    fn the_first_document_needs_no_marker() {
        let text =
            "# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\nkind: B\n";
        let templates = SourceTemplates::scan(text);
        assert_eq!(
            templates.at(text.find("kind: A").unwrap()),
            Some("c/templates/a.yaml")
        );
        assert_eq!(
            templates.at(text.find("kind: B").unwrap()),
            Some("c/templates/b.yaml")
        );
    }
}
