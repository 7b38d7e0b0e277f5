//! `check`'s scan in chunks: the walk's files are split into runs of whole
//! directories, each run is read, grouped, linted and settled on its own, and
//! only what the report needs is kept of it — its findings (with their key
//! paths, when a report or baseline needs them) and the text of the files they
//! point at. Span trees, typed models and deployment models live for one chunk,
//! so memory follows the chunk, not the repository.
//!
//! The result is the whole scan's, byte for byte, or the whole scan is run: a
//! chunk must not reach outside itself. It is not scanned alone (and the whole
//! scan runs instead) when it holds a CustomResourceDefinition (custom resources
//! are checked against the CRDs of the whole scan; Marathon files, tied only
//! within their directory, are scanned in chunks), when one of its Compose files or
//! kustomizations names a scanned file of another chunk, or when a rule looked
//! objects up outside its project (`Context::look_beyond`: an HPA's target, an
//! Ingress's Service, the pods a Service or NetworkPolicy selects, hints from
//! sibling directories), or grouping may tie its projects to sibling folders,
//! and a file of another chunk may answer: what each chunk looked up and what
//! its files offer (`rules::kubernetes::Offers`) are kept, and each chunk is
//! checked against the chunks before it both ways, so a lookup that no other
//! chunk answers costs nothing. Chunks end only where neither directory holds
//! the other, so a Helm chart and its templates stay together, and rather
//! between folders of different parents than between sibling folders; a walk
//! of more than one chunk's worth of text is split, however small.

use std::path::{Path, PathBuf};

use std::ops::Range;

use rayon::prelude::*;

use super::{Scan, ScanRequest, candidates, check_crd_sources, finish, prepare, run_on_noting};
use crate::diagnostic::Diagnostic;
use crate::project::{Project, SpecFile, Typed};
use crate::rules::kubernetes::{Answers, Lookup, Offers, Wanted};
use crate::source::discover::Candidate;
use crate::source::{FileId, normalize};

/// About how many bytes of spec text a chunk holds. Its trees, models and
/// findings take some fifty to ninety times that while it is scanned (Compose
/// files, whose services lower to large models and draw many findings, more
/// than Kubernetes manifests): at 256 KiB, `check --select all` on 2,000 to
/// 40,000 generated files peaks at 26 to 49 MiB, where 1 MiB chunks took over
/// 100. Smaller chunks cost no time: a chunk of a few hundred files keeps both
/// threads busy, and fewer pages are faulted in.
pub(super) const CHUNK_BYTES: u64 = 256 << 10;

/// Where a scan in chunks hands its parts: `check`'s reports (and anything
/// else that reads findings as they come). The chunks arrive in the order of
/// the report — by file as shown, so every finding of a chunk sorts before
/// every finding of the next — each a `Scan` of its own files (its `FileId`s
/// index them) with its findings and suppressed findings sorted, compacted as
/// by `run_compact`. When a chunk turns out to reach outside itself, `restart`
/// says that the chunks so far are void and the whole scan follows as one.
pub trait ChunkSink {
    /// Forgets every chunk handed so far.
    fn restart(&mut self);
    /// Takes one chunk; an error ends the scan with it.
    fn chunk(&mut self, chunk: Scan) -> Result<(), String>;
    /// Sees a chunk whole (its trees, projects and suppressed findings) just
    /// before it is compacted and handed to `chunk` (the content cache records
    /// it here).
    fn scanned(&mut self, _chunk: &Scan) {}
}

/// Runs the whole scan for `check`'s report, keeping of each file only its path,
/// format and skip reason, and its text when a finding points into it; each
/// finding keeps its key path when `key_paths` is set (SARIF, GitLab and
/// baselines identify findings by it, and the trees are gone by then). The
/// projects, models and advice of the scan are not kept.
pub fn run_compact(req: &ScanRequest, key_paths: bool) -> Result<Scan, String> {
    run_compact_by(req, key_paths, CHUNK_BYTES).map(|(scan, _)| scan)
}

/// Runs the scan chunk by chunk into `sink`, in the report's order: of a chunk
/// only what the report needs lives while the sink takes it, and nothing of it
/// afterwards, so memory follows the chunk rather than the repository.
pub fn run_streamed(
    req: &ScanRequest,
    key_paths: bool,
    sink: &mut dyn ChunkSink,
) -> Result<Chunking, String> {
    run_streamed_by(req, key_paths, CHUNK_BYTES, sink)
}

/// How a compact scan went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunking {
    /// The chunks scanned one after the other (1: the scan was not split, or a
    /// chunk reached outside itself and the whole scan ran).
    pub(crate) chunks: usize,
    /// The most files whose trees and models were alive at once.
    pub(crate) most_files_alive: usize,
}

