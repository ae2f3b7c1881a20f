//! Rules about how workloads use the cluster's capacity.

mod missing_resource_requests;

pub use missing_resource_requests::MissingResourceRequests;
