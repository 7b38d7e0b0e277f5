//! Code actions on findings: the rule's fix when it has one, and an inline
//! suppression with a reason to fill in (`suppress`'s comment syntax), on the
//! finding's line or for the whole file, plus the Kubernetes object's annotation
//! (`annotate`). JSON has no comments, so a JSON file gets no comment action.
//! Hover shows the rule's documentation.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent,
    MarkupKind, Position, Range, TextEdit, Uri, WorkspaceEdit,
};

use super::convert::Finding;
use super::position::{LineMap, contains, overlaps};
use crate::diagnostic::Family;

/// What the user replaces with the reason for a suppression.
pub(crate) const REASON_PLACEHOLDER: &str = "<reason>";

/// The document a request is about.
pub(crate) struct Document<'a> {
    pub(crate) uri: &'a Uri,
    pub(crate) text: &'a str,
    /// Whether the format has `#` comments (not JSON).
    pub(crate) comments: bool,
}

/// The actions for the findings whose range meets `range`: fixes first.
pub(crate) fn code_actions(
    doc: &Document<'_>,
    findings: &[Finding],
    range: &Range,
) -> Vec<CodeActionOrCommand> {
    let here: Vec<&Finding> = findings
        .iter()
        .filter(|f| overlaps(&f.lsp.range, range))
        .collect();
    let mut out = Vec::new();
    for f in &here {
        if let Some(q) = &f.fix {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: q.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![f.lsp.clone()]),
                edit: Some(q.edit.clone()),
                is_preferred: Some(q.safe),
                ..Default::default()
            }));
        }
    }
    let map = LineMap::new(doc.text);
    for f in here.iter().filter(|f| f.rule.family != Family::Suppression) {
        if doc.comments {
            out.push(suppress_line(doc, &map, f));
        }
        if let Some(edit) = &f.annotation {
            out.push(action(
                doc,
                f,
                format!("Suppress `{}` for this object (annotation)", f.rule.name),
                edit.clone(),
            ));
        }
        if doc.comments {
            out.push(suppress_file(doc, f));
        }
    }
    out
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn action(doc: &Document<'_>, f: &Finding, title: String, edit: TextEdit) -> CodeActionOrCommand {
    let changes = HashMap::from([(doc.uri.clone(), vec![edit])]);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![f.lsp.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: Some(false),
        ..Default::default()
    })
}

/// `# orchlint-ignore: NAME -- <reason>` alone on the line above the finding's,
/// indented as that line is: it covers the next line that holds something.
fn suppress_line(doc: &Document<'_>, map: &LineMap<'_>, f: &Finding) -> CodeActionOrCommand {
    let line = f.lsp.range.start.line;
    let text = map.line(line);
    let indent = &text[..text.len() - text.trim_start().len()];
    let comment = format!(
        "{indent}# orchlint-ignore: {} -- {REASON_PLACEHOLDER}{}",
        f.rule.name,
        newline(doc.text)
    );
    let at = Position::new(line, 0);
    action(
        doc,
        f,
        format!("Suppress `{}` on this line", f.rule.name),
        TextEdit::new(Range::new(at, at), comment),
    )
}

/// `# orchlint-ignore-file: NAME -- <reason>` on the first line.
fn suppress_file(doc: &Document<'_>, f: &Finding) -> CodeActionOrCommand {
    let comment = format!(
        "# orchlint-ignore-file: {} -- {REASON_PLACEHOLDER}{}",
        f.rule.name,
        newline(doc.text)
    );
    let at = Position::new(0, 0);
    action(
        doc,
        f,
        format!("Suppress `{}` in this file", f.rule.name),
        TextEdit::new(Range::new(at, at), comment),
    )
}

