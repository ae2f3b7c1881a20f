//! Rules: what each one checks, how it is described, and the two ways it can run.
//!
//! A rule is a unit struct declared with `declare_rule!`, whose doc comment
//! is its documentation (shown by `plimsoll explain`, the README table and
//! SARIF), and which implements one of two traits:
//! - [`ObjectRule`]: looks at one object at a time; runs in parallel.
//! - [`RelationRule`]: looks across objects through the [`ObjectIndex`]
//!   and the analyses of it that several rules share ([`RelationContext`]);
//!   runs once, after every file is read.
//!
//! Rules never compute positions: they report a [`Pointer`] into an object
//! and the engine turns it into a span.

pub mod correctness;
pub mod coverage;
pub mod declarative;
pub mod decoupling;
pub mod efficiency;
pub mod input;
pub mod registry;
pub mod reliability;
pub mod schema;
pub mod security;
pub mod style;

use std::ops::Deref;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::decoupling::graph::Graph;
use crate::decoupling::workload::Transience;
use crate::k8s::{Kind, Object, ObjectId, ObjectIndex};
use crate::yaml::Pointer;

/// How serious a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run unless `--fail-on info`.
    Info,
    /// Likely to cause trouble; fails a run with `--fail-on warning`.
    Warning,
    /// Wrong or dangerous; fails a run by default.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What area a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The input could not be read as Kubernetes YAML.
    Input,
    /// The object does not match the schema of its kind, or uses an API
    /// version that is deprecated or gone.
    Schema,
    /// The object is wrong: Kubernetes will reject it or it cannot work.
    Correctness,
    /// The object weakens isolation between workloads, or between a workload and its node.
    Security,
    /// The workload will break under ordinary events: restarts, rollouts, node loss.
    Reliability,
    /// The workload uses cluster resources badly.
    Efficiency,
    /// Configuration, secrets or service addresses baked into workloads, and
    /// workloads that will not survive losing a pod: what makes services
    /// transient and decoupled.
    Decoupling,
    /// House style and metadata conventions; opinionated, mostly off by default.
    Style,
}

impl Category {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Schema => "schema",
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Reliability => "reliability",
            Category::Efficiency => "efficiency",
            Category::Decoupling => "decoupling",
            Category::Style => "style",
        }
    }
}

/// Everything known about a rule besides its logic.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, never reused: a category prefix and a number.
    pub id: &'static str,
    /// Kebab-case name of the pattern flagged.
    pub name: &'static str,
    /// The area it belongs to.
    pub category: Category,
    /// Severity unless configured otherwise.
    pub default_severity: Severity,
    /// The objects the engine hands the rule.
    pub kinds: &'static [Kind],
    /// One line for tables and SARIF's short description.
    pub summary: &'static str,
    /// The doc comment: what it does, why it is bad, an example and the fix.
    pub docs: &'static str,
    /// How to fix a finding; the default help text.
    pub remediation: &'static str,
    /// The same check in other linters, as `linter:check` (`kube-linter`,
    /// `polaris`, `kube-score`, `kubeconform`); empty for plimsoll's own checks.
    pub equivalents: &'static [&'static str],
    /// Whether the rule runs when the configuration does not mention it;
    /// opinionated rules are off until selected.
    pub default_enabled: bool,
    /// Whether the primary span of a finding may hold a secret, so that
    /// formats which quote source text (the human snippet) must mask it.
    pub sensitive: bool,
    /// Whether the rule also checks the ConfigMaps and Secrets that
    /// kustomize generators make. Those hold only a name and their data,
    /// so only rules about data are asked; the others would report what
    /// the generator never lets one write.
    pub checks_generated: bool,
}

impl RuleMeta {
    /// The docs with the single space each `///` line starts with removed.
    pub fn docs(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

/// Anything with metadata.
pub trait Rule: Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
}

/// A rule that checks one object at a time.
pub trait ObjectRule: Rule {
    /// Reports problems of `object` through `cx`.
    fn check(&self, object: &Object, cx: &mut Reports<'_>);
}

/// A rule that checks objects against each other.
pub trait RelationRule: Rule {
    /// Reports problems found across `index` through `cx`.
    fn check(&self, index: &RelationContext<'_, '_>, cx: &mut Reports<'_>);

    /// The shared analyses the rule asks `index` for. The engine builds
    /// them first, side by side: a rule that asks while another rule
    /// builds one would hold its thread idle.
    fn needs(&self) -> &'static [Analysis] {
        &[]
    }
}

/// An analysis of the whole run that several relation rules share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analysis {
    /// [`RelationContext::graph`].
    ServiceGraph,
    /// [`RelationContext::transience`].
    Transience,
}

/// What relation rules look through: the index of every object of the run
/// (it dereferences to [`ObjectIndex`]) and the analyses several rules
/// share, each made once, when a rule first asks for it. The rules run in
/// parallel; one that asks while another builds an analysis waits for it.
pub struct RelationContext<'r, 'a> {
    index: &'r ObjectIndex<'a>,
    graph: OnceLock<Graph<'a>>,
    transience: OnceLock<Transience<'r>>,
}

impl<'r, 'a> RelationContext<'r, 'a> {
    /// The context of a run whose objects `index` holds.
    pub fn new(index: &'r ObjectIndex<'a>) -> Self {
        Self {
            index,
            graph: OnceLock::new(),
            transience: OnceLock::new(),
        }
    }

