//! Robustness of the real binary against hostile input, faults of the
//! filesystem and of stdout, with measured time and peak memory; and the
//! checks that plimsoll has no HTTP client, spawns no process and runs
//! without network. `docs/robustness.md` maps each guarantee to its test.
//!
//! The slow stress tests are ignored by default; run them with
//!
//! ```sh
//! cargo test --release --test robustness -- --ignored --nocapture
//! ```
//!
//! Every input that once crashed or hung plimsoll (found by fuzzing, see
//! `fuzz/README.md`) is kept in `testdata/regressions/` and linted here.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_plimsoll");

/// What a finished child did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory of the child, in bytes.
    peak_rss: u64,
}

/// Runs `plimsoll args` in `dir`, killing it after `limit`; measures the
/// wall time and the child's peak RSS (`wait4`'s `ru_maxrss`).
fn run_measured(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let start = Instant::now();
    // Reaped below with `wait4`, which also gives the peak RSS.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our child, and the pointers are valid locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(reaped >= 0, "wait4 failed");
        if reaped == pid {
            break;
        }
        if start.elapsed() > limit {
            // SAFETY: killing our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("plimsoll {args:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = start.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    let run = Run {
        code,
        stdout: fs::read_to_string(out.path()).unwrap(),
        stderr: fs::read_to_string(err.path()).unwrap(),
        elapsed,
        peak_rss: usage.ru_maxrss as u64 * 1024,
    };
    assert!(
        !run.stderr.contains("panicked"),
        "plimsoll panicked:\n{}",
        run.stderr
    );
    eprintln!(
        "plimsoll {args:?}: exit {:?} in {:.2?}, peak RSS {} MiB",
        run.code,
        run.elapsed,
        run.peak_rss >> 20
    );
    run
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).expect("stdout is one JSON document")
}

fn rules(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["name"].as_str().unwrap().to_owned())
        .collect()
}

const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: shell
  namespace: ops
spec:
  containers:
    - name: shell
      image: busybox:1.36.1
      securityContext:
        privileged: true
";

/// A debug build is some ten times slower than a release build.
fn scaled(release: Duration) -> Duration {
    if cfg!(debug_assertions) {
        release * 10
    } else {
        release
    }
}

const MIB: u64 = 1 << 20;

// ---------------------------------------------------------------------------
// Regressions

#[test]
fn regression_inputs_give_findings_not_crashes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/regressions");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for file in files {
        let name = file.to_str().unwrap();
        let run = run_measured(
            &dir,
            &["lint", "-f", "json", "--select", "all", name],
            scaled(Duration::from_secs(10)),
        );
        assert!(matches!(run.code, Some(0..=2)), "{name}: {run:?}");
        let report = json(&run);
        assert!(
            !rules(&report).iter().any(|r| r == "internal-error"),
            "{name}: {report:#}"
        );
    }
}

// ---------------------------------------------------------------------------
// Stress: each within a time bound and a memory bound

fn billion_laughs(levels: u8) -> String {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in (b'b'..b'b' + levels).map(char::from) {
        let refs = vec![format!("*{previous}"); 10].join(",");
        text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        previous = name;
    }
    text
}

#[test]
fn billion_laughs_finishes_fast_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 10^10 nodes if expanded.
    fs::write(dir.path().join("lol.yaml"), billion_laughs(9)).unwrap();
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "json", "lol.yaml"],
        scaled(Duration::from_secs(5)),
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(rules(&json(&run)), ["input-limit-exceeded"]);
    assert!(run.peak_rss < 200 * MIB, "{} MiB", run.peak_rss >> 20);
}

#[test]
fn nesting_100000_deep_finishes_fast_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("block.yaml", "- ".repeat(100_000) + "x\n"),
        ("flow.yaml", "[".repeat(100_000) + &"]".repeat(100_000)),
        ("map.yaml", "{a: ".repeat(100_000) + &"}".repeat(100_000)),
        ("mixed.yaml", "- [".repeat(50_000)),
        (
            "keys.yaml",
            "a:\n - b:\n".to_owned() + &"? ".repeat(100_000),
        ),
    ];
    for (name, text) in &cases {
        fs::write(dir.path().join(name), text).unwrap();
        let run = run_measured(
            dir.path(),
            &["lint", "-f", "json", name],
            scaled(Duration::from_secs(5)),
        );
        assert_eq!(run.code, Some(1), "{name}");
        let found = rules(&json(&run));
        assert!(
            found
                .iter()
                .any(|r| r == "input-limit-exceeded" || r == "yaml-syntax-error"),
            "{name}: {found:?}"
        );
        assert!(
            run.peak_rss < 200 * MIB,
            "{name}: {} MiB",
            run.peak_rss >> 20
        );
    }
}

