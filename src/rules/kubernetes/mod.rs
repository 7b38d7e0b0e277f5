//! Rules for Kubernetes specs.

mod beyond;
#[cfg(test)]
mod tests;

pub(crate) use beyond::{Answers, Lookup, Offers, Wanted};

use super::Context;
use crate::diagnostic::{Diagnostic, Related};
use crate::formats::kubernetes::Object;
use crate::formats::kubernetes::selector::selects;
use crate::formats::kubernetes::tree::At;
use crate::model::{DeploymentModel, Workload};
use crate::project::SpecFile;
use crate::project::kubernetes::{project_objects, scan_objects};
use crate::yaml::{Node, Value};

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
    deprecated_service_account_field::DeprecatedServiceAccountField,
    identical_probes::IdenticalProbes,
    replicas_with_hpa::ReplicasWithHpa,
    rbac_wildcard::RbacWildcard,
    cluster_admin_binding::ClusterAdminBinding,
    pdb_blocks_eviction::PdbBlocksEviction,
    statefulset_service_missing::StatefulsetServiceMissing,
    undefined_service_account::UndefinedServiceAccount,
    duplicate_object::DuplicateObject,
    network_policy_selects_nothing::NetworkPolicySelectsNothing,
    target_port_not_found::TargetPortNotFound,
    rbac_secrets_access::RbacSecretsAccess,
    rbac_pod_exec::RbacPodExec,
    service_account_token_automounted::ServiceAccountTokenAutomounted,
    default_service_account::DefaultServiceAccount,
    undefined_configmap::UndefinedConfigmap,
    undefined_secret_ref::UndefinedSecretRef,
    undefined_pvc::UndefinedPvc,
    missing_network_policy::MissingNetworkPolicy,
    no_anti_affinity::NoAntiAffinity,
    job_without_ttl::JobWithoutTtl,
    default_namespace::DefaultNamespace,
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
    cx.look_beyond(Lookup::named(kind, name));
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
        cx.look_beyond(Lookup::near(kind, parent));
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

/// A workload object of the project with the node of its pod spec (`spec` of a Pod,
/// `spec.template.spec` of the others).
pub(super) struct PodSpecAt<'a> {
    pub(super) file: &'a SpecFile,
    pub(super) object: &'a Object,
    pub(super) spec: At<'a>,
}

/// The workload objects of the project (Pods, Deployments, StatefulSets, DaemonSets,
/// ReplicaSets, ReplicationControllers, Jobs, CronJobs), each with its pod spec node.
fn pod_specs<'a>(cx: &Context<'a>) -> Vec<PodSpecAt<'a>> {
    project_objects(cx.project, cx.files)
        .into_iter()
        .filter_map(|(file, object)| {
            let t = object.pod_template()?;
            let spec = object.at(&file.docs).path(t.path).key("spec");
            spec.exists().then_some(PodSpecAt { file, object, spec })
        })
        .collect()
}

/// Whether two trees hold the same keys and values, wherever they are written (the
/// spans are not compared; plain and quoted scalars of the same text are equal).
fn same_tree(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Scalar(x), Value::Scalar(y)) => x.text == y.text,
        (Value::Sequence(x), Value::Sequence(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_tree(a, b))
        }
        (Value::Mapping(x), Value::Mapping(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .any(|(k2, v2)| same_tree(k, k2) && same_tree(v, v2))
                })
        }
        _ => false,
    }
}

/// A rule of a Role or ClusterRole of the project (aggregated ClusterRoles, whose
/// rules the control plane fills, left out).
pub(super) struct RbacRule<'a> {
    pub(super) file: &'a SpecFile,
    pub(super) role: &'a Object,
    pub(super) rule: At<'a>,
}

fn rbac_rules<'a>(cx: &Context<'a>) -> Vec<RbacRule<'a>> {
    let mut out = Vec::new();
    for (file, role) in project_objects(cx.project, cx.files) {
        if !matches!(role.kind.value.as_str(), "Role" | "ClusterRole")
            || !role
                .api_version
                .value
                .starts_with("rbac.authorization.k8s.io/")
        {
            continue;
        }
        let at = role.at(&file.docs);
        if at.key("aggregationRule").exists() {
            continue;
        }
        let rules = at.key("rules").node().and_then(Node::as_sequence);
        for rule in rules.unwrap_or_default() {
            out.push(RbacRule {
                file,
                role,
                rule: At::new(rule),
            });
        }
    }
    out
}

/// The string items of a list, with their nodes.
fn list_items(list: At<'_>) -> Vec<&Node> {
    list.node()
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter(|n| n.as_str().is_some())
        .collect()
}

/// The ServiceAccount a pod spec runs as, with the node naming it (none for the
/// `default` account taken when no name is written).
fn pod_service_account<'a>(spec: At<'a>) -> (String, Option<&'a Node>) {
    for key in ["serviceAccountName", "serviceAccount"] {
        if let Some(n) = spec.key(key).node()
            && let Some(s) = n.as_str().filter(|s| !s.is_empty())
        {
            return (s.to_string(), Some(n));
        }
    }
    ("default".to_string(), None)
}

/// `automountServiceAccountToken` of a pod spec or ServiceAccount, when written as
/// a boolean.
fn automount(at: At<'_>) -> Option<(bool, &Node)> {
    let n = at.key("automountServiceAccountToken").node()?;
    Some((n.as_bool()?, n))
}

