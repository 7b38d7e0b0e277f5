//! The last step of loading a file: one parse into the span tree, detection (see
//! `classify`), and the typed model of the file's format.

use std::path::Path;

use super::classify::{self, AfterParsing};
use super::{Loaded, unread};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin;
use crate::formats::{brooklyn, compose, flocker, helm, kubernetes, marathon, procfile};
use crate::project::{SpecFile, Typed};
use crate::source::Span;
use crate::source::{FileId, Format};
use crate::yaml::{self, IssueKind, Node, ParseIssue};

/// The file, its path, and how it is shown.
pub(super) struct Named<'a> {
    pub(crate) id: FileId,
    pub(crate) path: &'a Path,
    /// The file name, which detection reads.
    pub(crate) name: &'a str,
    pub(crate) display: String,
}

/// Reads a `Procfile` with its own line parser.
pub(super) fn procfile(file: Named<'_>, text: String) -> Loaded {
    let mut diags = Vec::new();
    let typed = Typed::Procfile(procfile::read_procfile(file.id, &text, &mut diags));
    Loaded {
        file: spec_file(file, text, Format::Procfile, Vec::new(), typed),
        diags,
    }
}

/// Parses a YAML or JSON file, detects its format and reads its typed model.
/// `explicit`: named on the command line, or standard input.
pub(super) fn yaml(file: Named<'_>, text: String, explicit: bool, from_stdin: bool) -> Loaded {
    let (id, path) = (file.id, file.path);
    // JSON by its name or its first character: read by the JSON reader.
    let json = yaml::json::is_json(file.name, &text);
    let parsed = if json {
        yaml::json::parse_or_yaml(&text)
    } else {
        yaml::parse(&text)
    };
    let class = classify::after_parsing(path, file.name, &text, &parsed, explicit, from_stdin);
    let format = match class {
        AfterParsing::Spec(format) => format,
        AfterParsing::Empty(format) => {
            let d = Diagnostic::new(
                &builtin::EMPTY_FILE,
                id,
                Span::empty(0),
                "the file is empty: it holds no document".into(),
            );
            return Loaded {
                file: unread(id, path, Some(format), None),
                diags: vec![d],
            };
        }
        AfterParsing::Skipped(reason) => {
            return Loaded {
                file: unread(id, path, None, Some(reason)),
                diags: Vec::new(),
            };
        }
    };
    let mut diags = issue_findings(id, &parsed.issues, json);
    let typed = read_typed(id, format, file.name, &parsed.documents, &mut diags);
    Loaded {
        file: spec_file(file, text, format, parsed.documents, typed),
        diags,
    }
}

/// The parser's issues as findings: duplicate keys, syntax errors, budgets. A
/// syntax error in a JSON file (by its name or its first character) is invalid
/// JSON; YAML's message still says what broke.
fn issue_findings(id: FileId, issues: &[ParseIssue], json: bool) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for issue in issues {
        let meta = match issue.kind {
            IssueKind::DuplicateKey => &builtin::DUPLICATE_KEY,
            IssueKind::Syntax | IssueKind::Budget => &builtin::INVALID_SYNTAX,
        };
        let message = match issue.kind {
            IssueKind::Syntax if json => format!("invalid JSON: {}", issue.message),
            IssueKind::Syntax => format!("invalid YAML: {}", issue.message),
            _ => issue.message.clone(),
        };
        let mut d = Diagnostic::new(meta, id, issue.span, message);
        if let Some(rel) = issue.related {
            let note = match issue.kind {
                IssueKind::DuplicateKey => "first defined here",
                _ => "this bracket is not closed",
            };
            d = d.with_related(id, rel, note);
        }
        diags.push(d);
    }
    diags
}

/// The typed model of a file of that format, read from its documents.
fn read_typed(
    id: FileId,
    format: Format,
    name: &str,
    docs: &[Node],
    diags: &mut Vec<Diagnostic>,
) -> Typed {
    match format {
        Format::Compose => Typed::Compose(compose::read(id, docs, diags)),
        Format::Kubernetes => Typed::Kubernetes(kubernetes::read(id, docs, diags)),
        Format::Marathon => Typed::Marathon(marathon::read(id, docs, diags)),
        Format::Flocker => Typed::Flocker(flocker::read(id, docs, diags)),
        Format::Brooklyn => Typed::Brooklyn(brooklyn::read(id, docs, diags)),
        Format::Procfile => Typed::Procfile(procfile::read_manifest(id, docs, diags)),
        Format::Helm if helm::is_chart_name(name) => Typed::Helm(helm::read_chart(id, docs, diags)),
        Format::Helm => Typed::Helm(helm::read_values(docs)),
    }
}

fn spec_file(
    file: Named<'_>,
    text: String,
    format: Format,
    docs: Vec<Node>,
    typed: Typed,
) -> SpecFile {
    SpecFile {
        id: file.id,
        path: file.path.to_path_buf(),
        display: file.display,
        text,
        format: Some(format),
        skipped: None,
        docs,
        typed,
    }
}
