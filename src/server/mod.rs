//! `orchlint server`: a language server over stdio. Open documents are linted with
//! their project around them, as `check --context` reads it: the workspace folder
//! that holds the document is scanned whole (outside every folder, the files of the
//! document's own directory are), the editor's unsaved text standing in for the
//! files it has open, with the configuration `check` would find for that folder. Findings become diagnostics;
//! fixes and inline suppressions become code actions; hover shows a rule's
//! documentation. A change re-lints the folder of the changed file (and any folder
//! whose last scan read it), once for a burst of queued changes, and publishes the
//! diagnostics of every open document in it.

// lsp-types keys a workspace edit's changes by `Uri`, whose lazily parsed parts
// clippy takes for interior mutability; no key is changed while in a map.
#![allow(clippy::mutable_key_type)]

mod actions;
mod annotate;
mod convert;
mod position;
mod uri;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, DidChangeWatchedFilesParams,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern,
    HoverProviderCapability, InitializeParams, InitializeResult, MessageType, PositionEncodingKind,
    PublishDiagnosticsParams, Registration, RegistrationParams, SaveOptions, ServerCapabilities,
    ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Uri,
};

use crate::config::{self, Config};
use crate::engine::{self, ScanRequest};
use convert::Finding;

/// Where the configuration comes from, as for `check`: `--config FILE`,
/// `--isolated`, or the orchlint.toml found from the scanned folder upwards.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub config: Option<PathBuf>,
    pub isolated: bool,
}

/// Serves one client over stdin and stdout until it exits.
pub fn run_stdio(options: Options) -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection, options)?;
    drop(connection);
    io_threads
        .join()
        .map_err(|e| format!("language server I/O: {e}"))
}

/// Serves one client over a connection: the handshake, then messages until
/// `shutdown` and `exit` (or the connection closes).
pub(crate) fn serve(connection: &Connection, options: Options) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(protocol)?;
    let init: InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("invalid initialize request: {e}"))?;
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "orchlint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection.initialize_finish(id, result).map_err(protocol)?;
    let mut server = Server::new(connection, options, &init);
    server.watch_config(&init);
    server.run()
}

fn protocol(e: lsp_server::ProtocolError) -> String {
    format!("language server protocol: {e}")
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..Default::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// An open document.
struct Doc {
    uri: Uri,
    version: i32,
    text: String,
    /// The folder scanned for it.
    root: PathBuf,
}

enum Flow {
    Continue,
    Exit,
}

struct Server<'a> {
    connection: &'a Connection,
    options: Options,
    /// The workspace folders, as paths.
    folders: Vec<PathBuf>,
    docs: HashMap<PathBuf, Doc>,
    /// The findings last published for each open document.
    findings: HashMap<PathBuf, Vec<Finding>>,
    /// The files each folder's last scan read (a kustomization's out-of-tree
    /// bases included): a change to one of them re-lints that folder.
    scanned: HashMap<PathBuf, HashSet<PathBuf>>,
    /// Folders to re-lint before the next answer.
    dirty: BTreeSet<PathBuf>,
    /// The last configuration error shown, not to repeat it on every keystroke.
    config_error: Option<String>,
    next_request: i32,
}

impl<'a> Server<'a> {
    fn new(connection: &'a Connection, options: Options, init: &InitializeParams) -> Self {
        #[allow(deprecated)] // `rootUri`: what clients without workspace folders send
        let root_uri = init.root_uri.clone();
        let folders = match &init.workspace_folders {
            Some(f) if !f.is_empty() => f.iter().map(|w| w.uri.clone()).collect(),
            _ => root_uri.into_iter().collect::<Vec<_>>(),
        };
        Server {
            connection,
            options,
            folders: folders.iter().filter_map(uri::to_path).collect(),
            docs: HashMap::new(),
            findings: HashMap::new(),
            scanned: HashMap::new(),
            dirty: BTreeSet::new(),
            config_error: None,
            next_request: 0,
        }
    }

    fn run(&mut self) -> Result<(), String> {
        while let Ok(msg) = self.connection.receiver.recv() {
            if let Flow::Exit = self.handle(msg)? {
                return Ok(());
            }
            // A burst of edits is linted once: first take what is already queued.
            while let Ok(msg) = self.connection.receiver.try_recv() {
                if let Flow::Exit = self.handle(msg)? {
                    return Ok(());
                }
            }
            self.lint_dirty();
        }
        Ok(())
    }

