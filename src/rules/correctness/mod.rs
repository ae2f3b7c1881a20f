//! Rules about objects that are wrong: Kubernetes rejects them, or they are
//! accepted but cannot do what they say.

use crate::rules::registry::Entry;

mod ambiguous_yaml_scalar;
mod duplicate_env_var;
mod hpa_target_missing;
mod ingress_backend_missing;
mod invalid_port_name;
mod network_policy_peer_selects_nothing;
mod network_policy_selects_nothing;
mod selector_mismatch;
mod service_account_missing;
mod service_monitor_selects_nothing;
mod service_selects_nothing;
mod service_target_port_missing;
mod statefulset_service_missing;

pub use ambiguous_yaml_scalar::AmbiguousYamlScalar;
pub use duplicate_env_var::DuplicateEnvVar;
pub use hpa_target_missing::HpaTargetMissing;
pub use ingress_backend_missing::IngressBackendMissing;
pub use invalid_port_name::InvalidPortName;
pub use network_policy_peer_selects_nothing::NetworkPolicyPeerSelectsNothing;
pub use network_policy_selects_nothing::NetworkPolicySelectsNothing;
pub use selector_mismatch::SelectorMismatch;
pub use service_account_missing::ServiceAccountMissing;
pub use service_monitor_selects_nothing::ServiceMonitorSelectsNothing;
pub use service_selects_nothing::ServiceSelectsNothing;
pub use service_target_port_missing::ServiceTargetPortMissing;
pub use statefulset_service_missing::StatefulSetServiceMissing;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Object(&InvalidPortName),
    Entry::Object(&DuplicateEnvVar),
    Entry::Object(&SelectorMismatch),
    Entry::Relation(&ServiceSelectsNothing),
    Entry::Relation(&ServiceTargetPortMissing),
    Entry::Relation(&IngressBackendMissing),
    Entry::Relation(&NetworkPolicySelectsNothing),
    Entry::Relation(&NetworkPolicyPeerSelectsNothing),
    Entry::Relation(&ServiceAccountMissing),
    Entry::Relation(&HpaTargetMissing),
    Entry::Relation(&StatefulSetServiceMissing),
    Entry::Relation(&ServiceMonitorSelectsNothing),
    Entry::Object(&AmbiguousYamlScalar),
];
