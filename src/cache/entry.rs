//! What the cache stores for one request: every file of the last run with its hash
//! and what the output needs of it, and the clusters with their findings.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Related, RuleMeta, Severity};
use crate::source::{FileId, Format, Span};

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// The request key in full (the file name holds a hash of it).
    pub(crate) key: String,
    /// How many of `files` the walk found; the others are kustomization entries
    /// loaded from outside the scanned paths, in the order they were loaded.
    pub(crate) candidates: usize,
    pub(crate) files: Vec<FileRecord>,
    pub(crate) clusters: Vec<Cluster>,
    /// When the run that wrote the entry started to read the files (nanoseconds
    /// since the Unix epoch): a file changed since is not trusted by its stat.
    pub(crate) started: u64,
}

impl Entry {
    /// Whether a file's stored hash stands for its bytes without reading them: its
    /// stat key is the one recorded, and it was last changed well before the run
    /// that recorded it began reading (a change within the same timestamp tick as
    /// that reading would leave the key as it was: git's "racily clean" files).
    pub(crate) fn trusts(&self, record: &FileRecord, now: Option<&StatKey>) -> bool {
        match (&record.stat, now) {
            (Some(old), Some(now)) => {
                old == now && record.hash.is_some() && now.settled_before(self.started)
            }
            _ => false,
        }
    }
}

/// What `stat` says of a file, compared before its bytes are read (as ruff and
/// git do): size, modification and status-change times, inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StatKey {
    pub(crate) len: u64,
    pub(crate) mtime_ns: u64,
    pub(crate) ctime_ns: u64,
    pub(crate) inode: u64,
}

impl StatKey {
    /// The key of a regular file's metadata; `None` when its times are unknown.
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<StatKey> {
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
        Some(StatKey {
            len: meta.len(),
            mtime_ns,
            ctime_ns,
            inode,
        })
    }

    /// Whether the file last changed well before `t` (nanoseconds since the
    /// epoch): two seconds, the coarsest timestamps file systems keep.
    pub(crate) fn settled_before(&self, t: u64) -> bool {
        const SETTLE_NS: u64 = 2_000_000_000;
        self.mtime_ns.max(self.ctime_ns).saturating_add(SETTLE_NS) < t
    }
}

/// Now, in nanoseconds since the Unix epoch (0 if the clock is before it).
pub(crate) fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

/// One file as the output needs it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct FileRecord {
    pub(crate) path: PathBuf,
    /// Its stat key when its bytes were hashed.
    pub(crate) stat: Option<StatKey>,
    /// `content_hash` of its bytes; `None` when they could not be read (never
    /// reused).
    pub(crate) hash: Option<String>,
    pub(crate) format: Option<Format>,
    pub(crate) skipped: Option<String>,
    pub(crate) text: TextKind,
    /// Whether its bytes may hold a CRD (`may_hold_crd`).
    pub(crate) crd: bool,
    /// What other projects' rules see of its Kubernetes objects
    /// (`kubernetes_exports`).
    pub(crate) exports: Option<String>,
    /// What its Kubernetes objects offer to other projects' lookups.
    pub(crate) answers: super::Answers,
    /// What its Kubernetes objects may look up in other projects.
    pub(crate) lookups: super::Lookups,
}

/// How the scan's text of a file follows from its bytes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) enum TextKind {
    /// No text (a file set aside before reading it).
    Empty,
    /// The bytes as UTF-8, without a byte order mark.
    Whole,
    /// The first n bytes (a file that is not UTF-8 keeps its valid prefix).
    Prefix(usize),
    /// Anything else, kept as is.
    Inline(String),
}

impl TextKind {
    /// How `text` was made from `bytes`.
    pub(crate) fn of(text: &str, bytes: &[u8]) -> TextKind {
        let unmarked = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        if text.is_empty() {
            TextKind::Empty
        } else if text.as_bytes() == unmarked {
            TextKind::Whole
        } else if bytes.starts_with(text.as_bytes()) {
            TextKind::Prefix(text.len())
        } else {
            TextKind::Inline(text.to_string())
        }
    }

    /// The text again, from the same bytes, taking them (a whole file's text is
    /// its buffer, not a copy).
    pub(crate) fn text_of(&self, mut bytes: Vec<u8>) -> Option<String> {
        match self {
            TextKind::Empty => Some(String::new()),
            TextKind::Whole => {
                if bytes.starts_with("\u{feff}".as_bytes()) {
                    bytes.drain(..3);
                }
                String::from_utf8(bytes).ok()
            }
            TextKind::Prefix(n) => {
                bytes.truncate(*n);
                (bytes.len() == *n).then_some(())?;
                String::from_utf8(bytes).ok()
            }
            TextKind::Inline(s) => Some(s.clone()),
        }
    }
}

/// Files whose findings depend only on each other, with those findings.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Cluster {
    /// Indexes into `Entry::files`.
    pub(crate) files: Vec<u32>,
    /// Files read from disk that the walk may not list (each directory's `.env`),
    /// with their hash or `None` when absent.
    pub(crate) probes: Vec<(PathBuf, Option<String>)>,
    pub(crate) diags: Vec<CachedDiag>,
}

