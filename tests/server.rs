//! `plimsoll server` driven by a scripted LSP client over stdio: the real
//! binary, JSON-RPC with Content-Length framing, a timeout on every read.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A tiny LSP client.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages received while waiting for others.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start(envs: &[(&str, &str)]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_plimsoll"))
            .arg("server")
            .envs(envs.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start plimsoll server");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_string(&message).unwrap();
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait_for(|m| m["id"] == id && m.get("method").is_none());
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The first message, new or held back, that `wanted` accepts; the
    /// others are held back.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.backlog.push(message),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out; received meanwhile: {:#?}", self.backlog)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed stdout; received: {:#?}", self.backlog)
                }
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// Closes stdin and waits for the process, with a timeout.
    fn wait_exit(mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("exit code");
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn file_uri(path: &std::path::Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().unwrap().replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(byte as char);
        } else if byte == b':' {
            uri.push(':');
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    if !uri.starts_with("file:///") {
        uri.insert(7, '/');
    }
    uri
}

/// The 0-based line and UTF-16 column of the first `needle` in `text`.
fn utf16_position(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        line as u64,
        text[line_start..at].encode_utf16().count() as u64,
    )
}

fn apply_edit(text: &str, edit: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let (start, end) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..start],
        edit["newText"].as_str().unwrap(),
        &text[end..]
    )
}

