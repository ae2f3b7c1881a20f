use crate::rules::prelude::*;
use crate::yaml::scalar::yaml12_differs;
use crate::yaml::{Scalar, ScalarStyle, Value};

declare_rule! {
    /// ## What it does
    /// Flags unquoted values whose meaning depends on the YAML version:
    /// `yes`, `no`, `on`, `off`, `y` and `n` are booleans to Kubernetes
    /// (YAML 1.1) but strings to YAML 1.2 tools; `0755` is 493 to Kubernetes
    /// but 755 to YAML 1.2; `1_000` is a number to one and a string to the
    /// other. Also flags unquoted numbers, booleans and nulls where
    /// Kubernetes expects a string: label and annotation values, label
    /// selectors, ConfigMap `data`, env values, `command` and `args`.
    ///
    /// ## Why is this bad?
    /// The manifest does not say what it means. Kubernetes rejects
    /// `value: 8080` in an env var and `enabled: yes` in a label, and a
    /// formatter or templating tool that reads YAML 1.2 may silently change
    /// `on` into `"on"` or `0755` into `755`.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   labels:
    ///     debug: on
    /// data:
    ///   port: 8080
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   labels:
    ///     debug: "on"
    /// data:
    ///   port: "8080"
    /// ```
    pub AmbiguousYamlScalar => {
        id: "COR004",
        name: "ambiguous-yaml-scalar",
        category: Correctness,
        severity: Warning,
        kinds: &[Kind::Any],
        summary: "an unquoted value means different things to Kubernetes and YAML 1.2, or is not the string Kubernetes expects",
        remediation: "Quote the value, or write it the way both YAML versions read alike (`true`, `493`, `0o755`).",
        equivalents: &[],
    }
}

impl ObjectRule for AmbiguousYamlScalar {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let mut path = Vec::new();
        walk(object, &object.root, &mut path, cx);
    }
}

fn walk<'a>(object: &Object, node: &'a Node, path: &mut Vec<Segment<'a>>, cx: &mut Reports<'_>) {
    match &node.value {
        Value::Scalar(scalar) => {
            if scalar.style != ScalarStyle::Plain || scalar.tag.is_some() {
                return;
            }
            if let Some(message) = problem(object.kind(), scalar, path) {
                cx.report(object, pointer_of(path), message);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                walk(object, item, path, cx);
                path.pop();
            }
        }
        Value::Map(entries) => {
            for entry in entries {
                let Some(key) = entry.key.scalar_text() else {
                    continue;
                };
                path.push(Segment::Key(key));
                walk(object, &entry.value, path, cx);
                path.pop();
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer_of(path: &[Segment<'_>]) -> Pointer {
    path.iter().fold(Pointer::root(), |p, seg| match seg {
        Segment::Key(k) => p.child(k),
        Segment::Index(i) => p.child(i),
    })
}

/// The message for an ambiguous scalar. A Secret's values are never shown,
/// nor what they resolve to, since either may give the secret away.
fn problem(kind: &str, scalar: &Scalar, path: &[Segment<'_>]) -> Option<String> {
    let secret = kind == "Secret";
    let text = scalar.text.as_str();
    if let Some((k8s, yaml12)) = yaml12_differs(text) {
        if secret {
            return Some(
                "this unquoted value means one thing to Kubernetes and another to YAML 1.2 tools"
                    .to_owned(),
            );
        }
        return Some(format!(
            "`{text}` is {k8s} to Kubernetes but {yaml12} to YAML 1.2 tools"
        ));
    }
    // A null string field is read as the empty string, which is what was
    // meant. A number's value is read again from the text (`Scalar::resolved`),
    // so only where a string is expected.
    if scalar.is_string_or_null() || !expects_string(kind, path) {
        return None;
    }
    let resolved = scalar.resolved();
    if secret {
        return Some(
            "this unquoted value is not a string, but Kubernetes expects a string here".to_owned(),
        );
    }
    Some(format!(
        "unquoted `{text}` is {resolved}, but Kubernetes expects a string here"
    ))
}

/// Fields whose values Kubernetes only accepts as strings. A
/// CustomResourceDefinition is skipped: its schema may name properties
/// `labels` or `env` whose values are schema keywords.
fn expects_string(kind: &str, path: &[Segment<'_>]) -> bool {
    use Segment::{Index, Key};
    if kind == "CustomResourceDefinition" {
        return false;
    }
    match path {
        [.., Key("metadata"), Key("labels" | "annotations"), Key(_)] => true,
        [.., Key("matchLabels" | "nodeSelector"), Key(_)] => true,
        // The label selector of these kinds is a plain map, not `matchLabels`.
        [Key("spec"), Key("selector"), Key(_)] => {
            matches!(kind, "Service" | "ReplicationController")
        }
        [Key("data" | "stringData"), Key(_)] => matches!(kind, "ConfigMap" | "Secret"),
        [.., Key("env"), Index(_), Key("value")] => true,
        [.., Key("command" | "args"), Index(_)] => true,
        _ => false,
    }
}
