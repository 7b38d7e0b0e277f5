//! `orchlint migrate`: the specs of another orchestrator written from a project's
//! normalized model, with a guide (`MIGRATION.md`) of what was carried, what has no
//! equivalent (each with its source location), what a person must decide, and the
//! commands to run.
//!
//! Directions written today: every format whose model holds images (Compose, Fig,
//! Swarm stacks, Marathon, Flocker, Brooklyn/Clocker) to Kubernetes and to Nomad.
//! Other targets are refused with the reason, never written half.

mod guide;
mod hcl_out;
mod kubernetes;
mod names;
mod nomad;
mod yaml_out;

use std::path::PathBuf;

use crate::model::DeploymentModel;
use crate::project::{Project, SpecFile};
use crate::source::{Format, Loc};

/// The orchestrator a migration writes specs for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Compose,
    Swarm,
    Kubernetes,
    Nomad,
}

impl Target {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Target::Compose => "compose",
            Target::Swarm => "swarm",
            Target::Kubernetes => "kubernetes",
            Target::Nomad => "nomad",
        }
    }

    /// The target for an orchestrator id of the advisor's catalog (`k3s` takes
    /// Kubernetes specs).
    pub(crate) fn for_orchestrator(id: &str) -> Option<Target> {
        match id {
            "compose" => Some(Target::Compose),
            "swarm" => Some(Target::Swarm),
            "nomad" => Some(Target::Nomad),
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
            let mut m = kubernetes::write(project, files, model, name)?;
            let guide = guide::render(name, current, target, &m.guide, files);
            m.files.push((PathBuf::from("MIGRATION.md"), guide));
            Ok(m)
        }
        (Target::Nomad, Format::Kubernetes | Format::Helm) => Err(
            "orchlint writes Nomad jobs from Compose, Swarm, Marathon, Flocker and Brooklyn projects; a Kubernetes project keeps its Kubernetes specs".into(),
        ),
        (Target::Nomad, Format::Procfile) => Err(
            "a Procfile app names no image: build one first (`pack build` with a Heroku buildpack), then describe it in Compose".into(),
        ),
        (Target::Nomad, _) => {
            let mut m = nomad::write(project, files, model, name)?;
            let guide = guide::render(name, current, target, &m.guide, files);
            m.files.push((PathBuf::from("MIGRATION.md"), guide));
            Ok(m)
        }
        (other, _) => Err(format!(
            "orchlint writes Kubernetes and Nomad specs today; `--to {}` is not one of the directions it writes yet",
            other.as_str()
        )),
    }
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
