//! The service graph: which workload talks to which service, and which
//! workloads stand behind it.
//!
//! Addresses are read where workloads keep them: literal `env` values,
//! `command` and `args` items, the data of ConfigMaps a workload reads
//! with `envFrom` or `configMapKeyRef`, and the settings of the files it
//! mounts from ConfigMaps (`payments.url=http://payments:8080` in an
//! `application.properties`, `url: http://prometheus:9090` in a YAML
//! file), which is where many applications keep whom they call. An address
//! is an in-cluster DNS name (`svc`, `svc.ns`, `svc.ns.svc`,
//! `svc.ns.svc.cluster.local`, with or without a scheme and port) or an IP
//! address. Names resolve to Services of the run, and a Service to the
//! workloads its selector selects, giving edges workload → service →
//! workload.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use super::values::{self, Address};
use crate::k8s::extract::{self, Container};
use crate::k8s::index::{LabelSelector, effective_namespace};
use crate::k8s::{Object, ObjectId, ObjectIndex};
use crate::yaml::{Node, Pointer};

/// A literal string a workload is configured with, and where it is written.
#[derive(Debug, Clone)]
pub struct Literal<'a> {
    /// The object the text is in: the workload, or a ConfigMap it reads.
    pub object: &'a Object,
    /// Where in that object; the pointer is made only for a literal
    /// reported on, since six rules and the service graph list every
    /// literal of every workload.
    place: Place<'a>,
    /// The variable, flag or ConfigMap key it is the value of; empty for a
    /// positional argument.
    pub name: &'a str,
    /// The text.
    pub value: &'a str,
    /// The container, for literals of the workload itself.
    pub container: &'a str,
    /// Whether it is a `command`/`args` item rather than an `env` value.
    pub is_arg: bool,
}

/// Where a literal is written.
#[derive(Debug, Clone)]
enum Place<'a> {
    /// `env[i].value` of a container.
    Env(Container<'a>, usize),
    /// Item `i` of a container's `command` or `args`.
    Arg(Container<'a>, &'static str, usize),
    /// A key of a ConfigMap's `data`.
    Data(&'a str),
}

impl Literal<'_> {
    /// Where the literal is, in its object.
    pub fn pointer(&self) -> Pointer {
        match &self.place {
            Place::Env(container, i) => container.field(&format!("env/{i}/value")),
            Place::Arg(container, list, i) => container.field(&format!("{list}/{i}")),
            Place::Data(key) => Pointer::root().child("data").child(*key),
        }
    }
}

/// Literal `env` values and `command`/`args` items of every container of
/// `object`. A `--flag=value` or `--flag value` pair yields the value named
/// by the flag.
pub fn container_literals(object: &Object) -> Vec<Literal<'_>> {
    let mut out = Vec::new();
    for container in extract::containers(object) {
        for (i, var) in container.node.list("env").iter().enumerate() {
            let (Some(name), Some(value)) = (
                var.get("name").and_then(Node::scalar_text),
                var.get("value").and_then(Node::scalar_text),
            ) else {
                continue;
            };
            out.push(Literal {
                object,
                place: Place::Env(container.clone(), i),
                name,
                value,
                container: container.name,
                is_arg: false,
            });
        }
        for list in ["command", "args"] {
            let items = container
                .node
                .get(list)
                .map(Node::items)
                .unwrap_or_default();
            let mut flag: Option<&str> = None;
            for (i, item) in items.iter().enumerate() {
                let Some(text) = item.scalar_text() else {
                    continue;
                };
                let (name, value) = match (text.strip_prefix('-'), text.split_once('=')) {
                    (Some(_), Some((f, v))) if !f.contains(char::is_whitespace) => (f, v),
                    (Some(_), None) if !text.contains(char::is_whitespace) => {
                        flag = Some(text);
                        continue;
                    }
                    _ => (flag.unwrap_or_default(), text),
                };
                flag = None;
                out.push(Literal {
                    object,
                    place: Place::Arg(container.clone(), list, i),
                    name,
                    value,
                    container: container.name,
                    is_arg: true,
                });
            }
        }
    }
    out
}

