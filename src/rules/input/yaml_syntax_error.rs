use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports text that is not valid YAML, at the position where the parser
    /// gave up.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` rejects the whole file, and with it every object in it.
    /// Documents before the error are still linted; the ones after it are not.
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
    /// data: {mode: fast
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// data: {mode: fast}
    /// ```
    pub YamlSyntaxError => {
        id: "INP001",
        name: "yaml-syntax-error",
        category: Input,
        severity: Error,
        kinds: &[],
        summary: "the file is not valid YAML",
        remediation: "Fix the YAML at the position shown; check indentation, unclosed brackets and quotes.",
        equivalents: &[],
    }
}
