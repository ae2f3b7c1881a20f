use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods and workloads whose `priorityClassName` is set to a class
    /// not in the `allowed` parameter (by default `system-cluster-critical`
    /// and `system-node-critical`, as kube-linter's). Pods without a priority
    /// class are left to `missing-priority-class`. Off by default: the list
    /// of classes is specific to each cluster.
    ///
    /// ## Why is this bad?
    /// A priority class that does not exist makes the API server reject the
    /// pod, and one that is too high lets an ordinary workload preempt the
    /// system components that keep the node running.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   priorityClassName: very-important
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
    /// spec:
    ///   priorityClassName: system-cluster-critical
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    pub DisallowedPriorityClass => {
        id: "REL024",
        name: "disallowed-priority-class",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a pod uses a priority class that is not on the allowed list",
        remediation: "Use one of the allowed priority classes, or add this one to the rule's `allowed` parameter.",
        equivalents: &["kube-linter:priority-class-name"],
        enabled: false,
    }
}

impl ObjectRule for DisallowedPriorityClass {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let allowed: Vec<String> = cx.param(
            "allowed",
            vec![
                "system-cluster-critical".to_owned(),
                "system-node-critical".to_owned(),
            ],
        );
        let Some((spec_pointer, spec)) = extract::pod_spec(object) else {
            return;
        };
        let Some(class) = spec.get("priorityClassName").and_then(Node::scalar_text) else {
            return;
        };
        if class.trim().is_empty() || allowed.iter().any(|a| a == class) {
            return;
        }
        cx.report(
            object,
            spec_pointer.child("priorityClassName"),
            format!(
                "priority class `{class}` is not one of the allowed classes ({})",
                allowed.join(", ")
            ),
        );
    }
}
