//! A cached run's first scan (or one that cannot reuse anything): the streamed
//! scan, each chunk recorded as it goes by — its files' records kept for the
//! index, its clusters' findings written to the entry's file at once — and
//! handed on to the caller's sink. Nothing of a chunk is held after it.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::{Hashed, Run, hash_path, probe, too_large};
use crate::cache::{self, CachedDiag, Cluster, Entry, FileRecord, Segment, Shown, StatKey, Writer};
use crate::diagnostic::Diagnostic;
use crate::engine::chunked::{ChunkSink, run_streamed_on};
use crate::engine::{CacheUse, Scan};
use crate::project::{Project, SpecFile};
use crate::source::discover::WalkError;
use crate::source::{FileId, Span};

/// Scans everything into `sink` and stores what it found.
pub(super) fn full(
    run: &Run<'_>,
    stats: &[Option<StatKey>],
    walk_errors: Vec<WalkError>,
    sink: &mut dyn ChunkSink,
) -> Result<CacheUse, String> {
    let mut rec = Recorder {
        run,
        stats,
        by_path: run
            .cands
            .iter()
            .enumerate()
            .map(|(i, c)| (c.path.as_path(), i))
            .collect(),
        writer: run.store.writer(),
        records: vec![None; run.cands.len()],
        extras: Vec::new(),
        clusters: Vec::new(),
        scanned: 0,
        refused: false,
        inner: sink,
    };
    let streamed = run_streamed_on(
        run.req,
        run.cands,
        walk_errors,
        run.key_paths,
        run.sizes.chunk_bytes,
        &mut rec,
    );
    let scanned = rec.scanned;
    match streamed {
        Ok(_) => rec.store(),
        Err(e) => {
            if let Some(w) = rec.writer.take() {
                w.abandon();
            }
            return Err(e);
        }
    }
    Ok(CacheUse {
        scanned,
        reused: 0,
        hashed: scanned,
    })
}

/// The sink between the streamed scan and the caller's: records each chunk.
struct Recorder<'a, 'r> {
    run: &'a Run<'r>,
    stats: &'a [Option<StatKey>],
    by_path: HashMap<&'a Path, usize>,
    /// `None`: the entry is not stored (the cache cannot be written).
    writer: Option<Writer>,
    /// The walk's files' records, by index in the walk.
    records: Vec<Option<FileRecord>>,
    /// Files the scan loaded beyond the walk's (kustomization entries from
    /// outside the scanned paths), in order.
    extras: Vec<FileRecord>,
    clusters: Vec<Cluster>,
    /// Files scanned so far.
    scanned: usize,
    /// A chunk had suppressed findings (the cache keeps none): not stored.
    refused: bool,
    inner: &'a mut dyn ChunkSink,
}

impl Recorder<'_, '_> {
    /// Writes the index and puts the entry in place, when every file was
    /// recorded.
    fn store(mut self) {
        let Some(writer) = self.writer.take() else {
            return;
        };
        let records: Option<Vec<FileRecord>> =
            std::mem::take(&mut self.records).into_iter().collect();
        match records {
            Some(mut files) if !self.refused => {
                let candidates = files.len();
                files.append(&mut self.extras);
                writer.finish(&Entry {
                    key: self.run.store.key().to_string(),
                    candidates,
                    files,
                    clusters: std::mem::take(&mut self.clusters),
                    started: self.run.started,
                    walk: self.run.walk.clone(),
                });
            }
            _ => writer.abandon(),
        }
    }
}

impl ChunkSink for Recorder<'_, '_> {
    fn restart(&mut self) {
        if let Some(w) = self.writer.take() {
            w.abandon();
            self.writer = self.run.store.writer();
        }
        self.records.iter_mut().for_each(|r| *r = None);
        self.extras.clear();
        self.clusters.clear();
        self.scanned = 0;
        self.refused = false;
        self.inner.restart();
    }

    fn chunk(&mut self, chunk: Scan) -> Result<(), String> {
        self.inner.chunk(chunk)
    }

