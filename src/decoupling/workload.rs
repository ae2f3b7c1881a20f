//! What the decoupling audit asks of one workload: would it survive a random
//! pod being killed (transience), and is it a monolith squeezed into a pod.
//!
//! [`Transience`] computes the run-wide facts once (which workloads a
//! Service selects, which a PodDisruptionBudget covers) so that per-workload
//! questions are lookups.

use std::collections::{HashMap, HashSet};

use super::graph;
use crate::k8s::extract::{self, Container, ContainerKind};
use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::k8s::{Kind, Object, ObjectId, ObjectIndex};
use crate::yaml::{Node, Pointer};

/// A problem found about a workload: where and what.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Pointer into the workload.
    pub pointer: Pointer,
    /// The message, lower case, no final period.
    pub message: String,
}

fn problem(pointer: Pointer, message: impl Into<String>) -> Problem {
    Problem {
        pointer,
        message: message.into(),
    }
}

/// A Kubernetes quantity (`500m`, `2`, `8Gi`, `1e3`, `1.5G`) as a number.
pub fn parse_quantity(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        _ => return None,
    };
    Some(number * factor)
}

/// `spec.replicas`, 1 when absent.
pub fn replicas(object: &Object) -> i64 {
    object
        .root
        .path("spec/replicas")
        .and_then(Node::as_i64)
        .unwrap_or(1)
}

/// Whether the workload runs long-lived replicas whose loss users could
/// notice: the replicated controllers and bare Pods, not Jobs or DaemonSets.
pub fn is_service_workload(object: &Object) -> bool {
    Kind::ReplicatedWorkload.matches(object) || object.kind() == "Pod"
}

/// Run-wide facts for transience questions.
pub struct Transience<'a> {
    index: &'a ObjectIndex<'a>,
    /// Workloads some Service selects, with the first such Service.
    served: HashMap<ObjectId, &'a Object>,
    /// Workloads some PodDisruptionBudget selects, with whether one of
    /// those budgets lets a pod go.
    budgets: HashMap<ObjectId, bool>,
}

impl<'a> Transience<'a> {
    /// Computes the facts of the run indexed by `index`.
    pub fn new(index: &'a ObjectIndex<'a>) -> Self {
        let mut served = HashMap::new();
        for service in index.of_kind("Service") {
            for workload in graph::backends(index, service) {
                served.entry(workload.id).or_insert(service);
            }
        }
        let mut budgets: HashMap<ObjectId, bool> = HashMap::new();
        for pdb in index.of_kind("PodDisruptionBudget") {
            let Some(selector) = pdb
                .root
                .path("spec/selector")
                .and_then(LabelSelector::parse)
            else {
                continue;
            };
            for workload in index.pods_selected(effective_namespace(pdb), &selector) {
                let allows = budget_allows_disruption(pdb, replicas(workload));
                *budgets.entry(workload.id).or_default() |= allows;
            }
        }
        Self {
            index,
            served,
            budgets,
        }
    }

