//! Lowering a Kubernetes project into the normalized model: one Workload per
//! workload object, a ServiceDecl per Service, a VolumeDecl per claim (PVCs,
//! PersistentVolumes and StatefulSet claim templates).
//!
//! Values come from the typed model; spans come from walking the tree along the same
//! path (`tree::At`). Where the two disagree the span falls back to the object's
//! name, so lowering never fails.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::formats::kubernetes::model::{Body, Object, Selector};
use crate::formats::kubernetes::tree::At;
use crate::model::quantity::{cpu_cores, k8s_bytes};
use crate::model::{
    Container, DeploymentModel, EnvRedefinition, EnvVar, Evidence, Mount, MountKind, Placement,
    Platform, Port, PortRef, Probe, Resources, ServiceDecl, Volume, VolumeDecl, Workload,
    WorkloadKind,
};
use crate::project::kubernetes::project_objects;
use crate::project::{Project, SpecFile};
use crate::source::{FileId, Format, Loc};
use crate::source::{Span, Spanned};

const HOSTNAME_KEY: &str = "kubernetes.io/hostname";
const ZONE_KEYS: &[&str] = &[
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/zone",
];

/// Lowers a project's files into the normalized model.
pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let objects = project_objects(project, files);
    let autoscalers: Vec<Autoscaler> = objects
        .iter()
        .filter_map(|(f, o)| autoscaler(o, &f.docs))
        .collect();
    let mut model = DeploymentModel {
        platform: k3s_platform(&objects),
        ..DeploymentModel::default()
    };
    for (file, obj) in &objects {
        let at = obj.at(&file.docs);
        match &obj.body {
            Body::Service(spec) => model.services.push(service(file, obj, spec, at)),
            Body::PersistentVolumeClaim(spec) => model.volumes.push(VolumeDecl {
                name: object_name(obj),
                kind: MountKind::Named,
                size: storage(spec.resources.as_ref().and_then(|r| r.requests.as_ref())),
                driver: spec.storage_class_name.clone(),
                at: Loc::new(file.id, obj.anchor()),
            }),
            Body::PersistentVolume(spec) => model.volumes.push(VolumeDecl {
                name: object_name(obj),
                kind: if spec.host_path.is_some() || spec.local.is_some() {
                    MountKind::HostPath
                } else {
                    MountKind::Named
                },
                size: storage(spec.capacity.as_ref()),
                driver: spec.storage_class_name.clone(),
                at: Loc::new(file.id, obj.anchor()),
            }),
            _ => {
                if let Some(kind) = workload_kind(obj) {
                    let mut w = workload(file, obj, kind, at);
                    w.max_replicas = autoscalers
                        .iter()
                        .find(|a| {
                            a.kind == obj.kind.value
                                && Some(&a.name) == obj.name.as_ref().map(|n| &n.value)
                        })
                        .map(|a| a.max.located(file.id));
                    if let Body::StatefulSet(spec) = &obj.body {
                        let claims = at.path(&["spec", "volumeClaimTemplates"]);
                        for (i, pvc) in spec.volume_claim_templates.iter().flatten().enumerate() {
                            let name = pvc.metadata.name.clone().unwrap_or_default();
                            let spec = pvc.spec.as_ref();
                            model.volumes.push(VolumeDecl {
                                name,
                                kind: MountKind::Named,
                                size: storage(
                                    spec.and_then(|s| s.resources.as_ref())
                                        .and_then(|r| r.requests.as_ref()),
                                ),
                                driver: spec.and_then(|s| s.storage_class_name.clone()),
                                at: Loc::new(
                                    file.id,
                                    claims
                                        .index(i)
                                        .path(&["metadata", "name"])
                                        .span_or(w.at.span),
                                ),
                            });
                        }
                    }
                    model.workloads.push(w);
                }
            }
        }
    }
    model
}

fn object_name(obj: &Object) -> String {
    obj.name
        .as_ref()
        .map(|n| n.value.clone())
        .or_else(|| obj.metadata.generate_name.clone())
        .unwrap_or_else(|| "unnamed".into())
}

fn storage(map: Option<&BTreeMap<String, Quantity>>) -> Option<u64> {
    map?.get("storage").and_then(|q| k8s_bytes(&q.0))
}

