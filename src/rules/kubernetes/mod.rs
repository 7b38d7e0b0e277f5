//! Rules for Kubernetes specs.

#[cfg(test)]
mod tests;

use super::Context;
use crate::diagnostic::{Diagnostic, Related};
use crate::formats::kubernetes::Object;
use crate::formats::kubernetes::selector::selects;
use crate::model::{DeploymentModel, Workload};
use crate::project::SpecFile;
use crate::project::kubernetes::{project_objects, scan_objects};

super::register! {
    missing_readiness_probe::MissingReadinessProbe,
    missing_liveness_probe::MissingLivenessProbe,
    run_as_root::RunAsRoot,
    selector_template_mismatch::SelectorTemplateMismatch,
    service_selects_nothing::ServiceSelectsNothing,
    probe_port_not_exposed::ProbePortNotExposed,
    removed_api_version::RemovedApiVersion,
    removed_volume_plugin::RemovedVolumePlugin,
    unapplied_kustomize_patch::UnappliedKustomizePatch,
    missing_kustomize_resource::MissingKustomizeResource,
    hpa_target_missing::HpaTargetMissing,
    ingress_backend_missing::IngressBackendMissing,
    api_version_too_new::ApiVersionTooNew,
    deprecated_api_version::DeprecatedApiVersion,
}

/// Whether a Kubernetes release orchlint judges served `kind` in `api_version`
/// before the newest one stopped (`rules/removed-apis.toml`), or serves it since a
/// release the table of introductions names (`rules/introduced-apis.toml`).
pub(crate) fn served_in_some_release(api_version: &str, kind: &str) -> bool {
    removed_api_version::lookup(api_version, kind).is_some()
        || api_version_too_new::introduced(api_version, kind)
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

/// The objects of a kind and name that the project defines or, when it defines none,
/// that any file of the scan defines (a project may keep an object apart from what
/// refers to it: HPAs in an `autoscaling/` directory, an Ingress beside a copy of its
/// Service). Namespaces are not compared: `kubectl -n` and Kustomize set them too.
fn named_objects<'a>(cx: &Context<'a>, kind: &str, name: &str) -> Vec<(&'a SpecFile, &'a Object)> {
    let named =
        |o: &Object| o.kind.value == kind && o.name.as_ref().is_some_and(|n| n.value == name);
    let own: Vec<_> = project_objects(cx.project, cx.files)
        .into_iter()
        .filter(|(_, o)| named(o))
        .collect();
    if !own.is_empty() {
        return own;
    }
    cx.look_beyond();
    scan_objects(cx.files).filter(|(_, o)| named(o)).collect()
}

/// Objects of a kind that a "did you mean" hint may name: the project's, then those
/// of the projects beside it (under the parent of its directory: the manifests an
/// `autoscaling/` directory goes with).
fn hint_candidates<'a>(cx: &Context<'a>, kind: &str) -> Vec<(&'a SpecFile, &'a Object)> {
    let of_kind = |o: &Object| o.kind.value == kind && o.name.is_some();
    let mut out: Vec<_> = project_objects(cx.project, cx.files)
        .into_iter()
        .filter(|(_, o)| of_kind(o))
        .collect();
    if let Some(parent) = cx.project.root.parent() {
        cx.look_beyond();
        out.extend(scan_objects(cx.files).filter(|(f, o)| {
            of_kind(o) && !cx.project.files.contains(&f.id) && f.path.starts_with(parent)
        }));
    }
    out
}

/// Of the named objects given, the one whose name is closest to `name`, when it is
/// close enough to be a typo or a rename.
fn closest_name<'a>(
    objects: impl IntoIterator<Item = (&'a SpecFile, &'a Object)>,
    name: &str,
) -> Option<(&'a SpecFile, &'a Object)> {
    crate::source::closest_by(name, objects, |(_, o)| {
        o.name.as_ref().map_or("", |n| n.value.as_str())
    })
}

/// Turns a finding's help into "did you mean" the object, which it points at too.
fn suggest(d: &mut Diagnostic, near: Option<(&SpecFile, &Object)>) {
    let Some((f, o)) = near else {
        return;
    };
    let name = o.name.as_ref().map_or("", |n| n.value.as_str());
    d.help = Some(format!("did you mean `{name}`?"));
    d.related.push(Related {
        file: f.id,
        span: o.anchor(),
        message: format!("{} is defined here", o.describe()),
    });
}