/// The data of the ConfigMaps `object` reads through `envFrom` (every key)
/// and `env[].valueFrom.configMapKeyRef` (that key), found in the run.
pub fn config_map_literals<'a>(index: &ObjectIndex<'a>, object: &Object) -> Vec<Literal<'a>> {
    let namespace = effective_namespace(object);
    let mut wanted: Vec<(String, Option<String>)> = Vec::new();
    for container in extract::containers(object) {
        for from in container.node.list("envFrom") {
            if let Some(name) = from.path("configMapRef/name").and_then(Node::scalar_text) {
                wanted.push((name.to_owned(), None));
            }
        }
        for var in container.node.list("env") {
            let Some(reference) = var.path("valueFrom/configMapKeyRef") else {
                continue;
            };
            if let (Some(name), Some(key)) = (
                reference.get("name").and_then(Node::scalar_text),
                reference.get("key").and_then(Node::scalar_text),
            ) {
                wanted.push((name.to_owned(), Some(key.to_owned())));
            }
        }
    }
    wanted.sort();
    wanted.dedup();
    let mut out = Vec::new();
    for (name, key) in wanted {
        for config_map in index.named("ConfigMap", namespace, &name) {
            for entry in config_map
                .root
                .get("data")
                .map(Node::entries)
                .unwrap_or_default()
            {
                let (Some(k), Some(value)) = (entry.key.scalar_text(), entry.value.scalar_text())
                else {
                    continue;
                };
                if key.as_deref().is_some_and(|wanted| wanted != k) {
                    continue;
                }
                out.push(Literal {
                    object: config_map,
                    place: Place::Data(k),
                    name: k,
                    value,
                    container: "",
                    is_arg: false,
                });
            }
        }
    }
    out
}

/// The settings of the files a workload mounts from ConfigMaps (`configMap`
/// and `projected` volumes), found in the run: each `key=value` or
/// `key: value` line of a file of several lines, named by its key, and a
/// one-line file whole, named by its file name.
///
/// `read` keeps each ConfigMap's settings once read: a run may hold many
/// copies of one name in a namespace, and many workloads mount them.
fn mounted_config_literals<'a>(
    index: &ObjectIndex<'a>,
    object: &Object,
    read: &mut HashMap<ObjectId, Vec<Literal<'a>>>,
) -> Vec<Literal<'a>> {
    let Some((_, spec)) = extract::pod_spec(object) else {
        return Vec::new();
    };
    let mut names: Vec<&str> = Vec::new();
    for volume in spec.list("volumes") {
        names.extend(volume.path("configMap/name").and_then(Node::scalar_text));
        for source in volume
            .path("projected/sources")
            .map(Node::items)
            .unwrap_or_default()
        {
            names.extend(source.path("configMap/name").and_then(Node::scalar_text));
        }
    }
    names.sort_unstable();
    names.dedup();
    let namespace = effective_namespace(object);
    let mut out = Vec::new();
    for name in names {
        for config_map in index.named("ConfigMap", namespace, name) {
            let settings = read
                .entry(config_map.id)
                .or_insert_with(|| file_settings(config_map));
            out.extend(settings.iter().cloned());
        }
    }
    out
}

/// The settings of the files of `config_map` that could hold an address.
fn file_settings(config_map: &Object) -> Vec<Literal<'_>> {
    let mut out = Vec::new();
    let data = config_map.root.get("data").map(Node::entries);
    for entry in data.unwrap_or_default() {
        let (Some(file), Some(text)) = (entry.key.scalar_text(), entry.value.scalar_text()) else {
            continue;
        };
        let literal = |name, value| Literal {
            object: config_map,
            place: Place::Data(file),
            name,
            value,
            container: "",
            is_arg: false,
        };
        if text.trim_end().contains('\n') {
            // Files may be large (dashboards, rule bundles): most are ruled
            // out by one search, and only the lines that could hold an
            // address are kept.
            if !values::may_hold_address(text) {
                continue;
            }
            let settings = values::settings(text).filter(|(key, value)| {
                value.contains(':') || (values::is_host(value) && names_an_address(key))
            });
            out.extend(settings.map(|(key, value)| literal(key, value)));
        } else {
            out.push(literal(file, text.trim()));
        }
    }
    out
}

