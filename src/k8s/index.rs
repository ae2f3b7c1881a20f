//! An index over every object of a run, for relation rules.
//!
//! Cross-object checks ("does any workload match this Service's selector?")
//! done by looping over all objects for each object are quadratic, which is
//! how peers slow down on large repositories. The index answers them by
//! hash lookups on kind, namespace and pod-template labels.

use std::collections::HashMap;

use super::Object;
use super::extract::template_metadata;
use super::object::string_pairs;

/// Lookup tables over all objects of a run.
pub struct ObjectIndex<'a> {
    objects: Vec<&'a Object>,
    by_kind: HashMap<&'a str, Vec<usize>>,
    pods_by_label: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
}

impl<'a> ObjectIndex<'a> {
    /// Indexes `objects`.
    pub fn build(objects: impl IntoIterator<Item = &'a Object>) -> Self {
        let objects: Vec<&Object> = objects.into_iter().collect();
        let mut by_kind: HashMap<_, Vec<usize>> = HashMap::new();
        let mut pods_by_label: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, object) in objects.iter().enumerate() {
            by_kind.entry(object.kind()).or_default().push(i);
            for (key, value) in pod_labels(object) {
                pods_by_label
                    .entry((object.namespace(), key, value))
                    .or_default()
                    .push(i);
            }
        }
        Self {
            objects,
            by_kind,
            pods_by_label,
        }
    }

    /// Objects of one kind, in file order.
    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = &'a Object> + '_ {
        self.ids(self.by_kind.get(kind))
    }

    /// Pods and workloads in `namespace` whose pod labels include every pair of `selector`.
    /// An empty selector matches nothing, as a Service with no selector selects no pods.
    pub fn pods_matching(&self, namespace: &str, selector: &[(&str, &str)]) -> Vec<&'a Object> {
        let Some(((first_key, first_value), rest)) = selector.split_first() else {
            return Vec::new();
        };
        let Some(candidates) = self
            .pods_by_label
            .get(&(namespace, *first_key, *first_value))
        else {
            return Vec::new();
        };
        candidates
            .iter()
            .map(|&i| self.objects[i])
            .filter(|object| {
                let labels: Vec<(&str, &str)> = pod_labels(object).collect();
                rest.iter().all(|pair| labels.contains(pair))
            })
            .collect()
    }

    fn ids<'s>(&'s self, ids: Option<&'s Vec<usize>>) -> impl Iterator<Item = &'a Object> + 's {
        ids.into_iter().flatten().map(|&i| self.objects[i])
    }
}

/// The labels the pods of an object carry: a Pod's own labels, or a
/// workload's pod-template labels.
pub fn pod_labels(object: &Object) -> impl Iterator<Item = (&str, &str)> {
    let meta = template_metadata(object).map(|(_, node)| node);
    string_pairs(meta.and_then(|m| m.get("labels")))
}
