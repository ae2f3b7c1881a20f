use crate::rules::prelude::*;

/// The label Helm and the Kubernetes recommended labels use for the name of
/// an application instance.
const INSTANCE: &str = "app.kubernetes.io/instance";

declare_rule! {
    /// ## What it does
    /// Flags pods and workloads whose `app.kubernetes.io/instance` label
    /// differs from their `metadata.name`. Objects without the label pass.
    /// Off by default: Helm charts set the label to the release name, which
    /// often differs from the names of the objects in the release.
    ///
    /// ## Why is this bad?
    /// Dashboards, cost reports and policies that group objects by instance
    /// attribute a workload to the wrong instance when the label and the
    /// name disagree.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app.kubernetes.io/instance: shop
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app.kubernetes.io/instance: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    pub InstanceLabelMismatch => {
        id: "STY006",
        name: "instance-label-mismatch",
        category: Style,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "the `app.kubernetes.io/instance` label differs from the object's name",
        remediation: "Set `app.kubernetes.io/instance` to the object's `metadata.name`.",
        equivalents: &["polaris:metadataAndInstanceMismatched"],
        enabled: false,
    }
}

impl ObjectRule for InstanceLabelMismatch {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let Some(instance) = object
            .root
            .path("metadata/labels")
            .and_then(|l| l.get(INSTANCE))
        else {
            return;
        };
        let Some(instance) = instance.scalar_text() else {
            return;
        };
        let name = object
            .root
            .path("metadata/name")
            .and_then(Node::scalar_text);
        let Some(name) = name else {
            return;
        };
        if instance == name {
            return;
        }
        cx.report(
            object,
            Pointer::root().join("metadata/labels").child(INSTANCE),
            format!("label `{INSTANCE}` is `{instance}` but the object is named `{name}`"),
        );
    }
}
