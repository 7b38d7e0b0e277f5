//! `check` through the content cache: stat every file the walk finds (the walk's
//! own `stat`), hash those whose stat key changed (a file whose size, times and
//! inode are the ones stored keeps its stored hash unread), reuse the findings of
//! each cluster whose inputs are unchanged, and scan only the clusters that
//! changed. A reused file is never read: the output gets a text rebuilt from the
//! lines its findings show (`cache::Shown`).
//!
//! A cluster cannot be reused, and the whole scan runs again, when the list of
//! files differs from the stored one, when a changed file may define a CRD (every
//! custom resource is checked against the CRDs of the whole scan), when a changed
//! cluster holds a kustomization entry from outside the scanned paths, or when the
//! changed clusters, scanned alone, reach a file outside them (a kustomization
//! entry, a Compose `include` or `extends.file`). Marathon files are tied by
//! application ids across directories: when one changes, every cluster holding a
//! Marathon file is scanned again; the clusters holding CRDs are scanned along
//! with any changed cluster, so that the scan's CRD index stays whole.
//!
//! Kubernetes projects of sibling folders are tied by references
//! (`project::kubernetes::ties`) only through a key one offers and the other looks
//! up: the clusters under the same parent folder whose tie keys meet a changed
//! cluster's (as stored, and as the rescan finds them) are scanned with it, and so
//! on until none meet. Kubernetes rules look up workloads, Services and pod
//! templates in other projects (`cache::Lookups`): the clusters holding what the
//! scanned files may look up, and those whose lookups what a changed file offered
//! or offers now may answer, are scanned with them; after a few rounds, or when a
//! "did you mean" hint (which looks beside the project) is involved, with every
//! Kubernetes cluster, and when even that does not do, the whole scan runs again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::chunked::{CHUNK_BYTES, ChunkSink, run_streamed_by, run_streamed_on};
use super::{CacheUse, Scan, ScanRequest, run_on};
use crate::cache::{self, Cluster, Entry, FileRecord, StatKey, Store};
use crate::source::discover::{Candidate, discover_recorded};
use crate::source::walked::WalkRecord;
use crate::source::{Format, normalize};

mod record;
mod replay;
#[cfg(test)]
mod tests;

/// A rerun hands its result to the sink in chunks of about this many files
/// (more when findings tie files further apart in the report's order).
const CHUNK_FILES: usize = 256;

/// A file's hash, and its bytes when they were read and differ from the
/// entry's: `hash` is `None` when they could not be read (such a file is never
/// reused); `bytes` is `None` when they were not read (too large, or `trusted`:
/// a reused file is never read) or are the ones the entry recorded.
struct Hashed {
    bytes: Option<Vec<u8>>,
    hash: Option<String>,
    stat: Option<StatKey>,
    /// The hash is the entry's, taken on the file's unchanged stat key
    /// (`Entry::trusts`).
    trusted: bool,
}

fn hash_candidate(c: &Candidate, stat: Option<StatKey>) -> Hashed {
    if c.size > c.max_size {
        // Not read: its finding says only its size.
        return Hashed {
            bytes: None,
            hash: Some(too_large(c.size)),
            stat,
            trusted: false,
        };
    }
    Hashed {
        stat,
        ..hash_path(&c.path)
    }
}

/// What stands for the bytes of a file too large to read.
fn too_large(size: u64) -> String {
    format!("too large: {size}")
}

fn hash_path(path: &Path) -> Hashed {
    match std::fs::read(path) {
        Ok(bytes) => Hashed {
            hash: Some(cache::content_hash(&bytes)),
            bytes: Some(bytes),
            stat: None,
            trusted: false,
        },
        Err(_) => Hashed {
            bytes: None,
            hash: None,
            stat: None,
            trusted: false,
        },
    }
}

