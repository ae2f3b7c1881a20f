use std::collections::BTreeMap;

use crate::decoupling::audit::Application;
use crate::decoupling::workload::{image_repository, image_tag};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an image repository that one application runs with more than
    /// one tag (`shop/api:1.4.0` in one Deployment and `shop/api:1.3.2` in
    /// another). An application is what the `app.kubernetes.io/part-of`
    /// label names, or else a namespace: separate applications may well
    /// run different versions of a shared image such as `redis`. It is
    /// reported once per application, on the first container, with the
    /// others as related locations. Images pinned by digest only are
    /// compared by digest.
    ///
    /// ## Why is this bad?
    /// One application should be built once and run in one version; two
    /// versions of the same image in one deployment usually mean a manual
    /// bump that missed a file, or per-component forks of one build, and
    /// behaviour that differs between pods that should be identical.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: registry.example.com/shop/api:1.4.0
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   containers:
    ///     - name: worker
    ///       image: registry.example.com/shop/api:1.3.2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: registry.example.com/shop/api:1.4.0
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   containers:
    ///     - name: worker
    ///       image: registry.example.com/shop/api:1.4.0
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub ImageTagDrift => {
        id: "DEC013",
        name: "image-tag-drift",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "one image repository runs with different tags",
        remediation: "Run one version of each image: update every reference together, ideally from one place (a kustomize `images:` entry or a chart value).",
        equivalents: &[],
    }
}

impl RelationRule for ImageTagDrift {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        // (application, repository) → version and place, in file order.
        type Places<'o> = Vec<(String, &'o Object, Pointer)>;
        let mut by_repository: BTreeMap<(Application, &str), Places> = BTreeMap::new();
        for workload in index.pod_carriers() {
            let application = Application::of(workload);
            for container in extract::containers(workload) {
                let Some(image) = container.node.get("image").and_then(Node::scalar_text) else {
                    continue;
                };
                if image.contains("{{") || image.contains('$') {
                    continue;
                }
                let version = match (image_tag(image), image.split_once('@')) {
                    (Some(tag), _) => tag.to_owned(),
                    (None, Some((_, digest))) => digest.to_owned(),
                    (None, None) => "latest".to_owned(),
                };
                by_repository
                    .entry((application.clone(), image_repository(image)))
                    .or_default()
                    .push((version, workload, container.field("image")));
            }
        }
        for ((_, repository), places) in by_repository {
            let mut versions: Vec<&str> = places.iter().map(|(v, _, _)| v.as_str()).collect();
            versions.sort_unstable();
            versions.dedup();
            if versions.len() < 2 {
                continue;
            }
            let (first_version, first, pointer) = &places[0];
            let shown: Vec<String> = versions.iter().map(|v| format!("`{v}`")).collect();
            let report = cx.report(
                first,
                pointer.clone(),
                format!(
                    "`{repository}` runs in {} versions: {}",
                    versions.len(),
                    shown.join(", ")
                ),
            );
            for (version, object, pointer) in places.iter().skip(1) {
                if version != first_version {
                    report.related(object, pointer.clone(), format!("runs `{version}`"));
                }
            }
        }
    }
}
