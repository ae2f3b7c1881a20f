//! `plimsoll server`: a Language Server Protocol server over stdio.
//!
//! The transport is `lsp-server`, rust-analyzer's synchronous one (a reader
//! and a writer thread around channels, no async runtime), and the messages
//! are `lsp-types`'. The server
//!
//! - publishes diagnostics for YAML and JSON buffers on open, change and
//!   save. A buffer is linted from its text, as an in-memory input named by
//!   its file path, so the configuration is the nearest `.plimsoll.yaml` at
//!   or above its directory (cached per directory). The other manifests of
//!   the directory are read as context, so that rules relating objects (a
//!   Service and the pods it selects) see the whole application, and every
//!   open buffer of the directory is published again;
//! - offers two quick fixes per diagnostic: a `# plimsoll: ignore[rule]`
//!   comment on the line above, and the rule added to the object's
//!   `plimsoll.io/ignore` annotation;
//! - shows the rule's documentation on hover over a diagnostic.
//!
//! A panic while linting is caught and logged, and the buffer gets a
//! diagnostic saying so: the server keeps running.

mod actions;
mod lint;
mod position;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, LogMessage, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    FileSystemWatcher, GlobPattern, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, LogMessageParams, MarkupContent, MarkupKind, MessageType,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};

use crate::config::FILE_NAME;
use crate::kustomize;

use lint::{Configs, Published, Style};
use position::{Encoding, LineMap};

/// Runs the server on stdin and stdout until the client says `exit`; the
/// exit code is 0 after a `shutdown` request and 1 otherwise, as the
/// protocol asks.
pub fn run() -> Result<ExitCode> {
    let (connection, io_threads) = Connection::stdio();
    let code = serve(&connection);
    drop(connection);
    if let Err(error) = io_threads.join() {
        eprintln!("plimsoll server: {error}");
    }
    code
}

fn serve(connection: &Connection) -> Result<ExitCode> {
    let (id, params) = connection
        .initialize_start()
        .context("the client did not initialize the server")?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_else(|error| {
        eprintln!("plimsoll server: unreadable initialize parameters ({error}); using defaults");
        InitializeParams::default()
    });
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": {"name": "plimsoll", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .sender
        .send(Response::new_ok(id, result).into())
        .context("the client went away")?;

    let mut server = Server::new(connection, &params, encoding);
    loop {
        let Ok(message) = connection.receiver.recv() else {
            // The client closed stdin without `exit`.
            return Ok(server.exit_code());
        };
        if server.handle(message) == Flow::Exit {
            return Ok(server.exit_code());
        }
        // Take whatever else is waiting before linting, so that a burst of
        // changes is linted once.
        while let Ok(message) = connection.receiver.try_recv() {
            if server.handle(message) == Flow::Exit {
                return Ok(server.exit_code());
            }
        }
        server.flush();
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Exit,
}

/// An open buffer.
struct Doc {
    /// Its file, for `file:` URIs.
    path: Option<PathBuf>,
    text: String,
    version: i32,
    /// Whether it is YAML or JSON, which plimsoll lints.
    lintable: bool,
    /// Whether it is JSON, which has no comments.
    json: bool,
    /// The diagnostics last published.
    published: Vec<Published>,
}

impl Doc {
    /// The path it is linted under: its file, or its URI for buffers that
    /// have none (`untitled:`).
    fn lint_path(&self, uri: &Uri) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| PathBuf::from(uri.as_str()))
    }
}

struct Server<'a> {
    connection: &'a Connection,
    docs: BTreeMap<Uri, Doc>,
    dirty: BTreeSet<Uri>,
    configs: Configs,
    encoding: Encoding,
    docs_url: String,
    /// Where the configuration of buffers without a file is looked for.
    root: PathBuf,
    shutdown: bool,
    next_request: i32,
    /// Whether the client can watch files for us (asked once initialized).
    can_watch: bool,
    /// The kustomizations of the workspace, and when they were looked for.
    kustomizations: Option<(Instant, Vec<PathBuf>)>,
}