/// `run_compact` with chunks of about `chunk_bytes` of text: the chunks of
/// `run_streamed_by` put together.
pub(crate) fn run_compact_by(
    req: &ScanRequest,
    key_paths: bool,
    chunk_bytes: u64,
) -> Result<(Scan, Chunking), String> {
    let mut all = Collect::default();
    let chunking = run_streamed_by(req, key_paths, chunk_bytes, &mut all)?;
    Ok((all.into_scan(), chunking))
}

/// `run_streamed` with chunks of about `chunk_bytes` of text.
pub(crate) fn run_streamed_by(
    req: &ScanRequest,
    key_paths: bool,
    chunk_bytes: u64,
    sink: &mut dyn ChunkSink,
) -> Result<Chunking, String> {
    check_crd_sources(req)?;
    let (cands, walk_errors) = candidates(req)?;
    run_streamed_on(req, &cands, walk_errors, key_paths, chunk_bytes, sink)
}

/// `run_streamed_by` over these candidates (the walk's files).
pub(crate) fn run_streamed_on(
    req: &ScanRequest,
    cands: &[Candidate],
    walk_errors: Vec<crate::source::discover::WalkError>,
    key_paths: bool,
    chunk_bytes: u64,
    sink: &mut dyn ChunkSink,
) -> Result<Chunking, String> {
    let whole = |sink: &mut dyn ChunkSink, walk_errors| {
        let scan = run_on_noting(req, cands, walk_errors).0;
        let chunking = Chunking {
            chunks: 1,
            most_files_alive: scan.files.len(),
        };
        sink.scanned(&scan);
        let (kept, trash) = compact(scan, key_paths);
        // The trees go on the worker threads while the sink takes the findings.
        rayon::in_place_scope(|s| {
            s.spawn(move |_| trash.drop_in_parallel());
            sink.chunk(kept)
        })
        .map(|()| chunking)
    };
    // The walk in the report's order: by path as shown. A directory's files and
    // those below it keep together in it (they share the directory's prefix).
    let mut shown: Vec<(String, usize)> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| (crate::source::display_path(&c.path), i))
        .collect();
    shown.sort();
    let order: Vec<usize> = shown.into_iter().map(|(_, i)| i).collect();
    let ordered: Vec<&Candidate> = order.iter().map(|i| &cands[*i]).collect();
    let chunks = chunks(&ordered, chunk_bytes);
    if chunks.len() < 2 || !may_chunk(req) {
        return whole(sink, walk_errors);
    }
    for e in walk_errors {
        eprintln!("orchlint: warning: {}: {}", e.path.display(), e.message);
    }
    let scanned = Scanned::new(&ordered);
    // Within a chunk the files keep the walk's order, as in a whole scan. What
    // grouping may look up in other chunks, and what the chunk's files offer
    // lookups, are known once it is grouped.
    let prepare_chunk = |range: &Range<usize>| {
        let mut indexes = order[range.clone()].to_vec();
        indexes.sort_unstable();
        let walk_order: Vec<Candidate> = indexes.iter().map(|i| cands[*i].clone()).collect();
        let prepared = prepare(req, &walk_order, Vec::new());
        let (ties, offers) = lookups_and_offers(&prepared.loaded.files, &prepared.projects);
        (prepared, ties, offers)
    };
    // Once a chunk is linted and settled, its trees are dropped and then the
    // next chunk is read, parsed and grouped on the worker threads while the
    // sink takes its findings on this one. The next chunk starts no sooner:
    // started with the linting, its trees would add a chunk's worth to the
    // peak memory.
    let mut next = chunks.first().map(&prepare_chunk);
    // What the chunks so far looked up past their projects and what their
    // files offer such lookups.
    let mut lookups = Wanted::default();
    let mut offers = Offers::default();
    let restart = |sink: &mut dyn ChunkSink, void: super::Prepared| {
        rayon::spawn(move || drop(void));
        sink.restart();
        whole(sink, Vec::new())
    };
    for (k, range) in chunks.iter().enumerate() {
        let Some((current, ties, here)) = next.take() else {
            break;
        };
        // What reaches outside the chunk before linting it: files it adds,
        // CRDs, references to other chunks' files, and lookups between its
        // files and earlier chunks' (either way).
        let files = &current.loaded.files;
        if files.len() != range.len()
            || files.iter().any(holds_crd)
            || !kustomizations_inside(files, range, &scanned)
            || !compose_references_inside(files, range, &scanned)
            || ties.iter().any(|l| offers.answers(l))
            || lookups.answered_by(&here)
        {
            return restart(sink, current);
        }
        let mut following = None;
        let settled = rayon::in_place_scope(|s| {
            let (scan, looked_up) = finish(req, current);
            // A rule's lookup that an earlier chunk's file answers.
            if looked_up.iter().any(|l| offers.answers(l)) {
                s.spawn(move |_| drop(scan));
                return Ok(false);
            }
            offers.absorb(here);
            ties.into_iter().for_each(|l| lookups.add(l));
            looked_up.into_iter().for_each(|l| lookups.add(l));
            sink.scanned(&scan);
            let (kept, trash) = compact(scan, key_paths);
            let (following, prepare_chunk, chunks) = (&mut following, &prepare_chunk, &chunks);
            // The trees go before the next chunk's are made, so that at most
            // one chunk's are alive at once.
            s.spawn(move |_| {
                trash.drop_in_parallel();
                *following = chunks.get(k + 1).map(prepare_chunk);
            });
            sink.chunk(kept).map(|()| true)
        })?;
        if !settled {
            drop(following);
            sink.restart();
            return whole(sink, Vec::new());
        }
        next = following;
    }
    Ok(Chunking {
        chunks: chunks.len(),
        most_files_alive: chunks.iter().map(|r| r.len()).max().unwrap_or(0),
    })
}

