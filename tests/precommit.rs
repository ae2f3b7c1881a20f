//! The pre-commit hook, for real: `pre-commit` from PyPI in a throwaway
//! virtual environment blocks a commit of a bad manifest in a throwaway git
//! repository and lets it through once the manifest is fixed.
//!
//! The published hook (`.pre-commit-hooks.yaml`) is `language: rust`, which
//! pre-commit builds with `cargo install`: minutes, and a network
//! dependency. The test runs the binary under test instead, through a
//! `repo: local` hook with `language: system` whose other settings are read
//! from the published hook, so the two cannot drift; a second test pins the
//! published hook's settings.
//!
//! Without network access (pip cannot install pre-commit), without git or
//! without `python3 -m venv`, the hook test prints why it is skipped and
//! passes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use plimsoll::yaml::Node;
use plimsoll::yaml::parse::{Limits, parse_stream};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// One hook of `.pre-commit-hooks.yaml`: each field as YAML flow text
/// (`plimsoll lint`, `[yaml, json]`, `true`).
type Hook = BTreeMap<String, String>;

fn published_hooks() -> Vec<Hook> {
    let text = fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml exists at the repository root");
    let stream = parse_stream(&text, &Limits::default());
    assert!(stream.problems.is_empty(), "{:?}", stream.problems);
    assert_eq!(stream.documents.len(), 1);
    let root = &stream.documents[0].root;
    root.as_seq()
        .expect("the file is a list of hooks")
        .iter()
        .map(|hook| {
            hook.as_map()
                .expect("a hook is a mapping")
                .iter()
                .map(|e| (e.key.scalar_text().unwrap().to_owned(), flow(&e.value)))
                .collect()
        })
        .collect()
}