/// How long the list of a workspace's kustomizations is trusted before the
/// workspace is searched again, when the client does not report changes
/// of files: edits come many times a second, while kustomizations are
/// seldom added or removed. A client that does report them makes the list
/// last until a kustomization changes.
const KUSTOMIZATIONS_FOR: Duration = Duration::from_secs(10);

impl<'a> Server<'a> {
    fn new(connection: &'a Connection, params: &InitializeParams, encoding: Encoding) -> Self {
        let docs_url = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("rulesDocsUrl"))
            .and_then(|u| u.as_str())
            .unwrap_or(lint::DEFAULT_DOCS_URL)
            .to_owned();
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| &f.uri)
            .or(params.root_uri.as_ref())
            .and_then(position::uri_to_path)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let can_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        Server {
            connection,
            docs: BTreeMap::new(),
            dirty: BTreeSet::new(),
            configs: Configs::default(),
            encoding,
            docs_url,
            root,
            shutdown: false,
            next_request: 0,
            can_watch,
            kustomizations: None,
        }
    }

    fn exit_code(&self) -> ExitCode {
        if self.shutdown {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }

    fn send(&self, message: Message) {
        // The writer thread is gone only when stdout is; the next read ends
        // the loop then.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Notification::new(N::METHOD.to_owned(), params).into());
    }

    fn log(&self, kind: MessageType, message: String) {
        eprintln!("plimsoll server: {message}");
        self.notify::<LogMessage>(LogMessageParams { typ: kind, message });
    }

    /// The kustomizations of the workspace, looked for again when the
    /// client reports that one changed or, if it reports nothing, once
    /// [`KUSTOMIZATIONS_FOR`] has passed.
    fn workspace_kustomizations(&mut self, setup: &lint::Setup) -> &[PathBuf] {
        let can_watch = self.can_watch;
        let fresh = self
            .kustomizations
            .as_ref()
            .is_some_and(|(at, _)| can_watch || at.elapsed() < KUSTOMIZATIONS_FOR);
        if !fresh {
            let found = lint::workspace_kustomizations(&self.root, setup);
            self.kustomizations = Some((Instant::now(), found));
        }
        self.kustomizations.as_ref().map_or(&[], |(_, k)| k)
    }

    /// Asks the client to report changes of configuration files and of
    /// kustomizations.
    fn watch_configuration(&mut self) {
        let watched = std::iter::once(FILE_NAME).chain(kustomize::KUSTOMIZATION_NAMES);
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: watched
                .map(|name| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{name}")),
                    kind: None,
                })
                .collect(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "plimsoll-configuration".to_owned(),
                method: DidChangeWatchedFiles::METHOD.to_owned(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("plimsoll-{}", self.next_request));
        self.send(Request::new(id, RegisterCapability::METHOD.to_owned(), params).into());
    }

    fn handle(&mut self, message: Message) -> Flow {
        match message {
            Message::Request(request) => {
                self.request(request);
                Flow::Continue
            }
            Message::Notification(notification) => self.notification(notification),
            // Answers to our registration request: nothing to do.
            Message::Response(_) => Flow::Continue,
        }
    }

    fn request(&mut self, request: Request) {
        let id = request.id.clone();
        if self.shutdown {
            self.send(
                Response::new_err(
                    id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".to_owned(),
                )
                .into(),
            );
            return;
        }
        let response = match request.method.as_str() {
            "shutdown" => {
                self.shutdown = true;
                Response::new_ok(id, ())
            }
            HoverRequest::METHOD => match serde_json::from_value(request.params) {
                Ok(params) => Response::new_ok(id, self.hover(params)),
                Err(error) => invalid_params(id, error),
            },
            CodeActionRequest::METHOD => match serde_json::from_value(request.params) {
                Ok(params) => Response::new_ok(id, self.code_actions(params)),
                Err(error) => invalid_params(id, error),
            },
            "initialize" => Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".to_owned(),
            ),
            method => Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("plimsoll does not handle `{method}`"),
            ),
        };
        self.send(response.into());
    }

    fn notification(&mut self, notification: Notification) -> Flow {
        let method = notification.method.clone();
        let result = match method.as_str() {
            "exit" => return Flow::Exit,
            "initialized" => {
                if self.can_watch {
                    self.watch_configuration();
                }
                Ok(())
            }
            DidOpenTextDocument::METHOD => serde_json::from_value(notification.params)
                .map(|p: DidOpenTextDocumentParams| self.did_open(p)),
            DidChangeTextDocument::METHOD => serde_json::from_value(notification.params)
                .map(|p: DidChangeTextDocumentParams| self.did_change(p)),
            DidSaveTextDocument::METHOD => serde_json::from_value(notification.params)
                .map(|p: DidSaveTextDocumentParams| self.did_save(p)),
            DidCloseTextDocument::METHOD => serde_json::from_value(notification.params)
                .map(|p: DidCloseTextDocumentParams| self.did_close(p)),
            DidChangeWatchedFiles::METHOD => {
                let changed =
                    serde_json::from_value::<DidChangeWatchedFilesParams>(notification.params)
                        .map(|p| p.changes)
                        .unwrap_or_default();
                let kustomization = |uri: &Uri| {
                    position::uri_to_path(uri).is_some_and(|p| kustomize::is_kustomization(&p))
                };
                // Unreadable parameters may name anything: both are read again.
                if changed.is_empty() || changed.iter().any(|c| kustomization(&c.uri)) {
                    self.kustomizations = None;
                }
                self.configuration_changed();
                Ok(())
            }
            // `$/cancelRequest`, `$/setTrace` and the rest.
            _ => Ok(()),
        };
        if let Err(error) = result {
            self.log(
                MessageType::ERROR,
                format!("ignored a `{method}` notification with bad parameters: {error}"),
            );
        }
        Flow::Continue
    }

    fn did_open(&mut self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let path = position::uri_to_path(&item.uri);
        let extension = path
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        let language = item.language_id.as_str();
        let json = matches!(language, "json" | "jsonc") || extension == "json";
        let lintable = matches!(language, "yaml" | "json" | "jsonc")
            || (language != "helm" && matches!(extension.as_str(), "yaml" | "yml" | "json"));
        self.docs.insert(
            item.uri.clone(),
            Doc {
                path,
                text: item.text,
                version: item.version,
                lintable,
                json,
                published: Vec::new(),
            },
        );
        self.dirty.insert(item.uri);
    }

    fn did_change(&mut self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(&uri) else {
            return;
        };
        for change in params.content_changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let map = LineMap::new(&doc.text, encoding);
                    let start = map.offset(range.start) as usize;
                    let end = (map.offset(range.end) as usize).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
            }
        }
        doc.version = params.text_document.version;
        self.dirty.insert(uri);
    }

    fn did_save(&mut self, params: DidSaveTextDocumentParams) {
        let uri = params.text_document.uri;
        let is_config = position::uri_to_path(&uri)
            .is_some_and(|p| p.file_name().is_some_and(|n| n == FILE_NAME));
        if is_config {
            self.configuration_changed();
        }
        if let Some(doc) = self.docs.get_mut(&uri) {
            if let Some(text) = params.text {
                doc.text = text;
            }
            self.dirty.insert(uri);
        }
    }

    fn did_close(&mut self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.dirty.remove(&uri);
        if let Some(doc) = self.docs.remove(&uri) {
            // The other buffers of its directory now see the file on disk.
            let dir = doc.path.as_deref().and_then(Path::parent);
            let neighbours: Vec<Uri> = self
                .docs
                .iter()
                .filter(|(_, d)| d.lintable && d.path.as_deref().and_then(Path::parent) == dir)
                .filter(|_| dir.is_some())
                .map(|(u, _)| u.clone())
                .collect();
            self.dirty.extend(neighbours);
        }
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(uri, Vec::new(), None));
    }

    fn configuration_changed(&mut self) {
        self.configs.clear();
        let lintable: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(_, d)| d.lintable)
            .map(|(u, _)| u.clone())
            .collect();
        self.dirty.extend(lintable);
    }

    /// Lints every buffer changed since the last time.
    fn flush(&mut self) {
        while let Some(uri) = self.dirty.pop_first() {
            self.lint(&uri);
        }
    }

    /// Lints `uri` with the other open buffers of its directory, and
    /// publishes the diagnostics of them all.
    fn lint(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        if !doc.lintable {
            self.publish(uri, Vec::new(), Vec::new());
            return;
        }
        let dir = match &doc.path {
            Some(path) => path.parent().unwrap_or(Path::new("/")).to_path_buf(),
            None => self.root.clone(),
        };
        let group: Vec<Uri> = if doc.path.is_some() {
            self.docs
                .iter()
                .filter(|(_, d)| {
                    d.lintable && d.path.as_deref().and_then(Path::parent) == Some(&dir)
                })
                .map(|(u, _)| u.clone())
                .collect()
        } else {
            vec![uri.clone()]
        };
        for member in &group {
            self.dirty.remove(member);
        }
        let loaded = self.configs.get(&dir);
        let setup = match &*loaded {
            Ok(setup) => setup,
            Err(message) => {
                let problem = lint::problem(
                    format!("plimsoll cannot use its configuration: {message}"),
                    DiagnosticSeverity::ERROR,
                );
                for member in &group {
                    self.publish(member, vec![problem.clone()], Vec::new());
                }
                return;
            }
        };
        let mut buffers = Vec::new();
        let mut linted = Vec::new();
        for member in group {
            let doc = &self.docs[&member];
            let path = doc.lint_path(&member);
            if doc.path.is_some() && setup.excludes(&path) {
                // Excluded by the configuration: quiet, as on the command line.
                self.publish(&member, Vec::new(), Vec::new());
                continue;
            }
            buffers.push((path.clone(), doc.text.clone()));
            linted.push((member, path));
        }
        if linted.is_empty() {
            return;
        }
        let context = match self.docs[&linted[0].0].path {
            Some(_) => {
                let known = if dir.starts_with(&self.root) {
                    self.workspace_kustomizations(setup).to_vec()
                } else {
                    Vec::new()
                };
                let open: Vec<&Path> = self
                    .docs
                    .values()
                    .filter_map(|d| d.path.as_deref())
                    .collect();
                let mut context = lint::siblings(&dir, &open, setup);
                context.extend(known.into_iter().filter(|k| !open.contains(&k.as_path())));
                context.sort();
                context.dedup();
                context
            }
            None => Vec::new(),
        };
        match lint::run(&buffers, context, &setup.options) {
            Ok(outcome) => {
                let style = Style {
                    encoding: self.encoding,
                    docs_url: &self.docs_url,
                };
                let uri_of = |path: &Path| {
                    self.docs
                        .iter()
                        .find(|(u, d)| d.lint_path(u) == path)
                        .map(|(u, _)| u.clone())
                        .or_else(|| position::path_to_uri(path))
                };
                let results: Vec<(Uri, Vec<Published>)> = linted
                    .iter()
                    .map(|(member, path)| {
                        let published = lint::diagnostics(&outcome, path, &style, &uri_of);
                        (member.clone(), published)
                    })
                    .collect();
                for (member, published) in results {
                    let diagnostics = published.iter().map(|p| p.diagnostic.clone()).collect();
                    self.publish(&member, diagnostics, published);
                }
            }
            Err(message) => {
                let shown: Vec<String> = linted
                    .iter()
                    .map(|(_, p)| p.display().to_string())
                    .collect();
                self.log(
                    MessageType::ERROR,
                    format!("{message} (files: {})", shown.join(", ")),
                );
                let problem = lint::problem(
                    format!("{message}; this is a bug in plimsoll, please report it"),
                    DiagnosticSeverity::ERROR,
                );
                for (member, _) in &linted {
                    self.publish(member, vec![problem.clone()], Vec::new());
                }
            }
        }
    }

    fn publish(
        &mut self,
        uri: &Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        published: Vec<Published>,
    ) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        doc.published = published;
        let version = Some(doc.version);
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(
            uri.clone(),
            diagnostics,
            version,
        ));
    }

    /// Makes sure `uri`'s diagnostics match its text before answering
    /// about them.
    fn up_to_date(&mut self, uri: &Uri) {
        if self.dirty.contains(uri) {
            self.lint(uri);
        }
    }

    fn hover(&mut self, params: HoverParams) -> Option<Hover> {
        let uri = params.text_document_position_params.text_document.uri;
        self.up_to_date(&uri);
        let doc = self.docs.get(&uri)?;
        let map = LineMap::new(&doc.text, self.encoding);
        let offset = map.offset(params.text_document_position_params.position);
        let under: Vec<&Published> = doc
            .published
            .iter()
            .filter(|p| p.span.start <= offset && offset <= p.span.end)
            .collect();
        // The narrowest findings are the ones the cursor is about.
        let narrowest = under.iter().map(|p| p.span.end - p.span.start).min()?;
        let under: Vec<&Published> = under
            .into_iter()
            .filter(|p| p.span.end - p.span.start == narrowest)
            .collect();
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: actions::hover_markdown(&under),
            }),
            range: Some(under[0].diagnostic.range),
        })
    }

    // `lsp_types::Uri` is a map key in `WorkspaceEdit`; clippy mistakes
    // its cached parse data for interior mutability.
    #[allow(clippy::mutable_key_type)]
    fn code_actions(&mut self, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = params.text_document.uri;
        let wants_fixes = params.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|k| CodeActionKind::QUICKFIX.as_str().starts_with(k.as_str()))
        });
        if !wants_fixes {
            return Vec::new();
        }
        self.up_to_date(&uri);
        let Some(doc) = self.docs.get(&uri) else {
            return Vec::new();
        };
        let ours = |d: &lsp_types::Diagnostic| d.source.as_deref() == Some("plimsoll");
        let findings: Vec<&Published> = if params.context.diagnostics.iter().any(ours) {
            params
                .context
                .diagnostics
                .iter()
                .filter(|d| ours(d))
                .filter_map(|d| {
                    doc.published.iter().find(|p| {
                        p.diagnostic.range == d.range
                            && p.diagnostic.code == d.code
                            && p.diagnostic.message == d.message
                    })
                })
                .collect()
        } else {
            let range = params.range;
            doc.published
                .iter()
                .filter(|p| {
                    let r = p.diagnostic.range;
                    r.start <= range.end && range.start <= r.end
                })
                .collect()
        };
        let map = LineMap::new(&doc.text, self.encoding);
        let mut out: Vec<CodeAction> = Vec::new();
        for finding in findings {
            let name = finding.rule.name;
            let candidates = [
                actions::suppression_comment(&doc.text, &map, finding, doc.json).map(|edit| {
                    (
                        format!("Suppress `{name}` on this line (`# plimsoll: ignore` comment)"),
                        edit,
                    )
                }),
                actions::suppression_annotation(&doc.text, finding).map(|edit| {
                    (
                        format!(
                            "Suppress `{name}` for this object (`plimsoll.io/ignore` annotation)"
                        ),
                        edit,
                    )
                }),
            ];
            for (title, edit) in candidates.into_iter().flatten() {
                let text_edit = TextEdit::new(map.range(edit.range), edit.text);
                if let Some(existing) = out
                    .iter_mut()
                    .find(|a| a.title == title && same_edit(a, &text_edit))
                {
                    existing
                        .diagnostics
                        .get_or_insert_with(Vec::new)
                        .push(finding.diagnostic.clone());
                    continue;
                }
                let changes = HashMap::from([(uri.clone(), vec![text_edit])]);
                out.push(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![finding.diagnostic.clone()]),
                    edit: Some(WorkspaceEdit::new(changes)),
                    ..CodeAction::default()
                });
            }
        }
        out.into_iter()
            .map(CodeActionOrCommand::CodeAction)
            .collect()
    }
}

fn same_edit(action: &CodeAction, edit: &TextEdit) -> bool {
    action
        .edit
        .as_ref()
        .and_then(|e| e.changes.as_ref())
        .is_some_and(|changes| changes.values().any(|edits| edits.first() == Some(edit)))
}

fn invalid_params(id: RequestId, error: serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("bad parameters: {error}"),
    )
}
