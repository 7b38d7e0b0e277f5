//! `check` through the content cache: hash every file the walk finds (reading is
//! cheap, parsing and linting are not), reuse the findings of each cluster whose
//! inputs are unchanged, and scan only the clusters that changed.
//!
//! A cluster cannot be reused, and the whole scan runs again, when the list of
//! files differs from the stored one, when a changed file may define a CRD (every
//! custom resource is checked against the CRDs of the whole scan), when a changed
//! cluster holds a kustomization entry from outside the scanned paths, or when the
//! changed clusters, scanned alone, reach a file outside them (a kustomization
//! entry, a Compose `include` or `extends.file`). Marathon files are tied by
//! application ids across directories: when one changes, every cluster holding a
//! Marathon file is scanned again; the clusters holding CRDs are scanned along
//! with any changed cluster, so that the scan's CRD index stays whole. Kubernetes
//! rules look up workloads, Services and pod templates in every file: when a
//! changed cluster holds an object that looks others up (an HPA, an Ingress, a
//! Service), every Kubernetes cluster is scanned with it; when a rescanned file's
//! objects show a reused cluster that looks things up something new (a kind, a
//! name or its place, pod template labels), the whole scan runs again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Scan, ScanRequest, candidates, run_on, settle};
use crate::cache::{self, CachedDiag, Cluster, Entry, FileRecord, RuleCodes, Store, TextKind};
use crate::diagnostic::Diagnostic;
use crate::project::{Project, SpecFile, Typed};
use crate::source::discover::Candidate;
use crate::source::{FileId, Format, display_path, normalize};

/// A file's bytes as read for hashing: `hash` is `None` when they could not be
/// read (such a file is never reused), `bytes` when they were not read (too large).
struct Hashed {
    bytes: Option<Vec<u8>>,
    hash: Option<String>,
}

fn hash_candidate(c: &Candidate) -> Hashed {
    if c.size > c.max_size {
        // Not read: its finding says only its size.
        return Hashed {
            bytes: None,
            hash: Some(format!("too large: {}", c.size)),
        };
    }
    hash_path(&c.path)
}

