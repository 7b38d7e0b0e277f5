//! The scan, in one direction: discover → read → parse → detect → typed model →
//! projects → normalized model → rules → configuration and suppressions → sorted
//! diagnostics. Files are read, parsed and typed in parallel; projects are linted
//! in parallel.
//!
//! Loading one file is three steps: `read` (size limit, bytes, text), `classify`
//! (what the name says before parsing, what detection says after) and `parse` (the
//! span tree and the typed model). `settle` applies the configuration and the
//! suppressions to the findings.

mod cached;
mod chunked;
mod classify;
mod parse;
mod read;
mod settle;

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::advise::{self, Advice, AdvisorSettings};
use crate::config::{Config, RuleSettings};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::{Family, RuleMeta};
use crate::formats::KubernetesRelease;
use crate::model::DeploymentModel;
use crate::project::{self, Project, SpecFile, Typed};
use crate::rules::kubernetes::Lookup;
use crate::rules::{self, Context, Rule};
use crate::source::discover::{self, Candidate, WalkError, WalkOptions};
use crate::source::{FileId, Format};
pub(crate) use cached::{FileList, run_cached};
#[cfg(test)]
pub(crate) use chunked::run_streamed_by;
pub use chunked::{
    ChunkSink, Chunking, Grouping, Listed, Listing, list_files, run_compact, run_streamed,
};
use classify::BeforeParsing;

/// A document stream given on standard input.
#[derive(Clone, Debug)]
pub struct StdinInput {
    /// The name used for detection and in the output.
    pub name: PathBuf,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct ScanRequest {
    pub paths: Vec<PathBuf>,
    pub stdin: Option<StdinInput>,
    pub walk: WalkOptions,
    /// One configuration per scanned path (same order); stdin uses the first.
    pub configs: Vec<Config>,
    /// `--select` (replaces the config's selection) and `--ignore` (adds to it).
    pub cli_select: Option<Vec<String>>,
    pub cli_ignore: Vec<String>,
    /// `--extend-select`: rules added to the selection (the config's or `--select`).
    pub cli_extend_select: Vec<String>,
    /// Lower and advise only, without running the rules (`advise` and `graph` print
    /// no findings).
    pub skip_rules: bool,
    /// Analyze every project for `Scan::advice` (`advise`), whether or not a
    /// selected rule needs the analysis.
    pub advise: bool,
    /// `--kubernetes-version`: the release Kubernetes objects are judged against,
    /// over every configuration's `[kubernetes] version`.
    pub kubernetes_version: Option<KubernetesRelease>,
    /// `--crds`: files or directories of CustomResourceDefinitions to validate
    /// custom resources against, besides the CRDs of the scan; read, never linted.
    pub crd_paths: Vec<PathBuf>,
    /// Text to read instead of the file on disk, by path as the walk finds it: the
    /// language server's open documents with their unsaved edits, and `check --fix`'s
    /// fixed texts re-checked before (or without) writing them. A path under a
    /// scanned directory that is not on disk yet is scanned too.
    pub overlay: HashMap<PathBuf, String>,
}

pub struct Scan {
    /// Every candidate file, indexed by `FileId`.
    pub files: Vec<SpecFile>,
    pub projects: Vec<Project>,
    /// The normalized model of each project (same order as `projects`).
    pub models: Vec<DeploymentModel>,
    /// The advisor's analysis of each project (same order as `projects`; `None` for
    /// a project that runs no workload, and for every project when the request did
    /// not ask for advice: what the `advice/*` rules read is not kept).
    pub(crate) advice: Vec<Option<Advice>>,
    pub diagnostics: Vec<Diagnostic>,
    /// The findings suppressions silenced, in the same order, apart from
    /// `diagnostics`: only JSON, SARIF and `--statistics` show them.
    pub(crate) suppressed: Vec<crate::suppress::Suppressed>,
    /// The file read from standard input, if any.
    pub stdin: Option<FileId>,
    /// Each syntax finding (`code: message`) with its file, before settings and
    /// suppressions: whether a file reads cleanly, whatever is selected (`--fix`
    /// undoes fixes that make a file read worse).
    pub(crate) syntax: Vec<(FileId, String)>,
}

/// How a run used the content cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CacheUse {
    /// Files parsed and linted.
    pub(crate) scanned: usize,
    /// Files whose findings came from the cache.
    pub(crate) reused: usize,
    /// Files read to hash them (the others kept their stored hash by their stat).
    pub(crate) hashed: usize,
}