/// The hash of a file that may be absent (`None`); an unreadable one never
/// matches.
fn probe(path: &Path) -> Option<String> {
    match std::fs::read(path) {
        Ok(bytes) => Some(cache::content_hash(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(format!("unreadable: {e}")),
    }
}

/// Everything about a request that decides its findings besides the files: the
/// build, the working directory (paths are shown relative to it), the paths and
/// walk options, each path's configuration (settings, per-path overrides, the
/// Kubernetes release, advisor sizes), and the command line's rule selection and
/// release.
fn request_key(req: &ScanRequest) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    format!(
        "{}\n{cwd:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        cache::build_identity(),
        req.paths,
        req.walk,
        req.configs,
        req.cli_select,
        req.cli_ignore,
        req.cli_extend_select,
        req.kubernetes_version,
    )
}

/// Runs the scan through the cache in `dir` (no cache: `run_streamed`), handing
/// the result to `sink` chunk by chunk in the report's order, as
/// `run_streamed` does; returns what the cache did (`None`: not used). Standard
/// input, unsaved texts and scans for the advisor are never cached. A first run
/// is the streamed scan, its chunks recorded (and their findings written to the
/// entry) as they go by; a rerun decodes a reused cluster's findings only when
/// the output reaches its files. `reported` says which files' findings the
/// caller prints (`--changed-since`, `--context`): the findings of the others are
/// not restored, and a cluster none of whose findings are printed is not read.
pub(crate) fn run_cached(
    req: &ScanRequest,
    dir: Option<&Path>,
    key_paths: bool,
    reported: &(dyn Fn(&Path) -> bool + Sync),
    sink: &mut dyn ChunkSink,
) -> Result<(Option<CacheUse>, Option<FileList>), String> {
    let sizes = Sizes {
        chunk_bytes: CHUNK_BYTES,
        chunk_files: CHUNK_FILES,
    };
    let mut listing = None;
    let used = run_cached_listing(req, dir, key_paths, reported, sizes, sink, &mut listing)?;
    Ok((used, listing))
}

/// How a cached run found its files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileList {
    /// It walked the scanned paths, reading this many directories.
    Walked { dirs: usize },
    /// It took the list of the stored walk, this many directories unchanged.
    Recorded { dirs: usize },
}

/// How large the parts of a cached run are.
#[derive(Clone, Copy)]
pub(crate) struct Sizes {
    /// The streamed scan's chunks, in bytes of text (`run_streamed_by`).
    pub(crate) chunk_bytes: u64,
    /// A rerun's chunks, in files.
    pub(crate) chunk_files: usize,
}

/// `run_cached` with chunks of these sizes.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn run_cached_by(
    req: &ScanRequest,
    dir: Option<&Path>,
    key_paths: bool,
    reported: &(dyn Fn(&Path) -> bool + Sync),
    sizes: Sizes,
    sink: &mut dyn ChunkSink,
) -> Result<Option<CacheUse>, String> {
    run_cached_listing(req, dir, key_paths, reported, sizes, sink, &mut None)
}

