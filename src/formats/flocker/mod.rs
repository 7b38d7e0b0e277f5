//! ClusterHQ Flocker (1.0, 2015): an application config says what runs, a
//! deployment config says on which nodes; `flocker-deploy` makes the cluster
//! match both. Flocker moved each application's dataset (its one volume) with it.
//! ClusterHQ shut down in December 2016; the container API was removed in 1.13.
//!
//! - `model`: both configs and the Fig-compatible application config.
//! - `group`: an application config with the deployment configs that place its
//!   applications (`x-application.yml` with `x-deployment.yml` and
//!   `x-deployment-moved.yml`).
//! - `lower`: one workload per application; a dataset is a named volume owned by
//!   the app; the node lists are host counts; the first deployment config places
//!   the applications.

pub mod model;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::model::quantity::docker_bytes;
use crate::model::{Container, DeploymentModel, EnvVar, Evidence, HostCount, Mount, MountKind, Platform, Port, Volume, VolumeDecl, Workload, WorkloadKind};
use crate::source::{FileId, Format};
use crate::formats::{Project, SpecFile, Typed};
use crate::source::Spanned;
use crate::yaml::Node;

pub use model::{AppConfig, DeploymentConfig, FlockerFile};

pub fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> FlockerFile {
    model::read(file, docs, diags)
}

fn apps_of(f: &SpecFile) -> Option<&AppConfig> {
    match f.flocker()? {
        FlockerFile::Applications(a) => Some(a),
        FlockerFile::Deployment(_) => None,
    }
}

fn deployment_of(f: &SpecFile) -> Option<&DeploymentConfig> {
    match f.flocker()? {
        FlockerFile::Deployment(d) => Some(d),
        FlockerFile::Applications(_) => None,
    }
}

/// The file name without extension, lowercased.
fn stem(f: &SpecFile) -> String {
    let name = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.rsplit_once('.')
        .map_or(name.clone(), |(s, _)| s.to_string())
}

/// The part of a name before `application`/`deployment` (`elk-` of
/// `elk-deployment-moved`).
fn prefix(stem: &str) -> &str {
    ["application", "deployment"]
        .iter()
        .find_map(|w| stem.find(w).map(|i| &stem[..i]))
        .unwrap_or(stem)
}