impl Scan {
    pub fn file(&self, id: FileId) -> &SpecFile {
        &self.files[id.0 as usize]
    }
}

struct Loaded {
    file: SpecFile,
    diags: Vec<Diagnostic>,
}

fn unread(id: FileId, path: &Path, format: Option<Format>, reason: Option<String>) -> SpecFile {
    SpecFile {
        id,
        path: path.to_path_buf(),
        display: crate::source::display_path(path),
        text: String::new(),
        format,
        skipped: reason,
        docs: Vec::new(),
        typed: Typed::None,
    }
}

/// Loads one file in three steps: read it (or take its `overlay` text), classify it
/// by its name, and parse, detect and type it.
fn load(
    id: FileId,
    cand: &Candidate,
    stdin: Option<&StdinInput>,
    overlay: &HashMap<PathBuf, String>,
) -> Loaded {
    let path = &cand.path;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match read::read(id, cand, &name, stdin, overlay.get(path)) {
        Ok(text) => text,
        Err(unread) => return *unread,
    };
    let set_aside = |format, reason| Loaded {
        file: unread(id, path, format, Some(reason)),
        diags: Vec::new(),
    };
    let named = || parse::Named {
        id,
        path,
        name: &name,
        display: match stdin {
            Some(input) => input.name.to_string_lossy().into_owned(),
            None => crate::source::display_path(path),
        },
    };
    match classify::before_parsing(path, &name, &text, stdin.is_some()) {
        BeforeParsing::HelmTemplate { reason } => {
            let mut l = set_aside(Some(Format::Helm), reason);
            l.file.text = text;
            l
        }
        BeforeParsing::NotSpec(reason) => set_aside(None, reason.into()),
        BeforeParsing::Procfile => parse::procfile(named(), text),
        BeforeParsing::Yaml => parse::yaml(named(), text, cand.explicit, stdin.is_some()),
    }
}

/// How many times kustomizations are followed out of the scanned paths (a base of a
/// base of a base ...).
const MAX_KUSTOMIZE_ROUNDS: usize = 8;

/// The files of a request, read and typed but not linted.
pub(crate) struct LoadedFiles {
    pub(crate) files: Vec<SpecFile>,
    /// Findings of reading and parsing.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// For each file, the index of the scanned path it was found under.
    pub(crate) roots: Vec<usize>,
    /// The file read from standard input, if any.
    pub(crate) stdin: Option<FileId>,
}

/// Finds and reads the files of a request, without linting them (all at once:
/// `orchlint files` reads them chunk by chunk, `chunked::list_files`).
#[cfg(test)]
pub(crate) fn load_files(req: &ScanRequest) -> Result<LoadedFiles, String> {
    let (candidates, walk_errors) = candidates(req)?;
    Ok(load_candidates(req, &candidates, walk_errors))
}

/// Reads these files of a request (and the kustomization entries they reach out
/// of the scanned paths), without linting them; says on stderr what the walk could
/// not read.
fn load_candidates(
    req: &ScanRequest,
    candidates: &[Candidate],
    walk_errors: Vec<WalkError>,
) -> LoadedFiles {
    let mut roots: Vec<usize> = candidates.iter().map(|c| c.root).collect();
    let mut max_sizes: Vec<u64> = candidates.iter().map(|c| c.max_size).collect();
    let mut loaded: Vec<Loaded> = candidates
        .par_iter()
        .enumerate()
        .map(|(i, c)| load(FileId(i as u32), c, None, &req.overlay))
        .collect();
    let mut stdin = None;
    if let Some(input) = &req.stdin {
        let id = FileId(loaded.len() as u32);
        stdin = Some(id);
        let cand = Candidate {
            path: input.name.clone(),
            size: input.text.len() as u64,
            explicit: true,
            root: 0,
            max_size: u64::MAX,
            stamp: None,
        };
        loaded.push(load(id, &cand, Some(input), &req.overlay));
        roots.push(0);
        max_sizes.push(u64::MAX);
    }
    let mut files = Vec::with_capacity(loaded.len());
    let mut diags = Vec::new();
    for l in loaded {
        files.push(l.file);
        diags.extend(l.diags);
    }
    load_kustomize_targets(req, &mut files, &mut diags, &mut roots, &mut max_sizes);
    // A Fig file that a Flocker deployment config places is Flocker's, not Compose's.
    crate::project::flocker::adopt_fig_files(&mut files, &mut diags);
    for e in walk_errors {
        eprintln!("orchlint: warning: {}: {}", e.path.display(), e.message);
    }
    LoadedFiles {
        files,
        diagnostics: diags,
        roots,
        stdin,
    }
}