/// `run_cached_by`, saying in `listing` how the files were found (when the
/// cache was used).
fn run_cached_listing(
    req: &ScanRequest,
    dir: Option<&Path>,
    key_paths: bool,
    reported: &(dyn Fn(&Path) -> bool + Sync),
    sizes: Sizes,
    sink: &mut dyn ChunkSink,
    listing: &mut Option<FileList>,
) -> Result<Option<CacheUse>, String> {
    let uncached = |sink: &mut dyn ChunkSink| {
        run_streamed_by(req, key_paths, sizes.chunk_bytes, sink).map(|_| None)
    };
    let Some(dir) = dir else {
        return uncached(sink);
    };
    // CRDs named outside the scan are not part of the cache's clusters: such a
    // request is scanned whole.
    if req.stdin.is_some()
        || !req.overlay.is_empty()
        || req.skip_rules
        || req.advise
        || !super::crd_sources(req).is_empty()
    {
        return uncached(sink);
    }
    let store = Store::new(dir, request_key(req));
    let cwd = std::env::current_dir().unwrap_or_default();
    let cache_dir = normalize(&cwd.join(dir));
    let roots = super::walk_roots(req);
    let mut opened = store.open();
    // The stored walk's list when no directory or ignore file it read has
    // changed (each file stat'ed, no directory read); else the walk, recorded.
    let listed = opened.as_mut().and_then(|(_, e)| {
        let record = e.walk.take()?;
        let cands = record.list(&roots)?;
        Some((cands, record))
    });
    let (mut cands, walk_errors, walk) = match listed {
        Some((cands, record)) => {
            *listing = Some(FileList::Recorded {
                dirs: record.dirs(),
            });
            (cands, Vec::new(), Some(record))
        }
        None => {
            let (cands, errors, record) = discover_recorded(&roots, Some(&cache_dir))?;
            *listing = Some(FileList::Walked {
                dirs: record.as_ref().map_or(0, WalkRecord::dirs),
            });
            (cands, errors, record)
        }
    };
    // The cache's own files are never scanned, wherever it lives (only a
    // scanned path inside the cache, or the cache inside one, can hold them).
    let holds_cache = roots.iter().any(|(r, _)| {
        let r = normalize(&cwd.join(r));
        r.starts_with(&cache_dir) || cache_dir.starts_with(&r)
    });
    if holds_cache {
        cands.retain(|c| !normalize(&cwd.join(&c.path)).starts_with(&cache_dir));
    }
    let started = cache::now_ns();
    // What the walk's `stat` said of each file, else asked now; `None`: not a
    // regular file.
    let stats: Vec<Option<Option<StatKey>>> = cands
        .par_iter()
        .map(|c| match c.stamp {
            Some(stamp) => Some(Some(StatKey::stamped(c.size, stamp))),
            None => {
                let meta = std::fs::metadata(&c.path).ok()?;
                meta.is_file().then(|| StatKey::of(&meta))
            }
        })
        .collect();
    let run = Run {
        req,
        store: &store,
        cands: &cands,
        started,
        reported,
        key_paths,
        sizes,
        relist: matches!(listing, Some(FileList::Walked { .. }))
            && walk.as_ref().is_some_and(|w| w.settled()),
        walk,
    };
    // A FIFO or device named on the command line can be read once only: the scan
    // reads it, the cache does not hash it first.
    if stats.iter().any(Option::is_none) {
        return run_streamed_on(req, &cands, walk_errors, key_paths, sizes.chunk_bytes, sink)
            .map(|_| None);
    }
    let stats: Vec<Option<StatKey>> = stats.into_iter().map(Option::flatten).collect();
    // Walk errors are findings of the whole scan; an entry for another list of
    // files is of no use.
    let opened = opened.filter(|(_, e)| {
        walk_errors.is_empty()
            && e.candidates == cands.len()
            && e.files.len() >= cands.len()
            && e.files.iter().zip(&cands).all(|(r, c)| r.path == c.path)
    });
    let Some((mut reader, old)) = opened else {
        return record::full(&run, &stats, walk_errors, sink).map(Some);
    };
    // A file whose stat key is the one stored keeps its stored hash unread; the
    // bytes of another are kept only when they changed.
    let hashed: Vec<Hashed> = cands
        .par_iter()
        .zip(&stats)
        .zip(&old.files)
        .map(|((c, stat), r)| {
            if old.trusts(r, stat.as_ref()) {
                return Hashed {
                    bytes: None,
                    hash: r.hash.clone(),
                    stat: *stat,
                    trusted: true,
                };
            }
            let mut h = hash_candidate(c, *stat);
            if h.hash.is_some() && h.hash == r.hash {
                h.bytes = None;
            }
            h
        })
        .collect();
    // Scanned alone first; when a Kubernetes lookup crosses the changed clusters,
    // with every Kubernetes cluster.
    let mut widen = false;
    let plan = incremental(&run, &old, &hashed, &mut widen).or_else(|| {
        widen
            .then(|| incremental(&run, &old, &hashed, &mut true))
            .flatten()
    });
    let Some(plan) = plan else {
        drop(old);
        return record::full(&run, &stats, Vec::new(), sink).map(Some);
    };
    match replay::replay(&run, &mut reader, old, plan, &hashed, sink)? {
        Some(used) => Ok(Some(used)),
        None => {
            // A stored segment did not read back: what was handed over is void.
            sink.restart();
            record::full(&run, &stats, Vec::new(), sink).map(Some)
        }
    }
}

/// What every step of a cached run reads.
struct Run<'a> {
    req: &'a ScanRequest,
    store: &'a Store,
    cands: &'a [Candidate],
    /// When this run started reading the files (`Entry::started`).
    started: u64,
    /// Whether the findings of a file (by path) are printed.
    reported: &'a (dyn Fn(&Path) -> bool + Sync),
    /// Whether findings carry their key paths (`run_streamed`).
    key_paths: bool,
    sizes: Sizes,
    /// What the walk saw, stored with the entry (`source::walked`).
    walk: Option<WalkRecord>,
    /// The walk ran (the stored record did not do) and recorded what a later
    /// run can list its files from.
    relist: bool,
}

