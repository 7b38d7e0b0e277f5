//! Helm projects: a chart's directory, with its values files and templates.

use crate::formats::helm::{Chart, HelmFile, chart_dir_of_template};
use crate::project::{Project, SpecFile, group_by_directory};
use crate::source::Format;
use std::path::Path;

/// A chart's directory is a project: the chart first, then its values files.
pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    group_by_directory(files, Format::Helm, |f| {
        matches!(f.helm(), Some(HelmFile::Chart(_)))
    })
}

/// The chart of a project, with its file.
pub(crate) fn chart_of<'a>(
    project: &Project,
    files: &'a [SpecFile],
) -> Option<(&'a SpecFile, &'a Chart)> {
    project.files.iter().find_map(|id| {
        let f = files.get(id.0 as usize)?;
        match f.helm()? {
            HelmFile::Chart(c) => Some((f, c)),
            HelmFile::Values(_) => None,
        }
    })
}

/// The templates of the chart in `dir` that the scan set aside.
pub(crate) fn templates_of<'a>(dir: &Path, files: &'a [SpecFile]) -> Vec<&'a SpecFile> {
    files
        .iter()
        .filter(|f| {
            f.format == Some(Format::Helm)
                && f.helm().is_none()
                && chart_dir_of_template(&f.path).is_some_and(|d| d == dir)
        })
        .collect()
}