fn pairs(map: Option<&BTreeMap<String, String>>) -> Vec<(String, String)> {
    map.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// An HPA's target and its `maxReplicas`.
struct Autoscaler {
    kind: String,
    name: String,
    max: Spanned<u32>,
}

fn autoscaler(obj: &Object, docs: &[crate::yaml::Node]) -> Option<Autoscaler> {
    let Body::HorizontalPodAutoscaler(spec) = &obj.body else {
        return None;
    };
    let (kind, name) = obj.scale_target(docs)?;
    let max = u32::try_from(spec.max_replicas).ok().filter(|&m| m > 0)?;
    Some(Autoscaler {
        kind: kind.value,
        name: name.value,
        max: obj
            .at(docs)
            .path(&["spec", "maxReplicas"])
            .spanned(max, obj.anchor()),
    })
}

fn service(file: &SpecFile, obj: &Object, spec: &core::ServiceSpec, at: At<'_>) -> ServiceDecl {
    let spec_at = at.key("spec");
    // An ExternalName Service is a DNS alias: Kubernetes ignores its selector.
    let selector = if spec.type_.as_deref() == Some("ExternalName") {
        Vec::new()
    } else {
        pairs(spec.selector.as_ref())
    };
    let selector_loc = if selector.is_empty() {
        None
    } else {
        spec_at.key("selector").span().map(|s| Loc::new(file.id, s))
    };
    let ports = spec
        .ports
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| Port {
            // The port the pods receive on: a numeric `targetPort`, else `port`.
            container: match &p.target_port {
                Some(IntOrString::Int(n)) => u32::try_from(*n).ok(),
                Some(IntOrString::String(_)) => None,
                None => u32::try_from(p.port).ok(),
            },
            // A `nodePort` opens the port on every node, as a host port does.
            host: p
                .node_port
                .and_then(|n| u32::try_from(n).ok())
                .filter(|&n| n > 0),
            protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            name: p.name.clone(),
            loc: Loc::new(file.id, spec_at.key("ports").index(i).span_or(obj.anchor())),
        })
        .collect();
    ServiceDecl {
        name: object_name(obj),
        selector,
        selector_loc,
        ports,
        at: Loc::new(file.id, obj.anchor()),
    }
}

fn workload(file: &SpecFile, obj: &Object, kind: WorkloadKind, at: At<'_>) -> Workload {
    let mut w = Workload::new(
        Format::Kubernetes,
        kind,
        object_name(obj),
        Loc::new(file.id, obj.anchor()),
    );
    let replicas = match &obj.body {
        Body::Deployment(s) => s.replicas,
        Body::StatefulSet(s) => s.replicas,
        Body::ReplicaSet(s) => s.replicas,
        Body::ReplicationController(s) => s.replicas,
        _ => None,
    };
    if let Some(r) = replicas.and_then(|r| u32::try_from(r).ok()) {
        w.replicas = Some(
            at.path(&["spec", "replicas"])
                .spanned(r, w.at.span)
                .in_file(file.id),
        );
    }
    if let Some(peak) = batch_peak(obj, at) {
        w.replicas = Some(peak.in_file(file.id));
    }
    if kind == WorkloadKind::DaemonSet {
        w.global = Some(Loc::new(file.id, obj.kind.span));
    }
    let Some(template) = obj.pod_template() else {
        return w;
    };
    w.labels = pairs(template.labels);
    let Some(pod) = template.spec else {
        return w;
    };
    let pod_at = at.path(template.path).key("spec");
    let claims: Vec<String> = match &obj.body {
        Body::StatefulSet(s) => s
            .volume_claim_templates
            .iter()
            .flatten()
            .filter_map(|c| c.metadata.name.clone())
            .collect(),
        _ => Vec::new(),
    };
    let meta_at = at.path(template.path).key("metadata");
    lower_pod(&mut w, pod, template.labels, (pod_at, meta_at), &claims, at);
    w
}

/// The pods a Job (or each run of a CronJob) runs at once: `parallelism` (1 when
/// absent), never more than `completions` when that is set. A CronJob whose
/// `concurrencyPolicy` is `Allow` (the default) may overlap runs, whose number the
/// spec does not bound: one run's pods are the lower bound counted. `None`: one pod.
fn batch_peak(obj: &Object, at: At<'_>) -> Option<Spanned<u32>> {
    let (spec, spec_at) = match &obj.body {
        Body::Job(s) => (&**s, at.key("spec")),
        Body::CronJob(s) => (
            s.job_template.spec.as_ref()?,
            at.path(&["spec", "jobTemplate", "spec"]),
        ),
        _ => return None,
    };
    let parallelism = spec.parallelism.and_then(|p| u32::try_from(p).ok())?;
    let completions = spec.completions.and_then(|c| u32::try_from(c).ok());
    let peak = completions.map_or(parallelism, |c| parallelism.min(c));
    (peak != 1).then(|| {
        let key = if completions.is_some_and(|c| c < parallelism) {
            "completions"
        } else {
            "parallelism"
        };
        spec_at.key(key).spanned(peak, obj.anchor())
    })
}

