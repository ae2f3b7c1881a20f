use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags workloads whose `spec.selector` does not select the pods of
    /// their own template: a `matchLabels` pair the template's labels lack,
    /// or a `matchExpressions` requirement they fail.
    ///
    /// ## Why is this bad?
    /// The API server rejects a Deployment, ReplicaSet, StatefulSet or
    /// DaemonSet whose selector does not match its template (`selector does
    /// not match template labels`), so the rollout fails at apply time.
    ///
    /// ## Example
    /// ```yaml
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
    ///         app: frontend
    ///     spec:
    ///       containers:
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
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
    ///         - name: app
    ///           image: nginx:1.27
    /// ```
    pub SelectorMismatch => {
        id: "COR002",
        name: "selector-mismatch",
        category: Correctness,
        severity: Error,
        kinds: &[
            Kind::Named("Deployment"),
            Kind::Named("ReplicaSet"),
            Kind::Named("StatefulSet"),
            Kind::Named("DaemonSet"),
            Kind::Named("Job"),
            Kind::Named("Rollout"),
        ],
        summary: "a workload's selector does not match its pod template's labels",
        remediation: "Make `spec.selector` and `spec.template.metadata.labels` agree.",
        equivalents: &["kube-linter:mismatching-selector", "kube-score:deployment-pod-selector-labels-match-template-metadata-labels", "kube-score:statefulset-pod-selector-labels-match-template-metadata-labels"],
    }
}

impl ObjectRule for SelectorMismatch {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let Some(selector) = object.root.path("spec/selector") else {
            return;
        };
        // A template without `metadata` has no labels, so it matches nothing.
        let (meta_pointer, labels) = match extract::template_metadata(object) {
            Some((pointer, meta)) => (pointer, meta.get("labels")),
            None if extract::pod_spec(object).is_some() => {
                (Pointer::root().join("spec/template/metadata"), None)
            }
            None => return,
        };
        let label = |key: &str| labels.and_then(|l| l.get(key)).and_then(Node::scalar_text);
        let labels_pointer = meta_pointer.child("labels");
        let match_labels = selector
            .get("matchLabels")
            .map(Node::entries)
            .unwrap_or_default();
        for entry in match_labels {
            let (Some(key), Some(wanted)) = (entry.key.scalar_text(), entry.value.scalar_text())
            else {
                continue;
            };
            let message = match label(key) {
                Some(actual) if actual == wanted => continue,
                Some(actual) => format!(
                    "selector wants `{key}: {wanted}` but the pod template has `{key}: {actual}`"
                ),
                None => format!(
                    "selector wants `{key}: {wanted}` but the pod template has no `{key}` label"
                ),
            };
            cx.report(
                object,
                Pointer::root().join("spec/selector/matchLabels").child(key),
                message,
            )
            .related(object, labels_pointer.clone(), "pod template labels");
        }
        let expressions = selector.list("matchExpressions");
        for (index, expression) in expressions.iter().enumerate() {
            let Some(failure) = unmet_requirement(expression, label) else {
                continue;
            };
            cx.report(
                object,
                Pointer::root()
                    .join("spec/selector/matchExpressions")
                    .child(index),
                failure,
            )
            .related(object, labels_pointer.clone(), "pod template labels");
        }
    }
}

/// Why a `matchExpressions` requirement fails for the template's labels, if it does.
fn unmet_requirement<'a>(
    expression: &'a Node,
    label: impl Fn(&str) -> Option<&'a str>,
) -> Option<String> {
    let key = expression.get("key")?.scalar_text()?;
    let operator = expression.get("operator")?.scalar_text()?;
    let values: Vec<&str> = expression
        .list("values")
        .iter()
        .filter_map(Node::scalar_text)
        .collect();
    let actual = label(key);
    let met = match operator {
        "In" => actual.is_some_and(|v| values.contains(&v)),
        "NotIn" => actual.is_none_or(|v| !values.contains(&v)),
        "Exists" => actual.is_some(),
        "DoesNotExist" => actual.is_none(),
        _ => return None,
    };
    let requirement = match operator {
        "In" | "NotIn" => format!("`{key}` {operator} {values:?}"),
        _ => format!("`{key}` {operator}"),
    };
    (!met).then(|| match actual {
        Some(v) => format!("selector requires {requirement} but the pod template has `{key}: {v}`"),
        None => {
            format!("selector requires {requirement} but the pod template has no `{key}` label")
        }
    })
}
