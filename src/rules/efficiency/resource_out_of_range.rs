use std::collections::BTreeMap;

use super::quantity;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags application containers whose resource requests or limits fall
    /// outside configured bounds. The parameters `requests-min`,
    /// `requests-max`, `limits-min` and `limits-max` each map a resource to
    /// a quantity; by default limits must lie between `100m` and `2` CPUs
    /// and between `100M` and `6G` of memory, and requests are not bounded.
    /// Values that are not set are left to the rules about missing requests
    /// and limits. Off by default: the right bounds depend on the cluster.
    ///
    /// ## Why is this bad?
    /// A limit larger than any node can offer leaves the pod unschedulable
    /// or lets one container starve a node; a tiny one gets the container
    /// throttled or killed as soon as it does real work. Bounds catch unit
    /// typos such as `512` (bytes) for `512Mi`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       resources:
    ///         limits: {cpu: "8", memory: 512}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       resources:
    ///         limits: {cpu: "1", memory: 512Mi}
    /// ```
    pub ResourceOutOfRange => {
        id: "EFF007",
        name: "resource-out-of-range",
        category: Efficiency,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container's resource request or limit is outside the configured range",
        remediation: "Bring the value within the configured bounds, or adjust the rule's parameters.",
        equivalents: &["polaris:resourceRange"],
        enabled: false,
    }
}

type Bounds = BTreeMap<String, String>;

fn bounds(pairs: &[(&str, &str)]) -> Bounds {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl ObjectRule for ResourceOutOfRange {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let checks = [
            ("requests", cx.param("requests-min", Bounds::new()), true),
            ("requests", cx.param("requests-max", Bounds::new()), false),
            (
                "limits",
                cx.param("limits-min", bounds(&[("cpu", "100m"), ("memory", "100M")])),
                true,
            ),
            (
                "limits",
                cx.param("limits-max", bounds(&[("cpu", "2"), ("memory", "6G")])),
                false,
            ),
        ];
        for container in extract::containers(object) {
            if container.kind != ContainerKind::Regular {
                continue;
            }
            for (section, bounds, is_minimum) in &checks {
                for (resource, bound_text) in bounds {
                    let Some(bound) = quantity::parse(bound_text) else {
                        continue;
                    };
                    let relative = format!("resources/{section}/{resource}");
                    let Some(shown) = container.node.path(&relative).and_then(Node::scalar_text)
                    else {
                        continue;
                    };
                    let Some(value) = quantity::parse(shown) else {
                        continue;
                    };
                    let outside = if *is_minimum {
                        value < bound && !quantity::same(value, bound)
                    } else {
                        value > bound && !quantity::same(value, bound)
                    };
                    if !outside {
                        continue;
                    }
                    let (word, side) = if *is_minimum {
                        ("below", "minimum")
                    } else {
                        ("above", "maximum")
                    };
                    let singular = section.trim_end_matches('s');
                    cx.report(
                        object,
                        container.field(&relative),
                        format!(
                            "container `{}` has a {resource} {singular} of {shown}, {word} the {side} of {bound_text}",
                            container.name
                        ),
                    );
                }
            }
        }
    }
}