    /// Which workloads reach which Services, and through which literals.
    pub fn graph(&self) -> &Graph<'a> {
        self.graph.get_or_init(|| Graph::build(self.index))
    }

    /// Run-wide facts about how workloads survive losing a pod.
    pub fn transience(&self) -> &Transience<'r> {
        self.transience.get_or_init(|| Transience::new(self.index))
    }

    /// Builds the analyses in `needed` now, in parallel.
    pub fn prepare(&self, needed: &[Analysis]) {
        let wants = |analysis| needed.contains(&analysis);
        rayon::join(
            || wants(Analysis::ServiceGraph).then(|| self.graph()),
            || wants(Analysis::Transience).then(|| self.transience()),
        );
    }
}

impl<'a> Deref for RelationContext<'_, 'a> {
    type Target = ObjectIndex<'a>;

    fn deref(&self) -> &ObjectIndex<'a> {
        self.index
    }
}

/// A finding as a rule reports it: an object and a pointer, no positions yet.
#[derive(Debug)]
pub struct Report {
    /// The rule.
    pub rule: &'static RuleMeta,
    /// The object it is about.
    pub object: ObjectId,
    /// Where in the object.
    pub pointer: Pointer,
    /// What is wrong.
    pub message: String,
    /// Help beyond the rule's remediation.
    pub help: Option<String>,
    /// Other places, in this or other objects.
    pub related: Vec<(ObjectId, Pointer, String)>,
    /// A severity other than the rule's default, when an option sets it.
    pub severity: Option<Severity>,
}

impl Report {
    /// Adds a related location.
    pub fn related(
        &mut self,
        object: &Object,
        pointer: Pointer,
        note: impl Into<String>,
    ) -> &mut Self {
        self.related.push((object.id, pointer, note.into()));
        self
    }

    /// Replaces the default help text.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
}

/// Collects the reports of one rule, and gives it its configured parameters.
pub struct Reports<'a> {
    rule: &'static RuleMeta,
    reports: Vec<Report>,
    params: Option<&'a serde_json::Value>,
}

impl<'a> Reports<'a> {
    /// An empty collection for `rule`, with the rule's parameters from the
    /// configuration, if any.
    pub fn new(rule: &'static RuleMeta, params: Option<&'a serde_json::Value>) -> Self {
        Self {
            rule,
            reports: Vec::new(),
            params,
        }
    }

    /// The configured parameter `name`, or `default` when it is not set.
    /// Parameters are checked when the configuration is loaded, so a value of
    /// the wrong type cannot reach a rule.
    pub fn param<T: serde::de::DeserializeOwned>(&self, name: &str, default: T) -> T {
        self.params
            .and_then(|p| p.get(name))
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or(default)
    }

    /// Reports a problem at `pointer` in `object`; the returned report can
    /// take related locations and help.
    pub fn report(
        &mut self,
        object: &Object,
        pointer: Pointer,
        message: impl Into<String>,
    ) -> &mut Report {
        self.reports.push(Report {
            rule: self.rule,
            object: object.id,
            pointer,
            message: message.into(),
            help: None,
            related: Vec::new(),
            severity: None,
        });
        self.reports.last_mut().expect("just pushed")
    }

    /// The collected reports.
    pub fn into_inner(self) -> Vec<Report> {
        self.reports
    }
}

/// Declares a rule: a unit struct whose doc comment becomes its docs.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub $name:ident => {
            id: $id:literal,
            name: $rule_name:literal,
            category: $category:ident,
            severity: $severity:ident,
            kinds: $kinds:expr,
            summary: $summary:literal,
            remediation: $remediation:literal,
            equivalents: $equivalents:expr
            $(, enabled: $enabled:literal)?
            $(, sensitive: $sensitive:literal)?
            $(, generated: $generated:literal)? $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $crate::rules::Rule for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                    id: $id,
                    name: $rule_name,
                    category: $crate::rules::Category::$category,
                    default_severity: $crate::rules::Severity::$severity,
                    kinds: $kinds,
                    summary: $summary,
                    docs: concat!($($doc, "\n"),*),
                    remediation: $remediation,
                    equivalents: $equivalents,
                    default_enabled: $crate::rules::declare_rule!(@enabled $($enabled)?),
                    sensitive: $crate::rules::declare_rule!(@flag $($sensitive)?),
                    checks_generated: $crate::rules::declare_rule!(@flag $($generated)?),
                };
                &META
            }
        }
    };
    (@enabled) => { true };
    (@enabled $enabled:literal) => { $enabled };
    (@flag) => { false };
    (@flag $flag:literal) => { $flag };
}
pub(crate) use declare_rule;

/// What rule files import.
pub mod prelude {
    pub(crate) use super::declare_rule;
    pub use super::{Analysis, ObjectRule, RelationContext, RelationRule, Reports, Rule};
    pub use crate::k8s::extract::{self, Container, ContainerKind};
    pub use crate::k8s::{Kind, Object, ObjectIndex};
    pub use crate::yaml::{Node, Pointer};
}
