//! The templates rule files are written in.
//!
//! A template is a Rust type with typed parameters (unknown ones rejected)
//! and a statement of which kinds it can look at, so a rule file that asks
//! `forbidden-service-types` about Deployments fails when it is loaded
//! rather than silently never firing.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;

use crate::k8s::extract::{self, ContainerKind};
use crate::k8s::kinds::pod_spec_path;
use crate::k8s::{Kind, Object};
use crate::rules::Reports;
use crate::schema::catalog::{KindSchema, single_def};
use crate::schema::instance::{Instance, Yaml};
use crate::yaml::{Node, Pointer};

/// A template with its parameters, ready to check objects.
pub enum Template {
    /// The target must match a JSON Schema.
    JsonSchema {
        /// What part of the object is checked.
        target: Target,
        /// Which containers, for the container target.
        containers: Vec<ContainerKind>,
        /// The schema, compiled when first needed.
        schema: Box<LazySchema>,
        /// The finding's message.
        message: String,
    },
    /// A label or annotation must be present (and match).
    RequiredMetadata {
        /// `labels` or `annotations`.
        field: &'static str,
        /// The key.
        key: String,
        /// What the whole value must match.
        value: Option<Regex>,
        /// Whose metadata.
        target: MetadataTarget,
    },
    /// No label or annotation may match.
    ForbiddenMetadata {
        /// `labels` or `annotations`.
        field: &'static str,
        /// What whole keys must not match.
        key: Regex,
        /// What whole values must not match; any value when absent.
        value: Option<Regex>,
        /// Whose metadata.
        target: MetadataTarget,
    },
    /// A Service must not have one of these types.
    ForbiddenServiceTypes {
        /// The forbidden types.
        types: Vec<String>,
        /// The finding's message; `{value}` is the type.
        message: Option<String>,
    },
    /// No hostPath volume at or below these paths.
    HostMounts {
        /// Host paths.
        paths: Vec<String>,
        /// Only volumes some container mounts writable.
        writable_only: bool,
    },
    /// Container ports that must not be used.
    Ports {
        /// Forbidden port numbers.
        ports: Vec<i64>,
        /// Ports below this number are forbidden.
        below: Option<i64>,
        /// Look at hostPort rather than containerPort.
        host_ports: bool,
        /// The finding's message.
        message: Option<String>,
    },
    /// Literal env vars that must not be set.
    EnvVar {
        /// What whole names must not match.
        name: Regex,
        /// What whole values must not match; any literal value when absent.
        value: Option<Regex>,
        /// The finding's message.
        message: Option<String>,
    },
    /// API versions or kinds that must not be used.
    DisallowedApi {
        /// Forbidden apiVersions.
        api_versions: Vec<Regex>,
        /// Forbidden kinds.
        kinds: Vec<Regex>,
        /// The finding's message.
        message: Option<String>,
    },
    /// Image pull policies that must not be used.
    ImagePullPolicy {
        /// The forbidden policies; `unset` means no policy written.
        forbidden: Vec<String>,
    },
}

/// What a JSON Schema template checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The whole object.
    Object,
    /// The pod spec.
    PodSpec,
    /// Each container.
    Container,
    /// The pod template's metadata (a Pod's own metadata).
    PodTemplateMetadata,
}