/// The files under the request's paths, each with the walk options of its path's
/// configuration; and what the walk could not read.
fn candidates(req: &ScanRequest) -> Result<(Vec<Candidate>, Vec<WalkError>), String> {
    if req.paths.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let roots = walk_roots(req);
    let (mut found, errors) = discover::discover(&roots)?;
    add_overlaid(req, &roots, &mut found);
    Ok((found, errors))
}

/// The request's paths, each with the walk options of its path's configuration.
fn walk_roots(req: &ScanRequest) -> Vec<(PathBuf, WalkOptions)> {
    let default_config = Config::default();
    req.paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let c = req.configs.get(i).unwrap_or(&default_config);
            let mut walk = req.walk.clone();
            walk.include.extend(c.include.iter().cloned());
            walk.exclude.extend(c.exclude.iter().cloned());
            if let Some(m) = c.max_file_size {
                walk.max_file_size = m;
            }
            (p.clone(), walk)
        })
        .collect()
}

/// Adds the unsaved documents under a scanned directory that the walk did not find
/// (not on disk yet) as candidates, keeping the list sorted.
fn add_overlaid(req: &ScanRequest, roots: &[(PathBuf, WalkOptions)], found: &mut Vec<Candidate>) {
    let mut added = false;
    for (path, text) in &req.overlay {
        if found.iter().any(|c| &c.path == path) || path.exists() {
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy());
        if !name.is_some_and(|n| discover::is_candidate_name(&n)) {
            continue;
        }
        let Some((root, (_, walk))) = roots
            .iter()
            .enumerate()
            .find(|(_, (r, _))| r.is_dir() && path.starts_with(r))
        else {
            continue;
        };
        found.push(Candidate {
            path: path.clone(),
            size: text.len() as u64,
            explicit: false,
            root,
            max_size: walk.max_file_size,
            stamp: None,
        });
        added = true;
    }
    if added {
        found.sort();
    }
}

/// Loads what kustomizations list outside the scanned paths, inside their
/// repository: it is part of their projects (bases of bases included).
fn load_kustomize_targets(
    req: &ScanRequest,
    files: &mut Vec<SpecFile>,
    diags: &mut Vec<Diagnostic>,
    roots: &mut Vec<usize>,
    max_sizes: &mut Vec<u64>,
) {
    for _ in 0..MAX_KUSTOMIZE_ROUNDS {
        let extra = crate::project::kubernetes::kustomize::unscanned_targets(files);
        if extra.is_empty() {
            break;
        }
        for (from, path) in extra {
            let id = FileId(files.len() as u32);
            let root = roots.get(from).copied().unwrap_or(0);
            let max_size = max_sizes.get(from).copied().unwrap_or(u64::MAX);
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let cand = Candidate {
                path,
                size,
                explicit: false,
                root,
                max_size,
                stamp: None,
            };
            let l = load(id, &cand, None, &req.overlay);
            files.push(l.file);
            diags.extend(l.diags);
            roots.push(root);
            max_sizes.push(max_size);
        }
    }
}

