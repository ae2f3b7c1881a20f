use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports objects whose `apiVersion` the target Kubernetes version no
    /// longer serves, naming the apiVersion to use instead. The table of
    /// removals is `schemas/deprecated-apis.yaml`.
    ///
    /// ## Why is this bad?
    /// The API server answers `no matches for kind` and the object is never
    /// created: the manifest worked on the old cluster and breaks on upgrade.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: extensions/v1beta1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   backend:
    ///     serviceName: web
    ///     servicePort: 80
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   defaultBackend:
    ///     service:
    ///       name: web
    ///       port:
    ///         number: 80
    /// ```
    pub RemovedApiVersion => {
        id: "SCH003",
        name: "removed-api-version",
        category: Schema,
        severity: Error,
        kinds: &[Kind::Any],
        summary: "an object uses an API version the target Kubernetes no longer serves",
        remediation: "Move the object to the replacement apiVersion and adapt the fields that changed.",
        equivalents: &["kube-linter:no-extensions-v1beta"],
    }
}