/// What a rerun scans and reuses.
struct Plan {
    /// The stored clusters scanned again.
    dirty: Vec<bool>,
    /// Their files (indexes into the entry), in order.
    rescan: Vec<usize>,
    /// Their scan (`None`: nothing changed).
    part: Option<Scan>,
    /// Whether the entry is written again.
    store_again: bool,
    /// The hashes of the entry's files beyond the walk's (kustomization entries
    /// loaded from outside the scanned paths).
    extra: Vec<Hashed>,
}

/// Reuses what the stored entry says of unchanged clusters and scans the others;
/// `None` when the whole scan must run again. `widen` in: a changed cluster that
/// holds Kubernetes objects is scanned with every Kubernetes cluster; out (when
/// it was not in): the changed clusters alone did not do, and may do so widened.
fn incremental(run: &Run<'_>, old: &Entry, hashed: &[Hashed], widen: &mut bool) -> Option<Plan> {
    let widened = *widen;
    let (req, cands) = (run.req, run.cands);
    let n = cands.len();
    if old.candidates != n
        || old.files.len() < n
        || old.files.iter().zip(cands).any(|(r, c)| r.path != c.path)
    {
        return None;
    }
    // An entry this build wrote names only its own files; anything else is a miss.
    let total = old.files.len();
    let sound = old.clusters.iter().all(|c| {
        c.files.iter().all(|&i| (i as usize) < total)
            && c.links
                .iter()
                .all(|l| (l.0 as usize) < total && (l.1 as usize) < total)
    });
    if !sound {
        return None;
    }
    let extra: Vec<Hashed> = old.files[n..].iter().map(|r| hash_path(&r.path)).collect();
    let now: Vec<&Hashed> = hashed.iter().chain(&extra).collect();
    let changed: Vec<bool> = (0..old.files.len())
        .map(|i| now[i].hash.is_none() || now[i].hash != old.files[i].hash)
        .collect();
    // A changed file that defines (or defined) a CRD changes what every custom
    // resource is checked against.
    let crd_changed = (0..old.files.len()).any(|i| {
        changed[i] && (old.files[i].crd || now[i].bytes.as_deref().is_some_and(cache::may_hold_crd))
    });
    if crd_changed {
        return None;
    }
    let holds = |c: &Cluster, test: &dyn Fn(&FileRecord) -> bool| {
        c.files
            .iter()
            .any(|&i| old.files.get(i as usize).is_some_and(test))
    };
    let is_marathon = |r: &FileRecord| r.format == Some(Format::Marathon);
    let mut dirty: Vec<bool> = old
        .clusters
        .par_iter()
        .map(|c| {
            c.files
                .iter()
                .any(|&i| changed.get(i as usize).copied().unwrap_or(true))
                || c.probes.iter().any(|(p, h)| probe(p) != *h)
        })
        .collect();
    // What a changed cluster drags along, in order: the clusters holding CRDs
    // when it may hold Kubernetes objects (custom resources are checked against
    // the CRDs of the whole scan); every Marathon cluster when it (or what was
    // dragged) holds Marathon files; widened, every Kubernetes cluster.
    let is_kubernetes = |r: &FileRecord| r.exports.is_some();
    let may_be_kubernetes = |c: &Cluster| {
        c.files.iter().any(|&i| {
            let i = i as usize;
            old.files.get(i).is_some_and(is_kubernetes)
                || (changed.get(i).copied().unwrap_or(true)
                    && now
                        .get(i)
                        .and_then(|h| h.bytes.as_deref())
                        .is_none_or(|b| b.windows(b"apiVersion".len()).any(|w| w == b"apiVersion")))
        })
    };
    let drag = |dirty: &mut Vec<bool>, what: &dyn Fn(&Cluster) -> bool| {
        for (c, d) in old.clusters.iter().zip(dirty.iter_mut()) {
            *d = *d || what(c);
        }
    };
    let any_dirty = |dirty: &[bool], test: &dyn Fn(&Cluster) -> bool| {
        old.clusters.iter().zip(dirty).any(|(c, d)| *d && test(c))
    };
    let ties = dirty.contains(&true).then(|| TieIndex::new(old));
    // The files a changed cluster's objects may be tied to are scanned with it;
    // what the scan finds they offer or look up now may tie more: scanned again
    // with those, a few times at most.
    let mut fresh: Vec<(usize, cache::TieKeys)> = Vec::new();
    let mut rounds = 0;
    let (rescan, part) = loop {
        if any_dirty(&dirty, &may_be_kubernetes) {
            drag(&mut dirty, &|c| holds(c, &|r| r.crd));
        }
        if any_dirty(&dirty, &|c| holds(c, &is_marathon)) {
            drag(&mut dirty, &|c| holds(c, &is_marathon));
        }
        if widened && any_dirty(&dirty, &|c| holds(c, &is_kubernetes)) {
            drag(&mut dirty, &|c| holds(c, &is_kubernetes));
        }
        if let Some(ties) = &ties {
            ties.close(old, &mut dirty, &fresh);
        }
        let mut rescan: Vec<usize> = old
            .clusters
            .iter()
            .zip(&dirty)
            .filter(|(_, d)| **d)
            .flat_map(|(c, _)| c.files.iter().map(|&i| i as usize))
            .collect();
        rescan.sort_unstable();
        rescan.dedup();
        // Every stored file belongs to one cluster; kustomization entries from
        // outside the scanned paths are loaded by a whole scan only.
        let covered: usize = old.clusters.iter().map(|c| c.files.len()).sum();
        if covered != old.files.len() || rescan.iter().any(|&i| i >= n) {
            return None;
        }
        if rescan.is_empty() {
            break (rescan, None);
        }
        let some: Vec<Candidate> = rescan.iter().map(|&i| cands[i].clone()).collect();
        let scan = run_on(req, &some, Vec::new());
        fresh = scan
            .files
            .iter()
            .zip(&rescan)
            .map(|(f, &i)| (i, cache::TieKeys::of(f)))
            .collect();
        let before = dirty.clone();
        if let Some(ties) = &ties {
            ties.close(old, &mut dirty, &fresh);
        }
        drag_lookups(old, &scan, &rescan, &mut dirty);
        if dirty == before {
            break (rescan, Some(scan));
        }
        rounds += 1;
        if rounds > 3 {
            *widen = !widened;
            return None;
        }
    };
    let all_marathon_rescanned = old
        .clusters
        .iter()
        .zip(&dirty)
        .all(|(c, d)| *d || !holds(c, &is_marathon));
    if let Some(scan) = &part {
        if !scan.suppressed.is_empty()
            || !self_contained(scan, &rescan, cands, all_marathon_rescanned)
        {
            return None;
        }
        // Kubernetes rules look up objects in other projects: what a rescanned
        // file's objects offered or offer now must answer no lookup of a reused
        // file, and the rescanned files' lookups no reused file.
        if !reused_lookups_unaffected(scan, &rescan, old, &dirty)
            || !lookups_stay_inside(scan, &rescan, old)
        {
            *widen = !widened;
            return None;
        }
    }
    // Stored again when something was scanned, when the walk ran and its record
    // would spare the next run the walk, or when a file read for its hash
    // (its stat changed, or was too recent to trust) would now be trusted.
    let store_again = part.is_some()
        || run.relist
        || now
            .iter()
            .any(|h| !h.trusted && h.stat.is_some_and(|s| s.settled_before(run.started)));
    Some(Plan {
        dirty,
        rescan,
        part,
        store_again,
        extra,
    })
}