/// Loads the CustomResourceDefinition files and directories that `--crds` and the
/// configurations' `[kubernetes] crds` name, skipping files the scan already read.
/// A named path that does not exist is an error; a file that does not read is a
/// finding, as any other.
fn load_crd_sources(
    req: &ScanRequest,
    files: &mut Vec<SpecFile>,
    diags: &mut Vec<Diagnostic>,
    roots: &mut Vec<usize>,
) {
    let named = crd_sources(req);
    if named.is_empty() {
        return;
    }
    let mut seen: std::collections::HashSet<PathBuf> = files
        .iter()
        .map(|f| std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone()))
        .collect();
    for path in named {
        let walk = WalkOptions {
            threads: req.walk.threads,
            follow_symlinks: req.walk.follow_symlinks,
            ..WalkOptions::default()
        };
        // The paths were checked before the scan (`check_crd_sources`).
        let Ok((found, _)) = discover::discover(&[(path, walk)]) else {
            continue;
        };
        for cand in found {
            let key = std::fs::canonicalize(&cand.path).unwrap_or_else(|_| cand.path.clone());
            if !seen.insert(key) {
                continue;
            }
            let id = FileId(files.len() as u32);
            let l = load(id, &cand, None, &req.overlay);
            files.push(l.file);
            diags.extend(l.diags);
            roots.push(0);
        }
    }
}

/// The CRD files and directories `--crds` and the configurations name.
pub(crate) fn crd_sources(req: &ScanRequest) -> Vec<PathBuf> {
    let mut named: Vec<PathBuf> = req.crd_paths.clone();
    for c in &req.configs {
        named.extend(c.crds.iter().cloned());
    }
    named
}

/// A named CRD path that does not exist is an error, before anything is scanned.
pub(crate) fn check_crd_sources(req: &ScanRequest) -> Result<(), String> {
    match crd_sources(req).into_iter().find(|p| !p.exists()) {
        Some(p) => Err(format!(
            "{}: no such CRD file or directory (--crds, [kubernetes] crds)",
            p.display()
        )),
        None => Ok(()),
    }
}

/// The request's files grouped into projects, as a scan groups them.
pub(crate) fn group(req: &ScanRequest, files: &[SpecFile]) -> Vec<Project> {
    let compose_named: Vec<Vec<PathBuf>> = req
        .configs
        .iter()
        .flat_map(|c| c.compose_projects.iter().cloned())
        .collect();
    project::group(files, &compose_named)
}

/// Runs the whole scan.
pub fn run(req: &ScanRequest) -> Result<Scan, String> {
    check_crd_sources(req)?;
    let (candidates, walk_errors) = candidates(req)?;
    Ok(run_on(req, &candidates, walk_errors))
}

/// Runs the scan over these files of the request (all the walk found, or the ones
/// the content cache could not answer for).
fn run_on(req: &ScanRequest, candidates: &[Candidate], walk_errors: Vec<WalkError>) -> Scan {
    run_on_noting(req, candidates, walk_errors).0
}

/// `run_on`, also saying what rules looked up outside their projects
/// (`Context::look_beyond`).
fn run_on_noting(
    req: &ScanRequest,
    candidates: &[Candidate],
    walk_errors: Vec<WalkError>,
) -> (Scan, Vec<Lookup>) {
    finish(req, prepare(req, candidates, walk_errors))
}

/// Files read, parsed, typed and grouped into projects, not linted yet: the
/// part of a scan that `chunked` runs for the next chunk while the current
/// one is linted.
pub(crate) struct Prepared {
    loaded: LoadedFiles,
    projects: Vec<Project>,
}

/// Reads, parses and groups these files of the request.
fn prepare(req: &ScanRequest, candidates: &[Candidate], walk_errors: Vec<WalkError>) -> Prepared {
    let loaded = load_candidates(req, candidates, walk_errors);
    let projects = group(req, &loaded.files);
    Prepared { loaded, projects }
}