    /// The Service that selects `workload`, if any.
    pub fn service_of(&self, workload: &Object) -> Option<&'a Object> {
        self.served.get(&workload.id).copied()
    }

    /// The replica count that survives: the larger of `spec.replicas` and
    /// the `minReplicas` of an autoscaler targeting the workload.
    pub fn min_replicas(&self, workload: &Object) -> i64 {
        let hpa = self
            .index
            .autoscalers_of(workload)
            .iter()
            .filter_map(|h| h.root.path("spec/minReplicas").and_then(Node::as_i64))
            .max();
        match hpa {
            Some(min) => min,
            None => replicas(workload),
        }
    }

    /// A workload with one replica: one pod killed is an outage.
    pub fn single_replica(&self, workload: &Object) -> Option<Problem> {
        if !Kind::ReplicatedWorkload.matches(workload) {
            return (workload.kind() == "Pod").then(|| {
                problem(
                    Pointer::root().join("metadata/name"),
                    "a bare Pod is not recreated when it is killed; run it under a Deployment",
                )
            });
        }
        let count = self.min_replicas(workload);
        if count >= 2 || workload.root.path("spec/replicas").and_then(Node::as_i64) == Some(0) {
            return None;
        }
        let pointer = match workload.root.path("spec/replicas") {
            Some(_) => Pointer::root().join("spec/replicas"),
            None => Pointer::root().join("spec"),
        };
        let kind = workload.kind();
        Some(problem(
            pointer,
            if kind == "StatefulSet" {
                "this StatefulSet runs a single replica: killing its pod takes the service down until it is rescheduled".to_owned()
            } else {
                format!("this {kind} runs a single replica: killing its pod takes the service down")
            },
        ))
    }

    /// Serving without a readiness probe, when a Service selects the pods.
    pub fn missing_readiness(&self, workload: &Object) -> Option<Problem> {
        let service = self.service_of(workload)?;
        let container = serving(workload)
            .into_iter()
            .find(|c| c.node.get("readinessProbe").is_none())?;
        Some(problem(
            container.field("readinessProbe"),
            format!(
                "container `{}` has no readiness probe but Service `{}` sends it traffic",
                container.name,
                service.name()
            ),
        ))
    }

    /// A serving container without a liveness probe.
    pub fn missing_liveness(&self, workload: &Object) -> Option<Problem> {
        let container = serving(workload)
            .into_iter()
            .find(|c| c.node.get("livenessProbe").is_none())?;
        Some(problem(
            container.field("livenessProbe"),
            format!("container `{}` has no liveness probe", container.name),
        ))
    }

    /// Replicated, but no PodDisruptionBudget that lets one pod go.
    pub fn missing_budget(&self, workload: &Object) -> Option<Problem> {
        if !Kind::ReplicatedWorkload.matches(workload) || self.min_replicas(workload) < 2 {
            return None;
        }
        match self.budgets.get(&workload.id) {
            Some(true) => None,
            Some(false) => Some(problem(
                Pointer::root().join("metadata/name"),
                "the PodDisruptionBudget selecting it allows no disruption",
            )),
            None => Some(problem(
                Pointer::root().join("metadata/name"),
                "no PodDisruptionBudget selects its pods",
            )),
        }
    }

    /// Served pods with no time to leave the endpoints before they stop.
    pub fn no_graceful_shutdown(&self, workload: &Object) -> Option<Problem> {
        let service = self.service_of(workload)?;
        let (spec_pointer, spec) = extract::pod_spec(workload)?;
        let grace = spec
            .get("terminationGracePeriodSeconds")
            .and_then(Node::as_i64);
        if grace == Some(0) {
            return Some(problem(
                spec_pointer.child("terminationGracePeriodSeconds"),
                "`terminationGracePeriodSeconds: 0` kills the pod without letting it finish requests",
            ));
        }
        let containers = serving(workload);
        let hooks: Vec<&Container<'_>> = containers
            .iter()
            .filter(|c| c.node.path("lifecycle/preStop").is_some())
            .collect();
        if hooks.is_empty() {
            let first = containers.first()?;
            return Some(problem(
                first.field("lifecycle"),
                format!(
                    "container `{}` has no preStop hook: it may stop before Service `{}` stops sending it requests",
                    first.name,
                    service.name()
                ),
            ));
        }
        let grace = grace.unwrap_or(30);
        let sleep = hooks.iter().filter_map(|c| pre_stop_sleep(c.node)).max()?;
        (sleep >= grace).then(|| {
            problem(
                spec_pointer.child("terminationGracePeriodSeconds"),
                format!(
                    "the grace period ({grace}s) does not outlast the preStop sleep ({sleep}s), so the pod is killed mid-shutdown"
                ),
            )
        })
    }

    /// Node-local state in a workload that may be rescheduled anywhere.
    pub fn node_local_state(&self, workload: &Object) -> Vec<Problem> {
        if !matches!(
            workload.kind(),
            "Deployment" | "ReplicaSet" | "Rollout" | "DeploymentConfig" | "ReplicationController"
        ) {
            return Vec::new();
        }
        let Some((spec_pointer, spec)) = extract::pod_spec(workload) else {
            return Vec::new();
        };
        let mounts: Vec<(&str, &str)> = extract::containers(workload)
            .iter()
            .filter(|c| c.kind == ContainerKind::Regular && !is_sidecar(c))
            .flat_map(|c| c.node.list("volumeMounts"))
            .filter(|m| m.get("readOnly").and_then(Node::as_bool) != Some(true))
            .filter_map(|m| {
                Some((
                    m.get("name")?.scalar_text()?,
                    m.get("mountPath")?.scalar_text()?,
                ))
            })
            .collect();
        let namespace = effective_namespace(workload);
        let mut out = Vec::new();
        for (i, volume) in spec.list("volumes").iter().enumerate() {
            let name = volume
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            let pointer = spec_pointer.join(&format!("volumes/{i}"));
            if let Some(path) = volume.path("hostPath/path").and_then(Node::scalar_text) {
                // Devices, kernel interfaces and sockets are node access, not state.
                if [
                    "/dev",
                    "/sys",
                    "/proc",
                    "/lib/modules",
                    "/run",
                    "/var/run",
                    "/etc",
                    "/usr",
                ]
                .iter()
                .any(|p| path == *p || path.starts_with(&format!("{p}/")))
                {
                    continue;
                }
                out.push(problem(
                    pointer.join("hostPath"),
                    format!("volume `{name}` is the node's directory `{path}`: a replacement pod on another node does not see it"),
                ));
                continue;
            }
            if volume.get("emptyDir").is_some() {
                if volume.path("emptyDir/medium").and_then(Node::scalar_text) == Some("Memory") {
                    continue;
                }
                if let Some((_, path)) = mounts.iter().find(|(n, p)| *n == name && is_data_path(p))
                {
                    out.push(problem(
                        pointer.join("emptyDir"),
                        format!("volume `{name}` is an emptyDir mounted at `{path}`: data written there is lost with the pod"),
                    ));
                }
                continue;
            }
            let Some(claim) = volume
                .path("persistentVolumeClaim/claimName")
                .and_then(Node::scalar_text)
            else {
                continue;
            };
            if self.claim_is_local(namespace, claim) {
                out.push(problem(
                    pointer.join("persistentVolumeClaim"),
                    format!("claim `{claim}` is bound to a local PersistentVolume, which lives on one node"),
                ));
            }
        }
        out
    }

    fn claim_is_local(&self, namespace: &str, claim: &str) -> bool {
        let is_local = |pv: &Object| {
            pv.root.path("spec/local").is_some() || pv.root.path("spec/hostPath").is_some()
        };
        for pvc in self.index.named("PersistentVolumeClaim", namespace, claim) {
            let volume = pvc.root.path("spec/volumeName").and_then(Node::scalar_text);
            let bound_to_local = volume.is_some_and(|volume| {
                self.index
                    .named("PersistentVolume", "", volume)
                    .iter()
                    .any(|pv| is_local(pv))
            });
            if bound_to_local {
                return true;
            }
            let class = pvc
                .root
                .path("spec/storageClassName")
                .and_then(Node::scalar_text);
            if class.is_some_and(|c| c.contains("local")) {
                return true;
            }
        }
        false
    }

    /// Pods that may run on one node only.
    pub fn pinned_to_node(&self, workload: &Object) -> Option<Problem> {
        if workload.kind() == "DaemonSet" {
            return None;
        }
        let (spec_pointer, spec) = extract::pod_spec(workload)?;
        if let Some(node) = spec.get("nodeName").and_then(Node::scalar_text) {
            return Some(problem(
                spec_pointer.child("nodeName"),
                format!(
                    "`nodeName: {node}` binds the pods to one node: when it goes, they cannot be rescheduled"
                ),
            ));
        }
        if let Some(host) = spec
            .path("nodeSelector")
            .and_then(|s| s.get("kubernetes.io/hostname"))
            .and_then(Node::scalar_text)
        {
            return Some(problem(
                spec_pointer
                    .join("nodeSelector")
                    .child("kubernetes.io/hostname"),
                format!("the node selector pins the pods to the node `{host}`"),
            ));
        }
        let terms = spec
            .path("affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms")
            .map(Node::items)
            .unwrap_or_default();
        let mut hosts = HashSet::new();
        for term in terms {
            for expression in term.list("matchExpressions") {
                if expression.get("key").and_then(Node::scalar_text)
                    == Some("kubernetes.io/hostname")
                    && expression.get("operator").and_then(Node::scalar_text) == Some("In")
                {
                    for v in expression.list("values") {
                        hosts.insert(v.scalar_text().unwrap_or_default());
                    }
                } else {
                    return None;
                }
            }
        }
        (hosts.len() == 1).then(|| {
            problem(
                spec_pointer.join("affinity/nodeAffinity"),
                format!(
                    "the required node affinity pins the pods to the node `{}`",
                    hosts.into_iter().next().unwrap_or_default()
                ),
            )
        })
    }

    /// Several replicas with nothing that keeps them off one node.
    pub fn not_spread(&self, workload: &Object) -> Option<Problem> {
        if !Kind::ReplicatedWorkload.matches(workload) || self.min_replicas(workload) < 2 {
            return None;
        }
        let (spec_pointer, spec) = extract::pod_spec(workload)?;
        let spread = spec
            .get("topologySpreadConstraints")
            .is_some_and(|t| !t.items().is_empty())
            || spec.path("affinity/podAntiAffinity").is_some();
        (!spread).then(|| {
            problem(
                spec_pointer.join("affinity"),
                "no topology spread constraint or pod anti-affinity keeps the replicas on different nodes",
            )
        })
    }

    /// A Deployment that replaces all pods at once.
    pub fn recreate_strategy(&self, workload: &Object) -> Option<Problem> {
        if workload.kind() != "Deployment" {
            return None;
        }
        let strategy = workload
            .root
            .path("spec/strategy/type")
            .and_then(Node::scalar_text)?;
        (strategy == "Recreate").then(|| {
            problem(
                Pointer::root().join("spec/strategy/type"),
                "the `Recreate` strategy stops every pod before starting new ones: each rollout is an outage",
            )
        })
    }

    /// The transience verdict of a workload; `None` for workloads that are
    /// not long-running services (Jobs, CronJobs, DaemonSets).
    pub fn verdict(&self, workload: &Object) -> Option<Verdict> {
        if !is_service_workload(workload) {
            return None;
        }
        let mut failures = Vec::new();
        let mut push = |rule: &'static str, p: Option<Problem>| {
            if let Some(p) = p {
                failures.push((rule, p));
            }
        };
        push("single-replica", self.single_replica(workload));
        push("missing-readiness-probe", self.missing_readiness(workload));
        push("missing-liveness-probe", self.missing_liveness(workload));
        push(
            "missing-pod-disruption-budget",
            self.missing_budget(workload),
        );
        push("no-graceful-shutdown", self.no_graceful_shutdown(workload));
        for p in self.node_local_state(workload) {
            push("node-local-state", Some(p));
        }
        push("pinned-to-node", self.pinned_to_node(workload));
        push("missing-pod-anti-affinity", self.not_spread(workload));
        push("recreate-strategy", self.recreate_strategy(workload));
        Some(Verdict { failures })
    }
}

