//! Compose specs: typed model, project grouping and lowering.
//!
//! - `model`: the typed model of one file, as written.
//! - `read`: reads it from the tree, reporting values of the wrong type.
//! - `interp`: `${VAR}` interpolation with the project's `.env`.
//! - `syntax`: the short port and volume syntaxes.
//! - `group`: which files make one project.
//! - `resolve`: the project as Compose assembles it (overrides, `extends`,
//!   `include`), read by lowering and by the Compose rules.
//! - `lower`: the normalized model.

pub mod group;
pub mod interp;
pub mod lower;
pub mod model;
pub mod read;
pub mod resolve;
pub mod swarm;
pub mod syntax;

use crate::diagnostic::Diagnostic;
use crate::model::DeploymentModel;
use crate::source::FileId;
use crate::formats::{Project, SpecFile};
use crate::yaml::Node;

pub use model::ComposeFile;
pub use resolve::ProjectView;

/// Reads the typed model from a file's documents; values of the wrong type become
/// diagnostics.
pub fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> ComposeFile {
    read::read_file(file, docs, diags)
}

pub fn group(files: &[&SpecFile]) -> Vec<Project> {
    group::group(files)
}

/// Lowers a project's files into the normalized model.
pub fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    lower_with(project, files, &ProjectView::new(project, files))
}

/// Lowers a project whose merged view is already built (the engine builds it once
/// and hands the same view to the Compose rules).
pub fn lower_with(
    project: &Project,
    files: &[SpecFile],
    view: &ProjectView<'_>,
) -> DeploymentModel {
    let mut model = lower::lower_view(view);
    let mut id = "swarm";
    let mut evidence = swarm::project_evidence(project, files);
    if evidence.is_empty() {
        id = "swarm-classic";
        evidence = swarm::project_classic_evidence(project, files);
    }
    if !evidence.is_empty() {
        model.platform = Some(crate::model::Platform {
            id,
            candidates: Vec::new(),
            evidence,
        });
    }
    model
}

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod testutil;
