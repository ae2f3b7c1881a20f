use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags containers that start a process supervisor (`supervisord`,
    /// `s6-svscan`, s6-overlay's `/init`, `runsvdir`) or a shell script that
    /// puts processes in the background with `&`.
    ///
    /// ## Why is this bad?
    /// Kubernetes watches one process per container. A second process that
    /// dies is not restarted, its logs mix with the first, probes check only
    /// one of them, and the two can only scale together.
    ///
    /// ## Peers
    /// None: this check is plimsoll's own.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: app
    ///       image: ghcr.io/example/app:1.0.0
    ///       command: ["sh", "-c", "nginx & php-fpm --nodaemonize"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: app
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: ghcr.io/example/web:1.0.0
    ///       command: ["nginx", "-g", "daemon off;"]
    ///     - name: php
    ///       image: ghcr.io/example/php:1.0.0
    ///       command: ["php-fpm", "--nodaemonize"]
    /// ```
    pub MultipleProcesses => {
        id: "DEC051",
        name: "multiple-processes",
        category: Decoupling,
        severity: Warning,
        kinds: &[Kind::PodSpecCarrier],
        summary: "a container runs several processes under a supervisor or a backgrounding shell",
        remediation: "Run one process per container; put the others in containers (or workloads) of their own.",
        equivalents: &[],
    }
}

const SUPERVISORS: [&str; 5] = ["supervisord", "s6-svscan", "runsvdir", "/init", "circusd"];

impl ObjectRule for MultipleProcesses {
    fn check(&self, object: &Object, cx: &mut Reports<'_>) {
        for container in extract::containers(object) {
            let words: Vec<&str> = ["command", "args"]
                .iter()
                .flat_map(|field| {
                    container
                        .node
                        .list(field)
                        .iter()
                        .filter_map(Node::scalar_text)
                })
                .collect();
            let Some(first) = words.first() else {
                continue;
            };
            let supervisor = SUPERVISORS.iter().find(|s| {
                first.ends_with(*s) && (s.starts_with('/') || first.rsplit('/').next() == Some(**s))
            });
            let shell = matches!(
                first.rsplit('/').next(),
                Some("sh" | "bash" | "ash" | "dash")
            );
            let backgrounds = shell
                && words
                    .iter()
                    .skip_while(|w| **w != "-c")
                    .nth(1)
                    .is_some_and(|script| backgrounds_a_process(script));
            let message = match (supervisor, backgrounds) {
                (Some(s), _) => format!(
                    "container `{}` starts the process supervisor `{s}`",
                    container.name
                ),
                (None, true) => format!(
                    "container `{}` runs a shell script that puts processes in the background",
                    container.name
                ),
                _ => continue,
            };
            let field = if container.node.get("command").is_some() {
                "command"
            } else {
                "args"
            };
            cx.report(object, container.field(field), message);
        }
    }
}

/// Whether a shell script has a `&` that is not part of `&&`, `>&` or `&>`.
fn backgrounds_a_process(script: &str) -> bool {
    let bytes = script.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'&'
            && bytes.get(i + 1) != Some(&b'&')
            && bytes.get(i + 1) != Some(&b'>')
            && (i == 0 || !matches!(bytes[i - 1], b'&' | b'>' | b'<'))
    })
}
