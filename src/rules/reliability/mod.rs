//! Rules about workloads that break under ordinary events: restarts,
//! rollouts, image updates and node loss.

use crate::rules::registry::Entry;

mod disallowed_priority_class;
mod hpa_cannot_scale;
mod hpa_managed_replicas_set;
mod hpa_min_replicas_too_low;
mod invalid_label_value;
mod latest_image_tag;
mod liveness_probe_same_as_readiness;
mod missing_liveness_probe;
mod missing_pod_anti_affinity;
mod missing_pod_disruption_budget;
mod missing_readiness_probe;
mod pdb_min_available_exceeds_hpa_min;
mod pod_disruption_budget_blocks_eviction;
mod probe_port_not_declared;
mod too_few_replicas;

pub use disallowed_priority_class::DisallowedPriorityClass;
pub use hpa_cannot_scale::HpaCannotScale;
pub use hpa_managed_replicas_set::HpaManagedReplicasSet;
pub use hpa_min_replicas_too_low::HpaMinReplicasTooLow;
pub use invalid_label_value::InvalidLabelValue;
pub use latest_image_tag::LatestImageTag;
pub use liveness_probe_same_as_readiness::LivenessProbeSameAsReadiness;
pub use missing_liveness_probe::MissingLivenessProbe;
pub use missing_pod_anti_affinity::MissingPodAntiAffinity;
pub use missing_pod_disruption_budget::MissingPodDisruptionBudget;
pub use missing_readiness_probe::MissingReadinessProbe;
pub use pdb_min_available_exceeds_hpa_min::PdbMinAvailableExceedsHpaMin;
pub use pod_disruption_budget_blocks_eviction::PodDisruptionBudgetBlocksEviction;
pub use probe_port_not_declared::ProbePortNotDeclared;
pub use too_few_replicas::TooFewReplicas;

use crate::k8s::Object;
use crate::k8s::extract::Container;

/// Whether a container serves for as long as its pod lives, so that probes
/// make sense: not an init or ephemeral container, and not part of a Job.
fn serves_traffic(object: &Object, container: &Container<'_>) -> bool {
    container.is_long_running() && !matches!(object.kind(), "Job" | "CronJob")
}

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Object(&LatestImageTag),
    Entry::Object(&MissingReadinessProbe),
    Entry::Object(&MissingLivenessProbe),
    Entry::Object(&ProbePortNotDeclared),
    Entry::Object(&LivenessProbeSameAsReadiness),
    Entry::Object(&TooFewReplicas),
    Entry::Object(&HpaMinReplicasTooLow),
    Entry::Object(&HpaCannotScale),
    Entry::Object(&MissingPodAntiAffinity),
    Entry::Object(&DisallowedPriorityClass),
    Entry::Object(&InvalidLabelValue),
    Entry::Relation(&MissingPodDisruptionBudget),
    Entry::Relation(&PodDisruptionBudgetBlocksEviction),
    Entry::Relation(&PdbMinAvailableExceedsHpaMin),
    Entry::Relation(&HpaManagedReplicasSet),
];