    fn handle(&mut self, msg: Message) -> Result<Flow, String> {
        match msg {
            Message::Request(req) => {
                if self.connection.handle_shutdown(&req).map_err(protocol)? {
                    return Ok(Flow::Exit);
                }
                self.lint_dirty();
                let response = self.answer(req);
                self.send(response.into());
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return Ok(Flow::Exit);
                }
                self.notified(n);
            }
            // Answers to our registration request: nothing to do.
            Message::Response(_) => {}
        }
        Ok(Flow::Continue)
    }

    fn send(&self, msg: Message) {
        // A closed connection ends the loop at the next receive.
        let _ = self.connection.sender.send(msg);
    }

    fn answer(&self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            CodeActionRequest::METHOD => req
                .extract::<lsp_types::CodeActionParams>(CodeActionRequest::METHOD)
                .map_err(|e| format!("{e:?}"))
                .map(|(_, p)| serde_json::to_value(self.code_actions(&p))),
            HoverRequest::METHOD => req
                .extract::<lsp_types::HoverParams>(HoverRequest::METHOD)
                .map_err(|e| format!("{e:?}"))
                .map(|(_, p)| serde_json::to_value(self.hover(&p))),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("unsupported request {}", req.method),
                );
            }
        };
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(e)) => Response::new_err(id, ErrorCode::InternalError as i32, e.to_string()),
            Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e),
        }
    }

    fn code_actions(&self, p: &lsp_types::CodeActionParams) -> Vec<lsp_types::CodeActionOrCommand> {
        let Some(path) = uri::to_path(&p.text_document.uri) else {
            return Vec::new();
        };
        let (Some(doc), Some(findings)) = (self.docs.get(&path), self.findings.get(&path)) else {
            return Vec::new();
        };
        let document = actions::Document {
            uri: &doc.uri,
            text: &doc.text,
            comments: !is_json(&path),
        };
        actions::code_actions(&document, findings, &p.range)
    }

    fn hover(&self, p: &lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let at = &p.text_document_position_params;
        let path = uri::to_path(&at.text_document.uri)?;
        actions::hover(self.findings.get(&path)?, at.position)
    }

    fn notified(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let Some(path) = uri::to_path(&p.text_document.uri) else {
                    return;
                };
                let root = self.root_of(&path);
                self.docs.insert(
                    path.clone(),
                    Doc {
                        uri: p.text_document.uri,
                        version: p.text_document.version,
                        text: p.text_document.text,
                        root,
                    },
                );
                self.changed(&path);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = n.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return;
                };
                let Some(path) = uri::to_path(&p.text_document.uri) else {
                    return;
                };
                let Some(doc) = self.docs.get_mut(&path) else {
                    return;
                };
                // Full synchronisation: the last change holds the whole text.
                if let Some(c) = p
                    .content_changes
                    .into_iter()
                    .rev()
                    .find(|c| c.range.is_none())
                {
                    doc.text = c.text;
                    doc.version = p.text_document.version;
                    self.changed(&path);
                }
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) =
                    n.extract::<lsp_types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                else {
                    return;
                };
                if let Some(path) = uri::to_path(&p.text_document.uri) {
                    self.changed(&path);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = n
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return;
                };
                let Some(path) = uri::to_path(&p.text_document.uri) else {
                    return;
                };
                if let Some(doc) = self.docs.remove(&path) {
                    self.findings.remove(&path);
                    self.publish(&doc.uri, Vec::new(), None);
                }
                // Its file on disk (not the closed buffer) is now the others' context.
                self.changed(&path);
            }
            DidChangeWatchedFiles::METHOD => {
                let Ok(p) = n.extract::<DidChangeWatchedFilesParams>(DidChangeWatchedFiles::METHOD)
                else {
                    return;
                };
                for c in p.changes {
                    if let Some(path) = uri::to_path(&c.uri) {
                        self.changed(&path);
                    }
                }
            }
            _ => {}
        }
    }

    /// Marks for re-linting what a change to this file (open, edited, saved or
    /// changed on disk) affects: every folder when it is a configuration file,
    /// else its own folder and each folder whose last scan read it — when an open
    /// document is linted with that folder.
    fn changed(&mut self, path: &Path) {
        let is_config = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| config::FILE_NAMES.contains(&n))
            || self
                .options
                .config
                .as_deref()
                .is_some_and(|c| ends_with(path, c));
        let open_roots: BTreeSet<PathBuf> = self.docs.values().map(|d| d.root.clone()).collect();
        if is_config {
            self.dirty.extend(open_roots);
            return;
        }
        let own = self.root_of(path);
        for root in open_roots {
            if root == own || self.scanned.get(&root).is_some_and(|s| s.contains(path)) {
                self.dirty.insert(root);
            }
        }
    }

    /// The folder scanned for a file: the innermost workspace folder holding it,
    /// else its own directory (its files only, see `lint`).
    fn root_of(&self, path: &Path) -> PathBuf {
        self.folders
            .iter()
            .filter(|f| path.starts_with(f))
            .max_by_key(|f| f.components().count())
            .cloned()
            .unwrap_or_else(|| path.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    fn lint_dirty(&mut self) {
        for root in std::mem::take(&mut self.dirty) {
            self.lint(&root);
        }
    }

    /// Scans one folder with the open documents' text and publishes the
    /// diagnostics of each open document linted with it.
    fn lint(&mut self, root: &Path) {
        let config = self.config_for(root);
        // A workspace folder is read whole; outside every folder only the
        // document's own directory is (not the tree below a home directory).
        let walk = crate::source::discover::WalkOptions {
            max_depth: (!self.folders.iter().any(|f| f == root)).then_some(1),
            ..Default::default()
        };
        let req = ScanRequest {
            paths: vec![root.to_path_buf()],
            walk,
            configs: vec![config],
            overlay: self
                .docs
                .iter()
                .map(|(p, d)| (p.clone(), d.text.clone()))
                .collect(),
            ..Default::default()
        };
        // A bug in a rule must not take the editor's server down with it.
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine::run(&req)));
        let scan = match run {
            Ok(Ok(scan)) => scan,
            Ok(Err(e)) => {
                self.show(MessageType::ERROR, format!("orchlint: {e}"));
                return;
            }
            Err(_) => {
                self.show(
                    MessageType::ERROR,
                    format!(
                        "orchlint: internal error while linting {} (a bug; please report it with the files that caused it)",
                        root.display()
                    ),
                );
                return;
            }
        };
        self.scanned.insert(
            root.to_path_buf(),
            scan.files.iter().map(|f| f.path.clone()).collect(),
        );
        let uris: Vec<Option<Uri>> = scan.files.iter().map(|f| uri::from_path(&f.path)).collect();
        let place = |id: crate::source::FileId| {
            let i = id.0 as usize;
            Some((uris.get(i)?.clone()?, scan.files.get(i)?.text.as_str()))
        };
        let mut per_file: HashMap<&Path, Vec<Finding>> = HashMap::new();
        for d in &scan.diagnostics {
            if let Some(mut f) = convert::finding(d, &place) {
                f.annotation = annotation(&scan.files[d.file.0 as usize], d);
                per_file
                    .entry(scan.files[d.file.0 as usize].path.as_path())
                    .or_default()
                    .push(f);
            }
        }
        let mut out = Vec::new();
        for (path, doc) in self.docs.iter().filter(|(_, d)| d.root == root) {
            let findings = per_file.remove(path.as_path()).unwrap_or_default();
            out.push((path.clone(), doc.uri.clone(), doc.version, findings));
        }
        for (path, uri, version, findings) in out {
            let diagnostics = findings.iter().map(|f| f.lsp.clone()).collect();
            self.findings.insert(path, findings);
            self.publish(&uri, diagnostics, Some(version));
        }
    }

    /// The configuration `check` would use for this folder; the defaults (and the
    /// error shown once) when it cannot be read.
    fn config_for(&mut self, root: &Path) -> Config {
        let loaded = if self.options.isolated {
            Ok(Config::default())
        } else if let Some(p) = &self.options.config {
            config::load(p)
        } else {
            match config::find(root) {
                Some(p) => config::load(&p),
                None => Ok(Config::default()),
            }
        };
        match loaded {
            Ok(c) => {
                self.config_error = None;
                c
            }
            Err(e) => {
                if self.config_error.as_deref() != Some(e.0.as_str()) {
                    self.config_error = Some(e.0.clone());
                    self.show(
                        MessageType::ERROR,
                        format!("orchlint: configuration not used: {}", e.0),
                    );
                }
                Config::default()
            }
        }
    }

    fn publish(&self, uri: &Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
    }

    fn show(&self, typ: MessageType, message: String) {
        let params = ShowMessageParams { typ, message };
        self.send(Notification::new(ShowMessage::METHOD.into(), params).into());
    }

    /// Asks the client to report changes to configuration files, when it can.
    fn watch_config(&mut self, init: &InitializeParams) {
        let can = init
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        if !can {
            return;
        }
        let mut globs: Vec<String> = config::FILE_NAMES
            .iter()
            .map(|n| format!("**/{n}"))
            .collect();
        if let Some(c) = &self.options.config {
            globs.push(c.display().to_string());
        }
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: globs
                .into_iter()
                .map(|g| FileSystemWatcher {
                    glob_pattern: GlobPattern::String(g),
                    kind: None,
                })
                .collect(),
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "orchlint-config".into(),
                method: DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let id = format!("orchlint-{}", self.next_request);
        self.send(Request::new(id.into(), RegisterCapability::METHOD.into(), params).into());
    }
}

/// The annotation that would suppress a finding in a Kubernetes object, as an
/// LSP edit.
fn annotation(
    file: &crate::project::SpecFile,
    d: &crate::diagnostic::Diagnostic,
) -> Option<TextEdit> {
    if file.format != Some(crate::source::Format::Kubernetes)
        || d.rule.family == crate::diagnostic::Family::Suppression
    {
        return None;
    }
    let (span, text) = annotate::annotation_edit(&file.text, &file.docs, d.span, d.rule.name)?;
    let map = position::LineMap::new(&file.text);
    Some(TextEdit::new(map.range(span.start, span.end), text))
}

fn is_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

/// Whether `path` is the `--config` file (given relative or absolute).
fn ends_with(path: &Path, config: &Path) -> bool {
    let config = std::fs::canonicalize(config).unwrap_or_else(|_| config.to_path_buf());
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    path == config
}

#[cfg(test)]
mod tests;
