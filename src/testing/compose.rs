//! Builds scanned Compose files from texts, for unit tests of this format and its
//! rules.

use crate::diagnostic::Diagnostic;
use crate::project::{Project, SpecFile, Typed};
use crate::source::Span;
use crate::source::{FileId, Format, Loc};

/// Reads files given as `(path, text)`; returns them with the diagnostics of reading.
pub(crate) fn load(inputs: &[(&str, &str)]) -> (Vec<SpecFile>, Vec<Diagnostic>) {
    super::read_all(inputs, Format::Compose, true, |id, docs, diags| {
        Typed::Compose(crate::formats::compose::read(id, docs, diags))
    })
}

/// The projects of loaded files.
pub(crate) fn projects(files: &[SpecFile]) -> Vec<Project> {
    let refs: Vec<&SpecFile> = files.iter().collect();
    crate::project::compose::group(&refs, &[])
}

/// The source text a location covers.
pub(crate) fn at_loc(files: &[SpecFile], loc: Loc) -> &str {
    at(files, loc.file, loc.span)
}

/// The source text a span covers in a file.
pub(crate) fn at(files: &[SpecFile], file: FileId, span: Span) -> &str {
    &files[file.0 as usize].text[span.start as usize..span.end as usize]
}
