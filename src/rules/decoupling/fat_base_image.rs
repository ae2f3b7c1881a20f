use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers whose image is a full operating-system distribution
    /// (`ubuntu`, `debian`, `centos`, `fedora`, `rockylinux`, `almalinux`,
    /// `amazonlinux`, `opensuse`) rather than an application image or a slim,
    /// minimal or distroless variant.
    ///
    /// ## Why is this bad?
    /// A distribution image is hundreds of megabytes of packages the service
    /// never uses: slower pulls when a pod moves, a larger attack surface,
    /// and usually a sign that the application is installed at start-up by a
    /// script instead of being built into an image once.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ubuntu:24.04
    ///       command: ["sh", "-c", "apt-get update && apt-get install -y python3 && python3 /app/worker.py"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/worker:3.2.0
    /// ```
    pub FatBaseImage => {
        id: "DEC053",
        name: "fat-base-image",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container runs a full distribution image instead of an application image",
        remediation: "Build the application into its own image on a slim or distroless base.",
        equivalents: &[],
    }
}

const DISTRIBUTIONS: [&str; 8] = [
    "ubuntu",
    "debian",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "opensuse",
];
const SLIM: [&str; 4] = ["slim", "minimal", "micro", "distroless"];

impl ObjectRule for FatBaseImage {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            let Some(image) = container.node.get("image").and_then(Node::scalar_text) else {
                continue;
            };
            let without_digest = image.split('@').next().unwrap_or(image);
            let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
            let (name, tag) = last.split_once(':').unwrap_or((last, ""));
            // `opensuse/leap` and `library/debian` name the distribution in the path.
            let path_names_distribution = without_digest
                .split('/')
                .any(|part| DISTRIBUTIONS.contains(&part.split(':').next().unwrap_or(part)));
            if !(DISTRIBUTIONS.contains(&name) || path_names_distribution && name == "leap") {
                continue;
            }
            if SLIM.iter().any(|s| tag.contains(s) || name.contains(s)) {
                continue;
            }
            cx.report(
                object,
                container.field("image"),
                format!(
                    "container `{}` runs the distribution image `{image}`",
                    container.name
                ),
            );
        }
    }
}
