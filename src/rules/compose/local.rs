//! Files and folders a Compose project names on the local disk (`env_file`, build
//! contexts), found as Compose finds them, and whether their absence means anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::project::compose::ProjectView;
use crate::project::compose::view::{Layer, Role};
use crate::rules::Context;
use crate::source::FileId;
use crate::source::normalize;

/// What the Compose rules of one scan learn about the disk, shared by every project
/// of the scan (through the scan's `ScanIndex`): a folder's canonical path, whether
/// it holds `.git`, and each project's checkout do not change while a scan runs,
/// and the projects of one tree share their ancestors. A new scan starts empty, so
/// a long-running language server sees folders moved or checkouts made since.
#[derive(Default)]
pub(crate) struct Folders {
    /// A folder as written → its canonical path (`None`: it cannot be resolved).
    canonical: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// A canonical folder → whether it holds `.git`.
    git: Mutex<HashMap<PathBuf, bool>>,
    /// A project's files (by id, the first one its root) → its checkout.
    checkouts: Mutex<HashMap<Vec<FileId>, Option<PathBuf>>>,
    /// An ignore file, with the folder its patterns are relative to → its
    /// patterns (`None`: no such file, or unreadable).
    ignores: Mutex<IgnoreFiles>,
}

type IgnoreFiles = HashMap<(PathBuf, PathBuf), Option<Arc<Gitignore>>>;

impl Folders {
    /// `dir`'s canonical path, resolved once per scan. A folder that is no
    /// symbolic link is its parent's canonical path and its name: the projects of
    /// one tree resolve their common ancestors once, and each own folder with one
    /// `lstat` instead of a `readlink` per component.
    fn canonical(&self, dir: &Path) -> Option<PathBuf> {
        if let Ok(map) = self.canonical.lock()
            && let Some(known) = map.get(dir)
        {
            return known.clone();
        }
        let found = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
                match std::fs::symlink_metadata(parent.join(name)) {
                    Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(dir).ok(),
                    Ok(_) => self.canonical(parent).map(|p| p.join(name)),
                    Err(_) => None,
                }
            }
            _ => std::fs::canonicalize(dir).ok(),
        };
        if let Ok(mut map) = self.canonical.lock() {
            map.insert(dir.to_path_buf(), found.clone());
        }
        found
    }

    /// Whether the folder `dir` holds `.git` (a folder, or the file a worktree
    /// or submodule has), looked at once per scan.
    fn has_git(&self, dir: &Path) -> bool {
        if let Ok(map) = self.git.lock()
            && let Some(known) = map.get(dir)
        {
            return *known;
        }
        let found = dir.join(".git").exists();
        if let Ok(mut map) = self.git.lock() {
            map.insert(dir.to_path_buf(), found);
        }
        found
    }
}

impl Folders {
    /// The patterns of one ignore file, looked at once per scan.
    fn ignore_file(&self, root: PathBuf, file: PathBuf) -> Option<Arc<Gitignore>> {
        let key = (root, file);
        if let Ok(map) = self.ignores.lock()
            && let Some(known) = map.get(&key)
        {
            return known.clone();
        }
        let found = read_ignore_file(&key.0, &key.1);
        if let Ok(mut map) = self.ignores.lock() {
            map.insert(key, found.clone());
        }
        found
    }
}

/// The scan's `Folders` (the rule's own when it runs outside a scan).
pub(super) fn folders(cx: &Context<'_>) -> Arc<Folders> {
    cx.index().compose_dirs.clone()
}

/// Where a project's files stand: the git checkout they belong to. Files read from
/// standard input, or from a folder outside any checkout (specs copied out of their
/// repository, whose sources did not come along), give `None`: a missing file says
/// nothing there.
pub(super) fn checkout(folders: &Folders, view: &ProjectView<'_>) -> Option<PathBuf> {
    let ids: Vec<FileId> = view.files.iter().map(|f| f.spec.id).collect();
    if let Ok(map) = folders.checkouts.lock()
        && let Some(known) = map.get(&ids)
    {
        return known.clone();
    }
    let found = find_checkout(folders, view);
    if let Ok(mut map) = folders.checkouts.lock() {
        map.insert(ids, found.clone());
    }
    found
}

fn find_checkout(folders: &Folders, view: &ProjectView<'_>) -> Option<PathBuf> {
    let first = view.files.first()?;
    if !view.files.iter().all(|f| f.spec.path.is_file()) {
        return None;
    }
    let dir = folders.canonical(&first.spec.dir())?;
    dir.ancestors()
        .find(|a| folders.has_git(a))
        .map(Path::to_path_buf)
}

/// The folder a relative path written in a layer's file resolves against: the
/// included or extended file's own folder, else the project's (the first file's),
/// as Compose resolves the paths of override files against the first file.
fn path_base(folders: &Folders, view: &ProjectView<'_>, layer: &Layer<'_>) -> PathBuf {
    let file = view.file(layer);
    let dir = match file.role {
        Role::Included | Role::ExtendsOnly => file.spec.dir(),
        Role::Base | Role::Override { .. } => view
            .files
            .first()
            .map_or_else(|| file.spec.dir(), |f| f.spec.dir()),
    };
    folders.canonical(&dir).unwrap_or(dir)
}

