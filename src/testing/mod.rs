//! Helpers for unit tests across the floors: spec files from texts, grouped,
//! lowered and linted as the engine would. Test-only, so it may reach every floor.

pub(crate) mod compose;
pub(crate) mod fuzz;
pub(crate) mod kubernetes;
pub(crate) mod marathon;

use crate::diagnostic::Diagnostic;
use crate::project::{SpecFile, Typed};
use crate::source::{FileId, Format};
use crate::yaml::Node;

/// Reads `(path, text)` pairs as spec files of one format with its reader; returns
/// them with the reader's diagnostics. With `must_parse`, a file that is not valid
/// YAML fails the test.
pub(crate) fn read_all(
    inputs: &[(&str, &str)],
    format: Format,
    must_parse: bool,
    read: impl Fn(FileId, &[Node], &mut Vec<Diagnostic>) -> Typed,
) -> (Vec<SpecFile>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let files = inputs
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let id = FileId(i as u32);
            let parsed = crate::yaml::parse(text);
            assert!(
                !must_parse || !parsed.is_fatal(),
                "{path} does not parse: {:?}",
                parsed.issues
            );
            let typed = read(id, &parsed.documents, &mut diags);
            SpecFile {
                id,
                path: (*path).into(),
                display: path.to_string(),
                text: text.to_string(),
                format: Some(format),
                skipped: None,
                docs: parsed.documents,
                typed,
            }
        })
        .collect();
    (files, diags)
}
