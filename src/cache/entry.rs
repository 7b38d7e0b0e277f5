//! What the cache stores for one request: an index (every file of the last run
//! with its hash and what other clusters' rules may see of it, the clusters with
//! what ties their findings to other files) read whole, and one segment per
//! cluster (its findings and the lines they show) read only when needed.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Related, RuleMeta, Severity};
use crate::source::discover::Stamp;
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
    /// What the walk saw, to list the same files without walking
    /// (`source::walked`); `None` when it could not be recorded.
    pub(crate) walk: Option<crate::source::walked::WalkRecord>,
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
        Some(StatKey::stamped(meta.len(), Stamp::of(meta)?))
    }

    /// The key of a file of this size and stamp (what the walk saw).
    pub(crate) fn stamped(len: u64, stamp: Stamp) -> StatKey {
        StatKey {
            len,
            mtime_ns: stamp.mtime_ns,
            ctime_ns: stamp.ctime_ns,
            inode: stamp.inode,
        }
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
    /// Its path as the output shows it.
    pub(crate) display: String,
    /// Whether its bytes may hold a CRD (`may_hold_crd`).
    pub(crate) crd: bool,
    /// What other projects' rules see of its Kubernetes objects
    /// (`kubernetes_exports`).
    pub(crate) exports: Option<String>,
    /// What its Kubernetes objects offer to other projects' lookups.
    pub(crate) answers: super::Answers,
    /// What its Kubernetes objects may look up in other projects.
    pub(crate) lookups: super::Lookups,
    /// What may tie its Kubernetes objects to other folders' projects.
    pub(crate) ties: super::TieKeys,
}

/// What the output shows of a file's text: the lines its findings point at, each
/// with a line of context on either side (what the human format prints), kept
/// verbatim at their offsets, so that a reused file's findings are printed
/// without reading the file. The rest of the text is not kept, only its length
/// and its number of lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Shown {
    len: u32,
    newlines: u32,
    /// Runs of whole lines kept: their offset, their first line (0-based: how many
    /// newlines come before them) and their length in `text`.
    runs: Vec<(u32, u32, u32)>,
    text: String,
}

impl Shown {
    /// What to keep of `text` for findings at `spans`.
    pub(crate) fn of(text: &str, spans: &[Span]) -> Shown {
        let len = text.len();
        let mut out = Shown {
            len: u32::try_from(len).unwrap_or(u32::MAX),
            ..Shown::default()
        };
        if spans.is_empty() || len > u32::MAX as usize {
            out.newlines = u32::try_from(text.matches('\n').count()).unwrap_or(u32::MAX);
            return out;
        }
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let last_line = starts.len() - 1;
        out.newlines = u32::try_from(last_line).unwrap_or(u32::MAX);
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let mut wanted: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let start = (s.start as usize).min(len);
                let end = (s.end as usize).clamp(start, len);
                (
                    line_of(start).saturating_sub(1),
                    (line_of(end) + 1).min(last_line),
                )
            })
            .collect();
        wanted.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (first, last) in wanted {
            match merged.last_mut() {
                Some(m) if first <= m.1 + 1 => m.1 = m.1.max(last),
                _ => merged.push((first, last)),
            }
        }
        for (first, last) in merged {
            let from = starts[first];
            let to = starts.get(last + 1).copied().unwrap_or(len);
            out.runs
                .push((from as u32, first as u32, (to - from) as u32));
            out.text.push_str(&text[from..to]);
        }
        out
    }

    /// A text of the file's length and lines that holds the kept lines at their
    /// offsets (the others blank); `None` when the record does not add up.
    pub(crate) fn text(&self) -> Option<String> {
        let mut out = String::with_capacity(self.len as usize);
        let (mut pos, mut lines, mut at) = (0usize, 0usize, 0usize);
        let gap = |out: &mut String, bytes: usize, newlines: usize| -> Option<()> {
            out.extend(std::iter::repeat_n(' ', bytes.checked_sub(newlines)?));
            out.extend(std::iter::repeat_n('\n', newlines));
            Some(())
        };
        for &(offset, first, run_len) in &self.runs {
            let (offset, first, run_len) = (offset as usize, first as usize, run_len as usize);
            gap(
                &mut out,
                offset.checked_sub(pos)?,
                first.checked_sub(lines)?,
            )?;
            let piece = self.text.get(at..at.checked_add(run_len)?)?;
            out.push_str(piece);
            at += run_len;
            pos = offset + run_len;
            lines = first + piece.matches('\n').count();
        }
        gap(
            &mut out,
            (self.len as usize).checked_sub(pos)?,
            (self.newlines as usize).checked_sub(lines)?,
        )?;
        Some(out)
    }
}

