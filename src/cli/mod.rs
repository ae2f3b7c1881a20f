//! The command line: argument definitions and what each subcommand does.

mod progress;

use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use anyhow::{Context, Result};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::baseline::Baseline;
use crate::config::{Config, RuleSet};
use crate::engine::{self, Options};
use crate::report::{self, Format};
use crate::rules::registry::Registry;
use crate::rules::{RuleMeta, Severity};
use crate::schema::catalog::{self, Catalog};
use crate::schema::location::SchemaLocation;
use crate::schema::{KubeVersion, MissingSchemaPolicy, SchemaOptions};
use crate::source::discover::{Input, discover, lexically_normal};
use crate::yaml::parse::Limits;

const EXIT_CODES: &str = "\
Exit codes:
  0  no finding reached the --fail-on severity
  1  at least one finding reached the --fail-on severity
  2  usage or configuration error, or an input could not be read
     (a missing path, an unreadable file, empty standard input), or
     plimsoll failed on an input (an internal-error finding)";

/// A Kubernetes manifest linter and decoupling auditor.
#[derive(Debug, Parser)]
#[command(name = "plimsoll", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint Kubernetes manifests: files, directories (walked recursively for
    /// .yaml, .yml and .json, respecting .gitignore) or `-` for stdin.
    #[command(after_help = EXIT_CODES)]
    Lint(Box<LintArgs>),
    /// List every rule.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Show the full documentation of one rule, by name or id.
    Explain {
        /// A rule name such as `privileged-container`, or an id such as `SEC001`.
        rule: String,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Run a Language Server Protocol server on stdin and stdout, for
    /// editors: diagnostics as you type, quick fixes that silence a
    /// finding, and rule documentation on hover.
    Server,
    /// Audit how transient and decoupled an application is: per
    /// application and workload, whether it survives random pod
    /// termination, what is baked into it, whether it is monolith-sized, a
    /// score, and the service graph.
    Audit(AuditArgs),
    /// Show the configuration in force: where it comes from and every
    /// rule's state, severity and parameters.
    Config {
        /// Print the effective configuration (the only action for now).
        #[arg(long)]
        show: bool,
        /// The configuration file; by default the nearest `.plimsoll.yaml`
        /// at or above PATH.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Where to look for the configuration (default: the current directory).
        path: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct AuditArgs {
    /// Files and directories to audit; defaults to the current directory.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AuditFormat::Human)]
    format: AuditFormat,
    /// Print only the service graph, in this format.
    #[arg(long, value_enum)]
    graph: Option<GraphFormat>,
    /// The configuration file (for rule parameters); by default the
    /// nearest `.plimsoll.yaml` at or above the first path.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Image sizes for the `oversized-image` rule, a monolith signal: a
    /// JSON object mapping image references to sizes in bytes.
    #[arg(long, value_name = "FILE")]
    image_sizes: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    /// A table per application.
    Human,
    /// The audit as JSON.
    Json,
    /// Markdown for a pull-request comment, with the service graph as Mermaid.
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum GraphFormat {
    /// Graphviz dot.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

#[derive(Debug, clap::Args)]
struct LintArgs {
    /// Files and directories to lint; `-` reads standard input. Defaults to
    /// the current directory.
    paths: Vec<PathBuf>,
    /// Output format; human output is coloured only on a terminal, and
    /// never when NO_COLOR is set.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to FILE instead of stdout (created or truncated);
    /// the summary line of non-human formats still goes to stderr.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// The lowest severity that makes the run fail (exit code 1); `error`
    /// unless the configuration says otherwise.
    #[arg(long, value_enum)]
    fail_on: Option<Severity>,
    /// The configuration file; by default the nearest `.plimsoll.yaml` at or
    /// above the first path.
    #[arg(long, value_name = "FILE", env = "PLIMSOLL_CONFIG")]
    config: Option<PathBuf>,
    /// Rules to run instead of the configured ones: categories, id prefixes,
    /// rule ids or names, or `all` (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SELECTORS")]
    select: Option<Vec<String>>,
    /// Rules to run besides the selected ones (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "SELECTORS")]
    extend_select: Vec<String>,
    /// Rules not to run (comma-separated); the more specific selector wins,
    /// and at equal specificity `--ignore` wins over `--select`.
    #[arg(long, value_delimiter = ',', value_name = "SELECTORS")]
    ignore: Vec<String>,
    /// Honour kube-linter's, Polaris's and kube-score's ignore annotations
    /// for the equivalent plimsoll rules.
    #[arg(long)]
    honor_peer_annotations: bool,
    /// Image sizes for the `oversized-image` rule: a JSON object mapping
    /// image references to sizes in bytes.
    #[arg(long, value_name = "FILE")]
    image_sizes: Option<PathBuf>,
    /// The file name to show for standard input, for editors linting an
    /// unsaved buffer.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
    /// Number of threads; defaults to the number of CPUs.
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// Largest input read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = engine::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Deepest nesting of YAML collections accepted, at most 1000: rules walk
    /// trees recursively, and deeper trees could overflow a thread's stack.
    #[arg(long, value_name = "LEVELS", default_value_t = Limits::default().max_depth as u16,
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    max_depth: u16,
    /// Most nodes aliases may expand to in one document.
    #[arg(long, value_name = "NODES", default_value_t = Limits::default().max_alias_nodes)]
    max_alias_nodes: usize,
    /// Most documents read from one stream.
    #[arg(long, value_name = "DOCUMENTS", default_value_t = Limits::default().max_documents)]
    max_documents: usize,
    /// The Kubernetes version to validate against (1.25 to 1.37); defaults
    /// to the newest embedded.
    #[arg(long, value_name = "1.X", value_parser = parse_kube_version)]
    kubernetes_version: Option<KubeVersion>,
    /// Accept fields the schema does not know (by default they are errors,
    /// as with `kubectl apply --validate=strict`).
    #[arg(long)]
    no_strict: bool,
    /// What an object whose kind has no schema gets; `warn` unless the
    /// configuration says otherwise.
    #[arg(long, value_enum)]
    missing_schema: Option<MissingSchemaPolicy>,
    /// A local schema catalogue for kinds that are neither built in nor
    /// defined by a CRD being linted, as a directory or a kubeconform path
    /// template (`{{ .Group }}`, `{{ .ResourceKind }}`,
    /// `{{ .ResourceAPIVersion }}`, `{{ .KindSuffix }}`, `{{ .StrictSuffix }}`,
    /// `{{ .NormalizedKubernetesVersion }}`); may be repeated.
    #[arg(long, value_name = "PATH")]
    schema_location: Vec<SchemaLocation>,
    /// Read the manifests under PATH as context: relation rules see their
    /// objects (the Deployment a linted Service selects), but they are not
    /// linted and nothing is reported on them. For pre-commit, which passes
    /// only the staged files; may be repeated.
    #[arg(long, value_name = "PATH")]
    context: Vec<PathBuf>,
    /// Report only findings that the baseline FILE (written by
    /// `--write-baseline`) does not list; stderr says how many baselined
    /// findings are fixed. Only reported findings count for `--fail-on`.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record every finding in the baseline FILE, then report as if linted
    /// with it: nothing is new, so the run passes. Not written when an
    /// input could not be read.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

fn parse_kube_version(text: &str) -> Result<KubeVersion, String> {
    let version: KubeVersion = text.parse()?;
    if Catalog::get().has_version(version) {
        return Ok(version);
    }
    let known: Vec<String> = catalog::versions().map(|v| v.to_string()).collect();
    Err(format!(
        "no schemas are embedded for Kubernetes {version}; choose one of {}",
        known.join(", ")
    ))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    /// An aligned text table.
    Table,
    /// A JSON array of rule metadata.
    Json,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    // Panics caught per file become `internal-error` findings, unprinted.
    crate::guard::install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("plimsoll: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        let io_kind = e
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| {
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        io_kind == Some(io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Lint(args) => lint(*args),
        Command::Rules { format } => {
            match format {
                ListFormat::Table => out.write_all(rules_table().as_bytes())?,
                ListFormat::Json => {
                    let rules: Vec<_> = Registry::standard().metas().map(rule_json).collect();
                    serde_json::to_writer_pretty(&mut out, &rules)?;
                    writeln!(out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule } => {
            let Some(meta) = Registry::standard().find(&rule) else {
                let hint = Registry::standard()
                    .closest(&rule)
                    .map(|name| format!("; did you mean `{name}`?"))
                    .unwrap_or_else(|| "; `plimsoll rules` lists them all".to_owned());
                anyhow::bail!("no rule named `{rule}`{hint}");
            };
            out.write_all(explain(meta).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "plimsoll", &mut out);
            Ok(ExitCode::SUCCESS)
        }
        Command::Config { show, config, path } => {
            let start = path.unwrap_or_else(|| PathBuf::from("."));
            let file = config.or_else(|| Config::discover(&start));
            let loaded = match &file {
                Some(f) => Config::load(f)?,
                None => Config::default(),
            };
            let rules = RuleSet::new(&loaded)?;
            if show {
                out.write_all(show_config(file.as_deref(), &loaded, &rules).as_bytes())?;
            } else {
                let shown =
                    file.map_or_else(|| "none (defaults)".to_owned(), |f| f.display().to_string());
                writeln!(
                    out,
                    "configuration: {shown}; `plimsoll config --show` prints it"
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit(args) => audit(args),
        Command::Server => {
            // The server writes to stdout from its own thread.
            drop(out);
            crate::server::run()
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `plimsoll audit`: the decoupling rules (and the security rules about
/// literal credentials) over PATHs, summarised per application.
fn audit(args: AuditArgs) -> Result<ExitCode> {
    use crate::decoupling::audit;
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let config_path = args.config.clone().or_else(|| Config::discover(&paths[0]));
    let mut config = match &config_path {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let registry = Registry::standard();
    let mut select: Vec<String> = registry
        .metas()
        .filter(|m| m.category == crate::rules::Category::Decoupling)
        .map(|m| m.name.to_owned())
        .collect();
    select.extend(
        audit::SECRET_RULES
            .iter()
            .filter(|name| registry.find(name).is_some())
            .map(|name| (*name).to_owned()),
    );
    config.select = Some(select);
    config.extend_select.clear();
    if let Some(file) = &args.image_sizes {
        set_image_sizes(&mut config, file)?;
    }
    let options = Options {
        rules: Arc::new(RuleSet::new(&config)?),
        ..Options::default()
    };
    let (inputs, walk_errors) = discover(&paths, &engine::default_stdin_name());
    let outcome = engine::run(inputs, walk_errors, &options, &AtomicUsize::new(0));
    let objects = audit::objects(&outcome);
    let result = audit::audit(&outcome, &objects);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match (args.graph, args.format) {
        (Some(GraphFormat::Dot), _) => out.write_all(result.dot.as_bytes())?,
        (Some(GraphFormat::Mermaid), _) => out.write_all(result.mermaid.as_bytes())?,
        (None, AuditFormat::Human) => {
            let color = io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            out.write_all(result.to_table(color).as_bytes())?;
        }
        (None, AuditFormat::Json) => {
            serde_json::to_writer_pretty(&mut out, &result)?;
            writeln!(out)?;
        }
        (None, AuditFormat::Markdown) => out.write_all(result.to_markdown().as_bytes())?,
    }
    out.flush()?;
    Ok(if outcome.had_input_errors {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn lint(args: LintArgs) -> Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths
    };
    let stdin_name = args
        .stdin_filename
        .unwrap_or_else(engine::default_stdin_name);
    let config_path = args.config.clone().or_else(|| Config::discover(&paths[0]));
    let mut config = match &config_path {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    if let Some(select) = args.select {
        config.select = Some(select);
    }
    config.extend_select.extend(args.extend_select);
    config.ignore.extend(args.ignore);
    config.honor_peer_annotations |= args.honor_peer_annotations;
    if let Some(file) = &args.image_sizes {
        set_image_sizes(&mut config, file)?;
    }
    let rules = RuleSet::new(&config)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("cannot start worker threads")?;
    let (mut inputs, walk_errors) = pool.install(|| discover(&paths, &stdin_name));
    let excluded = config.excluded_paths();
    let base = config_path
        .as_deref()
        .and_then(Path::parent)
        .and_then(|dir| std::fs::canonicalize(dir).ok());
    inputs
        .retain(|input| input.explicit() || !is_excluded(&excluded, base.as_deref(), input.path()));
    if let Some(missing) = args.context.iter().find(|path| !path.exists()) {
        anyhow::bail!(
            "the context path `{}` does not exist; `--context` takes a directory or file of manifests",
            missing.display()
        );
    }
    let context = context_inputs(&args.context, &inputs, &stdin_name, &pool, |path| {
        is_excluded(&excluded, base.as_deref(), path)
    });
    if inputs
        .iter()
        .filter(|i| matches!(i, Input::Stdin { .. }))
        .count()
        > 1
    {
        anyhow::bail!("`-` (standard input) may be given only once");
    }
    let options = Options {
        limits: Limits {
            max_depth: usize::from(args.max_depth),
            max_alias_nodes: args.max_alias_nodes,
            max_documents: args.max_documents,
        },
        max_file_size: args.max_file_size,
        schema: SchemaOptions {
            version: args
                .kubernetes_version
                .or(config.kubernetes_version)
                .unwrap_or_else(catalog::newest),
            strict: !args.no_strict && config.strict != Some(false),
            missing: args
                .missing_schema
                .or(config.missing_schema)
                .unwrap_or(MissingSchemaPolicy::Warn),
            locations: config
                .schema_locations
                .iter()
                .cloned()
                .chain(args.schema_location)
                .collect(),
        },
        rules: Arc::new(rules),
    };
    let fail_on = args.fail_on.or(config.fail_on).unwrap_or(Severity::Error);
    let baseline = args.baseline.as_deref().map(Baseline::load).transpose()?;
    let done = AtomicUsize::new(0);
    let total = inputs.len();
    let mut outcome = progress::while_running(&done, total, || {
        pool.install(|| engine::run_with_context(inputs, context, walk_errors, &options, &done))
    });
    let baseline_note = apply_baseline(&mut outcome, baseline, args.write_baseline.as_deref())?;

    // Inside the run's pool: some formats are written on several threads,
    // and `--threads` bounds those too (the global pool would not).
    if let Some(path) = &args.output {
        pool.install(|| write_report_file(path, args.format, &outcome))?;
    } else {
        let color = args.format == Format::Human
            && io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        // Rendered first: standard output is locked by this thread, so a
        // worker could not write to it.
        let rendered = pool.install(|| -> io::Result<Vec<u8>> {
            let mut rendered = Vec::new();
            report::write(args.format, &mut rendered, &outcome, color)?;
            Ok(rendered)
        })?;
        let mut out = io::stdout().lock();
        out.write_all(&rendered)?;
        out.flush()?;
    }
    if args.format != Format::Human {
        eprintln!("{}", report::summary_line(&outcome));
    }
    if let Some(note) = baseline_note {
        eprintln!("{note}");
    }

    let failed = outcome.findings.iter().any(|f| f.severity >= fail_on);
    Ok(if outcome.had_input_errors {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Applies `--baseline` or `--write-baseline`; returns the note for stderr.
fn apply_baseline(
    outcome: &mut engine::Outcome,
    baseline: Option<Baseline>,
    write: Option<&Path>,
) -> Result<Option<String>> {
    if let Some(path) = write {
        let shown = path.display();
        if outcome.had_input_errors {
            return Ok(Some(format!(
                "baseline `{shown}` not written: an input could not be read"
            )));
        }
        let written = Baseline::from_outcome(outcome, path)?;
        written.write(path)?;
        let applied = written.apply(outcome);
        return Ok(Some(format!(
            "baseline `{shown}` written: {} recorded",
            match applied.total {
                1 => "1 finding".to_owned(),
                n => format!("{n} findings"),
            }
        )));
    }
    Ok(baseline.map(|b| format!("baseline: {}", b.apply(outcome).summary())))
}

/// Writes the report to the `--output` file, never coloured; errors name
/// the file.
fn write_report_file(
    path: &std::path::Path,
    format: Format,
    outcome: &engine::Outcome,
) -> Result<()> {
    let shown = path.display();
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot create the output file `{shown}`"))?;
    let mut out = io::BufWriter::new(file);
    report::write(format, &mut out, outcome, false)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write the output file `{shown}`"))
}

/// Gives `oversized-image` the sizes of the `--image-sizes` file.
fn set_image_sizes(config: &mut Config, file: &Path) -> Result<()> {
    let sizes = read_image_sizes(file)?;
    let params = config
        .params
        .entry("oversized-image".to_owned())
        .or_insert_with(|| serde_json::json!({}));
    if let Some(params) = params.as_object_mut() {
        params.insert("sizes".to_owned(), sizes);
    }
    Ok(())
}

/// The `--image-sizes` file: a JSON object of image references to byte counts.
fn read_image_sizes(file: &Path) -> Result<serde_json::Value> {
    let shown = file.display();
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the image sizes file `{shown}`"))?;
    let sizes: std::collections::BTreeMap<String, u64> =
        serde_json::from_str(&text).with_context(|| {
            format!("`{shown}` is not a JSON object of image references to sizes in bytes")
        })?;
    Ok(serde_json::to_value(sizes)?)
}

/// The files under the `--context` paths that are not linted already and
/// not excluded by the configuration. Directories that cannot be walked
/// there are left out silently: they are not the run's subject.
fn context_inputs(
    paths: &[PathBuf],
    linted: &[Input],
    stdin_name: &Path,
    pool: &rayon::ThreadPool,
    excluded: impl Fn(&Path) -> bool,
) -> Vec<Input> {
    if paths.is_empty() {
        return Vec::new();
    }
    let (found, _unreadable) = pool.install(|| discover(paths, stdin_name));
    let linted: HashSet<PathBuf> = linted.iter().map(|i| lexically_normal(i.path())).collect();
    found
        .into_iter()
        .filter(|input| matches!(input, Input::File { .. }))
        .filter(|input| {
            !linted.contains(&lexically_normal(input.path())) && !excluded(input.path())
        })
        .collect()
}

/// Whether a walked file matches an `exclude` glob, taken relative to the
/// configuration file's directory.
fn is_excluded(globs: &globset::GlobSet, base: Option<&Path>, path: &Path) -> bool {
    if globs.is_empty() {
        return false;
    }
    let relative = base
        .zip(std::fs::canonicalize(path).ok())
        .and_then(|(base, full)| full.strip_prefix(base).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.strip_prefix("./").unwrap_or(path).to_path_buf());
    globs.is_match(relative)
}

/// The text of `plimsoll config --show`.
fn show_config(file: Option<&Path>, config: &Config, rules: &RuleSet) -> String {
    let mut out = String::new();
    let source = file.map_or_else(|| "none (defaults)".to_owned(), |f| f.display().to_string());
    out.push_str(&format!("configuration: {source}\n"));
    let version = config.kubernetes_version.unwrap_or_else(catalog::newest);
    out.push_str(&format!("kubernetes-version: {version}\n"));
    out.push_str(&format!(
        "fail-on: {}\n",
        config.fail_on.unwrap_or(Severity::Error).as_str()
    ));
    out.push_str(&format!("strict: {}\n", config.strict.unwrap_or(true)));
    out.push_str(&format!(
        "honor-peer-annotations: {}\n",
        config.honor_peer_annotations
    ));
    for (name, list) in [
        ("exclude", &config.exclude),
        ("select", &config.select.clone().unwrap_or_default()),
        ("extend-select", &config.extend_select),
        ("ignore", &config.ignore),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("{name}: [{}]\n", list.join(", ")));
        }
    }
    out.push_str("\nrules:\n");
    for (meta, setting) in rules.settings() {
        let state = if setting.enabled { "on " } else { "off" };
        let params = setting
            .params
            .as_ref()
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {state} {:<7} {:<8} {}{params}\n",
            meta.id,
            setting.severity.as_str(),
            meta.name
        ));
    }
    out
}

/// The `plimsoll rules` table, also embedded in the README.
pub fn rules_table() -> String {
    let mut out =
        String::from("| id | name | category | severity | summary |\n|---|---|---|---|---|\n");
    for m in Registry::standard().metas() {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            m.id,
            m.name,
            m.category.as_str(),
            m.default_severity.as_str(),
            m.summary.replace('|', "\\|")
        ));
    }
    out
}

fn rule_json(meta: &RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "id": meta.id,
        "name": meta.name,
        "category": meta.category,
        "severity": meta.default_severity,
        "kinds": meta.kinds.iter().map(|k| k.label()).collect::<Vec<_>>(),
        "summary": meta.summary,
        "remediation": meta.remediation,
        "equivalents": meta.equivalents,
        "enabledByDefault": meta.default_enabled,
        "docs": meta.docs(),
    })
}

/// The text of `plimsoll explain`.
pub fn explain(meta: &RuleMeta) -> String {
    let kinds = if meta.kinds.is_empty() {
        "input files".to_owned()
    } else {
        meta.kinds
            .iter()
            .map(|k| k.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let equivalents = if meta.equivalents.is_empty() {
        "none (plimsoll's own)".to_owned()
    } else {
        meta.equivalents.join(", ")
    };
    format!(
        "# {} ({})\n\ncategory: {}\nseverity: {}\nenabled by default: {}\napplies to: {}\nequivalents: {}\n\n{}\n\n## How to fix\n{}\n\nSilence it on one object with the annotation `{}: {}`, or on one line with the comment `# plimsoll: ignore[{}]`.\n",
        meta.name,
        meta.id,
        meta.category.as_str(),
        meta.default_severity.as_str(),
        if meta.default_enabled { "yes" } else { "no" },
        kinds,
        equivalents,
        meta.docs(),
        meta.remediation,
        crate::suppression::IGNORE_ANNOTATION,
        meta.name,
        meta.name,
    )
}

/// `docs/rules.md`: every rule's `explain` text, one section each.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule registry; `plimsoll explain RULE` prints the same text. \
         A test fails when this file is stale (`UPDATE_DOCS=1 cargo test --test readme` rewrites it).\n",
    );
    for meta in Registry::standard().metas() {
        out.push('\n');
        for line in explain(meta).lines() {
            if line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
