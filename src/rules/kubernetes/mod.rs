//! Rules for Kubernetes specs.

mod missing_kustomize_resource;
mod missing_liveness_probe;
mod missing_readiness_probe;
mod probe_port_not_exposed;
mod removed_api_version;
mod removed_volume_plugin;
mod run_as_root;
mod selector_template_mismatch;
mod service_selects_nothing;
mod unapplied_kustomize_patch;

#[cfg(test)]
mod tests;

pub use crate::formats::kubernetes::ignore_annotations;
pub use removed_api_version::{Removal, lookup as removed_api};

use super::Rule;
use crate::formats::kubernetes::selector::selects;
use crate::model::{DeploymentModel, Workload};

pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &missing_readiness_probe::MissingReadinessProbe,
        &missing_liveness_probe::MissingLivenessProbe,
        &run_as_root::RunAsRoot,
        &selector_template_mismatch::SelectorTemplateMismatch,
        &service_selects_nothing::ServiceSelectsNothing,
        &probe_port_not_exposed::ProbePortNotExposed,
        &removed_api_version::RemovedApiVersion,
        &removed_volume_plugin::RemovedVolumePlugin,
        &unapplied_kustomize_patch::UnappliedKustomizePatch,
        &missing_kustomize_resource::MissingKustomizeResource,
    ]
}

/// Workloads that run to completion: Jobs, CronJobs and Pods that are not restarted
/// once they succeed (`restartPolicy: Never` or `OnFailure`).
fn is_batch_like(w: &Workload) -> bool {
    w.kind.is_batch()
        || w.restart
            .as_ref()
            .is_some_and(|r| matches!(r.value.as_str(), "Never" | "OnFailure"))
}

/// Whether a Service of the project selects the workload's pods.
fn is_selected_by_service(model: &DeploymentModel, w: &Workload) -> bool {
    model
        .services
        .iter()
        .any(|s| !s.selector.is_empty() && selects(&s.selector, &w.labels))
}
