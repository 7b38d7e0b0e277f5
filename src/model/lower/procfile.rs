//! Lowers a Procfile app: one workload per process type, `formation` quantities as
//! replicas, add-ons as backing services, and the platform its manifest points to.

use crate::formats::procfile::{AppJson, Procfile, addon_store, dyno_memory};
use crate::model::{
    BackingService, Container, DeploymentModel, EnvVar, Evidence, Platform, Workload, WorkloadKind,
};
use crate::project::procfile::parts;
use crate::project::{Project, SpecFile};
use crate::source::{Format, Loc, Located};
use crate::source::{Span, Spanned};

/// Lowers a Heroku-style app: one workload per process type (from the Procfile,
/// and from `app.json`'s formation where the Procfile is absent or lacks the type),
/// replicas from `formation.<type>.quantity`, memory from a known dyno `size`, the
/// manifest's literal env defaults
/// on the first process type (they are app-wide: reporting them once is enough),
/// add-ons as backing services.
pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let mut model = DeploymentModel::default();
    let (procfile, manifest) = parts(project, files);
    if let Some((f, p)) = procfile {
        for e in &p.entries {
            if model.workloads.iter().any(|w| w.name == e.name.value) {
                continue;
            }
            let mut w = Workload::new(
                Format::Procfile,
                WorkloadKind::ProcessType,
                e.name.value.clone(),
                Loc::new(f.id, e.name.span),
            );
            w.containers.push(Container::new(e.name.located(f.id)));
            model.workloads.push(w);
        }
    }
    if let Some((mf, m)) = manifest {
        for fm in &m.formation {
            let slot = match model.workloads.iter().position(|w| w.name == fm.name.value) {
                Some(i) => i,
                None if procfile.is_none() => {
                    let mut w = Workload::new(
                        Format::Procfile,
                        WorkloadKind::ProcessType,
                        fm.name.value.clone(),
                        Loc::new(mf.id, fm.name.span),
                    );
                    w.containers.push(Container::new(fm.name.located(mf.id)));
                    model.workloads.push(w);
                    model.workloads.len() - 1
                }
                // A formation for a type the Procfile lacks: a rule reports it.
                None => continue,
            };
            let w = &mut model.workloads[slot];
            if let Some(q) = &fm.quantity {
                w.replicas = Some(q.located(mf.id));
            }
            if let Some(size) = &fm.size
                && let Some(bytes) = dyno_memory(&size.value)
                && let Some(c) = w.containers.first_mut()
            {
                c.resources.memory_limit = Some(Located::new(bytes, Loc::new(mf.id, size.span)));
            }
        }
        if let Some(c) = model
            .workloads
            .first_mut()
            .and_then(|w| w.containers.first_mut())
        {
            c.env = m
                .env
                .iter()
                .map(|e| EnvVar {
                    name: e.name.located(mf.id),
                    value: e.value.as_ref().map(|v| v.located(mf.id)),
                })
                .collect();
        }
        for a in &m.addons {
            model.backing_services.push(BackingService {
                loc: Loc::new(mf.id, a.plan.span),
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
            loc: Loc::new(
                f.id,
                p.entries.first().map_or(Span::empty(0), |e| e.name.span),
            ),
            what: "a Procfile, which Heroku, Flynn, Deis and Dokku all read".into(),
        });
    }
    let ev = |f: &SpecFile, k: &Spanned<String>, who: &str| Evidence {
        loc: Loc::new(f.id, k.span),
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
