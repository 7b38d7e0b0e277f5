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
pub(crate) mod procfile;

use crate::model::DeploymentModel;
use crate::project::{Project, SpecFile};
use crate::source::Format;

/// Lowers a project's files into the normalized model, with its format's lowering.
pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    match project.format {
        Format::Compose => compose::lower(project, files),
        Format::Kubernetes => kubernetes::lower(project, files),
        Format::Marathon => marathon::lower(project, files),
        Format::Flocker => flocker::lower(project, files),
        Format::Brooklyn => brooklyn::lower(project, files),
        Format::Procfile => procfile::lower(project, files),
        Format::Helm => helm::lower(project, files),
    }
}