const BAD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
    - {name: web, env: [{name: GREETING, value: \"grüß dich 😀\"}], image: \"nginx:latest\"}
      # a comment
    - name: sidecar
      image: busybox:1.36
      securityContext:
        privileged: true
";

const FIXED: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
";

/// Writes `files` (path under `root`, text), making their directories.
fn write_files(root: &std::path::Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn initialize(client: &mut Client, root: &std::path::Path) -> Value {
    client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": file_uri(root),
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
        }),
    )
}

#[test]
fn a_session_lints_fixes_and_shuts_down() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".plimsoll.yaml"),
        "select: [latest-image-tag, privileged-container]\n",
    )
    .unwrap();
    let path = dir.path().join("pod.yaml");
    let uri = file_uri(&path);
    let mut client = Client::start(&[]);

    let result = initialize(&mut client, dir.path());
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1);
    assert_eq!(capabilities["textDocumentSync"]["openClose"], true);
    assert_eq!(capabilities["hoverProvider"], true);
    assert!(capabilities["codeActionProvider"].is_object());
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": BAD}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["latest-image-tag", "privileged-container"],
        "{diagnostics:#?}"
    );
    let latest = &diagnostics[0];
    // The tag comes after non-ASCII text on its line: UTF-16 columns.
    let tag = "image: \"nginx:latest\"";
    let (line, start) = utf16_position(BAD, tag);
    assert_eq!(
        latest["range"]["start"],
        json!({"line": line, "character": start})
    );
    assert_eq!(
        latest["range"]["end"],
        json!({"line": line, "character": start + tag.len() as u64})
    );
    assert_eq!(latest["severity"], 2);
    assert_eq!(latest["source"], "plimsoll");
    assert_eq!(
        latest["codeDescription"]["href"],
        "plimsoll://rules/latest-image-tag"
    );
    let privileged = &diagnostics[1];
    assert_eq!(privileged["severity"], 1);
    let (line, start) = utf16_position(BAD, "privileged: true");
    assert_eq!(privileged["range"]["start"]["line"], line);
    assert!(privileged["range"]["start"]["character"].as_u64().unwrap() >= start);

    // Quick fixes for the privileged sidecar: a comment and an annotation.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": privileged["range"],
            "context": {"diagnostics": [privileged]},
        }),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:#?}");
    for action in actions {
        assert_eq!(action["kind"], "quickfix");
        assert_eq!(action["diagnostics"][0]["code"], "privileged-container");
    }
    let edit_of = |action: &Value| {
        let edits = action["edit"]["changes"][uri.as_str()].as_array().unwrap();
        assert_eq!(edits.len(), 1);
        edits[0].clone()
    };
    let comment = edit_of(&actions[0]);
    assert_eq!(
        apply_edit(BAD, &comment),
        BAD.replace(
            "      securityContext:\n        privileged: true\n",
            "      securityContext:\n        # plimsoll: ignore[privileged-container]\n        privileged: true\n"
        )
    );
    let annotation = edit_of(&actions[1]);
    assert_eq!(
        apply_edit(BAD, &annotation),
        BAD.replace(
            "  labels: {app: web}\n",
            "  labels: {app: web}\n  annotations:\n    plimsoll.io/ignore: \"privileged-container\"\n"
        )
    );

    // Hover over the tag: the rule's documentation.
    let (line, character) = utf16_position(BAD, "nginx:latest");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character + 3}}),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        markdown.contains("### latest-image-tag (REL001)"),
        "{markdown}"
    );
    assert!(markdown.contains("How to fix"), "{markdown}");
    assert!(!markdown.contains("privileged-container"), "{markdown}");
    // Nowhere near a diagnostic: nothing.
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert!(nothing.is_null());

    // Applying the comment fix silences the finding.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": apply_edit(BAD, &comment)}]}),
    );
    let codes: Vec<Value> = client
        .diagnostics(&uri)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, [json!("latest-image-tag")]);

    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": FIXED}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".plimsoll.yaml"),
        "select: [latest-image-tag]\n",
    )
    .unwrap();
    let uri = file_uri(&dir.path().join("pod.yaml"));
    let mut client = Client::start(&[]);
    let result = client.request(
        "initialize",
        json!({"processId": null, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}}}),
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": BAD}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let at = BAD.find("image: \"nginx:latest\"").unwrap();
    let line_start = BAD[..at].rfind('\n').unwrap() + 1;
    assert_eq!(
        diagnostics[0]["range"]["start"]["character"],
        (at - line_start) as u64
    );
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn relation_rules_see_the_other_manifests_of_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".plimsoll.yaml"),
        "select: [service-selects-nothing]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("deployment.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n",
    )
    .unwrap();
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n";
    let uri = file_uri(&dir.path().join("service.yaml"));
    let mut client = Client::start(&[]);
    initialize(&mut client, dir.path());
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": service}}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": service.replace("{app: web}", "{app: api}")}]}),
    );
    let codes: Vec<Value> = client
        .diagnostics(&uri)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, [json!("service-selects-nothing")]);
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn the_kustomizations_of_the_workspace_build_the_buffer() {
    // The overlay two directories away pins the base's image, as
    // `plimsoll lint` of the whole workspace sees it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  selector:\n    matchLabels: {app: shop}\n  template:\n    metadata:\n      labels: {app: shop}\n    spec:\n      containers:\n        - name: shop\n          image: ghcr.io/example/shop\n        - name: log-shipper\n          image: busybox\n";
    write_files(
        root,
        &[
            (".plimsoll.yaml", "select: [latest-image-tag]\n"),
            ("base/kustomization.yaml", "resources: [deployment.yaml]\n"),
            ("base/deployment.yaml", deployment),
            (
                "overlays/prod/kustomization.yaml",
                "resources: [../../base]\nimages: [{name: ghcr.io/example/shop, newTag: '1.4.2'}]\n",
            ),
        ],
    );
    let path = root.join("base/deployment.yaml");
    let uri = file_uri(&path);
    let mut client = Client::start(&[]);
    initialize(&mut client, root);
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": deployment}}),
    );
    let messages: Vec<Value> = client
        .diagnostics(&uri)
        .iter()
        .map(|d| d["message"].clone())
        .collect();
    assert_eq!(
        messages,
        [json!("image `busybox` has no tag, so it means `latest`")]
    );
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn a_new_kustomization_reported_by_the_client_builds_the_buffer() {
    // A client that reports file changes: the server keeps its list of the
    // workspace's kustomizations until one changes.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: shop}\nspec:\n  containers:\n    - name: shop\n      image: ghcr.io/example/shop\n";
    write_files(
        root,
        &[
            (".plimsoll.yaml", "select: [latest-image-tag]\n"),
            ("base/kustomization.yaml", "resources: [pod.yaml]\n"),
            ("base/pod.yaml", pod),
        ],
    );
    let path = root.join("base/pod.yaml");
    let uri = file_uri(&path);
    let mut client = Client::start(&[]);
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(root), "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    client.notify("initialized", json!({}));
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    let globs: Vec<&Value> = register["params"]["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["globPattern"])
        .collect();
    assert!(
        globs.contains(&&json!("**/kustomization.yaml")),
        "{globs:?}"
    );
    client.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": pod}}),
    );
    assert_eq!(client.diagnostics(&uri).len(), 1);

    // An overlay that pins the image appears; the client reports it.
    write_files(
        root,
        &[(
            "overlays/prod/kustomization.yaml",
            "resources: [../../base]\nimages: [{name: ghcr.io/example/shop, newTag: '2.0.1'}]\n",
        )],
    );
    let overlay = root.join("overlays/prod/kustomization.yaml");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&overlay), "type": 1}]}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn bad_input_and_panics_do_not_kill_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let uri = file_uri(&dir.path().join("broken.yaml"));
    let mut client = Client::start(&[
        ("PLIMSOLL_SERVER_TEST_PANIC", "PANIC-HERE"),
        ("RUST_BACKTRACE", "0"),
    ]);
    initialize(&mut client, dir.path());
    client.notify("initialized", json!({}));

    // Not YAML at all: a syntax error, not a crash.
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": "a: [\n  b: {\n\t- ]"}}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "yaml-syntax-error"),
        "{diagnostics:#?}"
    );
    // Bad parameters are logged and ignored; unknown requests get an error.
    client.notify("textDocument/didChange", json!({"nonsense": true}));
    client.send(json!({"jsonrpc": "2.0", "id": 99, "method": "plimsoll/unknown", "params": {}}));
    let error = client.wait_for(|m| m["id"] == 99);
    assert_eq!(error["error"]["code"], -32601);

    // A panic while linting (forced, in debug builds) becomes a diagnostic.
    if cfg!(debug_assertions) {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"text": "# PANIC-HERE\nkind: Pod\n"}]}),
        );
        let diagnostics = client.diagnostics(&uri);
        assert_eq!(diagnostics.len(), 1);
        assert!(
            diagnostics[0]["message"]
                .as_str()
                .unwrap()
                .contains("panicked"),
            "{diagnostics:#?}"
        );
    }
    // And the server still works.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"text": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(
        diagnostics.iter().all(|d| d["code"] != "yaml-syntax-error"),
        "{diagnostics:#?}"
    );
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = Client::start(&[]);
    initialize(&mut client, dir.path());
    client.notify("initialized", json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 1);
}

#[test]
fn configuration_changes_and_errors_are_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join(".plimsoll.yaml");
    std::fs::write(&config, "select: [latest-image-tag]\n").unwrap();
    let uri = file_uri(&dir.path().join("pod.yaml"));
    let mut client = Client::start(&[]);
    client.request(
        "initialize",
        json!({"processId": null, "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    client.notify("initialized", json!({}));
    // The server asks to be told about configuration files.
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["registerOptions"]["watchers"][0]["globPattern"],
        "**/.plimsoll.yaml"
    );
    client.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": BAD}}),
    );
    let codes = |diagnostics: Vec<Value>| -> Vec<Value> {
        diagnostics.iter().map(|d| d["code"].clone()).collect()
    };
    assert_eq!(codes(client.diagnostics(&uri)), [json!("latest-image-tag")]);

    std::fs::write(&config, "select: [privileged-container]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    assert_eq!(
        codes(client.diagnostics(&uri)),
        [json!("privileged-container")]
    );

    // A broken configuration is one diagnostic saying so.
    std::fs::write(&config, "selectt: [privileged-container]\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&config)}}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": BAD}]}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(message.contains("configuration"), "{message}");
    assert!(message.contains("selectt"), "{message}");

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}
