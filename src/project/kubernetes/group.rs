//! Project grouping: the objects of one directory are one project, and a
//! kustomization makes one project of itself and the files it lists.
//!
//! A kustomization reaches files through `resources` (files, and directories whose
//! own kustomization lists more), `components` and patch paths, always relative to
//! its own directory and only among the scanned files. A file several
//! kustomizations reach (a base shared by overlays) goes with the one that reaches
//! the fewest files, which is the base itself; ties go to the kustomization found
//! first. Files no kustomization reaches are grouped by directory.
//!
//! A kustomize Component (`kind: Component`) is deployed only with a
//! kustomization that lists it under `components`: its files join what its first
//! user deploys, the project of the user's first resource directory (the base the
//! component patches and extends) or else the user's own, and the tie says why. A
//! Component no kustomization lists stays a project of its own, which the advisor
//! leaves out: it cannot be deployed alone.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::formats::kubernetes::model::Kustomization;
use crate::project::{Project, SpecFile, Tie, group_by_directory};
use crate::source::normalize;
use crate::source::{FileId, Format};

fn is_kustomization_file(f: &SpecFile) -> bool {
    let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    ) || f.kubernetes().is_some_and(|k| k.kustomization.is_some())
}

/// A kustomize Component: a kustomization whose kind is `Component`.
pub(crate) fn is_component_file(f: &SpecFile) -> bool {
    f.kubernetes().is_some_and(|k| k.kustomization.is_some())
        && f.docs.iter().any(|d| {
            d.get("kind").and_then(|k| k.as_str()) == Some("Component")
                && d.get("apiVersion")
                    .and_then(|v| v.as_str())
                    .is_some_and(|v| v.starts_with("kustomize.config.k8s.io/"))
        })
}

/// The scanned files by normalized path, and the kustomizations by directory.
struct Index<'a> {
    by_path: HashMap<PathBuf, FileId>,
    kustomization_in: HashMap<PathBuf, FileId>,
    files: HashMap<FileId, &'a SpecFile>,
}

impl<'a> Index<'a> {
    fn new(files: &[&'a SpecFile]) -> Self {
        let mut index = Index {
            by_path: HashMap::new(),
            kustomization_in: HashMap::new(),
            files: HashMap::new(),
        };
        for f in files {
            let path = normalize(&f.path);
            if is_kustomization_file(f) {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                index.kustomization_in.entry(dir).or_insert(f.id);
            }
            index.by_path.insert(path, f.id);
            index.files.insert(f.id, f);
        }
        index
    }

    fn kustomization(&self, id: FileId) -> Option<&'a Kustomization> {
        self.files
            .get(&id)
            .and_then(|f| f.kubernetes())
            .and_then(|k| k.kustomization.as_ref())
    }

    fn dir(&self, id: FileId) -> PathBuf {
        self.files
            .get(&id)
            .map(|f| normalize(&f.dir()))
            .unwrap_or_default()
    }

    fn is_component(&self, id: FileId) -> bool {
        self.files.get(&id).is_some_and(|f| is_component_file(f))
    }

    /// The kustomizations of the directories a kustomization lists under
    /// `resources` (or `bases`), in order.
    fn resource_dirs(&self, id: FileId) -> Vec<FileId> {
        let Some(k) = self.kustomization(id) else {
            return Vec::new();
        };
        let base = self.dir(id);
        k.resources
            .iter()
            .filter_map(|e| {
                self.kustomization_in
                    .get(&normalize(&base.join(e.value.trim())))
                    .copied()
            })
            .collect()
    }

    /// The Component kustomizations a kustomization lists under `components`,
    /// with the entry as written.
    fn component_dirs(&self, id: FileId) -> Vec<(FileId, String)> {
        let Some(k) = self.kustomization(id) else {
            return Vec::new();
        };
        let base = self.dir(id);
        k.components
            .iter()
            .filter_map(|e| {
                let c = *self
                    .kustomization_in
                    .get(&normalize(&base.join(e.value.trim())))?;
                self.is_component(c)
                    .then(|| (c, e.value.trim().to_string()))
            })
            .collect()
    }

    fn display(&self, id: FileId) -> String {
        self.files
            .get(&id)
            .map(|f| f.display.clone())
            .unwrap_or_default()
    }

    /// The files a kustomization lists directly (resources, components and patch
    /// files), and the kustomizations of the directories it lists.
    fn direct(&self, id: FileId) -> (Vec<FileId>, Vec<FileId>) {
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        let Some(k) = self.kustomization(id) else {
            return (files, dirs);
        };
        let base = self.dir(id);
        let entries = k.resources.iter().chain(&k.components).chain(&k.patches);
        for entry in entries {
            let value = entry.value.trim();
            if value.contains("://") || value.starts_with("github.com/") {
                continue;
            }
            let target = normalize(&base.join(value));
            if let Some(&f) = self.by_path.get(&target) {
                files.push(f);
            } else if let Some(&k) = self.kustomization_in.get(&target) {
                dirs.push(k);
            }
        }
        (files, dirs)
    }