/// The folder whose subfolders' projects a file's project may be tied to: the
/// parent of its directory (a project's root is its directory, or its
/// kustomization's, which is in the same cluster), as a hash.
fn tie_parent(path: &Path) -> u64 {
    let parent = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new(""));
    xxhash_rust::xxh3::xxh3_64(parent.as_os_str().as_encoded_bytes())
}

/// Which clusters offer and look up each tie key (`cache::TieKeys`), under each
/// parent folder: projects are tied only to their siblings' (same parent), and
/// only through a key one offers and the other looks up.
struct TieIndex {
    /// Each cluster's parent folders and keys, merged from its files.
    parents: Vec<Vec<u64>>,
    keys: Vec<cache::TieKeys>,
    /// The cluster of each file of the entry.
    cluster_of: Vec<usize>,
    offered: HashMap<(u64, u64), Vec<usize>>,
    wanted: HashMap<(u64, u64), Vec<usize>>,
    /// The clusters that offer anything (what a reference any project may
    /// answer can tie to), and those with such a reference, by parent.
    offering: HashMap<u64, Vec<usize>>,
    asking: HashMap<u64, Vec<usize>>,
}

impl TieIndex {
    fn new(old: &Entry) -> TieIndex {
        let mut ix = TieIndex {
            parents: Vec::with_capacity(old.clusters.len()),
            keys: Vec::with_capacity(old.clusters.len()),
            cluster_of: vec![usize::MAX; old.files.len()],
            offered: HashMap::new(),
            wanted: HashMap::new(),
            offering: HashMap::new(),
            asking: HashMap::new(),
        };
        for (c, cluster) in old.clusters.iter().enumerate() {
            let mut k = cache::TieKeys::default();
            let mut parents = Vec::new();
            for &i in &cluster.files {
                let Some(r) = old.files.get(i as usize) else {
                    continue;
                };
                ix.cluster_of[i as usize] = c;
                parents.push(tie_parent(&r.path));
                k.offers.extend(&r.ties.offers);
                k.refs.extend(&r.ties.refs);
                k.any |= r.ties.any;
            }
            parents.sort_unstable();
            parents.dedup();
            for &p in &parents {
                for &o in &k.offers {
                    ix.offered.entry((p, o)).or_default().push(c);
                }
                for &r in &k.refs {
                    ix.wanted.entry((p, r)).or_default().push(c);
                }
                if !k.offers.is_empty() {
                    ix.offering.entry(p).or_default().push(c);
                }
                if k.any {
                    ix.asking.entry(p).or_default().push(c);
                }
            }
            ix.parents.push(parents);
            ix.keys.push(k);
        }
        ix
    }