/// Names of variables and flags that hold an address even without a port.
fn names_an_address(name: &str) -> bool {
    let upper = name
        .trim_start_matches('-')
        .to_ascii_uppercase()
        .replace(['-', '.'], "_");
    [
        "_ADDR",
        "_ADDRESS",
        "_HOST",
        "_HOSTNAME",
        "_SERVER",
        "_ENDPOINT",
        "_URL",
        "_URI",
        "_UPSTREAM",
    ]
    .iter()
    .any(|s| upper.ends_with(s) || upper == s[1..])
}

/// Schemes of URLs that name no network service (`kubernetes://apis/…`).
const NOT_NETWORK_SCHEMES: [&str; 12] = [
    "kubernetes",
    "k8s",
    "file",
    "spiffe",
    "s3",
    "gs",
    "az",
    "vault",
    "secret",
    "env",
    "unix",
    "data",
];

/// An address found in a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressRef {
    /// The host as written.
    pub host: String,
    /// The port, when written.
    pub port: Option<u16>,
    /// The scheme, when written.
    pub scheme: String,
}

/// The addresses in a literal: each comma-separated part that is a URL, a
/// `host:port`, or a bare host when the name says it holds an address.
/// Texts with spaces (scripts, sentences) hold none.
pub fn addresses(name: &str, value: &str) -> Vec<AddressRef> {
    if value.contains(char::is_whitespace) || values::is_trivial(value) {
        return Vec::new();
    }
    value
        .split(',')
        .filter_map(values::parse_address)
        .filter(|a: &Address<'_>| {
            !NOT_NETWORK_SCHEMES.contains(&a.scheme.to_ascii_lowercase().as_str())
                && a.host != "localhost"
                && (a.port.is_some() || !a.scheme.is_empty() || names_an_address(name))
        })
        .map(|a| AddressRef {
            host: a.host.to_owned(),
            port: a.port,
            scheme: a.scheme.to_owned(),
        })
        .collect()
}

/// What an address points at.
#[derive(Debug, Clone)]
pub enum Target<'a> {
    /// A Service of the run.
    Service(&'a Object),
    /// A Service name in a namespace the run manages, but no such Service.
    Missing {
        /// The Service name.
        name: String,
        /// Its namespace.
        namespace: String,
    },
    /// An IP address.
    Ip(String),
}

/// Resolves `address`, written in a workload of `namespace`; `None` for
/// external hosts and names in namespaces the run does not manage. `built`
/// holds the Services that kustomizations build, by name.
fn resolve<'a>(
    index: &ObjectIndex<'a>,
    built: &HashMap<&str, Vec<&'a Object>>,
    namespace: &str,
    address: &AddressRef,
) -> Option<Target<'a>> {
    let host = address.host.as_str();
    if let Some(octets) = values::parse_ipv4(host) {
        return values::is_routable_ip(octets).then(|| Target::Ip(host.to_owned()));
    }
    let labels: Vec<&str> = host.split('.').collect();
    let (name, ns) = match labels.as_slice() {
        [name] => (*name, namespace),
        [name, ns, "svc", "cluster", "local"] | [name, ns, "svc"] => (*name, *ns),
        [name, ns] if !values::is_external_host(host) => (*name, *ns),
        _ => return None,
    };
    if let Some(service) = index.named("Service", ns, name).into_iter().next() {
        return Some(Target::Service(service));
    }
    // A Service written without its namespace, which a kustomization's
    // `namespace` gives it when built.
    let moved_there = built.get(name).into_iter().flatten().find(|service| {
        service
            .build
            .as_ref()
            .is_some_and(|build| build.moves_into(ns))
    });
    if let Some(service) = moved_there {
        return Some(Target::Service(service));
    }
    // `a.b` with no Service `a` in a namespace `b` the run manages is most
    // likely not a service address at all (`config.yaml`, `com.example`).
    if labels.len() == 2 || !index.defines_namespace(ns) {
        return None;
    }
    Some(Target::Missing {
        name: name.to_owned(),
        namespace: ns.to_owned(),
    })
}

