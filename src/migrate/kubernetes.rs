//! Kubernetes specs from a normalized model: per workload a Deployment (a
//! StatefulSet when it keeps data in a named volume, a DaemonSet when it runs one
//! copy per host) and a Service for its ports, claims for shared named volumes, and
//! a `kustomization.yaml` listing them (`kubectl apply -k`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use super::names::dns_label;
use super::yaml_out::document;
use super::{Guide, Left, Migration, image_of, literal_secret_names};
use crate::model::{Container, DeploymentModel, MountKind, Probe, Workload};
use crate::project::{Project, SpecFile};

/// A claim's size when the source names none: small, and listed for a person.
const DEFAULT_CLAIM: &str = "1Gi";

pub(super) fn write(
    _project: &Project,
    _files: &[SpecFile],
    model: &DeploymentModel,
    project_name: &str,
) -> Result<Migration, String> {
    let runnable = super::runnable(model, image_of, "Kubernetes")?;
    let mut guide = Guide::default();
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    // Named volumes used by more than one workload become claims of their own
    // (ReadWriteMany); a volume one workload uses goes into its StatefulSet.
    let mut users: BTreeMap<String, usize> = BTreeMap::new();
    for w in &runnable {
        let mut seen: Vec<&str> = Vec::new();
        for c in &w.containers {
            for m in &c.mounts {
                if m.kind == MountKind::Named
                    && let Some(s) = m.source.as_deref()
                    && !seen.contains(&s)
                {
                    seen.push(s);
                    *users.entry(s.to_string()).or_default() += 1;
                }
            }
        }
    }
    let mut taken: Vec<String> = Vec::new();
    for w in &runnable {
        let mut name = dns_label(&w.name);
        while taken.contains(&name) {
            name = format!("{name}-x");
        }
        taken.push(name.clone());
        let objects = workload_objects(w, &name, model, &users, &mut guide);
        for (file, obj) in objects {
            out.push((PathBuf::from(file), document(&obj)));
        }
    }
    for (volume, n) in &users {
        if *n < 2 {
            continue;
        }
        let claim = dns_label(volume);
        let size = claim_size(model, volume, &mut guide);
        let pvc = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": claim, "labels": {"app.kubernetes.io/part-of": dns_label(project_name)}},
            "spec": {
                "accessModes": ["ReadWriteMany"],
                "resources": {"requests": {"storage": size}},
            },
        });
        guide.carried.push(format!(
            "volume `{volume}` → PersistentVolumeClaim `{claim}` (ReadWriteMany: {n} workloads mount it)"
        ));
        guide.decide.push(format!(
            "`{claim}` is shared by {n} workloads: the cluster needs a storage class that offers ReadWriteMany (NFS, CephFS, a cloud file store), or the workloads must stop sharing it"
        ));
        out.push((PathBuf::from(format!("{claim}-pvc.yaml")), document(&pvc)));
    }
    let resources: Vec<String> = out
        .iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let kustomization = json!({
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": resources,
    });
    out.push((
        PathBuf::from("kustomization.yaml"),
        document(&kustomization),
    ));
    guide
        .commands
        .push("kubectl apply -k . --dry-run=server".into());
    guide.commands.push("kubectl apply -k .".into());
    Ok(Migration { files: out, guide })
}

/// The size of a named volume's claim: the size the source declares, else the
/// default (with a decision for a person).
fn claim_size(model: &DeploymentModel, volume: &str, guide: &mut Guide) -> String {
    match model
        .volumes
        .iter()
        .find(|v| v.name == volume)
        .and_then(|v| v.size)
    {
        Some(bytes) => quantity_bytes(bytes),
        None => {
            guide.decide.push(format!(
                "the size of volume `{volume}`: the source names none, the claim asks for {DEFAULT_CLAIM}"
            ));
            DEFAULT_CLAIM.into()
        }
    }
}

