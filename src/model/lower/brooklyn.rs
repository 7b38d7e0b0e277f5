//! Lowers a Brooklyn blueprint: one workload per entity (children and cluster member
//! specs included); `$brooklyn:component` references become dependencies; host
//! cluster sizes and BYON host lists become host counts; Clocker's signs decide the
//! platform. An entity deployed to a cloud location (`jclouds:...`, its own or one it
//! inherits from its parent or the blueprint) gets a machine of its own for each
//! copy: Brooklyn provisions a VM per entity there, so its copies sit on different
//! hosts.

use crate::formats::brooklyn::{Entity, clocker_sign, model};
use crate::model::{
    Container, DeploymentModel, EnvVar, Evidence, HostCount, Mount, MountKind, Platform, Port,
    Volume, Workload, WorkloadKind,
};
use crate::project::{Project, SpecFile};
use crate::source::Spanned;
use crate::source::{FileId, Format, Loc};

pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let mut model = DeploymentModel::default();
    let mut evidence: Vec<Evidence> = Vec::new();
    let mut clocker = false;
    for id in &project.files {
        let Some(f) = files.get(id.0 as usize) else {
            continue;
        };
        let Some(b) = f.brooklyn() else { continue };
        let offered: Vec<&str> = b
            .blueprints
            .iter()
            .flat_map(|bp| bp.services.iter().flat_map(Entity::walk))
            .filter_map(|e| e.offers_location.as_ref().map(|l| l.value.as_str()))
            .collect();
        for bp in &b.blueprints {
            for loc in &bp.locations {
                lower_location(&mut model, f.id, loc);
                if loc.spec.value.contains("docker-cloud")
                    || offered.contains(&loc.spec.value.as_str())
                {
                    clocker = true;
                    evidence.push(Evidence {
                        loc: Loc::new(f.id, loc.spec.span),
                        what: format!("location `{}`: a Clocker Docker cloud", loc.spec.value),
                    });
                }
            }
            let cloud = cloud_location(&bp.locations, f.id);
            for e in &bp.services {
                let parent = Parent { size: None, cloud };
                lower_entity(&mut model, f.id, e, parent, &mut evidence, &mut clocker);
            }
        }
        if evidence.is_empty() {
            evidence.push(Evidence {
                loc: Loc::new(
                    f.id,
                    b.catalog
                        .or_else(|| b.blueprints.first().map(|bp| bp.span))
                        .unwrap_or_default(),
                ),
                what: if b.catalog.is_some() {
                    "a Brooklyn catalog (`brooklyn.catalog`)".into()
                } else {
                    "a Brooklyn blueprint (`services` as a list of entity specs)".into()
                },
            });
        }
    }
    model.platform = Some(Platform {
        id: if clocker { "clocker" } else { "brooklyn" },
        candidates: Vec::new(),
        evidence,
    });
    model
}

fn lower_location(model: &mut DeploymentModel, file: FileId, loc: &model::Location) {
    if let Some(h) = &loc.hosts {
        model.host_counts.push(HostCount {
            loc: Loc::new(file, h.span),
            hosts: h.value,
            what: format!("hosts listed for location `{}`", loc.spec.value),
        });
    }
}

/// The location providers whose machines are VMs Brooklyn provisions one per
/// entity: any `jclouds:` spec, and the jclouds providers Brooklyn also accepts
/// without the prefix.
const CLOUD_PREFIXES: &[&str] = &[
    "jclouds:",
    "aws-ec2:",
    "google-compute-engine:",
    "gce:",
    "softlayer:",
    "openstack-nova:",
    "azurecompute:",
];

/// Where the first cloud location of a list is written, if there is one.
fn cloud_location(locations: &[model::Location], file: FileId) -> Option<Loc> {
    locations
        .iter()
        .find(|l| {
            let spec = l.spec.value.trim();
            CLOUD_PREFIXES.iter().any(|p| spec.starts_with(p))
        })
        .map(|l| Loc::new(file, l.spec.span))
}

