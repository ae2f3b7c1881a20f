//! `plimsoll audit`: per application and per workload, would it survive a
//! random pod being killed, what is baked into it, is it a monolith
//! squeezed into a pod, and a score.
//!
//! The audit reads the findings of a lint run restricted to the decoupling
//! rules (plus the security rules about literal credentials, when present),
//! and recomputes the transience verdict and the service graph from the
//! objects, which it reads again from the run's files.
//!
//! ## Score
//! Each workload starts at 100 and loses, never below 0:
//! - 25 for each finding that exposes a secret,
//! - 15 when it does not survive random pod termination,
//! - 15 when it is monolith-sized (any finding of [`MONOLITH_RULES`]),
//! - 5 for each transience criterion it fails,
//! - 5 for each other decoupling finding on it, monolith signals included.
//!
//! The two verdicts weigh as much as each other because each defeats the
//! point of microservices on its own: a service that cannot lose a pod, and
//! a service too big to scale out or replace in one piece.
//!
//! An application's score is the mean of its workloads' scores, rounded
//! down, minus 10 for each secret finding on its other objects and 10 when
//! it uses more images than `image-sprawl` allows; its reasons are the most
//! frequent deductions.

use std::collections::{BTreeMap, HashSet};
use std::fmt::{self, Write as _};

use serde::Serialize;

use super::graph::{Graph, qualified};
use super::workload::{Transience, image_repository};
use crate::engine::DEFAULT_MAX_FILE_SIZE;
use crate::engine::Outcome;
use crate::k8s::extract;
use crate::k8s::index::effective_namespace;
use crate::k8s::object::{DocumentContent, classify};
use crate::k8s::{Object, ObjectId, ObjectIndex, ObjectRef};
use crate::kustomize;
use crate::source::FileId;
use crate::yaml::Node;
use crate::yaml::parse::{Limits, parse_stream};

/// Rules outside the decoupling category whose findings expose a secret.
pub const SECRET_RULES: [&str; 7] = [
    "secret-value-in-env",
    "secret-value-in-args",
    "secret-value-in-config-map",
    "secret-value-in-annotation",
    "secret-committed",
    "secret-in-env-var",
    "secret-in-config-map",
];

/// Rules whose findings on a workload say it is a monolith squeezed into a
/// pod rather than a microservice.
pub const MONOLITH_RULES: [&str; 6] = [
    "too-many-app-containers",
    "multiple-processes",
    "oversized-requests",
    "oversized-image",
    "fat-base-image",
    "too-many-ports",
];

/// The rule whose finding is about a whole application, not the workload
/// it is reported on.
const SPRAWL_RULE: &str = "image-sprawl";

/// The audit of one workload.
#[derive(Debug, Serialize)]
pub struct WorkloadAudit {
    /// `kind`.
    pub kind: String,
    /// Effective namespace.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// Whether it survives random pod termination; absent for Jobs,
    /// CronJobs and DaemonSets, which the question does not fit.
    pub survives: Option<bool>,
    /// "yes", or "no, because …".
    pub verdict: String,
    /// The monolith signals on it (rule names, sorted); empty when it is
    /// sized as a microservice.
    pub monolith: Vec<String>,
    /// Rule names and messages of the findings on it.
    pub findings: Vec<AuditFinding>,
    /// Distinct images its containers run.
    pub images: Vec<String>,
    /// Workloads it depends on through Services, as `namespace/name`.
    pub depends_on: Vec<String>,
    /// 0 to 100.
    pub score: u32,
    /// What cost it points, most costly first.
    pub reasons: Vec<String>,
}

/// A finding as the audit lists it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditFinding {
    /// Rule name.
    pub rule: String,
    /// The finding's message (secrets in it are already redacted).
    pub message: String,
}

/// The audit of one application: the workloads sharing an
/// `app.kubernetes.io/part-of` label, or else a namespace.
#[derive(Debug, Serialize)]
pub struct ApplicationAudit {
    /// The part-of label or the namespace.
    pub name: String,
    /// Mean of the workload scores.
    pub score: u32,
    /// Workloads that survive random pod termination, of those asked.
    pub transient: usize,
    /// Workloads the question applies to.
    pub assessed: usize,
    /// Workloads that show a monolith signal.
    pub monolithic: usize,
    /// Distinct image repositories.
    pub images: usize,
    /// Findings on objects of the application that are not workloads
    /// (ConfigMaps, Secrets, Services), and findings about the application
    /// as a whole (`image-sprawl`).
    pub other_findings: Vec<AuditFinding>,
    /// The most frequent deductions.
    pub reasons: Vec<String>,
    /// Its workloads, in file order.
    pub workloads: Vec<WorkloadAudit>,
}

