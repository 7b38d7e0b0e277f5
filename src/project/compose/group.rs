//! Compose projects: a base file with the override files Compose (or a `-f` habit)
//! layers over it, plus the files it pulls in with `include` and `extends.file`.
//!
//! - `compose.yaml`, `compose.yml`, `docker-compose.yml`, `docker-compose.yaml` are
//!   bases; any other Compose file is a base of its own unless claimed.
//! - In the same directory, `<stem>.override.yml` is an override of the file whose
//!   stem is `<stem>` (`docker-compose.override.yml` of `docker-compose.yml`,
//!   `stack-elk.override.yml` of `stack-elk.yml`); `compose.override.yaml` and
//!   `docker-compose.override.yml` also pair with the other default base name, as
//!   Compose looks the two names up independently. Other alternative files
//!   (`docker-compose.prod.yml`, `docker-compose.traefik.yml`) are projects of their
//!   own: Compose merges them only when asked (`-f`), and the reference rules consult
//!   the base beside them for names (`ProjectView::beside`).
//! - `COMPOSE_FILE` in a directory's `.env`, and each list of the configuration's
//!   `[compose] projects`, name the files Compose merges, in order: those of one
//!   directory form one project, whatever their names.
//! - Files named by `include` or `extends.file` that were scanned join the project.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::formats::compose::interp::{Env, interpolate};
use crate::project::{Project, SpecFile};
use crate::source::{FileId, Format};

pub(crate) use crate::formats::compose::{DEFAULT_STEMS, stem};

/// A standard override (`compose.override.yaml`, `docker-compose.override.yml`, or
/// `<stem>.override.yml`), which Compose applies without being asked.
pub(crate) fn is_standard_override(path: &Path) -> bool {
    stem(path).is_some_and(|s| s.ends_with(".override"))
}

use crate::source::normalize;

/// The path a reference written in `from` names (relative to `from`'s directory),
/// after interpolation with the `.env` of `env_dir`.
pub(crate) fn referenced_path(from: &SpecFile, written: &str, env: &Env) -> PathBuf {
    let written = if written.contains('$') {
        interpolate(written, env).value
    } else {
        written.to_string()
    };
    normalize(&from.dir().join(written))
}

