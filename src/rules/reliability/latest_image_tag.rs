use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags container images with no tag, or with the tag `latest`. Images
    /// pinned by digest (`@sha256:…`) pass whatever their tag. So do images
    /// that kustomize gives a version when it builds the file: when every
    /// kustomization of the run that includes the file (directly or through
    /// its bases) sets the image's `newTag` or `digest` in its `images` list.
    ///
    /// ## Why is this bad?
    /// `latest` moves. Two nodes pulling the same pod spec an hour apart may
    /// run different code, a rollback redeploys whatever `latest` is today,
    /// and nobody can tell from the manifest what is running.
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
    ///       image: nginx:latest
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
    ///       image: nginx:1.27.3
    /// ```
    pub LatestImageTag => {
        id: "REL001",
        name: "latest-image-tag",
        category: Reliability,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container image has no tag or the `latest` tag",
        remediation: "Pin the image to a version tag, or better to a digest (`image@sha256:…`).",
        equivalents: &["kube-linter:latest-tag", "polaris:tagNotSpecified", "kube-score:container-image-tag"],
    }
}

impl ObjectRule for LatestImageTag {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            let Some(image) = container.node.get("image").and_then(Node::scalar_text) else {
                continue;
            };
            // The kustomizations that build the object give it a version.
            if object.build.as_ref().is_some_and(|b| b.pins_image(image)) {
                continue;
            }
            let message = match image_tag(image) {
                ImageTag::Digest => continue,
                ImageTag::Tag(tag) if tag != "latest" => continue,
                ImageTag::Tag(_) => format!("image `{image}` uses the `latest` tag"),
                ImageTag::None => format!("image `{image}` has no tag, so it means `latest`"),
            };
            cx.report(object, container.field("image"), message);
        }
    }
}

enum ImageTag<'a> {
    Digest,
    Tag(&'a str),
    None,
}

/// Splits an image reference: `registry:5000/repo/name:tag@digest`. A colon
/// before the last `/` belongs to the registry's port, not to a tag.
fn image_tag(image: &str) -> ImageTag<'_> {
    if image.contains('@') {
        return ImageTag::Digest;
    }
    let name = image.rsplit('/').next().unwrap_or(image);
    match name.rsplit_once(':') {
        Some((_, tag)) if !tag.is_empty() => ImageTag::Tag(tag),
        _ => ImageTag::None,
    }
}