/// The workloads a Service's selector selects.
pub fn backends<'a>(index: &ObjectIndex<'a>, service: &Object) -> Vec<&'a Object> {
    let selector = LabelSelector::from_map(service.root.path("spec/selector"));
    if selector.is_empty() {
        return Vec::new();
    }
    index.pods_selected(effective_namespace(service), &selector)
}

/// One reference from a workload to an address.
#[derive(Debug, Clone)]
pub struct Edge<'a> {
    /// The workload that holds the address.
    pub from: &'a Object,
    /// Where the address is written.
    pub literal: Literal<'a>,
    /// The address.
    pub address: AddressRef,
    /// What it resolves to.
    pub target: Target<'a>,
    /// For a Service, the workloads behind it.
    pub to: Vec<&'a Object>,
}

/// The service graph of a run.
#[derive(Debug, Default)]
pub struct Graph<'a> {
    /// Every workload, in file order.
    pub workloads: Vec<&'a Object>,
    /// Every reference, by workload in file order, then by position.
    pub edges: Vec<Edge<'a>>,
}

impl<'a> Graph<'a> {
    /// Builds the graph of the run indexed by `index`.
    pub fn build(index: &ObjectIndex<'a>) -> Graph<'a> {
        let mut graph = Graph {
            workloads: index.pod_carriers(),
            edges: Vec::new(),
        };
        let mut mounted = HashMap::new();
        let mut built: HashMap<&str, Vec<&Object>> = HashMap::new();
        for service in index.of_kind("Service").filter(|s| s.build.is_some()) {
            built.entry(service.name()).or_default().push(service);
        }
        for &workload in &graph.workloads {
            let namespace = effective_namespace(workload);
            let mut literals = container_literals(workload);
            literals.extend(config_map_literals(index, workload));
            literals.extend(mounted_config_literals(index, workload, &mut mounted));
            let mut seen = BTreeSet::new();
            for literal in literals {
                for address in addresses(literal.name, literal.value) {
                    let Some(target) = resolve(index, &built, namespace, &address) else {
                        continue;
                    };
                    let to = match &target {
                        Target::Service(service) => backends(index, service),
                        _ => Vec::new(),
                    };
                    // A workload addressing its own Service is no dependency.
                    if to.iter().any(|w| w.id == workload.id) {
                        continue;
                    }
                    if !seen.insert((target_key(&target), literal.pointer())) {
                        continue;
                    }
                    graph.edges.push(Edge {
                        from: workload,
                        literal: literal.clone(),
                        address,
                        target,
                        to,
                    });
                }
            }
        }
        graph
    }

    /// The workloads `workload` depends on through Services, without repeats.
    pub fn dependencies(&self, workload: &Object) -> Vec<&'a Object> {
        let mut seen = BTreeSet::new();
        self.edges
            .iter()
            .filter(|e| e.from.id == workload.id)
            .flat_map(|e| e.to.iter().copied())
            .filter(|w| seen.insert(w.id))
            .collect()
    }

