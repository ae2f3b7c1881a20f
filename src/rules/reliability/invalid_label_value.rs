use std::sync::LazyLock;

use regex::Regex;

use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags label values Kubernetes does not accept: longer than 63
    /// characters, or not made of letters, digits, `-`, `_` and `.` with a
    /// letter or digit at each end. It checks the object's own labels and
    /// its pod template's.
    ///
    /// ## Why is this bad?
    /// The API server rejects the object, so the manifest fails at apply
    /// time; in a pod template it fails when the controller creates pods.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   labels:
    ///     release: "v1.2 (beta)"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   labels:
    ///     release: v1.2-beta
    /// ```
    pub InvalidLabelValue => {
        id: "REL025",
        name: "invalid-label-value",
        category: Reliability,
        severity: Error,
        kinds: &[Kind::Any],
        summary: "a label value is not valid, so Kubernetes rejects the object",
        remediation: "Use at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit; put free text in an annotation.",
        equivalents: &["kube-score:label-values"],
    }
}

static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$").expect("valid regex")
});

impl ObjectRule for InvalidLabelValue {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let own = Pointer::root().child("metadata");
        let mut places = vec![(own.clone(), object.root.get("metadata"))];
        if let Some((pointer, node)) = extract::template_metadata(object)
            && pointer != own
        {
            places.push((pointer, Some(node)));
        }
        for (meta_pointer, meta) in places {
            let labels = meta.and_then(|m| m.get("labels"));
            for entry in labels.map(Node::entries).unwrap_or_default() {
                let (Some(key), Some(value)) = (entry.key.scalar_text(), entry.value.scalar_text())
                else {
                    continue;
                };
                let problem = if value.chars().count() > 63 {
                    "is longer than 63 characters"
                } else if !VALUE.is_match(value) {
                    "is not a valid label value"
                } else {
                    continue;
                };
                cx.report(
                    object,
                    meta_pointer.child("labels").child(key),
                    format!("the value of label `{key}` {problem}"),
                );
            }
        }
    }
}
