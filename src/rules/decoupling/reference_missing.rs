use crate::k8s::Origin;
use crate::k8s::index::{effective_namespace, nearest};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags references from a pod spec to ConfigMaps, Secrets and
    /// PersistentVolumeClaims that the run does not define, and to keys those
    /// ConfigMaps and Secrets do not hold: `env[].valueFrom`
    /// (`configMapKeyRef`, `secretKeyRef`), `envFrom`, `configMap`, `secret`
    /// and `projected` volumes, `persistentVolumeClaim` volumes and
    /// `imagePullSecrets`. References marked `optional: true` are not checked.
    /// Because some objects are created outside the repository (by a secret
    /// operator, by hand), a reference is checked only where the run defines
    /// at least one object of the referenced kind in that namespace, and the
    /// parameter `external` (a list of names, or of `Kind/name`) silences the
    /// objects known to be provided elsewhere. Objects created in the cluster
    /// are defined too: the ConfigMap `kube-root-ca.crt`, which Kubernetes
    /// publishes in every namespace, and the Secret named by the
    /// `spec.secretName` of a cert-manager `Certificate` in the run, with the
    /// keys `tls.crt`, `tls.key` and `ca.crt`. So are the ConfigMaps and
    /// Secrets that a kustomization of the run generates
    /// (`configMapGenerator`, `secretGenerator`), with the keys of their
    /// `literals`, `files` and `envs`; an overlay's generator that merges
    /// into its base's (`behavior: merge`), or whose env file cannot be
    /// read, may have any key.
    ///
    /// ## Why is this bad?
    /// The pod never starts: it waits in `CreateContainerConfigError` or
    /// `ContainerCreating` for an object or key that does not exist. Renames
    /// of a ConfigMap or one of its keys break workloads this way.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-settings
    /// data:
    ///   LOG_LEVEL: info
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       env:
    ///         - name: LOG_LEVEL
    ///           valueFrom:
    ///             configMapKeyRef: {name: web-settings, key: log-level}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-settings
    /// data:
    ///   LOG_LEVEL: info
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: nginx:1.27
    ///       env:
    ///         - name: LOG_LEVEL
    ///           valueFrom:
    ///             configMapKeyRef: {name: web-settings, key: LOG_LEVEL}
    /// ```
    pub ReferenceMissing => {
        id: "DEC040",
        name: "reference-missing",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a pod spec references a ConfigMap, Secret, claim or key the run does not define",
        remediation: "Add the object or key, fix the name, mark the reference `optional: true`, or list the object under this rule's `external` parameter.",
        equivalents: &["kube-linter:env-value-from"],
    }
}

/// One reference from a pod spec.
struct Reference {
    kind: &'static str,
    name: String,
    key: Option<String>,
    pointer: Pointer,
}

impl RelationRule for ReferenceMissing {
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>) {
        let external: Vec<String> = cx.param("external", Vec::new());
        for workload in index.pod_carriers() {
            let namespace = effective_namespace(workload);
            for reference in references(workload) {
                // The run manages this kind here only if it defines some of it.
                if index.of_kind_in(reference.kind, namespace).is_empty() {
                    continue;
                }
                let provided = external.iter().any(|e| {
                    *e == reference.name || *e == format!("{}/{}", reference.kind, reference.name)
                });
                if provided || is_created_by_kubernetes(&reference) {
                    continue;
                }
                let found = index.named(reference.kind, namespace, &reference.name);
                let certificates = certificates_storing(index, namespace, &reference);
                let Some(target) =
                    nearest(&found, workload).or_else(|| nearest(&certificates, workload))
                else {
                    cx.report(
                        workload,
                        reference.pointer,
                        format!(
                            "the {} `{}` is not defined in namespace `{namespace}`",
                            reference.kind, reference.name
                        ),
                    );
                    continue;
                };
                let Some(key) = &reference.key else {
                    continue;
                };
                // Kustomize overlays may each define part of one ConfigMap.
                let has_key = found.iter().any(|object| {
                    object.origin == (Origin::Generated { keys_known: false })
                        || ["data", "stringData", "binaryData"].iter().any(|section| {
                            object.root.get(section).and_then(|d| d.get(key)).is_some()
                        })
                }) || (!certificates.is_empty()
                    && CERTIFICATE_KEYS.contains(&key.as_str()));
                if !has_key {
                    cx.report(
                        workload,
                        reference.pointer,
                        format!(
                            "the {} `{}` has no key `{key}`",
                            reference.kind, reference.name
                        ),
                    )
                    .related(
                        target,
                        Pointer::root(),
                        if found.is_empty() {
                            "created by cert-manager from this Certificate"
                        } else {
                            "defined here"
                        },
                    );
                }
            }
        }
    }
}

