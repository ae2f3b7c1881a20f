//! How plimsoll covers the checks of kube-linter, Polaris and kube-score,
//! for `docs/coverage.md`: each peer check maps to the rules that name it in
//! their `equivalents`, or to a written reason why no rule does.

use super::registry::Registry;

/// Every peer check plimsoll accounts for, as `peer:check`.
pub const PEER_CHECKS: &[&str] = &[
    // kube-linter checks
    "kube-linter:privileged-container",
    "kube-linter:privilege-escalation-container",
    "kube-linter:run-as-non-root",
    "kube-linter:no-read-only-root-fs",
    "kube-linter:drop-net-raw-capability",
    "kube-linter:host-ipc",
    "kube-linter:host-network",
    "kube-linter:host-pid",
    "kube-linter:docker-sock",
    "kube-linter:sensitive-host-mounts",
    "kube-linter:writable-host-mount",
    "kube-linter:unsafe-proc-mount",
    "kube-linter:unsafe-sysctls",
    "kube-linter:scc-deny-privileged-container",
    "kube-linter:unset-cpu-requirements",
    "kube-linter:unset-memory-requirements",
    "kube-linter:priority-class-name",
    "kube-linter:no-liveness-probe",
    "kube-linter:no-readiness-probe",
    "kube-linter:liveness-port",
    "kube-linter:readiness-port",
    "kube-linter:startup-port",
    "kube-linter:latest-tag",
    "kube-linter:dangling-service",
    "kube-linter:dangling-ingress",
    "kube-linter:dangling-networkpolicy",
    "kube-linter:dangling-networkpolicypeer-podselector",
    "kube-linter:non-isolated-pod",
    "kube-linter:exposed-services",
    "kube-linter:invalid-target-ports",
    "kube-linter:ssh-port",
    "kube-linter:privileged-ports",
    "kube-linter:dnsconfig-options",
    "kube-linter:non-existent-service-account",
    "kube-linter:env-value-from",
    "kube-linter:dangling-horizontalpodautoscaler",
    "kube-linter:dangling-servicemonitor",
    "kube-linter:mismatching-selector",
    "kube-linter:no-extensions-v1beta",
    "kube-linter:deprecated-service-account-field",
    "kube-linter:required-annotation-email",
    "kube-linter:required-label-owner",
    "kube-linter:use-namespace",
    "kube-linter:sorted-keys",
    "kube-linter:no-anti-affinity",
    "kube-linter:minimum-three-replicas",
    "kube-linter:hpa-minimum-three-replicas",
    "kube-linter:pdb-max-unavailable",
    "kube-linter:pdb-min-available",
    "kube-linter:pdb-unhealthy-pod-eviction-policy",
    "kube-linter:no-rolling-update-strategy",
    "kube-linter:no-node-affinity",
    "kube-linter:restart-policy",
    "kube-linter:access-to-create-pods",
    "kube-linter:access-to-secrets",
    "kube-linter:cluster-admin-role-binding",
    "kube-linter:wildcard-in-rules",
    "kube-linter:default-service-account",
    "kube-linter:env-var-secret",
    "kube-linter:read-secret-from-env-var",
    "kube-linter:job-ttl-seconds-after-finished",
    "kube-linter:duplicate-env-var",
    // kube-linter templates
    "kube-linter:template-required-label",
    "kube-linter:template-required-annotation",
    "kube-linter:template-forbidden-annotation",
    "kube-linter:template-disallowed-api-obj",
    "kube-linter:template-forbidden-service-types",
    "kube-linter:template-host-mounts",
    "kube-linter:template-ports",
    "kube-linter:template-env-var",
    "kube-linter:template-image-pull-policy",
    "kube-linter:template-service-account",
    "kube-linter:template-cel-expression",
    // Polaris
    "polaris:hostIPCSet",
    "polaris:hostPIDSet",
    "polaris:hostNetworkSet",
    "polaris:hostPortSet",
    "polaris:hostPathSet",
    "polaris:hostProcess",
    "polaris:procMount",
    "polaris:linuxHardening",
    "polaris:notReadOnlyRootFilesystem",
    "polaris:privilegeEscalationAllowed",
    "polaris:runAsRootAllowed",
    "polaris:runAsPrivileged",
    "polaris:dangerousCapabilities",
    "polaris:insecureCapabilities",
    "polaris:automountServiceAccountToken",
    "polaris:cpuRequestsMissing",
    "polaris:cpuLimitsMissing",
    "polaris:memoryRequestsMissing",
    "polaris:memoryLimitsMissing",
    "polaris:priorityClassNotSet",
    "polaris:readinessProbeMissing",
    "polaris:livenessProbeMissing",
    "polaris:tagNotSpecified",
    "polaris:pullPolicyNotAlways",
    "polaris:missingNetworkPolicy",
    "polaris:tlsSettingsMissing",
    "polaris:metadataAndInstanceMismatched",
    "polaris:deploymentMissingReplicas",
    "polaris:missingPodDisruptionBudget",
    "polaris:pdbDisruptionsIsZero",
    "polaris:topologySpreadConstraint",
    "polaris:hpaMaxAvailability",
    "polaris:hpaMinAvailability",
    "polaris:pdbMinAvailableGreaterThanHPAMinReplicas",
    "polaris:clusterrolePodExecAttach",
    "polaris:rolePodExecAttach",
    "polaris:clusterrolebindingPodExecAttach",
    "polaris:rolebindingClusterRolePodExecAttach",
    "polaris:rolebindingRolePodExecAttach",
    "polaris:clusterrolebindingClusterAdmin",
    "polaris:rolebindingClusterAdminClusterRole",
    "polaris:rolebindingClusterAdminRole",
    "polaris:sensitiveContainerEnvVar",
    "polaris:sensitiveConfigmapContent",
    "polaris:nakedPod",
    "polaris:oneController",
    "polaris:resourceRange",
    // kube-score
    "kube-score:container-security-context-user-group-id",
    "kube-score:container-security-context-privileged",
    "kube-score:container-security-context-readonlyrootfilesystem",
    "kube-score:container-seccomp-profile",
    "kube-score:container-resources",
    "kube-score:container-resource-requests-equal-limits",
    "kube-score:container-cpu-requests-equal-limits",
    "kube-score:container-memory-requests-equal-limits",
    "kube-score:container-ephemeral-storage-request-and-limit",
    "kube-score:container-ephemeral-storage-request-equals-limit",
    "kube-score:pod-probes",
    "kube-score:pod-probes-identical",
    "kube-score:container-image-tag",
    "kube-score:container-image-pull-policy",
    "kube-score:service-type",
    "kube-score:service-targets-pod",
    "kube-score:ingress-targets-service",
    "kube-score:pod-networkpolicy",
    "kube-score:networkpolicy-targets-pod",
    "kube-score:container-ports-check",
    "kube-score:horizontalpodautoscaler-has-target",
    "kube-score:statefulset-has-servicename",
    "kube-score:deployment-pod-selector-labels-match-template-metadata-labels",
    "kube-score:statefulset-pod-selector-labels-match-template-metadata-labels",
    "kube-score:deployment-targeted-by-hpa-does-not-have-replicas-configured",
    "kube-score:stable-version",
    "kube-score:label-values",
    "kube-score:deployment-strategy",
    "kube-score:deployment-replicas",
    "kube-score:deployment-has-poddisruptionbudget",
    "kube-score:statefulset-has-poddisruptionbudget",
    "kube-score:poddisruptionbudget-has-policy",
    "kube-score:deployment-has-host-podantiaffinity",
    "kube-score:statefulset-has-host-podantiaffinity",
    "kube-score:horizontalpodautoscaler-replicas",
    "kube-score:pod-topology-spread-constraints",
    "kube-score:cronjob-has-deadline",
    "kube-score:cronjob-restartpolicy",
    "kube-score:environment-variable-key-duplication",
];

