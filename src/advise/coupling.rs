//! Platform coupling: the parts of a project that only one platform can run.
//! Each is a need: an orchestrator that cannot express it does not fit, and a
//! migration away lists every such part it leaves behind.
//!
//! Kubernetes (or a distribution of it: what its manifests run):
//! - CustomResourceDefinitions, and custom resources: service-mesh routing (Istio
//!   Gateway, VirtualService, DestinationRule, EnvoyFilter), Gateway API routes,
//!   cert-manager Issuers and Certificates, Prometheus-operator ServiceMonitors and
//!   PrometheusRules, Argo CD Applications, and any other kind of a group that is
//!   not Kubernetes' own;
//! - HorizontalPodAutoscalers on custom or external metrics (`Pods`, `Object`,
//!   `External` metric types), which need a metrics adapter registered with the
//!   API server;
//! - APIServices (API aggregation);
//! - RBAC (Roles, ClusterRoles and their bindings) and admission policy (webhook
//!   configurations, ValidatingAdmissionPolicies and their bindings,
//!   PodSecurityPolicies).
//!
//! Swarm mode (`swarm`: the Docker engine's own API on every node):
//! - a service that mounts the Docker socket and is placed on manager nodes
//!   (`node.role == manager`): it reads or drives the swarm itself through a
//!   manager's API (Swarm visualizers and dashboards, Portainer or Swarmpit
//!   servers, service-event listeners);
//! - a global service that mounts the Docker socket: an agent of the Docker engine
//!   on every node (Portainer and Swarmpit agents, cAdvisor, image pruning), which
//!   a Kubernetes node (containerd) or a single Compose host cannot carry.
//!
//! A socket mounted by a replicated service anywhere in the swarm, or by a Compose
//! service, is no coupling: one Docker host runs it as well.

use crate::formats::kubernetes::Object;
use crate::formats::kubernetes::kinds;
use crate::project::kubernetes::project_objects;
use crate::project::{Project, SpecFile};

use super::Evidence;
use super::catalog::Orchestrator;
use super::migration::Step;
use crate::model::DeploymentModel;
use crate::source::Format;

/// The platform a coupled part relies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Platform {
    /// Kubernetes' API: any orchestrator whose specs are Kubernetes manifests.
    Kubernetes,
    /// Swarm mode's API on Docker engines: Swarm mode only.
    Swarm,
}

impl Platform {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Platform::Kubernetes => "kubernetes",
            Platform::Swarm => "swarm",
        }
    }

    /// The platform's name in messages.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Platform::Kubernetes => "Kubernetes",
            Platform::Swarm => "Swarm mode",
        }
    }

    /// Whether `o` can run what relies on this platform.
    fn carried_by(self, o: &Orchestrator) -> bool {
        match self {
            Platform::Kubernetes => o.spec_family == "kubernetes",
            Platform::Swarm => o.id == "swarm",
        }
    }
}

/// One part of the project that ties it to a platform.
#[derive(Clone, Debug)]
pub(crate) struct Coupled {
    pub(crate) platform: Platform,
    /// What it relies on, in a few words (`service-mesh routing (Istio)`).
    pub(crate) what: &'static str,
    /// `VirtualService "frontend"`, at the object's name.
    pub(crate) evidence: Evidence,
}

/// The custom resource groups whose purpose is known, by suffix of the group.
const GROUPS: &[(&str, &str)] = &[
    ("istio.io", "service-mesh routing and policy (Istio)"),
    ("linkerd.io", "service-mesh routing and policy (Linkerd)"),
    ("gateway.networking.k8s.io", "Gateway API routing"),
    ("cert-manager.io", "certificate issuance (cert-manager)"),
    ("monitoring.coreos.com", "monitoring operator (Prometheus)"),
    ("argoproj.io", "GitOps and workflows (Argo)"),
    ("fluxcd.io", "GitOps (Flux)"),
    ("traefik.io", "ingress routing (Traefik)"),
    ("traefik.containo.us", "ingress routing (Traefik)"),
    ("keda.sh", "event-driven autoscaling (KEDA)"),
];

