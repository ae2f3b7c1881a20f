use crate::decoupling::graph::container_literals;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags configuration files written into a workload's `command`,
    /// `args` or `env` values: a JSON object or array of at least
    /// `min-length` characters (a parameter, default 40), YAML of several
    /// `key: value` lines, or a shell heredoc that writes a file
    /// (`cat <<EOF > /etc/app/config.yaml`).
    ///
    /// ## Why is this bad?
    /// A configuration file inside the pod spec can only change with a new
    /// rollout of the workload, is hard to read and diff, and cannot be
    /// shared or varied per environment. A ConfigMap mounted as a file holds
    /// the same text and changes on its own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: proxy
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/proxy:1.0.0
    ///       args: ["-c", '{"listen": ":8080", "upstreams": ["cart:7070", "catalog:3550"]}']
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: proxy
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: registry.example.com/proxy:1.0.0
    ///       args: ["-c", "/etc/proxy/config.json"]
    ///       volumeMounts: [{name: config, mountPath: /etc/proxy}]
    ///   volumes:
    ///     - name: config
    ///       configMap: {name: proxy-config}
    /// ```
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    pub InlineConfigFile => {
        id: "DEC014",
        name: "inline-config-file",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a configuration file is written inline in command, args or env",
        remediation: "Put the file in a ConfigMap, mount it as a volume, and pass its path.",
        equivalents: &[],
    }
}

impl ObjectRule for InlineConfigFile {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        let min: usize = cx.param("min-length", 40);
        for literal in container_literals(object) {
            let Some(what) = inline_file(literal.value, min) else {
                continue;
            };
            let place = if literal.is_arg {
                "an argument"
            } else {
                "an env value"
            };
            let name = if literal.name.is_empty() {
                String::new()
            } else {
                format!(" (`{}`)", literal.name)
            };
            cx.report(
                object,
                literal.pointer(),
                format!(
                    "container `{}` writes {what} inline in {place}{name}",
                    literal.container
                ),
            );
        }
    }
}

fn inline_file(value: &str, min: usize) -> Option<&'static str> {
    let trimmed = value.trim();
    if trimmed.len() >= min
        && (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde_json::Value>(trimmed).is_ok_and(|v| {
            v.is_object()
                || v.as_array()
                    .is_some_and(|a| a.iter().any(|i| i.is_object()))
        })
    {
        return Some("a JSON configuration");
    }
    if value.contains("<<") && value.lines().any(|l| l.contains("<<") && l.contains('>')) {
        let lines = value.lines().count();
        if lines >= 4 {
            return Some("a configuration file through a heredoc");
        }
    }
    let lines: Vec<&str> = value.lines().filter(|l| !l.trim().is_empty()).collect();
    let yaml_lines = lines
        .iter()
        .filter(|l| {
            let t = l.trim_start().trim_start_matches("- ");
            t.split_once(':').is_some_and(|(k, _)| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            })
        })
        .count();
    let shell = value.contains("&&")
        || value.contains(';')
        || value.contains("$(")
        || value.contains("exec ");
    (lines.len() >= 3 && yaml_lines * 4 >= lines.len() * 3 && !shell)
        .then_some("a YAML configuration")
}
