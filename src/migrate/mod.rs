//! `orchlint migrate`: the specs of another orchestrator written from a project's
//! normalized model, with a guide (`MIGRATION.md`) of what was carried, what has no
//! equivalent (each with its source location), what a person must decide, and the
//! commands to run.
//!
//! Directions written today: every format whose model holds images (Compose, Fig,
//! Swarm stacks, Marathon, Flocker, Brooklyn/Clocker) to Kubernetes; all of them,
//! Kubernetes and Procfile apps to Compose (`compose`, `paas`) and to a Swarm stack;
//! Procfile apps to Dokku (`dokku`); the image-holding formats to Nomad (`nomad`). Other directions are refused with the reason,
//! never written half.

mod compose;
mod dokku;
mod guide;
mod hcl_out;
mod kubernetes;
mod names;
mod nomad;
mod paas;
mod yaml_out;

use std::path::PathBuf;

use crate::model::{Container, DeploymentModel, Workload};
use crate::project::{Project, SpecFile};
use crate::source::{Format, Loc};

/// The orchestrator a migration writes specs for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Compose,
    Swarm,
    Kubernetes,
    Nomad,
    Dokku,
}

impl Target {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Target::Compose => "compose",
            Target::Swarm => "swarm",
            Target::Kubernetes => "kubernetes",
            Target::Nomad => "nomad",
            Target::Dokku => "dokku",
        }
    }

    /// The target for an orchestrator id of the advisor's catalog (`k3s` takes
    /// Kubernetes specs).
    pub(crate) fn for_orchestrator(id: &str) -> Option<Target> {
        match id {
            "compose" => Some(Target::Compose),
            "swarm" => Some(Target::Swarm),
            "nomad" => Some(Target::Nomad),
            "dokku" => Some(Target::Dokku),
            "kubernetes" | "k3s" => Some(Target::Kubernetes),
            _ => None,
        }
    }
}

/// Something of the source that the target cannot carry, and where it is written.
#[derive(Clone, Debug)]
pub(crate) struct Left {
    pub(crate) what: String,
    pub(crate) at: Option<Loc>,
}

/// What a migration says about itself, rendered as `MIGRATION.md`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Guide {
    /// What each generated object carries over, one line each.
    pub(crate) carried: Vec<String>,
    /// What has no equivalent in the target, with its place in the source.
    pub(crate) left: Vec<Left>,
    /// Choices the migration could not make (data moves, secrets, sizes, names).
    pub(crate) decide: Vec<String>,
    /// Shell commands to run, in order.
    pub(crate) commands: Vec<String>,
}

/// The specs written for one project: paths relative to the project's output
/// folder, with their text.
#[derive(Debug)]
pub(crate) struct Migration {
    pub(crate) files: Vec<(PathBuf, String)>,
    pub(crate) guide: Guide,
}

/// Writes `project`'s specs for `target`, or says why it cannot.
pub(crate) fn migrate(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    name: &str,
    target: Target,
) -> Result<Migration, String> {
    let (source, current) = (project.format, model.orchestrator(project.format));
    match (target, source) {
        (Target::Kubernetes, Format::Kubernetes) => Err(
            "the project is already written for Kubernetes".into(),
        ),
        (Target::Kubernetes, Format::Procfile) => Err(
            "a Procfile app names no image: build one first (`pack build` with a Heroku buildpack), then describe it in Compose".into(),
        ),
        (Target::Kubernetes, Format::Helm) => Err(
            "a Helm chart is already Kubernetes (render it with `helm template`)".into(),
        ),
        (Target::Kubernetes, _) => {
            let m = kubernetes::write(project, files, model, name)?;
            Ok(with_guide(m, name, current, target, files))
        }
        (Target::Compose | Target::Swarm, Format::Helm) => Err(
            "a Helm chart is rendered by Helm: render it (`helm template`) and migrate the manifests".into(),
        ),
        (Target::Compose | Target::Swarm, Format::Kubernetes) => {
            not_coupled(project, files)?;
            let m = compose::write(project, files, model, name, flavor(target))?;
            Ok(with_guide(m, name, current, target, files))
        }
        (Target::Compose, Format::Compose) if current == "compose" => {
            if legacy_v1(project, files) {
                let m = compose::write(project, files, model, name, compose::Flavor::Compose)?;
                Ok(with_guide(m, name, current, target, files))
            } else {
                Err("the project is already written for Compose".into())
            }
        }
        (Target::Swarm, Format::Compose) if current == "swarm" => {
            Err("the project is already a Swarm stack".into())
        }
        (Target::Compose | Target::Swarm, Format::Procfile) if target == Target::Swarm => Err(
            "a Procfile app names no image: move it to Compose first (`--to compose`), build the image, then write the stack".into(),
        ),
        (Target::Compose, Format::Procfile) => {
            let m = paas::write(project, files, model, name)?;
            Ok(with_guide(m, name, current, target, files))
        }
        (Target::Compose | Target::Swarm, _) => {
            let m = compose::write(project, files, model, name, flavor(target))?;
            Ok(with_guide(m, name, current, target, files))
        }
        (Target::Dokku, _) if current == "dokku" => {
            Err("the app already runs on Dokku".into())
        }
        (Target::Dokku, source) => {
            let m = dokku::write(source, model, name)?;
            Ok(with_guide(m, name, current, target, files))
        }
        (Target::Nomad, Format::Kubernetes | Format::Helm) => Err(
            "orchlint writes Nomad jobs from Compose, Swarm, Marathon, Flocker and Brooklyn projects; a Kubernetes project keeps its Kubernetes specs".into(),
        ),
        (Target::Nomad, Format::Procfile) => Err(
            "a Procfile app names no image: build one first (`pack build` with a Heroku buildpack), then describe it in Compose".into(),
        ),
        (Target::Nomad, _) => {
            let m = nomad::write(project, files, model, name)?;
            Ok(with_guide(m, name, current, target, files))
        }
    }
}

