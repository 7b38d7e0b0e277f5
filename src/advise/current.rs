//! The orchestrator a project's specs are written for.
//!
//! The lowering decides the platform a project's specs are written for (a Compose
//! project with Swarm-only keys is a Swarm stack); this reads it, and falls back to
//! the format's own orchestrator.

use super::Evidence;
use crate::model::DeploymentModel;
use crate::project::Project;
use crate::source::Format;

#[derive(Clone, Debug)]
pub(crate) struct Current {
    /// The catalog id (`compose`, `swarm`, `kubernetes`, ...).
    pub(crate) id: &'static str,
    /// What made a refinement apply (empty for a format's plain orchestrator).
    pub(crate) evidence: Vec<Evidence>,
    /// The platforms the same specs run on alike when the specs do not say which
    /// one runs them (`paas`: Heroku, Flynn, Deis, Dokku); empty otherwise.
    pub(crate) candidates: Vec<&'static str>,
}

/// The orchestrator each spec format is written for, when nothing more specific is
/// known: the format's own (`Format::default_orchestrator`, the one place that maps
/// formats to orchestrator ids).
pub(crate) fn base(format: Format) -> &'static str {
    format.default_orchestrator()
}

/// The orchestrator of a project: the platform its lowering decided (a Swarm stack,
/// a Clocker blueprint, a k3s cluster's manifests, a Procfile app whose files name
/// their platform), else the format's own. The advisor decides nothing here that
/// the model does not say, so `files`, the rules and `advise` agree.
pub(crate) fn current(project: &Project, model: &DeploymentModel) -> Current {
    match &model.platform {
        Some(p) => Current {
            id: p.id,
            evidence: p
                .evidence
                .iter()
                .map(|e| Evidence::at_loc(e.loc, e.what.clone()))
                .collect(),
            candidates: p.candidates.clone(),
        },
        None => Current {
            id: base(project.format),
            evidence: Vec::new(),
            candidates: Vec::new(),
        },
    }
}