/// The findings under the cursor with their rules' documentation (what
/// `orchlint rule NAME` prints).
pub(crate) fn hover(findings: &[Finding], at: Position) -> Option<Hover> {
    let here: Vec<&Finding> = findings
        .iter()
        .filter(|f| contains(&f.lsp.range, at))
        .collect();
    let first = here.first()?;
    let mut parts = Vec::new();
    let mut documented: Vec<&str> = Vec::new();
    for f in &here {
        let mut part = format!("**{}**: {}", f.rule.code(), f.lsp.message);
        if let Some(help) = &f.help {
            part.push_str(&format!("\n\nhelp: {help}"));
        }
        if !documented.contains(&f.rule.name) {
            documented.push(f.rule.name);
            part.push_str("\n\n");
            part.push_str(&crate::docs::markdown(f.rule));
        }
        parts.push(part);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: Some(first.lsp.range),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
    use crate::source::{FileId, Span};
    use std::str::FromStr;

    const TEXT: &str = "services:\n  web:\n    image: nginx\n";

    fn uri() -> Uri {
        Uri::from_str("file:///p/compose.yaml").unwrap()
    }

    fn finding(fix: Option<Fix>) -> Finding {
        let meta = crate::rules::find("latest-image-tag").unwrap();
        let start = TEXT.find("nginx").unwrap();
        let mut d = Diagnostic::new(
            meta,
            FileId(0),
            Span::new(start, start + 5),
            "no tag".into(),
        )
        .with_help("pin a version");
        if let Some(fix) = fix {
            d.fix = Some(fix);
        }
        let place = |_: FileId| Some((uri(), TEXT));
        super::super::convert::finding(&d, &place).unwrap()
    }

    fn edits(a: &CodeActionOrCommand) -> (&str, Vec<TextEdit>) {
        let CodeActionOrCommand::CodeAction(a) = a else {
            panic!("a command, not an action")
        };
        let changes = a.edit.as_ref().unwrap().changes.as_ref().unwrap();
        (&a.title, changes[&uri()].clone())
    }

    fn apply(text: &str, e: &TextEdit) -> String {
        // The tests' edits are insertions at a line start.
        let map = LineMap::new(text);
        let mut offset = 0;
        for l in 0..e.range.start.line {
            offset += map.line(l).len() + 1;
        }
        format!("{}{}{}", &text[..offset], e.new_text, &text[offset..])
    }

    #[test]
    fn suppression_goes_above_the_line_with_its_indent() {
        let f = finding(None);
        let doc = Document {
            uri: &uri(),
            text: TEXT,
            comments: true,
        };
        let actions = code_actions(&doc, std::slice::from_ref(&f), &f.lsp.range);
        assert_eq!(actions.len(), 2);
        let (title, e) = edits(&actions[0]);
        assert_eq!(title, "Suppress `latest-image-tag` on this line");
        let fixed = apply(TEXT, &e[0]);
        assert_eq!(
            fixed,
            "services:\n  web:\n    # orchlint-ignore: latest-image-tag -- <reason>\n    image: nginx\n"
        );
        // The comment is what `suppress` reads, covering the finding's line.
        let sups = crate::suppress::from_comments(&fixed, &crate::source::LineIndex::new(&fixed));
        assert_eq!(sups[0].scope, crate::suppress::Scope::Line(4));
        let (title, e) = edits(&actions[1]);
        assert_eq!(title, "Suppress `latest-image-tag` in this file");
        assert!(
            apply(TEXT, &e[0])
                .starts_with("# orchlint-ignore-file: latest-image-tag -- <reason>\n")
        );
    }

    #[test]
    fn json_gets_no_suppression_and_fixes_come_first() {
        let fix = Fix {
            message: "Pin the tag".into(),
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                file: FileId(0),
                span: Span::empty(TEXT.len() - 1),
                replacement: ":1".into(),
            }],
        };
        let f = finding(Some(fix));
        let json = Document {
            uri: &uri(),
            text: TEXT,
            comments: false,
        };
        let actions = code_actions(&json, std::slice::from_ref(&f), &f.lsp.range);
        assert_eq!(actions.len(), 1);
        let CodeActionOrCommand::CodeAction(a) = &actions[0] else {
            panic!()
        };
        assert!(a.title.starts_with("Pin the tag"));
        assert_eq!(
            a.is_preferred,
            Some(false),
            "an unsafe fix is not preferred"
        );
        // Outside the finding: nothing.
        let elsewhere = Range::new(Position::new(0, 0), Position::new(0, 3));
        assert!(code_actions(&json, &[f], &elsewhere).is_empty());
    }

    #[test]
    fn hover_shows_the_rule_documentation() {
        let f = finding(None);
        let h = hover(std::slice::from_ref(&f), f.lsp.range.start).unwrap();
        let HoverContents::Markup(m) = h.contents else {
            panic!()
        };
        assert!(m.value.contains("**reliability/latest-image-tag**: no tag"));
        assert!(m.value.contains("help: pin a version"));
        assert!(m.value.contains("# reliability/latest-image-tag"));
        assert!(m.value.contains("## Why it matters"));
        assert!(hover(&[f], Position::new(0, 0)).is_none());
    }
}