/// The migration with its `MIGRATION.md`.
fn with_guide(
    mut m: Migration,
    name: &str,
    current: &str,
    target: Target,
    files: &[SpecFile],
) -> Migration {
    let guide = guide::render(name, current, target, &m.guide, files);
    m.files.push((PathBuf::from("MIGRATION.md"), guide));
    m
}

fn flavor(target: Target) -> compose::Flavor {
    if target == Target::Swarm {
        compose::Flavor::Swarm
    } else {
        compose::Flavor::Compose
    }
}

/// True when the Compose project is written in format 1 (Fig).
fn legacy_v1(project: &Project, files: &[SpecFile]) -> bool {
    project
        .files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
        .filter_map(SpecFile::compose)
        .any(|c| c.legacy_v1)
}

/// Refuses a Kubernetes project that holds objects only Kubernetes runs, naming
/// each with its place.
fn not_coupled(project: &Project, files: &[SpecFile]) -> Result<(), String> {
    let coupled = crate::advise::coupling::detect(project, files);
    if coupled.is_empty() {
        return Ok(());
    }
    let mut locator = crate::source::Locator::new(files);
    let list: Vec<String> = coupled
        .iter()
        .map(|c| {
            let e = &c.evidence;
            let lc = locator.line_col(e.file, e.span.start);
            format!(
                "{}:{}:{} {} ({})",
                locator.file(e.file).display,
                lc.line,
                lc.column,
                e.message,
                c.what
            )
        })
        .collect();
    Err(format!(
        "the project is coupled to what only Kubernetes runs ({} object{}), which Compose cannot express; keep it on a Kubernetes distribution (k3s fits one host): {}",
        coupled.len(),
        if coupled.len() == 1 { "" } else { "s" },
        list.join("; ")
    ))
}

/// The output folder of a project: its root as a DNS label (`shop/api` →
/// `shop-api`; the scan's root is `project`).
pub(crate) fn project_name(root: &str) -> String {
    let trimmed = root.trim_start_matches("./").trim_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        return "project".into();
    }
    names::dns_label(trimmed)
}

/// The image a container names, trimmed; `None` when it names none.
pub(crate) fn image_of(c: &Container) -> Option<&str> {
    c.image
        .as_ref()
        .map(|i| i.value.trim())
        .filter(|i| !i.is_empty())
}

/// The names of the container's variables that hold a literal value and are
/// named like a secret: every target asks a person where to keep them.
pub(crate) fn literal_secret_names(c: &Container) -> Vec<&str> {
    c.env
        .iter()
        .filter(|v| v.value.is_some() && crate::model::secret_name::secret_name(&v.name.value))
        .map(|v| v.name.value.as_str())
        .collect()
}

/// The workloads a target can run: those with a container (not an init step)
/// that names an image (as `image` reads it) or a build; an error naming the
/// target when there is none.
pub(crate) fn runnable<'m>(
    model: &'m DeploymentModel,
    image: fn(&Container) -> Option<&str>,
    target: &str,
) -> Result<Vec<&'m Workload>, String> {
    let runnable: Vec<&Workload> = model
        .workloads
        .iter()
        .filter(|w| {
            w.containers
                .iter()
                .any(|c| !c.init && (image(c).is_some() || c.build.is_some()))
        })
        .collect();
    if runnable.is_empty() {
        return Err(format!(
            "no workload names an image or a build: nothing {target} can run"
        ));
    }
    Ok(runnable)
}