    /// Marks dirty every cluster tied to a dirty one through a key, before (the
    /// stored keys) or now (`fresh`: the keys of the files just scanned, by their
    /// index in the entry), and so on until no more are.
    fn close(&self, old: &Entry, dirty: &mut [bool], fresh: &[(usize, cache::TieKeys)]) {
        let mut todo: Vec<(Vec<u64>, &cache::TieKeys)> = Vec::new();
        for (i, k) in fresh {
            let mut parents = vec![tie_parent(&old.files[*i].path)];
            if let Some(ps) = self.cluster_of.get(*i).and_then(|&c| self.parents.get(c)) {
                parents.extend(ps);
            }
            todo.push((parents, k));
        }
        for (c, d) in dirty.iter().enumerate() {
            if *d {
                todo.push((self.parents[c].clone(), &self.keys[c]));
            }
        }
        while let Some((parents, k)) = todo.pop() {
            let mut meet: Vec<usize> = Vec::new();
            for &p in &parents {
                for &o in &k.offers {
                    meet.extend(self.wanted.get(&(p, o)).into_iter().flatten());
                }
                for &r in &k.refs {
                    meet.extend(self.offered.get(&(p, r)).into_iter().flatten());
                }
                if k.any {
                    meet.extend(self.offering.get(&p).into_iter().flatten());
                }
                if !k.offers.is_empty() {
                    meet.extend(self.asking.get(&p).into_iter().flatten());
                }
            }
            for c in meet {
                if !dirty[c] {
                    dirty[c] = true;
                    todo.push((self.parents[c].clone(), &self.keys[c]));
                }
            }
        }
    }
}

/// Marks dirty the reused clusters that Kubernetes lookups cross: those holding
/// an object the scanned files' lookups may find (scanned with them, the lookups
/// find what a whole scan would), and those whose lookups may find an object a
/// scanned file offered before or offers now (their findings may change).
fn drag_lookups(old: &Entry, scan: &Scan, rescan: &[usize], dirty: &mut [bool]) {
    let mut lookups = cache::Lookups::default();
    let mut changed: Vec<cache::Answers> = Vec::new();
    for (f, &i) in scan.files.iter().zip(rescan) {
        lookups.extend(&cache::Lookups::of(f));
        if cache::kubernetes_exports(f) != old.files[i].exports {
            changed.push(old.files[i].answers.clone());
            changed.push(cache::Answers::of(f));
        }
    }
    if lookups.is_empty() && changed.is_empty() {
        return;
    }
    let crossed = |r: &FileRecord| {
        lookups.answered_by(&r.answers) || changed.iter().any(|a| r.lookups.answered_by(a))
    };
    let marks: Vec<bool> = old
        .clusters
        .par_iter()
        .zip(&*dirty)
        .map(|(c, d)| {
            !*d && c
                .files
                .iter()
                .filter_map(|&i| old.files.get(i as usize))
                .any(crossed)
        })
        .collect();
    for (d, m) in dirty.iter_mut().zip(marks) {
        *d |= m;
    }
}