/// The files and objects of one workload.
fn workload_objects(
    w: &Workload,
    name: &str,
    model: &DeploymentModel,
    users: &BTreeMap<String, usize>,
    guide: &mut Guide,
) -> Vec<(String, Value)> {
    let labels = json!({"app.kubernetes.io/name": name});
    let mut volumes: Vec<Value> = Vec::new();
    let mut claim_templates: Vec<Value> = Vec::new();
    let mut containers: Vec<Value> = Vec::new();
    let mut ports_out: Vec<(u32, String)> = Vec::new();
    for c in w.containers.iter().filter(|c| !c.init) {
        if image_of(c).is_none() && c.build.is_none() {
            guide.left.push(Left {
                what: format!(
                    "{} names no image (a command run on the host, or an image from a variable that is not set): not carried",
                    w.describe_container(c)
                ),
                at: Some(c.name.loc),
            });
            continue;
        }
        containers.push(container(
            w,
            c,
            name,
            model,
            users,
            &mut volumes,
            &mut claim_templates,
            &mut ports_out,
            guide,
        ));
    }
    if containers.is_empty() {
        return Vec::new();
    }
    let mut pod_spec = Map::new();
    pod_spec.insert("containers".into(), Value::Array(containers));
    if !volumes.is_empty() {
        pod_spec.insert("volumes".into(), Value::Array(volumes));
    }
    if let Some(at) = w
        .host_network
        .filter(|_| w.format == crate::source::Format::Marathon)
    {
        guide.left.push(Left {
            what: format!(
                "{} runs on the agent's network with ports Marathon assigns (its default): the pod gets an address of its own; an app that reads `$PORT0`… must listen on the ports written here",
                w.describe()
            ),
            at: Some(at),
        });
    } else if let Some(at) = w.host_network {
        pod_spec.insert("hostNetwork".into(), json!(true));
        guide.left.push(Left {
            what: format!(
                "{} uses the host's network: kept as `hostNetwork: true`, which ties each copy to a node's ports; prefer a Service",
                w.describe()
            ),
            at: Some(at),
        });
    }
    for (at, what) in [(w.host_pid, "PID"), (w.host_ipc, "IPC")] {
        if let Some(at) = at {
            pod_spec.insert(format!("host{what}"), json!(true));
            guide.left.push(Left {
                what: format!(
                    "{} shares the host's {what} namespace: kept (`host{what}: true`); a Pod Security admission level of `baseline` or stricter refuses it",
                    w.describe()
                ),
                at: Some(at),
            });
        }
    }
    place(w, name, &mut pod_spec, guide);
    note_links(w, guide);
    let template = json!({"metadata": {"labels": labels}, "spec": Value::Object(pod_spec)});
    let stateful = !claim_templates.is_empty();
    let (kind, file_kind) = if w.global.is_some() {
        ("DaemonSet", "daemonset")
    } else if stateful {
        ("StatefulSet", "statefulset")
    } else {
        ("Deployment", "deployment")
    };
    let mut spec = Map::new();
    spec.insert(
        "selector".into(),
        json!({"matchLabels": {"app.kubernetes.io/name": name}}),
    );
    if kind != "DaemonSet" {
        spec.insert("replicas".into(), json!(w.replica_count()));
    }
    if stateful {
        spec.insert("serviceName".into(), json!(name));
        spec.insert("volumeClaimTemplates".into(), Value::Array(claim_templates));
    }
    spec.insert("template".into(), template);
    let workload = json!({
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": name}},
        "spec": Value::Object(spec),
    });
    guide.carried.push(format!(
        "{} → {kind} `{name}` ({} cop{})",
        w.describe(),
        if kind == "DaemonSet" {
            "one per node".to_string()
        } else {
            w.replica_count().to_string()
        },
        if kind != "DaemonSet" && w.replica_count() == 1 {
            "y"
        } else {
            "ies"
        }
    ));
    let mut out = vec![(format!("{name}-{file_kind}.yaml"), workload)];
    if !ports_out.is_empty() || stateful {
        out.push((
            format!("{name}-service.yaml"),
            service(name, &ports_out, stateful && ports_out.is_empty()),
        ));
        guide.carried.push(format!(
            "{} is reachable in the cluster as Service `{name}`",
            w.describe()
        ));
    }
    out
}

