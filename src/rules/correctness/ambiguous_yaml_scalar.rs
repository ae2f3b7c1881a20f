use crate::rules::prelude::*;
use crate::yaml::scalar::{Resolved, yaml12_differs};
use crate::yaml::{Scalar, ScalarStyle, Value};

declare_rule! {
    /// ## What it does
    /// Flags unquoted values whose meaning depends on the YAML version:
    /// `yes`, `no`, `on`, `off`, `y` and `n` are booleans to Kubernetes
    /// (YAML 1.1) but strings to YAML 1.2 tools; `0755` is 493 to Kubernetes
    /// but 755 to YAML 1.2; `1_000` is a number to one and a string to the
    /// other. Also flags unquoted numbers, booleans and nulls where
    /// Kubernetes expects a string: label and annotation values, label
    /// selectors, ConfigMap `data`, env values, `command` and `args`, names
    /// and images. The help of each finding says what to write: quotes
    /// where a string is meant, and where the field may be a number or a
    /// boolean, the spelling every YAML reader reads alike (`493` or
    /// `0o755` for `0755`: quoting would make it a string).
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
        remediation: "Quote it where a string is meant; where a number or a boolean is meant, write it the way every YAML reader reads alike (`true`, `493`, `0o755`).",
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
            if let Some((message, help)) = problem(object.kind(), scalar, path) {
                cx.report(object, pointer_of(path), message).help(help);
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

/// The message and the help for an ambiguous scalar. A Secret's values are
/// never shown, nor what they resolve to, since either may give the secret
/// away.
fn problem(kind: &str, scalar: &Scalar, path: &[Segment<'_>]) -> Option<(String, String)> {
    let secret = kind == "Secret";
    let text = scalar.text.as_str();
    // Asked only of the few scalars that are findings: this runs on every
    // plain scalar of a run.
    let string_field = || expects_string(kind, path);
    let quote = || quote_text(text, secret);
    if let Some((k8s, yaml12)) = yaml12_differs(text) {
        let help = if string_field() {
            quote()
        } else {
            rewrite(text, k8s, secret)
        };
        if secret {
            return Some((
                "this unquoted value means one thing to Kubernetes and another to YAML 1.2 tools"
                    .to_owned(),
                help,
            ));
        }
        return Some((
            format!("`{text}` is {k8s} to Kubernetes but {yaml12} to YAML 1.2 tools"),
            help,
        ));
    }
    // A null string field is read as the empty string, which is what was
    // meant. A number's value is read again from the text (`Scalar::resolved`),
    // so only where a string is expected.
    if scalar.is_string_or_null() || !string_field() {
        return None;
    }
    let resolved = scalar.resolved();
    if secret {
        return Some((
            "this unquoted value is not a string, but Kubernetes expects a string here".to_owned(),
            quote(),
        ));
    }
    Some((
        format!("unquoted `{text}` is {resolved}, but Kubernetes expects a string here"),
        quote(),
    ))
}

/// How to write `text`, which Kubernetes reads as `k8s`, so that every YAML
/// reader agrees, where the field may not be a string: quoting a number
/// field's value would make the API server reject it.
fn rewrite(text: &str, k8s: Resolved, secret: bool) -> String {
    match k8s {
        Resolved::Bool(_) if secret => {
            "Write `true` or `false` if a boolean is meant, or quote the value if its text is."
                .to_owned()
        }
        Resolved::Bool(b) => {
            format!("Write `{b}` if a boolean is meant, or quote it (`\"{text}\"`) if the text is.")
        }
        Resolved::Int(_) | Resolved::Float(_) if secret => {
            "Write the number plainly in decimal, which every YAML reader reads alike.".to_owned()
        }
        Resolved::Int(number) => {
            let octal = text
                .strip_prefix('0')
                .filter(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                .map(|digits| format!(" (or `0o{digits}`)"))
                .unwrap_or_default();
            format!(
                "Write `{number}`{octal}, which every YAML reader reads alike; a quoted number is a string, which a number field rejects."
            )
        }
        Resolved::Float(number) => format!(
            "Write `{number}`, which every YAML reader reads alike; a quoted number is a string, which a number field rejects."
        ),
        Resolved::Null | Resolved::Str => quote_text(text, secret),
    }
}

fn quote_text(text: &str, secret: bool) -> String {
    if secret {
        "Quote the value.".to_owned()
    } else {
        format!("Quote it: `\"{text}\"`.")
    }
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
        // Every `name` in the API is a string: of objects, containers,
        // ports, volumes, variables and the objects they refer to.
        [.., Key("name" | "namespace" | "generateName" | "image")] => true,
        [.., Key("command" | "args"), Index(_)] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Segment::{Index, Key};

    fn help(kind: &str, text: &str, path: &[Segment<'_>]) -> String {
        let scalar = Scalar::new(text.into(), ScalarStyle::Plain, None);
        problem(kind, &scalar, path).expect("a finding").1
    }

    #[test]
    fn the_help_says_what_to_write_for_the_field() {
        let mode = [
            Key("spec"),
            Key("volumes"),
            Index(0),
            Key("configMap"),
            Key("defaultMode"),
        ];
        let mode_help = help("Pod", "0755", &mode);
        assert!(
            mode_help.starts_with("Write `493` (or `0o755`)"),
            "{mode_help}"
        );
        assert!(help("Pod", "1_000", &mode).starts_with("Write `1000`,"));
        let paused = [Key("spec"), Key("paused")];
        assert_eq!(
            help("Deployment", "no", &paused),
            "Write `false` if a boolean is meant, or quote it (`\"no\"`) if the text is."
        );
        // Where only a string fits, quotes are the fix, also for names.
        let label = [Key("metadata"), Key("labels"), Key("debug")];
        assert_eq!(help("Pod", "on", &label), "Quote it: `\"on\"`.");
        assert_eq!(
            help("Pod", "y", &[Key("metadata"), Key("name")]),
            "Quote it: `\"y\"`."
        );
        let env = [
            Key("spec"),
            Key("containers"),
            Index(0),
            Key("env"),
            Index(0),
            Key("value"),
        ];
        assert_eq!(help("Pod", "8080", &env), "Quote it: `\"8080\"`.");
        // A Secret's value is never repeated, nor what it reads as.
        let data = [Key("data"), Key("enabled")];
        assert_eq!(help("Secret", "yes", &data), "Quote the value.");
        let secret_help = help("Secret", "0755", &[Key("spec"), Key("mode")]);
        assert!(
            !secret_help.contains("493") && !secret_help.contains("755"),
            "{secret_help}"
        );
    }
}
