//! A kind that Kubernetes' own API version does not serve: a misspelt kind
//! (`Deploymnet` in `apps/v1`) or one of another group (`Deployment` in
//! `batch/v1`). kube-apiserver answers `no matches for kind`. Only API versions
//! the newest release serves are judged, against the kinds k8s-openapi knows for
//! them (`formats::kubernetes::kinds`) and those the tables of removed and
//! introduced API versions list; custom groups are left to `unvalidated-kind`.

use super::forms;
use crate::formats::kubernetes::Object;
use crate::formats::kubernetes::kinds;
use crate::rules::kubernetes::served_in_some_release;
use crate::source::{Span, closest, closest_by};

/// Kinds written with `apiVersion: v1` that are not API objects of Kubernetes:
/// kubeconfig files (`Config`), kubectl's `List`, and the kinds OpenShift 3
/// served in its legacy `v1` API next to Kubernetes' own.
const CLIENT_AND_LEGACY_V1: &[&str] = &[
    "Config",
    "List",
    "BuildConfig",
    "Build",
    "DeploymentConfig",
    "ImageStream",
    "ImageStreamTag",
    "ImageStreamImport",
    "Project",
    "ProjectRequest",
    "Route",
    "Template",
    "SecurityContextConstraints",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "Policy",
    "PolicyBinding",
    "User",
    "Group",
];

fn served(api_version: &str, kind: &str) -> bool {
    kinds::kinds_of(api_version).any(|k| k == kind) || served_in_some_release(api_version, kind)
}

/// The finding for an object whose kind its API version does not serve, if any:
/// the kind's span and the message.
pub(super) fn check(obj: &Object) -> Option<(Span, String)> {
    let api = obj.api_version.value.trim();
    let kind = obj.kind.value.trim();
    if kind.is_empty() || forms::templated(api) || forms::templated(kind) {
        return None;
    }
    if !kinds::serves_version(api) || served(api, kind) {
        return None;
    }
    if api == "v1" && CLIENT_AND_LEGACY_V1.contains(&kind) {
        return None;
    }
    // A typed list (`DeploymentList`) of a kind the version serves.
    if kind.strip_suffix("List").is_some_and(|k| served(api, k)) {
        return None;
    }
    let who = obj.describe();
    let elsewhere: Vec<&str> = kinds::versions_of(kind).collect();
    let message = if !elsewhere.is_empty() {
        format!(
            "{who}: kind: {api} does not serve kind `{kind}`; it is served by {}",
            elsewhere.join(", ")
        )
    } else if let Some(near) = closest(kind, kinds::kinds_of(api)) {
        format!("{who}: kind: unknown kind `{kind}` in {api}; did you mean `{near}`?")
    } else if let Some(&(near_api, near)) = closest_by(kind, kinds::SERVED, |(_, k)| k) {
        format!(
            "{who}: kind: unknown kind `{kind}` in {api}; did you mean `{near}` (apiVersion: {near_api})?"
        )
    } else {
        format!(
            "{who}: kind: {api} serves no kind `{kind}` (kube-apiserver answers `no matches for kind`)"
        )
    };
    Some((obj.kind.span, message))
}
