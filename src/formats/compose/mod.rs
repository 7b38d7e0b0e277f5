//! Compose specs: the typed model of one file.
//!
//! - `model`: the typed model of one file, as written.
//! - `read`: reads it from the tree, reporting values of the wrong type.
//! - `interp`: `${VAR}` interpolation with the project's `.env`.
//! - `syntax`: the short port and volume syntaxes.
//! - `schema`: the Compose Specification's keys and enums, and the check of a file
//!   against them.
//!
//! Which files make one project and the project as Compose assembles it are in
//! `project::compose`; the normalized model in `model::lower::compose`.

pub(crate) mod forms;
pub(crate) mod interp;
pub(crate) mod model;
pub(crate) mod read;
pub(crate) mod schema;
pub(crate) mod swarm;
pub(crate) mod syntax;

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::yaml::Node;

pub(crate) use model::ComposeFile;

/// Reads the typed model from a file's documents; values of the wrong type become
/// diagnostics.
pub(crate) fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> ComposeFile {
    read::read_file(file, docs, diags)
}

/// The file name without `.yml`/`.yaml`, lowercased.
pub(crate) fn stem(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    name.strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))
        .map(str::to_string)
}

/// The base names Compose finds by default, in its lookup order.
pub(crate) const DEFAULT_STEMS: &[&str] = &["compose", "docker-compose"];

#[cfg(test)]
mod tests;
