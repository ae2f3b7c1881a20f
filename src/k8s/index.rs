//! An index over every object of a run, for relation rules.
//!
//! Cross-object checks ("does any workload match this Service's selector?")
//! done by looping over all objects for each object are quadratic, which is
//! how peers slow down on large repositories. The index answers them by
//! hash lookups on kind, namespace and pod-template labels.

use foldhash::{HashMap, HashSet, HashSetExt};

use super::Object;
use super::extract::template_metadata_node;
use super::object::string_pairs;
use crate::yaml::Node;

/// Lookup tables over all objects of a run.
///
/// The tables are keyed by the *effective* namespace
/// ([`effective_namespace`]: no namespace is `default`), since that is where
/// the objects end up when a run is applied with the default context.
pub struct ObjectIndex<'a> {
    objects: Vec<&'a Object>,
    identity: IdentityTables<'a>,
    pods: PodTables<'a>,
}

impl<'a> ObjectIndex<'a> {
    /// Indexes `objects`. The tables by identity and the tables by pod
    /// labels are built side by side: this runs after every file is read,
    /// when nothing else can use the second thread.
    pub fn build(objects: impl IntoIterator<Item = &'a Object>) -> Self {
        let objects: Vec<&Object> = objects.into_iter().collect();
        let (identity, pods) = rayon::join(
            || IdentityTables::build(&objects),
            || PodTables::build(&objects),
        );
        Self {
            objects,
            identity,
            pods,
        }
    }

    /// Whether the run defines objects in `namespace` (no namespace and
    /// `default` are the same), or defines the `Namespace` itself; rules
    /// about missing objects report only there, since other namespaces are
    /// managed elsewhere.
    pub fn defines_namespace(&self, namespace: &str) -> bool {
        self.identity
            .namespaces
            .contains(normalize_namespace(namespace))
    }

    /// Pods and every object with a pod template, in file order.
    pub fn pod_carriers(&self) -> Vec<&'a Object> {
        self.pods
            .carriers
            .iter()
            .map(|&i| self.objects[i])
            .collect()
    }

    /// Objects of `kind` named `name` in `namespace` (no namespace and
    /// `default` are the same), in file order.
    pub fn named(&self, kind: &str, namespace: &str, name: &str) -> Vec<&'a Object> {
        let key = (kind, normalize_namespace(namespace), name);
        self.ids(self.identity.by_name.get(&key)).collect()
    }

    /// Objects of `kind` in `namespace` (no namespace and `default` are the
    /// same), in file order.
    pub fn of_kind_in(&self, kind: &str, namespace: &str) -> Vec<&'a Object> {
        let key = (kind, normalize_namespace(namespace));
        self.ids(self.identity.by_kind_namespace.get(&key))
            .collect()
    }

    /// Pods and workloads in `namespace` whose pods `selector` selects
    /// ([`LabelSelector::selects_pods_of`]). An empty selector selects every
    /// pod of the namespace, as it does in NetworkPolicies and
    /// PodDisruptionBudgets; a Service with no selector selects nothing, so
    /// its rules skip it. Candidates come from the label table whenever the
    /// selector names an exact label, so only the namespace's pods that
    /// carry it are tested.
    pub fn pods_selected(&self, namespace: &str, selector: &LabelSelector<'_>) -> Vec<&'a Object> {
        let namespace = normalize_namespace(namespace);
        // Templates lack the labels controllers add, so the table has none.
        let candidates: Vec<usize> = match selector.anchor(|key| !is_controller_label(key)) {
            Some(pairs) => {
                let mut seen = HashSet::new();
                pairs
                    .iter()
                    .filter_map(|(k, v)| self.pods.by_namespace_label.get(&(namespace, *k, *v)))
                    .flatten()
                    .copied()
                    .filter(|i| seen.insert(*i))
                    .collect()
            }
            None => self
                .pods
                .by_namespace
                .get(namespace)
                .cloned()
                .unwrap_or_default(),
        };
        let mut selected: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| selector.selects_pods_of(self.objects[i]))
            .collect();
        selected.sort_unstable();
        selected.into_iter().map(|i| self.objects[i]).collect()
    }

    /// Objects of `kind` whose own `metadata.labels` `selector` selects, in
    /// `namespace` or, with `None`, in any namespace; in file order.
    pub fn labeled(
        &self,
        kind: &str,
        namespace: Option<&str>,
        selector: &LabelSelector<'_>,
    ) -> Vec<&'a Object> {
        let namespace = namespace.map(normalize_namespace);
        let candidates: Vec<usize> = match (selector.anchor(|_| true), namespace) {
            (Some(pairs), _) => {
                let mut seen = HashSet::new();
                pairs
                    .iter()
                    .filter_map(|(k, v)| self.identity.by_kind_label.get(&(kind, *k, *v)))
                    .flatten()
                    .copied()
                    .filter(|i| seen.insert(*i))
                    .collect()
            }
            (None, Some(ns)) => self
                .identity
                .by_kind_namespace
                .get(&(kind, ns))
                .cloned()
                .unwrap_or_default(),
            (None, None) => self.identity.by_kind.get(kind).cloned().unwrap_or_default(),
        };
        let mut selected: Vec<usize> = candidates
            .into_iter()
            .filter(|&i| namespace.is_none_or(|ns| effective_namespace(self.objects[i]) == ns))
            .filter(|&i| {
                let labels: Vec<(&str, &str)> = self.objects[i].labels().collect();
                selector.matches(&labels)
            })
            .collect();
        selected.sort_unstable();
        selected.into_iter().map(|i| self.objects[i]).collect()
    }

    /// The HorizontalPodAutoscalers whose `scaleTargetRef` names `workload`
    /// (same kind and name, same namespace), in file order.
    pub fn autoscalers_of(&self, workload: &Object) -> Vec<&'a Object> {
        let key = (
            effective_namespace(workload),
            workload.kind(),
            workload.name(),
        );
        self.ids(self.identity.autoscalers_by_target.get(&key))
            .collect()
    }

    /// Objects of one kind, in file order.
    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = &'a Object> + '_ {
        self.ids(self.identity.by_kind.get(kind))
    }

    fn ids<'s>(&'s self, ids: Option<&'s Vec<usize>>) -> impl Iterator<Item = &'a Object> + 's {
        ids.into_iter().flatten().map(|&i| self.objects[i])
    }
}

