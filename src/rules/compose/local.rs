//! Files and folders a Compose project names on the local disk (`env_file`, build
//! contexts), found as Compose finds them, and whether their absence means anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::project::compose::ProjectView;
use crate::project::compose::view::{Layer, Role};
use crate::source::normalize;

/// Where a project's files stand: the git checkout they belong to. Files read from
/// standard input, or from a folder outside any checkout (specs copied out of their
/// repository, whose sources did not come along), give `None`: a missing file says
/// nothing there.
pub(super) fn checkout(view: &ProjectView<'_>) -> Option<PathBuf> {
    let first = view.files.first()?;
    if !view.files.iter().all(|f| f.spec.path.is_file()) {
        return None;
    }
    let dir = std::fs::canonicalize(first.spec.dir()).ok()?;
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The folder a relative path written in a layer's file resolves against: the
/// included or extended file's own folder, else the project's (the first file's),
/// as Compose resolves the paths of override files against the first file.
fn path_base(view: &ProjectView<'_>, layer: &Layer<'_>) -> PathBuf {
    let file = view.file(layer);
    let dir = match file.role {
        Role::Included | Role::ExtendsOnly => file.spec.dir(),
        Role::Base | Role::Override { .. } => view
            .files
            .first()
            .map_or_else(|| file.spec.dir(), |f| f.spec.dir()),
    };
    std::fs::canonicalize(&dir).unwrap_or(dir)
}

/// A relative local path written in a layer, interpolated and made absolute: `None`
/// when it uses an unset variable, is empty, absolute (a path of the deploying
/// host), under `~`, or a URL.
pub(super) fn local_path(
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
    Some(normalize(&path_base(view, layer).join(path)))
}

/// Whether git ignores `path` in the checkout `repo`: a local file by design (a
/// `.env` each developer creates), not one the repository lacks. The `.gitignore`
/// files from the checkout's root down to the path's folder are read, and
/// `.git/info/exclude`; the deepest match wins. `is_dir` says whether the path
/// names a folder (patterns ending in `/` match only folders).
pub(super) fn git_ignored(repo: &Path, path: &Path, is_dir: bool) -> bool {
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
        let Some(g) = read_ignore_file(&root, &file) else {
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