/// The whole audit.
#[derive(Debug, Serialize)]
pub struct Audit {
    /// Versioned like the JSON lint output.
    pub version: u32,
    /// Per application, by name.
    pub applications: Vec<ApplicationAudit>,
    /// The service graph as Mermaid, for the markdown format.
    #[serde(skip)]
    pub mermaid: String,
    /// The service graph as dot.
    #[serde(skip)]
    pub dot: String,
}

/// Reads the objects of a run's files again, numbered as the engine numbers
/// them: the documents the engine took as objects, and no others (not
/// kustomizations, nor the patches they list, nor `$patch` documents), and
/// the ConfigMaps and Secrets that kustomizations generate; each knows, as
/// in the engine, what the kustomizations that build it do.
pub fn objects(outcome: &Outcome) -> Vec<Object> {
    let builds: kustomize::Kustomizations = outcome
        .files
        .iter()
        .filter_map(|file| kustomize::read(&file.path, &file.text))
        .collect();
    let mut out = Vec::new();
    for (i, file) in outcome.files.iter().enumerate() {
        let build = builds.build_of(&file.path);
        let Some(linted) = outcome.objects.get(i) else {
            continue;
        };
        let kustomization = kustomize::is_kustomization(&file.path);
        if linted.is_empty() && !kustomization {
            continue;
        }
        let linted: HashSet<(usize, &ObjectRef)> = linted.iter().map(|(d, o)| (*d, o)).collect();
        let stream = parse_stream(&file.text, &Limits::default());
        let mut ordinal = 0;
        for document in stream.documents {
            if kustomization {
                // What its generators make, as the engine saw it.
                let dir = file.path.is_file().then(|| file.path.parent()).flatten();
                for made in kustomize::generated(&document.root, dir, DEFAULT_MAX_FILE_SIZE) {
                    let id = ObjectId {
                        file: FileId(i as u32),
                        ordinal,
                    };
                    out.push(made.into_object(id, document.index));
                    ordinal += 1;
                }
                continue;
            }
            let DocumentContent::Objects(objects, _) = classify(document.root) else {
                continue;
            };
            for (base, root, identity) in objects {
                if !linted.contains(&(document.index, &identity)) {
                    continue;
                }
                let mut object = Object::new(
                    ObjectId {
                        file: FileId(i as u32),
                        ordinal,
                    },
                    document.index,
                    base,
                    root,
                    identity,
                );
                object.build.clone_from(&build);
                out.push(object);
                ordinal += 1;
            }
        }
    }
    out
}

/// The application a workload belongs to: what its
/// `app.kubernetes.io/part-of` label (on the object or its pod template)
/// names, or else its namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Application {
    /// Named by the `app.kubernetes.io/part-of` label.
    PartOf(String),
    /// No label: the workload's effective namespace.
    Namespace(String),
}

impl Application {
    /// Finds the application of `object`.
    pub fn of(object: &Object) -> Application {
        let label = |node: Option<&Node>| {
            node.and_then(|l| l.get("app.kubernetes.io/part-of"))
                .and_then(Node::scalar_text)
                .map(str::to_owned)
        };
        label(object.root.path("metadata/labels"))
            .or_else(|| {
                label(extract::template_metadata(object).and_then(|(_, m)| m.get("labels")))
            })
            .map_or_else(
                || Application::Namespace(effective_namespace(object).to_owned()),
                Application::PartOf,
            )
    }

    /// The name the audit lists it by: the label, or `namespace NAME`.
    pub fn name(&self) -> String {
        match self {
            Application::PartOf(name) => name.clone(),
            Application::Namespace(namespace) => format!("namespace {namespace}"),
        }
    }
}

impl fmt::Display for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Application::PartOf(name) => write!(f, "application `{name}`"),
            Application::Namespace(namespace) => write!(f, "namespace `{namespace}`"),
        }
    }
}