/// What a pod spec can refer to by name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RefKind {
    ConfigMap,
    Secret,
    Claim,
}

impl RefKind {
    pub(super) fn kind(self) -> &'static str {
        match self {
            RefKind::ConfigMap => "ConfigMap",
            RefKind::Secret => "Secret",
            RefKind::Claim => "PersistentVolumeClaim",
        }
    }

    /// The kustomization key that generates objects of the kind.
    fn generator(self) -> Option<&'static str> {
        match self {
            RefKind::ConfigMap => Some("configMapGenerator"),
            RefKind::Secret => Some("secretGenerator"),
            RefKind::Claim => None,
        }
    }
}

/// A reference of a pod spec to an object by name: the name as written and where
/// in the pod spec it is (`envFrom`, `volumes` ...). References marked
/// `optional: true` are left out.
pub(super) struct NamedRef {
    pub(super) name: crate::source::Spanned<String>,
    pub(super) via: &'static str,
}

/// The references of kind `kind` in a pod spec.
fn pod_refs(spec: At<'_>, kind: RefKind) -> Vec<NamedRef> {
    let mut out = Vec::new();
    let mut push = |at: At<'_>, key: &str, via: &'static str| {
        if at.key("optional").node().and_then(Node::as_bool) == Some(true) {
            return;
        }
        if let Some(name) = at.key(key).spanned_str()
            && !name.value.is_empty()
            && !name.value.contains(['$', '{', '<'])
        {
            out.push(NamedRef { name, via });
        }
    };
    let (env_from, key_ref, volume, volume_key, projected) = match kind {
        RefKind::ConfigMap => (
            "configMapRef",
            "configMapKeyRef",
            "configMap",
            "name",
            "configMap",
        ),
        RefKind::Secret => (
            "secretRef",
            "secretKeyRef",
            "secret",
            "secretName",
            "secret",
        ),
        RefKind::Claim => ("", "", "persistentVolumeClaim", "claimName", ""),
    };
    for list in ["initContainers", "containers"] {
        for c in spec
            .key(list)
            .node()
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            let c = At::new(c);
            if env_from.is_empty() {
                break;
            }
            for e in c
                .key("envFrom")
                .node()
                .and_then(Node::as_sequence)
                .unwrap_or_default()
            {
                push(At::new(e).key(env_from), "name", "envFrom");
            }
            for e in c
                .key("env")
                .node()
                .and_then(Node::as_sequence)
                .unwrap_or_default()
            {
                push(At::new(e).path(&["valueFrom", key_ref]), "name", "env");
            }
        }
    }
    for v in spec
        .key("volumes")
        .node()
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        let v = At::new(v);
        push(v.key(volume), volume_key, "volumes");
        if projected.is_empty() {
            continue;
        }
        let sources = v.path(&["projected", "sources"]).node();
        for s in sources.and_then(Node::as_sequence).unwrap_or_default() {
            push(At::new(s).key(projected), "name", "volumes");
        }
    }
    out
}

/// The names of objects of the kind that kustomizations generate, in the given files.
fn generated_names<'a>(files: impl Iterator<Item = &'a SpecFile>, kind: RefKind) -> Vec<String> {
    let Some(key) = kind.generator() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in files {
        if f.kubernetes().is_none_or(|k| k.kustomization.is_none()) {
            continue;
        }
        for doc in &f.docs {
            for g in doc.get(key).and_then(Node::as_sequence).unwrap_or_default() {
                if let Some(name) = g.get("name").and_then(Node::as_str) {
                    out.push(name.to_string());
                }
            }
        }
    }
    out
}

/// Reports the references of pod specs of the project to objects of the kind that
/// neither the project nor any scanned file defines or generates. `gate`: only
/// when the project defines (or generates) at least one object of the kind.
fn report_undefined_refs(cx: &mut Context<'_>, kind: RefKind, gate: bool) {
    let project_files = || {
        cx.project
            .files
            .iter()
            .filter_map(|id| cx.files.get(id.0 as usize))
    };
    let defines_some = project_objects(cx.project, cx.files)
        .iter()
        .any(|(_, o)| o.kind.value == kind.kind())
        || !generated_names(project_files(), kind).is_empty();
    if gate && !defines_some {
        return;
    }
    let generated = generated_names(cx.kustomizations(), kind);
    for p in pod_specs(cx) {
        for r in pod_refs(p.spec, kind) {
            // Kubernetes publishes the cluster's CA in every namespace itself.
            if (kind == RefKind::ConfigMap && r.name.value == "kube-root-ca.crt")
                || generated.contains(&r.name.value)
                || !named_objects(cx, kind.kind(), &r.name.value).is_empty()
            {
                continue;
            }
            let near = closest_name(hint_candidates(cx, kind.kind()), &r.name.value);
            let d = cx.report(
                p.file.id,
                r.name.span,
                format!(
                    "{} refers to {} \"{}\" (in `{}`), which is not defined in the project or any scanned file",
                    p.object.describe(),
                    kind.kind(),
                    r.name.value,
                    r.via
                ),
            );
            d.help = Some(match kind {
                RefKind::Claim => format!(
                    "define PersistentVolumeClaim \"{}\" in the project, or use a StatefulSet `volumeClaimTemplates` entry",
                    r.name.value
                ),
                _ => format!(
                    "define {} \"{}\" in the project (or a kustomize generator), or mark the reference `optional: true`",
                    kind.kind(),
                    r.name.value
                ),
            });
            suggest(d, near);
        }
    }
}
