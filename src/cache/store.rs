//! Where cache entries live and how they are read and written: one JSON file per
//! request (postcard: compact and quick to read back), replaced atomically (temporary file + rename), so two runs racing each
//! leave a whole entry; a missing, partial or corrupt entry reads as no entry.

use std::path::{Path, PathBuf};

use super::Entry;

/// At most this many entries are kept; the least recently written go first.
const MAX_ENTRIES: usize = 64;

/// The directory entries live in when neither `--cache-dir` nor
/// `ORCHLINT_CACHE_DIR` names one: the platform's cache directory
/// (`$XDG_CACHE_HOME` or `~/.cache` on Linux, `~/Library/Caches` on macOS,
/// `%LOCALAPPDATA%` on Windows), then `orchlint`.
pub(crate) fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ORCHLINT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    dirs::cache_dir().map(|d| d.join("orchlint"))
}

/// The entry of one request in a cache directory.
pub(crate) struct Store {
    dir: PathBuf,
    key: String,
}

impl Store {
    pub(crate) fn new(dir: &Path, key: String) -> Store {
        Store {
            dir: dir.to_path_buf(),
            key,
        }
    }

    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    fn file(&self) -> PathBuf {
        self.dir
            .join(format!("{}.bin", super::content_hash(self.key.as_bytes())))
    }

    /// The stored entry, if there is a readable one for this very request.
    pub(crate) fn load(&self) -> Option<Entry> {
        let bytes = std::fs::read(self.file()).ok()?;
        let entry: Entry = postcard::from_bytes(&bytes).ok()?;
        (entry.key == self.key).then_some(entry)
    }

    /// Stores the entry; a cache that cannot be written is only said on stderr.
    pub(crate) fn save(&self, entry: &Entry) {
        let written = std::fs::create_dir_all(&self.dir).and_then(|()| {
            let bytes = postcard::to_allocvec(entry).map_err(std::io::Error::other)?;
            crate::source::atomic::write(&self.file(), &bytes)
        });
        match written {
            Ok(()) => prune(&self.dir, MAX_ENTRIES),
            Err(e) => eprintln!(
                "orchlint: warning: cannot write the cache in {}: {e}",
                self.dir.display()
            ),
        }
    }
}

/// The entry files of a cache directory, newest first.
fn entries(dir: &Path) -> Vec<(PathBuf, std::time::SystemTime)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, std::time::SystemTime)> = read
        .flatten()
        .map(|e| e.path())
        .filter(|p| is_entry(p))
        .filter_map(|p| {
            let t = std::fs::metadata(&p).and_then(|m| m.modified()).ok()?;
            Some((p, t))
        })
        .collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.1));
    out
}

/// An entry file, or a temporary one a run left behind.
fn is_entry(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    (name.len() == 36 && name.ends_with(".bin"))
        || (name.starts_with('.') && name.ends_with(".tmp") && name.contains(".orchlint-"))
}

/// Removes all but the `keep` newest entries.
fn prune(dir: &Path, keep: usize) {
    for (p, _) in entries(dir).into_iter().skip(keep) {
        let _ = std::fs::remove_file(p);
    }
}

/// `orchlint clean`: removes every entry of the directory, and the directory when
/// nothing else is left in it. Returns how many files and bytes went.
pub(crate) fn clean(dir: &Path) -> std::io::Result<(usize, u64)> {
    let mut files = 0;
    let mut bytes = 0;
    for (p, _) in entries(dir) {
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        std::fs::remove_file(&p)?;
        files += 1;
        bytes += len;
    }
    // Only an empty directory goes: a `--cache-dir` shared with other files stays.
    let _ = std::fs::remove_dir(dir);
    Ok((files, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str) -> Entry {
        Entry {
            key: key.into(),
            candidates: 0,
            files: Vec::new(),
            clusters: Vec::new(),
            started: 0,
        }
    }

    #[test]
    fn an_entry_is_read_back_only_by_its_request() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path(), "request one".into());
        assert!(store.load().is_none(), "nothing stored yet");
        store.save(&entry("request one"));
        assert_eq!(store.load().map(|e| e.key).as_deref(), Some("request one"));
        assert!(
            Store::new(dir.path(), "request two".into())
                .load()
                .is_none()
        );
    }

    #[test]
    fn a_corrupt_or_partial_entry_is_a_miss() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path(), "k".into());
        store.save(&entry("k"));
        let file = store.file();
        let whole = std::fs::read(&file).expect("written");
        std::fs::write(&file, &whole[..whole.len() / 2]).expect("truncate");
        assert!(store.load().is_none());
        std::fs::write(&file, b"\xff\xff\xff\xff\x0fgarbage").expect("garbage");
        assert!(store.load().is_none());
    }

    #[test]
    fn clean_removes_entries_and_says_how_many() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = dir.path().join("cache");
        Store::new(&cache, "a".into()).save(&entry("a"));
        Store::new(&cache, "b".into()).save(&entry("b"));
        let (files, bytes) = clean(&cache).expect("cleaned");
        assert_eq!(files, 2);
        assert!(bytes > 0);
        assert!(!cache.exists(), "the emptied directory goes too");
    }

    #[test]
    fn prune_keeps_the_newest() {
        let dir = tempfile::tempdir().expect("temp dir");
        for k in ["a", "b", "c"] {
            Store::new(dir.path(), k.into()).save(&entry(k));
        }
        prune(dir.path(), 1);
        assert_eq!(entries(dir.path()).len(), 1);
    }
}
