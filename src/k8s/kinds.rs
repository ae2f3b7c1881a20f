//! The vocabulary rules use to say which objects they apply to.

use super::Object;

/// A set of object kinds a rule is handed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Every object.
    Any,
    /// Objects that carry a pod template or are pods: Pod, PodTemplate, the
    /// workload controllers, Jobs, CronJobs, and well-known custom workloads
    /// such as Argo Rollouts and OpenShift DeploymentConfigs.
    PodSpecCarrier,
    /// Controllers that keep a number of replicas running: Deployment,
    /// StatefulSet, ReplicaSet, ReplicationController, Rollout, DeploymentConfig.
    ReplicatedWorkload,
    /// One kind by name, in any API group.
    Named(&'static str),
}

impl Kind {
    /// Whether `object` belongs to this set.
    pub fn matches(&self, object: &Object) -> bool {
        match self {
            Kind::Any => true,
            Kind::PodSpecCarrier => pod_spec_path(object).is_some(),
            Kind::ReplicatedWorkload => is_replicated(object.kind()),
            Kind::Named(name) => object.kind() == *name,
        }
    }

    /// The name shown in rule documentation.
    pub fn label(&self) -> &'static str {
        match self {
            Kind::Any => "any object",
            Kind::PodSpecCarrier => "pods and workloads",
            Kind::ReplicatedWorkload => "replicated workloads",
            Kind::Named(name) => name,
        }
    }
}

fn is_replicated(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment"
            | "StatefulSet"
            | "ReplicaSet"
            | "ReplicationController"
            | "Rollout"
            | "DeploymentConfig"
    )
}

/// Where the pod spec of an object lives, relative to the object, if it has
/// one. Rules ask this of every object, so each object knows it from the
/// start ([`Object::new`]).
pub fn pod_spec_path(object: &Object) -> Option<&'static str> {
    object.pod_spec_path
}

/// Where the pod spec of objects of `group` and `kind` lives.
pub(crate) fn pod_spec_path_of(group: &str, kind: &str) -> Option<&'static str> {
    let path = match (group, kind) {
        ("", "Pod") => "spec",
        ("", "PodTemplate") => "template/spec",
        ("", "ReplicationController")
        | ("apps" | "extensions", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | ("batch", "Job")
        | ("argoproj.io", "Rollout")
        | ("apps.openshift.io", "DeploymentConfig") => "spec/template/spec",
        ("batch", "CronJob") => "spec/jobTemplate/spec/template/spec",
        _ => return None,
    };
    Some(path)
}
