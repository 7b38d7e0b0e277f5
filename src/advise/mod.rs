//! The advisor: from a project's normalized model it infers how many hosts the
//! project needs (and so its scale class), whether it owns state (and where that
//! state is at risk), what it needs from an orchestrator in the whitepaper's terms,
//! which orchestrator runs it today, and which one fits it best, with a migration
//! sketch. `orchlint advise` prints it; the `advice/*` rules report where the fit is
//! wrong.
//!
//! - `catalog`: the orchestrators (`rules/orchestrators.toml`).
//! - `stores`: data-store images and data paths (`rules/data-stores.toml`).
//! - `current`: the orchestrator a project's specs are written for.
//! - `scale`: lower bounds on the number of hosts, the largest wins.
//! - `state`: persistent data the project owns, and data stores at risk.
//! - `needs`: what the project asks of an orchestrator; `coupling`: the parts
//!   only Kubernetes (objects) or Swarm mode (services that drive the swarm)
//!   runs, a need too.
//! - `recommend`: the lightest active orchestrator that covers the needs.
//! - `migration`: field mappings to it (`rules/migrations.toml`).
//! - `features`: what the project uses, for the migration sketch.
//! - `helm`: a chart's workloads as its values describe them.
//! - `report`: the human, Markdown and JSON reports; `graph`: Mermaid and DOT.

pub(crate) mod catalog;
pub(crate) mod coupling;
pub(crate) mod current;
pub(crate) mod features;
pub(crate) mod graph;
pub(crate) mod helm;
pub(crate) mod migration;
pub(crate) mod needs;
pub(crate) mod recommend;
pub(crate) mod report;
pub(crate) mod scale;
pub(crate) mod state;
pub(crate) mod stores;

use std::path::PathBuf;

use crate::model::{DeploymentModel, Workload};
use crate::project::{Alternative, Project, SpecFile, Tie};
use crate::source::Span;
use crate::source::{FileId, Loc};

pub(crate) use catalog::Orchestrator;

/// The `[advisor]` settings of `orchlint.toml`: the host the estimate counts in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AdvisorSettings {
    /// vCPUs of one reference host.
    pub(crate) host_vcpu: f64,
    /// Memory of one reference host, in GiB.
    pub(crate) host_memory_gib: f64,
}

impl Default for AdvisorSettings {
    fn default() -> Self {
        AdvisorSettings {
            host_vcpu: 8.0,
            host_memory_gib: 32.0,
        }
    }
}

impl AdvisorSettings {
    pub(crate) fn host_memory_bytes(&self) -> f64 {
        self.host_memory_gib * GIB
    }

    /// `8 vCPU / 32 GiB`.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{} vCPU / {} GiB",
            number(self.host_vcpu),
            number(self.host_memory_gib)
        )
    }
}

