//! Lowers a Flocker application config with its deployment configs: one workload
//! per application, its dataset a named volume, the node list a host count.

use crate::formats::flocker::{DeploymentConfig, model};
use crate::model::quantity::docker_bytes;
use crate::model::{
    Container, DeploymentModel, EnvVar, Evidence, HostCount, Mount, MountKind, Platform, Port,
    Volume, VolumeDecl, Workload, WorkloadKind,
};
use crate::project::flocker::{apps_of, deployment_of};
use crate::project::{Project, SpecFile};
use crate::source::{FileId, Format, Loc, Located};

/// Lowers an application config with its deployment configs.
pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
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
            loc: Loc::new(f.id, config
                .applications
                .first()
                .map_or(crate::source::Span::empty(0), |a| a.name.span)),
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
            loc: Loc::new(f.id, d.span),
            hosts: u32::try_from(d.nodes.len()).unwrap_or(u32::MAX),
            what: format!("nodes of the Flocker deployment config ({busy} running applications)"),
        });
        evidence.push(Evidence {
            loc: Loc::new(f.id, d.span),
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
                let at = Loc::new(f.id, name.span);
                w.placement
                    .constraints
                    .push(Located::new(format!("node == {}", node.host.value), at));
                let n = w.replicas.as_ref().map_or(0, |r| r.value) + 1;
                w.replicas = Some(Located::new(n, at));
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
        Format::Flocker,
        WorkloadKind::FlockerApplication,
        app.name.value.clone(),
        Loc::new(file, app.name.span),
    );
    let mut c = Container::new(app.name.located(file));
    c.image = app.image.as_ref().map(|i| i.located(file));
    for p in &app.ports {
        c.ports.push(Port {
            container: p.internal,
            host: p.external,
            protocol: "tcp".into(),
            name: None,
            loc: Loc::new(file, p.span),
        });
    }
    c.env = app
        .environment
        .iter()
        .map(|(name, value)| EnvVar {
            name: name.located(file),
            value: value.as_ref().map(|v| v.located(file)),
        })
        .collect();
    if let Some(m) = &app.mem_limit
        && let Some(bytes) = docker_bytes(&m.value)
    {
        c.resources.memory_limit = Some(Located::new(bytes, Loc::new(file, m.span)));
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
            loc: Loc::new(file, v.span),
        });
        w.volumes.push(Volume {
            name: name.clone(),
            kind: MountKind::Named,
            host_path: None,
            config_map: None,
            loc: Loc::new(file, v.span),
        });
        model.volumes.push(VolumeDecl {
            name,
            kind: MountKind::Named,
            size: v.maximum_size.as_ref().and_then(|s| docker_bytes(&s.value)),
            driver: Some("flocker".into()),
            at: Loc::new(file, v.mountpoint.span),
        });
    }
    if let Some(r) = &app.restart {
        w.restart = Some(r.located(file));
    }
    w.containers.push(c);
    model.workloads.push(w);
    // Links: resolved once every application is known.
    let links = app.links.clone();
    let me = model.workloads.len() - 1;
    for l in links {
        let target = match (&l.target, l.remote_port) {
            (Some(t), _) => Some(t.located(file)),
            (None, Some(port)) => Some(Located::new(format!(":{port}"), Loc::new(file, l.span))),
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
