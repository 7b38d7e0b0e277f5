//! The scan, in one direction: discover → read → parse → detect → typed model →
//! projects → normalized model → rules → configuration and suppressions → sorted
//! diagnostics. Files are read, parsed and typed in parallel; projects are linted
//! in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::advise::{self, Advice, AdvisorSettings};
use crate::config::{Config, RuleSettings};
use crate::diagnostic::builtin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::formats::detect::{self, Detection};
use crate::formats::{brooklyn, compose, flocker, helm, kubernetes, marathon, procfile};
use crate::model::DeploymentModel;
use crate::project::{Project, SpecFile, Typed};
use crate::rules::{self, Context};
use crate::source::discover::{self, Candidate, WalkOptions};
use crate::source::{FileId, Format};
use crate::source::{LineIndex, Span};
use crate::suppress::{self, Suppression};
use crate::yaml::{self, IssueKind};

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
    /// Lower and advise only, without running the rules (`advise` and `graph` print
    /// no findings).
    pub skip_rules: bool,
}

pub struct Scan {
    /// Every candidate file, indexed by `FileId`.
    pub files: Vec<SpecFile>,
    pub projects: Vec<Project>,
    /// The normalized model of each project (same order as `projects`).
    pub models: Vec<DeploymentModel>,
    /// The advisor's analysis of each project (same order as `projects`; `None` for
    /// a project that runs no workload).
    pub advice: Vec<Option<Advice>>,
    pub diagnostics: Vec<Diagnostic>,
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
        display: discover::display_path(path),
        text: String::new(),
        format,
        skipped: reason,
        docs: Vec::new(),
        typed: Typed::None,
    }
}

