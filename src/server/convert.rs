//! orchlint's findings as LSP diagnostics, and their fixes as workspace edits.
//! Ranges are UTF-16 positions computed from the byte spans over the text the scan
//! read (the editor's, for an open document).

use std::collections::HashMap;
use std::str::FromStr;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    TextEdit, Uri, WorkspaceEdit,
};

use super::position::LineMap;
use crate::diagnostic::{Applicability, Diagnostic, Fix, RuleMeta, Severity};
use crate::source::FileId;

/// A finding as the server keeps it for one document: what was published, and
/// what code actions and hovers need.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub(crate) lsp: lsp_types::Diagnostic,
    pub(crate) rule: &'static RuleMeta,
    pub(crate) help: Option<String>,
    pub(crate) fix: Option<QuickFix>,
    /// For a Kubernetes object: the edit that adds the rule to its
    /// `orchlint.dev/ignore` annotation.
    pub(crate) annotation: Option<TextEdit>,
}

/// A rule's fix, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct QuickFix {
    pub(crate) title: String,
    pub(crate) safe: bool,
    pub(crate) edit: WorkspaceEdit,
}

/// The URI and text of a scanned file, for placing spans.
pub(crate) type Place<'a> = &'a dyn Fn(FileId) -> Option<(Uri, &'a str)>;

pub(crate) fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The finding as an LSP diagnostic, with its fix as an edit. `None` when its file
/// has no place (never for a scanned file).
pub(crate) fn finding(d: &Diagnostic, place: Place<'_>) -> Option<Finding> {
    let (_, text) = place(d.file)?;
    let range = LineMap::new(text).range(d.span.start, d.span.end);
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let (uri, text) = place(r.file)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri, LineMap::new(text).range(r.span.start, r.span.end)),
                message: r.message.clone(),
            })
        })
        .collect();
    let docs = format!("{}{}", crate::report::sarif::DOCS_BASE, d.rule.name);
    let lsp = lsp_types::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code())),
        code_description: Uri::from_str(&docs)
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("orchlint".into()),
        // The message never quotes a secret's value (rules keep it out, and
        // `redact` covers only source excerpts, which are not sent).
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    };
    Some(Finding {
        lsp,
        rule: d.rule,
        help: d.help.clone(),
        fix: d.fix.as_ref().and_then(|f| quick_fix(f, place)),
        annotation: None,
    })
}

/// A fix as one workspace edit (its edits may touch several files); `None` when
/// an edit's file has no place.
pub(crate) fn quick_fix(fix: &Fix, place: Place<'_>) -> Option<QuickFix> {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for e in &fix.edits {
        let (uri, text) = place(e.file)?;
        let range = LineMap::new(text).range(e.span.start, e.span.end);
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit::new(range, e.replacement.clone()));
    }
    let safe = fix.applicability == Applicability::Safe;
    let title = if safe {
        fix.message.clone()
    } else {
        format!("{} (unsafe: may change behaviour)", fix.message)
    };
    Some(QuickFix {
        title,
        safe,
        edit: WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Edit;
    use crate::source::Span;
    use lsp_types::{Position, Range};

    const TEXT: &str = "version: \"3\"\nservices:\n  wéb:\n    image: nginx\n";

    fn uri() -> Uri {
        Uri::from_str("file:///p/compose.yaml").unwrap()
    }

    fn meta() -> &'static RuleMeta {
        crate::rules::find("latest-image-tag").unwrap()
    }

    #[test]
    fn a_finding_becomes_a_diagnostic_at_utf16_positions() {
        let place_fn = |_: FileId| Some((uri(), TEXT));
        let start = TEXT.find("nginx").unwrap();
        let key = TEXT.find("wéb").unwrap();
        let d = Diagnostic::new(
            meta(),
            FileId(0),
            Span::new(start, start + 5),
            "image has no tag".into(),
        )
        .with_related(FileId(0), Span::new(key, key + "wéb".len()), "the service");
        let f = finding(&d, &place_fn).unwrap();
        assert_eq!(
            f.lsp.range,
            Range::new(Position::new(3, 11), Position::new(3, 16))
        );
        assert_eq!(
            f.lsp.code,
            Some(NumberOrString::String(
                "reliability/latest-image-tag".into()
            ))
        );
        assert_eq!(f.lsp.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(f.lsp.source.as_deref(), Some("orchlint"));
        assert_eq!(
            f.lsp.code_description.unwrap().href.as_str(),
            "https://orchlint.dev/rules/latest-image-tag"
        );
        let rel = f.lsp.related_information.unwrap();
        // `wéb` is 4 bytes but 3 UTF-16 units.
        assert_eq!(
            rel[0].location.range,
            Range::new(Position::new(2, 2), Position::new(2, 5))
        );
        assert_eq!(rel[0].message, "the service");
        assert!(f.fix.is_none());
    }

    #[test]
    fn a_hand_made_fix_becomes_a_workspace_edit() {
        let place_fn = |_: FileId| Some((uri(), TEXT));
        let line_end = TEXT.find('\n').unwrap() + 1;
        let remove = Fix {
            message: "Remove the obsolete `version` key".into(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                file: FileId(0),
                span: Span::new(0, line_end),
                replacement: String::new(),
            }],
        };
        let q = quick_fix(&remove, &place_fn).unwrap();
        assert!(q.safe);
        assert_eq!(q.title, "Remove the obsolete `version` key");
        let edits = &q.edit.changes.as_ref().unwrap()[&uri()];
        assert_eq!(
            edits,
            &vec![TextEdit::new(
                Range::new(Position::new(0, 0), Position::new(1, 0)),
                String::new()
            )]
        );

        let at = TEXT.find("nginx").unwrap() + 5;
        let pin = Fix {
            message: "Pin the tag".into(),
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                file: FileId(0),
                span: Span::empty(at),
                replacement: ":1.27".into(),
            }],
        };
        let q = quick_fix(&pin, &place_fn).unwrap();
        assert!(!q.safe);
        assert!(q.title.contains("unsafe"), "{}", q.title);
        let edits = &q.edit.changes.as_ref().unwrap()[&uri()];
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(3, 16), Position::new(3, 16))
        );
        assert_eq!(edits[0].new_text, ":1.27");
    }

    #[test]
    fn an_edit_in_a_file_without_a_place_gives_no_fix() {
        let place_fn = |id: FileId| (id == FileId(0)).then(|| (uri(), TEXT));
        let fix = Fix {
            message: "x".into(),
            applicability: Applicability::Safe,
            edits: vec![Edit {
                file: FileId(3),
                span: Span::empty(0),
                replacement: "y".into(),
            }],
        };
        assert!(quick_fix(&fix, &place_fn).is_none());
    }
}
