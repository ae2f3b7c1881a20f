use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a YAML document, in a file named on the command line, that is
    /// not a Kubernetes object: it is not a mapping, or it lacks a string
    /// `apiVersion` and `kind`. Such files found by walking a directory are
    /// skipped quietly, since repositories hold Helm values, CI workflows and
    /// other YAML beside their manifests.
    ///
    /// ## Why is this bad?
    /// A file passed to a manifest linter by name is expected to hold
    /// manifests; a missing `kind` usually means a typo or a template that
    /// did not render.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// replicaCount: 3
    /// image:
    ///   repository: nginx
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// ```
    pub NotAKubernetesObject => {
        id: "INP006",
        name: "not-a-kubernetes-object",
        category: Input,
        severity: Warning,
        kinds: &[],
        summary: "a document is not a Kubernetes object",
        remediation: "Add `apiVersion` and `kind`, or stop passing this file to plimsoll.",
        equivalents: &[],
    }
}