/// Reads, parses, detects and types one file.
fn load(id: FileId, cand: &Candidate, stdin: Option<&StdinInput>) -> Loaded {
    let max_size = cand.max_size;
    let path = &cand.path;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut diags = Vec::new();
    let text = if let Some(input) = stdin {
        input.text.clone()
    } else {
        if cand.size > max_size {
            let guess = detect::DETECTORS
                .iter()
                .find(|d| (d.by_name)(&name))
                .map(|d| d.format);
            diags.push(Diagnostic::new(
                &builtin::FILE_TOO_LARGE,
                id,
                Span::empty(0),
                format!(
                    "{} bytes is more than the limit of {max_size} bytes; the file was not read (raise it with --max-file-size)",
                    cand.size
                ),
            ));
            return Loaded {
                file: unread(id, path, guess, Some("larger than --max-file-size".into())),
                diags,
            };
        }
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                diags.push(Diagnostic::new(
                    &builtin::UNREADABLE_FILE,
                    id,
                    Span::empty(0),
                    format!("cannot read the file: {e}"),
                ));
                return Loaded {
                    file: unread(id, path, None, Some(format!("unreadable: {e}"))),
                    diags,
                };
            }
        };
        if name.to_ascii_lowercase().ends_with(".bom")
            && (bytes.contains(&0)
                || std::str::from_utf8(&bytes).map_or(true, |t| !t.contains("brooklyn")))
        {
            // `.bom` is also the extension of macOS installer bills of materials
            // (binary) and other tools' files: only Brooklyn catalogs are specs.
            return Loaded {
                file: unread(
                    id,
                    path,
                    None,
                    Some("not a Brooklyn catalog: no `brooklyn` keys".into()),
                ),
                diags,
            };
        }
        if bytes.contains(&0) {
            diags.push(Diagnostic::new(
                &builtin::UNREADABLE_FILE,
                id,
                Span::empty(0),
                "the file is binary (it contains NUL bytes), not YAML or JSON".into(),
            ));
            return Loaded {
                file: unread(id, path, None, Some("binary".into())),
                diags,
            };
        }
        match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let mut f = unread(id, path, None, Some("not UTF-8".into()));
                // Keep the valid prefix so the finding can show where it breaks.
                f.text = String::from_utf8_lossy(&e.into_bytes()[..at]).into_owned();
                diags.push(Diagnostic::new(
                    &builtin::UNREADABLE_FILE,
                    id,
                    Span::empty(at),
                    format!("the file is not UTF-8 text (invalid byte at offset {at})"),
                ));
                return Loaded { file: f, diags };
            }
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    if stdin.is_none() && detect::is_helm_template(path, &text) {
        let chart = helm::chart_dir_of_template(path);
        let mut f = unread(
            id,
            path,
            Some(Format::Helm),
            Some(helm::template_reason(chart.as_deref())),
        );
        f.text = text;
        return Loaded { file: f, diags };
    }
    let display = match stdin {
        Some(input) => input.name.to_string_lossy().into_owned(),
        None => discover::display_path(path),
    };
    if name == procfile::PROCFILE {
        // Not YAML: a line format of its own.
        let typed = Typed::Procfile(procfile::read_procfile(id, &text, &mut diags));
        return Loaded {
            file: SpecFile {
                id,
                path: path.clone(),
                display,
                text,
                format: Some(Format::Procfile),
                skipped: None,
                docs: Vec::new(),
                typed,
            },
            diags,
        };
    }
    if let Some(reason) = detect::known_non_spec(&name, &text) {
        return Loaded {
            file: unread(id, path, None, Some(reason.into())),
            diags,
        };
    }
    let parsed = yaml::parse(&text);
    let json = name.to_ascii_lowercase().ends_with(".json");
    let mut detection = detect::detect(&name, &parsed.documents, json);
    if stdin.is_none() && helm::is_values_file(path) {
        detection = Detection::Spec(Format::Helm);
    }
    if parsed.is_fatal() && matches!(detection, Detection::Skipped(_)) {
        // A broken file: say so when it looks like a spec (or was named explicitly).
        match detect::detect_broken(&name, &text) {
            Some(f) => detection = Detection::Spec(f),
            None if cand.explicit || stdin.is_some() => {
                detection = Detection::Spec(Format::Kubernetes);
            }
            None => {}
        }
    }
    if parsed.documents.is_empty() && !parsed.is_fatal() && matches!(detection, Detection::Spec(_))
    {
        let mut f = unread(id, path, None, None);
        if let Detection::Spec(format) = detection {
            f.format = Some(format);
        }
        diags.push(Diagnostic::new(
            &builtin::EMPTY_FILE,
            id,
            Span::empty(0),
            "the file is empty: it holds no document".into(),
        ));
        return Loaded { file: f, diags };
    }
    let format = match detection {
        Detection::Spec(f) => f,
        Detection::Skipped(reason) => {
            let reason = if parsed.is_fatal() {
                format!("{reason} (and not valid YAML)")
            } else {
                reason
            };
            return Loaded {
                file: unread(id, path, None, Some(reason)),
                diags,
            };
        }
    };
    for issue in &parsed.issues {
        let meta = match issue.kind {
            IssueKind::DuplicateKey => &builtin::DUPLICATE_KEY,
            IssueKind::Syntax | IssueKind::Budget => &builtin::INVALID_SYNTAX,
        };
        let message = match issue.kind {
            IssueKind::Syntax => format!("invalid YAML: {}", issue.message),
            _ => issue.message.clone(),
        };
        let mut d = Diagnostic::new(meta, id, issue.span, message);
        if let Some(rel) = issue.related {
            let note = match issue.kind {
                IssueKind::DuplicateKey => "first defined here",
                _ => "this bracket is not closed",
            };
            d = d.with_related(id, rel, note);
        }
        diags.push(d);
    }
    let typed = match format {
        Format::Compose => Typed::Compose(compose::read(id, &parsed.documents, &mut diags)),
        Format::Kubernetes => {
            Typed::Kubernetes(kubernetes::read(id, &parsed.documents, &mut diags))
        }
        Format::Marathon => Typed::Marathon(marathon::read(id, &parsed.documents, &mut diags)),
        Format::Flocker => Typed::Flocker(flocker::read(id, &parsed.documents, &mut diags)),
        Format::Brooklyn => Typed::Brooklyn(brooklyn::read(id, &parsed.documents, &mut diags)),
        Format::Procfile => {
            Typed::Procfile(procfile::read_manifest(id, &parsed.documents, &mut diags))
        }
        Format::Helm if helm::is_chart_name(&name) => {
            Typed::Helm(helm::read_chart(id, &parsed.documents, &mut diags))
        }
        Format::Helm => Typed::Helm(helm::read_values(&parsed.documents)),
    };
    Loaded {
        file: SpecFile {
            id,
            path: path.clone(),
            display,
            text,
            format: Some(format),
            skipped: None,
            docs: parsed.documents,
            typed,
        },
        diags,
    }
}

/// How many times kustomizations are followed out of the scanned paths (a base of a
/// base of a base ...).
const MAX_KUSTOMIZE_ROUNDS: usize = 8;

/// The files of a request, read and typed but not linted.
pub struct LoadedFiles {
    pub files: Vec<SpecFile>,
    /// Findings of reading and parsing.
    pub diagnostics: Vec<Diagnostic>,
    /// For each file, the index of the scanned path it was found under.
    pub roots: Vec<usize>,
}

