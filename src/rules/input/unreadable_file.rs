use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an input that could not be read: a missing or unreadable
    /// file, a file that is not UTF-8 text (with the byte offset of the first
    /// bad byte), or a path that is not a regular file.
    ///
    /// ## Why is this bad?
    /// Nothing in the file was checked. A CI job that skips files silently
    /// gives false confidence, so the run fails with exit code 2.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// # a file saved as UTF-16 or Latin-1 cannot be read
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # save manifests as UTF-8
    /// ```
    pub UnreadableFile => {
        id: "INP003",
        name: "unreadable-file",
        category: Input,
        severity: Error,
        kinds: &[],
        summary: "an input could not be read",
        remediation: "Check that the path exists, is readable, and holds UTF-8 text.",
        equivalents: &[],
    }
}
