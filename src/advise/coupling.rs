//! Platform coupling: the objects of a project that only Kubernetes (or a
//! distribution of it) can run. Each is a need: an orchestrator whose specs are
//! not Kubernetes manifests cannot express it, so it does not fit, and a
//! migration away from Kubernetes lists every such object it leaves behind.
//!
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

use crate::formats::kubernetes::Object;
use crate::formats::kubernetes::kinds;
use crate::project::kubernetes::project_objects;
use crate::project::{Project, SpecFile};

use super::Evidence;
use super::catalog::Orchestrator;
use super::migration::Step;

/// One object that ties the project to Kubernetes.
#[derive(Clone, Debug)]
pub(crate) struct Coupled {
    /// What it relies on, in a few words (`service-mesh routing (Istio)`).
    pub(crate) what: &'static str,
    /// `VirtualService "frontend"`, at the object's name.
    pub(crate) evidence: Evidence,
}

/// The spec family that can carry these objects.
const FAMILY: &str = "kubernetes";

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

/// Whether `o` cannot run a project with these objects (`misfit` without its
/// words).
pub(crate) fn misfits(o: &Orchestrator, coupled: &[Coupled]) -> bool {
    !coupled.is_empty() && o.spec_family != FAMILY
}

/// Why `o` cannot run a project with these objects, if it cannot.
pub(crate) fn misfit(o: &Orchestrator, coupled: &[Coupled]) -> Option<String> {
    if !misfits(o, coupled) {
        return None;
    }
    let mut kinds: Vec<&str> = coupled.iter().map(|c| c.what).collect();
    kinds.sort_unstable();
    kinds.dedup();
    Some(format!(
        "cannot express the {} object{} only Kubernetes runs: {}",
        coupled.len(),
        if coupled.len() == 1 { "" } else { "s" },
        kinds.join("; ")
    ))
}

/// The migration steps for the objects a move to `to` cannot carry: one per
/// object, at its place.
pub(crate) fn uncarried(to: &Orchestrator, coupled: &[Coupled]) -> Vec<Step> {
    if to.spec_family == FAMILY {
        return Vec::new();
    }
    coupled
        .iter()
        .map(|c| Step {
            feature: "platform-coupling",
            source: c.what,
            target: "",
            equivalent: false,
            note: Some(
                "only Kubernetes runs this object; keep a Kubernetes distribution or rebuild what it does by hand",
            ),
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
    }
}