/// The name-derived base of each file that has one, within one directory.
fn name_parents(files: &[&SpecFile]) -> HashMap<FileId, FileId> {
    let mut parents = HashMap::new();
    let stems: Vec<(FileId, String)> = files
        .iter()
        .filter_map(|f| stem(&f.path).map(|s| (f.id, s)))
        .collect();
    // The first file of each stem (default lookup order for the default names).
    let mut by_stem: BTreeMap<&str, FileId> = BTreeMap::new();
    let order = |id: FileId| -> usize {
        let name = files
            .iter()
            .find(|f| f.id == id)
            .and_then(|f| f.path.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match name.as_str() {
            "compose.yaml" => 0,
            "compose.yml" => 1,
            "docker-compose.yml" => 2,
            "docker-compose.yaml" => 3,
            _ => 4,
        }
    };
    for (id, s) in &stems {
        match by_stem.get(s.as_str()) {
            Some(prev) if order(*prev) <= order(*id) => {}
            _ => {
                by_stem.insert(s, *id);
            }
        }
    }
    for (id, s) in &stems {
        // Only `*.override.*` files are merged without being asked.
        if DEFAULT_STEMS.contains(&s.as_str()) || !s.ends_with(".override") {
            continue;
        }
        // The longest other stem that is a prefix at a dot boundary.
        let mut best: Option<(&str, FileId)> = None;
        for (t, tid) in &by_stem {
            if tid == id || t.len() >= s.len() {
                continue;
            }
            if s.starts_with(t)
                && s.as_bytes().get(t.len()) == Some(&b'.')
                && best.is_none_or(|(b, _)| t.len() > b.len())
            {
                best = Some((t, *tid));
            }
        }
        let parent = best.map(|(_, p)| p).or_else(|| {
            // `compose.override.yaml` next to `docker-compose.yml` and vice versa.
            let other = match s.as_str() {
                "compose.override" => "docker-compose",
                "docker-compose.override" => "compose",
                _ => return None,
            };
            by_stem.get(other).copied()
        });
        if let Some(p) = parent {
            parents.insert(*id, p);
        }
    }
    parents
}

/// The files `COMPOSE_FILE` in the directory's `.env` names, in order (the
/// variable's separator is `COMPOSE_PATH_SEPARATOR`, `:` by default); those not
/// scanned are left out.
fn compose_file_list(dir: &Path, by_path: &HashMap<PathBuf, FileId>) -> Vec<FileId> {
    let env = Env::load_dir(dir);
    let Some(list) = env.get("COMPOSE_FILE") else {
        return Vec::new();
    };
    let sep = env
        .get("COMPOSE_PATH_SEPARATOR")
        .filter(|s| !s.is_empty())
        .unwrap_or(":");
    list.split(sep)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter_map(|p| by_path.get(&normalize(&dir.join(p))).copied())
        .collect()
}

/// Points each file of a list Compose merges (`COMPOSE_FILE`, the configuration's
/// `[compose] projects`) at the first, which becomes a root whatever its name
/// would make it. Only the files of this directory are taken.
fn chain(ids: &[FileId], in_dir: &[&SpecFile], parents: &mut HashMap<FileId, FileId>) {
    let ids: Vec<FileId> = ids
        .iter()
        .copied()
        .filter(|id| in_dir.iter().any(|f| f.id == *id))
        .collect();
    let Some((first, rest)) = ids.split_first() else {
        return;
    };
    parents.remove(first);
    for id in rest {
        if id != first {
            parents.insert(*id, *first);
        }
    }
}

/// The files of each configured list, by identity on disk (the configuration's
/// paths are absolute, the scanned ones as the walk found them).
fn configured_lists(files: &[&SpecFile], named: &[Vec<PathBuf>]) -> Vec<Vec<FileId>> {
    let same = |f: &SpecFile, p: &Path| {
        f.path.file_name() == p.file_name()
            && match (std::fs::canonicalize(&f.path), std::fs::canonicalize(p)) {
                (Ok(a), Ok(b)) => a == b,
                _ => normalize(&f.path) == normalize(p),
            }
    };
    named
        .iter()
        .map(|list| {
            list.iter()
                .filter_map(|p| files.iter().find(|f| same(f, p)).map(|f| f.id))
                .collect()
        })
        .collect()
}

pub(crate) fn group(files: &[&SpecFile], named: &[Vec<PathBuf>]) -> Vec<Project> {
    let configured = configured_lists(files, named);
    let mut by_dir: BTreeMap<PathBuf, Vec<&SpecFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    let by_path: HashMap<PathBuf, FileId> =
        files.iter().map(|f| (normalize(&f.path), f.id)).collect();
    let spec = |id: FileId| files.iter().find(|f| f.id == id).copied();

    // Name-derived groups: root -> members (root first).
    let mut groups: Vec<(PathBuf, Vec<FileId>)> = Vec::new();
    for (dir, in_dir) in &by_dir {
        let mut parents = name_parents(in_dir);
        chain(&compose_file_list(dir, &by_path), in_dir, &mut parents);
        for list in &configured {
            chain(list, in_dir, &mut parents);
        }
        let root_of = |mut id: FileId| {
            let mut seen = 0;
            while let Some(p) = parents.get(&id) {
                id = *p;
                seen += 1;
                if seen > in_dir.len() {
                    break;
                }
            }
            id
        };
        let mut members: BTreeMap<FileId, Vec<FileId>> = BTreeMap::new();
        for f in in_dir {
            members.entry(root_of(f.id)).or_default().push(f.id);
        }
        for (root, mut ids) in members {
            ids.retain(|id| *id != root);
            ids.sort_by_key(|id| {
                let f = spec(*id);
                let standard = f.is_some_and(|f| is_standard_override(&f.path));
                let name = f.map(|f| f.display.clone()).unwrap_or_default();
                (!standard, name)
            });
            let mut list = vec![root];
            list.extend(ids);
            groups.push((dir.clone(), list));
        }
    }

    // Sizes before files pulled in by reference join: a lone file stays lone.
    let named_sizes: Vec<usize> = groups.iter().map(|(_, list)| list.len()).collect();

    // Files pulled in by `include` and `extends.file`.
    // Claimed file -> roots of the projects that claim it.
    let mut claimed: HashMap<FileId, Vec<FileId>> = HashMap::new();
    let mut envs: HashMap<PathBuf, Env> = HashMap::new();
    for (root_dir, list) in &mut groups {
        // The `.env` only matters for interpolated reference paths: read it when a
        // file of the project refers to another one.
        let mut env: Option<Env> = None;
        let mut i = 0;
        while i < list.len() {
            let Some(f) = spec(list[i]) else {
                i += 1;
                continue;
            };
            for written in references(f) {
                let env = env.get_or_insert_with(|| {
                    envs.entry(root_dir.clone())
                        .or_insert_with(|| Env::load_dir(root_dir))
                        .clone()
                });
                let target = referenced_path(f, &written, env);
                if let Some(id) = by_path.get(&target)
                    && !list.contains(id)
                {
                    list.push(*id);
                    claimed.entry(*id).or_default().push(list[0]);
                }
            }
            i += 1;
        }
    }
    let mut projects: Vec<Project> = groups
        .into_iter()
        .zip(named_sizes)
        .filter(|((_, list), named_size)| {
            // A lone file that another project pulls in is part of that project, not
            // one of its own (unless the two pull each other in).
            let own = list[0];
            let claimers = claimed.get(&own).map(Vec::as_slice).unwrap_or_default();
            let mutual =
                |root: &FileId| claimed.get(root).is_some_and(|roots| roots.contains(&own));
            *named_size > 1 || !claimers.iter().any(|r| *r != own && !mutual(r))
        })
        .map(|((root, files), _)| Project::new(root, Format::Compose, files))
        .collect();
    projects.sort_by(|a, b| a.files.first().cmp(&b.files.first()));
    projects
}

/// The paths a file names in `include` and `extends.file`, as written.
pub(crate) fn references(f: &SpecFile) -> Vec<String> {
    let Some(c) = f.compose() else {
        return Vec::new();
    };
    let mut out: Vec<String> = c
        .includes
        .iter()
        .flat_map(|i| i.paths.iter().map(|p| p.value.clone()))
        .collect();
    out.extend(
        c.services
            .iter()
            .filter_map(|s| s.extends.as_ref()?.file.as_ref().map(|f| f.value.clone())),
    );
    out
}
