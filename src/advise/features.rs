//! What a project uses, named as `rules/migrations.toml` names it, each with the
//! first place it is used: the migration sketch lists only these.

use super::Evidence;
use crate::model::{DeploymentModel, MountKind, WorkloadKind};
use crate::project::{Project, SpecFile};

/// Features in first-use order, each once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Used(pub Vec<(&'static str, Evidence)>);

impl Used {
    fn add(&mut self, feature: &'static str, e: impl FnOnce() -> Evidence) {
        if !self.has(feature) {
            self.0.push((feature, e()));
        }
    }

    pub(crate) fn has(&self, feature: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == feature)
    }
}

pub(crate) fn detect(project: &Project, files: &[SpecFile], model: &DeploymentModel) -> Used {
    let mut u = Used::default();
    for w in &model.workloads {
        let at = |loc, what: &str| Evidence::at(w, loc, format!("{} {what}", w.describe()));
        if let Some(r) = &w.replicas {
            u.add("replicas", || at(r.loc, "sets its copies"));
        }
        if let Some(m) = &w.max_replicas {
            u.add("autoscaler", || at(m.loc, "scales automatically"));
        }
        if let Some(g) = w.global {
            u.add("global", || at(g, "runs on every node"));
        }
        if let Some(d) = w.depends_on.first() {
            u.add("depends-on", || at(d.loc, "depends on another workload"));
        }
        if let Some(r) = &w.restart {
            u.add("restart", || at(r.loc, "sets a restart policy"));
        }
        if let Some(h) = w.host_network {
            u.add("host-network", || at(h, "uses the host's network"));
        }
        let p = &w.placement;
        if let Some(c) = p.constraints.first() {
            u.add("constraints", || at(c.loc, "constrains its placement"));
        } else if !p.node_selector.is_empty() {
            u.add("constraints", || at(w.at, "selects its nodes"));
        }
        if let Some(s) = p.one_per_host {
            u.add("one-per-host", || at(s, "keeps one copy per host"));
        }
        if let Some(m) = p.max_per_host.as_ref().filter(|m| m.value > 1) {
            u.add("max-per-host", || at(m.loc, "limits copies per host"));
        }
        if let Some(z) = p.zone_spread {
            u.add("zone-spread", || at(z, "spreads over zones"));
        }
        match w.kind {
            WorkloadKind::StatefulSet => u.add("stateful-set", || at(w.at, "is a StatefulSet")),
            WorkloadKind::Job | WorkloadKind::CronJob => {
                u.add("batch", || at(w.at, "runs to completion"))
            }
            _ => {}
        }
        for c in w.containers.iter().filter(|c| !c.init) {
            if let Some(b) = c.build {
                u.add("build", || at(b, "builds its image"));
            }
            if let Some(pv) = c.privileged {
                u.add("privileged", || at(pv, "runs privileged"));
            }
            if let Some(l) = c.liveness.as_ref().filter(|l| !l.disabled) {
                u.add("liveness", || at(l.loc, "has a health check"));
            }
            if let Some(r) = &c.readiness {
                u.add("readiness", || at(r.loc, "has a readiness check"));
            }
            for port in &c.ports {
                if port.host.is_some() {
                    u.add("published-ports", || at(port.loc, "publishes a host port"));
                } else {
                    u.add("ports", || at(port.loc, "exposes a port"));
                }
            }
            let r = &c.resources;
            if let Some(loc) = r
                .cpu_request
                .as_ref()
                .map(|v| v.loc)
                .or(r.memory_request.as_ref().map(|v| v.loc))
                .or(r.cpu_limit.as_ref().map(|v| v.loc))
                .or(r.memory_limit.as_ref().map(|v| v.loc))
            {
                u.add("resources", || at(loc, "sets resources"));
            }
            if let Some(e) = c.env.first() {
                u.add("env", || at(e.name.loc, "sets environment variables"));
            }
            for m in &c.mounts {
                let feature = match m.kind {
                    MountKind::Named => "named-volume",
                    MountKind::HostPath => "host-path",
                    MountKind::Persistent => "persistent-volume",
                    MountKind::External => "external-volume",
                    MountKind::Ephemeral => "ephemeral-volume",
                    MountKind::Tmpfs => "tmpfs",
                    MountKind::Config => "config-files",
                };
                u.add(feature, || at(m.loc, &format!("mounts {}", m.target)));
            }
        }
    }
    if let Some(s) = model.services.first() {
        u.add("service", || {
            Evidence::at_loc(s.at, format!("Service \"{}\"", s.name))
        });
    }
    for id in &project.files {
        let Some(f) = files.get(id.0 as usize) else {
            continue;
        };
        if let Some(c) = f.compose() {
            let named = c.networks.first().map(|n| n.name.span).or_else(|| {
                c.services
                    .iter()
                    .find_map(|s| s.networks.first().map(|n| n.span))
            });
            if let Some(span) = named {
                u.add("networks", || {
                    Evidence::new(f.id, span, "the project defines networks")
                });
            }
        }
        if let Some(m) = f.marathon() {
            for a in &m.apps {
                let name = a.path.clone().unwrap_or_default();
                let on = |span, what: &str| Evidence {
                    file: f.id,
                    span,
                    message: format!("app \"{name}\" {what}"),
                    workload: Some(name.clone()),
                };
                if let Some(us) = &a.app.upgrade_strategy {
                    u.add("upgrade-strategy", || {
                        on(us.span, "sets an upgrade strategy")
                    });
                }
                if let Some(r) = &a.app.residency {
                    u.add("residency", || on(r.span, "sets residency"));
                }
                if !a.app.accepted_resource_roles.is_empty()
                    && let Some(id) = &a.app.id
                {
                    u.add("resource-roles", || on(id.span, "accepts resource roles"));
                }
            }
        }
    }
    u
}
