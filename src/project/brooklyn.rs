//! Brooklyn projects: each blueprint or catalog file is one (Brooklyn deploys one
//! blueprint at a time; a catalog only defines building blocks).

use crate::project::{Project, SpecFile};
use crate::source::Format;

/// Each file is a project.
pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    files
        .iter()
        .map(|f| Project {
            root: f.dir(),
            format: Format::Brooklyn,
            files: vec![f.id],
        })
        .collect()
}
