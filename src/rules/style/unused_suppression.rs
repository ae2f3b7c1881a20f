use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports `plimsoll.io/ignore` annotations and `# plimsoll: ignore[...]`
    /// comments that silenced nothing in this run: the problem was fixed,
    /// the rule was renamed, or the comment sits on the wrong line. Off by
    /// default; peers' ignore annotations are never reported.
    ///
    /// ## Why is this bad?
    /// Stale suppressions pile up, and the next real problem of that rule on
    /// that object is hidden without anyone deciding so.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     plimsoll.io/ignore: "privileged-container -- needs raw sockets"
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
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    pub UnusedSuppression => {
        id: "STY001",
        name: "unused-suppression",
        category: Style,
        severity: Warning,
        kinds: &[Kind::Any],
        summary: "a suppression silences nothing",
        remediation: "Remove the suppression, or fix the rule name it gives.",
        equivalents: &[],
        enabled: false,
    }
}