/// The index's tables by kind, name, namespace and own labels.
#[derive(Default)]
struct IdentityTables<'a> {
    /// Objects by kind.
    by_kind: HashMap<&'a str, Vec<usize>>,
    /// Objects by kind, effective namespace and name.
    by_name: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// Objects by kind and effective namespace.
    by_kind_namespace: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// Objects by kind and one of their own `metadata.labels`.
    by_kind_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// HorizontalPodAutoscalers by the effective namespace, kind and name of
    /// their `scaleTargetRef`.
    autoscalers_by_target: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// Effective namespaces that some object of the run lands in, and the
    /// names of the run's `Namespace` objects.
    namespaces: HashSet<&'a str>,
}

impl<'a> IdentityTables<'a> {
    /// Fills the tables in three groups side by side: one after the other
    /// they left the second thread idle while the object index was built.
    fn build(objects: &[&'a Object]) -> Self {
        let ((mut tables, by_name), by_kind_label) = rayon::join(
            || rayon::join(|| Self::by_kind(objects), || Self::by_name(objects)),
            || Self::by_kind_label(objects),
        );
        tables.by_name = by_name;
        tables.by_kind_label = by_kind_label;
        tables
    }

    /// The tables by kind and namespace, with the namespaces and autoscalers.
    fn by_kind(objects: &[&'a Object]) -> Self {
        let mut tables = Self::default();
        for (i, object) in objects.iter().enumerate() {
            let kind = object.kind();
            let namespace = effective_namespace(object);
            tables.namespaces.insert(namespace);
            if kind == "Namespace" {
                tables.namespaces.insert(object.name());
            }
            tables.by_kind.entry(kind).or_default().push(i);
            tables
                .by_kind_namespace
                .entry((kind, namespace))
                .or_default()
                .push(i);
            if kind == "HorizontalPodAutoscaler" {
                let target = |field: &str| {
                    object
                        .root
                        .path("spec/scaleTargetRef")
                        .and_then(|t| t.get(field))
                        .and_then(Node::scalar_text)
                };
                if let (Some(target_kind), Some(target_name)) = (target("kind"), target("name")) {
                    tables
                        .autoscalers_by_target
                        .entry((namespace, target_kind, target_name))
                        .or_default()
                        .push(i);
                }
            }
        }
        tables
    }

    fn by_name(objects: &[&'a Object]) -> HashMap<(&'a str, &'a str, &'a str), Vec<usize>> {
        positions_by(objects, |object| {
            [(object.kind(), effective_namespace(object), object.name())]
        })
    }

    fn by_kind_label(objects: &[&'a Object]) -> HashMap<(&'a str, &'a str, &'a str), Vec<usize>> {
        positions_by(objects, |object| {
            object
                .labels()
                .map(move |(key, value)| (object.kind(), key, value))
        })
    }
}

/// The positions in `objects` of the objects under each key that `keys`
/// gives them, in file order.
fn positions_by<'a, K, I>(
    objects: &[&'a Object],
    keys: impl Fn(&'a Object) -> I,
) -> HashMap<K, Vec<usize>>
where
    K: std::hash::Hash + Eq,
    I: IntoIterator<Item = K>,
{
    let mut table: HashMap<K, Vec<usize>> = HashMap::default();
    for (i, &object) in objects.iter().enumerate() {
        for key in keys(object) {
            table.entry(key).or_default().push(i);
        }
    }
    table
}

/// The index's tables of pods and workloads.
#[derive(Default)]
struct PodTables<'a> {
    /// Pods and workloads, in file order.
    carriers: Vec<usize>,
    /// Pods and workloads by effective namespace.
    by_namespace: HashMap<&'a str, Vec<usize>>,
    /// Pods and workloads by effective namespace and pod label.
    by_namespace_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
}

impl<'a> PodTables<'a> {
    fn build(objects: &[&'a Object]) -> Self {
        let mut tables = Self::default();
        for (i, object) in objects.iter().enumerate() {
            let namespace = effective_namespace(object);
            if super::kinds::pod_spec_path(object).is_some() {
                tables.carriers.push(i);
                tables.by_namespace.entry(namespace).or_default().push(i);
            }
            for (key, value) in pod_labels(object) {
                tables
                    .by_namespace_label
                    .entry((namespace, key, value))
                    .or_default()
                    .push(i);
            }
        }
        tables
    }
}

/// The one of same-named `candidates` to cite in a report on `object`: one
/// in `object`'s own file if there is one, else the first. A large run may
/// hold several projects that each name a Service `web`.
pub fn nearest<'o>(candidates: &[&'o Object], object: &Object) -> Option<&'o Object> {
    candidates
        .iter()
        .find(|candidate| candidate.id.file == object.id.file)
        .or(candidates.first())
        .copied()
}

/// The labels of a pod, or of a workload's pod template: what selectors
/// are matched against.
pub fn pod_labels(object: &Object) -> impl Iterator<Item = (&str, &str)> {
    let meta = template_metadata_node(object);
    string_pairs(meta.and_then(|m| m.get("labels")))
}

/// The namespace an object lands in when applied with the default context:
/// its own, or `default` when it names none.
pub fn effective_namespace(object: &Object) -> &str {
    normalize_namespace(object.namespace())
}

/// `namespace`, with no namespace read as `default`.
pub fn normalize_namespace(namespace: &str) -> &str {
    match namespace {
        "" => "default",
        ns => ns,
    }
}

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`, or the
/// plain map of a Service's `spec.selector`), borrowed from the tree.
#[derive(Debug, Clone, Default)]
pub struct LabelSelector<'a> {
    /// Pairs every selected object must carry.
    pub labels: Vec<(&'a str, &'a str)>,
    /// Set-based requirements.
    pub expressions: Vec<Requirement<'a>>,
}

/// One `matchExpressions` requirement.
#[derive(Debug, Clone)]
pub struct Requirement<'a> {
    /// The label key.
    pub key: &'a str,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    pub operator: &'a str,
    /// The values of `In` and `NotIn`.
    pub values: Vec<&'a str>,
}

impl<'a> LabelSelector<'a> {
    /// Reads a `LabelSelector` mapping (`matchLabels`, `matchExpressions`).
    /// `None` when the node is not a mapping or a requirement has an
    /// operator Kubernetes does not know, since such a selector is rejected
    /// and nothing can be said about what it selects.
    pub fn parse(node: &'a Node) -> Option<Self> {
        node.as_map()?;
        let labels = string_pairs(node.get("matchLabels")).collect();
        let mut expressions = Vec::new();
        for expression in node.list("matchExpressions") {
            let key = expression.get("key")?.scalar_text()?;
            let operator = expression.get("operator")?.scalar_text()?;
            if !matches!(operator, "In" | "NotIn" | "Exists" | "DoesNotExist") {
                return None;
            }
            let values = expression
                .list("values")
                .iter()
                .filter_map(Node::scalar_text)
                .collect();
            expressions.push(Requirement {
                key,
                operator,
                values,
            });
        }
        Some(Self {
            labels,
            expressions,
        })
    }

    /// Reads a plain map of labels, such as a Service's `spec.selector`.
    pub fn from_map(node: Option<&'a Node>) -> Self {
        Self {
            labels: string_pairs(node).collect(),
            expressions: Vec::new(),
        }
    }

    /// Whether the selector has no requirement at all (`{}`), which selects
    /// everything in scope.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.expressions.is_empty()
    }

    /// Whether an object with `labels` is selected.
    pub fn matches(&self, labels: &[(&str, &str)]) -> bool {
        self.matches_values(|key| label(labels, key).map(LabelValue::Is))
    }

    /// Whether the selector selects pods of `carrier`, a pod or workload:
    /// pods carry their template's labels and those their controller adds.
    pub fn selects_pods_of(&self, carrier: &Object) -> bool {
        let labels: Vec<(&str, &str)> = pod_labels(carrier).collect();
        self.matches_values(|key| {
            label(&labels, key)
                .map(LabelValue::Is)
                .or_else(|| controller_label(carrier, key))
        })
    }

    /// Whether some object whose label under each key is `value(key)` is
    /// selected.
    fn matches_values<'v>(&self, value: impl Fn(&str) -> Option<LabelValue<'v>>) -> bool {
        self.labels
            .iter()
            .all(|(k, v)| value(k).is_some_and(|actual| actual.admits(v)))
            && self.expressions.iter().all(|r| {
                let actual = value(r.key);
                match r.operator {
                    "In" => actual.is_some_and(|a| r.values.iter().any(|v| a.admits(v))),
                    "NotIn" => actual.is_none_or(|a| a.escapes(&r.values)),
                    "Exists" => actual.is_some(),
                    "DoesNotExist" => actual.is_none(),
                    _ => false,
                }
            })
    }

    /// Label pairs of which every selected object carries at least one, for
    /// an indexed lookup: the first `matchLabels` pair, or the values of an
    /// `In` requirement, on a key that `indexed` says the table holds.
    /// `None` when the selector has neither.
    fn anchor(&self, indexed: impl Fn(&str) -> bool) -> Option<Vec<(&'a str, &'a str)>> {
        if let Some(pair) = self.labels.iter().find(|(k, _)| indexed(k)) {
            return Some(vec![*pair]);
        }
        self.expressions
            .iter()
            .find(|r| r.operator == "In" && indexed(r.key))
            .map(|r| r.values.iter().map(|v| (r.key, *v)).collect())
    }
}

fn label<'l>(labels: &[(&str, &'l str)], key: &str) -> Option<&'l str> {
    labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// What the pods of a template carry under one label key.
#[derive(Clone, Copy)]
enum LabelValue<'a> {
    /// This value, written in the template.
    Is(&'a str),
    /// The pod's name, `<StatefulSet name>-<ordinal>`, one per pod.
    PodName(&'a str),
    /// A value the controller makes up (a hash, a uid, a Job's name).
    Any,
}

impl LabelValue<'_> {
    /// Whether some pod carries `value`.
    fn admits(self, value: &str) -> bool {
        match self {
            LabelValue::Is(actual) => actual == value,
            LabelValue::PodName(statefulset) => value
                .strip_prefix(statefulset)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|ordinal| {
                    ordinal
                        .parse::<u32>()
                        .is_ok_and(|n| n.to_string() == ordinal)
                }),
            LabelValue::Any => true,
        }
    }

    /// Whether some pod carries a value other than `values`.
    fn escapes(self, values: &[&str]) -> bool {
        match self {
            LabelValue::Is(actual) => !values.contains(&actual),
            LabelValue::PodName(_) | LabelValue::Any => true,
        }
    }
}

/// The label the StatefulSet controller sets to each pod's name.
const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";

/// Labels that controllers add to every pod they create, and so are not in
/// pod templates, with the kinds whose controllers add them. Services that
/// pin one StatefulSet pod, for instance, select `POD_NAME_LABEL`.
const CONTROLLER_LABELS: [(&str, &[&str]); 8] = [
    (POD_NAME_LABEL, &["StatefulSet"]),
    ("apps.kubernetes.io/pod-index", &["StatefulSet"]),
    ("controller-revision-hash", &["StatefulSet", "DaemonSet"]),
    ("pod-template-hash", &["Deployment"]),
    ("batch.kubernetes.io/job-name", &["Job", "CronJob"]),
    ("job-name", &["Job", "CronJob"]),
    ("batch.kubernetes.io/controller-uid", &["Job", "CronJob"]),
    ("controller-uid", &["Job", "CronJob"]),
];

fn is_controller_label(key: &str) -> bool {
    CONTROLLER_LABELS.iter().any(|(k, _)| *k == key)
}

/// What the controller of `carrier` sets `key` to on the pods it creates,
/// when it sets it.
fn controller_label<'o>(carrier: &'o Object, key: &str) -> Option<LabelValue<'o>> {
    let (_, kinds) = CONTROLLER_LABELS.iter().find(|(k, _)| *k == key)?;
    if !kinds.contains(&carrier.kind()) {
        return None;
    }
    Some(if key == POD_NAME_LABEL {
        LabelValue::PodName(carrier.name())
    } else {
        LabelValue::Any
    })
}

impl std::fmt::Display for LabelSelector<'_> {
    /// The selector as `kubectl` writes it: `app=web,tier in (a,b),!debug`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = self
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.expressions {
            parts.push(match r.operator {
                "In" => format!("{} in ({})", r.key, r.values.join(",")),
                "NotIn" => format!("{} notin ({})", r.key, r.values.join(",")),
                "Exists" => r.key.to_owned(),
                _ => format!("!{}", r.key),
            });
        }
        f.write_str(&parts.join(","))
    }
}
