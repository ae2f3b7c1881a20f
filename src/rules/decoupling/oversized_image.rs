use std::collections::BTreeMap;

use crate::rules::efficiency::quantity;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags container images larger than the parameter `max` (default
    /// `1Gi`), when their size is known. Sizes come from `--image-sizes
    /// FILE`, a JSON object mapping image references to bytes
    /// (`{"ghcr.io/example/api:1.2.3": 734003200}`; see
    /// docs/decoupling.md for producing it with `docker image ls --format
    /// json` or `crane`), or from annotations on the object or its pod
    /// template: `plimsoll.io/image-size.<container>` for one container, or
    /// `plimsoll.io/image-size` for all, as a quantity such as `1.5Gi`.
    ///
    /// ## Why is this bad?
    /// A large image is slow to pull when a pod moves to another node, which
    /// is exactly when it should start fast; it usually carries a whole
    /// distribution, build tools or several services.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: report
    ///   annotations:
    ///     plimsoll.io/image-size: 3Gi
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/report:5.0.0
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: report
    ///   annotations:
    ///     plimsoll.io/image-size: 180Mi
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/report:5.1.0
    /// ```
    pub OversizedImage => {
        id: "DEC056",
        name: "oversized-image",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container image is larger than a threshold",
        remediation: "Build on a slim or distroless base, drop build tools with a multi-stage build, and split unrelated services.",
        equivalents: &[],
    }
}

/// The annotation giving an image's size, optionally followed by `.<container>`.
const SIZE_ANNOTATION: &str = "plimsoll.io/image-size";

impl ObjectRule for OversizedImage {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let max = quantity::parse(&cx.param("max", "1Gi".to_owned())).unwrap_or(1024f64.powi(3));
        let sizes: BTreeMap<String, f64> = cx.param("sizes", BTreeMap::new());
        let annotation = |key: &str| {
            let template = extract::template_metadata(object)
                .and_then(|(_, m)| m.path("annotations")?.get(key)?.scalar_text());
            template
                .or_else(|| object.annotation(key))
                .and_then(quantity::parse)
        };
        for container in extract::containers(object) {
            let Some(image) = container.node.get("image").and_then(Node::scalar_text) else {
                continue;
            };
            let size = annotation(&format!("{SIZE_ANNOTATION}.{}", container.name))
                .or_else(|| annotation(SIZE_ANNOTATION))
                .or_else(|| sizes.get(image).copied());
            let Some(size) = size.filter(|s| *s > max) else {
                continue;
            };
            cx.report(
                object,
                container.field("image"),
                format!(
                    "image `{image}` of container `{}` is {:.1} GiB, more than {:.1} GiB",
                    container.name,
                    size / 1024f64.powi(3),
                    max / 1024f64.powi(3)
                ),
            );
        }
    }
}
