use super::rbac::{
    bindings, find_rule, grants_everything, grants_pod_exec, resolve_role, role_ref,
};
use crate::rules::prelude::*;

/// Built-in ClusterRoles that allow exec into pods (`cluster-admin` is
/// `cluster-admin-binding`'s finding).
const BUILTIN_EXEC_ROLES: [&str; 2] = ["admin", "edit"];

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose role lets the
    /// subjects exec into or attach to pods: the built-in `admin` or `edit`
    /// ClusterRole, or a Role or ClusterRole among the objects linted
    /// together that `pod-exec-granted` would flag. Roles are looked up
    /// across the whole run. Bindings of roles that grant everything are
    /// `cluster-admin-binding`'s finding.
    ///
    /// ## Why is this bad?
    /// Exec into a pod runs commands with that pod's identity: its
    /// ServiceAccount token, its mounted Secrets, its network access. A
    /// subject that can exec into every pod of a namespace holds the union
    /// of their privileges, whatever its own role says.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: [pods, pods/exec]
    ///     verbs: [get, create]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: debugger
    /// subjects:
    ///   - kind: Group
    ///     name: developers
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: [pods, pods/log]
    ///     verbs: [get, list]
    /// ---
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: debugger
    /// subjects:
    ///   - kind: Group
    ///     name: developers
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    pub BindingGrantsPodExec => {
        id: "SEC064",
        name: "binding-grants-pod-exec",
        category: Security,
        severity: Warning,
        kinds: &[Kind::Named("RoleBinding"), Kind::Named("ClusterRoleBinding")],
        summary: "a binding grants a role that allows exec into pods",
        remediation: "Bind a role without `pods/exec` and `pods/attach`; grant those to the few people who debug, with a separate binding.",
        equivalents: &[
            "polaris:clusterrolebindingPodExecAttach",
            "polaris:rolebindingClusterRolePodExecAttach",
            "polaris:rolebindingRolePodExecAttach",
        ],
    }
}

impl RelationRule for BindingGrantsPodExec {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for binding in bindings(index) {
            let Some((kind, name)) = role_ref(binding) else {
                continue;
            };
            let at = Pointer::root().join("roleRef/name");
            let Some(role) = resolve_role(index, binding) else {
                if kind == "ClusterRole" && BUILTIN_EXEC_ROLES.contains(&name) {
                    cx.report(
                        binding,
                        at,
                        format!(
                            "grants the built-in ClusterRole `{name}`, which allows exec into pods"
                        ),
                    );
                }
                continue;
            };
            if find_rule(role, grants_everything).is_some() {
                continue;
            }
            let Some(rule) = find_rule(role, grants_pod_exec) else {
                continue;
            };
            cx.report(
                binding,
                at,
                format!("grants the {kind} `{name}`, which allows exec into pods"),
            )
            .related(role, rule, "this rule allows `pods/exec` or `pods/attach`");
        }
    }
}