fn lower_pod(
    w: &mut Workload,
    pod: &core::PodSpec,
    labels: Option<&BTreeMap<String, String>>,
    (pod_at, meta_at): (At<'_>, At<'_>),
    claims: &[String],
    object_at: At<'_>,
) {
    let file = w.file();
    let fallback = w.at.span;
    let loc = |span: Span| Loc::new(file, span);
    if pod.host_network == Some(true) {
        w.host_network = Some(loc(pod_at.entry_span("hostNetwork").unwrap_or(fallback)));
    }
    if pod.host_pid == Some(true) {
        w.host_pid = Some(loc(pod_at.entry_span("hostPID").unwrap_or(fallback)));
    }
    if pod.host_ipc == Some(true) {
        w.host_ipc = Some(loc(pod_at.entry_span("hostIPC").unwrap_or(fallback)));
    }
    w.restart = pod.restart_policy.as_ref().map(|r| {
        pod_at
            .key("restartPolicy")
            .spanned(r.clone(), fallback)
            .in_file(file)
    });
    w.placement = placement(pod, labels, pod_at, file, fallback);
    super::hardening::kubernetes_pod(w, pod, pod_at);

    // Volumes by name: kind and source.
    let mut volumes: HashMap<&str, (MountKind, Option<String>)> = HashMap::new();
    for (i, v) in pod.volumes.iter().flatten().enumerate() {
        let (kind, source) = volume_kind(v);
        w.volumes.push(Volume {
            name: v.name.clone(),
            kind: kind.clone(),
            host_path: v.host_path.as_ref().map(|h| h.path.clone()),
            config_map: v.config_map.as_ref().map(|c| c.name.clone()),
            loc: loc(pod_at.key("volumes").index(i).span_or(fallback)),
        });
        volumes.insert(&v.name, (kind, source));
    }
    let claims_at = object_at.path(&["spec", "volumeClaimTemplates"]);
    for (i, c) in claims.iter().enumerate() {
        w.volumes.push(Volume {
            name: c.clone(),
            kind: MountKind::Named,
            host_path: None,
            config_map: None,
            loc: loc(claims_at.index(i).span_or(fallback)),
        });
        volumes
            .entry(c)
            .or_insert((MountKind::Named, Some(c.clone())));
    }

    let lists: [(&str, &[core::Container], bool); 2] = [
        (
            "initContainers",
            pod.init_containers.as_deref().unwrap_or_default(),
            true,
        ),
        ("containers", &pod.containers, false),
    ];
    for (key, containers, init) in lists {
        for (i, c) in containers.iter().enumerate() {
            let c_at = pod_at.key(key).index(i);
            // An item that is not a mapping was reported as a wrong type and read as
            // an empty container: it is no container.
            if c_at.node().is_some_and(|n| n.as_mapping().is_none()) {
                continue;
            }
            let mut out = container(c, c_at, pod, pod_at, &volumes, file, fallback);
            out.init = init;
            out.hardening = super::hardening::kubernetes_container(
                c,
                c_at,
                pod,
                pod_at,
                meta_at,
                file,
                c_at.span_or(fallback),
            );
            w.containers.push(out);
        }
    }
}

/// What a pod volume is, and the source a mount of it names.
fn volume_kind(v: &core::Volume) -> (MountKind, Option<String>) {
    if let Some(e) = &v.empty_dir {
        let kind = if e.medium.as_deref() == Some("Memory") {
            MountKind::Tmpfs
        } else {
            MountKind::Ephemeral
        };
        return (kind, Some(v.name.clone()));
    }
    if let Some(h) = &v.host_path {
        return (MountKind::HostPath, Some(h.path.clone()));
    }
    if let Some(c) = &v.persistent_volume_claim {
        return (MountKind::Named, Some(c.claim_name.clone()));
    }
    if v.config_map.is_some()
        || v.secret.is_some()
        || v.projected.is_some()
        || v.downward_api.is_some()
    {
        return (MountKind::Config, Some(v.name.clone()));
    }
    if v.ephemeral.is_some() {
        // A generic ephemeral volume lives and dies with its pod.
        return (MountKind::Ephemeral, Some(v.name.clone()));
    }
    (MountKind::External, Some(v.name.clone()))
}

