//! One module per spec format: its typed model read from the tree, project
//! grouping, and lowering into the normalized deployment model.

pub mod brooklyn;
pub mod compose;
pub mod flocker;
pub mod helm;
pub mod kubernetes;
pub mod marathon;
pub mod procfile;
pub mod detect;
mod spec;
pub mod util;

pub use spec::{Project, SpecFile, Typed, group, group_by_directory};

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::diagnostic::builtin::WRONG_TYPE;
use crate::yaml::Node;
use crate::yaml::de::DeError;

/// Turns a deserialization error into a `syntax/wrong-type` finding at its value.
pub fn wrong_type(file: FileId, fallback: &Node, err: DeError, what: &str) -> Diagnostic {
    let span = err.span.unwrap_or(fallback.span);
    Diagnostic::new(&WRONG_TYPE, file, span, format!("{what}: {}", err.message))
}

/// A container's mounts as `(kind, source, target, read-only)` rows, for tests that
/// compare them whole.
#[cfg(test)]
pub(crate) fn mount_rows(
    mounts: &[crate::model::Mount],
) -> Vec<(crate::model::MountKind, Option<&str>, &str, bool)> {
    mounts
        .iter()
        .map(|m| {
            (
                m.kind.clone(),
                m.source.as_deref(),
                m.target.as_str(),
                m.read_only,
            )
        })
        .collect()
}

/// Lowers a project's files into the normalized model, with its format's lowering.
pub fn lower(
    project: &crate::formats::Project,
    files: &[crate::formats::SpecFile],
) -> crate::model::DeploymentModel {
    use crate::source::Format;
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