    /// Every file a kustomization reaches, itself included.
    fn closure(&self, id: FileId) -> BTreeSet<FileId> {
        let mut seen = BTreeSet::from([id]);
        let mut stack = vec![id];
        while let Some(k) = stack.pop() {
            let (files, dirs) = self.direct(k);
            seen.extend(files);
            for d in dirs {
                if seen.insert(d) {
                    stack.push(d);
                }
            }
        }
        seen
    }
}

pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    let index = Index::new(files);
    let mut kustomizations: Vec<FileId> = files
        .iter()
        .filter(|f| is_kustomization_file(f))
        .map(|f| f.id)
        .collect();
    kustomizations.sort();
    let closures: Vec<(FileId, BTreeSet<FileId>)> = kustomizations
        .iter()
        .map(|&k| (k, index.closure(k)))
        .collect();

    // Each reached file goes to the smallest closure holding it.
    let mut owner: BTreeMap<FileId, (usize, FileId)> = BTreeMap::new();
    for (k, closure) in &closures {
        for &f in closure {
            let candidate = if f == *k {
                (0, *k)
            } else {
                (closure.len(), *k)
            };
            owner
                .entry(f)
                .and_modify(|o| *o = (*o).min(candidate))
                .or_insert(candidate);
        }
    }

    // A Component's files go with what its first user deploys.
    let mut component_ties: Vec<(FileId, Tie)> = Vec::new();
    for &c in kustomizations.iter().filter(|&&c| index.is_component(c)) {
        let Some((user, entry)) = kustomizations.iter().find_map(|&u| {
            (u != c)
                .then(|| index.component_dirs(u))
                .and_then(|dirs| dirs.into_iter().find(|(d, _)| *d == c))
                .map(|(_, entry)| (u, entry))
        }) else {
            continue;
        };
        let base = index
            .resource_dirs(user)
            .into_iter()
            .find(|d| *d != c && !index.is_component(*d));
        let target = base
            .and_then(|b| owner.get(&b).map(|(_, o)| *o))
            .or_else(|| owner.get(&user).map(|(_, o)| *o))
            .unwrap_or(user);
        if target == c {
            continue;
        }
        for (_, o) in owner.iter_mut().filter(|(_, (_, o))| *o == c) {
            o.1 = target;
        }
        let with = match base {
            Some(b) => format!(
                ", with the objects of `{}` it patches and extends",
                index.display(b)
            ),
            None => String::new(),
        };
        component_ties.push((
            target,
            Tie {
                from: user,
                to: c,
                why: format!(
                    "kustomization `{}` lists component `{entry}`: a kustomize Component is deployed only with the kustomizations that list it{with}",
                    index.display(user)
                ),
            },
        ));
    }

    let mut projects = Vec::new();
    for &k in kustomizations
        .iter()
        .filter(|&&k| owner.get(&k).is_some_and(|(_, o)| *o == k))
    {
        let mut members: Vec<FileId> = owner
            .iter()
            .filter(|(f, (_, o))| *o == k && **f != k)
            .map(|(f, _)| *f)
            .collect();
        members.sort();
        members.insert(0, k);
        projects.push(Project::new(index.dir(k), Format::Kubernetes, members));
    }
    let from_kustomizations = projects.len();
    let rest: Vec<&SpecFile> = files
        .iter()
        .copied()
        .filter(|f| !owner.contains_key(&f.id))
        .collect();
    projects.extend(group_by_directory(&rest, Format::Kubernetes, |_| false));
    let tied: Vec<bool> = (0..projects.len())
        .map(|i| i >= from_kustomizations)
        .collect();
    let mut projects = super::ties::tie(projects, &tied, &index.files);
    for (target, t) in component_ties {
        if let Some(p) = projects.iter_mut().find(|p| p.files.contains(&target)) {
            p.ties.push(t);
        }
    }
    for p in &mut projects {
        super::ties::mark_alternatives(p, &index.files);
    }
    projects
}

/// The files of a project that its kustomizations name as patches: they change
/// objects defined elsewhere and deploy nothing themselves.
pub(crate) fn patch_files(project: &Project, files: &[SpecFile]) -> HashSet<FileId> {
    let members: Vec<&SpecFile> = project
        .files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
        .collect();
    // Most projects have no kustomization: no index of their paths (this runs for
    // each rule that lists a project's objects).
    let patches_named = |f: &&SpecFile| {
        f.kubernetes()
            .and_then(|k| k.kustomization.as_ref())
            .is_some_and(|k| !k.patches.is_empty())
    };
    if !members.iter().any(patches_named) {
        return HashSet::new();
    }
    let by_path: HashMap<PathBuf, FileId> =
        members.iter().map(|f| (normalize(&f.path), f.id)).collect();
    let mut out = HashSet::new();
    for f in &members {
        let Some(k) = f.kubernetes().and_then(|k| k.kustomization.as_ref()) else {
            continue;
        };
        let base = normalize(&f.dir());
        for p in &k.patches {
            if let Some(&id) = by_path.get(&normalize(&base.join(p.value.trim()))) {
                out.insert(id);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("a/./b/../c.yaml")),
            PathBuf::from("a/c.yaml")
        );
        assert_eq!(
            normalize(Path::new("k/overlays/prod/../../base")),
            PathBuf::from("k/base")
        );
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
    }
}
