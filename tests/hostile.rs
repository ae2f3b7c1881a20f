//! Hostile and malformed input given to the real binary: none of it may
//! panic, hang or exhaust memory, and each gets its documented exit code.
//!
//! Large and deep inputs are generated into a temporary directory at test
//! time, never checked in.

use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

mod common;

use common::check;

/// Generous: every case finishes in well under a second except the large
/// file, which takes a few seconds in a debug build.
const TIMEOUT: Duration = Duration::from_secs(120);

fn plimsoll_in(dir: &Path) -> Command {
    let mut cmd = common::plimsoll_in(dir);
    cmd.timeout(TIMEOUT);
    cmd
}

/// Writes `bytes` to `name` in a new temporary directory.
fn file(name: &str, bytes: impl AsRef<[u8]>) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(name), bytes).unwrap();
    dir
}

/// Runs `plimsoll lint <args>` in `dir`, checks that nothing panicked and
/// the exit code.
fn lint_in(dir: &Path, args: &[&str], code: i32) -> Output {
    let output = plimsoll_in(dir).arg("lint").args(args).output().unwrap();
    check(&output, code);
    output
}

fn plain(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON document")
}

/// The single finding of a JSON report.
fn only_finding(report: &Value) -> &Value {
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    &findings[0]
}

const POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: debug-shell
  namespace: ops
spec:
  containers:
    - name: shell
      image: busybox:1.36.1
      securityContext:
        privileged: true
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
      readinessProbe:
        exec:
          command: [\"true\"]
      livenessProbe:
        exec:
          command: [\"true\"]
";

// ---------------------------------------------------------------------------
// Expansion and depth

#[test]
fn billion_laughs_is_stopped_by_the_alias_budget() {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  \
         a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in 'b'..='j' {
        let refs = vec![format!("*{previous}"); 10].join(",");
        text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        previous = name;
    }
    let dir = file("lol.yaml", &text);
    let output = lint_in(dir.path(), &["-f", "json", "lol.yaml"], 1);
    let report = json(&output);
    let finding = only_finding(&report);
    assert_eq!(finding["rule"]["name"], "input-limit-exceeded");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("aliases expand to more than 100000 nodes"),
        "{finding}"
    );
    // The document is not read, so it yields no object.
    assert_eq!(report["summary"]["objects"], 0);

    // A raised budget is honoured, and a lower one bites earlier.
    let output = lint_in(
        dir.path(),
        &["-f", "plain", "--max-alias-nodes", "10", "lol.yaml"],
        1,
    );
    assert!(plain(&output).contains("more than 10 nodes"));
}

#[test]
fn block_nesting_100000_deep_is_a_limit_not_a_crash() {
    // `- - - … x`: compact block sequences, one level per two bytes.
    let deep = "- ".repeat(100_000) + "x\n";
    let dir = file("deep.yaml", format!("{deep}---\n{POD}"));
    let output = lint_in(dir.path(), &["-f", "json", "deep.yaml"], 1);
    let report = json(&output);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings[0]["rule"]["name"], "input-limit-exceeded");
    assert_eq!(
        findings[0]["message"],
        "nesting is deeper than 200 levels; the document is not read"
    );
    // At the 201st `-`.
    assert_eq!(
        findings[0]["start"],
        serde_json::json!({"line": 1, "column": 401})
    );
    // The document after the deep one is still read.
    assert_eq!(report["summary"]["objects"], 1);
    assert_eq!(findings[1]["rule"]["name"], "privileged-container");
    assert_eq!(findings[1]["document"], 1);
}

#[test]
fn indented_block_nesting_is_a_limit_not_a_crash() {
    // Mappings nested by indentation: 2000 levels (deeper would make the
    // file quadratically large).
    let deep: String = (0..2000)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let dir = file("deep.yaml", deep);
    let output = lint_in(dir.path(), &["-f", "plain", "deep.yaml"], 1);
    assert_eq!(
        plain(&output),
        "deep.yaml:201:201: error[input-limit-exceeded] nesting is deeper than 200 levels; the document is not read\n"
    );
    // --max-depth raises the limit, up to 1000 levels; beyond that it is
    // a usage error, since deeper trees could overflow a thread's stack.
    let output = lint_in(
        dir.path(),
        &["-f", "plain", "--max-depth", "1000", "deep.yaml"],
        1,
    );
    assert_eq!(
        plain(&output),
        "deep.yaml:1001:1001: error[input-limit-exceeded] nesting is deeper than 1000 levels; the document is not read\n"
    );
    let output = lint_in(dir.path(), &["--max-depth", "5000", "deep.yaml"], 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("not in 1..=1000"));
}

