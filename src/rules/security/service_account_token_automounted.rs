use crate::k8s::index::{effective_namespace, nearest};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods and workloads that get a ServiceAccount token mounted:
    /// the pod spec does not set `automountServiceAccountToken: false`, and
    /// neither does its ServiceAccount (`serviceAccountName`, or `default`)
    /// when that account is among the objects linted together. The pod's
    /// setting wins over the account's, as in Kubernetes.
    ///
    /// Off by default: most workloads that never call the Kubernetes API
    /// still get a token, and which ones do call it is not visible in
    /// manifests.
    ///
    /// ## Why is this bad?
    /// The token is a credential for the API server, readable by every
    /// process in the pod. An attacker who gets code execution in a pod
    /// that never needed the API gets an identity to probe the cluster
    /// with, and whatever RBAC the account was granted.
    ///
    /// ## Example
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
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   automountServiceAccountToken: false
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    /// ```
    pub ServiceAccountTokenAutomounted => {
        id: "SEC054",
        name: "service-account-token-automounted",
        category: Security,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a pod gets a ServiceAccount token it may not need",
        remediation: "Set `automountServiceAccountToken: false` on the pod spec or its ServiceAccount; mount a projected token only where the API is used.",
        equivalents: &["polaris:automountServiceAccountToken"],
        enabled: false,
    }
}

impl RelationRule for ServiceAccountTokenAutomounted {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for object in index.pod_carriers() {
            let Some((spec_pointer, spec)) = extract::pod_spec(object) else {
                continue;
            };
            let field = spec_pointer.child("automountServiceAccountToken");
            match spec
                .get("automountServiceAccountToken")
                .and_then(Node::as_bool)
            {
                Some(false) => continue,
                Some(true) => {
                    cx.report(
                        object,
                        field,
                        "the pod mounts its ServiceAccount token (`automountServiceAccountToken: true`)",
                    );
                    continue;
                }
                None => {}
            }
            let account = ["serviceAccountName", "serviceAccount"]
                .iter()
                .find_map(|f| spec.get(f).and_then(Node::scalar_text))
                .filter(|name| !name.is_empty())
                .unwrap_or("default");
            let accounts = index.named("ServiceAccount", effective_namespace(object), account);
            if accounts.iter().any(|sa| {
                sa.root
                    .get("automountServiceAccountToken")
                    .and_then(Node::as_bool)
                    == Some(false)
            }) {
                continue;
            }
            let report = cx.report(
                object,
                field,
                format!(
                    "the pod mounts a token of the ServiceAccount `{account}`: neither the pod nor the account sets `automountServiceAccountToken: false`"
                ),
            );
            if let Some(sa) = nearest(&accounts, object) {
                report.related(
                    sa,
                    Pointer::root(),
                    "this ServiceAccount does not disable automounting",
                );
            }
        }
    }
}
