//! Reading RBAC objects: what a rule grants, and which role a binding
//! names, resolved among the objects of the run.

use crate::k8s::index::effective_namespace;
use crate::k8s::{Object, ObjectIndex};
use crate::yaml::{Node, Pointer};

/// Whether the string list `field` of an RBAC rule contains any of `wanted`.
pub fn lists_any(rule: &Node, field: &str, wanted: &[&str]) -> bool {
    rule.get(field)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::scalar_text)
        .any(|v| wanted.contains(&v))
}

/// Whether an RBAC rule lets its subjects exec into or attach to pods:
/// `pods/exec` or `pods/attach` (or a wildcard) in the core group, with
/// `create` (how `kubectl` does it), `get` (a WebSocket upgrade) or `*`.
pub fn grants_pod_exec(rule: &Node) -> bool {
    lists_any(rule, "apiGroups", &["", "*"])
        && lists_any(
            rule,
            "resources",
            &["pods/exec", "pods/attach", "pods/*", "*"],
        )
        && lists_any(rule, "verbs", &["create", "get", "*"])
}

/// Whether an RBAC rule grants everything: every group, every resource,
/// and `*` or all seven ordinary verbs.
pub fn grants_everything(rule: &Node) -> bool {
    const VERBS: [&str; 7] = [
        "get", "list", "watch", "create", "update", "patch", "delete",
    ];
    let all_verbs =
        lists_any(rule, "verbs", &["*"]) || VERBS.iter().all(|v| lists_any(rule, "verbs", &[v]));
    lists_any(rule, "apiGroups", &["*"]) && lists_any(rule, "resources", &["*"]) && all_verbs
}

/// The first rule of `role` for which `test` holds, with its pointer.
pub fn find_rule(role: &Object, test: impl Fn(&Node) -> bool) -> Option<Pointer> {
    role.root
        .list("rules")
        .iter()
        .position(test)
        .map(|index| Pointer::root().child("rules").child(index))
}

/// A binding's `roleRef`: the kind (`Role` or `ClusterRole`) and name.
pub fn role_ref(binding: &Object) -> Option<(&str, &str)> {
    let kind = binding
        .root
        .path("roleRef/kind")
        .and_then(Node::scalar_text)?;
    let name = binding
        .root
        .path("roleRef/name")
        .and_then(Node::scalar_text)?;
    Some((kind, name))
}

/// The role a binding refers to, if it is among the objects of the run: a
/// Role in the binding's namespace, or a ClusterRole by name.
pub fn resolve_role<'a>(index: &ObjectIndex<'a>, binding: &Object) -> Option<&'a Object> {
    match role_ref(binding)? {
        ("Role", name) if binding.kind() == "RoleBinding" => index
            .named("Role", effective_namespace(binding), name)
            .into_iter()
            .next(),
        ("ClusterRole", name) => index.of_kind("ClusterRole").find(|r| r.name() == name),
        _ => None,
    }
}

/// Every RoleBinding and ClusterRoleBinding of the run, in file order per kind.
pub fn bindings<'a>(index: &ObjectIndex<'a>) -> Vec<&'a Object> {
    index
        .of_kind("RoleBinding")
        .chain(index.of_kind("ClusterRoleBinding"))
        .collect()
}