/// What an entity inherits from its parent: the cluster size its member spec
/// takes, and the cloud location it deploys to.
#[derive(Clone, Copy)]
struct Parent<'a> {
    size: Option<&'a Spanned<u32>>,
    cloud: Option<Loc>,
}

fn lower_entity(
    model: &mut DeploymentModel,
    file: FileId,
    e: &Entity,
    parent: Parent<'_>,
    evidence: &mut Vec<Evidence>,
    clocker: &mut bool,
) {
    let parent_size = parent.size;
    // Its own locations decide; a Docker cloud of its own places it in containers.
    let cloud = if e.locations.is_empty() {
        parent.cloud
    } else {
        cloud_location(&e.locations, file)
    };
    if let Some(sign) = clocker_sign(e) {
        *clocker = true;
        if let Some(t) = &e.type_name {
            evidence.push(Evidence {
                loc: Loc::new(file, t.span),
                what: sign,
            });
        }
    }
    for loc in &e.locations {
        lower_location(model, file, loc);
        if loc.spec.value.contains("docker-cloud") {
            *clocker = true;
            evidence.push(Evidence {
                loc: Loc::new(file, loc.spec.span),
                what: format!("location `{}`: a Clocker Docker cloud", loc.spec.value),
            });
        }
    }
    for (key, n) in &e.host_sizes {
        model.host_counts.push(HostCount {
            loc: Loc::new(file, n.span),
            hosts: n.value,
            what: format!("`{key}`: hosts the entity provisions"),
        });
    }
    let Some(label) = e.label() else {
        for c in &e.children {
            let p = Parent { size: None, cloud };
            lower_entity(model, file, c, p, evidence, clocker);
        }
        return;
    };
    let mut w = Workload::new(
        Format::Brooklyn,
        WorkloadKind::BrooklynEntity,
        label.value.clone(),
        Loc::new(file, label.span),
    );
    if let Some(t) = &e.type_name {
        w.labels.push(("brooklyn.type".into(), t.value.clone()));
    }
    w.replicas = e
        .initial_size
        .as_ref()
        .or_else(|| e.member_spec.then_some(parent_size).flatten())
        .map(|n| n.located(file));
    let mut c = Container::new(label.located(file));
    c.image = e.image.as_ref().map(|i| i.located(file));
    c.env = e
        .env
        .iter()
        .map(|(name, value)| EnvVar {
            name: name.located(file),
            value: value.as_ref().map(|v| v.located(file)),
        })
        .collect();
    for p in &e.direct_ports {
        c.ports.push(Port {
            container: Some(p.value),
            host: Some(p.value),
            protocol: "tcp".into(),
            name: None,
            loc: Loc::new(file, p.span),
        });
    }
    for p in &e.open_ports {
        c.ports.push(Port {
            container: Some(p.value),
            host: None,
            protocol: "tcp".into(),
            name: None,
            loc: Loc::new(file, p.span),
        });
    }
    for (src, target) in &e.host_volumes {
        let loc = Loc::new(file, src.span.cover(target.span));
        c.mounts.push(Mount {
            kind: MountKind::HostPath,
            source: Some(src.value.clone()),
            target: target.value.clone(),
            read_only: false,
            loc,
        });
        w.volumes.push(Volume {
            name: src.value.clone(),
            kind: MountKind::HostPath,
            host_path: Some(src.value.clone()),
            config_map: None,
            loc,
        });
    }
    for r in &e.refs {
        if !w.depends_on.iter().any(|d| d.value == r.value) {
            w.depends_on.push(r.located(file));
        }
    }
    w.containers.push(c);
    w.placement.one_per_host = cloud;
    let size = e.initial_size.clone();
    model.workloads.push(w);
    for child in &e.children {
        let p = Parent {
            size: size.as_ref(),
            cloud,
        };
        lower_entity(model, file, child, p, evidence, clocker);
    }
}
