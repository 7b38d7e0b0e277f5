//! Output formats: each its own module over the same diagnostics.

pub mod concise;
pub mod human;
pub mod json;

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::FileId;
use crate::project::SpecFile;
use crate::span::{LineCol, LineIndex};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source excerpts with the span underlined and a help line (default on a terminal).
    Human,
    /// `path:line:col: severity [family/name] message`, one per line.
    Concise,
    /// A stable JSON document (see README, "JSON output").
    Json,
}

/// Line/column lookups, one index per file that has findings.
pub struct Locator<'a> {
    files: &'a [SpecFile],
    indexes: HashMap<FileId, LineIndex>,
}

impl<'a> Locator<'a> {
    pub fn new(files: &'a [SpecFile]) -> Self {
        Locator {
            files,
            indexes: HashMap::new(),
        }
    }

    pub fn file(&self, id: FileId) -> &'a SpecFile {
        &self.files[id.0 as usize]
    }

    pub fn line_col(&mut self, id: FileId, offset: u32) -> LineCol {
        let file = &self.files[id.0 as usize];
        let index = self
            .indexes
            .entry(id)
            .or_insert_with(|| LineIndex::new(&file.text));
        index.line_col(&file.text, offset)
    }

    pub fn start_end(&mut self, d: &Diagnostic) -> (LineCol, LineCol) {
        (
            self.line_col(d.file, d.span.start),
            self.line_col(d.file, d.span.end),
        )
    }
}

/// Counts per severity, for summaries.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize, usize) {
    use crate::diagnostic::Severity::*;
    let n = |s| diags.iter().filter(|d| d.severity == s).count();
    (n(Error), n(Warning), n(Info))
}
