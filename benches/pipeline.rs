//! The benchmark suite: `cargo bench --bench pipeline [-- OPTIONS]`.
//!
//! Prints, per stage and end to end, throughput in MB/s and documents/s
//! (parse only; parse + model; + schema validation; + object rules; + relation
//! rules), the ratio of the full lint to the parse floor, scaling from 1 to 2
//! threads, growth from 1x to 4x corpus size, peak memory and wall time of
//! the real binary, and the latency of linting one small file from process
//! start to exit. Figures are medians of several runs.
//!
//! Options: `--corpus PATH` adds a run on a real corpus (such as
//! `../shared/corpus/real`); `--apps N` sizes the synthetic corpus (default
//! 1500 applications); `--runs N` sets the repetitions (default 3);
//! `--only-corpus` skips the synthetic corpus (with `--corpus`), to measure
//! a change on a real corpus sooner.

mod synth;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use plimsoll::config::{Config, RuleSet};
use plimsoll::engine::{self, Options};
use plimsoll::rules::registry::{Entry, Registry};
use plimsoll::source::discover::{Input, discover};
use plimsoll::yaml::parse::{Limits, Stream, parse_stream, parse_stream_in_full};
use rayon::prelude::*;

struct Corpus {
    name: String,
    files: Vec<(PathBuf, String)>,
    bytes: usize,
    documents: usize,
}

impl Corpus {
    fn new(name: &str, files: Vec<(PathBuf, String)>) -> Self {
        let bytes = files.iter().map(|(_, t)| t.len()).sum();
        let documents = files
            .iter()
            .map(|(_, t)| parse_stream(t, &Limits::default()).documents.len())
            .sum();
        Corpus {
            name: name.to_owned(),
            files,
            bytes,
            documents,
        }
    }

    fn inputs(&self) -> Vec<Input> {
        self.files
            .iter()
            .map(|(name, text)| Input::Memory {
                name: name.clone(),
                text: text.clone(),
            })
            .collect()
    }
}

fn synthetic(apps: usize) -> Corpus {
    let files = synth::corpus(42, apps)
        .into_iter()
        .map(|f| (PathBuf::from(f.path), f.text))
        .collect();
    Corpus::new(&format!("synthetic ({apps} apps)"), files)
}

fn real(path: &Path) -> Corpus {
    let (inputs, _) = discover(&[path.to_owned()], Path::new("<stdin>"));
    let files = inputs
        .iter()
        .filter_map(|i| Some((i.path().to_owned(), std::fs::read_to_string(i.path()).ok()?)))
        .collect();
    Corpus::new(&path.display().to_string(), files)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time(runs: usize, mut work: impl FnMut()) -> Duration {
    work(); // warm-up: lazily loaded schemas, page cache
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                work();
                start.elapsed()
            })
            .collect(),
    )
}

fn rules(select: Vec<String>) -> Arc<RuleSet> {
    let config = Config {
        select: Some(select),
        ..Config::default()
    };
    Arc::new(RuleSet::new(&config).expect("valid selection"))
}

fn names(filter: impl Fn(&Entry) -> bool) -> Vec<String> {
    Registry::standard()
        .entries()
        .iter()
        .filter(|e| filter(e))
        .map(|e| e.meta().name.to_owned())
        .collect()
}

/// The time of parsing every file of `corpus` with plimsoll's YAML layer,
/// on the current thread pool: the floor the other stages are measured
/// against.
fn parse_all(corpus: &Corpus) -> Duration {
    let start = Instant::now();
    read_all(corpus, parse_stream);
    start.elapsed()
}

/// Reads every file of `corpus` with `parse`, on the current thread pool.
fn read_all(corpus: &Corpus, parse: fn(&str, &Limits) -> Stream) {
    let docs: usize = corpus
        .files
        .par_iter()
        .map(|(_, t)| parse(t, &Limits::default()).documents.len())
        .sum();
    std::hint::black_box(docs);
}

/// The time of one full run of the engine over `corpus`. The inputs handed
/// to it (copies of the texts in memory) are made before the clock starts:
/// that copy is the bench's doing, not plimsoll's.
fn lint_once(corpus: &Corpus, rules: &Arc<RuleSet>) -> Duration {
    let options = Options {
        rules: rules.clone(),
        ..Options::default()
    };
    let inputs = corpus.inputs();
    let start = Instant::now();
    let outcome = engine::run(inputs, Vec::new(), &options, &AtomicUsize::new(0));
    std::hint::black_box(outcome.findings.len());
    drop(outcome);
    start.elapsed()
}

