use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports that plimsoll itself failed on a file: a bug in its YAML
    /// reader, a rule or schema validation made it stop (a Rust panic).
    /// The finding names the file, and the rule when a rule failed; the
    /// other files of the run, and the other rules on the same object, are
    /// still checked.
    ///
    /// ## Why is this bad?
    /// Whatever the failing stage would have checked was not checked, so the
    /// run cannot be trusted to be clean: it exits with code 2, as when an
    /// input cannot be read. The message never quotes the input, which may
    /// hold secrets; it gives the place in plimsoll's source that failed.
    ///
    /// No file triggers this rule on purpose: every known cause is fixed.
    /// The examples below are therefore illustrations only, and the rule's
    /// tests make a rule panic in a test build instead.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// # any file on which a bug makes plimsoll panic
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # report the finding, with the file if you can share it, as a bug
    /// ```
    pub InternalError => {
        id: "INP007",
        name: "internal-error",
        category: Input,
        severity: Error,
        kinds: &[],
        summary: "plimsoll failed on an input (a bug)",
        remediation: "This is a bug in plimsoll: please report it with the message and, if you can share it, the file.",
        equivalents: &[],
    }
}