fn container(
    c: &core::Container,
    c_at: At<'_>,
    pod: &core::PodSpec,
    pod_at: At<'_>,
    volumes: &HashMap<&str, (MountKind, Option<String>)>,
    file: FileId,
    fallback: Span,
) -> Container {
    let here = c_at.span_or(fallback);
    let loc = |span: Span| Loc::new(file, span);
    let name = c_at
        .key("name")
        .spanned_str()
        .unwrap_or_else(|| Spanned::new(c.name.clone(), here));
    let mut out = Container::new(name.in_file(file));
    out.image = c
        .image
        .as_ref()
        .map(|i| c_at.key("image").spanned(i.clone(), here).in_file(file));
    out.entrypoint = c.command.clone();
    out.args = c.args.clone();
    out.command = c
        .command
        .iter()
        .flatten()
        .chain(c.args.iter().flatten())
        .cloned()
        .collect();
    if !out.command.is_empty() {
        let at = if c.command.as_ref().is_some_and(|v| !v.is_empty()) {
            c_at.key("command")
        } else {
            c_at.key("args")
        };
        out.command_at = Some(loc(at.span_or(here)));
    }

    let sc = c.security_context.as_ref();
    let sc_at = c_at.key("securityContext");
    if sc.and_then(|s| s.privileged) == Some(true) {
        out.privileged = Some(loc(sc_at.entry_span("privileged").unwrap_or(here)));
    }
    let caps_at = sc_at.path(&["capabilities", "add"]);
    for (i, cap) in sc
        .and_then(|s| s.capabilities.as_ref())
        .and_then(|c| c.add.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.cap_add
            .push(caps_at.index(i).spanned(cap.clone(), here).in_file(file));
    }
    let pod_sc = pod.security_context.as_ref();
    out.user = match (
        sc.and_then(|s| s.run_as_user),
        pod_sc.and_then(|s| s.run_as_user),
    ) {
        (Some(u), _) => Some(
            sc_at
                .key("runAsUser")
                .spanned(u.to_string(), here)
                .in_file(file),
        ),
        (None, Some(u)) => Some(
            pod_at
                .path(&["securityContext", "runAsUser"])
                .spanned(u.to_string(), here)
                .in_file(file),
        ),
        (None, None) => None,
    };

    let mut env_index: HashMap<&str, Loc> = HashMap::new();
    for (i, e) in c.env.iter().flatten().enumerate() {
        let e_at = c_at.key("env").index(i);
        let var = EnvVar {
            name: e_at.key("name").spanned(e.name.clone(), here).in_file(file),
            value: e
                .value
                .as_ref()
                .map(|v| e_at.key("value").spanned(v.clone(), here).in_file(file)),
        };
        // A later definition whose value uses `$(NAME)` builds on the earlier one (the
        // kubelet expands it with the value defined so far): that is deliberate.
        let builds_on_earlier = e
            .value
            .as_deref()
            .is_some_and(|v| v.contains(&format!("$({})", e.name)));
        if let Some(&first) = env_index.get(e.name.as_str())
            && !builds_on_earlier
            && var.name.loc.span != here
        {
            out.env_redefined.push(EnvRedefinition {
                name: var.name.clone(),
                first,
            });
        }
        // The latest definition of a name is the one a redefinition repeats.
        env_index.insert(e.name.as_str(), var.name.loc);
        out.env.push(var);
    }

    for (i, p) in c.ports.iter().flatten().enumerate() {
        out.ports.push(Port {
            container: u32::try_from(p.container_port).ok().filter(|&n| n > 0),
            host: p
                .host_port
                .and_then(|h| u32::try_from(h).ok())
                .filter(|&h| h > 0),
            protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            name: p.name.clone(),
            loc: loc(c_at.key("ports").index(i).span_or(here)),
        });
    }

    out.resources = resources(c.resources.as_ref(), c_at.key("resources"), file, here);
    out.liveness = c
        .liveness_probe
        .as_ref()
        .map(|p| probe(p, "livenessProbe", c_at, file, here));
    out.readiness = c
        .readiness_probe
        .as_ref()
        .map(|p| probe(p, "readinessProbe", c_at, file, here));

    for (i, m) in c.volume_mounts.iter().flatten().enumerate() {
        let (kind, source) = volumes
            .get(m.name.as_str())
            .cloned()
            .unwrap_or((MountKind::External, Some(m.name.clone())));
        out.mounts.push(Mount {
            kind,
            source,
            target: m.mount_path.clone(),
            read_only: m.read_only.unwrap_or(false),
            loc: loc(c_at.key("volumeMounts").index(i).span_or(here)),
        });
    }
    out
}

