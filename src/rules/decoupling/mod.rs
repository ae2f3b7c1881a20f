//! Rules of the decoupling audit: configuration, secrets and addresses baked
//! into workloads, references that point nowhere, workloads that do not
//! survive losing a pod, and monoliths squeezed into a pod.
//!
//! The analyses live in [`crate::decoupling`], shared with `plimsoll audit`;
//! each rule here only turns one of them into findings.

use crate::decoupling::secrets::EntropyLimits;
use crate::rules::Reports;
use crate::rules::registry::Entry;

mod baked_in_config;
mod environment_image_tag;
mod fat_base_image;
mod image_sprawl;
mod image_tag_drift;
mod inline_config_file;
mod multiple_processes;
mod no_graceful_shutdown;
mod node_local_state;
mod oversized_image;
mod oversized_requests;
mod pinned_to_node;
mod recreate_strategy;
mod reference_missing;
mod repeated_config_literal;
mod secret_committed;
mod secret_value_in_annotation;
mod secret_value_in_args;
mod secret_value_in_config_map;
mod secret_value_in_env;
mod service_dependency_cycle;
mod service_reference_missing;
mod service_referenced_by_ip;
mod single_replica;
mod too_many_app_containers;
mod too_many_ports;

pub use baked_in_config::BakedInConfig;
pub use environment_image_tag::EnvironmentImageTag;
pub use fat_base_image::FatBaseImage;
pub use image_sprawl::ImageSprawl;
pub use image_tag_drift::ImageTagDrift;
pub use inline_config_file::InlineConfigFile;
pub use multiple_processes::MultipleProcesses;
pub use no_graceful_shutdown::NoGracefulShutdown;
pub use node_local_state::NodeLocalState;
pub use oversized_image::OversizedImage;
pub use oversized_requests::OversizedRequests;
pub use pinned_to_node::PinnedToNode;
pub use recreate_strategy::RecreateStrategy;
pub use reference_missing::ReferenceMissing;
pub use repeated_config_literal::RepeatedConfigLiteral;
pub use secret_committed::SecretCommitted;
pub use secret_value_in_annotation::SecretValueInAnnotation;
pub use secret_value_in_args::SecretValueInArgs;
pub use secret_value_in_config_map::SecretValueInConfigMap;
pub use secret_value_in_env::SecretValueInEnv;
pub use service_dependency_cycle::ServiceDependencyCycle;
pub use service_reference_missing::ServiceReferenceMissing;
pub use service_referenced_by_ip::ServiceReferencedByIp;
pub use single_replica::SingleReplica;
pub use too_many_app_containers::TooManyAppContainers;
pub use too_many_ports::TooManyPorts;

/// The entropy test's parameters `entropy-threshold` and `min-length`,
/// shared by the secret rules.
fn entropy_limits(cx: &Reports<'_>) -> EntropyLimits {
    let defaults = EntropyLimits::default();
    EntropyLimits {
        threshold: cx.param("entropy-threshold", defaults.threshold),
        min_length: cx.param("min-length", defaults.min_length),
    }
}

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Relation(&ReferenceMissing),
    Entry::Object(&SecretValueInEnv),
    Entry::Object(&SecretValueInArgs),
    Entry::Object(&SecretValueInConfigMap),
    Entry::Object(&SecretValueInAnnotation),
    Entry::Object(&SecretCommitted),
    Entry::Object(&BakedInConfig),
    Entry::Relation(&RepeatedConfigLiteral),
    Entry::Object(&EnvironmentImageTag),
    Entry::Relation(&ImageTagDrift),
    Entry::Object(&InlineConfigFile),
    Entry::Relation(&ServiceReferenceMissing),
    Entry::Relation(&ServiceReferencedByIp),
    Entry::Relation(&ServiceDependencyCycle),
    Entry::Relation(&SingleReplica),
    Entry::Relation(&NodeLocalState),
    Entry::Relation(&PinnedToNode),
    Entry::Relation(&NoGracefulShutdown),
    Entry::Relation(&RecreateStrategy),
    Entry::Object(&TooManyAppContainers),
    Entry::Object(&MultipleProcesses),
    Entry::Object(&OversizedRequests),
    Entry::Object(&FatBaseImage),
    Entry::Object(&TooManyPorts),
    Entry::Relation(&ImageSprawl),
    Entry::Object(&OversizedImage),
];