/// Whether Kubernetes creates the referenced object itself: the ConfigMap
/// `kube-root-ca.crt`, the cluster's CA bundle, which it publishes in every
/// namespace, or a service account token Secret,
/// `<account>-token-<5 characters>`, which it created before 1.24 and
/// manifests dumped from a cluster still mount.
fn is_created_by_kubernetes(reference: &Reference) -> bool {
    if reference.kind == "ConfigMap" {
        return reference.name == "kube-root-ca.crt";
    }
    reference.kind == "Secret"
        && reference
            .name
            .rsplit_once("-token-")
            .is_some_and(|(account, suffix)| {
                !account.is_empty()
                    && suffix.len() == 5
                    && suffix
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
}

/// The keys of a Secret that cert-manager creates for a Certificate.
const CERTIFICATE_KEYS: [&str; 3] = ["tls.crt", "tls.key", "ca.crt"];

/// The cert-manager Certificates in `namespace` that store their key pair
/// in the Secret `reference` names: cert-manager creates that Secret, so
/// the run defines it without a Secret object.
fn certificates_storing<'a>(
    index: &ObjectIndex<'a>,
    namespace: &str,
    reference: &Reference,
) -> Vec<&'a Object> {
    if reference.kind != "Secret" {
        return Vec::new();
    }
    index
        .of_kind_in("Certificate", namespace)
        .into_iter()
        .filter(|certificate| {
            certificate.group() == "cert-manager.io"
                && certificate
                    .root
                    .path("spec/secretName")
                    .and_then(Node::scalar_text)
                    == Some(reference.name.as_str())
        })
        .collect()
}

/// Adds the reference `node` makes through its `name_field`, unless it is optional.
fn add(
    out: &mut Vec<Reference>,
    kind: &'static str,
    node: &Node,
    name_field: &str,
    key: Option<&str>,
    pointer: Pointer,
) {
    if node.get("optional").and_then(Node::as_bool) == Some(true) {
        return;
    }
    let Some(name) = node.get(name_field).and_then(Node::scalar_text) else {
        return;
    };
    out.push(Reference {
        kind,
        name: name.to_owned(),
        key: key.map(str::to_owned),
        pointer,
    });
}

/// Every non-optional reference of a pod spec, with its pointer.
fn references(workload: &Object) -> Vec<Reference> {
    let mut out = Vec::new();
    for container in extract::containers(workload) {
        for (i, var) in container.node.list("env").iter().enumerate() {
            for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
                let Some(reference) = var.path(&format!("valueFrom/{field}")) else {
                    continue;
                };
                let key = reference.get("key").and_then(Node::scalar_text);
                add(
                    &mut out,
                    kind,
                    reference,
                    "name",
                    key,
                    container.field(&format!("env/{i}/valueFrom/{field}")),
                );
            }
        }
        for (i, source) in container.node.list("envFrom").iter().enumerate() {
            for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
                if let Some(reference) = source.get(field) {
                    add(
                        &mut out,
                        kind,
                        reference,
                        "name",
                        None,
                        container.field(&format!("envFrom/{i}/{field}")),
                    );
                }
            }
        }
    }
    let Some((spec_pointer, spec)) = extract::pod_spec(workload) else {
        return out;
    };
    for (i, volume) in spec.list("volumes").iter().enumerate() {
        let at = spec_pointer.child("volumes").child(i);
        let sources = [
            ("configMap", "ConfigMap", "name"),
            ("secret", "Secret", "secretName"),
            (
                "persistentVolumeClaim",
                "PersistentVolumeClaim",
                "claimName",
            ),
        ];
        for (field, kind, name_field) in sources {
            if let Some(reference) = volume.get(field) {
                add(&mut out, kind, reference, name_field, None, at.child(field));
            }
        }
        for (j, source) in volume
            .path("projected/sources")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let base = at.join("projected/sources").child(j);
            for (field, kind) in [("configMap", "ConfigMap"), ("secret", "Secret")] {
                if let Some(reference) = source.get(field) {
                    add(&mut out, kind, reference, "name", None, base.child(field));
                }
            }
        }
    }
    for (i, secret) in spec.list("imagePullSecrets").iter().enumerate() {
        add(
            &mut out,
            "Secret",
            secret,
            "name",
            None,
            spec_pointer.child("imagePullSecrets").child(i),
        );
    }
    out
}