/// The median time of a full run of the engine over `corpus`.
fn lint(corpus: &Corpus, rules: &Arc<RuleSet>, runs: usize) -> Duration {
    lint_once(corpus, rules); // warm-up: lazily loaded schemas, page cache
    median((0..runs).map(|_| lint_once(corpus, rules)).collect())
}

/// Times `a` and `b` in turn, `runs` times each, so that changes in the
/// machine's speed while the bench runs (the neighbours of a shared VM)
/// fall on both alike. Returns the median times of each and the median of
/// the ratios `b / a` taken pair by pair.
fn paired(
    runs: usize,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) -> (Duration, Duration, f64) {
    a(); // warm-up
    b();
    let pairs: Vec<(Duration, Duration)> = (0..runs).map(|_| (a(), b())).collect();
    let mut ratios: Vec<f64> = pairs
        .iter()
        .map(|(x, y)| y.as_secs_f64() / x.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    (
        median(pairs.iter().map(|p| p.0).collect()),
        median(pairs.iter().map(|p| p.1).collect()),
        ratios[ratios.len() / 2],
    )
}

fn report(label: &str, corpus: &Corpus, elapsed: Duration, floor: Duration) {
    let secs = elapsed.as_secs_f64();
    println!(
        "  {label:<28} {:>8.1} ms {:>8.1} MB/s {:>10.0} docs/s {:>6.2}x parse",
        secs * 1e3,
        corpus.bytes as f64 / 1e6 / secs,
        corpus.documents as f64 / secs,
        secs / floor.as_secs_f64()
    );
}

/// The YAML layer against other ways of reading the same bytes: the full
/// YAML parser it falls back to (saphyr events and the tree built from
/// them), saphyr's events alone (the fastest YAML event parser in Rust
/// found, building nothing), and `serde_json` reading the same documents
/// converted to JSON (a floor for any tree-building reader).
fn compare_parsers(corpus: &Corpus, runs: usize, floor: Duration) {
    let as_json: Vec<String> = corpus
        .files
        .iter()
        .flat_map(|(_, text)| parse_stream(text, &Limits::default()).documents)
        .map(|document| document.root.to_json().to_string())
        .collect();
    let json_bytes: usize = as_json.iter().map(String::len).sum();
    let json = time(runs, || {
        let read: usize = as_json
            .par_iter()
            .map(|text| serde_json::from_str::<serde_json::Value>(text).map_or(0, |_| 1))
            .sum();
        std::hint::black_box(read);
    });
    let events = time(runs, || {
        let count: usize = corpus
            .files
            .par_iter()
            .map(|(_, text)| {
                saphyr_parser::Parser::new_from_str(text)
                    .take_while(Result::is_ok)
                    .count()
            })
            .sum();
        std::hint::black_box(count);
    });
    let full = time(runs, || read_all(corpus, parse_stream_in_full));
    report("  (full parser: saphyr + tree)", corpus, full, floor);
    report("  (saphyr events only)", corpus, events, floor);
    println!(
        "  {:<28} {:>8.1} ms {:>8.1} MB/s {:>10} {:>6.2}x parse   ({:.1} MB as JSON)",
        "  (serde_json, same data)",
        json.as_secs_f64() * 1e3,
        json_bytes as f64 / 1e6 / json.as_secs_f64(),
        "",
        json.as_secs_f64() / floor.as_secs_f64(),
        json_bytes as f64 / 1e6,
    );
}

fn stages(corpus: &Corpus, runs: usize) {
    println!(
        "\n{}: {} files, {:.1} MB, {} documents, {} threads",
        corpus.name,
        corpus.files.len(),
        corpus.bytes as f64 / 1e6,
        corpus.documents,
        rayon::current_num_threads()
    );
    let parse_once = || parse_all(corpus);
    parse_once(); // warm-up
    let parse = median((0..runs).map(|_| parse_once()).collect());
    report("parse only", corpus, parse, parse);
    compare_parsers(corpus, runs, parse);
    let none = rules(Vec::new());
    report("+ model", corpus, lint(corpus, &none, runs), parse);
    let schema_rules = vec![
        "schema-violation".to_owned(),
        "missing-schema".to_owned(),
        "removed-api-version".to_owned(),
        "deprecated-api-version".to_owned(),
    ];
    let schema = rules(schema_rules.clone());
    report(
        "+ schema validation",
        corpus,
        lint(corpus, &schema, runs),
        parse,
    );
    let mut object = schema_rules;
    object.extend(names(|e| {
        matches!(e, Entry::Object(_)) && e.meta().default_enabled
    }));
    let object = rules(object);
    report("+ object rules", corpus, lint(corpus, &object, runs), parse);
    let full = Arc::new(RuleSet::standard());
    report(
        "+ relation rules (full)",
        corpus,
        lint(corpus, &full, runs),
        parse,
    );
    let (_, _, ratio) = paired(runs, parse_once, || lint_once(corpus, &full));
    println!("  full lint / parse only, timed in turn: {ratio:.2}x");
}

fn threads(corpus: &Corpus, runs: usize) {
    let full = Arc::new(RuleSet::standard());
    let pool = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    };
    let (pool_one, pool_two) = (pool(1), pool(2));
    let (one, two, ratio) = paired(
        runs,
        || pool_one.install(|| lint_once(corpus, &full)),
        || pool_two.install(|| lint_once(corpus, &full)),
    );
    println!(
        "\nthreads ({}): 1 thread {:.1} ms, 2 threads {:.1} ms, speed-up {:.2}x",
        corpus.name,
        one.as_secs_f64() * 1e3,
        two.as_secs_f64() * 1e3,
        1.0 / ratio
    );
    // What the machine itself gives at the same moment: parsing alone,
    // which shares nothing between files, and a loop that touches no
    // memory at all. A shared VM's second core is not always a whole core.
    let parse = || parse_all(corpus);
    let (_, _, parse_ratio) = paired(runs, || pool_one.install(parse), || pool_two.install(parse));
    let spin = || {
        let start = Instant::now();
        let total: u64 = (0..64u64)
            .into_par_iter()
            .map(|seed| {
                (0..2_000_000u64).fold(seed, |x, i| x.rotate_left(5) ^ i.wrapping_mul(0x9E37_79B9))
            })
            .sum();
        std::hint::black_box(total);
        start.elapsed()
    };
    let (_, _, spin_ratio) = paired(runs, || pool_one.install(spin), || pool_two.install(spin));
    println!(
        "  same moment, 2 threads over 1: parse only {:.2}x, a loop touching no memory {:.2}x",
        1.0 / parse_ratio,
        1.0 / spin_ratio
    );
}

