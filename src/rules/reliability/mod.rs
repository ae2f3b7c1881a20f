//! Rules about workloads that break under ordinary events: restarts,
//! rollouts, image updates and node loss.

use crate::rules::registry::Entry;

mod latest_image_tag;
mod missing_liveness_probe;
mod missing_readiness_probe;

pub use latest_image_tag::LatestImageTag;
pub use missing_liveness_probe::MissingLivenessProbe;
pub use missing_readiness_probe::MissingReadinessProbe;

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
];