/// Every rule this build knows, by `family/name`.
pub(crate) struct RuleCodes(HashMap<String, &'static RuleMeta>);

impl RuleCodes {
    pub(crate) fn new() -> RuleCodes {
        RuleCodes(
            crate::rules::all_meta()
                .into_iter()
                .map(|m| (m.code(), m))
                .collect(),
        )
    }
}

/// A finding with its files as indexes into `Entry::files`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct CachedDiag {
    /// `family/name`.
    rule: String,
    severity: Severity,
    message: String,
    file: u32,
    span: (u32, u32),
    key_path: String,
    label: Option<String>,
    help: Option<String>,
    related: Vec<(u32, (u32, u32), String)>,
    redact: Vec<(u32, u32)>,
    fix: Option<CachedFix>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct CachedFix {
    message: String,
    safe: bool,
    edits: Vec<(u32, (u32, u32), String)>,
}

fn pair(s: Span) -> (u32, u32) {
    (s.start, s.end)
}

fn span((start, end): (u32, u32)) -> Span {
    Span { start, end }
}

impl CachedDiag {
    /// The finding with its files renumbered by `index` (scan id → entry index)
    /// and the key path its file's tree gives it.
    pub(crate) fn of(d: &Diagnostic, key_path: String, index: impl Fn(FileId) -> u32) -> Self {
        CachedDiag {
            rule: d.code(),
            severity: d.severity,
            message: d.message.clone(),
            file: index(d.file),
            span: pair(d.span),
            key_path,
            label: d.label.clone(),
            help: d.help.clone(),
            related: d
                .related
                .iter()
                .map(|r| (index(r.file), pair(r.span), r.message.clone()))
                .collect(),
            redact: d.redact.iter().copied().map(pair).collect(),
            fix: d.fix.as_ref().map(|f| CachedFix {
                message: f.message.clone(),
                safe: f.applicability == Applicability::Safe,
                edits: f
                    .edits
                    .iter()
                    .map(|e| (index(e.file), pair(e.span), e.replacement.clone()))
                    .collect(),
            }),
        }
    }

    /// The name of its rule (without the family).
    pub(crate) fn rule_name(&self) -> &str {
        self.rule.rsplit('/').next().unwrap_or(&self.rule)
    }

    /// The files it names: its own, then the related places'.
    pub(crate) fn files(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.file).chain(self.related.iter().map(|r| r.0))
    }

    /// Whether every file it names is one of the entry's `total` files.
    pub(crate) fn files_within(&self, total: usize) -> bool {
        let ok = |i: u32| (i as usize) < total;
        ok(self.file)
            && self.related.iter().all(|r| ok(r.0))
            && self
                .fix
                .as_ref()
                .is_none_or(|f| f.edits.iter().all(|e| ok(e.0)))
    }

    /// The finding again; `None` when its rule is not one this build knows.
    pub(crate) fn restore(&self, rules: &RuleCodes) -> Option<Diagnostic> {
        let rule = *rules.0.get(&self.rule)?;
        let mut d = Diagnostic::new(
            rule,
            FileId(self.file),
            span(self.span),
            self.message.clone(),
        );
        d.severity = self.severity;
        d.key_path = Some(self.key_path.clone());
        d.label = self.label.clone();
        d.help = self.help.clone();
        d.related = self
            .related
            .iter()
            .map(|(file, s, message)| Related {
                file: FileId(*file),
                span: span(*s),
                message: message.clone(),
            })
            .collect();
        d.redact = self.redact.iter().copied().map(span).collect();
        d.fix = self.fix.as_ref().map(|f| Fix {
            message: f.message.clone(),
            applicability: if f.safe {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
            edits: f
                .edits
                .iter()
                .map(|(file, s, replacement)| Edit {
                    file: FileId(*file),
                    span: span(*s),
                    replacement: replacement.clone(),
                })
                .collect(),
        });
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_kinds_round_trip() {
        let bom = "\u{feff}a: 1\n".as_bytes();
        assert_eq!(TextKind::of("a: 1\n", bom), TextKind::Whole);
        assert_eq!(
            TextKind::Whole.text_of(bom.to_vec()).as_deref(),
            Some("a: 1\n")
        );
        let broken = b"a: 1\n\xff\xfe";
        assert_eq!(TextKind::of("a: 1\n", broken), TextKind::Prefix(5));
        assert_eq!(
            TextKind::Prefix(5).text_of(broken.to_vec()).as_deref(),
            Some("a: 1\n")
        );
        assert_eq!(TextKind::of("", b"x"), TextKind::Empty);
        let odd = TextKind::of("other", b"x");
        assert_eq!(odd.text_of(b"y".to_vec()).as_deref(), Some("other"));
    }

    #[test]
    fn a_finding_survives_the_round_trip() {
        let rules = RuleCodes::new();
        let mut d = Diagnostic::new(
            &crate::diagnostic::builtin::DUPLICATE_KEY,
            FileId(3),
            Span { start: 4, end: 9 },
            "duplicate".into(),
        )
        .with_help("drop one")
        .with_related(FileId(3), Span { start: 0, end: 2 }, "first here");
        d.redact.push(Span { start: 5, end: 6 });
        d.fix_with("remove", Applicability::Unsafe, [(d.span, String::new())]);
        let c = CachedDiag::of(&d, "services.web".into(), |id| id.0 + 10);
        let bytes = postcard::to_allocvec(&c).expect("serializes");
        let back: CachedDiag = postcard::from_bytes(&bytes).expect("parses");
        let r = back.restore(&rules).expect("known rule");
        assert_eq!(r.file, FileId(13));
        assert_eq!(r.code(), d.code());
        assert_eq!(r.span, d.span);
        assert_eq!(r.help.as_deref(), Some("drop one"));
        assert_eq!(r.related[0].file, FileId(13));
        assert_eq!(r.redact, d.redact);
        assert_eq!(r.key_path.as_deref(), Some("services.web"));
        let fix = r.fix.expect("fix kept");
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.edits[0].file, FileId(13));
    }
}
