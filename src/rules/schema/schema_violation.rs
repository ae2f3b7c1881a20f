use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Validates every object against the OpenAPI schema of its kind for the
    /// target Kubernetes version (`--kubernetes-version`, the newest embedded
    /// by default), or against the `openAPIV3Schema` of a
    /// CustomResourceDefinition linted in the same run. Reports wrong types,
    /// values outside an enumeration, missing required fields, kinds that do
    /// not exist, and, in strict mode (the default), unknown fields, with
    /// the closest valid field name.
    ///
    /// ## Why is this bad?
    /// The API server rejects such an object, or, for unknown fields without
    /// strict validation, silently drops the field: a misspelt
    /// `imagePullPolicyy` or a `livenessProbe` indented one level too deep
    /// simply does nothing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       imagePullPolicyy: Always
    ///       ports:
    ///         - containerPort: "8080"
    ///           protocol: tcp
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       imagePullPolicy: Always
    ///       ports:
    ///         - containerPort: 8080
    ///           protocol: TCP
    /// ```
    pub SchemaViolation => {
        id: "SCH001",
        name: "schema-violation",
        category: Schema,
        severity: Error,
        kinds: &[Kind::Any],
        summary: "an object does not match the schema of its kind",
        remediation: "Fix the field as the message says; `kubectl explain <kind>.<field>` shows the schema.",
        equivalents: &["kubeconform:strict"],
    }
}
