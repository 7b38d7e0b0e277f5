//! Lowering: each format's typed files of one project into the normalized model.
//! Every fact the model records (the platform the specs are for, host counts,
//! backing services) is decided here, once, for rules, the advisor and `files`.

pub(crate) mod brooklyn;
pub(crate) mod compose;
pub(crate) mod flocker;
pub(crate) mod hardening;
pub(crate) mod helm;
pub(crate) mod kubernetes;
pub(crate) mod marathon;
pub(crate) mod placeholder;
pub(crate) mod procfile;

use crate::model::DeploymentModel;
use crate::project::{Project, SpecFile};
use crate::source::Format;

/// Lowers a project's files into the normalized model, with its format's lowering.
/// Counts a comment marks as placeholders are dropped (`placeholder`).
pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let mut model = match project.format {
        // Drops placeholders itself: the engine calls `compose::lower_with`.
        Format::Compose => return compose::lower(project, files),
        Format::Kubernetes => kubernetes::lower(project, files),
        Format::Marathon => marathon::lower(project, files),
        Format::Flocker => flocker::lower(project, files),
        Format::Brooklyn => brooklyn::lower(project, files),
        Format::Procfile => procfile::lower(project, files),
        Format::Helm => helm::lower(project, files),
    };
    placeholder::drop_marked(&mut model, files);
    model
}