#[test]
fn flow_nesting_100000_deep_is_a_limit_not_a_crash() {
    for (name, text) in [
        (
            "seq.yaml",
            "[".repeat(100_000) + &"]".repeat(100_000) + "\n",
        ),
        (
            "map.yaml",
            "{a: ".repeat(100_000) + &"}".repeat(100_000) + "\n",
        ),
        // Unclosed: the scanner must not recurse to the end either.
        ("open.yaml", "[{".repeat(100_000)),
    ] {
        let dir = file(name, text);
        let output = lint_in(dir.path(), &["-f", "json", name], 1);
        let report = json(&output);
        let finding = only_finding(&report);
        assert_eq!(finding["rule"]["name"], "input-limit-exceeded", "{name}");
        assert_eq!(report["summary"]["objects"], 0);
    }
}

// ---------------------------------------------------------------------------
// Size

/// 50 MB as asked of a release build; a debug build parses about ten times
/// slower (15 s for 50 MB), so there the file is 20 MB, still a stream of
/// some 30 000 documents.
const LARGE_FILE_MB: usize = if cfg!(debug_assertions) { 20 } else { 50 };

#[test]
fn a_large_file_of_many_small_documents_is_read_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let data: String = (0..8)
        .map(|k| {
            format!("  key-{k}: \"value number {k} of this map, long enough to be realistic\"\n")
        })
        .collect();
    let mut text = String::with_capacity(LARGE_FILE_MB << 20);
    let mut count = 0;
    while text.len() < LARGE_FILE_MB << 20 {
        text.push_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{count}\n  \
             namespace: bulk\n  labels:\n    app.kubernetes.io/part-of: bulk\ndata:\n{data}---\n"
        ));
        count += 1;
    }
    // One object with a finding, at the very end.
    text.push_str(POD);
    count += 1;
    fs::write(dir.path().join("bulk.yaml"), &text).unwrap();
    drop(text);

    let output = lint_in(dir.path(), &["-f", "json", "bulk.yaml"], 1);
    let report = json(&output);
    assert_eq!(report["summary"]["objects"], count);
    let finding = only_finding(&report);
    assert_eq!(finding["rule"]["name"], "privileged-container");
    assert_eq!(finding["document"], count - 1);
}

#[test]
fn max_file_size_turns_a_larger_file_into_a_limit_finding() {
    let dir = file(
        "pod.yaml",
        POD.repeat(5).replace("apiVersion", "---\napiVersion"),
    );
    let size = fs::metadata(dir.path().join("pod.yaml")).unwrap().len();
    assert!(size > 1000);
    let output = lint_in(
        dir.path(),
        &["-f", "plain", "--max-file-size", "1000", "pod.yaml"],
        1,
    );
    assert_eq!(
        plain(&output),
        format!(
            "pod.yaml:1:1: error[input-limit-exceeded] the file is {size} bytes, more than the limit of 1000 bytes (--max-file-size)\n"
        )
    );
    // Under the limit, the same file is read.
    let limit = size.to_string();
    let output = lint_in(
        dir.path(),
        &["-f", "json", "--max-file-size", &limit, "pod.yaml"],
        1,
    );
    assert_eq!(json(&output)["summary"]["objects"], 5);
}

#[test]
fn max_file_size_applies_to_stdin_without_claiming_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let output = plimsoll_in(dir.path())
        .args(["lint", "-f", "plain", "--max-file-size", "100", "-"])
        .write_stdin(POD.repeat(3))
        .output()
        .unwrap();
    check(&output, 1);
    // Standard input is read only up to the limit, so its size is unknown.
    assert_eq!(
        plain(&output),
        "<stdin>:1:1: error[input-limit-exceeded] standard input: larger than the limit of 100 bytes (--max-file-size)\n"
    );
}

// ---------------------------------------------------------------------------
// Encodings and bytes

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let mut bytes =
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: \"".to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(b"caf\xe9\"\n");
    let dir = file("latin1.yaml", bytes);
    let output = lint_in(dir.path(), &["-f", "plain", "latin1.yaml"], 2);
    assert_eq!(
        plain(&output),
        format!(
            "latin1.yaml:1:1: error[unreadable-file] not UTF-8 text: invalid byte at offset {}\n",
            offset + 3
        )
    );
}

