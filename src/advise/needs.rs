//! What a project needs from an orchestrator, in the whitepaper's functionality
//! terms: cluster state management, monitoring and healing, dependency and
//! architectural mapping, the deployment method, and (beyond its table) stateful
//! support.

use super::Evidence;
use super::catalog::{self, Healing};
use super::current::Current;
use super::scale::Scale;
use super::state::State;
use crate::model::DeploymentModel;

#[derive(Clone, Debug)]
pub(crate) struct Needs {
    /// Why one desired state must be kept for several hosts; `None`: one host.
    pub(crate) cluster_state: Option<String>,
    /// The healing the specs ask for, and why.
    pub(crate) healing: Healing,
    pub(crate) healing_reason: String,
    pub(crate) healing_evidence: Option<Evidence>,
    /// A declared dependency between workloads, when there is one.
    pub(crate) dependencies: Option<Evidence>,
    /// How the specs are deployed today (`CLI`, `API`, `git push`).
    pub(crate) deployment: &'static str,
    pub(crate) stateful: bool,
    /// Parts only one platform runs (`coupling`: Kubernetes objects, services
    /// that drive Swarm mode); an orchestrator that cannot express them does not
    /// fit.
    pub(crate) coupling: Vec<super::coupling::Coupled>,
}

/// The deployment method each spec family implies.
fn deployment(family: &str) -> &'static str {
    match family {
        "marathon" => "API",
        "procfile" => "git push",
        _ => "CLI",
    }
}

pub(crate) fn infer(
    model: &DeploymentModel,
    current: &Current,
    scale: &Scale,
    state: &State,
) -> Needs {
    let cur = catalog::get(current.id);
    let hosts = scale.hosts;
    let cluster_state = (hosts > 1).then(|| format!("{hosts} hosts must share one desired state"));
    // Health checks that the current orchestrator acts on (Kubernetes liveness
    // probes, Marathon health checks, Swarm healthchecks) ask for unhealthy copies to
    // be replaced; a plain Compose healthcheck only reports.
    let acted_on = cur.is_some_and(|o| o.healing == Healing::Cluster);
    let probe = model.workloads.iter().find_map(|w| {
        w.containers
            .iter()
            .filter(|c| !c.init)
            .find_map(|c| c.liveness.as_ref().filter(|p| !p.disabled))
            .map(|p| (w, p.loc))
    });
    let restart = model.workloads.iter().find_map(|w| {
        let r = w.restart.as_ref()?;
        let v = r.value.trim().trim_matches('"').to_ascii_lowercase();
        matches!(
            v.as_str(),
            "always" | "unless-stopped" | "on-failure" | "any" | "onfailure"
        )
        .then(|| (w, r.loc, r.value.clone()))
    });
    // Healing across hosts is a need only when there are several hosts: that is
    // when a failed host's work has somewhere to go. Copies count as spread over
    // hosts only when the specs keep them apart (anti-affinity, `hostname:UNIQUE`,
    // `max_replicas_per_node`, global mode: `scale` counts those as hosts), never
    // by a scheduler's default; and on one host, a health check that asks for a
    // failing copy to be replaced asks for a restart in place, which a restart
    // policy gives (the migration says what Docker does with an unhealthy one).
    let (healing, healing_reason, healing_evidence) = if hosts > 1 {
        (
            Healing::Cluster,
            format!(
                "the work of a failed host must move to the other {}",
                hosts - 1
            ),
            None,
        )
    } else if let Some((w, span)) = probe.filter(|_| acted_on) {
        (
            Healing::Restart,
            format!(
                "{} has a health check that asks for failing copies to be replaced; on one host that is a restart in place",
                w.describe()
            ),
            Some(Evidence::at(w, span, "health check")),
        )
    } else if let Some((w, span, value)) = restart {
        (
            Healing::Restart,
            format!("{} asks to be restarted (`{value}`)", w.describe()),
            Some(Evidence::at(w, span, "restart policy")),
        )
    } else if cur.is_some_and(|o| o.healing >= Healing::Restart)
        && cur.is_some_and(|o| o.spec_family != "compose" || o.id == "swarm")
    {
        // Kubernetes, Marathon and Swarm mode (`restart_policy.condition: any`)
        // restart exited containers by default; Compose does not.
        (
            Healing::Restart,
            "the specs rely on the orchestrator's default of restarting exited containers".into(),
            None,
        )
    } else {
        (Healing::None, "nothing asks for restarts".into(), None)
    };
    let dependencies = model.workloads.iter().find_map(|w| {
        let d = w.depends_on.first()?;
        Some(Evidence::at(
            w,
            d.loc,
            format!("{} depends on \"{}\"", w.describe(), d.value),
        ))
    });
    Needs {
        cluster_state,
        healing,
        healing_reason,
        healing_evidence,
        dependencies,
        deployment: deployment(super::catalog::family_of(current.id)),
        stateful: state.stateful,
        coupling: Vec::new(),
    }
}
