use crate::k8s::index::effective_namespace;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags pods and workloads whose `serviceAccountName` (or the deprecated
    /// `serviceAccount`) names a ServiceAccount that is not among the objects
    /// linted together, in the workload's namespace. The `default` account,
    /// which every namespace has, is never flagged.
    ///
    /// The check runs only where the run manages ServiceAccounts: in a
    /// namespace for which it defines at least one ServiceAccount, or whose
    /// `Namespace` object it defines. Accounts that come from elsewhere (a
    /// platform team, Terraform, a chart installed earlier) would otherwise
    /// be reported in every run that does not include them, which is
    /// kube-linter's most common false positive for this check.
    ///
    /// ## Why is this bad?
    /// The API server accepts the workload, but its pods are never created:
    /// the ReplicaSet reports `error looking up service account` and the
    /// rollout hangs. The usual cause is a renamed account or a chart value
    /// that disabled creating it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: billing-api
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: billing
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: billing
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: billing
    ///     spec:
    ///       serviceAccountName: billing
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/billing:1.4.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ServiceAccount
    /// metadata:
    ///   name: billing-api
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: billing
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: billing
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: billing
    ///     spec:
    ///       serviceAccountName: billing-api
    ///       containers:
    ///         - name: api
    ///           image: registry.example.com/billing:1.4.0
    /// ```
    pub ServiceAccountMissing => {
        id: "COR014",
        name: "service-account-missing",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a pod uses a ServiceAccount that the run does not define",
        remediation: "Create the ServiceAccount in the workload's namespace, or name one that exists.",
        equivalents: &["kube-linter:non-existent-service-account"],
    }
}

impl RelationRule for ServiceAccountMissing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        for workload in index.pod_carriers() {
            let Some((spec_pointer, spec)) = extract::pod_spec(workload) else {
                continue;
            };
            let Some((field, account)) = ["serviceAccountName", "serviceAccount"]
                .into_iter()
                .find_map(|f| Some((f, spec.get(f)?.scalar_text()?)))
            else {
                continue;
            };
            if account.is_empty() || account == "default" {
                continue;
            }
            let namespace = effective_namespace(workload);
            if !index.named("ServiceAccount", namespace, account).is_empty() {
                continue;
            }
            let accounts = index.of_kind_in("ServiceAccount", namespace);
            // Namespaces are cluster-scoped: looked up under no namespace.
            let managed =
                !accounts.is_empty() || !index.named("Namespace", "", namespace).is_empty();
            if !managed {
                continue;
            }
            let report = cx.report(
                workload,
                spec_pointer.child(field),
                format!("no ServiceAccount `{account}` in namespace `{namespace}`"),
            );
            let similar = accounts
                .iter()
                .map(|a| (strsim::jaro_winkler(account, a.name()), a))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, similar)) = similar {
                report.related(
                    similar,
                    Pointer::root().join("metadata/name"),
                    format!("did you mean `{}`?", similar.name()),
                );
            }
        }
    }
}
