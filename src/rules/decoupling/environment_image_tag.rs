use crate::decoupling::workload::image_tag;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags container images whose tag names an environment: a tag made of,
    /// or containing as a `-`, `_` or `.` separated word, `prod`,
    /// `production`, `staging`, `stage`, `stg`, `dev`, `development`, `qa`,
    /// `uat`, `preprod` or `sandbox` (`:prod`, `:1.4.0-staging`, `:qa-118`).
    /// The words are a parameter, `words`.
    ///
    /// ## Why is this bad?
    /// An image per environment means what runs in production is not what
    /// was tested in staging: it was built again, with whatever changed in
    /// between. Build one image, promote it by version or digest, and put
    /// what differs per environment in ConfigMaps and Secrets.
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
    ///       image: registry.example.com/web:2.1.0-staging
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
    ///       image: registry.example.com/web:2.1.0
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub EnvironmentImageTag => {
        id: "DEC012",
        name: "environment-image-tag",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "an image tag names an environment",
        remediation: "Build one image for every environment, tag it with a version, and configure each environment with ConfigMaps and Secrets.",
        equivalents: &[],
    }
}

const WORDS: [&str; 12] = [
    "prod",
    "production",
    "staging",
    "stage",
    "stg",
    "dev",
    "development",
    "qa",
    "uat",
    "preprod",
    "sandbox",
    "prd",
];

impl ObjectRule for EnvironmentImageTag {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let words: Vec<String> = cx.param("words", WORDS.iter().map(|w| w.to_string()).collect());
        for container in extract::containers(object) {
            let Some(image) = container.node.get("image").and_then(Node::scalar_text) else {
                continue;
            };
            let Some(tag) = image_tag(image) else {
                continue;
            };
            let lower = tag.to_ascii_lowercase();
            let Some(word) = lower
                .split(['-', '_', '.'])
                .find(|part| words.iter().any(|w| w == part))
            else {
                continue;
            };
            cx.report(
                object,
                container.field("image"),
                format!(
                    "container `{}` runs the tag `{tag}`, which names the environment `{word}`",
                    container.name
                ),
            );
        }
    }
}
