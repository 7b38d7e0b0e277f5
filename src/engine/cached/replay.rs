//! A rerun's output: the files in the report's order, in chunks, each chunk's
//! findings those of the rescanned clusters (just scanned) and of the reused
//! ones (decoded from their segments when the output reaches their files), so
//! that a rerun holds about a chunk's findings at a time. A chunk ends only
//! where no finding names files on both sides (a related place, a fix's edit in
//! another file). The entry is written again only when something changed, the
//! reused segments copied as they were stored.

use std::collections::HashMap;

use rayon::prelude::*;

use super::record::{clusters_of, record};
use super::{Hashed, Plan, Run};
use crate::cache::{
    self, CachedDiag, Cluster, Entry, FileRecord, Reader, RuleCodes, SegRef, Segment, Shown,
};
use crate::diagnostic::Diagnostic;
use crate::engine::chunked::ChunkSink;
use crate::engine::{CacheUse, Scan, settle};
use crate::project::{SpecFile, Typed};
use crate::source::FileId;

/// Where a cluster's findings are now.
enum Source {
    /// In the stored entry, not read yet.
    Stored(SegRef),
    /// Just scanned, not handed over yet.
    Fresh(Segment),
    /// Handed over (and copied into the new entry).
    Taken,
}

/// Hands the plan's result to `sink`; `None` when a stored segment does not read
/// back as the index says (the caller then scans everything, after a restart).
pub(super) fn replay(
    run: &Run<'_>,
    reader: &mut Reader,
    old: Entry,
    plan: Plan,
    hashed: &[Hashed],
    sink: &mut dyn ChunkSink,
) -> Result<Option<CacheUse>, String> {
    let Plan {
        dirty,
        rescan,
        part,
        store_again,
        extra,
    } = plan;
    let now: Vec<&Hashed> = hashed.iter().chain(&extra).collect();
    let Entry {
        files: mut records,
        clusters: stored,
        candidates,
        ..
    } = old;
    let total = records.len();
    // A reused file's bytes are unchanged: its record takes its stat key now.
    let mut local: Vec<Option<usize>> = vec![None; total];
    for (l, &i) in rescan.iter().enumerate() {
        local[i] = Some(l);
    }
    for (i, r) in records.iter_mut().enumerate() {
        if local[i].is_none() {
            r.stat = now[i].stat;
        }
    }
    let mut slots: Vec<(Cluster, Source)> = stored
        .into_iter()
        .zip(&dirty)
        .filter(|(_, d)| !**d)
        .map(|(c, _)| {
            let seg = c.seg;
            (c, Source::Stored(seg))
        })
        .collect();
    let mut scanned: Vec<Option<SpecFile>> = Vec::new();
    if let Some(part) = part {
        let made = clusters_of(&part.files, &part.projects, &part.diagnostics, |l| {
            rescan[l]
        });
        let fresh: Vec<FileRecord> = part
            .files
            .par_iter()
            .enumerate()
            .map(|(l, f)| {
                let i = rescan[l];
                record(f, now[i], records.get(i))
            })
            .collect();
        for (l, r) in fresh.into_iter().enumerate() {
            records[rescan[l]] = r;
        }
        slots.extend(made.into_iter().map(|(c, s)| (c, Source::Fresh(s))));
        // Their trees go: the output reads their paths and texts.
        scanned = part
            .files
            .into_iter()
            .map(|mut f| {
                f.docs = Vec::new();
                f.typed = Typed::None;
                Some(f)
            })
            .collect();
    }
    let mut cluster_of = vec![usize::MAX; total];
    for (s, (c, _)) in slots.iter().enumerate() {
        for &i in &c.files {
            cluster_of[i as usize] = s;
        }
    }
    if cluster_of.contains(&usize::MAX) {
        return Ok(None);
    }
    // The clusters whose findings are printed, and those holding the files
    // these findings name.
    let printed: Vec<bool> = records
        .par_iter()
        .map(|r| (run.reported)(&r.path))
        .collect();
    let mut needed: Vec<bool> = slots
        .iter()
        .map(|(c, _)| c.files.iter().any(|&i| printed[i as usize]))
        .collect();
    for (c, _) in &slots {
        for &(own, other) in &c.links {
            if printed[own as usize] {
                needed[cluster_of[other as usize]] = true;
            }
        }
    }
    // The report's order: by path as shown.
    let mut order: Vec<usize> = (0..total).collect();
    order.par_sort_by(|&a, &b| records[a].display.cmp(&records[b].display).then(a.cmp(&b)));
    let mut place = vec![0usize; total];
    for (p, &i) in order.iter().enumerate() {
        place[i] = p;
    }
    // `spanned[p]`: how many findings name files on both sides of the cut
    // before place `p`.
    let mut spanned = vec![0i64; total + 1];
    for (c, _) in &slots {
        for &(a, b) in &c.links {
            let (pa, pb) = (place[a as usize], place[b as usize]);
            let (lo, hi) = (pa.min(pb), pa.max(pb));
            if lo < hi {
                spanned[lo + 1] += 1;
                spanned[hi + 1] -= 1;
            }
        }
    }
    let mut writer = if store_again {
        run.store.writer()
    } else {
        None
    };
    let mut player = Player {
        reader,
        rules: RuleCodes::new(),
        total,
        diags: HashMap::new(),
        shown: HashMap::new(),
        at: vec![u32::MAX; total],
    };
    let mut start = 0;
    let mut open = 0i64;
    for p in 0..=total {
        if p < total {
            open += spanned[p];
        }
        let cut = p == total
            || (p - start >= run.sizes.chunk_files
                && open == 0
                && records[order[p - 1]].display != records[order[p]].display);
        if !cut || p == start {
            continue;
        }
        let mut chunk: Vec<usize> = order[start..p].to_vec();
        chunk.sort_unstable();
        for &i in &chunk {
            let s = cluster_of[i];
            if needed[s] && !player.load(&mut slots[s], writer.as_mut()) {
                abandon(writer);
                return Ok(None);
            }
        }
        let Some(scan) = player.chunk(&chunk, &records, &printed, &mut scanned, &local) else {
            abandon(writer);
            return Ok(None);
        };
        if let Err(e) = sink.chunk(scan) {
            abandon(writer);
            return Err(e);
        }
        start = p;
    }
    if let Some(mut w) = writer {
        // The clusters whose findings were not printed are copied as stored.
        for (c, source) in &mut slots {
            match std::mem::replace(source, Source::Taken) {
                Source::Stored(seg) => match player.reader.raw(&seg) {
                    Some(bytes) => c.seg = w.raw(&bytes),
                    None => {
                        w.abandon();
                        return Ok(Some(used(&rescan, total, &now)));
                    }
                },
                Source::Fresh(s) => c.seg = w.segment(&s),
                Source::Taken => {}
            }
        }
        w.finish(&Entry {
            key: run.store.key().to_string(),
            candidates,
            files: records,
            clusters: slots.into_iter().map(|(c, _)| c).collect(),
            started: run.started,
            walk: run.walk.clone(),
        });
    }
    Ok(Some(used(&rescan, total, &now)))
}