/// A Service named after the workload, so the name other containers use for it
/// still resolves; headless when it only gives a StatefulSet its identity.
fn service(name: &str, ports: &[(u32, String)], headless: bool) -> Value {
    let mut spec = Map::new();
    spec.insert("selector".into(), json!({"app.kubernetes.io/name": name}));
    if headless {
        spec.insert("clusterIP".into(), json!("None"));
        spec.insert(
            "ports".into(),
            json!([{"name": "none", "port": 80, "targetPort": 80}]),
        );
    } else {
        let ports: Vec<Value> = ports
            .iter()
            .map(|(p, proto)| {
                json!({
                    "name": format!("{}-{p}", proto.to_ascii_lowercase()),
                    "port": p,
                    "targetPort": p,
                    "protocol": proto,
                })
            })
            .collect();
        spec.insert("ports".into(), Value::Array(ports));
    }
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": name}},
        "spec": Value::Object(spec),
    })
}

/// One container of the pod template; its volumes, claims and ports go into the
/// lists given.
#[allow(
    clippy::too_many_arguments,
    reason = "the pieces of one pod spec being filled in"
)]
fn container(
    w: &Workload,
    c: &Container,
    name: &str,
    model: &DeploymentModel,
    users: &BTreeMap<String, usize>,
    volumes: &mut Vec<Value>,
    claim_templates: &mut Vec<Value>,
    ports_out: &mut Vec<(u32, String)>,
    guide: &mut Guide,
) -> Value {
    let who = w.describe_container(c);
    let mut out = Map::new();
    let cname = if w.containers.len() == 1 {
        name.to_string()
    } else {
        dns_label(&c.name.value)
    };
    out.insert("name".into(), json!(cname));
    let image = match (image_of(c), c.build) {
        (Some(i), _) => i.to_string(),
        (None, Some(at)) => {
            let image = format!("{name}:latest");
            guide.left.push(Left {
                what: format!(
                    "{who} is built from source: build and push it (`docker build -t REGISTRY/{name}:TAG .`), then set the image of `{name}` to it (written as `{image}`)"
                ),
                at: Some(at),
            });
            image
        }
        // Left out by `workload_objects`, which notes it.
        (None, None) => String::new(),
    };
    out.insert("image".into(), json!(image));
    if let Some(e) = &c.entrypoint {
        out.insert("command".into(), json!(e));
    }
    if let Some(a) = &c.args {
        out.insert("args".into(), json!(a));
    }
    let mut env: Vec<Value> = Vec::new();
    for v in &c.env {
        match &v.value {
            Some(value) => env.push(json!({"name": v.name.value, "value": value.value})),
            None => guide.left.push(Left {
                what: format!(
                    "variable `{}` of {who} takes its value from elsewhere (the shell that runs Compose, a secret or a field): give it a value or a `secretKeyRef`",
                    v.name.value
                ),
                at: Some(v.name.loc),
            }),
        }
    }
    if !env.is_empty() {
        out.insert("env".into(), Value::Array(env));
        let secretish = literal_secret_names(c);
        if !secretish.is_empty() {
            guide.decide.push(format!(
                "{who} has literal values in `{}`, copied as they are: move them into a Secret (`kubectl create secret generic {name}-secrets --from-literal=…`) and refer to them with `secretKeyRef`",
                secretish.join("`, `")
            ));
        }
    }
    let mut ports: Vec<Value> = Vec::new();
    for p in &c.ports {
        let Some(port) = p.container else { continue };
        let proto = if p.protocol.eq_ignore_ascii_case("udp") {
            "UDP"
        } else if p.protocol.eq_ignore_ascii_case("sctp") {
            "SCTP"
        } else {
            "TCP"
        };
        if !ports_out.iter().any(|(q, pr)| *q == port && pr == proto) {
            ports_out.push((port, proto.to_string()));
            let mut entry = json!({"containerPort": port, "protocol": proto});
            if let Some(n) = p.name.as_deref().filter(|n| is_port_name(n)) {
                entry["name"] = json!(n);
            }
            ports.push(entry);
        }
        if let Some(host) = p.host {
            guide.left.push(Left {
                what: format!(
                    "{who} publishes port {port} on host port {host}: inside the cluster the Service `{name}` serves it; from outside, use an Ingress, a `LoadBalancer` Service or `kubectl port-forward svc/{name} {host}:{port}`"
                ),
                at: Some(p.loc),
            });
        }
    }
    if !ports.is_empty() {
        out.insert("ports".into(), Value::Array(ports));
    }
    if let Some(r) = resources(c) {
        out.insert("resources".into(), r);
    }
    for (p, what) in [
        (&c.liveness, "health check"),
        (&c.readiness, "readiness check"),
    ] {
        if let Some(p) = p.as_ref().filter(|p| !p.disabled)
            && probe(p, c).is_none()
        {
            guide.left.push(Left {
                what: format!(
                    "the {what} of {who} targets a port this container does not expose, or runs a command the spec does not show: not carried; write a probe"
                ),
                at: Some(p.loc),
            });
        }
    }
    if let Some(p) = c.liveness.as_ref().filter(|p| !p.disabled)
        && let Some(probe) = probe(p, c)
    {
        out.insert("livenessProbe".into(), probe.clone());
        if c.readiness.is_none() {
            out.insert("readinessProbe".into(), probe);
        }
        guide.carried.push(format!(
            "the health check of {who} → liveness and readiness probes"
        ));
    }
    if let Some(p) = c.readiness.as_ref().filter(|p| !p.disabled)
        && let Some(probe) = probe(p, c)
    {
        out.insert("readinessProbe".into(), probe);
    }
    let mut security = Map::new();
    if c.privileged.is_some() {
        // Not carried: the written specs hold no error of orchlint's own, and a
        // cluster's Pod Security admission refuses privileged pods.
        guide.left.push(Left {
            what: format!("{who} runs privileged: not carried (Pod Security admission at `baseline` or stricter refuses it); grant the capabilities it needs, or add `securityContext.privileged: true` if it truly needs the host"),
            at: c.privileged,
        });
    }
    if !c.cap_add.is_empty() {
        let caps: Vec<String> = c
            .cap_add
            .iter()
            .map(|x| x.value.trim_start_matches("CAP_").to_string())
            .collect();
        security.insert("capabilities".into(), json!({"add": caps}));
    }
    if let Some(u) = &c.user {
        let uid = u.value.split(':').next().unwrap_or("");
        match uid.parse::<i64>() {
            Ok(n) => {
                security.insert("runAsUser".into(), json!(n));
            }
            Err(_) => guide.left.push(Left {
                what: format!(
                    "{who} runs as user `{}`: Kubernetes takes only numeric ids (`runAsUser`); look the id up in the image",
                    u.value
                ),
                at: Some(u.loc),
            }),
        }
    }
    if !security.is_empty() {
        out.insert("securityContext".into(), Value::Object(security));
    }
    let mut mounts: Vec<Value> = Vec::new();
    for (i, m) in c.mounts.iter().enumerate() {
        let vol_name = format!("{cname}-{i}");
        let mount = |vname: &str| {
            let mut v = json!({"name": vname, "mountPath": m.target});
            if m.read_only {
                v["readOnly"] = json!(true);
            }
            v
        };
        match m.kind {
            MountKind::Named => {
                let source = m.source.clone().unwrap_or_default();
                let claim = dns_label(&source);
                if users.get(&source).copied().unwrap_or(0) > 1 {
                    volumes.push(json!({"name": claim, "persistentVolumeClaim": {"claimName": claim}}));
                } else {
                    if add_claim_template(claim_templates, &claim, &source, model, guide) {
                        guide.carried.push(format!(
                            "volume `{source}` → a claim of the StatefulSet `{name}` (`{claim}`)"
                        ));
                        guide.decide.push(format!(
                            "the data of volume `{source}`: copy it into the new claim before switching over (e.g. `docker run --rm -v VOLUME:/from alpine tar -C /from -cf - . | kubectl exec -i {name}-0 -- tar -C {} -xf -`, where VOLUME is the volume's name on the old host: Compose names it `PROJECT_{source}`, see `docker volume ls`)",
                            m.target
                        ));
                    }
                }
                mounts.push(mount(&claim));
            }
            MountKind::Ephemeral | MountKind::Tmpfs => {
                let empty = if m.kind == MountKind::Tmpfs {
                    json!({"medium": "Memory"})
                } else {
                    json!({})
                };
                volumes.push(json!({"name": vol_name, "emptyDir": empty}));
                mounts.push(mount(&vol_name));
            }
            MountKind::HostPath => guide.left.push(Left {
                what: format!(
                    "{who} mounts `{}` of the host at `{}`: not carried; a file of the repository belongs in a ConfigMap (`kubectl create configmap {name}-config --from-file=…`), data in a volume claim, a host directory in `hostPath` only on purpose",
                    m.source.as_deref().unwrap_or("?"),
                    m.target
                ),
                at: Some(m.loc),
            }),
            MountKind::Config => guide.left.push(Left {
                what: format!(
                    "{who} reads `{}` (a config or secret) at `{}`: create a ConfigMap or Secret and mount it there",
                    m.source.as_deref().unwrap_or("?"),
                    m.target
                ),
                at: Some(m.loc),
            }),
            // A Marathon persistent volume lives in the sandbox under a relative
            // path; the host-path mount that maps it into the container carries it.
            MountKind::Persistent if !m.target.starts_with('/') => {}
            MountKind::Persistent => {
                let source = m.source.clone().unwrap_or_default();
                let claim = dns_label(&source);
                if add_claim_template(claim_templates, &claim, &source, model, guide) {
                    guide.carried.push(format!(
                        "persistent volume `{source}` → a claim of the StatefulSet `{name}` (`{claim}`)"
                    ));
                    guide.decide.push(format!(
                        "the data of persistent volume `{source}`: it stays on the agent that held the task; copy it into the new claim (e.g. with the store's own dump and restore) before switching over"
                    ));
                }
                mounts.push(mount(&claim));
            }
            MountKind::External => guide.left.push(Left {
                what: format!(
                    "{who} keeps data in `{}` at `{}` (storage outside the spec): create a PersistentVolumeClaim for it and move the data",
                    m.source.as_deref().unwrap_or("a volume"),
                    m.target
                ),
                at: Some(m.loc),
            }),
        }
    }
    if !mounts.is_empty() {
        out.insert("volumeMounts".into(), Value::Array(mounts));
    }
    Value::Object(out)
}