#[test]
fn utf16_gets_a_hint() {
    let utf16 = |big_endian: bool| -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in POD.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    };
    for big_endian in [false, true] {
        let dir = file("utf16.yaml", utf16(big_endian));
        let output = lint_in(dir.path(), &["-f", "plain", "utf16.yaml"], 2);
        let text = plain(&output);
        assert!(
            text.starts_with(
                "utf16.yaml:1:1: error[unreadable-file] not UTF-8 text: invalid byte at offset 0"
            ),
            "{text}"
        );
        assert!(
            text.contains("looks like UTF-16; save it as UTF-8"),
            "{text}"
        );
    }
}

#[test]
fn a_utf8_byte_order_mark_does_not_shift_positions() {
    let dir = file("bom.yaml", format!("\u{feff}{POD}"));
    let output = lint_in(dir.path(), &["-f", "plain", "bom.yaml"], 1);
    assert_eq!(
        plain(&output),
        "bom.yaml:11:9: error[privileged-container] container `shell` runs privileged\n"
    );
}

#[test]
fn a_nul_byte_is_a_syntax_error_at_its_position() {
    let text = POD.replace("name: shell", "name: sh\0ell");
    let dir = file("nul.yaml", text);
    let output = lint_in(dir.path(), &["-f", "plain", "nul.yaml"], 1);
    let out = plain(&output);
    assert!(
        out.starts_with("nul.yaml:8:15: error[yaml-syntax-error]"),
        "{out}"
    );
    // Human output shows the line without choking on the byte.
    let output = lint_in(dir.path(), &["nul.yaml"], 1);
    assert!(plain(&output).contains("error[yaml-syntax-error]"));
}

#[test]
fn random_bytes_are_unreadable_not_a_crash() {
    // A fixed pseudo-random sequence, so that failures reproduce.
    let mut state: u32 = 0x1234_5678;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let dir = file("noise.yaml", bytes);
    // Found by walking, an unreadable file still fails the run with 2.
    let output = lint_in(dir.path(), &["-f", "plain", "."], 2);
    assert!(
        plain(&output).starts_with("./noise.yaml:1:1: error[unreadable-file] not UTF-8 text"),
        "{}",
        plain(&output)
    );
}

// ---------------------------------------------------------------------------
// Nothing to read

#[test]
fn an_empty_file_is_a_warning() {
    let dir = file("empty.yaml", "");
    let output = lint_in(dir.path(), &["-f", "plain", "empty.yaml"], 0);
    assert_eq!(
        plain(&output),
        "empty.yaml:1:1: warning[empty-input] the file holds no YAML documents\n"
    );
    lint_in(
        dir.path(),
        &["-f", "plain", "--fail-on", "warning", "empty.yaml"],
        1,
    );
}

#[test]
fn a_file_of_only_comments_is_empty_input() {
    let dir = file(
        "comments.yaml",
        "# rendered by helm: nothing enabled\n\n   # indented comment\n",
    );
    let output = lint_in(dir.path(), &["-f", "plain", "comments.yaml"], 0);
    assert_eq!(
        plain(&output),
        "comments.yaml:1:1: warning[empty-input] the file holds no YAML documents\n"
    );
}

#[test]
fn a_file_of_only_separators_is_empty_input() {
    // The rule's documentation: "an empty file, or one of only comments and
    // `---` separators".
    for text in ["---\n---\n# nothing\n---\n", "---\n...\n---\n...\n"] {
        let dir = file("separators.yaml", text);
        let output = lint_in(dir.path(), &["-f", "plain", "separators.yaml"], 0);
        assert_eq!(
            plain(&output),
            "separators.yaml:1:1: warning[empty-input] the file holds no YAML documents\n",
            "{text:?}"
        );
    }
}

