//! What a walk is asked for and what it finds: the walk's options, a candidate
//! file, and the stamp that tells a changed file from an unchanged one.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Do not honour ignore files (.gitignore, .ignore, .orchlintignore).
    pub no_ignore: bool,
    /// Only paths matching one of these globs (relative to the scanned root).
    pub include: Vec<String>,
    /// Skip paths matching one of these globs.
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are not read.
    pub max_file_size: u64,
    pub follow_symlinks: bool,
    pub threads: usize,
    /// Walk no deeper than this (1: the directory's own files); `None`: no limit.
    pub max_depth: Option<usize>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            no_ignore: false,
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: 10 * 1024 * 1024,
            follow_symlinks: false,
            threads: 0,
            max_depth: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Candidate {
    pub(crate) path: PathBuf,
    pub(crate) size: u64,
    /// Named on the command line rather than found by the walk.
    pub(crate) explicit: bool,
    /// Which of the scanned paths it was found under.
    pub(crate) root: usize,
    /// The size limit that applies to it.
    pub(crate) max_size: u64,
    /// What `stat` said of a regular file when the walk found it, for the
    /// content cache (which then need not ask again).
    pub(crate) stamp: Option<Stamp>,
}

/// A regular file's modification and status-change times (nanoseconds since the
/// Unix epoch) and inode; with its size, what tells a changed file from an
/// unchanged one without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Stamp {
    pub(crate) mtime_ns: u64,
    pub(crate) ctime_ns: u64,
    pub(crate) inode: u64,
}

impl Stamp {
    /// The stamp of a regular file's metadata; `None` for anything else, or when
    /// its times are unknown.
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        if !meta.is_file() {
            return None;
        }
        Stamp::of_any(meta)
    }

    /// The stamp of any metadata (a directory's too); `None` when its times are
    /// unknown.
    pub(crate) fn of_any(meta: &std::fs::Metadata) -> Option<Stamp> {
        let ns = |t: std::time::SystemTime| {
            t.duration_since(std::time::UNIX_EPOCH)
                .ok()
                .and_then(|d| u64::try_from(d.as_nanos()).ok())
        };
        let mtime_ns = ns(meta.modified().ok()?)?;
        #[cfg(unix)]
        let (ctime_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            let ctime = u64::try_from(meta.ctime()).ok()?;
            let nsec = u64::try_from(meta.ctime_nsec()).ok()?;
            (
                ctime.checked_mul(1_000_000_000)?.checked_add(nsec)?,
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (ctime_ns, inode) = (mtime_ns, 0);
        Some(Stamp {
            mtime_ns,
            ctime_ns,
            inode,
        })
    }
}
