//! Where cache entries live and how they are read and written. One file per
//! request: the segments (each cluster's findings, postcard), then the index
//! (postcard), then a trailer (the index's length and hash, a magic tag). A run
//! reads the index whole and a segment only when it needs it; it writes segments
//! as the scan hands them over (a reused one copied as it was, never decoded and
//! encoded again) into a temporary file that replaces the entry by a rename, so
//! two runs racing each leave a whole entry; a missing, partial or corrupt entry
//! (or segment) reads as no entry.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{Entry, SegRef, Segment};

/// At most this many entries are kept; the least recently written go first.
const MAX_ENTRIES: usize = 64;

/// The first and last bytes of an entry of this layout.
const MAGIC: &[u8; 8] = b"orchlc02";

/// The trailer: the index's length and hash, then `MAGIC`.
const TRAILER: u64 = 24;

/// An index larger than this is not an index this build wrote.
const MAX_INDEX: u64 = 1 << 32;

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

fn check(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
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

    /// The stored entry's index, if there is a readable one for this very
    /// request, with its file open to read segments from.
    pub(crate) fn open(&self) -> Option<(Reader, Entry)> {
        let mut file = File::open(self.file()).ok()?;
        let size = file.metadata().ok()?.len();
        if size < TRAILER + MAGIC.len() as u64 {
            return None;
        }
        let mut head = [0u8; 8];
        file.read_exact(&mut head).ok()?;
        file.seek(SeekFrom::Start(size - TRAILER)).ok()?;
        let mut tail = [0u8; TRAILER as usize];
        file.read_exact(&mut tail).ok()?;
        let word = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&tail[i * 8..i * 8 + 8]);
            u64::from_le_bytes(b)
        };
        let (len, sum) = (word(0), word(1));
        if &head != MAGIC || &tail[16..] != MAGIC || len > MAX_INDEX || len > size - TRAILER {
            return None;
        }
        file.seek(SeekFrom::Start(size - TRAILER - len)).ok()?;
        let mut bytes = vec![0u8; usize::try_from(len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        if check(&bytes) != sum {
            return None;
        }
        let entry: Entry = postcard::from_bytes(&bytes).ok()?;
        let reader = Reader {
            file,
            end: size - TRAILER - len,
        };
        (entry.key == self.key).then_some((reader, entry))
    }

    /// A new entry, written as it comes into a temporary file; `None` (said on
    /// stderr) when the cache directory cannot be written.
    pub(crate) fn writer(&self) -> Option<Writer> {
        let made = std::fs::create_dir_all(&self.dir)
            .and_then(|()| crate::source::atomic::temp_beside(&self.file()));
        match made {
            Ok((tmp, file)) => {
                let mut out = BufWriter::new(file);
                let error = out.write_all(MAGIC).err();
                Some(Writer {
                    tmp,
                    target: self.file(),
                    out,
                    pos: MAGIC.len() as u64,
                    error,
                })
            }
            Err(e) => {
                warn(&self.dir, &e);
                None
            }
        }
    }
}

fn warn(dir: &Path, e: &std::io::Error) {
    eprintln!(
        "orchlint: warning: cannot write the cache in {}: {e}",
        dir.display()
    );
}

/// A stored entry's file, to read segments from.
pub(crate) struct Reader {
    file: File,
    /// Where the segments end (the index begins).
    end: u64,
}

impl Reader {
    /// A segment's bytes as stored, if they are the ones its reference names.
    pub(crate) fn raw(&mut self, seg: &SegRef) -> Option<Vec<u8>> {
        let within = seg.offset >= MAGIC.len() as u64
            && seg
                .offset
                .checked_add(seg.len)
                .is_some_and(|e| e <= self.end);
        if !within {
            return None;
        }
        self.file.seek(SeekFrom::Start(seg.offset)).ok()?;
        let mut bytes = vec![0u8; usize::try_from(seg.len).ok()?];
        self.file.read_exact(&mut bytes).ok()?;
        (check(&bytes) == seg.check).then_some(bytes)
    }
}

/// A segment read back from its bytes.
pub(crate) fn decode(bytes: &[u8]) -> Option<Segment> {
    postcard::from_bytes(bytes).ok()
}

/// An entry being written: segments first, as they come, then the index.
pub(crate) struct Writer {
    tmp: PathBuf,
    target: PathBuf,
    out: BufWriter<File>,
    pos: u64,
    /// The first write that failed: the entry is then not stored.
    error: Option<std::io::Error>,
}

