//! What a walk saw, kept so that a later run of the same request can list the
//! same files without reading a directory (git's "untracked cache"): every
//! directory the walk entered with its stat, every ignore file that could apply
//! (present with its stat, or absent), and the files it found. Adding, removing
//! or renaming an entry of a directory changes that directory's times; editing
//! an ignore file changes its own. A later run stats all of these; when each is
//! as recorded and settled well before the walk began (the two-second "racily
//! clean" rule the content cache uses for files), the walk would find the same
//! files, and only those files are stat'ed. Anything else walks again.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::path::normalize;
use super::walk_types::{Candidate, Stamp, WalkOptions};

/// The names of the ignore files the walk reads in each directory.
pub(crate) const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".orchlintignore"];

/// The environment that decides which global git configuration and excludes
/// file the walk reads.
const ENV: [&str; 4] = [
    "HOME",
    "XDG_CONFIG_HOME",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
];

/// Two seconds, the coarsest timestamps file systems keep.
const SETTLE_NS: u64 = 2_000_000_000;

/// What `stat` says of a file or directory: size, modification and
/// status-change times, inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Mark {
    len: u64,
    mtime_ns: u64,
    ctime_ns: u64,
    inode: u64,
}

impl Mark {
    fn of(meta: &std::fs::Metadata) -> Option<Mark> {
        let s = Stamp::of_any(meta)?;
        Some(Mark {
            len: meta.len(),
            mtime_ns: s.mtime_ns,
            ctime_ns: s.ctime_ns,
            inode: s.inode,
        })
    }

    /// The mark of a path, following symbolic links; `None` when it is absent
    /// (or unreadable, which the walk treats alike).
    fn at(path: &Path) -> Option<Mark> {
        Mark::of(&std::fs::metadata(path).ok()?)
    }

    /// The mark of a probed path: a `.git` directory counts by its inode alone
    /// (git writes in it all the time; only where the repository is matters).
    fn probe(path: &Path) -> Option<Mark> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() && path.file_name().is_some_and(|n| n == ".git") {
            let inode = Stamp::of_any(&meta)?.inode;
            return Some(Mark {
                len: 0,
                mtime_ns: 0,
                ctime_ns: 0,
                inode,
            });
        }
        Mark::of(&meta)
    }

    fn settled_before(&self, t: u64) -> bool {
        self.mtime_ns.max(self.ctime_ns).saturating_add(SETTLE_NS) < t
    }
}

/// A walk's record (see the module's documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WalkRecord {
    /// When the walk began (nanoseconds since the Unix epoch).
    started: u64,
    /// The values of `ENV`.
    env: Vec<Option<String>>,
    /// Every directory the walk entered.
    dirs: Vec<(PathBuf, Mark)>,
    /// Every ignore file that could apply, and whether it was there.
    probes: Vec<(PathBuf, Option<Mark>)>,
    /// Per scanned path: whether it is a file (named, not walked).
    named: Vec<bool>,
    /// The files found, each with the scanned path it was found under, in order.
    files: Vec<(PathBuf, u32)>,
}

fn env_now() -> Vec<Option<String>> {
    ENV.iter()
        .map(|v| std::env::var_os(v).map(|s| s.to_string_lossy().into_owned()))
        .collect()
}

/// Builds a record as the walk goes (the directories come from its threads).
pub(crate) struct Recorder {
    started: u64,
    /// The cache's directory (absolute), and the working directory.
    skip: Option<(PathBuf, PathBuf)>,
    dirs: std::sync::Mutex<Vec<(PathBuf, Mark)>>,
    probes: std::sync::Mutex<Vec<(PathBuf, Option<Mark>)>>,
    /// Set when something the record cannot stand for was seen.
    refused: std::sync::atomic::AtomicBool,
}

