//! Rules about how workloads use the cluster's capacity.

use crate::rules::registry::Entry;

mod missing_dns_config_option;
mod missing_resource_requests;
pub(crate) mod quantity;
mod resource_out_of_range;
mod resource_requests_differ_from_limits;

pub use missing_dns_config_option::MissingDnsConfigOption;
pub use missing_resource_requests::MissingResourceRequests;
pub use resource_out_of_range::ResourceOutOfRange;
pub use resource_requests_differ_from_limits::ResourceRequestsDifferFromLimits;

/// The rules of this category, in documentation order.
pub static RULES: &[Entry] = &[
    Entry::Object(&MissingResourceRequests),
    Entry::Object(&ResourceRequestsDifferFromLimits),
    Entry::Object(&ResourceOutOfRange),
    Entry::Object(&MissingDnsConfigOption),
];
