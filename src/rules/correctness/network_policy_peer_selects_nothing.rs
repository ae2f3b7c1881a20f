use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicy peers (`spec.ingress[].from[]` and
    /// `spec.egress[].to[]`) that have a non-empty `podSelector` and no
    /// `namespaceSelector`, and that select no pod or pod template among the
    /// objects linted together in the policy's namespace. Peers with a
    /// `namespaceSelector` reach into other namespaces that a run rarely
    /// holds, and are not checked.
    ///
    /// ## Why is this bad?
    /// A peer that matches no pod allows traffic from or to nothing, so the
    /// connection the rule was written for is dropped once the policy
    /// isolates the pods: the frontend can no longer reach the API, or the
    /// API can no longer reach its database.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: front-end
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: frontend
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: frontend
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: frontend
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: frontend
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: frontend
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: frontend
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: frontend
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx:1.27
    /// ```
    pub NetworkPolicyPeerSelectsNothing => {
        id: "COR012",
        name: "network-policy-peer-selects-nothing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Named("NetworkPolicy")],
        summary: "a NetworkPolicy peer's pod selector matches no pods",
        remediation: "Fix the peer's pod selector, add a `namespaceSelector` if the peer lives in another namespace, or lint the policy together with the peer's workloads.",
        equivalents: &["kube-linter:dangling-networkpolicypeer-podselector"],
    }
}

impl RelationRule for NetworkPolicyPeerSelectsNothing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for policy in index.of_kind("NetworkPolicy") {
            let namespace = effective_namespace(policy);
            for (direction, peers_key) in [("ingress", "from"), ("egress", "to")] {
                let rules = policy.root.path("spec").and_then(|s| s.get(direction));
                for (r, rule) in rules
                    .map(Node::items)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    let peers = rule.get(peers_key).map(Node::items).unwrap_or_default();
                    for (p, peer) in peers.iter().enumerate() {
                        if peer.get("namespaceSelector").is_some() {
                            continue;
                        }
                        let Some(selector) = peer.get("podSelector").and_then(LabelSelector::parse)
                        else {
                            continue;
                        };
                        if selector.is_empty()
                            || !index.pods_selected(namespace, &selector).is_empty()
                        {
                            continue;
                        }
                        let pointer = Pointer::root()
                            .join("spec")
                            .child(direction)
                            .child(r)
                            .child(peers_key)
                            .child(p)
                            .child("podSelector");
                        cx.report(
                            policy,
                            pointer,
                            format!(
                                "no pod template in namespace `{namespace}` matches the {direction} peer `{selector}`"
                            ),
                        );
                    }
                }
            }
        }
    }
}
