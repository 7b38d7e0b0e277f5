//! Builds scanned Compose files from texts, for unit tests of this format and its
//! rules.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::project::{Project, SpecFile, Typed};
use crate::source::Span;
use crate::source::{FileId, Format, Loc};
use crate::yaml::parse;

/// Reads files given as `(path, text)`; returns them with the diagnostics of reading.
pub(crate) fn load(files: &[(&str, &str)]) -> (Vec<SpecFile>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let specs = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let id = FileId(i as u32);
            let parsed = parse(text);
            assert!(
                !parsed.is_fatal(),
                "{path} does not parse: {:?}",
                parsed.issues
            );
            let typed = crate::formats::compose::read(id, &parsed.documents, &mut diags);
            SpecFile {
                id,
                path: PathBuf::from(path),
                display: path.to_string(),
                text: text.to_string(),
                format: Some(Format::Compose),
                skipped: None,
                docs: parsed.documents,
                typed: Typed::Compose(typed),
            }
        })
        .collect();
    (specs, diags)
}

/// The projects of loaded files.
pub(crate) fn projects(files: &[SpecFile]) -> Vec<Project> {
    let refs: Vec<&SpecFile> = files.iter().collect();
    crate::project::compose::group(&refs)
}

/// The source text a location covers.
pub(crate) fn at_loc(files: &[SpecFile], loc: Loc) -> &str {
    at(files, loc.file, loc.span)
}

/// The source text a span covers in a file.
pub(crate) fn at(files: &[SpecFile], file: FileId, span: Span) -> &str {
    &files[file.0 as usize].text[span.start as usize..span.end as usize]
}