#[test]
fn empty_stdin_exits_two() {
    let dir = tempfile::tempdir().unwrap();
    for input in ["", "\n\n", "# only a comment\n", "---\n---\n"] {
        let output = plimsoll_in(dir.path())
            .args(["lint", "-f", "plain", "-"])
            .write_stdin(input)
            .output()
            .unwrap();
        check(&output, 2);
        assert_eq!(
            plain(&output),
            "<stdin>:1:1: warning[empty-input] standard input is empty\n",
            "{input:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.yaml"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    // Named: refused, where opening it would wait for a writer forever.
    let output = plimsoll_in(dir.path())
        .args(["lint", "-f", "plain", "pipe.yaml"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    check(&output, 2);
    assert_eq!(
        plain(&output),
        "pipe.yaml:1:1: error[unreadable-file] not a regular file; named pipes and devices are not read\n"
    );
    // Found by walking: skipped.
    let output = lint_in(dir.path(), &["-f", "json", "."], 0);
    assert_eq!(json(&output)["summary"]["files"], 0);
}

#[cfg(unix)]
#[test]
fn a_kustomization_s_env_files_never_block_and_layered_bases_end() {
    // Env files that are a named pipe, a device, a directory and a file
    // over the size limit: none is read, and their generators' keys are
    // left open. The same as a ConfigMap's `files`, whose text is its
    // values: none is read, and the keys stay, empty. Forty layers of kustomizations that each include the next
    // two have more ways down than a run could follow.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let made = std::process::Command::new("mkfifo")
        .arg(root.join("pipe.env"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    fs::create_dir(root.join("dir.env")).unwrap();
    fs::write(root.join("big.env"), "A=1\n".repeat(1000)).unwrap();
    fs::write(
        root.join("kustomization.yaml"),
        "resources: [app.yaml, layer0]\nsecretGenerator:\n  - name: creds\n    envs: [pipe.env, /dev/zero, dir.env, big.env]\nconfigMapGenerator:\n  - name: settings\n    files: [pipe.env, zero=/dev/zero, dir.env, big.env]\n",
    )
    .unwrap();
    fs::write(
        root.join("app.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      env:\n        - name: TOKEN\n          valueFrom: {secretKeyRef: {name: creds, key: TOKEN}}\n        - name: ZERO\n          valueFrom: {configMapKeyRef: {name: settings, key: zero}}\n",
    )
    .unwrap();
    for layer in 0..40 {
        let here = root.join(format!("layer{layer}"));
        fs::create_dir(&here).unwrap();
        fs::write(
            here.join("kustomization.yaml"),
            format!(
                "resources: [../layer{}, ../layer{}]\nimages: [{{name: busybox, newTag: '1.36'}}]\n",
                layer + 1,
                layer + 2
            ),
        )
        .unwrap();
    }
    let output = plimsoll_in(root)
        .args([
            "lint",
            "-f",
            "json",
            "--max-file-size",
            "1000",
            "--select",
            "reference-missing,secret-value-in-config-map,secret-in-config-map",
            ".",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    check(&output, 0);
    let report = json(&output);
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    assert_eq!(report["summary"]["objects"], 1);
}

// ---------------------------------------------------------------------------
// Line breaks

#[test]
fn crlf_line_endings_give_correct_lines_and_columns() {
    let crlf = POD.replace('\n', "\r\n");
    let dir = file("crlf.yaml", &crlf);
    let output = lint_in(dir.path(), &["-f", "plain", "crlf.yaml"], 1);
    assert_eq!(
        plain(&output),
        "crlf.yaml:11:9: error[privileged-container] container `shell` runs privileged\n"
    );
    // The span is byte-exact in the CRLF text.
    let output = lint_in(dir.path(), &["-f", "json", "crlf.yaml"], 1);
    let report = json(&output);
    let finding = only_finding(&report);
    let start = finding["span"]["start"].as_u64().unwrap() as usize;
    let end = finding["span"]["end"].as_u64().unwrap() as usize;
    assert_eq!(&crlf[start..end], "privileged: true");
    assert_eq!(
        finding["end"],
        serde_json::json!({"line": 11, "column": 25})
    );
    // Human output shows the line without its carriage return.
    let output = lint_in(dir.path(), &["crlf.yaml"], 1);
    let human = plain(&output);
    assert!(!human.contains('\r'), "{human:?}");
    assert!(human.contains("11 |         privileged: true\n"), "{human}");
}

#[test]
fn lone_carriage_returns_are_line_breaks_too() {
    let cr = POD.replace('\n', "\r");
    let dir = file("cr.yaml", &cr);
    let output = lint_in(dir.path(), &["-f", "plain", "cr.yaml"], 1);
    assert_eq!(
        plain(&output),
        "cr.yaml:11:9: error[privileged-container] container `shell` runs privileged\n"
    );
    let output = lint_in(dir.path(), &["cr.yaml"], 1);
    assert!(!plain(&output).contains('\r'));
}

#[test]
fn max_documents_stops_a_stream_with_a_finding() {
    let dir = file("many.yaml", "a: 1\n---\nb: 2\n---\nc: 3\n");
    let output = lint_in(
        dir.path(),
        &["-f", "plain", "--max-documents", "2", "many.yaml"],
        1,
    );
    assert!(
        plain(&output).contains(
            "many.yaml:4:1: error[input-limit-exceeded] the stream has more than 2 documents; the rest are not read"
        ),
        "{}",
        plain(&output)
    );
}