/// A node as YAML flow text: scalars as written, sequences as `[a, b]`.
fn flow(node: &Node) -> String {
    match node.as_seq() {
        Some(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        None => node.scalar_text().expect("a scalar or a list").to_owned(),
    }
}

fn plimsoll_hook() -> Hook {
    let hooks = published_hooks();
    assert_eq!(hooks.len(), 1, "one hook is published");
    hooks.into_iter().next().unwrap()
}

#[test]
fn the_published_hook_runs_plimsoll_lint_on_yaml_and_json() {
    let hook = plimsoll_hook();
    let get = |key: &str| hook.get(key).map(String::as_str);
    assert_eq!(get("id"), Some("plimsoll"));
    assert_eq!(get("name"), Some("plimsoll"));
    assert_eq!(get("entry"), Some("plimsoll lint"));
    assert_eq!(get("language"), Some("rust"));
    assert_eq!(get("types_or"), Some("[yaml, json]"));
    assert_eq!(get("require_serial"), Some("true"));
    // pre-commit passes the staged files' names, which `plimsoll lint` takes.
    assert_eq!(get("pass_filenames"), None);
    assert!(get("description").is_some());
    // `language: rust` came with pre-commit 2.21.0.
    assert_eq!(get("minimum_pre_commit_version"), Some("2.21.0"));
}

#[test]
fn the_readme_shows_the_published_hook() {
    let readme = fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(
        readme.contains("## pre-commit"),
        "README has a pre-commit section"
    );
    assert!(readme.contains("      - id: plimsoll\n"), "{readme}");
}

/// Reports why the hook test cannot run here; the test then passes.
fn skip(why: &str) {
    eprintln!("SKIPPED: the pre-commit hook test: {why}");
    println!("SKIPPED: the pre-commit hook test: {why}");
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The local mirror of the published hook: the binary under test, run as a
/// system command, with every other setting copied.
fn local_config(hook: &Hook) -> String {
    let binary = env!("CARGO_BIN_EXE_plimsoll");
    assert!(!binary.contains('\''), "the binary's path has no quote");
    let entry = hook["entry"]
        .strip_prefix("plimsoll ")
        .expect("the entry runs plimsoll");
    let mut out = String::from("repos:\n  - repo: local\n    hooks:\n");
    out.push_str(&format!("      - id: {}\n", hook["id"]));
    for (key, value) in hook {
        match key.as_str() {
            "id" | "description" | "minimum_pre_commit_version" => {}
            "entry" => out.push_str(&format!("        entry: \"'{binary}' {entry}\"\n")),
            "language" => out.push_str("        language: system\n"),
            _ => out.push_str(&format!("        {key}: {value}\n")),
        }
    }
    // What a user adds, as the README suggests: only the manifests, and
    // their directory as context for relation rules; here also two rules
    // only, so that rules added to plimsoll later cannot make the fixed
    // manifests fail, and warnings fail the commit.
    out.push_str("        files: ^k8s/\n");
    out.push_str(
        "        args: [--select, 'privileged-container,service-selects-nothing', \
         --fail-on, warning, --context, k8s]\n",
    );
    out
}

const BAD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: cart
  labels: {app: cart}
spec:
  containers:
    - name: cart
      image: nginx:1.27
      securityContext:
        privileged: true
";

#[test]
fn the_hook_blocks_a_bad_manifest_and_passes_a_fixed_one() {
    let started = Instant::now();
    let hook = plimsoll_hook();
    let scratch = tempfile::tempdir().unwrap();
    let venv = scratch.path().join("venv");
    match Command::new("git").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        _ => return skip("git is not installed"),
    }
    match Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
    {
        Ok(o) if o.status.success() => {}
        Ok(o) => return skip(&format!("`python3 -m venv` failed: {}", text(&o))),
        Err(e) => return skip(&format!("python3 is not installed: {e}")),
    }
    let pip = run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--timeout",
        "20",
        "pre-commit",
    ]));
    if !pip.status.success() {
        return skip(&format!(
            "pip could not install pre-commit from PyPI (exit code {:?}), so there is \
             probably no network:\n{}",
            pip.status.code(),
            text(&pip)
        ));
    }
    let installed = started.elapsed();

    let repo = scratch.path().join("repo");
    fs::create_dir_all(repo.join("k8s")).unwrap();
    let git = |args: &[&str]| -> Output { run(git_command(&repo, scratch.path()).args(args)) };
    assert!(git(&["init", "--quiet"]).status.success());
    fs::write(repo.join(".pre-commit-config.yaml"), local_config(&hook)).unwrap();
    let pre_commit = venv.join("bin/pre-commit");
    let install = run(git_env(
        Command::new(&pre_commit).arg("install"),
        &repo,
        scratch.path(),
    ));
    assert!(install.status.success(), "{}", text(&install));

    // A bad manifest: the commit is refused and names the problem.
    fs::write(repo.join("k8s/cart.yaml"), BAD).unwrap();
    fs::write(repo.join("notes.txt"), "not YAML, not linted\n").unwrap();
    assert!(git(&["add", "."]).status.success());
    let refused = git(&["commit", "--quiet", "-m", "add the cart"]);
    let output = text(&refused);
    assert!(
        !refused.status.success(),
        "the commit went through:\n{output}"
    );
    assert!(output.contains("plimsoll"), "{output}");
    assert!(output.contains("Failed"), "{output}");
    assert!(output.contains("error[privileged-container]"), "{output}");
    assert!(output.contains("k8s/cart.yaml:11:9"), "{output}");
    assert!(
        !git(&["rev-parse", "--verify", "--quiet", "HEAD"])
            .status
            .success(),
        "nothing was committed"
    );

    // Fixed: the same commit goes through.
    fs::write(
        repo.join("k8s/cart.yaml"),
        BAD.replace("privileged: true", "privileged: false"),
    )
    .unwrap();
    assert!(git(&["add", "."]).status.success());
    let accepted = git(&["commit", "--quiet", "-m", "add the cart"]);
    assert!(accepted.status.success(), "{}", text(&accepted));
    let log = git(&["log", "--oneline"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 1);

    // A Service staged alone: relation rules see the committed Pod it
    // selects through `--context`, so it passes; one that selects nothing
    // is refused.
    let service = |selected: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: cart\nspec:\n  selector: {{app: {selected}}}\n  ports: [{{port: 80}}]\n"
        )
    };
    fs::write(repo.join("k8s/cart-service.yaml"), service("kart")).unwrap();
    assert!(git(&["add", "k8s/cart-service.yaml"]).status.success());
    let dangling = git(&["commit", "--quiet", "-m", "serve the cart"]);
    let output = text(&dangling);
    assert!(!dangling.status.success(), "{output}");
    assert!(
        output.contains("warning[service-selects-nothing]"),
        "{output}"
    );
    assert!(
        !output.contains("cart.yaml:"),
        "only the staged file is reported: {output}"
    );
    fs::write(repo.join("k8s/cart-service.yaml"), service("cart")).unwrap();
    assert!(git(&["add", "k8s/cart-service.yaml"]).status.success());
    let served = git(&["commit", "--quiet", "-m", "serve the cart"]);
    assert!(served.status.success(), "{}", text(&served));

    // Only staged YAML and JSON files reach the hook: a commit of a text file
    // skips it.
    fs::write(repo.join("notes.txt"), "still not YAML\n").unwrap();
    assert!(git(&["add", "notes.txt"]).status.success());
    let skipped = git(&["commit", "-m", "notes"]);
    assert!(skipped.status.success(), "{}", text(&skipped));
    assert!(
        text(&skipped).contains("(no files to check)Skipped"),
        "{}",
        text(&skipped)
    );
    eprintln!(
        "pre-commit installed in {:.1?}, whole test {:.1?}",
        installed,
        started.elapsed()
    );
}

/// git in `repo`, with no user or system configuration and a fixed
/// identity, so that the machine's settings (hooks paths, signing) do not
/// matter; pre-commit keeps its cache under `scratch`.
fn git_command(repo: &Path, scratch: &Path) -> Command {
    let mut cmd = Command::new("git");
    git_env(&mut cmd, repo, scratch);
    cmd
}

fn git_env<'a>(cmd: &'a mut Command, repo: &Path, scratch: &Path) -> &'a mut Command {
    let home: PathBuf = scratch.join("home");
    fs::create_dir_all(&home).unwrap();
    cmd.current_dir(repo)
        .env("HOME", &home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "plimsoll test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "plimsoll test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("PRE_COMMIT_HOME", scratch.join("pre-commit-cache"))
        .env("NO_COLOR", "1")
        .env_remove("PLIMSOLL_CONFIG")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
}
