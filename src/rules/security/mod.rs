//! Rules about isolation: between containers, and between a container and its node.

mod privileged_container;

pub use privileged_container::PrivilegedContainer;