/// Whether a transient workload survives random pod termination.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The criteria it fails: the rule that reports each, and the problem.
    pub failures: Vec<(&'static str, Problem)>,
}

impl Verdict {
    /// Survives when none of the criteria that lose requests or the service
    /// fail; a missing liveness probe, budget or spread only weakens it.
    pub fn survives(&self) -> bool {
        !self.failures.iter().any(|(rule, _)| {
            matches!(
                *rule,
                "single-replica"
                    | "missing-readiness-probe"
                    | "node-local-state"
                    | "pinned-to-node"
                    | "no-graceful-shutdown"
            )
        })
    }

    /// "yes" or "no, because …".
    pub fn sentence(&self) -> String {
        if self.failures.is_empty() {
            return "yes".to_owned();
        }
        let reasons: Vec<&str> = self
            .failures
            .iter()
            .map(|(_, p)| p.message.as_str())
            .collect();
        let answer = if self.survives() {
            "yes, but"
        } else {
            "no, because"
        };
        format!("{answer} {}", reasons.join("; "))
    }
}

fn budget_allows_disruption(pdb: &Object, replicas: i64) -> bool {
    let spec = |f: &str| pdb.root.path("spec").and_then(|s| s.get(f));
    if let Some(max) = spec("maxUnavailable") {
        return match max.as_i64() {
            Some(n) => n > 0,
            None => max
                .scalar_text()
                .is_some_and(|t| t.trim_end_matches('%') != "0"),
        };
    }
    match spec("minAvailable") {
        Some(min) => match min.as_i64() {
            Some(n) => n < replicas,
            None => min
                .scalar_text()
                .is_some_and(|t| t.trim_end_matches('%') != "100"),
        },
        None => true,
    }
}

