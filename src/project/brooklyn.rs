//! Brooklyn projects: each blueprint or catalog file is one (Brooklyn deploys one
//! blueprint at a time; a catalog only defines building blocks), except where
//! blueprints of one directory are tied by what they reference:
//!
//! - an entity's `$brooklyn:entity("id")` / `$brooklyn:component("id")` names an
//!   id its own file does not define and exactly one other file of the directory
//!   does (the blueprints are deployed into one application);
//!
//! The reason names the locations the two files share, when they do. A location
//! alone ties nothing, not even a Clocker Docker cloud one file offers
//! (`entity.dynamicLocation.name`) and others deploy to: every sample application
//! of a folder targets the same cloud, and two clouds (Calico, Weave) offering one
//! location name are alternatives.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::formats::brooklyn::{BrooklynFile, Entity};
use crate::project::{Project, SpecFile, Tie};
use crate::source::{FileId, Format};

fn entities(b: &BrooklynFile) -> Vec<&Entity> {
    b.blueprints
        .iter()
        .flat_map(|bp| bp.services.iter())
        .flat_map(Entity::walk)
        .collect()
}

fn ids(b: &BrooklynFile) -> Vec<&str> {
    entities(b)
        .iter()
        .filter_map(|e| e.id.as_ref().map(|i| i.value.as_str()))
        .collect()
}

fn locations(b: &BrooklynFile) -> Vec<&str> {
    b.blueprints
        .iter()
        .flat_map(|bp| bp.locations.iter())
        .chain(entities(b).into_iter().flat_map(|e| e.locations.iter()))
        .map(|l| l.spec.value.as_str())
        .collect()
}

/// Files of one directory tied by references; every other file alone.
pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    let mut by_dir: BTreeMap<PathBuf, Vec<&SpecFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    let mut projects = Vec::new();
    for (root, mut dir_files) in by_dir {
        dir_files.sort_by_key(|f| f.id);
        let n = dir_files.len();
        let mut parent: Vec<usize> = (0..n).collect();
        let mut ties: Vec<Tie> = Vec::new();
        for i in 0..n {
            let Some(bi) = dir_files[i].brooklyn() else {
                continue;
            };
            let own = ids(bi);
            for e in entities(bi) {
                for r in &e.refs {
                    if own.contains(&r.value.as_str()) {
                        continue;
                    }
                    let holders: Vec<usize> = (0..n)
                        .filter(|&j| {
                            j != i
                                && dir_files[j]
                                    .brooklyn()
                                    .is_some_and(|b| ids(b).contains(&r.value.as_str()))
                        })
                        .collect();
                    if let [j] = holders.as_slice() {
                        union(&mut parent, i, *j);
                        let theirs = dir_files[*j].brooklyn().map(locations).unwrap_or_default();
                        let mut shared: Vec<&str> = locations(bi)
                            .into_iter()
                            .filter(|l| theirs.contains(l))
                            .collect();
                        shared.dedup();
                        let mut why = format!("refers to entity `{}`, defined there", r.value);
                        if !shared.is_empty() {
                            why.push_str(&format!("; both deploy to `{}`", shared.join("`, `")));
                        }
                        ties.push(Tie {
                            from: dir_files[i].id,
                            to: dir_files[*j].id,
                            why,
                        });
                    }
                }
            }
        }
        let mut components: BTreeMap<usize, Vec<FileId>> = BTreeMap::new();
        for (i, f) in dir_files.iter().enumerate() {
            let r = find(&mut parent, i);
            components.entry(r).or_default().push(f.id);
        }
        projects.extend(components.into_values().map(|files| {
            let mut p = Project::new(root.clone(), Format::Brooklyn, files);
            p.ties = ties
                .iter()
                .filter(|t| p.files.contains(&t.from))
                .cloned()
                .collect();
            p
        }));
    }
    projects.sort_by(|a, b| a.files.first().cmp(&b.files.first()));
    projects
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
    if ra < rb {
        parent[rb] = ra;
    } else if rb < ra {
        parent[ra] = rb;
    }
}