/// Peer checks that no rule names as an equivalent, with the reason.
pub const NOT_AS_A_RULE: &[(&str, &str)] = &[
    (
        "kube-linter:template-required-label",
        "the rule-file template `required-label` (see `missing-owner-label`)",
    ),
    (
        "kube-linter:template-required-annotation",
        "the rule-file template `required-annotation` (see `missing-owner-email-annotation`)",
    ),
    (
        "kube-linter:template-forbidden-annotation",
        "the rule-file templates `forbidden-annotation` and `forbidden-label`",
    ),
    (
        "kube-linter:template-disallowed-api-obj",
        "the rule-file template `disallowed-api`",
    ),
    (
        "kube-linter:template-forbidden-service-types",
        "the rule-file template `forbidden-service-types` (see `exposed-service`)",
    ),
    (
        "kube-linter:template-host-mounts",
        "the rule-file template `host-mounts` (see `host-path-volume`)",
    ),
    (
        "kube-linter:template-ports",
        "the rule-file template `ports` (see `ssh-port`, `privileged-port`)",
    ),
    (
        "kube-linter:template-env-var",
        "the rule-file template `env-var`",
    ),
    (
        "kube-linter:template-image-pull-policy",
        "the rule-file template `image-pull-policy`",
    ),
    (
        "kube-linter:template-service-account",
        "the rule-file template `json-schema` on `pod-spec` with a `serviceAccountName` pattern (see `default-service-account`)",
    ),
    (
        "kube-linter:template-cel-expression",
        "not covered: a CEL interpreter would be a large dependency for one template; the `json-schema` template expresses most field checks CEL is used for",
    ),
];