/// Long-running containers of a workload that is not a Job.
fn serving(workload: &Object) -> Vec<Container<'_>> {
    if matches!(workload.kind(), "Job" | "CronJob") {
        return Vec::new();
    }
    extract::containers(workload)
        .into_iter()
        .filter(Container::is_long_running)
        .collect()
}

/// Seconds a preStop hook sleeps: `sleep.seconds`, or `sleep N` in its command.
fn pre_stop_sleep(container: &Node) -> Option<i64> {
    let hook = container.path("lifecycle/preStop")?;
    if let Some(s) = hook.path("sleep/seconds").and_then(Node::as_i64) {
        return Some(s);
    }
    let command: Vec<&str> = hook
        .path("exec/command")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::scalar_text)
        .collect();
    let text = command.join(" ");
    let after = text.split("sleep").nth(1)?;
    after
        .split_whitespace()
        .next()?
        .trim_end_matches(['s', ';'])
        .parse()
        .ok()
}

fn is_data_path(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or_default();
    // Istio's proxy keeps only its regenerated bootstrap under /var/lib/istio.
    if path.starts_with("/var/lib/istio") {
        return false;
    }
    matches!(
        last,
        "data" | "db" | "database" | "uploads" | "storage" | "state" | "persistence"
    ) || path.starts_with("/var/lib/")
}