fn resources(
    r: Option<&core::ResourceRequirements>,
    at: At<'_>,
    file: FileId,
    fallback: Span,
) -> Resources {
    let mut out = Resources::default();
    let Some(r) = r else {
        return out;
    };
    let cpu = |map: Option<&BTreeMap<String, Quantity>>, key: &str| {
        let q = map?.get("cpu")?;
        Some(
            at.path(&[key, "cpu"])
                .spanned(cpu_cores(&q.0)?, fallback)
                .in_file(file),
        )
    };
    let memory = |map: Option<&BTreeMap<String, Quantity>>, key: &str| {
        let q = map?.get("memory")?;
        Some(
            at.path(&[key, "memory"])
                .spanned(k8s_bytes(&q.0)?, fallback)
                .in_file(file),
        )
    };
    out.cpu_limit = cpu(r.limits.as_ref(), "limits");
    out.memory_limit = memory(r.limits.as_ref(), "limits");
    out.cpu_request = cpu(r.requests.as_ref(), "requests");
    out.memory_request = memory(r.requests.as_ref(), "requests");
    // A quantity that does not read (`${MEMORY}` for envsubst) is still a limit.
    let has = |map: Option<&BTreeMap<String, Quantity>>, key: &str| {
        map.is_some_and(|m| m.contains_key(key))
    };
    out.memory_limit_unresolved = out.memory_limit.is_none() && has(r.limits.as_ref(), "memory");
    out.cpu_unresolved = out.cpu_limit.is_none()
        && out.cpu_request.is_none()
        && (has(r.limits.as_ref(), "cpu") || has(r.requests.as_ref(), "cpu"));
    out
}

fn probe(p: &core::Probe, key: &str, c_at: At<'_>, file: FileId, fallback: Span) -> Probe {
    let p_at = c_at.key(key);
    let port = if let Some(h) = &p.http_get {
        // A probe of another host says nothing about this container's ports.
        if h.host.as_deref().is_some_and(|h| !h.is_empty()) {
            None
        } else {
            Some((port_ref(&h.port), p_at.path(&["httpGet", "port"])))
        }
    } else if let Some(t) = &p.tcp_socket {
        if t.host.as_deref().is_some_and(|h| !h.is_empty()) {
            None
        } else {
            Some((port_ref(&t.port), p_at.path(&["tcpSocket", "port"])))
        }
    } else {
        p.grpc.as_ref().map(|g| {
            (
                u32::try_from(g.port).ok().map(PortRef::Number),
                p_at.path(&["grpc", "port"]),
            )
        })
    };
    let here = c_at.entry_span(key).unwrap_or(fallback);
    Probe {
        loc: Loc::new(file, here),
        port: port.and_then(|(r, at)| Some(at.spanned(r?, here).in_file(file))),
        disabled: false,
        exec: p
            .exec
            .as_ref()
            .and_then(|e| e.command.clone())
            .unwrap_or_default(),
        http_path: p.http_get.as_ref().and_then(|h| h.path.clone()),
    }
}

/// A probe's port. A numeric string counts as a number: the kubelet falls back to
/// reading a port name as a number.
fn port_ref(port: &IntOrString) -> Option<PortRef> {
    match port {
        IntOrString::Int(n) => u32::try_from(*n).ok().map(PortRef::Number),
        IntOrString::String(s) => Some(match s.trim().parse::<u32>() {
            Ok(n) => PortRef::Number(n),
            Err(_) => PortRef::Name(s.clone()),
        }),
    }
}

