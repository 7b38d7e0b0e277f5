//! A stable JSON document: `{"version": 1, "diagnostics": [...], "summary": {...}}`.
//! Positions are 1-based lines and columns (columns in characters) plus byte offsets.
//! Findings a suppression silenced follow in `suppressed` (present only when there
//! are some), each as a diagnostic with a `suppression`: `{"kind": "inSource",
//! "justification": "..."}` (the reason written after ` -- `, or null). They count
//! in no summary figure.

use std::io::Write;

use serde::Serialize;

use super::spool::Spool;
use super::{Locator, pretty};
use crate::diagnostic::Diagnostic;
use crate::project::SpecFile;
use crate::suppress::Suppressed;

#[derive(Serialize)]
struct SuppressionOut<'a> {
    kind: &'a str,
    justification: Option<&'a str>,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
    offset: u32,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    file: &'a str,
    message: &'a str,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct EditOut<'a> {
    file: &'a str,
    start: Position,
    end: Position,
    replacement: &'a str,
}

/// A finding's fix: what it does, `safe` or `unsafe`, and its edits.
#[derive(Serialize)]
struct FixOut<'a> {
    message: &'a str,
    applicability: &'a str,
    edits: Vec<EditOut<'a>>,
}

/// A rule's code (`family/name`) written without building the string.
struct Code(&'static crate::diagnostic::RuleMeta);

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}/{}", self.0.family.as_str(), self.0.name))
    }
}

#[derive(Serialize)]
struct DiagOut<'a> {
    rule: Code,
    name: &'a str,
    family: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    file: &'a str,
    start: Position,
    end: Position,
    related: Vec<RelatedOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<SuppressionOut<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    files_scanned: usize,
}

fn pos(loc: &mut Locator, file: crate::source::FileId, offset: u32) -> Position {
    let lc = loc.line_col(file, offset);
    Position {
        line: lc.line,
        column: lc.column,
        offset,
    }
}

fn diag_out<'a>(loc: &mut Locator<'a>, d: &'a Diagnostic) -> DiagOut<'a> {
    DiagOut {
        rule: Code(d.rule),
        name: d.rule.name,
        family: d.rule.family.as_str(),
        severity: d.severity.as_str(),
        message: &d.message,
        help: d.help.as_deref(),
        file: &loc.file(d.file).display,
        start: pos(loc, d.file, d.span.start),
        end: pos(loc, d.file, d.span.end),
        related: d
            .related
            .iter()
            .map(|r| RelatedOut {
                file: &loc.file(r.file).display,
                message: &r.message,
                start: pos(loc, r.file, r.span.start),
                end: pos(loc, r.file, r.span.end),
            })
            .collect(),
        fix: d.fix.as_ref().map(|f| FixOut {
            message: &f.message,
            applicability: f.applicability.as_str(),
            edits: f
                .edits
                .iter()
                .map(|e| EditOut {
                    file: &loc.file(e.file).display,
                    start: pos(loc, e.file, e.span.start),
                    end: pos(loc, e.file, e.span.end),
                    replacement: &e.replacement,
                })
                .collect(),
        }),
        suppression: None,
    }
}

pub fn write(out: &mut dyn Write, files: &[SpecFile], diags: &[Diagnostic]) -> std::io::Result<()> {
    write_with_suppressed(out, files, diags, &[])
}

/// The document with the suppressed findings in `suppressed` (the layout of
/// `serde_json::to_writer_pretty` of the whole document).
pub(crate) fn write_with_suppressed(
    out: &mut dyn Write,
    files: &[SpecFile],
    diags: &[Diagnostic],
    suppressed: &[Suppressed],
) -> std::io::Result<()> {
    let mut s = Stream::new();
    s.chunk(files, diags, suppressed)?;
    s.finish(out)
}

/// The document written chunk by chunk: each chunk's findings are laid out as
/// they come into the `diagnostics` and `suppressed` parts, and the document is
/// put together once the summary's counts are known.
pub(crate) struct Stream {
    diags: pretty::Array,
    body: Spool,
    suppressed: pretty::Array,
    tail: Spool,
    counts: super::Counts,
    files_scanned: usize,
}

impl Stream {
    pub(crate) fn new() -> Stream {
        Stream {
            diags: pretty::Array::new(1),
            body: Spool::new(),
            suppressed: pretty::Array::new(1),
            tail: Spool::new(),
            counts: super::Counts::default(),
            files_scanned: 0,
        }
    }

    pub(crate) fn chunk(
        &mut self,
        files: &[SpecFile],
        diags: &[Diagnostic],
        suppressed: &[Suppressed],
    ) -> std::io::Result<()> {
        let mut loc = Locator::new(files);
        for d in diags {
            self.diags.item(&mut self.body, &diag_out(&mut loc, d))?;
        }
        for s in suppressed {
            let d = DiagOut {
                suppression: Some(SuppressionOut {
                    kind: s.kind.as_str(),
                    justification: s.justification.as_deref(),
                }),
                ..diag_out(&mut loc, &s.diagnostic)
            };
            self.suppressed.item(&mut self.tail, &d)?;
        }
        self.diags.flush(&mut self.body)?;
        self.suppressed.flush(&mut self.tail)?;
        self.counts.add(diags);
        self.files_scanned += files.iter().filter(|f| f.format.is_some()).count();
        Ok(())
    }

    pub(crate) fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(b"{\n")?;
        pretty::key(out, "version", 1)?;
        out.write_all(b"1,\n")?;
        pretty::key(out, "diagnostics", 1)?;
        out.write_all(b"[")?;
        self.body.copy_to(out)?;
        self.diags.close(out)?;
        out.write_all(b",\n")?;
        if self.suppressed.items() > 0 {
            pretty::key(out, "suppressed", 1)?;
            out.write_all(b"[")?;
            self.tail.copy_to(out)?;
            self.suppressed.close(out)?;
            out.write_all(b",\n")?;
        }
        let summary = Summary {
            errors: self.counts.errors,
            warnings: self.counts.warnings,
            infos: self.counts.infos,
            files_scanned: self.files_scanned,
        };
        pretty::key(out, "summary", 1)?;
        pretty::value_at(out, &mut Vec::new(), &summary, 1)?;
        out.write_all(b"\n}\n")
    }
}