fn growth(apps: usize, runs: usize) {
    let full = Arc::new(RuleSet::standard());
    let small = synthetic(apps);
    let large = synthetic(apps * 4);
    let (t1, t4, ratio) = paired(
        runs,
        || lint_once(&small, &full),
        || lint_once(&large, &full),
    );
    println!(
        "\ngrowth: 1x ({:.1} MB) {:.1} ms, 4x ({:.1} MB) {:.1} ms, ratio {ratio:.2}",
        small.bytes as f64 / 1e6,
        t1.as_secs_f64() * 1e3,
        large.bytes as f64 / 1e6,
        t4.as_secs_f64() * 1e3,
    );
    // The same with the binary, each size in a fresh process: in process,
    // the larger run also pays for the allocator state the smaller left.
    let (small_dir, large_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_corpus(&small, small_dir.path());
    write_corpus(&large, large_dir.path());
    let wall = |dir: &Path| {
        let shown = dir.display().to_string();
        process(&["lint", "--format", "json", shown.as_str()]).0
    };
    let (b1, b4, ratio) = paired(runs, || wall(small_dir.path()), || wall(large_dir.path()));
    println!(
        "growth, binary: 1x {:.1} ms, 4x {:.1} ms, ratio {ratio:.2}",
        b1.as_secs_f64() * 1e3,
        b4.as_secs_f64() * 1e3,
    );
}

/// Runs the plimsoll binary once; returns its wall time and peak memory.
///
/// Linux carries a process's peak resident size across `exec`, so a child
/// spawned by this bench (which holds whole corpora in memory) would report
/// the bench's own size as its peak. The binary is therefore started by a
/// fresh, small copy of this bench (`--measure-child`), which reports the
/// child's figures on its standard output.
fn process(args: &[&str]) -> (Duration, u64) {
    let output = Command::new(std::env::current_exe().expect("the bench knows its own path"))
        .arg(MEASURE_CHILD)
        .args(args)
        .stderr(std::process::Stdio::null())
        .output()
        .expect("the bench re-runs itself");
    let figures = String::from_utf8_lossy(&output.stdout);
    let mut numbers = figures
        .split_whitespace()
        .map(|n| n.parse::<u64>().unwrap_or(0));
    let nanos = numbers.next().unwrap_or(0);
    let peak = numbers.next().unwrap_or(0);
    (Duration::from_nanos(nanos), peak)
}

const MEASURE_CHILD: &str = "--measure-child";

/// The `--measure-child` mode: runs plimsoll with `args` and prints its wall
/// time in nanoseconds and its peak resident size in bytes.
fn measure_child(args: &[String]) {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the plimsoll binary runs");
    let elapsed = start.elapsed();
    std::hint::black_box(status);
    // SAFETY: `rusage` is plain data that getrusage fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to our own struct.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    println!("{} {}", elapsed.as_nanos(), usage.ru_maxrss as u64 * 1024);
}

/// The real binary on a directory: wall time and peak memory with the
/// default threads, and wall time with one and two threads (what users
/// see, files read from disk included).
fn binary(label: &str, path: &Path, runs: usize) {
    let shown = path.display().to_string();
    let default: Vec<(Duration, u64)> = (0..runs)
        .map(|_| process(&["lint", "--format", "json", shown.as_str()]))
        .collect();
    let wall = median(default.iter().map(|s| s.0).collect());
    let peak = default.iter().map(|s| s.1).max().unwrap_or(0);
    let with = |threads: &str| {
        let args = ["lint", "--format", "json", "-j", threads, shown.as_str()];
        process(&args).0
    };
    let (one, two, ratio) = paired(runs, || with("1"), || with("2"));
    println!(
        "\nbinary on {label}: wall {:.2} s, peak memory {:.0} MB; 1 thread {:.2} s, 2 threads {:.2} s, speed-up {:.2}x",
        wall.as_secs_f64(),
        peak as f64 / 1e6,
        one.as_secs_f64(),
        two.as_secs_f64(),
        1.0 / ratio
    );
}

fn small_file_latency(runs: usize) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deployment.yaml");
    let app = synth::corpus(7, 1).remove(0);
    std::fs::write(&file, app.text).unwrap();
    let shown = file.display().to_string();
    let samples: Vec<Duration> = (0..runs.max(10))
        .map(|_| process(&["lint", &shown]).0)
        .collect();
    let sorted = {
        let mut s = samples.clone();
        s.sort();
        s
    };
    println!(
        "\none small file (pre-commit case), process start to exit: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        median(samples).as_secs_f64() * 1e3,
        sorted[0].as_secs_f64() * 1e3,
        sorted[sorted.len() - 1].as_secs_f64() * 1e3
    );
}

/// Writes the files of `corpus` under `dir`.
fn write_corpus(corpus: &Corpus, dir: &Path) {
    for (path, text) in &corpus.files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
}

// The binary's allocator (src/main.rs), for in-process figures.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(MEASURE_CHILD) {
        measure_child(&args[2..]);
        return;
    }
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let apps: usize = option("--apps")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let runs: usize = option("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);

    let synthetic = synthetic(apps);
    if let Some(out) = option("--write-synthetic") {
        write_corpus(&synthetic, Path::new(&out));
        println!("wrote {} files to {out}", synthetic.files.len());
        return;
    }
    if !args.iter().any(|a| a == "--only-corpus") {
        stages(&synthetic, runs);
        threads(&synthetic, runs);
        growth(apps, runs);
        small_file_latency(20);
        let dir = tempfile::tempdir().unwrap();
        write_corpus(&synthetic, dir.path());
        binary(&synthetic.name, dir.path(), runs);
    }

    if let Some(path) = option("--corpus") {
        let real = real(Path::new(&path));
        stages(&real, runs);
        threads(&real, runs);
        binary(&real.name, Path::new(&path), runs);
    }
}
