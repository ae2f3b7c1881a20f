use super::rbac::{bindings, find_rule, grants_everything, resolve_role, role_ref};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings that grant cluster-admin
    /// power: their `roleRef` is the built-in `cluster-admin` ClusterRole,
    /// or a Role or ClusterRole among the objects linted together with a
    /// rule that grants every verb on every resource of every API group.
    /// The role is looked up across the whole run, not only the binding's
    /// file.
    ///
    /// ## Why is this bad?
    /// Whoever holds the binding can read every Secret and change anything,
    /// including RBAC itself. A ServiceAccount bound this way turns any
    /// compromise of its pods into a compromise of the cluster (or, through
    /// a RoleBinding, of the namespace).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: deployer
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: RoleBinding
    /// metadata:
    ///   name: deployer
    ///   namespace: shop
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: edit
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: ci
    /// ```
    pub ClusterAdminBinding => {
        id: "SEC065",
        name: "cluster-admin-binding",
        category: Security,
        severity: Error,
        kinds: &[Kind::Named("RoleBinding"), Kind::Named("ClusterRoleBinding")],
        summary: "a binding grants cluster-admin or an equivalent wildcard role",
        remediation: "Bind a role that grants only the resources and verbs the subjects need.",
        equivalents: &[
            "kube-linter:cluster-admin-role-binding",
            "polaris:clusterrolebindingClusterAdmin",
            "polaris:rolebindingClusterAdminClusterRole",
            "polaris:rolebindingClusterAdminRole",
        ],
    }
}

impl RelationRule for ClusterAdminBinding {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for binding in bindings(index) {
            let Some((kind, name)) = role_ref(binding) else {
                continue;
            };
            let at = Pointer::root().join("roleRef/name");
            if kind == "ClusterRole" && name == "cluster-admin" {
                cx.report(binding, at, "grants the `cluster-admin` ClusterRole");
                continue;
            }
            let Some(role) = resolve_role(index, binding) else {
                continue;
            };
            let Some(rule) = find_rule(role, grants_everything) else {
                continue;
            };
            cx.report(
                binding,
                at,
                format!("grants the {kind} `{name}`, which allows every verb on every resource"),
            )
            .related(role, rule, "this rule grants everything");
        }
    }
}