/// Lints and settles prepared files: the rest of `run_on_noting`.
fn finish(req: &ScanRequest, prepared: Prepared) -> (Scan, Vec<Lookup>) {
    let Prepared {
        loaded:
            LoadedFiles {
                files,
                mut diagnostics,
                roots,
                stdin,
            },
        projects,
    } = prepared;
    // CRDs named on the command line or in a configuration join the files after
    // grouping: their schemas are read, their objects belong to no project.
    let (files, roots) = {
        let (mut files, mut roots) = (files, roots);
        load_crd_sources(req, &mut files, &mut diagnostics, &mut roots);
        (files, roots)
    };
    // The settings are made again after linting: kept through it, they raised the
    // peak memory of 2,000 Compose files by 2 MiB.
    let selected = if req.skip_rules {
        Vec::new()
    } else {
        selected_rules(&settle::settings_per_file(req, &files, &roots))
    };
    let default_config = Config::default();
    // The configuration of the scanned path a project was found under.
    let config_of = |p: &Project| {
        let root = p
            .files
            .first()
            .and_then(|id| roots.get(id.0 as usize))
            .copied()
            .unwrap_or(0);
        req.configs.get(root).unwrap_or(&default_config)
    };
    // The advisor counts hosts of the size configured where the project was found;
    // Kubernetes objects are judged against the release the command line names,
    // else the one configured there, else the newest the build knows.
    let advisor_of = |p: &Project| config_of(p).advisor;
    let release_of = |p: &Project| {
        req.kubernetes_version
            .or(config_of(p).kubernetes)
            .unwrap_or_default()
    };
    // Custom resources are checked against the CRDs of the whole scan: index them
    // once, for every project's schema rules.
    let crds = selected
        .iter()
        .any(|r| r.meta().family == Family::Schema)
        .then(|| crate::rules::schema::crd::Crds::of(&files));
    // The pod labels of the scan's untyped objects, listed once for every project.
    let untyped_pods = std::sync::OnceLock::new();
    // Where rules find files of the whole scan, indexed once for every project.
    let scan_index = std::sync::OnceLock::new();
    let per_project: Vec<Linted> = projects
        .par_iter()
        .map(|p| {
            lint_project(
                p,
                &files,
                Shared {
                    crds: crds.as_ref(),
                    untyped_pods: Some(&untyped_pods),
                    scan_index: Some(&scan_index),
                },
                &selected,
                &advisor_of(p),
                release_of(p),
                req.advise,
            )
        })
        .collect();
    let mut models = Vec::with_capacity(per_project.len());
    let mut advice = Vec::with_capacity(per_project.len());
    let mut lookups = Vec::new();
    for l in per_project {
        models.push(l.model);
        advice.push(l.advice);
        diagnostics.extend(l.diagnostics);
        lookups.extend(l.lookups);
    }
    let syntax = diagnostics
        .iter()
        .filter(|d| d.rule.family == Family::Syntax)
        .map(|d| (d.file, format!("{}: {}", d.code(), d.message)))
        .collect();
    let settings = settle::settings_per_file(req, &files, &roots);
    let (mut diagnostics, mut suppressed) =
        settle::apply_settings_and_suppressions(&files, &settings, diagnostics);
    mask_secrets(
        &files,
        &models,
        diagnostics
            .iter_mut()
            .chain(suppressed.iter_mut().map(|s| &mut s.diagnostic)),
    );
    let scan = Scan {
        files,
        projects,
        models,
        advice,
        diagnostics,
        suppressed,
        stdin,
        syntax,
    };
    (scan, lookups)
}

/// Marks every literal secret of a file as masked in each finding of that file, so
/// that no output shows it, whichever finding's excerpt reaches it (and whether or
/// not `security/secret-in-env` runs).
fn mask_secrets<'a>(
    files: &[SpecFile],
    models: &[DeploymentModel],
    diags: impl Iterator<Item = &'a mut Diagnostic>,
) {
    let mut secrets: Vec<Vec<crate::source::Span>> = vec![Vec::new(); files.len()];
    // Each project's secrets are found on the worker threads.
    let found: Vec<Vec<crate::source::Loc>> = models
        .par_iter()
        .map(|m| rules::shared::secret_spans(m, files))
        .collect();
    for locs in found {
        for loc in locs {
            if let Some(s) = secrets.get_mut(loc.file.0 as usize) {
                s.push(loc.span);
            }
        }
    }
    for s in &mut secrets {
        s.sort_unstable_by_key(|s| (s.start, s.end));
        s.dedup();
    }
    for d in diags {
        if let Some(s) = secrets.get(d.file.0 as usize).filter(|s| !s.is_empty()) {
            d.redact.extend(s.iter().copied());
            d.redact.sort_unstable_by_key(|s| (s.start, s.end));
            d.redact.dedup();
        }
    }
}

