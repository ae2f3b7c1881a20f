use crate::k8s::index::{effective_namespace, nearest};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags HorizontalPodAutoscalers whose `spec.scaleTargetRef` names a
    /// workload (by kind and name) that is not among the objects linted
    /// together, in the autoscaler's namespace.
    ///
    /// ## Why is this bad?
    /// An autoscaler without its target does nothing: it reports
    /// `FailedGetScale` and the workload it was meant to scale stays at its
    /// fixed replica count under load. The cause is usually a renamed
    /// Deployment or a `kind` that was changed to StatefulSet on one side only.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web-frontend
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: autoscaling/v2
    /// kind: HorizontalPodAutoscaler
    /// metadata:
    ///   name: web
    /// spec:
    ///   scaleTargetRef:
    ///     apiVersion: apps/v1
    ///     kind: Deployment
    ///     name: web
    ///   minReplicas: 2
    ///   maxReplicas: 10
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub HpaTargetMissing => {
        id: "COR015",
        name: "hpa-target-missing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("HorizontalPodAutoscaler")],
        summary: "a HorizontalPodAutoscaler targets a workload that does not exist",
        remediation: "Point `scaleTargetRef` at an existing workload's kind and name, or lint the autoscaler together with its workload.",
        equivalents: &["kube-linter:dangling-horizontalpodautoscaler", "kube-score:horizontalpodautoscaler-has-target"],
    }
}

impl RelationRule for HpaTargetMissing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for hpa in index.of_kind("HorizontalPodAutoscaler") {
            let Some(target) = hpa.root.path("spec/scaleTargetRef") else {
                continue;
            };
            let field = |name: &str| target.get(name).and_then(Node::scalar_text);
            let (Some(kind), Some(name)) = (field("kind"), field("name")) else {
                continue;
            };
            let namespace = effective_namespace(hpa);
            if !index.named(kind, namespace, name).is_empty() {
                continue;
            }
            let report = cx.report(
                hpa,
                Pointer::root().join("spec/scaleTargetRef/name"),
                format!("no {kind} `{name}` in namespace `{namespace}`"),
            );
            // The name is right but the kind is not: say which kind it is.
            for other in ["Deployment", "StatefulSet", "ReplicaSet", "Rollout"] {
                if other == kind {
                    continue;
                }
                if let Some(found) = nearest(&index.named(other, namespace, name), hpa) {
                    report.related(
                        found,
                        Pointer::root().join("kind"),
                        format!("`{name}` is a {other}"),
                    );
                }
            }
        }
    }
}