/// Pairs each deployment config of a directory with the application config that
/// defines most of the applications it places (ties: the one whose name shares its
/// prefix, then the first). Deployment configs first by name length, so
/// `x-deployment.yml` comes before `x-deployment-moved.yml`.
pub fn group(files: &[&SpecFile]) -> Vec<Project> {
    let mut by_dir: BTreeMap<PathBuf, Vec<&SpecFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    let mut projects = Vec::new();
    for (root, in_dir) in by_dir {
        let apps: Vec<&SpecFile> = in_dir
            .iter()
            .copied()
            .filter(|f| apps_of(f).is_some())
            .collect();
        let mut deployments: Vec<&SpecFile> = in_dir
            .iter()
            .copied()
            .filter(|f| deployment_of(f).is_some())
            .collect();
        deployments.sort_by_key(|f| (stem(f).len(), stem(f)));
        let mut members: Vec<Vec<FileId>> = apps.iter().map(|a| vec![a.id]).collect();
        let mut lone: Vec<FileId> = Vec::new();
        for d in deployments {
            let placed: HashSet<&str> = deployment_of(d)
                .map(|c| {
                    c.nodes
                        .iter()
                        .flat_map(|n| n.applications.iter().map(|a| a.value.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            let d_stem = stem(d);
            let best = apps
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let defined = apps_of(a).map_or(0, |c| {
                        c.applications
                            .iter()
                            .filter(|x| placed.contains(x.name.value.as_str()))
                            .count()
                    });
                    let same_prefix = prefix(&stem(a)) == prefix(&d_stem);
                    (defined, same_prefix, std::cmp::Reverse(i))
                })
                .max();
            match best {
                Some((defined, same_prefix, std::cmp::Reverse(i)))
                    if defined > 0 || same_prefix || apps.len() == 1 =>
                {
                    members[i].push(d.id);
                }
                _ => lone.push(d.id),
            }
        }
        for files in members {
            projects.push(Project {
                root: root.clone(),
                format: Format::Flocker,
                files,
            });
        }
        for id in lone {
            projects.push(Project {
                root: root.clone(),
                format: Format::Flocker,
                files: vec![id],
            });
        }
    }
    projects.sort_by(|a, b| a.files.first().cmp(&b.files.first()));
    projects
}

/// A Fig file beside a Flocker deployment config that places its services is
/// Flocker's Fig-compatible application config, not a Compose file: re-read it so.
/// Returns the ids of the files re-read.
pub fn adopt_fig_files(files: &mut [SpecFile], diags: &mut Vec<Diagnostic>) -> Vec<FileId> {
    let mut placed: BTreeMap<PathBuf, HashSet<String>> = BTreeMap::new();
    for f in files.iter() {
        if let Some(d) = deployment_of(f) {
            placed.entry(f.dir()).or_default().extend(
                d.nodes
                    .iter()
                    .flat_map(|n| n.applications.iter().map(|a| a.value.clone())),
            );
        }
    }
    if placed.is_empty() {
        return Vec::new();
    }
    let mut adopted = Vec::new();
    for f in files.iter_mut() {
        let Some(names) = placed.get(&f.dir()) else {
            continue;
        };
        let Some(c) = f.compose() else { continue };
        if !c.legacy_v1 || !c.services.iter().any(|s| names.contains(&s.name.value)) {
            continue;
        }
        let id = f.id;
        // The Compose reading's type findings make way for Flocker's; parse findings
        // (syntax, duplicate keys) stay.
        diags.retain(|d| d.file != id || d.rule.name != "wrong-type");
        f.typed = Typed::Flocker(model::read_fig(id, &f.docs, diags));
        f.format = Some(Format::Flocker);
        adopted.push(id);
    }
    adopted
}

/// Lowers an application config with its deployment configs.
pub fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let mut model = DeploymentModel::default();
    let members: Vec<&SpecFile> = project
        .files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
        .collect();
    let mut evidence = Vec::new();
    for f in &members {
        let Some(config) = apps_of(f) else { continue };
        for app in &config.applications {
            lower_app(&mut model, f.id, app);
        }
        evidence.push(Evidence {
            file: f.id,
            span: config
                .applications
                .first()
                .map_or(crate::source::Span::empty(0), |a| a.name.span),
            what: if config.fig {
                "a Fig file that a Flocker deployment config places (Flocker's Fig-compatible application config)".into()
            } else {
                "a Flocker application config (`version: 1` and `applications`)".into()
            },
        });
    }
    resolve_port_links(&mut model);
    let deployments: Vec<(&SpecFile, &DeploymentConfig)> = members
        .iter()
        .filter_map(|f| deployment_of(f).map(|d| (*f, d)))
        .collect();
    for (i, (f, d)) in deployments.iter().enumerate() {
        let busy = d
            .nodes
            .iter()
            .filter(|n| !n.applications.is_empty())
            .count();
        model.host_counts.push(HostCount {
            file: f.id,
            span: d.span,
            hosts: u32::try_from(d.nodes.len()).unwrap_or(u32::MAX),
            what: format!("nodes of the Flocker deployment config ({busy} running applications)"),
        });
        evidence.push(Evidence {
            file: f.id,
            span: d.span,
            what: "a Flocker deployment config (`version: 1` and `nodes`)".into(),
        });
        if i > 0 {
            // Later deployment configs are other states of the same cluster (an
            // application moved to another node): evidence, not placement.
            continue;
        }
        for node in &d.nodes {
            for name in &node.applications {
                let Some(w) = model.workloads.iter_mut().find(|w| w.name == name.value) else {
                    continue;
                };
                w.placement.constraints.push(Spanned::new(
                    format!("node == {}", node.host.value),
                    name.span,
                ));
                w.span_files.push((name.span, f.id));
                let n = w.replicas.as_ref().map_or(0, |r| r.value) + 1;
                w.replicas = Some(Spanned::new(n, name.span));
            }
        }
    }
    model.platform = Some(Platform {
        id: "flocker",
        candidates: Vec::new(),
        evidence,
    });
    model
}

fn lower_app(model: &mut DeploymentModel, file: FileId, app: &model::Application) {
    let mut w = Workload::new(
        file,
        Format::Flocker,
        WorkloadKind::FlockerApplication,
        app.name.value.clone(),
        app.name.span,
    );
    let mut c = Container::new(app.name.clone());
    c.image = app.image.clone();
    for p in &app.ports {
        c.ports.push(Port {
            container: p.internal,
            host: p.external,
            protocol: "tcp".into(),
            name: None,
            span: p.span,
        });
    }
    c.env = app
        .environment
        .iter()
        .map(|(name, value)| EnvVar {
            name: name.clone(),
            value: value.clone(),
        })
        .collect();
    if let Some(m) = &app.mem_limit
        && let Some(bytes) = docker_bytes(&m.value)
    {
        c.resources.memory_limit = Some(Spanned::new(bytes, m.span));
    }
    for (i, v) in app.volumes.iter().enumerate() {
        // The dataset is named after the application (and numbered past the first,
        // which Flocker would refuse anyway).
        let name = if i == 0 {
            app.name.value.clone()
        } else {
            format!("{}-{}", app.name.value, i + 1)
        };
        c.mounts.push(Mount {
            kind: MountKind::Named,
            source: Some(name.clone()),
            target: v.mountpoint.value.clone(),
            read_only: false,
            span: v.span,
        });
        w.volumes.push(Volume {
            name: name.clone(),
            kind: MountKind::Named,
            host_path: None,
            span: v.span,
        });
        model.volumes.push(VolumeDecl {
            file,
            name,
            kind: MountKind::Named,
            size: v.maximum_size.as_ref().and_then(|s| docker_bytes(&s.value)),
            driver: Some("flocker".into()),
            at: v.mountpoint.span,
        });
    }
    if let Some(r) = &app.restart {
        w.restart = Some(r.clone());
    }
    w.containers.push(c);
    model.workloads.push(w);
    // Links: resolved once every application is known.
    let links = app.links.clone();
    let me = model.workloads.len() - 1;
    for l in links {
        let target = match (&l.target, l.remote_port) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(port)) => Some(Spanned::new(format!(":{port}"), l.span)),
            _ => None,
        };
        if let Some(t) = target {
            model.workloads[me].depends_on.push(t);
        }
    }
}

/// Turns port links (`:5432`, left by `lower_app`) into the names of the
/// applications publishing that port.
fn resolve_port_links(model: &mut DeploymentModel) {
    let published: Vec<(u32, String)> = model
        .workloads
        .iter()
        .flat_map(|w| {
            w.containers
                .iter()
                .flat_map(|c| c.ports.iter().filter_map(|p| p.host))
                .map(|p| (p, w.name.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    for w in &mut model.workloads {
        w.depends_on.retain_mut(|d| {
            let Some(port) = d
                .value
                .strip_prefix(':')
                .and_then(|p| p.parse::<u32>().ok())
            else {
                return true;
            };
            match published.iter().find(|(p, n)| *p == port && *n != w.name) {
                Some((_, name)) => {
                    d.value = name.clone();
                    true
                }
                None => false,
            }
        });
    }
}
