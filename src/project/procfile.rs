//! Procfile projects: a directory's `Procfile` with its `app.json` manifest.

use crate::formats::procfile::{AppJson, Procfile, ProcfileFile};
use crate::project::{Project, SpecFile, group_by_directory};
use crate::source::Format;

/// A Procfile and the `app.json` beside it are one project; each directory is one.
/// The Procfile comes first: it is the main file.
pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    group_by_directory(files, Format::Procfile, |f| {
        f.procfile_model().and_then(procfile_of).is_some()
    })
}

fn procfile_of(p: &ProcfileFile) -> Option<&Procfile> {
    match p {
        ProcfileFile::Procfile(p) => Some(p),
        ProcfileFile::Manifest(_) => None,
    }
}

fn manifest_of(p: &ProcfileFile) -> Option<&AppJson> {
    match p {
        ProcfileFile::Manifest(m) => Some(m),
        ProcfileFile::Procfile(_) => None,
    }
}

/// A project's Procfile and manifest, each with its file.
pub(crate) type Parts<'a> = (
    Option<(&'a SpecFile, &'a Procfile)>,
    Option<(&'a SpecFile, &'a AppJson)>,
);

/// The project's Procfile and manifest, with their files.
pub(crate) fn parts<'a>(project: &Project, files: &'a [SpecFile]) -> Parts<'a> {
    let mut procfile = None;
    let mut manifest = None;
    for id in &project.files {
        let Some(f) = files.get(id.0 as usize) else {
            continue;
        };
        let Some(m) = f.procfile_model() else {
            continue;
        };
        if procfile.is_none()
            && let Some(p) = procfile_of(m)
        {
            procfile = Some((f, p));
        }
        if manifest.is_none()
            && let Some(a) = manifest_of(m)
        {
            manifest = Some((f, a));
        }
    }
    (procfile, manifest)
}
