//! The server driven through an in-memory connection, as an editor drives it:
//! a Compose override linted with its base from disk and the editor's unsaved
//! text, ranges in UTF-16, a suppression applied through its code action, hover,
//! a change to the base re-publishing the override, configuration reload.

use std::path::Path;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidOpenTextDocument, Exit, Initialized,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Initialize, Request as _, Shutdown};
use lsp_types::{
    ClientCapabilities, CodeActionContext, CodeActionOrCommand, CodeActionParams,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidOpenTextDocumentParams,
    FileChangeType, FileEvent, HoverContents, HoverParams, InitializeParams, NumberOrString,
    Position, PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent,
    TextDocumentIdentifier, TextDocumentItem, TextDocumentPositionParams, Uri,
    VersionedTextDocumentIdentifier, WorkspaceFolder,
};

use super::{Options, serve};

struct Client {
    conn: Connection,
    next: i32,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Client {
    fn start(folder: &Path) -> Client {
        let (server_side, conn) = Connection::memory();
        let server = std::thread::spawn(move || serve(&server_side, Options::default()));
        let mut c = Client {
            conn,
            next: 0,
            server: Some(server),
        };
        let params = InitializeParams {
            workspace_folders: Some(vec![WorkspaceFolder {
                uri: uri(folder),
                name: "w".into(),
            }]),
            capabilities: ClientCapabilities::default(),
            ..Default::default()
        };
        let result = c.request(Initialize::METHOD, params);
        assert_eq!(result["serverInfo"]["name"], "orchlint");
        assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
        c.notify(Initialized::METHOD, serde_json::json!({}));
        c
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let n = Notification::new(method.into(), params);
        self.conn.sender.send(n.into()).unwrap();
    }

    fn request(&mut self, method: &str, params: impl serde::Serialize) -> serde_json::Value {
        self.next += 1;
        let id = RequestId::from(self.next);
        let r = Request::new(id.clone(), method.into(), params);
        self.conn.sender.send(r.into()).unwrap();
        loop {
            match self.conn.receiver.recv_timeout(Duration::from_secs(60)) {
                Ok(Message::Response(resp)) if resp.id == id => {
                    return match resp.response_result {
                        Ok(v) => v,
                        Err(e) => panic!("{method} failed: {e:?}"),
                    };
                }
                Ok(_) => {}
                Err(e) => panic!("no answer to {method}: {e}"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&self, uri: &Uri) -> PublishDiagnosticsParams {
        loop {
            match self.conn.receiver.recv_timeout(Duration::from_secs(60)) {
                Ok(Message::Notification(n)) if n.method == PublishDiagnostics::METHOD => {
                    let p: PublishDiagnosticsParams = serde_json::from_value(n.params).unwrap();
                    if &p.uri == uri {
                        return p;
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("no diagnostics for {}: {e}", uri.as_str()),
            }
        }
    }

    fn change(&self, uri: &Uri, version: i32, text: &str) {
        self.notify(
            DidChangeTextDocument::METHOD,
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier::new(uri.clone(), version),
                content_changes: vec![TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: text.into(),
                }],
            },
        );
    }

    fn open(&self, uri: &Uri, text: &str) {
        self.notify(
            DidOpenTextDocument::METHOD,
            DidOpenTextDocumentParams {
                text_document: TextDocumentItem::new(uri.clone(), "yaml".into(), 1, text.into()),
            },
        );
    }

    /// The edit of the code action on `diag` whose title holds `title`.
    fn action_edit(
        &mut self,
        uri: &Uri,
        diag: &lsp_types::Diagnostic,
        title: &str,
    ) -> lsp_types::TextEdit {
        let actions = self.request(
            CodeActionRequest::METHOD,
            CodeActionParams {
                text_document: TextDocumentIdentifier::new(uri.clone()),
                range: diag.range,
                context: CodeActionContext {
                    diagnostics: vec![diag.clone()],
                    ..Default::default()
                },
                work_done_progress_params: Default::default(),
                partial_result_params: Default::default(),
            },
        );
        let actions: Vec<CodeActionOrCommand> = serde_json::from_value(actions).unwrap();
        actions
            .iter()
            .find_map(|a| match a {
                CodeActionOrCommand::CodeAction(a) if a.title.contains(title) => a
                    .edit
                    .as_ref()?
                    .changes
                    .as_ref()?
                    .get(uri)?
                    .first()
                    .cloned(),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no action `{title}` in {actions:?}"))
    }

    fn stop(mut self) {
        self.request(Shutdown::METHOD, ());
        self.notify(Exit::METHOD, ());
        let server = self.server.take().unwrap();
        assert_eq!(server.join().unwrap(), Ok(()));
    }
}

/// The text with `new` inserted at the start of 0-based line `line`.
fn insert_at_line(text: &str, line: usize, new: &str) -> String {
    let at: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    format!("{}{new}{}", &text[..at], &text[at..])
}

fn uri(p: &Path) -> Uri {
    super::uri::from_path(p).unwrap()
}

fn codes(p: &PublishDiagnosticsParams) -> Vec<String> {
    p.diagnostics
        .iter()
        .filter_map(|d| match &d.code {
            Some(NumberOrString::String(s)) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

fn find<'a>(p: &'a PublishDiagnosticsParams, code: &str) -> Option<&'a lsp_types::Diagnostic> {
    p.diagnostics
        .iter()
        .find(|d| d.code == Some(NumberOrString::String(code.into())))
}

const BASE: &str = "services:\n  db:\n    image: postgres:16\n";
// The service name holds `é` (1 UTF-16 unit, 2 bytes) and `😀` (2 units, 4 bytes),
// before the finding on its line.
const OVERRIDE: &str = "services:\n  wé😀: {image: nginx, depends_on: [db]}\n";

#[test]
fn an_override_is_linted_with_its_base_and_its_unsaved_text() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(root.join("compose.yaml"), BASE).unwrap();
    // On disk the override is clean; the editor's text is not.
    std::fs::write(root.join("compose.override.yaml"), "services: {}\n").unwrap();
    let mut client = Client::start(&root);
    let over = uri(&root.join("compose.override.yaml"));
    client.open(&over, OVERRIDE);

    let d = client.diagnostics(&over);
    assert_eq!(d.version, Some(1));
    let latest = find(&d, "reliability/latest-image-tag").expect("latest-image-tag");
    // `nginx` starts at byte 19, character 15, UTF-16 unit 16.
    assert_eq!(
        latest.range,
        Range::new(Position::new(1, 16), Position::new(1, 21))
    );
    assert_eq!(latest.source.as_deref(), Some("orchlint"));
    // `db` is defined by the base, read from disk.
    assert!(
        find(&d, "correctness/undefined-service-reference").is_none(),
        "{:?}",
        codes(&d)
    );

    // Depending on a service no file defines is reported.
    client.change(&over, 2, &OVERRIDE.replace("[db]", "[cache]"));
    let d = client.diagnostics(&over);
    assert_eq!(d.version, Some(2));
    assert!(find(&d, "correctness/undefined-service-reference").is_some());

    // The base opened and given `cache` (unsaved): the override is published again
    // without the finding.
    let base = uri(&root.join("compose.yaml"));
    client.open(&base, BASE);
    client.diagnostics(&base);
    client.change(&base, 2, &format!("{BASE}  cache:\n    image: redis:7\n"));
    let mut d = client.diagnostics(&over);
    while d.version != Some(2) || find(&d, "correctness/undefined-service-reference").is_some() {
        d = client.diagnostics(&over);
    }

    // Hover on the finding shows the rule's documentation.
    let latest = find(&d, "reliability/latest-image-tag").unwrap().clone();
    let hover = client.request(
        HoverRequest::METHOD,
        HoverParams {
            text_document_position_params: TextDocumentPositionParams::new(
                TextDocumentIdentifier::new(over.clone()),
                Position::new(1, 18),
            ),
            work_done_progress_params: Default::default(),
        },
    );
    let hover: lsp_types::Hover = serde_json::from_value(hover).unwrap();
    let HoverContents::Markup(m) = hover.contents else {
        panic!("not markup")
    };
    assert!(
        m.value.contains("# reliability/latest-image-tag"),
        "{}",
        m.value
    );

    // The suppression action, applied, clears the finding.
    let edit = client.action_edit(&over, &latest, "on this line");
    assert_eq!(edit.range.start, Position::new(1, 0));
    assert_eq!(
        edit.new_text,
        "  # orchlint-ignore: latest-image-tag -- <reason>\n"
    );
    let text = OVERRIDE.replace("[db]", "[cache]");
    client.change(&over, 3, &insert_at_line(&text, 1, &edit.new_text));
    let d = client.diagnostics(&over);
    assert_eq!(d.version, Some(3));
    assert!(
        find(&d, "reliability/latest-image-tag").is_none(),
        "{:?}",
        codes(&d)
    );
    assert!(find(&d, "suppression/unused-suppression").is_none());
    assert!(!d.diagnostics.is_empty(), "other findings stay");

    // A configuration written and announced is used at once.
    std::fs::write(root.join("orchlint.toml"), "ignore = [\"reliability\"]\n").unwrap();
    client.notify(
        DidChangeWatchedFiles::METHOD,
        DidChangeWatchedFilesParams {
            changes: vec![FileEvent::new(
                uri(&root.join("orchlint.toml")),
                FileChangeType::CREATED,
            )],
        },
    );
    let d = client.diagnostics(&over);
    assert!(
        codes(&d).iter().all(|c| !c.starts_with("reliability/")),
        "{:?}",
        codes(&d)
    );
    client.stop();
}

#[test]
fn a_file_outside_the_workspace_is_linted_with_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let other = tempfile::tempdir().unwrap();
    let other = std::fs::canonicalize(other.path()).unwrap();
    let mut client = Client::start(&root);
    // Not on disk at all: an unsaved new file.
    let pod = uri(&other.join("pod.yaml"));
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx:latest\n";
    client.open(&pod, text);
    let d = client.diagnostics(&pod);
    let latest = find(&d, "reliability/latest-image-tag")
        .expect("latest-image-tag")
        .clone();
    assert_eq!(latest.range.start.line, 7);
    // The annotation action, applied, suppresses the finding for the object.
    let edit = client.action_edit(&pod, &latest, "for this object");
    assert_eq!(
        edit.range,
        Range::new(Position::new(3, 0), Position::new(3, 0))
    );
    client.change(&pod, 2, &insert_at_line(text, 3, &edit.new_text));
    let d = client.diagnostics(&pod);
    assert!(
        find(&d, "reliability/latest-image-tag").is_none(),
        "{:?}",
        codes(&d)
    );
    assert!(!d.diagnostics.is_empty(), "other findings stay");
    // A secret's value never reaches a message.
    let compose = uri(&other.join("compose.yaml"));
    let secret = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cr3t-v4lue\n";
    client.open(&compose, secret);
    let d = client.diagnostics(&compose);
    assert!(
        find(&d, "security/secret-in-env").is_some(),
        "{:?}",
        codes(&d)
    );
    let sent = serde_json::to_string(&d.diagnostics).unwrap();
    assert!(!sent.contains("s3cr3t-v4lue"), "{sent}");
    // A configuration that does not parse is said once, and the defaults serve.
    std::fs::write(other.join("orchlint.toml"), "selekt = [\"all\"]\n").unwrap();
    client.notify(
        DidChangeWatchedFiles::METHOD,
        DidChangeWatchedFilesParams {
            changes: vec![FileEvent::new(
                uri(&other.join("orchlint.toml")),
                FileChangeType::CREATED,
            )],
        },
    );
    let shown = loop {
        match client.conn.receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(Message::Notification(n)) if n.method == "window/showMessage" => break n.params,
            Ok(_) => {}
            Err(e) => panic!("no message about the configuration: {e}"),
        }
    };
    let text = shown["message"].as_str().unwrap();
    assert!(text.contains("configuration not used"), "{text}");
    assert!(text.contains("orchlint.toml"), "{text}");
    let d = client.diagnostics(&compose);
    assert!(
        find(&d, "security/secret-in-env").is_some(),
        "{:?}",
        codes(&d)
    );
    // Unknown requests are answered with an error, not ignored.
    client.next += 1;
    let id = RequestId::from(client.next);
    let r = Request::new(id.clone(), "textDocument/formatting".into(), ());
    client.conn.sender.send(r.into()).unwrap();
    loop {
        if let Message::Response(resp) = client
            .conn
            .receiver
            .recv_timeout(Duration::from_secs(60))
            .unwrap()
            && resp.id == id
        {
            assert!(resp.response_result.is_err());
            break;
        }
    }
    client.stop();
}