fn used(rescan: &[usize], total: usize, now: &[&Hashed]) -> CacheUse {
    CacheUse {
        scanned: rescan.len(),
        reused: total - rescan.len(),
        hashed: now.iter().filter(|h| !h.trusted).count(),
    }
}

fn abandon(writer: Option<cache::Writer>) {
    if let Some(w) = writer {
        w.abandon();
    }
}

/// The findings read so far and not yet handed over.
struct Player<'a> {
    reader: &'a mut Reader,
    rules: RuleCodes,
    total: usize,
    /// By their own file (index into the entry).
    diags: HashMap<u32, Vec<CachedDiag>>,
    /// What the output shows of each file they name.
    shown: HashMap<u32, Shown>,
    /// The place of each file of the chunk being built (`u32::MAX`: elsewhere).
    at: Vec<u32>,
}

impl Player<'_> {
    /// Reads a cluster's findings (once), copying its segment into the new
    /// entry; `false` when the segment does not read back.
    fn load(&mut self, slot: &mut (Cluster, Source), writer: Option<&mut cache::Writer>) -> bool {
        let (c, source) = slot;
        let seg = match std::mem::replace(source, Source::Taken) {
            Source::Taken => return true,
            Source::Fresh(s) => {
                if let Some(w) = writer {
                    c.seg = w.segment(&s);
                }
                s
            }
            Source::Stored(r) if r.len == 0 => {
                if let Some(w) = writer {
                    c.seg = w.raw(&[]);
                }
                return true;
            }
            Source::Stored(r) => {
                let Some(bytes) = self.reader.raw(&r) else {
                    return false;
                };
                let Some(seg) = cache::decode(&bytes) else {
                    return false;
                };
                if let Some(w) = writer {
                    c.seg = w.raw(&bytes);
                }
                seg
            }
        };
        let total = self.total;
        if !seg.diags.iter().all(|d| d.files_within(total))
            || !seg.shown.iter().all(|(i, _)| (*i as usize) < total)
        {
            return false;
        }
        for d in seg.diags {
            self.diags.entry(d.own()).or_default().push(d);
        }
        self.shown.extend(seg.shown);
        true
    }

    /// The chunk of these files (indexes into the entry, in order): their
    /// findings, sorted, and the files as the output needs them; `None` when a
    /// finding names a file outside it, or its rule is unknown, or a shown file's
    /// lines do not add up.
    fn chunk(
        &mut self,
        chunk: &[usize],
        records: &[FileRecord],
        printed: &[bool],
        scanned: &mut [Option<SpecFile>],
        local: &[Option<usize>],
    ) -> Option<Scan> {
        for (l, &i) in chunk.iter().enumerate() {
            self.at[i] = l as u32;
        }
        let at = &self.at;
        let place = |i: u32| -> Option<FileId> {
            let l = *at.get(i as usize)?;
            (l != u32::MAX).then_some(FileId(l))
        };
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut named = vec![false; chunk.len()];
        let mut ok = true;
        for &i in chunk {
            let Some(own) = self.diags.remove(&(i as u32)) else {
                continue;
            };
            if !printed[i] {
                continue;
            }
            for c in own {
                for f in c.files() {
                    match place(f) {
                        Some(l) => named[l.0 as usize] = true,
                        None => ok = false,
                    }
                }
                match c.into_diagnostic(&self.rules) {
                    Some(d) => diags.push(d),
                    None => ok = false,
                }
            }
        }
        let mut files = Vec::with_capacity(chunk.len());
        for (l, &i) in chunk.iter().enumerate() {
            let shown = self.shown.remove(&(i as u32));
            let f = match local[i] {
                Some(s) => {
                    let mut f = scanned.get_mut(s)?.take()?;
                    if !named[l] {
                        f.text = String::new();
                    }
                    f.id = FileId(l as u32);
                    Some(f)
                }
                None => {
                    let text = if named[l] {
                        shown.and_then(|s| s.text())
                    } else {
                        Some(String::new())
                    };
                    text.map(|text| restore_file(l, &records[i], text))
                }
            };
            match f {
                Some(f) => files.push(f),
                None => ok = false,
            }
        }
        for &i in chunk {
            self.at[i] = u32::MAX;
        }
        if !ok {
            return None;
        }
        let to_local = |id: FileId| -> FileId {
            FileId(
                chunk
                    .binary_search(&(id.0 as usize))
                    .map_or(u32::MAX, |l| l as u32),
            )
        };
        for d in &mut diags {
            d.file = to_local(d.file);
            for r in &mut d.related {
                r.file = to_local(r.file);
            }
            if let Some(fix) = &mut d.fix {
                for e in &mut fix.edits {
                    e.file = to_local(e.file);
                }
            }
        }
        sort_diagnostics(&files, &mut diags);
        Some(Scan {
            files,
            projects: Vec::new(),
            models: Vec::new(),
            advice: Vec::new(),
            diagnostics: diags,
            suppressed: Vec::new(),
            stdin: None,
            syntax: Vec::new(),
        })
    }
}