/// The rules some file's settings enable. The others are not run: every finding
/// of theirs would be dropped before suppressions are matched.
fn selected_rules(settings: &[RuleSettings]) -> Vec<&'static dyn Rule> {
    // Most files share one configuration: test each distinct selection once.
    let mut distinct: Vec<&RuleSettings> = Vec::new();
    for s in settings {
        if !distinct
            .iter()
            .any(|d| d.select == s.select && d.ignore == s.ignore)
        {
            distinct.push(s);
        }
    }
    rules::all()
        .iter()
        .copied()
        .filter(|r| distinct.iter().any(|s| s.enabled(r.meta())))
        .collect()
}

/// The rules to run over a project of that format: the selected ones that read it.
fn schedule(format: Format, selected: &[&'static dyn Rule]) -> Vec<&'static dyn Rule> {
    selected
        .iter()
        .copied()
        .filter(|r| r.meta().formats.contains(&format))
        .collect()
}

/// Rules that read the advisor's analysis.
fn needs_advice(meta: &RuleMeta) -> bool {
    meta.family == Family::Advice
}

/// What linting one project gives.
struct Linted {
    model: DeploymentModel,
    advice: Option<Advice>,
    diagnostics: Vec<Diagnostic>,
    /// What rules looked up outside the project.
    lookups: Vec<Lookup>,
    /// Whether the advisor analyzed the project (kept or not).
    #[cfg(test)]
    analyzed: bool,
}

/// Lowers a project, runs the scheduled rules over it, and analyzes it when asked
/// to (`advise`) or when a scheduled rule needs the analysis.
/// What the rules of every project of a scan share: indexes made once per scan.
#[derive(Clone, Copy, Default)]
struct Shared<'a> {
    crds: Option<&'a crate::rules::schema::crd::Crds<'a>>,
    untyped_pods: Option<&'a std::sync::OnceLock<crate::rules::UntypedPods>>,
    scan_index: Option<&'a std::sync::OnceLock<crate::rules::ScanIndex>>,
}

fn lint_project<'a>(
    project: &'a Project,
    files: &'a [SpecFile],
    shared: Shared<'a>,
    selected: &[&'static dyn Rule],
    settings: &AdvisorSettings,
    release: KubernetesRelease,
    advise: bool,
) -> Linted {
    // A Compose project's merged view serves the lowering and every Compose rule.
    let compose_view = (project.format == Format::Compose)
        .then(|| crate::project::compose::ProjectView::new(project, files));
    let model = match &compose_view {
        Some(view) => crate::model::lower::compose::lower_with(project, files, view),
        None => crate::model::lower::lower(project, files),
    };
    let advice = OnceCell::new();
    // The rules read no migration plan: only `advise` (and `migrate`) build one.
    let analyze = || {
        if advise {
            advise::analyze(project, files, &model, settings)
        } else {
            advise::analyze_for_rules(project, files, &model, settings)
        }
    };
    if advise {
        advice.get_or_init(analyze);
    }
    let schema = std::sync::OnceLock::new();
    let mut out = Vec::new();
    let mut lookups = Vec::new();
    for rule in schedule(project.format, selected) {
        let meta = rule.meta();
        let mut cx = Context::new(project, files, &model, meta);
        if needs_advice(meta) {
            cx.advice = advice.get_or_init(analyze).as_ref();
        }
        cx.compose = compose_view.as_ref();
        cx.crds = shared.crds;
        cx.untyped_pods = shared.untyped_pods;
        cx.scan_index = shared.scan_index;
        cx.schema = Some(&schema);
        cx.kubernetes = release;
        rule.check(&mut cx);
        lookups.extend(cx.take_lookups());
        out.extend(cx.into_diagnostics());
    }
    // The analysis is kept only for the commands that show it (`advise`,
    // `migrate`); an advice rule's is dropped here, on the worker thread.
    #[cfg(test)]
    let analyzed = advice.get().is_some();
    let advice = if advise {
        advice.into_inner().flatten()
    } else {
        None
    };
    Linted {
        model,
        advice,
        #[cfg(test)]
        analyzed,
        diagnostics: out,
        lookups,
    }
}

#[cfg(test)]
mod tests;
