//! Compose specs: typed model, project grouping and lowering.

use crate::diagnostic::Diagnostic;
use crate::model::{DeploymentModel, FileId, Format};
use crate::project::{Project, SpecFile, group_by_directory};
use crate::yaml::Node;

/// The typed model of one compose file.
#[derive(Debug, Default)]
pub struct ComposeFile {}

/// Reads the typed model from a file's documents; values of the wrong type become
/// diagnostics.
pub fn read(_file: FileId, _docs: &[Node], _diags: &mut Vec<Diagnostic>) -> ComposeFile {
    ComposeFile {}
}

pub fn group(files: &[&SpecFile]) -> Vec<Project> {
    group_by_directory(files, Format::Compose)
}

/// Lowers a project's files into the normalized model.
pub fn lower(_project: &Project, _files: &[SpecFile]) -> DeploymentModel {
    DeploymentModel::default()
}