/// A 200 MB stream of small ConfigMaps, generated at test time. Memory
/// must stay within a small multiple of the file: the file's text and the
/// trees of its objects stay in memory for relation rules.
#[test]
#[ignore = "slow: 200 MB; cargo test --release --test robustness -- --ignored"]
fn a_200_mb_file_of_many_documents() {
    const SIZE: usize = 200_000_000;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::with_capacity(SIZE + 4096);
    // About 2.2 kB a document, so that the stream stays under the default
    // limit of 100000 documents.
    let data: String = (0..26)
        .map(|k| format!("  key-{k}: \"value number {k} of this map, long enough to look like real configuration\"\n"))
        .collect();
    let mut count = 0;
    while text.len() < SIZE {
        text.push_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{count}\n  namespace: bulk\ndata:\n{data}---\n"
        ));
        count += 1;
    }
    assert!(count < 100_000, "{count} documents");
    fs::write(dir.path().join("bulk.yaml"), &text).unwrap();
    let size = text.len() as u64;
    drop(text);
    let run = run_measured(
        dir.path(),
        &[
            "lint",
            "-f",
            "json",
            "--max-file-size",
            "300000000",
            "bulk.yaml",
        ],
        scaled(Duration::from_secs(180)),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(json(&run)["summary"]["objects"], count);
    let ratio = run.peak_rss as f64 / size as f64;
    eprintln!("{count} documents; peak RSS is {ratio:.1} times the file");
    assert!(
        ratio < 8.0,
        "peak RSS {} MiB for a {} MiB file",
        run.peak_rss >> 20,
        size >> 20
    );
}

#[test]
#[ignore = "slow: 50000 files; cargo test --release --test robustness -- --ignored"]
fn a_directory_of_50000_small_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..50_000 {
        let sub = dir.path().join(format!("d{}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir(&sub).unwrap();
        }
        fs::write(
            sub.join(format!("cm{i}.yaml")),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  namespace: ns\ndata:\n  k: v\n"),
        )
        .unwrap();
    }
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "json", "."],
        scaled(Duration::from_secs(120)),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["summary"]["files"], 50_000);
    assert_eq!(report["summary"]["objects"], 50_000);
    assert!(run.peak_rss < 1024 * MIB, "{} MiB", run.peak_rss >> 20);
}

// ---------------------------------------------------------------------------
// Filesystem faults

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Tests run as root here, and root reads any file; the run is then made
/// as the user `nobody` with `setpriv`, and skipped where that is impossible.
#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_are_reported_and_the_rest_is_read() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::write(dir.path().join("ok.yaml"), POD).unwrap();
    let secret = dir.path().join("secret.yaml");
    fs::write(&secret, POD).unwrap();
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("hidden.yaml"), POD).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN]);
        c
    } else {
        Command::new(BIN)
    };
    let output = command
        .args(["lint", "-f", "plain", "."])
        .current_dir(dir.path())
        .output();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let Ok(output) = output else {
        eprintln!("skipped: running as root without setpriv, so every file stays readable");
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("setpriv:") {
        eprintln!("skipped: setpriv cannot drop privileges here: {stderr}");
        return;
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("./secret.yaml:1:1: error[unreadable-file] cannot read: permission denied"),
        "{stdout}"
    );
    assert!(
        stdout.contains("locked") && stdout.contains("Permission denied"),
        "{stdout}"
    );
    assert!(
        stdout.contains("./ok.yaml:11:9: error[privileged-container]"),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_broken_symlinks_do_not_hang() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.yaml"), POD).unwrap();
    symlink("b.yaml", dir.path().join("a.yaml")).unwrap();
    symlink("a.yaml", dir.path().join("b.yaml")).unwrap();
    symlink("missing.yaml", dir.path().join("broken.yaml")).unwrap();
    // A directory loop: sub/up points back at its parent.
    fs::create_dir(dir.path().join("sub")).unwrap();
    symlink("..", dir.path().join("sub/up")).unwrap();
    // Walked: links are not followed, so only the regular file is read.
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "json", "."],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(json(&run)["summary"]["files"], 1);
    // Named: each is an unreadable file with a clear message.
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "plain", "a.yaml", "broken.yaml", "ok.yaml"],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stdout.contains("a.yaml:1:1: error[unreadable-file]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("broken.yaml:1:1: error[unreadable-file] no such file or directory"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("ok.yaml:11:9: error[privileged-container]")
    );
}