pub(crate) const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// A number without needless decimals: `8`, `0.5`, `12.25`.
pub(crate) fn number(v: f64) -> String {
    let rounded = (v * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        let s = format!("{rounded:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// Where a conclusion comes from: a span of a spec file, and what it shows.
#[derive(Clone, Debug)]
pub struct Evidence {
    pub(crate) file: FileId,
    pub(crate) span: Span,
    pub(crate) message: String,
    /// The workload it is about, if any.
    pub(crate) workload: Option<String>,
}

impl Evidence {
    pub(crate) fn new(file: FileId, span: Span, message: impl Into<String>) -> Self {
        Evidence {
            file,
            span,
            message: message.into(),
            workload: None,
        }
    }

    /// Evidence at a place of the model.
    pub(crate) fn at_loc(loc: Loc, message: impl Into<String>) -> Self {
        Evidence::new(loc.file, loc.span, message)
    }

    /// Evidence at a place of a workload (in whichever file it lies).
    pub(crate) fn at(w: &Workload, loc: Loc, message: impl Into<String>) -> Self {
        Evidence {
            file: loc.file,
            span: loc.span,
            message: message.into(),
            workload: Some(w.name.clone()),
        }
    }
}

/// The source text of a span, on one line and short, for messages.
pub(crate) fn snippet(files: &[SpecFile], file: FileId, span: Span) -> String {
    let Some(f) = files.get(file.0 as usize) else {
        return String::new();
    };
    let text = f
        .text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

/// Everything the advisor concluded about one project.
#[derive(Debug)]
pub(crate) struct Advice {
    pub(crate) root: PathBuf,
    pub(crate) files: Vec<FileId>,
    /// The references that tied the project's files (`Project::ties`).
    pub(crate) ties: Vec<Tie>,
    /// Alternative manifests, judged once (`Project::alternatives`).
    pub(crate) alternatives: Vec<Alternative>,
    pub(crate) current: current::Current,
    pub(crate) scale: scale::Scale,
    pub(crate) state: state::State,
    pub(crate) needs: needs::Needs,
    /// The verdict on the current orchestrator, apart from the recommendation.
    pub(crate) fit: recommend::Fit,
    /// `None` only when no catalog entry fits at all.
    pub(crate) recommendation: Option<recommend::Recommendation>,
    pub(crate) settings: AdvisorSettings,
}

impl Advice {
    pub(crate) fn current_orchestrator(&self) -> Option<&'static Orchestrator> {
        catalog::get(self.current.id)
    }
}

/// A project made by a kustomize `Component`: it only extends the kustomizations
/// that list it, and is deployed as part of them, never alone.
fn is_kustomize_component(project: &Project, files: &[SpecFile]) -> bool {
    // A kustomization's project lists it first; a Component its user deploys has
    // joined that user's base, whose kustomization comes first instead.
    project
        .files
        .first()
        .and_then(|id| files.get(id.0 as usize))
        .is_some_and(crate::project::kubernetes::is_component_file)
}

/// Kinds that grant or restrict rather than run: access control and policy.
const POLICY_KINDS: &[&str] = &[
    "ServiceAccount",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "NetworkPolicy",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "LimitRange",
    "ResourceQuota",
    "PriorityClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
];

/// Why a project the advisor leaves out has nothing to place, in words: a kustomize
/// Component, a folder of CRDs only, of RBAC and policy objects only, of other
/// objects that run nothing (named by kind), or a chart whose values say nothing.
pub(crate) fn nothing_to_place(project: &Project, files: &[SpecFile]) -> String {
    if is_kustomize_component(project, files) {
        return "a kustomize Component that no kustomization here lists: it cannot be deployed alone, only as part of the Kubernetes app of a kustomization that lists it".into();
    }
    match project.format {
        crate::source::Format::Kubernetes => {
            let mut kinds: Vec<String> = Vec::new();
            for (_, o) in crate::project::kubernetes::project_objects(project, files) {
                if !kinds.contains(&o.kind.value) {
                    kinds.push(o.kind.value.clone());
                }
            }
            if kinds.is_empty() {
                return "no Kubernetes object of its own to place: its kustomization only patches or combines what other folders hold".into();
            }
            let n = kinds.len();
            if kinds.iter().all(|k| k == "CustomResourceDefinition") {
                "only CustomResourceDefinitions: they extend the cluster's API and run nothing".into()
            } else if kinds.iter().all(|k| POLICY_KINDS.contains(&k.as_str())) {
                format!(
                    "only access-control and policy objects ({}): they run nothing",
                    kinds.join(", ")
                )
            } else {
                kinds.sort();
                format!(
                    "no workload: only {} object kind{} ({})",
                    n,
                    if n == 1 { "" } else { "s" },
                    kinds.join(", ")
                )
            }
        }
        crate::source::Format::Helm => "a Helm chart whose values set no replicas, autoscaling, persistence or resource requests (its templates are not rendered)".into(),
        _ => "no workload".into(),
    }
}

/// Analyzes one project. `None` when there is nothing to place: it runs no
/// workload (a directory of ConfigMaps, policies or patches), or it is a kustomize
/// Component, deployed only as part of the kustomizations that list it.
pub(crate) fn analyze(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    settings: &AdvisorSettings,
) -> Option<Advice> {
    analyze_with(project, files, model, settings, true)
}

/// `analyze` for the `advice/*` rules, which show the recommended orchestrator
/// but no reasons, alternatives or migration: those are left empty, sparing
/// their strings.
pub(crate) fn analyze_for_rules(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    settings: &AdvisorSettings,
) -> Option<Advice> {
    analyze_with(project, files, model, settings, false)
}

fn analyze_with(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    settings: &AdvisorSettings,
    explain: bool,
) -> Option<Advice> {
    let from_values = helm::with_values_workloads(project, files, model);
    let model = from_values.as_ref().unwrap_or(model);
    if model.workloads.is_empty() || is_kustomize_component(project, files) {
        return None;
    }
    let judged;
    let model = if project.alternatives.is_empty() {
        model
    } else {
        judged = without_alternatives(model, &project.alternatives);
        &judged
    };
    let current = current::current(project, model);
    let scale = scale::estimate(model, files, &current, settings);
    let swarm = current.id == "swarm";
    let state = state::analyze(project, files, model, swarm);
    let mut needs = needs::infer(model, &current, &scale, &state);
    needs.coupling = coupling::detect(project, files);
    needs.coupling.extend(coupling::detect_swarm(model));
    let used = features::detect(project, files, model);
    let fit = recommend::verdict(&current, &scale, &needs);
    let mut recommendation = recommend::recommend(&current, &scale, &needs, &used, &fit, explain);
    if let Some(r) = recommendation.as_mut().filter(|_| explain) {
        let app = project
            .root
            .file_name()
            .map_or_else(|| "app".to_string(), |n| n.to_string_lossy().into_owned());
        let spec_files: Vec<String> = project
            .files
            .iter()
            .filter_map(|id| files.get(id.0 as usize))
            .map(|f| {
                f.path
                    .strip_prefix(&project.root)
                    .unwrap_or(&f.path)
                    .display()
                    .to_string()
            })
            .collect();
        r.plan = migration::plan(
            migration::Origin {
                id: current.id,
                family: catalog::family_of(current.id),
            },
            r.orchestrator,
            &app,
            &spec_files,
            model,
        );
    }
    Some(Advice {
        root: project.root.clone(),
        files: project.files.clone(),
        ties: project.ties.clone(),
        alternatives: project.alternatives.clone(),
        current,
        scale,
        state,
        needs,
        fit,
        recommendation,
        settings: *settings,
    })
}

/// The model without what alternative manifests define: the workloads, Services
/// and volumes of a whole alternative file, or inside an alternative object.
fn without_alternatives(model: &DeploymentModel, alternatives: &[Alternative]) -> DeploymentModel {
    let dropped = |loc: Loc| {
        alternatives.iter().any(|a| {
            a.file == loc.file
                && a.span
                    .is_none_or(|s| s.start <= loc.span.start && loc.span.end <= s.end)
        })
    };
    let mut m = model.clone();
    m.workloads.retain(|w| !dropped(w.at));
    m.services.retain(|s| !dropped(s.at));
    m.volumes.retain(|v| !dropped(v.at));
    m
}

#[cfg(test)]
mod tests;