/// Finds and reads the files of a request, without linting them.
pub fn load_files(req: &ScanRequest) -> Result<LoadedFiles, String> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut walk_errors = Vec::new();
    if !req.paths.is_empty() {
        let default_config = Config::default();
        let roots: Vec<(PathBuf, WalkOptions)> = req
            .paths
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
            .collect();
        let (found, errors) = discover::discover(&roots)?;
        candidates = found;
        walk_errors = errors;
    }
    let mut roots: Vec<usize> = candidates.iter().map(|c| c.root).collect();
    let mut loaded: Vec<Loaded> = candidates
        .par_iter()
        .enumerate()
        .map(|(i, c)| load(FileId(i as u32), c, None))
        .collect();
    if let Some(input) = &req.stdin {
        let id = FileId(loaded.len() as u32);
        let cand = Candidate {
            path: input.name.clone(),
            size: input.text.len() as u64,
            explicit: true,
            root: 0,
            max_size: u64::MAX,
        };
        loaded.push(load(id, &cand, Some(input)));
        roots.push(0);
    }
    let mut max_sizes: Vec<u64> = candidates.iter().map(|c| c.max_size).collect();
    if req.stdin.is_some() {
        max_sizes.push(u64::MAX);
    }
    let mut files = Vec::with_capacity(loaded.len());
    let mut diags = Vec::new();
    for l in loaded {
        files.push(l.file);
        diags.extend(l.diags);
    }
    // What kustomizations list outside the scanned paths, inside their repository,
    // is part of their projects: load it too (bases of bases included).
    for _ in 0..MAX_KUSTOMIZE_ROUNDS {
        let extra = crate::project::kubernetes::kustomize::unscanned_targets(&files);
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
            };
            let l = load(id, &cand, None);
            files.push(l.file);
            diags.extend(l.diags);
            roots.push(root);
            max_sizes.push(max_size);
        }
    }
    // A Fig file that a Flocker deployment config places is Flocker's, not Compose's.
    crate::project::flocker::adopt_fig_files(&mut files, &mut diags);
    for e in walk_errors {
        eprintln!("orchlint: warning: {}: {}", e.path.display(), e.message);
    }
    Ok(LoadedFiles {
        files,
        diagnostics: diags,
        roots,
    })
}

/// Runs the whole scan.
pub fn run(req: &ScanRequest) -> Result<Scan, String> {
    let LoadedFiles {
        files,
        mut diagnostics,
        roots,
    } = load_files(req)?;
    let projects = crate::project::group(&files);
    let default_config = Config::default();
    // The advisor counts hosts of the size configured where the project was found.
    let advisor_of = |p: &Project| {
        let root = p
            .files
            .first()
            .and_then(|id| roots.get(id.0 as usize))
            .copied()
            .unwrap_or(0);
        req.configs.get(root).unwrap_or(&default_config).advisor
    };
    let per_project: Vec<(DeploymentModel, Option<Advice>, Vec<Diagnostic>)> = projects
        .par_iter()
        .map(|p| lint_project(p, &files, &advisor_of(p), req.skip_rules))
        .collect();
    let mut models = Vec::with_capacity(per_project.len());
    let mut advice = Vec::with_capacity(per_project.len());
    for (model, a, diags) in per_project {
        models.push(model);
        advice.push(a);
        diagnostics.extend(diags);
    }
    let settings: Vec<RuleSettings> = files
        .iter()
        .zip(roots.iter().chain(std::iter::repeat(&0)))
        .map(|(f, root)| {
            let config = req.configs.get(*root).unwrap_or(&default_config);
            // Per-path overrides match paths relative to the config file's folder.
            let mut s = if config.overrides.is_empty() {
                config.rules.clone()
            } else {
                let abs = std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone());
                config.settings_for(&abs).into_owned()
            };
            if let Some(sel) = &req.cli_select {
                s.select = sel.clone();
            }
            s.ignore.extend(req.cli_ignore.iter().cloned());
            s
        })
        .collect();
    let diagnostics = apply_settings_and_suppressions(&files, &settings, diagnostics);
    Ok(Scan {
        files,
        projects,
        models,
        advice,
        diagnostics,
    })
}