impl Writer {
    /// Appends a segment's bytes as they are; an empty segment takes no room.
    pub(crate) fn raw(&mut self, bytes: &[u8]) -> SegRef {
        if bytes.is_empty() || self.error.is_some() {
            return SegRef::default();
        }
        let seg = SegRef {
            offset: self.pos,
            len: bytes.len() as u64,
            check: check(bytes),
        };
        match self.out.write_all(bytes) {
            Ok(()) => self.pos += seg.len,
            Err(e) => self.error = Some(e),
        }
        seg
    }

    /// Appends a segment; one without findings takes no room.
    pub(crate) fn segment(&mut self, s: &Segment) -> SegRef {
        if s.diags.is_empty() && s.shown.is_empty() {
            return SegRef::default();
        }
        match postcard::to_allocvec(s) {
            Ok(bytes) => self.raw(&bytes),
            Err(e) => {
                self.error = Some(std::io::Error::other(e));
                SegRef::default()
            }
        }
    }

    /// Writes the index and replaces the stored entry with this one; a cache
    /// that cannot be written is only said on stderr.
    pub(crate) fn finish(mut self, entry: &Entry) {
        let dir = self.target.parent().unwrap_or(Path::new(".")).to_path_buf();
        let written = match self.error.take() {
            Some(e) => Err(e),
            None => self.close(entry),
        };
        match written {
            Ok(()) => prune(&dir, MAX_ENTRIES),
            Err(e) => {
                let _ = std::fs::remove_file(&self.tmp);
                warn(&dir, &e);
            }
        }
    }

    fn close(&mut self, entry: &Entry) -> std::io::Result<()> {
        let index = postcard::to_allocvec(entry).map_err(std::io::Error::other)?;
        self.out.write_all(&index)?;
        self.out.write_all(&(index.len() as u64).to_le_bytes())?;
        self.out.write_all(&check(&index).to_le_bytes())?;
        self.out.write_all(MAGIC)?;
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        std::fs::rename(&self.tmp, &self.target)
    }

    /// Gives the entry up: its temporary file goes.
    pub(crate) fn abandon(self) {
        let _ = std::fs::remove_file(&self.tmp);
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
            walk: None,
        }
    }

    impl Store {
        fn save(&self, entry: &Entry) {
            self.writer().expect("writable").finish(entry);
        }

        fn load(&self) -> Option<Entry> {
            self.open().map(|r| r.1)
        }
    }

    #[test]
    fn a_segment_is_read_back_as_written_and_a_damaged_one_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::new(dir.path(), "k".into());
        let mut w = store.writer().expect("writable");
        let shown =
            super::super::Shown::of("a: 1\nb: 2\n", &[crate::source::Span { start: 5, end: 6 }]);
        let seg = w.segment(&Segment {
            diags: Vec::new(),
            shown: vec![(7, shown.clone())],
        });
        let copied = w.raw(b"");
        assert_eq!(copied, SegRef::default(), "an empty segment takes no room");
        let mut e = entry("k");
        e.started = seg.offset;
        w.finish(&e);
        let (mut r, _) = store.open().expect("stored");
        let bytes = r.raw(&seg).expect("the segment");
        let back = decode(&bytes).expect("decodes");
        assert_eq!(back.shown, vec![(7, shown)]);
        // A reference that does not match its bytes, or reaches into the index.
        assert!(
            r.raw(&SegRef {
                check: seg.check ^ 1,
                ..seg
            })
            .is_none()
        );
        assert!(
            r.raw(&SegRef {
                len: seg.len + 8,
                ..seg
            })
            .is_none()
        );
        // A flipped byte in a segment: that segment is refused.
        let file = store.file();
        let mut whole = std::fs::read(&file).expect("written");
        whole[seg.offset as usize + 1] ^= 0xff;
        std::fs::write(&file, &whole).expect("damage");
        assert!(
            store
                .open()
                .expect("the index is whole")
                .0
                .raw(&seg)
                .is_none()
        );
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
        // A flipped byte in the index.
        let mut flipped = whole.clone();
        let at = whole.len() - TRAILER as usize - 1;
        flipped[at] ^= 0xff;
        std::fs::write(&file, &flipped).expect("flip");
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