/// Audits the objects of `outcome`, whose findings come from the audit's rules.
pub fn audit(outcome: &Outcome, objects: &[Object]) -> Audit {
    let index = ObjectIndex::build(objects.iter());
    let transience = Transience::new(&index);
    let graph = Graph::build(&index);
    let mut by_object: BTreeMap<(FileId, ObjectRef), Vec<AuditFinding>> = BTreeMap::new();
    for finding in &outcome.findings {
        let Some(object) = &finding.location.object else {
            continue;
        };
        by_object
            .entry((finding.location.file, object.clone()))
            .or_default()
            .push(AuditFinding {
                rule: finding.rule.name.to_owned(),
                message: finding.message.clone(),
            });
    }
    let mut applications: BTreeMap<String, ApplicationAudit> = BTreeMap::new();
    let mut app_images: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for workload in index.pod_carriers() {
        let app = Application::of(workload).name();
        let (sprawl, findings): (Vec<AuditFinding>, Vec<AuditFinding>) = by_object
            .remove(&(workload.id.file, workload.identity.clone()))
            .unwrap_or_default()
            .into_iter()
            .partition(|f| f.rule == SPRAWL_RULE);
        let mut monolith: Vec<String> = findings
            .iter()
            .filter(|f| MONOLITH_RULES.contains(&f.rule.as_str()))
            .map(|f| f.rule.clone())
            .collect();
        monolith.sort();
        monolith.dedup();
        let verdict = transience.verdict(workload);
        let mut images: Vec<String> = extract::containers(workload)
            .iter()
            .filter_map(|c| c.node.get("image").and_then(Node::scalar_text))
            .map(str::to_owned)
            .collect();
        images.sort();
        images.dedup();
        app_images
            .entry(app.clone())
            .or_default()
            .extend(images.iter().map(|i| image_repository(i).to_owned()));
        let (score, reasons) = score(verdict.as_ref(), !monolith.is_empty(), &findings);
        let audit = WorkloadAudit {
            kind: workload.kind().to_owned(),
            namespace: effective_namespace(workload).to_owned(),
            name: workload.name().to_owned(),
            survives: verdict.as_ref().map(|v| v.survives()),
            verdict: verdict.as_ref().map_or_else(
                || "not assessed (not a long-running service)".to_owned(),
                |v| v.sentence(),
            ),
            monolith,
            findings,
            images,
            depends_on: graph
                .dependencies(workload)
                .iter()
                .map(|w| qualified(w))
                .collect(),
            score,
            reasons,
        };
        let entry = applications
            .entry(app.clone())
            .or_insert_with(|| ApplicationAudit {
                name: app,
                score: 0,
                transient: 0,
                assessed: 0,
                monolithic: 0,
                images: 0,
                other_findings: Vec::new(),
                reasons: Vec::new(),
                workloads: Vec::new(),
            });
        entry.assessed += usize::from(audit.survives.is_some());
        entry.transient += usize::from(audit.survives == Some(true));
        entry.monolithic += usize::from(!audit.monolith.is_empty());
        entry.other_findings.extend(sprawl);
        entry.workloads.push(audit);
    }
    // Findings on other objects go to the application of their namespace.
    for ((_, object), findings) in by_object {
        let ns = object.namespace.as_deref().unwrap_or("default");
        let key = format!("namespace {ns}");
        let key = if applications.contains_key(&key) {
            Some(key)
        } else {
            applications
                .values()
                .find(|a| a.workloads.iter().any(|w| w.namespace == ns))
                .map(|a| a.name.clone())
        };
        if let Some(app) = key.and_then(|k| applications.get_mut(&k)) {
            app.other_findings
                .extend(findings.into_iter().map(|f| AuditFinding {
                    message: format!("{}: {}", object.display(), f.message),
                    ..f
                }));
        }
    }
    for app in applications.values_mut() {
        let mut images = app_images.remove(&app.name).unwrap_or_default();
        images.sort();
        images.dedup();
        app.images = images.len();
        let total: u32 = app.workloads.iter().map(|w| w.score).sum();
        let app_deductions: u32 = app
            .other_findings
            .iter()
            .filter(|f| SECRET_RULES.contains(&f.rule.as_str()) || f.rule == SPRAWL_RULE)
            .map(|_| 10)
            .sum();
        app.score = (total / app.workloads.len().max(1) as u32).saturating_sub(app_deductions);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for reason in app.workloads.iter().flat_map(|w| &w.reasons) {
            *counts.entry(reason_kind(reason)).or_default() += 1;
        }
        for f in &app.other_findings {
            *counts.entry(f.rule.as_str()).or_default() += 1;
        }
        let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        app.reasons = counts
            .into_iter()
            .take(3)
            .map(|(r, n)| format!("{r} ({n})"))
            .collect();
    }
    Audit {
        version: 1,
        applications: applications.into_values().collect(),
        mermaid: graph.to_mermaid(),
        dot: graph.to_dot(),
    }
}

