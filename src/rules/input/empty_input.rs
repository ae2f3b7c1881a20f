use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an input with no YAML documents at all: an empty file, or one
    /// of only comments and `---` separators.
    ///
    /// ## Why is this bad?
    /// An empty manifest is usually a template that rendered to nothing or a
    /// file truncated by a failed step; linting it passes while checking
    /// nothing.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// # only a comment
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// ```
    pub EmptyInput => {
        id: "INP004",
        name: "empty-input",
        category: Input,
        severity: Warning,
        kinds: &[],
        summary: "an input holds no YAML documents",
        remediation: "Delete the file, or check the step that produced it.",
        equivalents: &[],
    }
}