/// Where a rule covers a peer check only with a parameter set, or covers
/// part of it: the row says how.
const PARTLY: &[(&str, &str)] = &[
    (
        "kube-linter:liveness-port",
        "named ports by default; numbered ports with the parameter `check-numbered-ports: true`",
    ),
    (
        "kube-linter:readiness-port",
        "named ports by default; numbered ports with the parameter `check-numbered-ports: true`",
    ),
    (
        "kube-linter:startup-port",
        "named ports by default; numbered ports with the parameter `check-numbered-ports: true`",
    ),
];

/// `docs/coverage.md`.
pub fn markdown(registry: &Registry) -> String {
    let mut out = String::from(
        "# Coverage of kube-linter, Polaris and kube-score\n\n\
         One row per peer check: the plimsoll rules that cover it (from each rule's `equivalents`, \
         also printed by `plimsoll rules --format json`), or why none does. Generated; a test fails \
         when this file is stale (`UPDATE_DOCS=1 cargo test --test readme`).\n\n\
         | peer | check | plimsoll rule or reason |\n|---|---|---|\n",
    );
    for check in PEER_CHECKS {
        let (peer, name) = check.split_once(':').unwrap_or((check, ""));
        let wanted = check.replace(":template-", ":");
        let rules: Vec<String> = registry
            .metas()
            .filter(|m| m.equivalents.iter().any(|e| *e == wanted || e == check))
            .map(|m| {
                format!(
                    "`{}`{}",
                    m.name,
                    if m.default_enabled {
                        ""
                    } else {
                        " (off by default)"
                    }
                )
            })
            .collect();
        let cell = if rules.is_empty() {
            NOT_AS_A_RULE.iter().find(|(c, _)| c == check).map_or_else(
                || "**not covered**".to_owned(),
                |(_, reason)| (*reason).to_owned(),
            )
        } else {
            let joined = rules.join(", ");
            match PARTLY.iter().find(|(c, _)| c == check) {
                Some((_, how)) => format!("{joined}: {how}"),
                None => joined,
            }
        };
        out.push_str(&format!("| {peer} | {name} | {cell} |\n"));
    }
    out
}