/// A name Kubernetes takes for a port (IANA service name: at most 15 lowercase
/// letters, digits and inner `-`, with a letter).
fn is_port_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 15
        && n.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && n.chars().any(|c| c.is_ascii_lowercase())
        && !n.starts_with('-')
        && !n.ends_with('-')
        && !n.contains("--")
}

/// Gives a StatefulSet a claim template `claim` for volume `source` (its size
/// from the source, else the default, noted for a person); false when it has
/// one already.
fn add_claim_template(
    templates: &mut Vec<Value>,
    claim: &str,
    source: &str,
    model: &DeploymentModel,
    guide: &mut Guide,
) -> bool {
    if templates
        .iter()
        .any(|t| t["metadata"]["name"] == json!(claim))
    {
        return false;
    }
    let size = claim_size(model, source, guide);
    templates.push(json!({
        "metadata": {"name": claim},
        "spec": {
            "accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": size}},
        },
    }));
    true
}

/// `resources` from the model's CPU cores and memory bytes.
fn resources(c: &Container) -> Option<Value> {
    let r = &c.resources;
    let mut limits = Map::new();
    let mut requests = Map::new();
    if let Some(m) = &r.memory_limit {
        limits.insert("memory".into(), json!(quantity_bytes(m.value)));
    }
    if let Some(cpu) = &r.cpu_limit {
        limits.insert("cpu".into(), json!(millicores(cpu.value)));
    }
    if let Some(m) = &r.memory_request {
        requests.insert("memory".into(), json!(quantity_bytes(m.value)));
    }
    if let Some(cpu) = &r.cpu_request {
        requests.insert("cpu".into(), json!(millicores(cpu.value)));
    }
    let mut out = Map::new();
    if !limits.is_empty() {
        out.insert("limits".into(), Value::Object(limits));
    }
    if !requests.is_empty() {
        out.insert("requests".into(), Value::Object(requests));
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// A probe: the command the source runs, else an HTTP request to its path, else a
/// TCP connection to its port (by number, name, or the container's port at an index).
fn probe(p: &Probe, c: &Container) -> Option<Value> {
    use crate::model::PortRef;
    if !p.exec.is_empty() {
        return Some(json!({"exec": {"command": p.exec}}));
    }
    let port = match p.port.as_ref().map(|l| &l.value) {
        Some(PortRef::Number(n)) => json!(n),
        Some(PortRef::Name(n)) => match n.parse::<u32>() {
            Ok(num) => json!(num),
            // The number of the container port that carries the name; without
            // one the port is unknown here and the probe is not carried.
            Err(_) => json!(
                c.ports
                    .iter()
                    .find(|p| p.name.as_deref() == Some(n.as_str()))?
                    .container?
            ),
        },
        Some(PortRef::Index(i)) => json!(c.ports.get(*i as usize)?.container?),
        None => json!(c.ports.first()?.container?),
    };
    Some(match &p.http_path {
        Some(path) => json!({"httpGet": {"path": path, "port": port}}),
        None => json!({"tcpSocket": {"port": port}}),
    })
}

/// Where copies run: one per host becomes a required pod anti-affinity on the
/// node's hostname, a spread over zones a topology spread constraint; other
/// constraints are written down for a person.
fn place(w: &Workload, name: &str, pod_spec: &mut Map<String, Value>, guide: &mut Guide) {
    let me = json!({"matchLabels": {"app.kubernetes.io/name": name}});
    let one_per_host = w.placement.one_per_host.is_some() || w.placement.one_per_zone.is_some();
    if one_per_host {
        pod_spec.insert(
            "affinity".into(),
            json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"labelSelector": me, "topologyKey": "kubernetes.io/hostname"}
            ]}}),
        );
        guide.carried.push(format!(
            "one copy per host of {} → a required pod anti-affinity on `kubernetes.io/hostname`",
            w.describe()
        ));
    }
    if w.placement.zone_spread.is_some() || w.placement.one_per_zone.is_some() {
        pod_spec.insert(
            "topologySpreadConstraints".into(),
            json!([{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": me}]),
        );
        guide.carried.push(format!(
            "the spread of {} over zones → a topology spread constraint on `topology.kubernetes.io/zone`",
            w.describe()
        ));
    }
    for c in &w.placement.constraints {
        let v = c.value.to_ascii_lowercase();
        let carried = one_per_host && v.contains("hostname") && v.contains("unique");
        let zone = (w.placement.zone_spread.is_some() || w.placement.one_per_zone.is_some())
            && v.contains("zone");
        if carried || zone {
            continue;
        }
        guide.left.push(Left {
            what: format!(
                "placement `{}` of {}: write it as `nodeSelector` or node affinity on labels your nodes carry",
                c.value,
                w.describe()
            ),
            at: Some(c.loc),
        });
    }
}

/// Start order and links: Kubernetes starts everything at once.
fn note_links(w: &Workload, guide: &mut Guide) {
    for d in &w.depends_on {
        guide.left.push(Left {
            what: format!(
                "{} starts after `{}`: Kubernetes starts all pods at once; the readiness probes and the app's own retries take its place",
                w.describe(),
                d.value
            ),
            at: Some(d.loc),
        });
    }
    if let Some(r) = &w.restart
        && matches!(r.value.as_str(), "no" | "never" | "\"no\"")
    {
        guide.left.push(Left {
            what: format!(
                "{} is not restarted by its source (`restart: {}`): a Deployment always restarts; if it runs once, write it as a Job",
                w.describe(),
                r.value
            ),
            at: Some(r.loc),
        });
    }
}

/// Bytes as a Kubernetes quantity: the largest binary unit that divides them.
pub(crate) fn quantity_bytes(bytes: u64) -> String {
    for (unit, size) in [
        ("Ti", 1u64 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    bytes.to_string()
}

/// CPU cores as millicores (`0.5` → `500m`).
fn millicores(cores: f64) -> String {
    let m = (cores * 1000.0).round().max(1.0) as u64;
    if m.is_multiple_of(1000) {
        (m / 1000).to_string()
    } else {
        format!("{m}m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_become_quantities() {
        assert_eq!(quantity_bytes(256 << 20), "256Mi");
        assert_eq!(quantity_bytes(1 << 30), "1Gi");
        assert_eq!(quantity_bytes(1500), "1500");
        assert_eq!(millicores(0.5), "500m");
        assert_eq!(millicores(2.0), "2");
        assert_eq!(millicores(0.0001), "1m");
    }
}