/// The chunks of a scan put back together as one scan, files numbered in the
/// order they came.
#[derive(Default)]
pub(crate) struct Collect {
    scan: Option<Scan>,
}

impl Collect {
    pub(crate) fn into_scan(self) -> Scan {
        self.scan.unwrap_or_else(|| Scan {
            files: Vec::new(),
            projects: Vec::new(),
            models: Vec::new(),
            advice: Vec::new(),
            diagnostics: Vec::new(),
            suppressed: Vec::new(),
            stdin: None,
            syntax: Vec::new(),
        })
    }
}

impl ChunkSink for Collect {
    fn restart(&mut self) {
        self.scan = None;
    }

    fn chunk(&mut self, part: Scan) -> Result<(), String> {
        let Some(whole) = &mut self.scan else {
            self.scan = Some(part);
            return Ok(());
        };
        let offset = whole.files.len() as u32;
        let global = |id: FileId| FileId(id.0 + offset);
        whole
            .diagnostics
            .extend(part.diagnostics.into_iter().map(|d| moved(d, &global)));
        whole
            .suppressed
            .extend(part.suppressed.into_iter().map(|mut s| {
                s.diagnostic = moved(s.diagnostic, &global);
                s
            }));
        whole
            .syntax
            .extend(part.syntax.into_iter().map(|(id, s)| (global(id), s)));
        whole.files.extend(part.files.into_iter().map(|mut f| {
            f.id = global(f.id);
            f
        }));
        Ok(())
    }
}

/// One file as `orchlint files` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub display: String,
    pub format: Option<crate::source::Format>,
    /// What kind of file of its format it is (`SpecFile::variant`).
    pub variant: Option<String>,
    pub skipped: Option<String>,
}

impl Listed {
    fn of(f: &SpecFile) -> Listed {
        Listed {
            display: f.display.clone(),
            format: f.format,
            variant: f.variant(),
            skipped: f.skipped.clone(),
        }
    }
}

/// The files of a request as `orchlint files` lists them, read chunk by chunk
/// so that no tree outlives its chunk; read whole when a chunk's kustomizations
/// reach outside it.
pub fn list_files(req: &ScanRequest) -> Result<Listing, String> {
    list_files_by(req, CHUNK_BYTES)
}

/// The files of a listing, and the projects whose files references tied or that
/// hold alternative manifests (by display path, so the trees can go).
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<Listed>,
    pub groupings: Vec<Grouping>,
}

/// A project's ties (`from`, `to`, why) and alternative manifests (`file`, `of`,
/// why), by display path.
#[derive(Debug)]
pub struct Grouping {
    pub root: String,
    pub format: crate::source::Format,
    pub files: usize,
    pub ties: Vec<(String, String, String)>,
    pub alternatives: Vec<(String, String, String)>,
}

/// The groupings of the projects of some loaded files.
fn groupings(req: &ScanRequest, files: &[SpecFile]) -> Vec<Grouping> {
    let name = |id: crate::source::FileId| {
        files
            .get(id.0 as usize)
            .map_or("?".to_string(), |f| f.display.clone())
    };
    super::group(req, files)
        .into_iter()
        .filter(|p| !p.ties.is_empty() || !p.alternatives.is_empty())
        .map(|p| Grouping {
            root: crate::source::display_path(&p.root),
            format: p.format,
            files: p.files.len(),
            ties: p
                .ties
                .iter()
                .map(|t| (name(t.from), name(t.to), t.why.clone()))
                .collect(),
            alternatives: p
                .alternatives
                .iter()
                .map(|a| (name(a.file), name(a.of), a.why.clone()))
                .collect(),
        })
        .collect()
}