/// Sidecars that do not count as application containers.
pub const SIDECARS: [&str; 16] = [
    "istio-proxy",
    "envoy",
    "linkerd-proxy",
    "fluent-bit",
    "fluentbit",
    "fluentd",
    "filebeat",
    "promtail",
    "vault-agent",
    "cloud-sql-proxy",
    "cloudsql-proxy",
    "jaeger-agent",
    "otel-collector",
    "config-reloader",
    "configmap-reload",
    "kube-rbac-proxy",
];

/// Whether a container is a well-known sidecar, by name or image.
pub fn is_sidecar(container: &Container<'_>) -> bool {
    let image = container
        .node
        .get("image")
        .and_then(Node::scalar_text)
        .unwrap_or_default();
    let repository = image_repository(image);
    let base = repository.rsplit('/').next().unwrap_or_default();
    SIDECARS
        .iter()
        .any(|s| container.name == *s || base == *s || base.starts_with(&format!("{s}-")))
        || container.kind != ContainerKind::Regular
}

/// The repository of an image reference: without tag and digest.
pub fn image_repository(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => without_digest,
    }
}

/// The tag of an image reference, if it has one.
pub fn image_tag(image: &str) -> Option<&str> {
    let without_digest = image.split('@').next().unwrap_or(image);
    match without_digest.rsplit_once(':') {
        Some((_, tag)) if !tag.contains('/') => Some(tag),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("500m"), Some(0.5));
        assert_eq!(parse_quantity("8Gi"), Some(8.0 * 1024.0 * 1024.0 * 1024.0));
        assert_eq!(parse_quantity("2"), Some(2.0));
        assert_eq!(parse_quantity("1e3"), Some(1000.0));
        assert_eq!(parse_quantity("lots"), None);
    }

    #[test]
    fn images() {
        assert_eq!(
            image_repository("localhost:5000/app:1.2"),
            "localhost:5000/app"
        );
        assert_eq!(image_repository("localhost:5000/app"), "localhost:5000/app");
        assert_eq!(image_tag("nginx:1.27@sha256:abc"), Some("1.27"));
        assert_eq!(image_tag("nginx"), None);
    }
}