fn group(api_version: &str) -> &str {
    match api_version.split_once('/') {
        Some((g, _)) => g,
        None => "",
    }
}

/// What an object relies on that only Kubernetes has, if anything.
fn coupling(o: &Object, file: &SpecFile) -> Option<&'static str> {
    let kind = o.kind.value.as_str();
    let g = group(&o.api_version.value);
    match kind {
        "CustomResourceDefinition" => return Some("custom resource definition"),
        "APIService" => return Some("API aggregation (APIService)"),
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding"
            if g.starts_with("rbac.authorization.k8s.io") =>
        {
            return Some("RBAC");
        }
        "ValidatingWebhookConfiguration"
        | "MutatingWebhookConfiguration"
        | "ValidatingAdmissionPolicy"
        | "ValidatingAdmissionPolicyBinding"
        | "MutatingAdmissionPolicy"
        | "MutatingAdmissionPolicyBinding"
        | "PodSecurityPolicy" => return Some("admission policy"),
        "HorizontalPodAutoscaler" => {
            let metrics = o
                .node(&file.docs)
                .and_then(|n| n.at(&["spec", "metrics"]))
                .and_then(|m| m.as_sequence())
                .unwrap_or_default();
            let custom = metrics.iter().any(|m| {
                matches!(
                    m.get("type").and_then(|t| t.as_str()),
                    Some("Pods" | "Object" | "External")
                )
            });
            return custom.then_some("autoscaling on custom or external metrics");
        }
        _ => {}
    }
    // A custom resource: a kind of a dotted group that is none of Kubernetes' own
    // kinds (Gateway API kinds are CRDs too).
    let builtin = kinds::versions_of(kind).next().is_some();
    if g.contains('.') && (!builtin || g == "gateway.networking.k8s.io") {
        let known = GROUPS
            .iter()
            .find(|(suffix, _)| g == *suffix || g.ends_with(&format!(".{suffix}")));
        return Some(known.map_or("custom resource", |(_, what)| what));
    }
    None
}

/// The project's objects that only Kubernetes runs, in file order.
pub(crate) fn detect(project: &Project, files: &[SpecFile]) -> Vec<Coupled> {
    project_objects(project, files)
        .into_iter()
        .filter_map(|(file, o)| {
            let what = coupling(o, file)?;
            Some(Coupled {
                platform: Platform::Kubernetes,
                what,
                evidence: Evidence::new(
                    file.id,
                    o.anchor(),
                    format!("{} ({})", o.describe(), o.api_version.value),
                ),
            })
        })
        .collect()
}

/// The services of a Swarm stack that drive the swarm itself (see the module
/// doc), in model order: a Docker-socket mount on a manager-placed or global
/// service.
pub(crate) fn detect_swarm(model: &DeploymentModel) -> Vec<Coupled> {
    let mut out = Vec::new();
    for w in &model.workloads {
        if w.format != Format::Compose {
            continue;
        }
        let Some(socket) = w
            .containers
            .iter()
            .flat_map(|c| &c.mounts)
            .find(|m| m.source.as_deref().is_some_and(is_docker_socket))
        else {
            continue;
        };
        let manager = w.placement.constraints.iter().find(|c| {
            let t: String = c.value.chars().filter(|ch| !ch.is_whitespace()).collect();
            t == "node.role==manager" || t == "node.role!=worker"
        });
        let (what, how) = if let Some(m) = manager {
            (
                "the swarm's manager API (Swarm management)",
                format!("on manager nodes (`{}`)", m.value.trim()),
            )
        } else if w.global.is_some() {
            (
                "a Docker-engine agent on every swarm node",
                "on every node (`mode: global`)".to_string(),
            )
        } else {
            continue;
        };
        out.push(Coupled {
            platform: Platform::Swarm,
            what,
            evidence: Evidence::at(
                w,
                socket.loc,
                format!("{} mounts the Docker socket {how}", w.describe()),
            ),
        });
    }
    out
}

/// The Docker engine's socket, as a bind-mount source.
fn is_docker_socket(source: &str) -> bool {
    source.trim_end_matches('/').ends_with("/docker.sock")
}