fn list_files_by(req: &ScanRequest, chunk_bytes: u64) -> Result<Listing, String> {
    let (cands, walk_errors) = candidates(req)?;
    let chunks = chunks(&cands, chunk_bytes);
    let whole = |walk_errors| {
        let loaded = super::load_candidates(req, &cands, walk_errors);
        Listing {
            files: loaded.files.iter().map(Listed::of).collect(),
            groupings: groupings(req, &loaded.files),
        }
    };
    if chunks.len() < 2 || req.stdin.is_some() {
        return Ok(whole(walk_errors));
    }
    for e in walk_errors {
        eprintln!("orchlint: warning: {}: {}", e.path.display(), e.message);
    }
    let scanned = Scanned::new(&cands);
    let mut out = Listing {
        files: Vec::with_capacity(cands.len()),
        groupings: Vec::new(),
    };
    for range in chunks {
        let loaded = super::load_candidates(req, &cands[range.clone()], Vec::new());
        if loaded.files.len() != range.len()
            || !kustomizations_inside(&loaded.files, &range, &scanned)
        {
            return Ok(whole(Vec::new()));
        }
        out.files.extend(loaded.files.iter().map(Listed::of));
        // Ties are found within a chunk: folders a chunk boundary separates are
        // listed untied here (the scan of `check` and `advise` is not chunked by
        // them; see `may_chunk`).
        out.groupings.extend(groupings(req, &loaded.files));
    }
    Ok(out)
}

/// Whether the request may be scanned in chunks: files only (no standard input,
/// no unsaved texts), findings wanted, no CRDs named outside the scan, and no
/// Compose projects named in a configuration (their files may lie anywhere).
fn may_chunk(req: &ScanRequest) -> bool {
    req.stdin.is_none()
        && req.overlay.is_empty()
        && !req.skip_rules
        && !req.advise
        && super::crd_sources(req).is_empty()
        && req.configs.iter().all(|c| c.compose_projects.is_empty())
}

