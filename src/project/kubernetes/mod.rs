//! Kubernetes projects: the objects of a directory, or of a kustomization with what
//! it lists (`group`), and the kustomization entries outside the scanned paths
//! that are loaded to make the project whole (`kustomize`); directory projects
//! of sibling folders tied by references, and alternative manifests (`ties`).

mod group;
pub(crate) mod kustomize;
mod ties;

pub(crate) use group::{group, is_component_file, patch_files};
pub(crate) use ties::tie_keys;

use std::collections::HashSet;

use crate::formats::kubernetes::Object;
use crate::project::{Project, SpecFile};
use crate::source::FileId;

/// The objects of a project that deploy (Kustomize patches left out), with their
/// files, in file order.
pub(crate) fn project_objects<'a>(
    project: &Project,
    files: &'a [SpecFile],
) -> Vec<(&'a SpecFile, &'a Object)> {
    let ids: Vec<FileId> = project.files.clone();
    let patches: HashSet<FileId> = patch_files(project, files);
    let mut out = Vec::new();
    for id in ids {
        if patches.contains(&id) {
            continue;
        }
        let Some(file) = files.get(id.0 as usize) else {
            continue;
        };
        let Some(k) = file.kubernetes() else {
            continue;
        };
        out.extend(k.objects.iter().filter(|o| !o.patch).map(|o| (file, o)));
    }
    out
}

/// Every object of the scan, in this project or another, that is not a Kustomize
/// patch, with its file.
pub(crate) fn scan_objects(files: &[SpecFile]) -> impl Iterator<Item = (&SpecFile, &Object)> {
    files.iter().flat_map(|f| {
        f.kubernetes()
            .into_iter()
            .flat_map(|k| k.objects.iter().filter(|o| !o.patch))
            .map(move |o| (f, o))
    })
}