/// The rules whose findings name "did you mean" objects beside their project.
const HINTED: [&str; 2] = ["hpa-target-missing", "ingress-backend-missing"];

/// Whether no reused file's Kubernetes lookups may find an object that a
/// rescanned file held before and not now, or holds now and did not before.
fn reused_lookups_unaffected(scan: &Scan, rescan: &[usize], old: &Entry, dirty: &[bool]) -> bool {
    let inside: HashSet<usize> = rescan.iter().copied().collect();
    // A reused finding that points into a rescanned file (a "did you mean" hint
    // at an object beside its project) may point at what is no longer there.
    let reused = old.clusters.iter().zip(dirty).filter(|(_, d)| !**d);
    for (c, _) in reused.clone() {
        if c.links.iter().any(|l| inside.contains(&(l.1 as usize))) {
            return false;
        }
    }
    let mut changed: Vec<cache::Answers> = Vec::new();
    for (f, &i) in scan.files.iter().zip(rescan) {
        if cache::kubernetes_exports(f) != old.files[i].exports {
            changed.push(old.files[i].answers.clone());
            changed.push(cache::Answers::of(f));
        }
    }
    if changed.is_empty() {
        return true;
    }
    // A reused "not defined" finding may gain a hint at a changed object.
    if reused.clone().any(|(c, _)| c.hinted) {
        return false;
    }
    let mut lookups = cache::Lookups::default();
    for (i, r) in old.files.iter().enumerate() {
        if !inside.contains(&i) {
            lookups.extend(&r.lookups);
        }
    }
    !changed.iter().any(|a| lookups.answered_by(a))
}

/// Whether the Kubernetes lookups of the rescanned files (an HPA's target, an
/// Ingress's Services, a Service's pods) found what a whole scan would: no reused
/// file holds an object they may find, and, when a finding of theirs looked for
/// "did you mean" candidates (beside the project), no reused file holds a named
/// Kubernetes object.
fn lookups_stay_inside(scan: &Scan, rescan: &[usize], old: &Entry) -> bool {
    let inside: HashSet<usize> = rescan.iter().copied().collect();
    let mut reused = old
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| !inside.contains(i))
        .map(|(_, r)| &r.answers);
    if scan
        .diagnostics
        .iter()
        .any(|d| HINTED.contains(&d.rule.name))
    {
        return !reused.any(|a| !a.is_empty());
    }
    let mut lookups = cache::Lookups::default();
    for f in &scan.files {
        lookups.extend(&cache::Lookups::of(f));
    }
    lookups.is_empty() || !reused.any(|a| lookups.answered_by(a))
}

/// Whether the files scanned alone saw everything a whole scan would show them:
/// no kustomization entry loaded from outside them, no Compose reference to a
/// scanned file outside them, no Marathon file among clusters that were not all
/// scanned.
fn self_contained(
    scan: &Scan,
    rescan: &[usize],
    cands: &[Candidate],
    all_marathon_rescanned: bool,
) -> bool {
    if scan.files.len() != rescan.len() {
        return false;
    }
    if !all_marathon_rescanned
        && scan
            .files
            .iter()
            .any(|f| f.format == Some(Format::Marathon))
    {
        return false;
    }
    let inside: HashSet<&Path> = rescan.iter().map(|&i| cands[i].path.as_path()).collect();
    let scanned: HashMap<PathBuf, &Path> = cands
        .iter()
        .map(|c| (normalize(&c.path), c.path.as_path()))
        .collect();
    scan.files.iter().all(|f| {
        crate::project::compose::group::references(f)
            .iter()
            .all(|written| {
                // An interpolated path depends on a `.env`: judged by a whole scan.
                if written.contains('$') {
                    return false;
                }
                let target = normalize(&f.dir().join(written));
                scanned.get(&target).is_none_or(|p| inside.contains(p))
            })
    })
}
