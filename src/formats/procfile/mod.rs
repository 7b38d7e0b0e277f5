//! Heroku-style apps (Heroku, Flynn, Deis, Dokku, ...): a `Procfile` declares the
//! process types, an optional `app.json` the formation (how many of each, on what
//! size), the add-ons (data stores the platform runs) and the buildpacks.
//!
//! - `model`: the Procfile line parser and the `app.json` reader.
//! - `group`: a Procfile and the `app.json` of the same directory are one app.
//! - `lower`: one workload per process type; add-ons become backing services.
//!
//! Flynn, Deis (v1 and Workflow), Dokku and Heroku read the same Procfile; only
//! `app.json` keys some of them read (Heroku's add-ons and stacks, Dokku's cron and
//! health checks) tell them apart. Where nothing does, the platform is reported as
//! `paas` with the candidates, not guessed.

pub mod model;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::model::{BackingService, Container, DeploymentModel, EnvVar, Evidence, Platform, Workload, WorkloadKind};
use crate::source::{FileId, Format};
use crate::formats::{Project, SpecFile};
use crate::source::{Span, Spanned};
use crate::yaml::Node;

pub use model::{AppJson, Procfile, ProcfileFile};

pub use crate::source::PROCFILE;

/// Reads a Procfile's text.
pub fn read_procfile(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> ProcfileFile {
    ProcfileFile::Procfile(model::parse_procfile(file, text, diags))
}

/// Reads an `app.json` manifest from its documents.
pub fn read_manifest(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> ProcfileFile {
    ProcfileFile::Manifest(model::read_manifest(file, docs, diags))
}

/// A Procfile and the `app.json` beside it are one project; each directory is one.
pub fn group(files: &[&SpecFile]) -> Vec<Project> {
    let mut by_dir: BTreeMap<PathBuf, Vec<&SpecFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    by_dir
        .into_iter()
        .map(|(root, mut in_dir)| {
            // The Procfile first: it is the main file.
            in_dir.sort_by_key(|f| (f.procfile_model().and_then(procfile_of).is_none(), f.id));
            Project {
                root,
                format: Format::Procfile,
                files: in_dir.iter().map(|f| f.id).collect(),
            }
        })
        .collect()
}

fn procfile_of(p: &ProcfileFile) -> Option<&Procfile> {
    match p {
        ProcfileFile::Procfile(p) => Some(p),
        ProcfileFile::Manifest(_) => None,
    }
}

fn manifest_of(p: &ProcfileFile) -> Option<&AppJson> {
    match p {
        ProcfileFile::Manifest(m) => Some(m),
        ProcfileFile::Procfile(_) => None,
    }
}

/// A project's Procfile and manifest, each with its file.
pub type Parts<'a> = (
    Option<(&'a SpecFile, &'a Procfile)>,
    Option<(&'a SpecFile, &'a AppJson)>,
);

/// The project's Procfile and manifest, with their files.
pub fn parts<'a>(project: &Project, files: &'a [SpecFile]) -> Parts<'a> {
    let mut procfile = None;
    let mut manifest = None;
    for id in &project.files {
        let Some(f) = files.get(id.0 as usize) else {
            continue;
        };
        let Some(m) = f.procfile_model() else {
            continue;
        };
        if procfile.is_none()
            && let Some(p) = procfile_of(m)
        {
            procfile = Some((f, p));
        }
        if manifest.is_none()
            && let Some(a) = manifest_of(m)
        {
            manifest = Some((f, a));
        }
    }
    (procfile, manifest)
}

/// The memory of a Heroku dyno size (Heroku Dev Center, "Dyno Types": eco, basic
/// and standard-1x 512 MB, standard-2x 1024 MB, performance-m 2.5 GB,
/// performance-l 14 GB; "Dyno Size" of 2014-2015: 1X 512 MB, 2X 1024 MB, PX 6 GB).
/// Other platforms name sizes their own way: unknown names give nothing.
pub fn dyno_memory(size: &str) -> Option<u64> {
    const MIB: u64 = 1024 * 1024;
    Some(match size.trim().to_ascii_lowercase().as_str() {
        "free" | "hobby" | "eco" | "basic" | "standard-1x" | "1x" => 512 * MIB,
        "standard-2x" | "2x" => 1024 * MIB,
        "performance-m" => 2560 * MIB,
        "performance-l" => 14 * 1024 * MIB,
        "px" => 6 * 1024 * MIB,
        _ => return None,
    })
}

/// The data store an add-on plan provides, when its name says.
pub fn addon_store(plan: &str) -> Option<&'static str> {
    let service = plan.split(':').next().unwrap_or(plan).to_ascii_lowercase();
    const STORES: &[(&str, &str)] = &[
        ("postgres", "postgresql"),
        ("redis", "redis"),
        ("mysql", "mysql"),
        ("jawsdb", "mysql"),
        ("cleardb", "mysql"),
        ("mongo", "mongodb"),
        ("kafka", "kafka"),
        ("elasticsearch", "elasticsearch"),
        ("bonsai", "elasticsearch"),
        ("searchbox", "elasticsearch"),
        ("memcache", "memcached"),
        ("rabbitmq", "rabbitmq"),
        ("cloudamqp", "rabbitmq"),
    ];
    STORES
        .iter()
        .find(|(k, _)| service.contains(k))
        .map(|(_, v)| *v)
}