#[cfg(unix)]
#[test]
fn device_files_and_fifos_are_never_opened() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("ok.yaml"), POD).unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    // A character device (a copy of /dev/zero, which never ends) needs root.
    let device = dir.path().join("zero.yaml");
    let d = std::ffi::CString::new(device.to_str().unwrap()).unwrap();
    // SAFETY: a valid path; makedev(1, 5) is /dev/zero.
    let made_device =
        unsafe { libc::mknod(d.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 5)) } == 0;
    if !made_device {
        eprintln!("note: not root, so no device file; /dev/zero is named instead");
    }
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "json", "."],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(json(&run)["summary"]["files"], 1, "walked: skipped");
    let named = if made_device {
        "zero.yaml"
    } else {
        "/dev/zero"
    };
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "plain", "pipe.yaml", named],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stdout
            .matches("error[unreadable-file] not a regular file")
            .count(),
        2,
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_that_vanishes_after_the_walk_is_reported() {
    use plimsoll::engine::{self, Options};
    use plimsoll::source::discover::discover;
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), POD).unwrap();
    fs::write(dir.path().join("gone.yaml"), POD).unwrap();
    let (inputs, errors) = discover(&[dir.path().to_owned()], &engine::default_stdin_name());
    assert_eq!(inputs.len(), 2);
    fs::remove_file(dir.path().join("gone.yaml")).unwrap();
    let outcome = engine::run(inputs, errors, &Options::default(), &Default::default());
    assert!(outcome.had_input_errors);
    let gone: Vec<_> = outcome
        .findings
        .iter()
        .filter(|f| {
            outcome.files[f.location.file.0 as usize]
                .path
                .ends_with("gone.yaml")
        })
        .collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].rule.name, "unreadable-file");
    assert_eq!(gone[0].message, "cannot read: no such file or directory");
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Enough findings to fill the pipe many times over.
    let text: String = (0..2000)
        .map(|i| {
            POD.replace(
                "name: shell\n  namespace",
                &format!("name: s{i}\n  namespace"),
            ) + "---\n"
        })
        .collect();
    fs::write(dir.path().join("many.yaml"), text).unwrap();
    for format in ["human", "plain", "json", "sarif"] {
        let mut child = Command::new(BIN)
            .args(["lint", "-f", format, "many.yaml"])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -1`: read one line, then close the pipe.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{format}: {stderr}");
        assert!(
            matches!(output.status.code(), Some(0..=2)),
            "{format}: killed or crashed: {:?}",
            output.status
        );
    }
}

#[test]
fn input_files_are_never_written() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example");
    let dir = tempfile::tempdir().unwrap();
    let mut before = Vec::new();
    for entry in fs::read_dir(&example).unwrap() {
        let path = entry.unwrap().path();
        let copy = dir.path().join(path.file_name().unwrap());
        fs::copy(&path, &copy).unwrap();
        before.push((
            copy.clone(),
            fs::read(&copy).unwrap(),
            fs::metadata(&copy).unwrap().modified().unwrap(),
        ));
    }
    for format in ["human", "json", "sarif", "junit", "github", "plain"] {
        run_measured(
            dir.path(),
            &["lint", "-f", format, "."],
            scaled(Duration::from_secs(20)),
        );
    }
    for (path, bytes, modified) in before {
        assert_eq!(fs::read(&path).unwrap(), bytes, "{}", path.display());
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), modified);
    }
}

// ---------------------------------------------------------------------------
// No network, no execution

/// Crates that speak HTTP or open network connections on their own.
const NETWORK_CRATES: &[&str] = &[
    "reqwest",
    "hyper",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "attohttpc",
    "surf",
    "h2",
    "http-req",
    "minreq",
    "tokio",
    "async-std",
    "native-tls",
    "openssl",
    "rustls",
];

#[test]
fn the_build_has_no_http_client() {
    let lock =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let present: Vec<&str> = NETWORK_CRATES
        .iter()
        .copied()
        .filter(|name| lock.contains(&format!("name = \"{name}\"\n")))
        .collect();
    assert!(
        present.is_empty(),
        "Cargo.lock holds network crates: {present:?}"
    );
}

#[test]
fn the_source_never_spawns_a_process() {
    fn scan(dir: &Path, hits: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, hits);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                for needle in [
                    "process::Command",
                    "Command::new",
                    "libc::exec",
                    "libc::fork",
                    "std::net::",
                    "TcpStream",
                    "UdpSocket",
                ] {
                    if text.contains(needle) {
                        hits.push(format!("{}: {needle}", path.display()));
                    }
                }
            }
        }
    }
    let mut hits = Vec::new();
    scan(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut hits,
    );
    // The conformance command is a developer tool, and spawns nothing either.
    assert!(hits.is_empty(), "{hits:#?}");
}

/// `unshare -rn` runs the binary in a new network namespace with no
/// interface but a down loopback: the output must be what it is with
/// network.
#[cfg(target_os = "linux")]
#[test]
fn lint_works_the_same_without_network() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/example");
    let with = Command::new(BIN)
        .args(["lint", "-f", "json"])
        .arg(&example)
        .output()
        .unwrap();
    let without = Command::new("unshare")
        .args(["-rn", BIN, "lint", "-f", "json"])
        .arg(&example)
        .output();
    let Ok(without) = without else {
        eprintln!("skipped: unshare is not installed");
        return;
    };
    if String::from_utf8_lossy(&without.stderr).contains("unshare:") {
        eprintln!(
            "skipped: no network namespaces here: {}",
            String::from_utf8_lossy(&without.stderr)
        );
        return;
    }
    assert_eq!(without.status.code(), with.status.code());
    assert_eq!(
        String::from_utf8_lossy(&without.stdout),
        String::from_utf8_lossy(&with.stdout)
    );
}

// ---------------------------------------------------------------------------
// Odd but legitimate input

#[test]
fn non_manifest_yaml_named_explicitly_is_reported_once_and_walked_is_quiet() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("values.yaml"),
        "replicaCount: 1\nimage:\n  repository: nginx\n  tag: \"\"\nservice:\n  type: ClusterIP\n  port: 80\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("workflow.yml"),
        "name: CI\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: cargo test\n",
    )
    .unwrap();
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "plain", "values.yaml", "workflow.yml"],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stdout,
        "values.yaml:1:1: warning[not-a-kubernetes-object] the document has no string `apiVersion` and `kind`\n\
         workflow.yml:1:1: warning[not-a-kubernetes-object] the document has no string `apiVersion` and `kind`\n"
    );
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "plain", "."],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!((run.code, run.stdout.as_str()), (Some(0), ""));
}

#[test]
fn a_stream_mixing_json_and_yaml_with_tags_anchors_and_merge_keys() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"a\", \"namespace\": \"ns\"}, \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"busybox:1.36.1\", \"securityContext\": {\"privileged\": true}}]}}\n\
---\n\
apiVersion: v1\n\
kind: Pod\n\
metadata: &m\n  name: b\n  namespace: ns\n\
spec:\n  containers:\n    - name: c\n      image: !!str busybox:1.36.1\n      securityContext: !custom\n        privileged: true\n\
---\n\
base: &b {namespace: ns}\n\
cm:\n  <<: *b\n  name: cm\n";
    fs::write(dir.path().join("mixed.yaml"), text).unwrap();
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "json", "mixed.yaml"],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(1));
    let report = json(&run);
    assert_eq!(report["summary"]["objects"], 2);
    let privileged: Vec<(u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["name"] == "privileged-container")
        .map(|f| {
            (
                f["start"]["line"].as_u64().unwrap(),
                f["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(privileged, [(1, 168), (13, 9)]);
    // The third document is not an object, and says so once.
    assert_eq!(
        rules(&report)
            .iter()
            .filter(|r| *r == "not-a-kubernetes-object")
            .count(),
        1
    );
}

#[test]
fn the_document_limit_stops_a_stream_with_a_clear_message() {
    use plimsoll::yaml::parse::{Limits, ProblemKind, parse_stream};
    let text = "a: 1\n---\n".repeat(10);
    let limits = Limits {
        max_documents: 3,
        ..Limits::default()
    };
    let stream = parse_stream(&text, &limits);
    assert_eq!(stream.documents.len(), 3);
    assert_eq!(stream.problems.len(), 1);
    assert_eq!(stream.problems[0].kind, ProblemKind::Limit);
    assert_eq!(
        stream.problems[0].message,
        "the stream has more than 3 documents; the rest are not read"
    );
    // The default is far above real streams: 100000 documents.
    assert_eq!(Limits::default().max_documents, 100_000);
}

#[test]
fn tabs_and_very_long_lines() {
    let dir = tempfile::tempdir().unwrap();
    // A tab may not indent YAML: a syntax error at the tab, on line 2.
    fs::write(dir.path().join("tab.yaml"), "a:\n\tb: 1\n").unwrap();
    // A tab inside a value is fine.
    fs::write(
        dir.path().join("tab-in-value.yaml"),
        POD.replace(
            "name: shell\n  namespace",
            "name: \"sh\\tell\"\n  namespace",
        ),
    )
    .unwrap();
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "plain", "tab.yaml", "tab-in-value.yaml"],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("tab-in-value.yaml:11:9: error[privileged-container]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("tab.yaml:2:1: error[yaml-syntax-error]"),
        "{}",
        run.stdout
    );
    // A 10 MB line: a flow mapping of 600000 entries, then an object.
    let long: String = (0..600_000).map(|i| format!("k{i}: v{i:07}, ")).collect();
    let text = format!("{{{long}last: x}}\n---\n{POD}");
    assert!(text.len() > 10_000_000);
    fs::write(dir.path().join("long.yaml"), &text).unwrap();
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "json", "long.yaml"],
        scaled(Duration::from_secs(20)),
    );
    assert_eq!(run.code, Some(1));
    let report = json(&run);
    assert_eq!(report["summary"]["objects"], 1);
    let privileged: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["name"] == "privileged-container")
        .map(|f| f["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(privileged, [13]);
    assert!(run.peak_rss < 1024 * MIB, "{} MiB", run.peak_rss >> 20);
}

// ---------------------------------------------------------------------------
// Wide mappings: finding a duplicate key once cost time in the size of the
// mapping, so a 1.5 MB mapping of 100000 keys took 17 s and a 100 MB one
// hours. Keys are now found through an index.

#[test]
fn wide_mappings_with_duplicates_keep_the_last_value_in_order() {
    use plimsoll::yaml::parse::{Limits, ProblemKind, parse_stream};
    let mut text: String = (0..50_000).map(|i| format!("k{i}: {i}\n")).collect();
    // Duplicates of the first keys, at the end.
    for i in 0..1000 {
        text.push_str(&format!("k{i}: again{i}\n"));
    }
    let start = Instant::now();
    let stream = parse_stream(&text, &Limits::default());
    assert!(
        start.elapsed() < scaled(Duration::from_secs(2)),
        "{:?}",
        start.elapsed()
    );
    let root = &stream.documents[0].root;
    let entries = root.entries();
    assert_eq!(entries.len(), 50_000);
    // A replaced key moves to its last place, as before.
    assert_eq!(entries[0].key.scalar_text(), Some("k1000"));
    assert_eq!(entries[49_000].key.scalar_text(), Some("k0"));
    assert_eq!(root.get("k7").unwrap().scalar_text(), Some("again7"));
    assert_eq!(root.get("k1234").unwrap().as_i64(), Some(1234));
    let duplicates: Vec<_> = stream
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::DuplicateKey)
        .collect();
    assert_eq!(duplicates.len(), 1000);
    let first = duplicates[0];
    assert_eq!(
        &text[first.span.start as usize..first.span.end as usize],
        "k0"
    );
    let (earlier, _) = first.related.clone().unwrap();
    assert_eq!(earlier.start, 0);
    // A key repeated many times in a small mapping, and quoted and plain
    // spellings of one key, are duplicates too.
    let stream = parse_stream(&"a: 1\n".repeat(1000), &Limits::default());
    assert_eq!(stream.problems.len(), 999);
    let stream = parse_stream("a: 1\n'a': 2\n\"a\": 3\n", &Limits::default());
    assert_eq!(stream.problems.len(), 2);
    assert_eq!(
        stream.documents[0].root.get("a").unwrap().scalar_text(),
        Some("3")
    );
}

#[test]
fn a_mapping_of_a_million_keys_is_read_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let text: String = (0..1_000_000).map(|i| format!("k{i}: v\n")).collect();
    fs::write(dir.path().join("wide.yaml"), &text).unwrap();
    // Merge a wide mapping into another.
    let half: String = (0..40_000).map(|i| format!("  m{i}: v\n")).collect();
    fs::write(
        dir.path().join("merge.yaml"),
        format!("base: &b\n{half}use:\n  <<: *b\n{half}"),
    )
    .unwrap();
    let run = run_measured(
        dir.path(),
        &["lint", "-f", "plain", "wide.yaml", "merge.yaml"],
        scaled(Duration::from_secs(10)),
    );
    assert_eq!(run.code, Some(0), "{}", run.stdout);
}