impl Recorder {
    pub(crate) fn new(skip: Option<&Path>) -> Recorder {
        let cwd = std::env::current_dir().unwrap_or_default();
        Recorder {
            started: now_ns(),
            skip: skip.map(|s| (s.to_path_buf(), cwd)),
            dirs: std::sync::Mutex::new(Vec::new()),
            probes: std::sync::Mutex::new(Vec::new()),
            refused: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub(crate) fn refuse(&self) {
        self.refused
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// A directory the walk entered, and the ignore files it may hold (when the
    /// walk honours them).
    pub(crate) fn dir(&self, path: &Path, ignores: bool) {
        if let Some((skip, cwd)) = &self.skip
            && normalize(&cwd.join(path)).starts_with(skip)
        {
            return;
        }
        let Some(mark) = Mark::at(path) else {
            self.refuse();
            return;
        };
        // An ignore file (or `.git`) created in the directory changes the
        // directory itself: only those there are probed again.
        let probes = if ignores {
            probes_in(path, false)
        } else {
            Vec::new()
        };
        match (self.dirs.lock(), self.probes.lock()) {
            (Ok(mut d), Ok(mut p)) => {
                d.push((path.to_path_buf(), mark));
                p.extend(probes);
            }
            _ => self.refuse(),
        }
    }

    /// The ignore files above a scanned directory (its parents, up to the root of
    /// the file system, as the walk reads them) and the global ones.
    pub(crate) fn above(&self, root: &Path) {
        let Ok(abs) = root.canonicalize() else {
            self.refuse();
            return;
        };
        let mut found: Vec<(PathBuf, Option<Mark>)> = abs
            .ancestors()
            .skip(1)
            .flat_map(|d| probes_in(d, true))
            .collect();
        found.extend(global_probes());
        match self.probes.lock() {
            Ok(mut p) => p.extend(found),
            Err(_) => self.refuse(),
        }
    }

    /// The record of a walk that found `found` under `roots` (`None` when it
    /// cannot stand for the walk).
    pub(crate) fn finish(
        self,
        roots: &[(PathBuf, WalkOptions)],
        found: &[Candidate],
    ) -> Option<WalkRecord> {
        if self.refused.into_inner() {
            return None;
        }
        let mut dirs = self.dirs.into_inner().ok()?;
        let mut probes = self.probes.into_inner().ok()?;
        dirs.sort();
        dirs.dedup();
        probes.sort();
        probes.dedup();
        let named = roots.iter().map(|(r, _)| !r.is_dir()).collect();
        let files = found
            .iter()
            .map(|c| Some((c.path.clone(), u32::try_from(c.root).ok()?)))
            .collect::<Option<Vec<_>>>()?;
        Some(WalkRecord {
            started: self.started,
            env: env_now(),
            dirs,
            probes,
            named,
            files,
        })
    }
}

/// The ignore files a directory may hold: its own, and its git repository's
/// `info/exclude` (present or not) when it is the top of one. Its own and its
/// `.git` only when present, unless `absent_too`.
fn probes_in(dir: &Path, absent_too: bool) -> Vec<(PathBuf, Option<Mark>)> {
    let mut out: Vec<(PathBuf, Option<Mark>)> = IGNORE_FILES
        .iter()
        .filter_map(|n| {
            let p = dir.join(n);
            let m = Mark::at(&p);
            (absent_too || m.is_some()).then_some((p, m))
        })
        .collect();
    let git = dir.join(".git");
    let git_mark = Mark::probe(&git);
    if git_mark.is_some() {
        // A `.git` file (a worktree or submodule) names the repository's
        // directory, whose `commondir` names where `info/exclude` is.
        if git.is_file() {
            if let Some(real) = first_line(&git)
                .and_then(|l| l.strip_prefix("gitdir: ").map(|d| dir.join(d.trim_end())))
            {
                let commondir = real.join("commondir");
                out.push((commondir.clone(), Mark::at(&commondir)));
                if let Some(common) = first_line(&commondir) {
                    let exclude = real.join(common.trim_end()).join("info/exclude");
                    out.push((exclude.clone(), Mark::at(&exclude)));
                }
            }
        } else {
            let exclude = git.join("info/exclude");
            out.push((exclude.clone(), Mark::at(&exclude)));
        }
    }
    if absent_too || git_mark.is_some() {
        out.push((git, git_mark));
    }
    out
}

fn first_line(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.lines().next()?.to_string())
}

/// The global git configuration files and excludes file the walk may read.
fn global_probes() -> Vec<(PathBuf, Option<Mark>)> {
    let var = |v: &str| {
        std::env::var_os(v)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
    };
    let home = var("HOME");
    let mut paths: Vec<PathBuf> = Vec::new();
    paths.extend(var("GIT_CONFIG_GLOBAL"));
    paths.push(var("GIT_CONFIG_SYSTEM").unwrap_or_else(|| PathBuf::from("/etc/gitconfig")));
    paths.extend(home.as_ref().map(|h| h.join(".gitconfig")));
    paths.extend(
        var("XDG_CONFIG_HOME")
            .or_else(|| home.as_ref().map(|h| h.join(".config")))
            .map(|c| c.join("git/config")),
    );
    paths.extend(ignore::gitignore::gitconfig_excludes_path());
    paths
        .into_iter()
        .map(|p| {
            let m = Mark::at(&p);
            (p, m)
        })
        .collect()
}

impl WalkRecord {
    /// The files the walk of `roots` would find now, with what `stat` says of
    /// each; `None` when that is not proven (a directory or ignore file changed,
    /// or changed too close to the recorded walk, or a file is gone).
    pub(crate) fn list(&self, roots: &[(PathBuf, WalkOptions)]) -> Option<Vec<Candidate>> {
        let started = self.started;
        let unchanged = |recorded: &Option<Mark>, now: Option<Mark>| {
            *recorded == now && now.is_none_or(|m| m.settled_before(started))
        };
        if self.named.len() != roots.len()
            || roots
                .iter()
                .zip(&self.named)
                .any(|((r, _), &n)| r.is_dir() == n)
            || self.env != env_now()
            || !self
                .probes
                .par_iter()
                .all(|(p, m)| unchanged(m, Mark::probe(p)))
            || !self
                .dirs
                .par_iter()
                .all(|(p, m)| unchanged(&Some(*m), Mark::at(p)))
        {
            return None;
        }
        self.files
            .par_iter()
            .map(|(path, root)| {
                let root = *root as usize;
                let (_, opts) = roots.get(root)?;
                let explicit = self.named[root];
                // As the walk asked: a link is followed only when the walk
                // follows links, or when the file was named.
                let meta = if explicit || opts.follow_symlinks {
                    std::fs::metadata(path)
                } else {
                    std::fs::symlink_metadata(path)
                }
                .ok()?;
                if !meta.is_file() {
                    return None;
                }
                Some(Candidate {
                    path: path.clone(),
                    size: meta.len(),
                    explicit,
                    root,
                    max_size: opts.max_file_size,
                    stamp: Stamp::of(&meta),
                })
            })
            .collect()
    }

    /// Whether every directory and ignore file it holds last changed well
    /// before the walk (else a later run cannot list its files from it).
    pub(crate) fn settled(&self) -> bool {
        let settled = |m: &Mark| m.settled_before(self.started);
        self.dirs.iter().all(|(_, m)| settled(m))
            && self
                .probes
                .iter()
                .all(|(_, m)| m.as_ref().is_none_or(settled))
    }

    /// How many directories it holds.
    pub(crate) fn dirs(&self) -> usize {
        self.dirs.len()
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}