fn lint_project(
    project: &Project,
    files: &[SpecFile],
    settings: &AdvisorSettings,
    skip_rules: bool,
) -> (DeploymentModel, Option<Advice>, Vec<Diagnostic>) {
    // A Compose project's merged view serves the lowering and every Compose rule.
    let compose_view = (project.format == Format::Compose)
        .then(|| crate::project::compose::ProjectView::new(project, files));
    let model = match &compose_view {
        Some(view) => crate::model::lower::compose::lower_with(project, files, view),
        None => crate::model::lower::lower(project, files),
    };
    let advice = advise::analyze(project, files, &model, settings);
    let mut out = Vec::new();
    for rule in rules::all().iter().filter(|_| !skip_rules) {
        let meta = rule.meta();
        if !meta.formats.contains(&project.format) {
            continue;
        }
        let mut cx = Context::new(project, files, &model, meta);
        cx.advice = advice.as_ref();
        cx.compose = compose_view.as_ref();
        rule.check(&mut cx);
        out.extend(cx.into_diagnostics());
    }
    (model, advice, out)
}

/// Drops disabled rules, applies severity overrides and suppressions, reports
/// stale and unknown suppressions, and sorts.
fn apply_settings_and_suppressions(
    files: &[SpecFile],
    settings: &[RuleSettings],
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut by_file: Vec<Vec<Diagnostic>> = (0..files.len()).map(|_| Vec::new()).collect();
    for d in diagnostics {
        if let Some(slot) = by_file.get_mut(d.file.0 as usize) {
            slot.push(d);
        }
    }
    let metas = rules::all_meta();
    let mut out: Vec<Diagnostic> = by_file
        .into_par_iter()
        .enumerate()
        .flat_map_iter(|(i, diags)| {
            let file = &files[i];
            let s = &settings[i];
            let mut kept: Vec<Diagnostic> = diags
                .into_iter()
                .filter(|d| s.enabled(d.rule))
                .map(|mut d| {
                    d.severity = s.severity_of(d.rule);
                    d
                })
                .collect();
            let mut sups: Vec<Suppression> = Vec::new();
            if file.text.contains("orchlint-ignore") || file.text.contains(suppress::ANNOTATION) {
                let index = LineIndex::new(&file.text);
                sups = suppress::from_comments(&file.text, &index);
                if file.format == Some(Format::Kubernetes) {
                    sups.extend(suppress::from_annotations(&file.docs));
                }
                kept.retain(|d| {
                    let line = index.line_col(&file.text, d.span.start).line;
                    let mut silenced = false;
                    for sup in sups.iter_mut() {
                        if !sup.covers(line, d.span) {
                            continue;
                        }
                        for e in sup.entries.iter_mut() {
                            if suppress::name_matches(&e.name, d.rule) {
                                e.used = true;
                                silenced = true;
                            }
                        }
                    }
                    !silenced
                });
            }
            for sup in &sups {
                for e in &sup.entries {
                    let known: Vec<_> = metas
                        .iter()
                        .filter(|m| suppress::name_matches(&e.name, m))
                        .collect();
                    if known.is_empty() {
                        let hint = crate::source::closest(&e.name, metas.iter().map(|m| m.name))
                            .map(|c| format!("; did you mean `{c}`?"))
                            .unwrap_or_default();
                        let d = Diagnostic::new(
                            &builtin::UNKNOWN_RULE,
                            file.id,
                            e.span,
                            format!("`{}` is not a rule or family{hint}", e.name),
                        );
                        if s.enabled(d.rule) {
                            kept.push(d);
                        }
                    } else if !e.used && known.iter().any(|m| s.enabled(m)) {
                        let d = Diagnostic::new(
                            &builtin::UNUSED_SUPPRESSION,
                            file.id,
                            e.span,
                            format!("suppression of `{}` matches no finding", e.name),
                        )
                        .with_help("remove it, or move it to the line of the finding");
                        if s.enabled(d.rule) {
                            let mut d = d;
                            d.severity = s.severity_of(d.rule);
                            kept.push(d);
                        }
                    }
                }
            }
            kept
        })
        .collect();
    out.sort_by(|a, b| {
        let fa = &files[a.file.0 as usize].display;
        let fb = &files[b.file.0 as usize].display;
        fa.cmp(fb)
            .then(a.span.start.cmp(&b.span.start))
            .then(a.span.end.cmp(&b.span.end))
            .then(a.rule.family.as_str().cmp(b.rule.family.as_str()))
            .then(a.rule.name.cmp(b.rule.name))
            .then(a.message.cmp(&b.message))
    });
    // A file shared by several projects (an `extends` template, a kustomize base)
    // is linted with each of them; say each finding once.
    out.dedup_by(|a, b| {
        a.file == b.file
            && a.span == b.span
            && std::ptr::eq(a.rule, b.rule)
            && a.message == b.message
    });
    out
}

/// The worst severity among the diagnostics.
pub fn worst(diags: &[Diagnostic]) -> Option<Severity> {
    diags.iter().map(|d| d.severity).max()
}
