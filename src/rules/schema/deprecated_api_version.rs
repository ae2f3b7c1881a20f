use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports objects whose `apiVersion` is deprecated in the target
    /// Kubernetes version but still served, with the release that will
    /// remove it and the apiVersion to use instead.
    ///
    /// ## Why is this bad?
    /// The object works today and breaks on a future upgrade; moving it now
    /// is cheaper than during an incident.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Endpoints
    /// metadata:
    ///   name: legacy-db
    /// subsets:
    ///   - addresses:
    ///       - ip: 192.0.2.10
    ///     ports:
    ///       - port: 5432
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: legacy-db
    ///   labels:
    ///     kubernetes.io/service-name: legacy-db
    /// addressType: IPv4
    /// endpoints:
    ///   - addresses: ["192.0.2.10"]
    /// ports:
    ///   - port: 5432
    /// ```
    pub DeprecatedApiVersion => {
        id: "SCH004",
        name: "deprecated-api-version",
        category: Schema,
        severity: Warning,
        kinds: &[Kind::Any],
        summary: "an object uses a deprecated API version",
        remediation: "Move the object to the replacement apiVersion before the release that removes it.",
        equivalents: &["kube-score:stable-version"],
    }
}