/// A relative local path written in a layer, interpolated and made absolute: `None`
/// when it uses an unset variable, is empty, absolute (a path of the deploying
/// host), under `~`, or a URL.
pub(super) fn local_path(
    folders: &Folders,
    view: &ProjectView<'_>,
    layer: &Layer<'_>,
    written: &str,
) -> Option<PathBuf> {
    let i = view.interp(layer, written);
    let value = i.value.trim();
    if i.unset || value.is_empty() || value.starts_with('~') || value.contains("://") {
        return None;
    }
    let path = Path::new(value);
    if path.is_absolute() || value.starts_with('\\') || value.get(1..3) == Some(":\\") {
        return None;
    }
    Some(normalize(&path_base(folders, view, layer).join(path)))
}

/// Whether git ignores `path` in the checkout `repo`: a local file by design (a
/// `.env` each developer creates), not one the repository lacks. The `.gitignore`
/// files from the checkout's root down to the path's folder are read, and
/// `.git/info/exclude`; the deepest match wins. `is_dir` says whether the path
/// names a folder (patterns ending in `/` match only folders).
pub(super) fn git_ignored(folders: &Folders, repo: &Path, path: &Path, is_dir: bool) -> bool {
    let Ok(rel) = path.strip_prefix(repo) else {
        return false;
    };
    let mut dirs = vec![repo.to_path_buf()];
    let mut at = repo.to_path_buf();
    if let Some(parent) = rel.parent() {
        for c in parent.components() {
            at.push(c);
            dirs.push(at.clone());
        }
    }
    let mut ignored = false;
    let mut sources: Vec<(PathBuf, PathBuf)> =
        vec![(repo.to_path_buf(), repo.join(".git/info/exclude"))];
    sources.extend(dirs.iter().map(|d| (d.clone(), d.join(".gitignore"))));
    for (root, file) in sources {
        if !path.starts_with(&root) {
            continue;
        }
        let Some(g) = folders.ignore_file(root, file) else {
            continue;
        };
        let m = g.matched_path_or_any_parents(path, is_dir);
        if m.is_ignore() {
            ignored = true;
        } else if m.is_whitelist() {
            ignored = false;
        }
    }
    ignored
}

/// The patterns of one ignore file (`None`: not a file, or unreadable), compiled
/// once per version of the file: every Compose project of a checkout reads the same
/// `.gitignore` files, and compiling their globs cost more than the rule's other
/// work. A file is known by its path, size and modification time, so an edited one
/// (a long-running language server) is read again.
fn read_ignore_file(root: &Path, file: &Path) -> Option<Arc<Gitignore>> {
    type Known = HashMap<(PathBuf, PathBuf), (Option<SystemTime>, u64, Option<Arc<Gitignore>>)>;
    static KNOWN: OnceLock<Mutex<Known>> = OnceLock::new();
    let meta = std::fs::metadata(file).ok().filter(|m| m.is_file())?;
    let version = (meta.modified().ok(), meta.len());
    let known = KNOWN.get_or_init(Mutex::default);
    let key = (root.to_path_buf(), file.to_path_buf());
    if let Ok(map) = known.lock()
        && let Some((modified, len, g)) = map.get(&key)
        && (*modified, *len) == version
    {
        return g.clone();
    }
    let mut b = GitignoreBuilder::new(root);
    let g = match b.add(file) {
        Some(_) => None,
        None => b.build().ok().map(Arc::new),
    };
    if let Ok(mut map) = known.lock() {
        map.insert(key, (version.0, version.1, g.clone()));
    }
    g
}

/// Whether the folder of a missing file holds a template it is meant to be created
/// from (`.env.example` for `.env`, `app.env.sample` or `app.example.env` for
/// `app.env`), as setup instructions ask.
pub(super) fn has_template(path: &Path) -> bool {
    const WORDS: [&str; 7] = [
        "example", "sample", "dist", "template", "tmpl", "tpl", "default",
    ];
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let stem = name
        .trim_start_matches('.')
        .trim_end_matches(".env")
        .to_string();
    let stem = if stem.is_empty() {
        "env".to_string()
    } else {
        stem
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.filter_map(Result::ok).any(|e| {
        let other = e.file_name().to_string_lossy().to_ascii_lowercase();
        other != name && other.contains(&stem) && WORDS.iter().any(|w| other.contains(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_resolve_as_the_file_system_does() {
        let t = tempfile::tempdir().expect("tempdir");
        let root = std::fs::canonicalize(t.path()).expect("canonical");
        std::fs::create_dir_all(root.join("repo/.git")).expect("mkdir");
        std::fs::create_dir_all(root.join("repo/app/api")).expect("mkdir");
        std::fs::create_dir_all(root.join("elsewhere/web")).expect("mkdir");
        let folders = Folders::default();
        let mut dirs = vec![
            root.join("repo/app/api"),
            root.join("repo/app"),
            root.join("repo/app/../app/api"),
            root.join("repo/app/api/."),
            root.join("repo/missing"),
            root.join("elsewhere/web"),
        ];
        #[cfg(unix)]
        {
            // A linked folder resolves to its target, and so do folders below it.
            std::os::unix::fs::symlink(root.join("elsewhere"), root.join("repo/linked"))
                .expect("symlink");
            dirs.extend([
                root.join("repo/linked"),
                root.join("repo/linked/web"),
                root.join("repo/linked/."),
            ]);
        }
        // Asked twice: the second answer comes from the memo.
        for _ in 0..2 {
            for d in &dirs {
                assert_eq!(folders.canonical(d), std::fs::canonicalize(d).ok(), "{d:?}");
            }
        }
        assert!(folders.has_git(&root.join("repo")));
        assert!(!folders.has_git(&root.join("repo/app")));
        #[cfg(unix)]
        assert_eq!(
            folders.canonical(&root.join("repo/linked/web")),
            Some(root.join("elsewhere/web"))
        );
    }
}
