//! Lowers a Compose project: its services from the merged view (`service`), and
//! the platform the files are written for: a Swarm stack or classic Swarm, from the
//! signs `formats::compose::swarm` finds in each file. This is the one place that
//! decides it; `files`, the Swarm rules and the advisor read the result.

mod service;
#[cfg(test)]
mod tests;

use crate::formats::compose::swarm;
use crate::model::{DeploymentModel, Evidence, Platform};
use crate::project::compose::ProjectView;
use crate::project::{Project, SpecFile};

/// Lowers a project's files into the normalized model.
pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    lower_with(project, files, &ProjectView::new(project, files))
}

/// Lowers a project whose merged view is already built (the engine builds it once
/// and hands the same view to the Compose rules).
pub(crate) fn lower_with(
    project: &Project,
    files: &[SpecFile],
    view: &ProjectView<'_>,
) -> DeploymentModel {
    let mut model = service::lower_view(view);
    super::placeholder::drop_marked(&mut model, files);
    let mut id = "swarm";
    let mut evidence = project_evidence(project, files);
    if evidence.is_empty() {
        id = "swarm-classic";
        evidence = project_classic_evidence(project, files);
    }
    if !evidence.is_empty() {
        model.platform = Some(Platform {
            id,
            candidates: Vec::new(),
            evidence,
        });
    }
    model
}

/// The Swarm evidence of every file of a Compose project.
fn project_evidence(project: &Project, files: &[SpecFile]) -> Vec<Evidence> {
    compose_files(project, files)
        .flat_map(|(f, c)| swarm::file_evidence(f.id, &f.path, c))
        .collect()
}

/// The classic Swarm evidence of every file of a Compose project.
fn project_classic_evidence(project: &Project, files: &[SpecFile]) -> Vec<Evidence> {
    compose_files(project, files)
        .flat_map(|(f, c)| swarm::classic_evidence(f.id, c))
        .collect()
}

fn compose_files<'a>(
    project: &'a Project,
    files: &'a [SpecFile],
) -> impl Iterator<Item = (&'a SpecFile, &'a crate::formats::compose::ComposeFile)> + 'a {
    project
        .files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
        .filter_map(|f| f.compose().map(|c| (f, c)))
}
