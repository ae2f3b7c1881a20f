use std::collections::{BTreeMap, BTreeSet};

use crate::decoupling::audit::Application;
use crate::decoupling::workload::image_repository;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Counts the distinct container images of each application (the
    /// `app.kubernetes.io/part-of` label of the workload or its pod
    /// template, or the namespace when neither sets it) and reports an
    /// application that uses more than the parameter `max` (default 12),
    /// once, at its first workload. Tags and digests of one repository are
    /// versions of one image, not several (`image-tag-drift` reports
    /// those); `plimsoll audit` groups and counts the same way.
    ///
    /// ## Why is this bad?
    /// Every image is built, scanned, patched and released on its own. An
    /// application that needs many images often bakes configuration or
    /// environments into them (one image per customer, per region) instead
    /// of configuring one image with ConfigMaps.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: a
    ///   labels: {app.kubernetes.io/part-of: shop}
    /// spec:
    ///   containers:
    ///     - {name: a, image: "ghcr.io/example/shop-eu:1.0.0"}
    ///     - {name: b, image: "ghcr.io/example/shop-us:1.0.0"}
    ///     - {name: c, image: "ghcr.io/example/shop-asia:1.0.0"}
    ///     - {name: d, image: "ghcr.io/example/shop-eu-staging:1.0.0"}
    ///     - {name: e, image: "ghcr.io/example/shop-us-staging:1.0.0"}
    ///     - {name: f, image: "ghcr.io/example/shop-asia-staging:1.0.0"}
    ///     - {name: g, image: "ghcr.io/example/shop-eu-dev:1.0.0"}
    ///     - {name: h, image: "ghcr.io/example/shop-us-dev:1.0.0"}
    ///     - {name: i, image: "ghcr.io/example/shop-asia-dev:1.0.0"}
    ///     - {name: j, image: "ghcr.io/example/shop-eu-qa:1.0.0"}
    ///     - {name: k, image: "ghcr.io/example/shop-us-qa:1.0.0"}
    ///     - {name: l, image: "ghcr.io/example/shop-asia-qa:1.0.0"}
    ///     - {name: m, image: "ghcr.io/example/shop-test:1.0.0"}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: a
    ///   labels: {app.kubernetes.io/part-of: shop}
    /// spec:
    ///   containers:
    ///     - name: a
    ///       image: ghcr.io/example/shop:1.0.0
    ///       envFrom:
    ///         - configMapRef: {name: shop-eu}
    /// ```
    pub ImageSprawl => {
        id: "DEC055",
        name: "image-sprawl",
        category: Decoupling,
        severity: Info,
        kinds: &[Kind::PodSpecCarrier],
        summary: "an application uses more distinct images than a threshold",
        remediation: "Configure one image per service with ConfigMaps instead of building variants; merge images that differ only in configuration.",
        equivalents: &[],
    }
}

impl RelationRule for ImageSprawl {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let max: usize = cx.param("max", 12);
        let mut applications: BTreeMap<Application, (&Object, BTreeSet<&str>)> = BTreeMap::new();
        for workload in index.pod_carriers() {
            let (_, repositories) = applications
                .entry(Application::of(workload))
                .or_insert_with(|| (workload, BTreeSet::new()));
            for container in extract::containers(workload) {
                if let Some(image) = container.node.get("image").and_then(Node::scalar_text) {
                    repositories.insert(image_repository(image));
                }
            }
        }
        for (application, (first, repositories)) in applications {
            if repositories.len() > max {
                cx.report(
                    first,
                    Pointer::root().join("metadata/name"),
                    format!(
                        "{application} uses {} distinct images, more than {max}",
                        repositories.len()
                    ),
                );
            }
        }
    }
}