fn reason_kind(reason: &str) -> &str {
    reason.split(':').next().unwrap_or(reason)
}

fn score(
    verdict: Option<&super::workload::Verdict>,
    monolith: bool,
    findings: &[AuditFinding],
) -> (u32, Vec<String>) {
    let mut deductions: Vec<(u32, String)> = Vec::new();
    if monolith {
        deductions.push((15, "monolith-sized: -15".to_owned()));
    }
    if let Some(v) = verdict {
        if !v.survives() {
            deductions.push((15, "does not survive pod termination: -15".to_owned()));
        }
        for (rule, _) in &v.failures {
            deductions.push((5, format!("{rule}: -5")));
        }
    }
    for f in findings {
        if SECRET_RULES.contains(&f.rule.as_str()) {
            deductions.push((25, format!("{}: -25", f.rule)));
        } else if !v_has(verdict, &f.rule) {
            deductions.push((5, format!("{}: -5", f.rule)));
        }
    }
    deductions.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let lost: u32 = deductions.iter().map(|d| d.0).sum();
    let mut reasons: Vec<String> = deductions.into_iter().map(|d| d.1).collect();
    reasons.dedup();
    (100u32.saturating_sub(lost), reasons)
}

/// Whether the verdict already counted a finding's rule.
fn v_has(verdict: Option<&super::workload::Verdict>, rule: &str) -> bool {
    verdict.is_some_and(|v| v.failures.iter().any(|(r, _)| *r == rule))
}

impl Audit {
    /// The human table.
    pub fn to_table(&self, color: bool) -> String {
        let (bold, red, green, yellow, reset) = if color {
            ("\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[0m")
        } else {
            ("", "", "", "", "")
        };
        let mut out = String::new();
        for app in &self.applications {
            let _ = writeln!(
                out,
                "{bold}{}{reset}  score {}/100, {} of {} workloads survive random pod termination, {} monolith-sized, {} images",
                app.name, app.score, app.transient, app.assessed, app.monolithic, app.images
            );
            if !app.reasons.is_empty() {
                let _ = writeln!(out, "  top reasons: {}", app.reasons.join(", "));
            }
            let _ = writeln!(
                out,
                "  {:<34} {:>5}  {:<9} {:<9} {:>8}  reasons",
                "workload", "score", "survives", "monolith", "findings"
            );
            for w in &app.workloads {
                let survives = match w.survives {
                    Some(true) => format!("{green}{:<9}{reset}", "yes"),
                    Some(false) => format!("{red}{:<9}{reset}", "no"),
                    None => format!("{yellow}{:<9}{reset}", "n/a"),
                };
                let monolith = if w.monolith.is_empty() {
                    format!("{:<9}", "no")
                } else {
                    format!("{red}{:<9}{reset}", "yes")
                };
                let name = format!("{} {}", w.kind, w.name);
                let _ = writeln!(
                    out,
                    "  {:<34} {:>5}  {survives} {monolith} {:>8}  {}",
                    name,
                    w.score,
                    w.findings.len(),
                    w.reasons
                        .iter()
                        .take(3)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            for f in &app.other_findings {
                let _ = writeln!(out, "  - [{}] {}", f.rule, f.message);
            }
            out.push('\n');
        }
        out
    }

    /// Markdown for a pull-request comment, with the service graph as a
    /// Mermaid block.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# Decoupling audit\n\n");
        for app in &self.applications {
            let _ = writeln!(
                out,
                "## {}: {}/100\n\n{} of {} workloads survive random pod termination; {} monolith-sized; {} images.{}\n",
                app.name,
                app.score,
                app.transient,
                app.assessed,
                app.monolithic,
                app.images,
                if app.reasons.is_empty() {
                    String::new()
                } else {
                    format!(" Top reasons: {}.", app.reasons.join(", "))
                }
            );
            out.push_str(
                "| workload | score | survives pod termination | monolith signals | findings |\n|---|---:|---|---|---:|\n",
            );
            for w in &app.workloads {
                let _ = writeln!(
                    out,
                    "| {} `{}` | {} | {} | {} | {} |",
                    w.kind,
                    w.name,
                    w.score,
                    w.verdict.replace('|', "\\|"),
                    if w.monolith.is_empty() {
                        "none".to_owned()
                    } else {
                        w.monolith.join(", ")
                    },
                    w.findings.len()
                );
            }
            out.push('\n');
        }
        out.push_str("## Service graph\n\n```mermaid\n");
        out.push_str(&self.mermaid);
        out.push_str("```\n");
        out
    }
}