    /// Groups of two or more workloads that depend on each other in a
    /// cycle (strongly connected components), each in file order.
    pub fn cycles(&self) -> Vec<Vec<&'a Object>> {
        let ids: Vec<ObjectId> = self.workloads.iter().map(|w| w.id).collect();
        let position: HashMap<ObjectId, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let mut adjacency = vec![BTreeSet::new(); ids.len()];
        for edge in &self.edges {
            let from = position[&edge.from.id];
            for to in &edge.to {
                if let Some(&t) = position.get(&to.id) {
                    adjacency[from].insert(t);
                }
            }
        }
        strongly_connected(&adjacency)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|mut c| {
                c.sort_unstable();
                c.into_iter().map(|i| self.workloads[i]).collect()
            })
            .collect()
    }

    /// The graph in Graphviz `dot`.
    pub fn to_dot(&self) -> String {
        let mut out =
            String::from("digraph services {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
        for (from, to, style) in self.lines() {
            let _ = writeln!(out, "  \"{from}\" -> \"{to}\"{style};");
        }
        for node in self.nodes() {
            let shape = if node.starts_with("Service ") {
                "ellipse"
            } else if node.starts_with("missing ") || node.starts_with("ip ") {
                "octagon"
            } else {
                "box"
            };
            let _ = writeln!(out, "  \"{node}\" [shape={shape}];");
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid flowchart.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let nodes = self.nodes();
        let id = |name: &str| format!("n{}", nodes.iter().position(|n| n == name).unwrap_or(0));
        for node in &nodes {
            let (open, close) = if node.starts_with("Service ") {
                ("([", "])")
            } else if node.starts_with("missing ") || node.starts_with("ip ") {
                ("{{", "}}")
            } else {
                ("[", "]")
            };
            let _ = writeln!(
                out,
                "  {}{open}\"{}\"{close}",
                id(node),
                node.replace('"', "'")
            );
        }
        for (from, to, style) in self.lines() {
            let arrow = if style.is_empty() { "-->" } else { "-.->" };
            let _ = writeln!(out, "  {} {arrow} {}", id(&from), id(&to));
        }
        out
    }

    /// Every drawn edge as (from, to, dot style), without repeats, sorted.
    fn lines(&self) -> Vec<(String, String, &'static str)> {
        let mut lines = BTreeSet::new();
        for edge in &self.edges {
            let from = node_name(edge.from);
            let target = match &edge.target {
                Target::Service(service) => format!("Service {}", qualified(service)),
                Target::Missing { name, namespace } => format!("missing {namespace}/{name}"),
                Target::Ip(ip) => format!("ip {ip}"),
            };
            let style = match edge.target {
                Target::Service(_) => "",
                _ => " [style=dashed]",
            };
            lines.insert((from, target.clone(), style));
            for to in &edge.to {
                lines.insert((target.clone(), node_name(to), ""));
            }
        }
        lines.into_iter().collect()
    }

    fn nodes(&self) -> Vec<String> {
        let mut nodes = BTreeSet::new();
        for (from, to, _) in self.lines() {
            nodes.insert(from);
            nodes.insert(to);
        }
        nodes.into_iter().collect()
    }
}

fn target_key(target: &Target<'_>) -> String {
    match target {
        Target::Service(s) => format!("svc {}", qualified(s)),
        Target::Missing { name, namespace } => format!("missing {namespace}/{name}"),
        Target::Ip(ip) => format!("ip {ip}"),
    }
}

/// `namespace/name` with the effective namespace.
pub fn qualified(object: &Object) -> String {
    format!("{}/{}", effective_namespace(object), object.name())
}

/// `Kind namespace/name`.
pub fn node_name(object: &Object) -> String {
    format!("{} {}", object.kind(), qualified(object))
}

/// Tarjan's algorithm, iterative; components in reverse topological order.
fn strongly_connected(adjacency: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    let n = adjacency.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, Vec<usize>)> = Vec::new();
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        work.push((root, adjacency[root].iter().copied().collect()));
        while let Some((v, pending)) = work.last_mut() {
            let v = *v;
            if let Some(w) = pending.pop() {
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, adjacency[w].iter().copied().collect()));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some((parent, _)) = work.last() {
                low[*parent] = low[*parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_forms() {
        let hosts = |name, value| {
            addresses(name, value)
                .into_iter()
                .map(|a| a.host)
                .collect::<Vec<_>>()
        };
        assert_eq!(hosts("CART_ADDR", "cartservice:7070"), ["cartservice"]);
        assert_eq!(hosts("X", "http://api.shop:8080/v1"), ["api.shop"]);
        assert_eq!(hosts("REDIS_HOST", "redis"), ["redis"]);
        assert!(hosts("SERVICE_NAME", "frontend").is_empty());
        assert!(hosts("X", "sh -c 'run'").is_empty());
        assert_eq!(
            hosts("BROKERS", "kafka-0:9092,kafka-1:9092"),
            ["kafka-0", "kafka-1"]
        );
    }

    #[test]
    fn tarjan() {
        let adjacency = vec![
            BTreeSet::from([1]),
            BTreeSet::from([2]),
            BTreeSet::from([0]),
            BTreeSet::from([0]),
        ];
        let mut cycles: Vec<Vec<usize>> = strongly_connected(&adjacency)
            .into_iter()
            .filter(|c| c.len() > 1)
            .map(|mut c| {
                c.sort();
                c
            })
            .collect();
        cycles.sort();
        assert_eq!(cycles, [vec![0, 1, 2]]);
    }
}