/// Lowers a Heroku-style app: one workload per process type (from the Procfile,
/// and from `app.json`'s formation where the Procfile is absent or lacks the type),
/// replicas from `formation.<type>.quantity`, memory from a known dyno `size`, the
/// manifest's literal env defaults
/// on the first process type (they are app-wide: reporting them once is enough),
/// add-ons as backing services.
pub fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let mut model = DeploymentModel::default();
    let (procfile, manifest) = parts(project, files);
    if let Some((f, p)) = procfile {
        for e in &p.entries {
            if model.workloads.iter().any(|w| w.name == e.name.value) {
                continue;
            }
            let mut w = Workload::new(
                f.id,
                Format::Procfile,
                WorkloadKind::ProcessType,
                e.name.value.clone(),
                e.name.span,
            );
            w.containers.push(Container::new(e.name.clone()));
            model.workloads.push(w);
        }
    }
    if let Some((mf, m)) = manifest {
        for fm in &m.formation {
            let slot = match model.workloads.iter().position(|w| w.name == fm.name.value) {
                Some(i) => i,
                None if procfile.is_none() => {
                    let mut w = Workload::new(
                        mf.id,
                        Format::Procfile,
                        WorkloadKind::ProcessType,
                        fm.name.value.clone(),
                        fm.name.span,
                    );
                    w.containers.push(Container::new(fm.name.clone()));
                    model.workloads.push(w);
                    model.workloads.len() - 1
                }
                // A formation for a type the Procfile lacks: a rule reports it.
                None => continue,
            };
            let w = &mut model.workloads[slot];
            if let Some(q) = &fm.quantity {
                w.replicas = Some(q.clone());
                if w.file != mf.id {
                    w.span_files.push((q.span, mf.id));
                }
            }
            if let Some(size) = &fm.size
                && let Some(bytes) = dyno_memory(&size.value)
            {
                if let Some(c) = w.containers.first_mut() {
                    c.resources.memory_limit = Some(Spanned::new(bytes, size.span));
                }
                if w.file != mf.id {
                    w.span_files.push((size.span, mf.id));
                }
            }
        }
        if let Some(w) = model.workloads.first_mut() {
            let mut env = Vec::new();
            for e in &m.env {
                env.push(EnvVar {
                    name: e.name.clone(),
                    value: e.value.clone(),
                });
                if w.file != mf.id {
                    w.span_files.push((e.name.span, mf.id));
                    if let Some(v) = &e.value {
                        w.span_files.push((v.span, mf.id));
                    }
                }
            }
            if let Some(c) = w.containers.first_mut() {
                c.env = env;
            }
        }
        for a in &m.addons {
            model.backing_services.push(BackingService {
                file: mf.id,
                span: a.plan.span,
                name: a.plan.value.clone(),
                store: addon_store(&a.plan.value),
            });
        }
    }
    model.platform = Some(platform(procfile, manifest));
    model
}

/// Which platform the app is for: Heroku when the manifest uses keys only Heroku
/// reads, Dokku when it uses Dokku's own, else any Heroku-style PaaS.
fn platform(
    procfile: Option<(&SpecFile, &Procfile)>,
    manifest: Option<(&SpecFile, &AppJson)>,
) -> Platform {
    let mut evidence = Vec::new();
    if let Some((f, p)) = procfile {
        evidence.push(Evidence {
            file: f.id,
            span: p.entries.first().map_or(Span::empty(0), |e| e.name.span),
            what: "a Procfile, which Heroku, Flynn, Deis and Dokku all read".into(),
        });
    }
    let ev = |f: &SpecFile, k: &Spanned<String>, who: &str| Evidence {
        file: f.id,
        span: k.span,
        what: format!("`{}` in app.json, which only {who} reads", k.value),
    };
    if let Some((f, m)) = manifest {
        if !m.dokku_keys.is_empty() && m.heroku_keys.is_empty() {
            evidence.extend(m.dokku_keys.iter().map(|k| ev(f, k, "Dokku")));
            return Platform {
                id: "dokku",
                candidates: Vec::new(),
                evidence,
            };
        }
        if !m.heroku_keys.is_empty() && m.dokku_keys.is_empty() {
            evidence.extend(m.heroku_keys.iter().map(|k| ev(f, k, "Heroku")));
            return Platform {
                id: "heroku",
                candidates: Vec::new(),
                evidence,
            };
        }
    }
    Platform {
        id: "paas",
        candidates: vec!["heroku", "flynn", "deis", "dokku"],
        evidence,
    }
}
