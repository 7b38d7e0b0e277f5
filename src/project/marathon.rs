//! Which Marathon files form one project.
//!
//! A file is one project: its group, apps and pods are deployed together (one
//! `POST /v2/groups`, or apps posted side by side). Marathon has no project file, so
//! a directory of single-app files is merged into one project only where its files
//! are tied by `dependencies`: a file whose app or group depends on an id that
//! another file of the same directory defines (or on a group around such an id) is
//! in the same project as that file, transitively. Unrelated files in one directory
//! (test fixtures, examples) stay separate projects, so the advisor does not read a
//! folder of samples as one system. The result depends only on the files' contents
//! and scan order.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::formats::marathon::MarathonFile;
use crate::formats::marathon::path::is_within;
use crate::project::{Project, SpecFile};
use crate::source::{FileId, Format};

pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    let mut by_dir: BTreeMap<PathBuf, Vec<&SpecFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    let mut projects = Vec::new();
    for (root, mut dir_files) in by_dir {
        dir_files.sort_by_key(|f| f.id);
        let defined: Vec<Vec<&str>> = dir_files
            .iter()
            .map(|f| f.marathon().map(defined_ids).unwrap_or_default())
            .collect();
        let needs: Vec<Vec<&str>> = dir_files
            .iter()
            .map(|f| f.marathon().map(dependency_targets).unwrap_or_default())
            .collect();
        let mut parent: Vec<usize> = (0..dir_files.len()).collect();
        for (i, targets) in needs.iter().enumerate() {
            for (j, ids) in defined.iter().enumerate() {
                if i != j
                    && targets
                        .iter()
                        .any(|t| ids.iter().any(|id| is_within(id, t)))
                {
                    union(&mut parent, i, j);
                }
            }
        }
        let mut components: BTreeMap<usize, Vec<FileId>> = BTreeMap::new();
        for (i, f) in dir_files.iter().enumerate() {
            let r = find(&mut parent, i);
            components.entry(r).or_default().push(f.id);
        }
        projects.extend(components.into_values().map(|files| Project {
            root: root.clone(),
            format: Format::Marathon,
            files,
        }));
    }
    projects.sort_by(|a, b| a.files.first().cmp(&b.files.first()));
    projects
}

fn defined_ids(m: &MarathonFile) -> Vec<&str> {
    m.apps
        .iter()
        .filter_map(|a| a.path.as_deref())
        .chain(m.pods.iter().filter_map(|p| p.path.as_deref()))
        .chain(m.groups.iter().map(|g| g.path.as_str()))
        .filter(|p| *p != "/")
        .collect()
}

fn dependency_targets(m: &MarathonFile) -> Vec<&str> {
    m.apps
        .iter()
        .flat_map(|a| a.dependencies.iter())
        .chain(m.groups.iter().flat_map(|g| g.dependencies.iter()))
        .map(|d| d.value.as_str())
        .filter(|d| *d != "/")
        .collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller index stays the root, so components keep scan order.
    if ra < rb {
        parent[rb] = ra;
    } else if rb < ra {
        parent[ra] = rb;
    }
}
