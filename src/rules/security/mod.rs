//! Rules about isolation: between containers, and between a container and its node.

use crate::rules::registry::Entry;

mod binding_grants_pod_exec;
mod capabilities_not_dropped;
mod cluster_admin_binding;
mod container_runs_as_root;
mod context;
mod dangerous_capability_added;
mod low_user_or_group_id;
mod missing_seccomp_profile;
mod net_raw_capability;
mod pod_not_isolated;
mod privileged_container;
mod rbac;
mod secret_in_config_map;
mod secret_in_env_var;
mod sensitive_host_mount;
mod service_account_token_automounted;

pub use binding_grants_pod_exec::BindingGrantsPodExec;
pub use capabilities_not_dropped::CapabilitiesNotDropped;
pub use cluster_admin_binding::ClusterAdminBinding;
pub use container_runs_as_root::ContainerRunsAsRoot;
pub use dangerous_capability_added::DangerousCapabilityAdded;
pub use low_user_or_group_id::LowUserOrGroupId;
pub use missing_seccomp_profile::MissingSeccompProfile;
pub use net_raw_capability::NetRawCapability;
pub use pod_not_isolated::PodNotIsolated;
pub use privileged_container::PrivilegedContainer;
pub use secret_in_config_map::SecretInConfigMap;
pub use secret_in_env_var::SecretInEnvVar;
pub use sensitive_host_mount::SensitiveHostMount;
pub use service_account_token_automounted::ServiceAccountTokenAutomounted;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Object(&PrivilegedContainer),
    Entry::Object(&ContainerRunsAsRoot),
    Entry::Object(&LowUserOrGroupId),
    Entry::Object(&SensitiveHostMount),
    Entry::Object(&MissingSeccompProfile),
    Entry::Object(&DangerousCapabilityAdded),
    Entry::Object(&NetRawCapability),
    Entry::Object(&CapabilitiesNotDropped),
    Entry::Object(&SecretInEnvVar),
    Entry::Object(&SecretInConfigMap),
    Entry::Relation(&ServiceAccountTokenAutomounted),
    Entry::Relation(&BindingGrantsPodExec),
    Entry::Relation(&ClusterAdminBinding),
    Entry::Relation(&PodNotIsolated),
];