fn hash_path(path: &Path) -> Hashed {
    match std::fs::read(path) {
        Ok(bytes) => Hashed {
            hash: Some(cache::content_hash(&bytes)),
            bytes: Some(bytes),
        },
        Err(_) => Hashed {
            bytes: None,
            hash: None,
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
        "{}\n{cwd:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        cache::build_identity(),
        req.paths,
        req.walk,
        req.configs,
        req.cli_select,
        req.cli_ignore,
        req.kubernetes_version,
    )
}

/// Runs the scan through the cache in `dir` (no cache: `run`). Standard input,
/// unsaved texts and scans for the advisor are never cached.
pub fn run_cached(req: &ScanRequest, dir: Option<&Path>) -> Result<Scan, String> {
    let Some(dir) = dir else {
        return super::run(req);
    };
    // CRDs named outside the scan are not part of the cache's clusters: such a
    // request is scanned whole.
    if req.stdin.is_some()
        || !req.overlay.is_empty()
        || req.skip_rules
        || req.advise
        || !super::crd_sources(req).is_empty()
    {
        return super::run(req);
    }
    let store = Store::new(dir, request_key(req));
    let (mut cands, walk_errors) = candidates(req)?;
    // The cache's own files are never scanned, wherever it lives.
    let cache_dir = absolute(dir);
    cands.retain(|c| !absolute(&c.path).starts_with(&cache_dir));
    for e in walk_errors {
        eprintln!("orchlint: warning: {}: {}", e.path.display(), e.message);
    }
    // A FIFO or device named on the command line can be read once only: the scan
    // reads it, the cache does not hash it first.
    if cands
        .iter()
        .any(|c| !std::fs::metadata(&c.path).is_ok_and(|m| m.is_file()))
    {
        return super::run(req);
    }
    let hashed: Vec<Hashed> = cands.par_iter().map(hash_candidate).collect();
    let reused = store
        .load()
        .and_then(|old| incremental(req, &store, &old, &cands, &hashed));
    Ok(match reused {
        Some(scan) => scan,
        None => full(req, &store, &cands, hashed),
    })
}

fn absolute(p: &Path) -> PathBuf {
    normalize(&std::env::current_dir().unwrap_or_default().join(p))
}

/// Scans everything and stores what it found.
fn full(req: &ScanRequest, store: &Store, cands: &[Candidate], mut hashed: Vec<Hashed>) -> Scan {
    let mut scan = run_on(req, cands, Vec::new());
    scan.cache = Some(super::CacheUse {
        scanned: scan.files.len(),
        reused: 0,
    });
    // Suppressed findings (shown in JSON and SARIF) are not kept in an entry: a
    // scan that has any is not stored, and is made whole again next time.
    if !scan.suppressed.is_empty() {
        return scan;
    }
    hashed.extend(scan.files[cands.len()..].iter().map(|f| hash_path(&f.path)));
    let files: Vec<FileRecord> = scan
        .files
        .iter()
        .zip(&hashed)
        .map(|(f, h)| record(f, h))
        .collect();
    let clusters = clusters_of(&scan.files, &scan.projects, &scan.diagnostics, |i| i);
    store.save(&Entry {
        key: store.key().to_string(),
        candidates: cands.len(),
        files,
        clusters,
    });
    scan
}

/// What the cache keeps of a scanned file.
fn record(f: &SpecFile, h: &Hashed) -> FileRecord {
    let bytes = h.bytes.as_deref().unwrap_or_default();
    FileRecord {
        path: f.path.clone(),
        hash: h.hash.clone(),
        format: f.format,
        skipped: f.skipped.clone(),
        text: TextKind::of(&f.text, bytes),
        crd: cache::may_hold_crd(bytes),
        exports: cache::kubernetes_exports(f),
        looks_up: cache::may_look_up(bytes),
    }
}

/// The clusters of scanned files with their findings; `global` turns a file's
/// index in `files` into its index in the entry.
fn clusters_of(
    files: &[SpecFile],
    projects: &[Project],
    diags: &[Diagnostic],
    global: impl Fn(usize) -> usize,
) -> Vec<Cluster> {
    let groups = cache::clusters::of(files, projects);
    let mut cluster_of = vec![0usize; files.len()];
    for (c, members) in groups.iter().enumerate() {
        for &i in members {
            cluster_of[i] = c;
        }
    }
    let mut out: Vec<Cluster> = groups
        .iter()
        .map(|members| Cluster {
            files: members.iter().map(|&i| global(i) as u32).collect(),
            probes: cache::clusters::probes(files, members)
                .into_iter()
                .map(|p| {
                    let h = probe(&p);
                    (p, h)
                })
                .collect(),
            diags: Vec::new(),
        })
        .collect();
    for d in diags {
        let i = d.file.0 as usize;
        let key_path = crate::keypath::of(d, &files[i].docs);
        out[cluster_of[i]]
            .diags
            .push(CachedDiag::of(d, key_path, |id| {
                global(id.0 as usize) as u32
            }));
    }
    out
}

/// Reuses what the stored entry says of unchanged clusters and scans the others;
/// `None` when the whole scan must run again.
fn incremental(
    req: &ScanRequest,
    store: &Store,
    old: &Entry,
    cands: &[Candidate],
    hashed: &[Hashed],
) -> Option<Scan> {
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
            && c.diags.iter().all(|d| d.files_within(total))
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
        .iter()
        .map(|c| {
            c.files
                .iter()
                .any(|&i| changed.get(i as usize).copied().unwrap_or(true))
                || c.probes.iter().any(|(p, h)| probe(p) != *h)
        })
        .collect();
    if dirty.iter().any(|d| *d) {
        let marathon = old
            .clusters
            .iter()
            .zip(&dirty)
            .any(|(c, d)| *d && holds(c, &is_marathon));
        // A rescanned Kubernetes object that looks objects up in every file (an
        // HPA, an Ingress, a Service) needs them all loaded.
        let looks_up = old.clusters.iter().zip(&dirty).any(|(c, d)| {
            *d && c.files.iter().any(|&i| {
                let i = i as usize;
                old.files[i].looks_up || now[i].bytes.as_deref().is_some_and(cache::may_look_up)
            })
        });
        let is_kubernetes = |r: &FileRecord| r.exports.is_some() || r.looks_up;
        for (c, d) in old.clusters.iter().zip(dirty.iter_mut()) {
            if holds(c, &|r| r.crd)
                || (marathon && holds(c, &is_marathon))
                || (looks_up && holds(c, &is_kubernetes))
            {
                *d = true;
            }
        }
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
    let all_marathon_rescanned = old
        .clusters
        .iter()
        .zip(&dirty)
        .all(|(c, d)| *d || !holds(c, &is_marathon));
    let rules = RuleCodes::new();
    let part = if rescan.is_empty() {
        None
    } else {
        let some: Vec<Candidate> = rescan.iter().map(|&i| cands[i].clone()).collect();
        let scan = run_on(req, &some, Vec::new());
        if !scan.suppressed.is_empty()
            || !self_contained(&scan, &rescan, cands, all_marathon_rescanned)
        {
            return None;
        }
        // Kubernetes rules look up objects in every file: when what a rescanned
        // file shows them changed, a reused Kubernetes cluster may judge otherwise.
        let shown_changed = scan
            .files
            .iter()
            .zip(&rescan)
            .any(|(f, &i)| cache::kubernetes_exports(f) != old.files[i].exports);
        let reused_lookup = old
            .clusters
            .iter()
            .zip(&dirty)
            .any(|(c, d)| !*d && holds(c, &|r| r.looks_up));
        if shown_changed && reused_lookup {
            return None;
        }
        Some(scan)
    };
    let nothing_changed = part.is_none();
    let scan = merge(old, &rescan, part, &dirty, &rules, &now)?;
    if !nothing_changed {
        store.save(&Entry {
            key: store.key().to_string(),
            candidates: n,
            files: scan.1,
            clusters: scan.2,
        });
    }
    Some(scan.0)
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

/// The scan's result: the rescanned files and their findings, and for the other
/// files what the entry recorded; with the entry's new files and clusters.
fn merge(
    old: &Entry,
    rescan: &[usize],
    part: Option<Scan>,
    dirty: &[bool],
    rules: &RuleCodes,
    now: &[&Hashed],
) -> Option<(Scan, Vec<FileRecord>, Vec<Cluster>)> {
    let total = old.files.len();
    let mut local: Vec<Option<usize>> = vec![None; total];
    for (l, &i) in rescan.iter().enumerate() {
        local[i] = Some(l);
    }
    let mut records: Vec<FileRecord> = old.files.clone();
    let mut clusters: Vec<Cluster> = old
        .clusters
        .iter()
        .zip(dirty)
        .filter(|(_, d)| !**d)
        .map(|(c, _)| c.clone())
        .collect();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut scanned: Vec<Option<SpecFile>> = Vec::new();
    if let Some(part) = part {
        let global = |i: usize| rescan[i];
        clusters.extend(clusters_of(
            &part.files,
            &part.projects,
            &part.diagnostics,
            global,
        ));
        for (l, f) in part.files.iter().enumerate() {
            records[rescan[l]] = record(f, now[rescan[l]]);
        }
        let to_global = |id: FileId| FileId(rescan[id.0 as usize] as u32);
        for mut d in part.diagnostics {
            d.file = to_global(d.file);
            for r in &mut d.related {
                r.file = to_global(r.file);
            }
            if let Some(fix) = &mut d.fix {
                for e in &mut fix.edits {
                    e.file = to_global(e.file);
                }
            }
            diagnostics.push(d);
        }
        scanned = part.files.into_iter().map(Some).collect();
    }
    // A reused file's text is rebuilt only when a finding shows it: the output
    // reads no other file's text.
    let mut shown = vec![false; total];
    for c in &clusters {
        let reused = c
            .files
            .first()
            .is_some_and(|&i| local[i as usize].is_none());
        if reused {
            for d in &c.diags {
                diagnostics.push(d.restore(rules)?);
                for i in d.files() {
                    shown[i as usize] = true;
                }
            }
        }
    }
    let mut files = Vec::with_capacity(total);
    for i in 0..total {
        let f = match local[i] {
            Some(l) => {
                let mut f = scanned[l].take()?;
                f.id = FileId(i as u32);
                f
            }
            None => restore_file(i, &old.files[i], now[i], shown[i])?,
        };
        files.push(f);
    }
    diagnostics.sort_by(|a, b| settle::order(&files, a, b));
    let scan = Scan {
        files,
        projects: Vec::new(),
        models: Vec::new(),
        advice: Vec::new(),
        diagnostics,
        suppressed: Vec::new(),
        stdin: None,
        syntax: Vec::new(),
        cache: Some(super::CacheUse {
            scanned: rescan.len(),
            reused: total - rescan.len(),
        }),
    };
    Some((scan, records, clusters))
}

/// An unchanged file as the output needs it: path, text (when a finding shows
/// it), format, why it was set aside. Its tree is not rebuilt; its findings carry
/// their key paths.
fn restore_file(i: usize, r: &FileRecord, h: &Hashed, shown: bool) -> Option<SpecFile> {
    let text = match (&r.text, h.bytes.as_deref()) {
        (TextKind::Empty, _) => String::new(),
        _ if !shown => String::new(),
        (TextKind::Inline(s), _) => s.clone(),
        (kind, Some(bytes)) => kind.text(bytes)?,
        (_, None) => return None,
    };
    Some(SpecFile {
        id: FileId(i as u32),
        path: r.path.clone(),
        display: display_path(&r.path),
        text,
        format: r.format,
        skipped: r.skipped.clone(),
        docs: Vec::new(),
        typed: Typed::None,
    })
}