    fn scanned(&mut self, scan: &Scan) {
        self.scanned += scan.files.len();
        // Suppressed findings (shown in JSON and SARIF) are not kept in an
        // entry: a scan that has any is not stored, and is made whole again
        // next time.
        if !scan.suppressed.is_empty() {
            self.refused = true;
        }
        if self.refused || self.writer.is_none() {
            return;
        }
        let n = self.records.len();
        let mut extra = n + self.extras.len();
        let global: Vec<usize> = scan
            .files
            .iter()
            .map(|f| {
                self.by_path
                    .get(f.path.as_path())
                    .copied()
                    .unwrap_or_else(|| {
                        extra += 1;
                        extra - 1
                    })
            })
            .collect();
        let (cands, stats) = (self.run.cands, self.stats);
        let records: Vec<FileRecord> = scan
            .files
            .par_iter()
            .zip(&global)
            .map(|(f, &i)| {
                let h = match cands.get(i) {
                    Some(c) if c.size > c.max_size => Hashed {
                        bytes: None,
                        hash: Some(too_large(c.size)),
                        stat: None,
                        trusted: false,
                    },
                    // The text is the file's bytes when it is as long as the
                    // walk saw the file (not so without a byte order mark).
                    Some(c) if f.skipped.is_none() && c.size == f.text.len() as u64 => Hashed {
                        bytes: None,
                        hash: Some(cache::content_hash(f.text.as_bytes())),
                        stat: None,
                        trusted: false,
                    },
                    _ => hash_path(&f.path),
                };
                let stat = stats.get(i).copied().flatten();
                record(f, &Hashed { stat, ..h }, None)
            })
            .collect();
        for (r, &i) in records.into_iter().zip(&global) {
            match self.records.get_mut(i) {
                Some(slot) => *slot = Some(r),
                None => self.extras.push(r),
            }
        }
        let made = clusters_of(&scan.files, &scan.projects, &scan.diagnostics, |l| {
            global[l]
        });
        if let Some(w) = &mut self.writer {
            for (mut c, seg) in made {
                c.seg = w.segment(&seg);
                self.clusters.push(c);
            }
        }
    }
}

/// What the cache keeps of a scanned file; whether it may define a CRD follows
/// from its text, else its bytes, else (a trusted file, not read) its previous
/// record.
pub(super) fn record(f: &SpecFile, h: &Hashed, prev: Option<&FileRecord>) -> FileRecord {
    let crd = if f.skipped.is_none() {
        cache::may_hold_crd(f.text.as_bytes())
    } else {
        match (&h.bytes, prev) {
            (Some(b), _) => cache::may_hold_crd(b),
            (None, Some(p)) => p.crd,
            (None, None) => cache::may_hold_crd(f.text.as_bytes()),
        }
    };
    FileRecord {
        path: f.path.clone(),
        stat: h.stat,
        hash: h.hash.clone(),
        format: f.format,
        skipped: f.skipped.clone(),
        display: f.display.clone(),
        crd,
        exports: cache::kubernetes_exports(f),
        answers: cache::Answers::of(f),
        lookups: cache::Lookups::of(f),
        ties: cache::TieKeys::of(f),
    }
}

/// Every place findings point at, per file (by index in the scan): their own
/// spans, related places and fix edits.
fn spans_by_file(diags: &[Diagnostic], files: usize) -> Vec<Vec<Span>> {
    let mut out = vec![Vec::new(); files];
    let mut add = |id: FileId, span: Span| {
        if let Some(v) = out.get_mut(id.0 as usize) {
            v.push(span);
        }
    };
    for d in diags {
        add(d.file, d.span);
        for r in &d.related {
            add(r.file, r.span);
        }
        for e in d.fix.iter().flat_map(|f| &f.edits) {
            add(e.file, e.span);
        }
    }
    out
}

/// The clusters of scanned files, each with its segment (its findings, and the
/// lines they show of its files); `global` turns a file's index in `files` into
/// its index in the entry.
pub(super) fn clusters_of(
    files: &[SpecFile],
    projects: &[Project],
    diags: &[Diagnostic],
    global: impl Fn(usize) -> usize + Sync,
) -> Vec<(Cluster, Segment)> {
    let groups = cache::clusters::of(files, projects);
    let mut cluster_of = vec![0usize; files.len()];
    for (c, members) in groups.iter().enumerate() {
        for &i in members {
            cluster_of[i] = c;
        }
    }
    let spans = spans_by_file(diags, files.len());
    let mut out: Vec<(Cluster, Segment)> = groups
        .par_iter()
        .map(|members| {
            let cluster = Cluster {
                files: members.iter().map(|&i| global(i) as u32).collect(),
                probes: cache::clusters::probes(files, members)
                    .into_iter()
                    .map(|p| {
                        let h = probe(&p);
                        (p, h)
                    })
                    .collect(),
                seg: cache::SegRef::default(),
                links: Vec::new(),
                hinted: false,
            };
            let shown = members
                .iter()
                .filter(|&&i| !spans[i].is_empty())
                .map(|&i| (global(i) as u32, Shown::of(&files[i].text, &spans[i])))
                .collect();
            (
                cluster,
                Segment {
                    diags: Vec::new(),
                    shown,
                },
            )
        })
        .collect();
    for d in diags {
        let i = d.file.0 as usize;
        let key_path = crate::keypath::of(d, &files[i].docs);
        let c = CachedDiag::of(d, key_path, |id| global(id.0 as usize) as u32);
        let (cluster, seg) = &mut out[cluster_of[i]];
        let own = c.own();
        for other in c.files().filter(|&o| o != own) {
            cluster.links.push((own, other));
        }
        cluster.hinted |= super::HINTED.contains(&d.rule.name);
        seg.diags.push(c);
    }
    for (c, _) in &mut out {
        c.links.sort_unstable();
        c.links.dedup();
    }
    out
}
