use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports objects whose kind has no schema: not built into the target
    /// Kubernetes version, and not defined by a CustomResourceDefinition in
    /// the linted files. `--missing-schema ignore|warn|error` sets what such
    /// an object gets (a warning by default). Kustomize's build files
    /// (`kustomization.yaml`) and patches are not objects and need none.
    ///
    /// ## Why is this bad?
    /// Nothing checks the object's fields. A custom resource whose CRD is
    /// linted alongside it is validated like any built-in kind.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: blue
    /// spec:
    ///   size: 3
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: apiextensions.k8s.io/v1
    /// kind: CustomResourceDefinition
    /// metadata:
    ///   name: widgets.example.com
    /// spec:
    ///   group: example.com
    ///   names:
    ///     kind: Widget
    ///     plural: widgets
    ///   scope: Namespaced
    ///   versions:
    ///     - name: v1
    ///       served: true
    ///       storage: true
    ///       schema:
    ///         openAPIV3Schema:
    ///           type: object
    ///           properties:
    ///             spec:
    ///               type: object
    ///               properties:
    ///                 size: {type: integer}
    /// ---
    /// apiVersion: example.com/v1
    /// kind: Widget
    /// metadata:
    ///   name: blue
    /// spec:
    ///   size: 3
    /// ```
    pub MissingSchema => {
        id: "SCH002",
        name: "missing-schema",
        category: Schema,
        severity: Warning,
        kinds: &[Kind::Any],
        summary: "no schema is known for an object's kind",
        remediation: "Lint the CustomResourceDefinition together with its resources, or pass `--missing-schema ignore`.",
        equivalents: &["kubeconform:missing-schema"],
    }
}