/// The candidates split into ranges of about `chunk_bytes`, each ending where
/// the next file's directory neither holds nor is held by the last one's.
fn chunks<C: std::borrow::Borrow<Candidate>>(
    cands: &[C],
    chunk_bytes: u64,
) -> Vec<std::ops::Range<usize>> {
    // Even a walk of a few chunks is split: scanned whole, its trees would
    // follow its size.
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    let size = |i: usize| {
        let c: &Candidate = cands[i].borrow();
        c.size.min(c.max_size)
    };
    let path = |i: usize| cands[i].borrow().path.as_path();
    // Sibling folders often hold one app (`app/web/`, `app/autoscaling/`),
    // whose lookups and ties a chunk boundary between them would make reach
    // into the next chunk: a chunk ends between them only when no boundary
    // between folders of different parents comes within half a chunk more.
    let cousins_ahead = |from: usize, mut bytes: u64| {
        for j in from + 1..cands.len() {
            bytes += size(j - 1);
            if bytes >= chunk_bytes + chunk_bytes / 2 {
                return false;
            }
            if cousins(path(j - 1), path(j)) {
                return true;
            }
        }
        false
    };
    for i in 0..cands.len() {
        if i > start
            && bytes >= chunk_bytes
            && apart(path(i - 1), path(i))
            && (cousins(path(i - 1), path(i)) || !cousins_ahead(i, bytes))
        {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size(i);
    }
    if start < cands.len() {
        out.push(start..cands.len());
    }
    out
}

/// Whether neither file's directory holds the other's.
fn apart(a: &Path, b: &Path) -> bool {
    let (da, db) = (a.parent(), b.parent());
    match (da, db) {
        (Some(da), Some(db)) => !da.starts_with(db) && !db.starts_with(da),
        _ => false,
    }
}

/// Whether neither file's directory holds the other's, nor the parents of
/// their directories each other.
fn cousins(a: &Path, b: &Path) -> bool {
    match (
        a.parent().and_then(Path::parent),
        b.parent().and_then(Path::parent),
    ) {
        (Some(pa), Some(pb)) => !pa.starts_with(pb) && !pb.starts_with(pa),
        _ => false,
    }
}

/// A finding of a chunk with its files numbered as in the whole scan.
fn moved(mut d: Diagnostic, global: &impl Fn(FileId) -> FileId) -> Diagnostic {
    d.file = global(d.file);
    for r in &mut d.related {
        r.file = global(r.file);
    }
    if let Some(fix) = &mut d.fix {
        for e in &mut fix.edits {
            e.file = global(e.file);
        }
    }
    d
}

fn holds_crd(f: &SpecFile) -> bool {
    crate::cache::may_hold_crd(f.text.as_bytes())
}

/// The walk's files by normalized path, sorted, with their index.
struct Scanned {
    paths: Vec<(PathBuf, usize)>,
}

impl Scanned {
    fn new<C: std::borrow::Borrow<Candidate>>(cands: &[C]) -> Self {
        let mut paths: Vec<(PathBuf, usize)> = cands
            .iter()
            .enumerate()
            .map(|(i, c)| (normalize(&c.borrow().path), i))
            .collect();
        paths.sort();
        Scanned { paths }
    }

    /// The index of the scanned file at `path`.
    fn at(&self, path: &Path) -> Option<usize> {
        self.paths
            .binary_search_by(|(p, _)| p.as_path().cmp(path))
            .ok()
            .map(|k| self.paths[k].1)
    }

    /// The indexes of the scanned files at `target` or under it.
    fn under<'a>(&'a self, target: &'a Path) -> impl Iterator<Item = usize> + 'a {
        let from = self.paths.partition_point(|(p, _)| p.as_path() < target);
        self.paths[from..]
            .iter()
            .take_while(move |(p, _)| p.starts_with(target))
            .map(|(_, i)| *i)
    }
}

/// What grouping may look up outside a chunk (the tie keys its files'
/// references look up in sibling folders), and what its files offer such
/// lookups and those of rules.
fn lookups_and_offers(files: &[SpecFile], projects: &[Project]) -> (Vec<Lookup>, Offers) {
    let answers: Vec<(usize, Answers)> = files
        .par_iter()
        .enumerate()
        .filter_map(|(i, f)| Answers::of(f).map(|a| (i, a)))
        .collect();
    // Where grouping looks for a file's siblings: in the folder holding its
    // project's folder, the file's own folder's parent or, for a project made
    // by a kustomization or tied to siblings, its root's parent.
    let mut parents: Vec<Vec<&Path>> = files
        .iter()
        .map(|f| f.path.parent().and_then(Path::parent).into_iter().collect())
        .collect();
    for p in projects {
        let Some(up) = p.root.parent() else { continue };
        for id in &p.files {
            if let Some(ps) = parents.get_mut(id.0 as usize)
                && !ps.contains(&up)
            {
                ps.push(up);
            }
        }
    }
    let mut lookups = Vec::new();
    let mut offers = Offers::default();
    for (i, a) in answers {
        let ps = parents.get(i).map_or(&[][..], Vec::as_slice);
        for p in ps {
            lookups.extend(a.tie_lookups(p));
        }
        offers.add(a, ps);
    }
    (lookups, offers)
}

/// Whether every file the chunk's Compose files name (`include`, `extends.file`)
/// is one of the chunk's, or no file of the walk; a path written with a variable
/// depends on a `.env` and counts as outside.
fn compose_references_inside(
    files: &[SpecFile],
    range: &std::ops::Range<usize>,
    scanned: &Scanned,
) -> bool {
    files.iter().all(|f| {
        crate::project::compose::group::references(f)
            .iter()
            .all(|written| {
                if written.contains('$') {
                    return false;
                }
                let target = normalize(&f.dir().join(written));
                scanned.at(&target).is_none_or(|i| range.contains(&i))
            })
    })
}

/// Whether every local entry of the chunk's kustomizations names only files of
/// the chunk (or files the walk did not find).
fn kustomizations_inside(
    files: &[SpecFile],
    range: &std::ops::Range<usize>,
    scanned: &Scanned,
) -> bool {
    use crate::project::kubernetes::kustomize::{local_entries, target};
    files.iter().all(|f| {
        let Some(k) = f.kubernetes().and_then(|k| k.kustomization.as_ref()) else {
            return true;
        };
        local_entries(k).all(|entry| {
            let t = target(f, &entry.value);
            scanned.under(&t).all(|i| range.contains(&i))
        })
    })
}

/// Keeps of a scan what the report needs: each finding's key path (when asked),
/// and of each file its path, format and skip reason, with its text only when a
/// finding points into it. Trees, typed models, projects' models and advice go
/// to the returned `Trash`, to be dropped off the main thread.
fn compact(mut scan: Scan, key_paths: bool) -> (Scan, Trash) {
    let files = &scan.files;
    if key_paths {
        let docs_of = |d: &mut Diagnostic| {
            if d.key_path.is_none() {
                let docs = &files[d.file.0 as usize].docs;
                d.key_path = Some(crate::keypath::key_path(docs, d.span));
            }
        };
        scan.diagnostics.par_iter_mut().for_each(docs_of);
        scan.suppressed
            .par_iter_mut()
            .for_each(|s| docs_of(&mut s.diagnostic));
    }
    let mut shown = vec![false; files.len()];
    let mut show = |id: FileId| {
        if let Some(s) = shown.get_mut(id.0 as usize) {
            *s = true;
        }
    };
    let all = scan
        .diagnostics
        .iter()
        .chain(scan.suppressed.iter().map(|s| &s.diagnostic));
    for d in all {
        show(d.file);
        d.related.iter().for_each(|r| show(r.file));
        if let Some(fix) = &d.fix {
            fix.edits.iter().for_each(|e| show(e.file));
        }
    }
    let mut trees = Vec::with_capacity(scan.files.len());
    for f in &mut scan.files {
        trees.push((
            std::mem::take(&mut f.docs),
            std::mem::replace(&mut f.typed, Typed::None),
        ));
        if !shown.get(f.id.0 as usize).copied().unwrap_or(false) {
            f.text = String::new();
        }
    }
    let trash = Trash {
        trees,
        models: std::mem::take(&mut scan.models),
        advice: std::mem::take(&mut scan.advice),
        projects: std::mem::take(&mut scan.projects),
    };
    (scan, trash)
}

/// What `compact` takes out of a scan: freeing it is a good part of a chunk's
/// time, so it is dropped on the worker threads.
struct Trash {
    trees: Vec<(Vec<crate::yaml::Node>, Typed)>,
    models: Vec<crate::model::DeploymentModel>,
    advice: Vec<Option<crate::advise::Advice>>,
    projects: Vec<crate::project::Project>,
}

impl Trash {
    fn drop_in_parallel(self) {
        let Trash {
            trees,
            models,
            advice,
            projects,
        } = self;
        rayon::join(
            || trees.into_par_iter().with_min_len(16).for_each(drop),
            || {
                models.into_par_iter().with_min_len(8).for_each(drop);
                drop(advice);
                drop(projects);
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{self, OutputFormat};
    use crate::source::Format;

    /// A tree of several projects, one directory each: Compose with an override,
    /// a masked secret and a suppressed finding, Kubernetes objects whose Service
    /// selects its own Deployment, a kustomization of its own directory.
    const TREE: &[(&str, &str)] = &[
        (
            "a/compose.yaml",
            "services:\n  web:\n    image: nginx:latest\n    environment:\n      DB_PASSWORD: hunter2hunter2\n    ports:\n      - \"80:80\"\n",
        ),
        (
            "a/compose.override.yaml",
            "services:\n  web:\n    privileged: true # orchlint-ignore: privileged-container -- needs raw sockets\n",
        ),
        (
            "b/app.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n        - name: api\n          image: api\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n",
        ),
        (
            "c/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - job.yaml\n",
        ),
        (
            "c/job.yaml",
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: once\n          image: busybox:latest\n",
        ),
        (
            "d/docker-compose.yml",
            "version: \"2\"\nservices:\n  db:\n    image: postgres\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n",
        ),
    ];

    fn tree(extra: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in TREE.iter().chain(extra) {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        dir
    }

    fn request(dir: &Path) -> ScanRequest {
        ScanRequest {
            paths: vec![dir.to_path_buf()],
            ..Default::default()
        }
    }

    /// Each report format of a scan, as text.
    fn reports(scan: &Scan) -> Vec<String> {
        let formats = [
            OutputFormat::Json,
            OutputFormat::Sarif,
            OutputFormat::Concise,
            OutputFormat::Human,
            OutputFormat::Gitlab,
        ];
        formats
            .iter()
            .map(|f| {
                let mut out = Vec::new();
                report::write_with_suppressed(
                    *f,
                    &mut out,
                    &scan.files,
                    &scan.diagnostics,
                    &scan.suppressed,
                    false,
                )
                .expect("render");
                String::from_utf8(out).expect("utf-8")
            })
            .collect()
    }

    #[test]
    fn chunks_give_the_whole_scans_reports_and_drop_each_chunks_trees() {
        let dir = tree(&[]);
        let req = request(dir.path());
        let whole = super::super::run(&req).expect("whole scan");
        assert!(
            !whole.suppressed.is_empty(),
            "the tree has a suppressed finding"
        );
        assert!(whole.diagnostics.len() >= 6, "{}", whole.diagnostics.len());
        let (chunked, how) = run_compact_by(&req, true, 1).expect("scan in chunks");
        // One chunk per directory: at most the two Compose files had trees at once.
        assert_eq!(
            how,
            Chunking {
                chunks: 4,
                most_files_alive: 2
            }
        );
        assert!(
            chunked
                .files
                .iter()
                .all(|f| f.docs.is_empty() && matches!(f.typed, Typed::None)),
            "no tree outlives its chunk"
        );
        assert!(chunked.models.is_empty() && chunked.projects.is_empty());
        let (got, want) = (reports(&chunked), reports(&whole));
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w);
        }
        assert!(!want[0].contains("hunter2hunter2") && !want[3].contains("hunter2hunter2"));
    }

    /// A Compose project of about 2 KB that draws several findings.
    fn project(n: usize) -> String {
        let mut text = format!("name: p{n}\nservices:\n");
        for s in 0..12 {
            text.push_str(&format!(
                "  svc{s}:\n    image: registry.example/app{n}-{s}:latest\n    ports:\n      - \"{}:80\"\n    environment:\n      LEVEL: debug\n",
                8000 + s
            ));
        }
        text
    }

    #[test]
    fn memory_follows_the_chunk_not_the_walk() {
        // Walks of two and of six chunks' worth of text: both are split (a
        // small walk too), and no more files are alive at once in the larger.
        let mut alive = Vec::new();
        for projects in [240, 720] {
            let dir = tempfile::tempdir().expect("temp dir");
            let (mut bytes, mut least, mut most) = (0, u64::MAX, 0);
            for n in 0..projects {
                let p = dir.path().join(format!("p{n:04}/compose.yaml"));
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                let text = project(n);
                let len = text.len() as u64;
                (bytes, least, most) = (bytes + len, least.min(len), most.max(len));
                std::fs::write(p, text).expect("write");
            }
            let req = request(dir.path());
            let (chunked, how) = run_compact_by(&req, false, CHUNK_BYTES).expect("chunks");
            assert!(
                how.chunks as u64 >= bytes / CHUNK_BYTES,
                "{bytes} bytes in {how:?}"
            );
            // A chunk ends at the first directory past its bytes.
            assert!(
                how.most_files_alive as u64 * least <= CHUNK_BYTES + most,
                "{how:?} with files of {least} to {most} bytes"
            );
            assert_eq!(chunked.files.len(), projects);
            assert!(chunked.diagnostics.len() >= 12 * projects);
            alive.push(how.most_files_alive);
        }
        assert_eq!(alive[0], alive[1], "memory follows the walk");
    }

    #[test]
    fn a_chunk_that_reaches_another_runs_the_whole_scan() {
        let reaching: &[&[(&str, &str)]] = &[
            // A kustomization listing a file of another directory's chunk.
            &[(
                "e/overlay/kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../c/job.yaml\n",
            )],
            // The same in a chunk with chunks after it: none of them is
            // handed on, and the whole scan replaces the chunks handed so far.
            &[(
                "b0/overlay/kustomization.yaml",
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../c/job.yaml\n",
            )],
            // A Service whose pods are not its project's: looked up in every file.
            &[(
                "e/svc.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: web:1\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  selector:\n    app: api\n  ports:\n    - port: 80\n",
            )],
            // A Deployment in the namespace a sibling folder creates: grouping
            // ties the two folders' projects.
            &[
                (
                    "e/app/app.yaml",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: web:1\n",
                ),
                (
                    "e/ns/ns.yaml",
                    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
                ),
            ],
            // A Compose file extending a service of another directory.
            &[(
                "e/compose.yaml",
                "services:\n  web:\n    extends:\n      file: ../d/docker-compose.yml\n      service: db\n",
            )],
        ];
        for extra in reaching {
            let dir = tree(extra);
            let req = request(dir.path());
            let whole = super::super::run(&req).expect("whole scan");
            let (chunked, how) = run_compact_by(&req, true, 1).expect("compact scan");
            assert_eq!(how.chunks, 1, "{extra:?}");
            assert_eq!(how.most_files_alive, whole.files.len());
            assert_eq!(reports(&chunked), reports(&whole), "{extra:?}");
        }
    }

    /// A Deployment labelling its pods `app: web` and a manifest after it.
    fn beside_web(more: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: web:1\n---\n{more}"
        )
    }

    #[test]
    fn a_lookup_no_other_chunk_answers_keeps_the_chunks() {
        // The Service and the NetworkPolicy select pods no file defines: both
        // rules look in every file and find nothing. (A "did you mean" hint
        // would look in the sibling folders, which hold objects of every kind
        // here.)
        let text = beside_web(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  selector:\n    app: nowhere\n  ports:\n    - port: 80\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: none\nspec:\n  podSelector:\n    matchLabels:\n      app: nobody\n",
        );
        let dir = tree(&[("e/svc.yaml", &text)]);
        let req = request(dir.path());
        let whole = super::super::run(&req).expect("whole scan");
        let names: Vec<&str> = whole.diagnostics.iter().map(|d| d.rule.name).collect();
        assert!(
            names.contains(&"service-selects-nothing")
                && names.contains(&"network-policy-selects-nothing"),
            "{names:?}"
        );
        let (chunked, how) = run_compact_by(&req, true, 1).expect("compact scan");
        // Each directory's chunk is scanned once: none is scanned again whole.
        assert_eq!(
            how,
            Chunking {
                chunks: 5,
                most_files_alive: 2
            }
        );
        assert_eq!(reports(&chunked), reports(&whole));
    }

    #[test]
    fn marathon_folders_are_scanned_in_chunks() {
        // Two apps of one group in two folders: grouped per folder, so each
        // chunk holds its own projects.
        let app = |id: &str| {
            format!(
                "{{\"id\": \"/shop/{id}\", \"cmd\": \"serve\", \"instances\": 1, \"cpus\": 0.1, \"mem\": 64, \"container\": {{\"type\": \"DOCKER\", \"docker\": {{\"image\": \"shop/{id}:latest\", \"privileged\": true}}}}}}\n"
            )
        };
        let (web, db) = (app("web"), app("db"));
        let dir = tree(&[("f/web.json", &web), ("g/db.json", &db)]);
        let req = request(dir.path());
        let whole = super::super::run(&req).expect("whole scan");
        assert!(
            whole
                .files
                .iter()
                .filter(|f| f.format == Some(Format::Marathon))
                .count()
                == 2
        );
        let (chunked, how) = run_compact_by(&req, true, 1).expect("compact scan");
        assert_eq!(how.chunks, 6);
        assert_eq!(reports(&chunked), reports(&whole));
    }

    #[test]
    fn a_lookup_another_chunk_answers_runs_the_whole_scan() {
        let reaching = [
            // A NetworkPolicy whose pods are only another chunk's (`b`'s).
            beside_web(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-only\nspec:\n  podSelector:\n    matchLabels:\n      app: api\n",
            ),
            // A pod referring to a ConfigMap that another chunk's
            // kustomization generates.
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: p\n      image: p:1\n      envFrom:\n        - configMapRef:\n            name: made\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata: {}\n".to_string(),
        ];
        let generator = (
            "c/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - job.yaml\nconfigMapGenerator:\n  - name: made\n    literals: [a=b]\n",
        );
        for text in &reaching {
            let dir = tree(&[("e/x.yaml", text)]);
            std::fs::write(dir.path().join(generator.0), generator.1).expect("write");
            let req = request(dir.path());
            let whole = super::super::run(&req).expect("whole scan");
            let (chunked, how) = run_compact_by(&req, true, 1).expect("compact scan");
            assert_eq!(how.chunks, 1, "{text}");
            assert_eq!(reports(&chunked), reports(&whole), "{text}");
        }
    }

    #[test]
    fn files_are_listed_chunk_by_chunk_as_when_read_whole() {
        for extra in [
            &[][..],
            &[(
                "e/overlay/kustomization.yaml",
                "resources:\n  - ../../c/job.yaml\n",
            )][..],
        ] {
            let dir = tree(extra);
            let req = request(dir.path());
            let whole: Vec<Listed> = super::super::load_files(&req)
                .expect("load")
                .files
                .iter()
                .map(Listed::of)
                .collect();
            assert!(whole.iter().any(|l| l.variant.is_some()));
            assert_eq!(list_files_by(&req, 1).expect("list").files, whole);
        }
    }

    #[test]
    fn chunks_end_between_directories_apart() {
        let cand = |p: &str, size: u64| Candidate {
            path: PathBuf::from(p),
            size,
            explicit: false,
            root: 0,
            max_size: u64::MAX,
            stamp: None,
        };
        let cands = [
            cand("r/chart/Chart.yaml", 10),
            cand("r/chart/templates/a.yaml", 10),
            cand("r/chart/values.yaml", 10),
            cand("r/k8s/a.yaml", 10),
            cand("r/k8s/b.yaml", 10),
            cand("r/x/a.yaml", 10),
        ];
        // A chart and its templates stay together; files of one directory too.
        assert_eq!(chunks(&cands, 1), vec![0..3, 3..5, 5..6]);
        assert_eq!(chunks(&cands, 15), vec![0..3, 3..5, 5..6]);
        // A few chunks' worth is split too; no more than a chunk's is one.
        assert_eq!(chunks(&cands, 16), vec![0..3, 3..5, 5..6]);
        // Sibling folders stay together when folders of different parents
        // follow within half a chunk; not when they come later.
        let apps = |hpa: u64| {
            [
                cand("r/a/web/x.yaml", 10),
                cand("r/a/hpa/y.yaml", hpa),
                cand("r/b/web/z.yaml", 10),
            ]
        };
        assert_eq!(chunks(&apps(1), 8), vec![0..2, 2..3]);
        assert_eq!(chunks(&apps(5), 8), vec![0..1, 1..3]);
        let one: Vec<std::ops::Range<usize>> = std::iter::once(0..6).collect();
        assert_eq!(chunks(&cands, 60), one);
        assert_eq!(chunks(&cands, 1000), one);
    }
}