/// Whether `o` cannot run a project with these parts (`misfit` without its
/// words).
pub(crate) fn misfits(o: &Orchestrator, coupled: &[Coupled]) -> bool {
    coupled.iter().any(|c| !c.platform.carried_by(o))
}

/// Why `o` cannot run a project with these parts, if it cannot.
pub(crate) fn misfit(o: &Orchestrator, coupled: &[Coupled]) -> Option<String> {
    let lacking: Vec<&Coupled> = coupled
        .iter()
        .filter(|c| !c.platform.carried_by(o))
        .collect();
    let first = lacking.first()?;
    let mut kinds: Vec<&str> = lacking.iter().map(|c| c.what).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut platforms: Vec<&str> = lacking.iter().map(|c| c.platform.name()).collect();
    platforms.dedup();
    let noun = match first.platform {
        Platform::Kubernetes if platforms.len() == 1 => "object",
        Platform::Swarm if platforms.len() == 1 => "service",
        _ => "part",
    };
    Some(format!(
        "cannot express the {} {noun}{} only {} runs: {}",
        lacking.len(),
        if lacking.len() == 1 { "" } else { "s" },
        platforms.join(" and "),
        kinds.join("; ")
    ))
}

/// The migration steps for the parts a move to `to` cannot carry: one per part,
/// at its place.
pub(crate) fn uncarried(to: &Orchestrator, coupled: &[Coupled]) -> Vec<Step> {
    coupled
        .iter()
        .filter(|c| !c.platform.carried_by(to))
        .map(|c| Step {
            feature: "platform-coupling",
            source: c.what,
            target: "",
            equivalent: false,
            note: Some(match c.platform {
                Platform::Kubernetes => {
                    "only Kubernetes runs this object; keep a Kubernetes distribution or rebuild what it does by hand"
                }
                Platform::Swarm => {
                    "it drives Swarm mode through the Docker socket; it has no work to do off a swarm: drop it, or use the new platform's own tool for the job"
                }
            }),
            at: Some(c.evidence.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::catalog;
    use crate::source::{FileId, Span};

    fn coupled(what: &'static str) -> Coupled {
        Coupled {
            platform: Platform::Kubernetes,
            what,
            evidence: Evidence::new(
                FileId(0),
                Span { start: 0, end: 3 },
                "VirtualService \"api\"",
            ),
        }
    }

    #[test]
    fn only_kubernetes_carries_coupled_objects() {
        let objects = [
            coupled("service-mesh routing and policy (Istio)"),
            coupled("RBAC"),
        ];
        let get = |id: &str| catalog::get(id).expect("in the catalog");
        assert_eq!(misfit(get("kubernetes"), &objects), None);
        assert_eq!(misfit(get("k3s"), &objects), None);
        assert_eq!(
            misfit(get("compose"), &objects).as_deref(),
            Some(
                "cannot express the 2 objects only Kubernetes runs: RBAC; service-mesh routing and policy (Istio)"
            )
        );
        assert_eq!(misfit(get("compose"), &[]), None);
        // A move away lists every object, at its place; a move within Kubernetes none.
        let steps = uncarried(get("nomad"), &objects);
        assert_eq!(steps.len(), 2);
        assert!(steps.iter().all(|s| !s.equivalent && s.at.is_some()));
        assert_eq!(steps[1].source, "RBAC");
        assert!(uncarried(get("k3s"), &objects).is_empty());
        // A service that drives the swarm: Swarm mode alone carries it, not
        // classic Swarm or Compose, which read the same files.
        let mut agent = coupled("a Docker-engine agent on every swarm node");
        agent.platform = Platform::Swarm;
        let agent = [agent];
        assert_eq!(misfit(get("swarm"), &agent), None);
        for id in ["compose", "swarm-classic", "k3s", "nomad"] {
            assert_eq!(
                misfit(get(id), &agent).as_deref(),
                Some(
                    "cannot express the 1 service only Swarm mode runs: a Docker-engine agent on every swarm node"
                ),
                "{id}"
            );
        }
        assert_eq!(uncarried(get("kubernetes"), &agent).len(), 1);
        assert!(uncarried(get("swarm"), &agent).is_empty());
    }
}