/// Whether an affinity term or spread constraint counts the workload's own pods.
fn selects_own(
    selector: Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector>,
    match_label_keys: Option<&Vec<String>>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    if match_label_keys.is_some_and(|k| !k.is_empty()) {
        return true;
    }
    let (Some(s), Some(labels)) = (selector, labels) else {
        return false;
    };
    let s = Selector::Label(s);
    !s.is_empty() && s.first_unmet(labels).is_none()
}

fn placement(
    pod: &core::PodSpec,
    labels: Option<&BTreeMap<String, String>>,
    pod_at: At<'_>,
    file: FileId,
    fallback: Span,
) -> Placement {
    let mut out = Placement {
        node_selector: pairs(pod.node_selector.as_ref()),
        ..Placement::default()
    };
    let affinity = pod.affinity.as_ref();
    let aff_at = pod_at.key("affinity");

    let terms = affinity
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| {
            n.required_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .map(|r| r.node_selector_terms.as_slice())
        .unwrap_or_default();
    let terms_at = aff_at.path(&[
        "nodeAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms",
    ]);
    for (i, term) in terms.iter().enumerate() {
        for (j, e) in term.match_expressions.iter().flatten().enumerate() {
            let values = e.values.as_deref().unwrap_or_default().join(",");
            let text = format!("{} {} {values}", e.key, e.operator);
            let at = terms_at.index(i).key("matchExpressions").index(j);
            out.constraints.push(
                at.spanned(text.trim_end().to_string(), fallback)
                    .in_file(file),
            );
        }
    }

    let anti = affinity
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .and_then(|p| {
            p.required_during_scheduling_ignored_during_execution
                .as_deref()
        })
        .unwrap_or_default();
    let anti_at = aff_at.path(&[
        "podAntiAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution",
    ]);
    for (i, term) in anti.iter().enumerate() {
        if !selects_own(
            term.label_selector.as_ref(),
            term.match_label_keys.as_ref(),
            labels,
        ) {
            continue;
        }
        let loc = Loc::new(file, anti_at.index(i).key("topologyKey").span_or(fallback));
        if ZONE_KEYS.contains(&term.topology_key.as_str()) {
            out.one_per_zone.get_or_insert(loc);
        }
        spread(&mut out, &term.topology_key, loc);
    }

    let spread_at = pod_at.key("topologySpreadConstraints");
    for (i, c) in pod.topology_spread_constraints.iter().flatten().enumerate() {
        if c.when_unsatisfiable != "DoNotSchedule"
            || !selects_own(
                c.label_selector.as_ref(),
                c.match_label_keys.as_ref(),
                labels,
            )
        {
            continue;
        }
        let loc = Loc::new(
            file,
            spread_at.index(i).key("topologyKey").span_or(fallback),
        );
        spread(&mut out, &c.topology_key, loc);
    }
    out
}

fn spread(out: &mut Placement, topology_key: &str, loc: Loc) {
    if topology_key == HOSTNAME_KEY {
        out.one_per_host.get_or_insert(loc);
    } else if ZONE_KEYS.contains(&topology_key) {
        out.zone_spread.get_or_insert(loc);
    }
}

/// Objects only k3s acts on (its HelmChart and HelmChartConfig resources) make the
/// project a k3s one.
fn k3s_platform(objects: &[(&SpecFile, &Object)]) -> Option<Platform> {
    let evidence: Vec<Evidence> = objects
        .iter()
        .filter(|(_, o)| o.api_version.value.starts_with("helm.cattle.io/"))
        .map(|(f, o)| Evidence {
            loc: Loc::new(f.id, o.api_version.span),
            what: format!("{} is a k3s HelmChart resource", o.describe()),
        })
        .collect();
    (!evidence.is_empty()).then_some(Platform {
        id: "k3s",
        candidates: Vec::new(),
        evidence,
    })
}

/// The workload kind of an object that runs pods.
fn workload_kind(obj: &Object) -> Option<WorkloadKind> {
    Some(match &obj.body {
        Body::Pod(_) => WorkloadKind::Pod,
        Body::Deployment(_) => WorkloadKind::Deployment,
        Body::StatefulSet(_) => WorkloadKind::StatefulSet,
        Body::DaemonSet(_) => WorkloadKind::DaemonSet,
        Body::ReplicaSet(_) => WorkloadKind::ReplicaSet,
        Body::ReplicationController(_) => WorkloadKind::ReplicationController,
        Body::Job(_) => WorkloadKind::Job,
        Body::CronJob(_) => WorkloadKind::CronJob,
        _ => return None,
    })
}