/// Files whose findings depend only on each other, and where their findings are.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Cluster {
    /// Indexes into `Entry::files`.
    pub(crate) files: Vec<u32>,
    /// Files read from disk that the walk may not list (each directory's `.env`),
    /// with their hash or `None` when absent.
    pub(crate) probes: Vec<(PathBuf, Option<String>)>,
    /// Where its `Segment` is in the entry's file (empty: no finding).
    pub(crate) seg: SegRef,
    /// Each other file a finding of it names (a related place, a fix's edit),
    /// with the finding's own file: `(own, other)`, both indexes into
    /// `Entry::files`, each pair once. The output takes both in one chunk.
    pub(crate) links: Vec<(u32, u32)>,
    /// Whether a finding of it names "did you mean" objects beside its project.
    pub(crate) hinted: bool,
}

/// Where a segment lies in an entry's file: its offset, its length and a hash of
/// its bytes (a segment that does not match is refused, not trusted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SegRef {
    pub(crate) offset: u64,
    pub(crate) len: u64,
    pub(crate) check: u64,
}

/// What a cluster found: its findings, and what the output shows of each file
/// they point at (`Shown`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Segment {
    pub(crate) diags: Vec<CachedDiag>,
    pub(crate) shown: Vec<(u32, Shown)>,
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

    /// The index of its own file.
    pub(crate) fn own(&self) -> u32 {
        self.file
    }

    /// The files it names: its own, then the related places' and its fix's.
    pub(crate) fn files(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.file)
            .chain(self.related.iter().map(|r| r.0))
            .chain(self.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.0)))
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

    /// The finding again, taking this record's strings.
    pub(crate) fn into_diagnostic(self, rules: &RuleCodes) -> Option<Diagnostic> {
        let rule = *rules.0.get(&self.rule)?;
        let mut d = Diagnostic::new(rule, FileId(self.file), span(self.span), self.message);
        d.severity = self.severity;
        d.key_path = Some(self.key_path);
        d.label = self.label;
        d.help = self.help;
        d.related = self
            .related
            .into_iter()
            .map(|(file, s, message)| Related {
                file: FileId(file),
                span: span(s),
                message,
            })
            .collect();
        d.redact = self.redact.into_iter().map(span).collect();
        d.fix = self.fix.map(|f| Fix {
            message: f.message,
            applicability: if f.safe {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
            edits: f
                .edits
                .into_iter()
                .map(|(file, s, replacement)| Edit {
                    file: FileId(file),
                    span: span(s),
                    replacement,
                })
                .collect(),
        });
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column of every offset of `text`, as the reports compute them.
    fn places(text: &str, offsets: &[u32]) -> Vec<crate::source::LineCol> {
        let index = crate::source::LineIndex::new(text);
        offsets.iter().map(|&o| index.line_col(text, o)).collect()
    }

    #[test]
    fn shown_lines_keep_their_places_and_nothing_else() {
        let text = "a: 1\nb: é2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: secret\ni: 9";
        let at = |s: &str| text.find(s).expect("in text") as u32;
        let span = Span {
            start: at("é2"),
            end: at("é2") + 3,
        };
        let end = Span {
            start: at("9"),
            end: text.len() as u32,
        };
        let shown = Shown::of(text, &[span, end]);
        let back = shown.text().expect("adds up");
        assert_eq!(back.len(), text.len());
        assert_eq!(back.matches('\n').count(), text.matches('\n').count());
        // The lines around each finding are the file's own; the others are not kept.
        for kept in ["a: 1\n", "b: é2\n", "c: 3\n", "h: secret\n", "i: 9"] {
            assert_eq!(&back[at(kept) as usize..][..kept.len()], kept);
        }
        assert!(!back.contains("e: 5") && !back.contains("f: 6"), "{back:?}");
        let offsets = [span.start, span.end, end.start, end.end];
        assert_eq!(places(&back, &offsets), places(text, &offsets));
        let bytes = postcard::to_allocvec(&shown).expect("serializes");
        let read: Shown = postcard::from_bytes(&bytes).expect("parses");
        assert_eq!(read.text().as_deref(), Some(back.as_str()));
        // No finding: nothing kept but the length and the lines.
        let none = Shown::of(text, &[]);
        assert_eq!(none.text().map(|t| t.len()), Some(text.len()));
        assert!(none.text.is_empty());
        // A record that does not add up is refused, not trusted.
        let broken = Shown {
            len: 3,
            ..shown.clone()
        };
        assert!(broken.text().is_none());
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
        let r = back.into_diagnostic(&rules).expect("known rule");
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
