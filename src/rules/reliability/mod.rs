//! Rules about workloads that break under ordinary events: restarts,
//! rollouts, image updates and node loss.

use crate::rules::registry::Entry;

mod hpa_managed_replicas_set;
mod latest_image_tag;
mod missing_liveness_probe;
mod missing_pod_disruption_budget;
mod missing_readiness_probe;
mod pdb_min_available_exceeds_hpa_min;
mod pod_disruption_budget_blocks_eviction;

pub use hpa_managed_replicas_set::HpaManagedReplicasSet;
pub use latest_image_tag::LatestImageTag;
pub use missing_liveness_probe::MissingLivenessProbe;
pub use missing_pod_disruption_budget::MissingPodDisruptionBudget;
pub use missing_readiness_probe::MissingReadinessProbe;
pub use pdb_min_available_exceeds_hpa_min::PdbMinAvailableExceedsHpaMin;
pub use pod_disruption_budget_blocks_eviction::PodDisruptionBudgetBlocksEviction;

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
    Entry::Relation(&MissingPodDisruptionBudget),
    Entry::Relation(&PodDisruptionBudgetBlocksEviction),
    Entry::Relation(&PdbMinAvailableExceedsHpaMin),
    Entry::Relation(&HpaManagedReplicasSet),
];
