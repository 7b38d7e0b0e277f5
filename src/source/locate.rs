//! Line and column of byte offsets, computed only for the files a report prints.

use std::collections::HashMap;

use super::file::{FileId, Loc};
use super::span::{LineCol, LineIndex};

/// A file whose text a report can point into.
pub(crate) trait SourceText {
    fn text(&self) -> &str;
}

/// Line/column lookups, one index per file that has findings.
pub(crate) struct Locator<'a, F> {
    files: &'a [F],
    indexes: HashMap<FileId, LineIndex>,
}

impl<'a, F: SourceText> Locator<'a, F> {
    pub(crate) fn new(files: &'a [F]) -> Self {
        Locator {
            files,
            indexes: HashMap::new(),
        }
    }

    pub(crate) fn file(&self, id: FileId) -> &'a F {
        &self.files[id.0 as usize]
    }

    pub(crate) fn line_col(&mut self, id: FileId, offset: u32) -> LineCol {
        let file = &self.files[id.0 as usize];
        let index = self
            .indexes
            .entry(id)
            .or_insert_with(|| LineIndex::new(file.text()));
        index.line_col(file.text(), offset)
    }

    /// Line and column where the column counts UTF-16 code units (SARIF's default
    /// `columnKind`), 1-based.
    pub(crate) fn line_col_utf16(&mut self, id: FileId, offset: u32) -> LineCol {
        let lc = self.line_col(id, offset);
        let file = &self.files[id.0 as usize];
        let start = self
            .indexes
            .get(&id)
            .and_then(|i| i.line_start(lc.line))
            .unwrap_or(0) as usize;
        let end = (offset as usize).min(file.text().len());
        let column = file
            .text()
            .get(start..end)
            .map_or(lc.column as usize - 1, |s| s.encode_utf16().count());
        LineCol {
            line: lc.line,
            column: column as u32 + 1,
        }
    }

    /// Where a place starts and ends.
    pub(crate) fn start_end(&mut self, at: Loc) -> (LineCol, LineCol) {
        (
            self.line_col(at.file, at.span.start),
            self.line_col(at.file, at.span.end),
        )
    }
}