/// Whose labels or annotations a metadata template checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetadataTarget {
    /// The object's own metadata.
    #[default]
    Object,
    /// The pod template's metadata.
    PodTemplate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSchemaParams {
    target: Target,
    #[serde(default)]
    containers: Vec<String>,
    schema: Value,
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MetadataParams {
    key: String,
    value: Option<String>,
    #[serde(default)]
    target: MetadataTarget,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceTypeParams {
    types: Vec<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct HostMountParams {
    paths: Vec<String>,
    #[serde(default)]
    writable_only: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PortParams {
    #[serde(default)]
    ports: Vec<i64>,
    below: Option<i64>,
    #[serde(default)]
    host_ports: bool,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvVarParams {
    name: String,
    value: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DisallowedApiParams {
    #[serde(default)]
    api_versions: Vec<String>,
    #[serde(default)]
    kinds: Vec<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PullPolicyParams {
    forbidden: Vec<String>,
}

/// Kind names whose objects carry a pod spec.
const POD_SPEC_KINDS: [&str; 10] = [
    "Pod",
    "PodTemplate",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Rollout",
];

impl Template {
    /// Builds template `name` from its parameters, for a rule applying to
    /// `kinds`. A schema in the parameters is compiled now when
    /// `compile_now` (a user's rule file, whose mistakes must stop the run
    /// before it starts), else when the rule first checks an object.
    pub fn new(
        name: &str,
        params: &Value,
        kinds: &[Kind],
        compile_now: bool,
    ) -> Result<Template, String> {
        let template = match name {
            "json-schema" => {
                let p: JsonSchemaParams = typed(name, params)?;
                if p.target != Target::Object {
                    require_pod_specs(name, kinds)?;
                }
                Template::JsonSchema {
                    target: p.target,
                    containers: container_kinds(&p.containers)?,
                    schema: Box::new(LazySchema::new(p.schema, compile_now)?),
                    message: p.message,
                }
            }
            "required-label"
            | "required-annotation"
            | "forbidden-label"
            | "forbidden-annotation" => {
                let p: MetadataParams = typed(name, params)?;
                if p.target == MetadataTarget::PodTemplate {
                    require_pod_specs(name, kinds)?;
                }
                let field = metadata_field(name);
                let value = p.value.as_deref().map(whole).transpose()?;
                if name.starts_with("required") {
                    Template::RequiredMetadata {
                        field,
                        key: p.key,
                        value,
                        target: p.target,
                    }
                } else {
                    Template::ForbiddenMetadata {
                        field,
                        key: whole(&p.key)?,
                        value,
                        target: p.target,
                    }
                }
            }
            "forbidden-service-types" => {
                if kinds != [Kind::Named("Service")] {
                    return Err(
                        "template `forbidden-service-types` applies only to `kinds: [Service]`"
                            .to_owned(),
                    );
                }
                let p: ServiceTypeParams = typed(name, params)?;
                Template::ForbiddenServiceTypes {
                    types: p.types,
                    message: p.message,
                }
            }
            "host-mounts" => {
                require_pod_specs(name, kinds)?;
                let p: HostMountParams = typed(name, params)?;
                Template::HostMounts {
                    paths: p.paths,
                    writable_only: p.writable_only,
                }
            }
            "ports" => {
                require_pod_specs(name, kinds)?;
                let p: PortParams = typed(name, params)?;
                if p.ports.is_empty() && p.below.is_none() && !p.host_ports {
                    return Err(
                        "template `ports` needs `ports`, `below` or `host-ports: true`".to_owned(),
                    );
                }
                Template::Ports {
                    ports: p.ports,
                    below: p.below,
                    host_ports: p.host_ports,
                    message: p.message,
                }
            }
            "env-var" => {
                require_pod_specs(name, kinds)?;
                let p: EnvVarParams = typed(name, params)?;
                Template::EnvVar {
                    name: whole(&p.name)?,
                    value: p.value.as_deref().map(whole).transpose()?,
                    message: p.message,
                }
            }
            "disallowed-api" => {
                let p: DisallowedApiParams = typed(name, params)?;
                if p.api_versions.is_empty() && p.kinds.is_empty() {
                    return Err(
                        "template `disallowed-api` needs `api-versions` or `kinds`".to_owned()
                    );
                }
                Template::DisallowedApi {
                    api_versions: p
                        .api_versions
                        .iter()
                        .map(|r| whole(r))
                        .collect::<Result<_, _>>()?,
                    kinds: p.kinds.iter().map(|r| whole(r)).collect::<Result<_, _>>()?,
                    message: p.message,
                }
            }
            "image-pull-policy" => {
                require_pod_specs(name, kinds)?;
                let p: PullPolicyParams = typed(name, params)?;
                Template::ImagePullPolicy {
                    forbidden: p.forbidden,
                }
            }
            other => return Err(format!("unknown template `{other}`")),
        };
        Ok(template)
    }

    /// Reports what `object` breaks.
    pub fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        match self {
            Template::JsonSchema {
                target,
                containers,
                schema,
                message,
            } => check_schema(object, *target, containers, schema.get(), message, cx),
            Template::RequiredMetadata {
                field,
                key,
                value,
                target,
            } => check_required(object, field, key, value.as_ref(), *target, cx),
            Template::ForbiddenMetadata {
                field,
                key,
                value,
                target,
            } => check_forbidden(object, field, key, value.as_ref(), *target, cx),
            Template::ForbiddenServiceTypes { types, message } => {
                let Some(service_type) = object.root.path("spec/type").and_then(Node::scalar_text)
                else {
                    return;
                };
                if types.iter().any(|t| t == service_type) {
                    let text = message.as_deref().map_or_else(
                        || format!("service type `{service_type}` is not allowed here"),
                        |m| fill(m, "", object.kind()).replace("{value}", service_type),
                    );
                    cx.report(object, Pointer::root().join("spec/type"), text);
                }
            }
            Template::HostMounts {
                paths,
                writable_only,
            } => check_host_mounts(object, paths, *writable_only, cx),
            Template::Ports {
                ports,
                below,
                host_ports,
                message,
            } => check_ports(object, ports, *below, *host_ports, message.as_deref(), cx),
            Template::EnvVar {
                name,
                value,
                message,
            } => check_env(object, name, value.as_ref(), message.as_deref(), cx),
            Template::DisallowedApi {
                api_versions,
                kinds,
                message,
            } => {
                let api_hit = api_versions
                    .iter()
                    .any(|r| r.is_match(&object.identity.api_version));
                let kind_hit = kinds.iter().any(|r| r.is_match(object.kind()));
                let hit = match (api_versions.is_empty(), kinds.is_empty()) {
                    (false, false) => api_hit && kind_hit,
                    (false, true) => api_hit,
                    _ => kind_hit,
                };
                if hit {
                    let default = format!(
                        "`{}` `{}` is not allowed here",
                        object.identity.api_version,
                        object.kind()
                    );
                    let text = message
                        .as_deref()
                        .map_or(default, |m| fill(m, "", object.kind()));
                    cx.report(object, Pointer::root().child("kind"), text);
                }
            }
            Template::ImagePullPolicy { forbidden } => {
                for container in extract::containers(object) {
                    let policy = container
                        .node
                        .get("imagePullPolicy")
                        .and_then(Node::scalar_text);
                    let shown = policy.unwrap_or("unset");
                    if !forbidden.iter().any(|f| f == shown) {
                        continue;
                    }
                    let message = match policy {
                        Some(p) => format!(
                            "container `{}` uses image pull policy `{p}`",
                            container.name
                        ),
                        None => format!("container `{}` sets no image pull policy", container.name),
                    };
                    cx.report(object, container.field("imagePullPolicy"), message);
                }
            }
        }
    }
}

/// The parameters of template `name`, typed; unknown ones are refused.
fn typed<T: serde::de::DeserializeOwned>(name: &str, params: &Value) -> Result<T, String> {
    serde_json::from_value(params.clone())
        .map_err(|e| format!("invalid parameters for template `{name}`: {e}"))
}

fn metadata_field(template: &str) -> &'static str {
    if template.ends_with("label") {
        "labels"
    } else {
        "annotations"
    }
}

/// A regular expression that must match a whole string.
fn whole(pattern: &str) -> Result<Regex, String> {
    Regex::new(&format!("^(?:{pattern})$"))
        .map_err(|e| format!("invalid regular expression `{pattern}`: {e}"))
}

fn require_pod_specs(template: &str, kinds: &[Kind]) -> Result<(), String> {
    let fits = |k: &Kind| match k {
        Kind::PodSpecCarrier | Kind::ReplicatedWorkload => true,
        Kind::Named(name) => POD_SPEC_KINDS.contains(name),
        Kind::Any => false,
    };
    if kinds.iter().all(fits) {
        return Ok(());
    }
    Err(format!(
        "template `{template}` looks at pod specs, so `kinds` must be PodSpecCarrier, ReplicatedWorkload or kinds that carry a pod spec ({})",
        POD_SPEC_KINDS.join(", ")
    ))
}

fn container_kinds(names: &[String]) -> Result<Vec<ContainerKind>, String> {
    if names.is_empty() {
        return Ok(vec![ContainerKind::Regular, ContainerKind::Init]);
    }
    names
        .iter()
        .map(|n| match n.as_str() {
            "regular" => Ok(ContainerKind::Regular),
            "init" => Ok(ContainerKind::Init),
            "ephemeral" => Ok(ContainerKind::Ephemeral),
            other => Err(format!("unknown container kind `{other}`")),
        })
        .collect()
}

/// A template's JSON Schema and, once compiled, its validator. Compiling
/// the built-in rules' schemas was a third of the instructions of linting
/// one small file, and most runs of one file need few of them.
pub struct LazySchema {
    source: Value,
    compiled: OnceLock<KindSchema>,
}

impl LazySchema {
    fn new(source: Value, compile_now: bool) -> Result<Self, String> {
        let compiled = OnceLock::new();
        if compile_now {
            let _ = compiled.set(compile_schema(source.clone())?);
        }
        Ok(Self { source, compiled })
    }

    fn get(&self) -> &KindSchema {
        self.compiled.get_or_init(|| {
            // Only the built-in rules compile here, and a test compiles
            // each of them.
            compile_schema(self.source.clone()).expect("a built-in rule's schema compiles")
        })
    }
}

fn compile_schema(schema: Value) -> Result<KindSchema, String> {
    let validator = jsonschema::options_for::<Yaml>()
        .with_draft(jsonschema::Draft::Draft202012)
        .offline()
        .build(&schema)
        .map_err(|e| format!("`params.schema` is not a usable JSON Schema: {e}"))?;
    Ok(KindSchema {
        validator,
        defs: single_def("target", schema),
        root: "target".to_owned(),
    })
}

/// Replaces `{container}` and `{kind}` in a rule's message.
fn fill(message: &str, container: &str, kind: &str) -> String {
    message
        .replace("{container}", container)
        .replace("{kind}", kind)
}

fn check_schema(
    object: &Object,
    target: Target,
    containers: &[ContainerKind],
    schema: &KindSchema,
    message: &str,
    cx: &mut Reports<'_>,
) {
    // Targets are validated in place: the validator reads the tree as the
    // JSON Kubernetes would see (`schema::instance`). Their pointers are
    // made only for those that fail, which are few.
    let targets: Vec<(&Node, Place<'_>)> = match target {
        Target::Object => vec![(&object.root, Place::Path(""))],
        Target::PodSpec => extract::pod_spec_at(object)
            .map(|(path, node)| (node, Place::Path(path)))
            .into_iter()
            .collect(),
        Target::PodTemplateMetadata => extract::template_metadata_at(object)
            .map(|(path, node)| (node, Place::Path(path)))
            .into_iter()
            .collect(),
        Target::Container => extract::containers(object)
            .into_iter()
            .filter(|c| containers.contains(&c.kind))
            .map(|c| (c.node, Place::Container(c)))
            .collect(),
    };
    let secret = object.kind() == "Secret";
    for (node, place) in targets {
        let instance = Instance::of(node);
        if schema.validator.is_valid(instance) {
            continue;
        }
        let (base, container) = match &place {
            Place::Path(path) => (Pointer::root().join(path), ""),
            Place::Container(c) => (c.pointer(), c.name),
        };
        // Every failing place is reported once, however many keywords fail there.
        let mut reported: Vec<Pointer> = Vec::new();
        for error in schema.validator.iter_errors(instance) {
            let mut pointer = Pointer::parse(&format!("{base}{}", error.instance_path().as_str()));
            if let jsonschema::error::ValidationErrorKind::Required { property } = error.kind() {
                pointer = pointer.child(property.as_str().unwrap_or_default());
            }
            if reported.contains(&pointer) {
                continue;
            }
            let value = match error.instance().as_ref() {
                _ if secret => String::new(),
                serde_json::Value::String(s) if s.chars().count() <= 60 => s.clone(),
                serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
                    error.instance().to_string()
                }
                _ => String::new(),
            };
            let text = fill(message, container, object.kind()).replace("{value}", &value);
            cx.report(object, pointer.clone(), text);
            reported.push(pointer);
        }
    }
}

/// Where a target of a schema check is in its object.
enum Place<'o> {
    /// A path from the object's root.
    Path(&'static str),
    /// A container.
    Container(extract::Container<'o>),
}

fn metadata_of(object: &Object, target: MetadataTarget) -> Option<(Pointer, &Node)> {
    match target {
        MetadataTarget::Object => Some((
            Pointer::root().child("metadata"),
            object.root.get("metadata")?,
        )),
        MetadataTarget::PodTemplate => extract::template_metadata(object),
    }
}

fn check_required(
    object: &Object,
    field: &str,
    key: &str,
    value: Option<&Regex>,
    target: MetadataTarget,
    cx: &mut Reports<'_>,
) {
    if target == MetadataTarget::PodTemplate && pod_spec_path(object).is_none() {
        return;
    }
    let singular = field.trim_end_matches('s');
    let base =
        metadata_of(object, target).map_or_else(|| Pointer::root().child("metadata"), |(p, _)| p);
    let found = metadata_of(object, target)
        .and_then(|(_, meta)| meta.get(field))
        .and_then(|m| m.get(key))
        .and_then(Node::scalar_text);
    let whose = match target {
        MetadataTarget::Object => "the object",
        MetadataTarget::PodTemplate => "the pod template",
    };
    match (found, value) {
        (None, _) => {
            cx.report(
                object,
                base.child(field).child(key),
                format!("{whose} has no `{key}` {singular}"),
            );
        }
        (Some(actual), Some(pattern)) if !pattern.is_match(actual) => {
            let shown = pattern
                .as_str()
                .trim_start_matches("^(?:")
                .trim_end_matches(")$");
            cx.report(
                object,
                base.child(field).child(key),
                format!("{singular} `{key}` is `{actual}`, which does not match `{shown}`"),
            );
        }
        _ => {}
    }
}

fn check_forbidden(
    object: &Object,
    field: &str,
    key: &Regex,
    value: Option<&Regex>,
    target: MetadataTarget,
    cx: &mut Reports<'_>,
) {
    let Some((base, meta)) = metadata_of(object, target) else {
        return;
    };
    let singular = field.trim_end_matches('s');
    for entry in meta.get(field).map(Node::entries).unwrap_or_default() {
        let Some(k) = entry.key.scalar_text() else {
            continue;
        };
        let v = entry.value.scalar_text().unwrap_or_default();
        if !key.is_match(k) || value.is_some_and(|r| !r.is_match(v)) {
            continue;
        }
        cx.report(
            object,
            base.child(field).child(k),
            format!("{singular} `{k}` is not allowed"),
        );
    }
}

fn check_host_mounts(object: &Object, paths: &[String], writable_only: bool, cx: &mut Reports<'_>) {
    let Some((spec_pointer, spec)) = extract::pod_spec(object) else {
        return;
    };
    let containers = extract::containers(object);
    for (index, volume) in spec.list("volumes").iter().enumerate() {
        let Some(host_path) = volume.path("hostPath/path").and_then(Node::scalar_text) else {
            continue;
        };
        let normalized = host_path.trim_end_matches('/');
        let hit = paths.iter().any(|p| {
            let p = p.trim_end_matches('/');
            p.is_empty() || normalized == p || normalized.starts_with(&format!("{p}/"))
        });
        if !hit {
            continue;
        }
        let volume_name = volume
            .get("name")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        if writable_only {
            let writable = containers.iter().any(|c| {
                c.node.list("volumeMounts").iter().any(|m| {
                    m.get("name").and_then(Node::scalar_text) == Some(volume_name)
                        && m.get("readOnly").and_then(Node::as_bool) != Some(true)
                })
            });
            if !writable {
                continue;
            }
        }
        let display = if host_path.is_empty() { "/" } else { host_path };
        let how = if writable_only { " writable" } else { "" };
        cx.report(
            object,
            spec_pointer
                .child("volumes")
                .child(index)
                .join("hostPath/path"),
            format!("volume `{volume_name}` mounts the host path `{display}`{how}"),
        );
    }
}

fn check_ports(
    object: &Object,
    ports: &[i64],
    below: Option<i64>,
    host_ports: bool,
    message: Option<&str>,
    cx: &mut Reports<'_>,
) {
    let field = if host_ports {
        "hostPort"
    } else {
        "containerPort"
    };
    for container in extract::containers(object) {
        for (index, port) in container.node.list("ports").iter().enumerate() {
            let Some(number) = port.get(field).and_then(Node::as_i64) else {
                continue;
            };
            let any_host_port = host_ports && ports.is_empty() && below.is_none() && number > 0;
            let hit = any_host_port || ports.contains(&number) || below.is_some_and(|b| number < b);
            if !hit {
                continue;
            }
            let default = format!("container `{}` uses {field} {number}", container.name);
            let text = message.map_or(default, |m| {
                fill(m, container.name, object.kind()).replace("{value}", &number.to_string())
            });
            cx.report(
                object,
                container.field(&format!("ports/{index}/{field}")),
                text,
            );
        }
    }
}

fn check_env(
    object: &Object,
    name: &Regex,
    value: Option<&Regex>,
    message: Option<&str>,
    cx: &mut Reports<'_>,
) {
    for container in extract::containers(object) {
        for (index, var) in container.node.list("env").iter().enumerate() {
            let Some(var_name) = var.get("name").and_then(Node::scalar_text) else {
                continue;
            };
            let Some(literal) = var.get("value").and_then(Node::scalar_text) else {
                continue;
            };
            if !name.is_match(var_name) || value.is_some_and(|r| !r.is_match(literal)) {
                continue;
            }
            let default = format!(
                "container `{}` sets `{var_name}` to a literal value",
                container.name
            );
            let text = message.map_or(default, |m| {
                fill(m, container.name, object.kind()).replace("{value}", var_name)
            });
            cx.report(object, container.field(&format!("env/{index}/value")), text);
        }
    }
}