/// Sorts findings as `settle::order` does, comparing each file's place in the
/// order of display paths (computed once) rather than the paths themselves.
fn sort_diagnostics(files: &[SpecFile], diags: &mut [Diagnostic]) {
    let mut by_path: Vec<usize> = (0..files.len()).collect();
    by_path.sort_by(|&a, &b| files[a].display.cmp(&files[b].display));
    let mut rank = vec![0usize; files.len()];
    for (n, w) in by_path.iter().enumerate() {
        let tied = n > 0 && files[by_path[n - 1]].display == files[*w].display;
        rank[*w] = if tied { rank[by_path[n - 1]] } else { n };
    }
    let rank_of = |d: &Diagnostic| rank.get(d.file.0 as usize).copied().unwrap_or(usize::MAX);
    diags.sort_by(|a, b| {
        rank_of(a)
            .cmp(&rank_of(b))
            .then_with(|| settle::order(files, a, b))
    });
}

/// An unchanged file as the output needs it: path, text (the lines its findings
/// show, when one names it), format, why it was set aside. Neither its text nor
/// its tree is read again; its findings carry their key paths.
fn restore_file(l: usize, r: &FileRecord, text: String) -> SpecFile {
    SpecFile {
        id: FileId(l as u32),
        path: r.path.clone(),
        display: r.display.clone(),
        text,
        format: r.format,
        skipped: r.skipped.clone(),
        docs: Vec::new(),
        typed: Typed::None,
    }
}
