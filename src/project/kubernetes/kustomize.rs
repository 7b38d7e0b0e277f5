//! Where a kustomization's entries lead on disk.
//!
//! Grouping (`group.rs`) ties a kustomization to the scanned files it lists. Two
//! things need the disk as well: entries that lead to files the scan did not reach
//! (a base outside the scanned folder, inside the same repository), which the
//! engine then loads so the project is whole; and entries that lead nowhere, which
//! `kustomize build` would refuse.

use std::path::{Path, PathBuf};

use crate::formats::kubernetes::model::Kustomization;
use crate::project::SpecFile;
use crate::source::Spanned;
use crate::source::normalize;

/// The names a kustomization file may have.
pub(crate) const KUSTOMIZATION_NAMES: &[&str] =
    &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Entries that are not local paths: remote bases (`https://...`,
/// `github.com/org/repo//dir?ref=v1`, `git@...`).
pub(crate) fn is_remote(entry: &str) -> bool {
    let e = entry.trim();
    e.contains("://") || e.starts_with("github.com/") || e.starts_with("git@")
}

/// Every local entry of a kustomization: resources (and `bases`), components and
/// patch files.
pub(crate) fn local_entries(k: &Kustomization) -> impl Iterator<Item = &Spanned<String>> {
    k.resources
        .iter()
        .chain(&k.components)
        .chain(&k.patches)
        .filter(|e| !is_remote(&e.value))
}

/// What an entry names, relative to the kustomization's directory.
pub(crate) fn target(kustomization: &SpecFile, entry: &str) -> PathBuf {
    normalize(&kustomization.dir().join(entry.trim()))
}

/// The kustomization file a directory holds.
pub(crate) fn kustomization_in(dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_NAMES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// The repository a path is in: the nearest directory above it holding `.git`.
fn repository_of(path: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(path).ok()?;
    abs.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Files the scanned kustomizations list that the scan did not load, inside the
/// kustomization's repository (never outside it): listed files, and the
/// kustomization of a listed directory. Each with the index (in `files`) of the
/// kustomization that lists it.
pub(crate) fn unscanned_targets(files: &[SpecFile]) -> Vec<(usize, PathBuf)> {
    let loaded: std::collections::HashSet<PathBuf> =
        files.iter().map(|f| normalize(&f.path)).collect();
    let mut out: Vec<(usize, PathBuf)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let Some(k) = f.kubernetes().and_then(|k| k.kustomization.as_ref()) else {
            continue;
        };
        let mut repo: Option<Option<PathBuf>> = None;
        for entry in local_entries(k) {
            let t = target(f, &entry.value);
            let file = if t.is_dir() {
                match kustomization_in(&t) {
                    Some(k) => normalize(&k),
                    None => continue,
                }
            } else if t.is_file() {
                t
            } else {
                continue;
            };
            if loaded.contains(&file) || out.iter().any(|(_, p)| *p == file) {
                continue;
            }
            let root = repo.get_or_insert_with(|| repository_of(&f.dir()));
            let inside = root
                .as_ref()
                .is_some_and(|r| std::fs::canonicalize(&file).is_ok_and(|abs| abs.starts_with(r)));
            if inside {
                out.push((i, file));
            }
        }
    }
    out
}

/// Local entries of a kustomization that name nothing on disk. Empty when the
/// kustomization itself is not on disk (read from stdin).
pub(crate) fn missing_entries<'a>(f: &SpecFile, k: &'a Kustomization) -> Vec<&'a Spanned<String>> {
    if !f.path.is_file() {
        return Vec::new();
    }
    local_entries(k)
        .filter(|e| !e.value.trim().is_empty() && !target(f, &e.value).exists())
        .collect()
}
