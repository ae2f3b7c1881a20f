use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a mapping that names the same key twice.
    ///
    /// ## Why is this bad?
    /// Kubernetes keeps only the last value and drops the first without a
    /// word, so a reviewer reading the first one is misled. Strict decoders
    /// such as `kubectl apply --validate=strict` reject the object.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   mode: fast
    ///   mode: safe
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data:
    ///   mode: safe
    /// ```
    pub DuplicateKey => {
        id: "INP002",
        name: "duplicate-key",
        category: Input,
        severity: Error,
        kinds: &[],
        summary: "a mapping repeats a key",
        remediation: "Keep one of the two entries.",
        equivalents: &[],
    }
}
