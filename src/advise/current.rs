//! The orchestrator a project's specs are written for.
//!
//! One function decides it: `base` maps each spec format to its orchestrator (a new
//! format adds a match arm, which the compiler asks for), and `REFINEMENTS` lists the
//! signs within a format that name a more specific orchestrator (a Compose file with
//! Swarm-only keys is a Swarm stack). The first refinement with evidence wins.

use super::Evidence;
use crate::formats::compose::model::ComposeFile;
use crate::model::DeploymentModel;
use crate::source::Format;
use crate::formats::{Project, SpecFile};
use crate::source::Span;

#[derive(Clone, Debug)]
pub struct Current {
    /// The catalog id (`compose`, `swarm`, `kubernetes`, ...).
    pub id: &'static str,
    /// What made a refinement apply (empty for a format's plain orchestrator).
    pub evidence: Vec<Evidence>,
}

/// The orchestrator each spec format is written for, when nothing more specific is
/// known: the format's own (`Format::default_orchestrator`, the one place that maps
/// formats to orchestrator ids).
pub fn base(format: Format) -> &'static str {
    format.default_orchestrator()
}

/// A sign, within one format, of a more specific orchestrator.
pub struct Refinement {
    pub format: Format,
    pub id: &'static str,
    pub signs: fn(&Project, &[SpecFile]) -> Vec<Evidence>,
}

pub const REFINEMENTS: &[Refinement] = &[
    Refinement {
        format: Format::Compose,
        id: "swarm",
        signs: swarm_mode_signs,
    },
    Refinement {
        format: Format::Compose,
        id: "swarm-classic",
        signs: classic_swarm_signs,
    },
    Refinement {
        format: Format::Kubernetes,
        id: "k3s",
        signs: k3s_signs,
    },
];

/// The orchestrator of a project: the refinements below (whose evidence names each
/// workload), then the platform the format's lowering recognised (a Clocker
/// blueprint, a Procfile app whose files name their platform, a Swarm stack known
/// by signs the refinements do not look for), then the format's own.
pub fn current(project: &Project, files: &[SpecFile], model: &DeploymentModel) -> Current {
    for r in REFINEMENTS.iter().filter(|r| r.format == project.format) {
        let evidence = (r.signs)(project, files);
        if !evidence.is_empty() {
            return Current { id: r.id, evidence };
        }
    }
    if let Some(p) = &model.platform {
        return Current {
            id: p.id,
            evidence: p
                .evidence
                .iter()
                .map(|e| Evidence::new(e.file, e.span, e.what.clone()))
                .collect(),
        };
    }
    Current {
        id: base(project.format),
        evidence: Vec::new(),
    }
}

fn compose_files<'a>(
    project: &'a Project,
    files: &'a [SpecFile],
) -> impl Iterator<Item = (&'a SpecFile, &'a ComposeFile)> + 'a {
    project
        .files
        .iter()
        .filter_map(move |id| files.get(id.0 as usize))
        .filter_map(|f| f.compose().map(|c| (f, c)))
}

/// Keys only `docker stack deploy` acts on: a non-default `deploy.mode`,
/// `deploy.placement`, `deploy.endpoint_mode`, overlay networks, and stack file names.
fn swarm_mode_signs(project: &Project, files: &[SpecFile]) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (f, c) in compose_files(project, files) {
        let name = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if name.contains("stack") {
            out.push(Evidence::new(
                f.id,
                Span::empty(0),
                format!("the file is named `{name}`, as stack files for `docker stack deploy` are"),
            ));
        }
        for s in &c.services {
            let Some(d) = &s.deploy else { continue };
            let on = |span: Span, what: String| Evidence {
                file: f.id,
                span,
                message: format!(
                    "service \"{}\" sets {what}, which only Swarm mode honours",
                    s.name.value
                ),
                workload: Some(s.name.value.clone()),
            };
            if let Some(m) = &d.mode
                && m.value.value.trim() != "replicated"
            {
                out.push(on(
                    m.span(),
                    format!("`deploy.mode: {}`", m.value.value.trim()),
                ));
            }
            if let Some(p) = &d.placement {
                let span = p
                    .constraints
                    .first()
                    .map(|c| c.span)
                    .or_else(|| {
                        p.preferences
                            .iter()
                            .find_map(|x| x.spread.as_ref().map(|s| s.span))
                    })
                    .or_else(|| p.max_replicas_per_node.as_ref().map(|m| m.span));
                if let Some(span) = span {
                    out.push(on(span, "`deploy.placement`".into()));
                }
            }
            if let Some(e) = &d.endpoint_mode {
                out.push(on(e.span, "`deploy.endpoint_mode`".into()));
            }
        }
        for n in &c.networks {
            if n.driver
                .as_ref()
                .is_some_and(|d| d.value.trim() == "overlay")
            {
                let span = n.driver.as_ref().map_or(n.name.span, |d| d.span);
                out.push(Evidence::new(
                    f.id,
                    span,
                    format!(
                        "network \"{}\" uses the `overlay` driver, which spans Swarm nodes",
                        n.name.value
                    ),
                ));
            }
        }
    }
    out
}

/// Classic (standalone) Swarm read scheduling filters from the environment:
/// `constraint:node==x`, `affinity:container==y`.
fn classic_swarm_signs(project: &Project, files: &[SpecFile]) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (f, c) in compose_files(project, files) {
        for s in &c.services {
            for e in &s.environment {
                let name = e.name.value.trim();
                if name.starts_with("constraint:") || name.starts_with("affinity:") {
                    out.push(Evidence {
                        file: f.id,
                        span: e.span,
                        message: format!(
                            "service \"{}\" passes the scheduling filter `{name}` in its environment, as classic Swarm read them",
                            s.name.value
                        ),
                        workload: Some(s.name.value.clone()),
                    });
                }
            }
        }
    }
    out
}

/// Objects only k3s acts on: its HelmChart and HelmChartConfig resources.
fn k3s_signs(project: &Project, files: &[SpecFile]) -> Vec<Evidence> {
    let mut out = Vec::new();
    for id in &project.files {
        let Some(f) = files.get(id.0 as usize) else {
            continue;
        };
        let Some(k) = f.kubernetes() else { continue };
        for o in &k.objects {
            if o.api_version.value.starts_with("helm.cattle.io/") {
                out.push(Evidence::new(
                    f.id,
                    o.api_version.span,
                    format!("{} is a k3s HelmChart resource", o.describe()),
                ));
            }
        }
    }
    out
}
