//! Compose Specification files from a normalized model: one service per
//! container (a pod's sidecars each get a service of their own), named volumes
//! declared at the top, and `deploy` keys where the target honours them. The same
//! writer makes a Swarm stack (`--to swarm`): then `deploy` carries replicas,
//! the restart policy, resources and placement, and what `docker stack deploy`
//! ignores is listed for a person.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use super::names::dns_label;
use super::yaml_out::document;
use super::{Guide, Left, Migration};
use crate::model::secret_name::secret_name;
use crate::model::{Container, DeploymentModel, MountKind, Probe, Workload, WorkloadKind};
use crate::project::compose::ProjectView;
use crate::project::compose::view::ResolvedService;
use crate::project::{Project, SpecFile};
use crate::source::{Format, Loc};

/// What the file is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Flavor {
    /// `docker compose up` on one host.
    Compose,
    /// `docker stack deploy` on a Swarm.
    Swarm,
}

impl Flavor {
    pub(super) fn file_name(self) -> &'static str {
        match self {
            Flavor::Compose => "compose.yaml",
            Flavor::Swarm => "docker-stack.yml",
        }
    }
}

/// The services and volumes being written, with the guide.
pub(super) struct Out {
    pub(super) flavor: Flavor,
    pub(super) services: Map<String, Value>,
    pub(super) volumes: Map<String, Value>,
    /// Networks the source's services join (Compose sources only).
    networks: Map<String, Value>,
    pub(super) guide: Guide,
    /// Host ports published so far, with their protocol and service: one host
    /// binds each once.
    host_ports: Vec<(u32, String, String)>,
}

impl Out {
    pub(super) fn new(flavor: Flavor) -> Out {
        Out {
            flavor,
            services: Map::new(),
            volumes: Map::new(),
            networks: Map::new(),
            guide: Guide::default(),
            host_ports: Vec::new(),
        }
    }

    pub(super) fn left(&mut self, what: String, at: Option<Loc>) {
        self.guide.left.push(Left { what, at });
    }

    /// A service name not taken yet, from any name.
    pub(super) fn free_name(&self, name: &str) -> String {
        let base = dns_label(name);
        let mut out = base.clone();
        let mut n = 2;
        while self.services.contains_key(&out) {
            out = format!("{base}-{n}");
            n += 1;
        }
        out
    }

    /// The file with its services and volumes, and the commands to run it.
    pub(super) fn finish(mut self, project_name: &str) -> Migration {
        let mut doc = Map::new();
        if self.flavor == Flavor::Swarm {
            // `docker stack deploy` of Docker releases before 25 refuses a file
            // without a 3.x version.
            doc.insert("version".into(), json!("3.8"));
        }
        doc.insert("services".into(), Value::Object(self.services));
        if !self.volumes.is_empty() {
            doc.insert("volumes".into(), Value::Object(self.volumes));
        }
        if !self.networks.is_empty() {
            doc.insert("networks".into(), Value::Object(self.networks));
        }
        let file = self.flavor.file_name();
        let stack = dns_label(project_name);
        match self.flavor {
            Flavor::Compose => {
                self.guide.commands.push(format!(
                    "docker compose -p {stack} -f {file} config --quiet"
                ));
                self.guide
                    .commands
                    .push(format!("docker compose -p {stack} -f {file} up -d"));
                self.guide
                    .commands
                    .push(format!("docker compose -p {stack} -f {file} ps"));
            }
            Flavor::Swarm => {
                self.guide.commands.push(
                    "docker swarm init    # once, on the first manager (skip on an existing Swarm)"
                        .into(),
                );
                self.guide
                    .commands
                    .push(format!("docker stack config -c {file} >/dev/null"));
                self.guide
                    .commands
                    .push(format!("docker stack deploy -c {file} {stack}"));
                self.guide
                    .commands
                    .push(format!("docker stack services {stack}"));
            }
        }
        Migration {
            files: vec![(PathBuf::from(file), document(&Value::Object(doc)))],
            guide: self.guide,
        }
    }
}

/// Writes `model` (any source but a Procfile app) as a Compose file or a Swarm stack.
pub(super) fn write(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    project_name: &str,
    flavor: Flavor,
) -> Result<Migration, String> {
    let runnable: Vec<&Workload> = model
        .workloads
        .iter()
        .filter(|w| {
            w.containers
                .iter()
                .any(|c| !c.init && (image_of(c).is_some() || c.build.is_some()))
        })
        .collect();
    if runnable.is_empty() {
        return Err("no workload names an image or a build: nothing Compose can run".into());
    }
    let view = (project.format == Format::Compose).then(|| ProjectView::new(project, files));
    let mut out = Out::new(flavor);
    // Names first, so `depends_on` can tell its own services from others.
    let mut planned: Vec<(&Workload, &Container, String)> = Vec::new();
    for w in &runnable {
        let containers: Vec<&Container> = w.containers.iter().filter(|c| !c.init).collect();
        for c in &containers {
            if image_of(c).is_none() && c.build.is_none() {
                out.left(
                    format!(
                        "{} names no image (a command run on the host, or an image from a variable that is not set): not carried",
                        w.describe_container(c)
                    ),
                    Some(c.name.loc),
                );
                continue;
            }
            let base = if containers.len() == 1 {
                w.name.clone()
            } else {
                format!("{}-{}", w.name, c.name.value)
            };
            let name = out.free_name(&base);
            out.services.insert(name.clone(), Value::Null);
            planned.push((w, c, name));
        }
    }
    let known: BTreeSet<String> = planned.iter().map(|(_, _, n)| n.clone()).collect();
    for (i, (w, c, name)) in planned.iter().enumerate() {
        let first_of_workload = i == 0 || !std::ptr::eq(planned[i - 1].0, *w);
        let rs = view
            .as_ref()
            .and_then(|v| v.service(&w.name).map(|s| (v, s)));
        let svc = service(w, c, name, model, &known, rs, first_of_workload, &mut out);
        out.services.insert(name.clone(), svc);
    }
    out.services.retain(|_, v| !v.is_null());
    for w in model
        .workloads
        .iter()
        .filter(|w| !runnable.iter().any(|r| std::ptr::eq(*r, *w)))
    {
        out.left(
            format!(
                "{} names no image (a command run on the host, or an image from a variable that is not set): not carried",
                w.describe()
            ),
            Some(w.at),
        );
    }
    kubernetes_services(model, &planned, &mut out);
    source_notes(model, &mut out);
    Ok(out.finish(project_name))
}

/// Notes that belong to the source's platform as a whole.
fn source_notes(model: &DeploymentModel, out: &mut Out) {
    for h in &model.host_counts {
        out.left(
            format!(
                "the source spreads the project over {} host{} ({}): {}",
                h.hosts,
                if h.hosts == 1 { "" } else { "s" },
                h.what,
                match out.flavor {
                    Flavor::Compose => "Compose runs every service on the one host it is started on",
                    Flavor::Swarm => "a Swarm places tasks itself; pin services to nodes with `deploy.placement.constraints` where it matters",
                }
            ),
            Some(h.loc),
        );
    }
}

/// A Kubernetes Service whose name differs from the workload it selects becomes a
/// network alias of that workload's service, so the name clients use resolves.
fn kubernetes_services(
    model: &DeploymentModel,
    planned: &[(&Workload, &Container, String)],
    out: &mut Out,
) {
    for s in &model.services {
        if s.selector.is_empty() {
            continue;
        }
        let target = planned.iter().find(|(w, _, _)| {
            s.selector
                .iter()
                .all(|(k, v)| w.labels.iter().any(|(k2, v2)| k == k2 && v == v2))
        });
        let Some((_, _, svc)) = target else {
            out.left(
                format!(
                    "Service \"{}\" selects no workload written here: not carried",
                    s.name
                ),
                Some(s.at),
            );
            continue;
        };
        let alias = dns_label(&s.name);
        if &alias != svc
            && let Some(Value::Object(body)) = out.services.get_mut(svc)
        {
            let aliases = body
                .entry("networks")
                .or_insert_with(|| json!({"default": {"aliases": []}}));
            if let Some(list) = aliases["default"]["aliases"].as_array_mut() {
                list.push(json!(alias));
            }
            out.guide.carried.push(format!(
                "Service \"{}\" → network alias `{alias}` of service `{svc}`",
                s.name
            ));
        } else {
            out.guide.carried.push(format!(
                "Service \"{}\" → the name of service `{svc}` (Compose's network resolves it)",
                s.name
            ));
        }
        for p in &s.ports {
            if let (Some(node_port), Some(target)) = (p.host, p.container) {
                out.left(
                    format!(
                        "Service \"{}\" opens node port {node_port} to the containers' port {target}: publish it if it must be reached from outside (`ports: [\"{node_port}:{target}\"]` on `{svc}`)",
                        s.name
                    ),
                    Some(p.loc),
                );
            }
        }
    }
}

/// One service of the output.
#[allow(
    clippy::too_many_arguments,
    reason = "one service of the file being filled in from its workload"
)]
fn service(
    w: &Workload,
    c: &Container,
    name: &str,
    model: &DeploymentModel,
    known: &BTreeSet<String>,
    rs: Option<(&ProjectView<'_>, &ResolvedService<'_>)>,
    first_of_workload: bool,
    out: &mut Out,
) -> Value {
    let who = w.describe_container(c);
    let swarm = out.flavor == Flavor::Swarm;
    let mut s = Map::new();
    image_or_build(w, c, name, rs, &mut s, out);
    if let Some(e) = &c.entrypoint {
        s.insert("entrypoint".into(), json!(escape_all(e)));
    }
    if let Some(a) = &c.args {
        s.insert("command".into(), json!(escape_all(a)));
    }
    environment(c, &who, &mut s, out);
    let replicas = w.replica_count();
    ports(w, c, name, &who, replicas, &mut s, out);
    mounts(w, c, &who, name, model, &mut s, out);
    if let Some(hc) = healthcheck(c, &who, out) {
        s.insert("healthcheck".into(), hc);
    }
    if let Some(u) = &c.user {
        s.insert("user".into(), json!(escape(&u.value)));
    }
    if let Some(at) = c.privileged {
        // Not carried: the written file holds no error of orchlint's own.
        out.left(
            format!(
                "{who} runs privileged: not carried; grant the capabilities it needs (`cap_add`){}",
                if swarm {
                    " (`docker stack deploy` ignores `privileged` anyway)"
                } else {
                    ", or add `privileged: true` if it truly needs the host"
                }
            ),
            Some(at),
        );
    }
    if !c.cap_add.is_empty() {
        let caps: Vec<String> = c.cap_add.iter().map(|x| x.value.clone()).collect();
        s.insert("cap_add".into(), json!(caps));
    }
    if let Some(at) = w.host_network {
        if swarm {
            out.left(
                format!("{} uses the host's network: in a stack that is the external network `host` (`networks: [host]` with `networks: {{host: {{external: true, name: host}}}}`); not written, as it ties each task to a node's ports", w.describe()),
                Some(at),
            );
        } else if w.format == Format::Marathon {
            out.left(
                format!("{} runs on the agent's network with ports Marathon assigns (its default): the service gets an address of its own; an app that reads `$PORT0`… must listen on the ports written here", w.describe()),
                Some(at),
            );
        } else {
            s.insert("network_mode".into(), json!("host"));
            s.remove("ports");
            s.remove("expose");
            s.remove("networks");
            out.guide.carried.push(format!(
                "the host network of {} → `network_mode: host`",
                w.describe()
            ));
        }
    }
    for (at, key) in [(w.host_pid, "pid"), (w.host_ipc, "ipc")] {
        if let Some(at) = at {
            if swarm {
                out.left(
                    format!("{} shares the host's {key} namespace: `docker stack deploy` ignores `{key}: host`", w.describe()),
                    Some(at),
                );
            } else {
                s.insert(key.into(), json!("host"));
            }
        }
    }
    if is_scheduled(w.kind) {
        // Out of `up`; `docker compose run` starts it all the same.
        s.insert("profiles".into(), json!(["scheduled"]));
        out.left(
            format!("{} runs on a schedule: Compose has no scheduler; run `docker compose run --rm {name}` from the host's cron (the service is in profile `scheduled`, so `up` does not start it)", w.describe()),
            Some(w.at),
        );
    }
    if first_of_workload {
        depends(w, known, rs, swarm, &mut s, out);
    }
    restart_and_deploy(w, c, replicas, &mut s, out);
    if let Some((view, rs)) = rs {
        compose_only_keys(view, rs, swarm, &mut s, out);
    }
    out.guide.carried.push(format!(
        "{} → service `{name}`{}",
        who,
        if replicas == 1 || w.global.is_some() {
            String::new()
        } else {
            format!(" ({replicas} copies)")
        }
    ));
    Value::Object(s)
}

fn image_or_build(
    w: &Workload,
    c: &Container,
    name: &str,
    rs: Option<(&ProjectView<'_>, &ResolvedService<'_>)>,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let who = w.describe_container(c);
    if let Some(i) = image_of(c) {
        s.insert("image".into(), json!(escape(i)));
    }
    let Some(at) = c.build else { return };
    let context = rs
        .and_then(|(_, r)| r.last(|x| x.build.as_ref()))
        .and_then(|(_, b)| b.context.as_ref())
        .map_or(".".to_string(), |t| t.value.clone());
    let dockerfile = rs
        .and_then(|(_, r)| r.last(|x| x.build.as_ref()))
        .and_then(|(_, b)| b.dockerfile.as_ref())
        .map(|t| t.value.clone());
    match out.flavor {
        Flavor::Compose => {
            let mut b = Map::new();
            b.insert("context".into(), json!(escape(&context)));
            if let Some(d) = dockerfile {
                b.insert("dockerfile".into(), json!(escape(d.as_str())));
            }
            s.insert("build".into(), Value::Object(b));
            out.left(
                format!("{who} is built from `{context}`, a folder of the source project: put the generated file beside the sources (or change `build.context`) before `docker compose build`"),
                Some(at),
            );
        }
        Flavor::Swarm => {
            if image_of(c).is_none() {
                let image = format!("{name}:latest");
                s.insert("image".into(), json!(image));
                out.left(
                    format!("{who} is built from `{context}` and names no image: `docker stack deploy` ignores `build`; build and push it (`docker build -t REGISTRY/{name}:TAG {context} && docker push REGISTRY/{name}:TAG`), then set the image of `{name}` (written as `{image}`)"),
                    Some(at),
                );
            } else {
                out.left(
                    format!("{who} is also built from `{context}`: `docker stack deploy` ignores `build` and pulls the image; push it to a registry every node can reach"),
                    Some(at),
                );
            }
        }
    }
}

fn environment(c: &Container, who: &str, s: &mut Map<String, Value>, out: &mut Out) {
    let mut env = Map::new();
    for v in &c.env {
        let n = v.name.value.as_str();
        if n.starts_with("constraint:")
            || n.starts_with("affinity:")
            || n.starts_with("reschedule:")
        {
            out.left(
                format!(
                    "{who} is placed by classic Swarm's filter `{n}`: not carried; {}",
                    if out.flavor == Flavor::Swarm {
                        "write it as `deploy.placement.constraints` (`node.hostname == …`, `node.labels.KEY == VALUE`)"
                    } else {
                        "on one host it has no meaning"
                    }
                ),
                Some(v.name.loc),
            );
            continue;
        }
        match &v.value {
            Some(value) if !value.value.starts_with("$brooklyn:") => {
                env.insert(v.name.value.clone(), json!(escape(&value.value)));
            }
            Some(value) => {
                env.insert(v.name.value.clone(), Value::Null);
                out.left(
                    format!(
                        "variable `{}` of {who} is computed by Brooklyn (`{}`): give it its value (another service is reached by its service name)",
                        v.name.value,
                        value.value.chars().take(60).collect::<String>()
                    ),
                    Some(value.loc),
                );
            }
            None => {
                env.insert(v.name.value.clone(), Value::Null);
                out.left(
                    format!(
                        "variable `{}` of {who} takes its value from elsewhere (a secret, a field, the shell): left empty, so Compose takes it from the shell or `.env`; give it a value there",
                        v.name.value
                    ),
                    Some(v.name.loc),
                );
            }
        }
    }
    let secretish: Vec<&str> = c
        .env
        .iter()
        .filter(|v| v.value.is_some() && secret_name(&v.name.value))
        .map(|v| v.name.value.as_str())
        .collect();
    if !secretish.is_empty() {
        out.guide.decide.push(format!(
            "{who} has literal values in `{}`, copied as they are: move them into `.env` (kept out of version control) or a `secrets:` entry",
            secretish.join("`, `")
        ));
    }
    if !env.is_empty() {
        s.insert("environment".into(), Value::Object(env));
    }
}

fn ports(
    w: &Workload,
    c: &Container,
    name: &str,
    who: &str,
    replicas: u32,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let mut published: Vec<Value> = Vec::new();
    let mut exposed: Vec<Value> = Vec::new();
    for p in &c.ports {
        let Some(port) = p.container else { continue };
        let proto = p.protocol.to_ascii_lowercase();
        let suffix = if proto == "udp" || proto == "sctp" {
            format!("/{proto}")
        } else {
            String::new()
        };
        match p.host {
            Some(host)
                if out
                    .host_ports
                    .iter()
                    .any(|(h, pr, svc)| *h == host && *pr == proto && svc != name) =>
            {
                let owner = out
                    .host_ports
                    .iter()
                    .find(|(h, pr, _)| *h == host && *pr == proto)
                    .map_or(String::new(), |(_, _, svc)| svc.clone());
                out.left(
                    format!("{who} publishes host port {host}, which service `{owner}` publishes already: on one host only one can bind it; not published (pick another host port)"),
                    Some(p.loc),
                );
                let entry = json!(format!("{port}{suffix}"));
                if !exposed.contains(&entry) {
                    exposed.push(entry);
                }
            }
            Some(host) => {
                out.host_ports.push((host, proto.clone(), name.to_string()));
                let entry = json!(format!("{host}:{port}{suffix}"));
                if !published.contains(&entry) {
                    published.push(entry);
                }
                if replicas > 1 && out.flavor == Flavor::Compose && w.global.is_none() {
                    out.left(
                        format!("{who} runs {replicas} copies and publishes host port {host}: on one host only one copy can bind it; put a proxy in front, or publish a range"),
                        Some(p.loc),
                    );
                }
            }
            None => {
                let entry = json!(format!("{port}{suffix}"));
                if !exposed.contains(&entry) {
                    exposed.push(entry);
                }
            }
        }
    }
    if !published.is_empty() {
        s.insert("ports".into(), Value::Array(published));
    }
    if !exposed.is_empty() {
        s.insert("expose".into(), Value::Array(exposed));
    }
}

/// The volume name of the output for a source volume, declared at the top.
fn declare_volume(name: &str, external: bool, out: &mut Out) -> String {
    let v = dns_label(name);
    let decl = if external {
        json!({"external": true, "name": name})
    } else {
        json!({})
    };
    out.volumes.entry(v.clone()).or_insert(decl);
    v
}

fn mounts(
    w: &Workload,
    c: &Container,
    who: &str,
    name: &str,
    model: &DeploymentModel,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let mut vols: Vec<Value> = Vec::new();
    let mut tmpfs: Vec<Value> = Vec::new();
    let ro = |m: &crate::model::Mount| if m.read_only { ":ro" } else { "" };
    for m in &c.mounts {
        let target = escape(&m.target);
        match m.kind {
            MountKind::Named => {
                let source = m.source.clone().unwrap_or_default();
                let fresh = !out.volumes.contains_key(&dns_label(&source));
                let v = declare_volume(&source, false, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                if fresh {
                    data_note(w, &source, &v, &m.target, model, out);
                }
            }
            MountKind::Persistent if !m.target.starts_with('/') => {}
            MountKind::Persistent => {
                let source = m.source.clone().unwrap_or_default();
                let fresh = !out.volumes.contains_key(&dns_label(&source));
                let v = declare_volume(&source, false, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                if fresh {
                    out.guide.carried.push(format!(
                        "persistent volume `{source}` of {who} → named volume `{v}`"
                    ));
                    out.guide.decide.push(format!(
                        "the data of persistent volume `{source}`: it stays on the Mesos agent that held the task; copy it into volume `{v}` (the store's own dump and restore, or `tar` from the agent's sandbox) before switching over"
                    ));
                }
            }
            MountKind::External => {
                let source = m.source.clone().unwrap_or_default();
                let v = declare_volume(&source, true, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                out.left(
                    format!("{who} keeps data in `{source}` at `{}` (storage outside the spec): written as the external volume `{source}`; create it (`docker volume create {source}`, or with the volume driver that reaches the storage) and move the data", m.target),
                    Some(m.loc),
                );
            }
            // An anonymous volume of Compose (Fig's data volumes) outlives the
            // container it belongs to only by Compose's copying at `up`: named,
            // so the data survives `down`.
            MountKind::Ephemeral if w.format == Format::Compose => {
                let base = m.target.trim_end_matches('/').rsplit('/').next().unwrap_or("data");
                let v = declare_volume(&format!("{name}-{base}"), false, out);
                vols.push(json!(format!("{v}:{target}{}", ro(m))));
                out.guide.carried.push(format!(
                    "the anonymous volume of {who} at `{}` → named volume `{v}`",
                    m.target
                ));
                out.guide.decide.push(format!(
                    "the data of the anonymous volume of {who} at `{}`: find it with `docker inspect --format '{{{{json .Mounts}}}}' CONTAINER` on the old host and copy it into `PROJECT_{v}` (`docker run --rm -v OLD:/from -v PROJECT_{v}:/to alpine cp -a /from/. /to/`)",
                    m.target
                ));
            }
            MountKind::Ephemeral => vols.push(json!(target)),
            MountKind::Tmpfs => tmpfs.push(json!(target)),
            MountKind::HostPath
                if !m.target.starts_with('/')
                    || m.source.as_deref().is_some_and(|x| x.contains(':')) =>
            {
                out.left(
                    format!(
                        "{who} mounts `{}` of the host at `{}`, a path that is not a Linux path: not carried",
                        m.source.as_deref().unwrap_or("?"),
                        m.target
                    ),
                    Some(m.loc),
                );
            }
            MountKind::HostPath => {
                let source = m.source.clone().unwrap_or_default();
                vols.push(json!(format!("{}:{target}{}", escape(&source), ro(m))));
                let why = if source.starts_with('/') {
                    if out.flavor == Flavor::Swarm {
                        "the path must exist on every node a task may run on"
                    } else {
                        "the path must exist on the host"
                    }
                } else {
                    "the path is relative to the source project: put the generated file beside the sources, or copy the files"
                };
                out.left(
                    format!("{who} mounts `{source}` of the host at `{}`: kept as a bind mount; {why}", m.target),
                    Some(m.loc),
                );
            }
            MountKind::Config => out.left(
                format!(
                    "{who} reads `{}` (a config or secret) at `{}`: not carried; bind the file (`./FILE:{}:ro`) or declare it under `configs:`/`secrets:`",
                    m.source.as_deref().unwrap_or("?"),
                    m.target,
                    m.target
                ),
                Some(m.loc),
            ),
        }
    }
    if !vols.is_empty() {
        s.insert("volumes".into(), Value::Array(vols));
    }
    if !tmpfs.is_empty() {
        s.insert("tmpfs".into(), Value::Array(tmpfs));
    }
}

/// How the data of a named volume reaches its new home, per source.
fn data_note(
    w: &Workload,
    source: &str,
    v: &str,
    target: &str,
    model: &DeploymentModel,
    out: &mut Out,
) {
    let decl = model.volumes.iter().find(|d| d.name == source);
    let flocker = decl.and_then(|d| d.driver.as_deref()) == Some("flocker");
    out.guide
        .carried
        .push(format!("volume `{source}` → named volume `{v}`"));
    let note = if flocker {
        format!(
            "the data of `{source}` lives in a Flocker dataset on the node the deployment config puts {} on (mounted under `/flocker/DATASET_ID`; `flockerctl list` shows the id): stop the application, then copy it into the volume on the new host, e.g. `ssh NODE tar -C /flocker/DATASET_ID -cf - . | docker run --rm -i -v PROJECT_{v}:/to alpine tar -C /to -xf -`{}",
            w.describe(),
            decl.and_then(|d| d.size)
                .map(|b| format!(" (the dataset may hold up to {} bytes)", b))
                .unwrap_or_default()
        )
    } else {
        match (w.format, out.flavor) {
            (Format::Kubernetes, _) => format!(
                "the data of claim `{source}`: copy it out of the cluster into volume `{v}` (e.g. `kubectl exec POD -- tar -C {target} -cf - . | docker run --rm -i -v PROJECT_{v}:/to alpine tar -C /to -xf -`)"
            ),
            (_, Flavor::Compose) => format!(
                "the data of volume `{source}`: on the old host it is named `STACK_{source}` (see `docker volume ls`); copy it into `PROJECT_{v}` (e.g. `docker run --rm -v STACK_{source}:/from -v PROJECT_{v}:/to alpine cp -a /from/. /to/`), across hosts through `tar` over `ssh`"
            ),
            (_, Flavor::Swarm) => format!(
                "the data of volume `{source}`: a stack's named volume is local to each node; pin `{}` to one node (`deploy.placement.constraints: [node.hostname == NODE]`) and copy the data into `STACK_{v}` there, or use a volume driver that every node reaches",
                w.name
            ),
        }
    };
    out.guide.decide.push(note);
}

/// A Compose healthcheck from a probe that runs a command; HTTP and TCP probes
/// are left for a person (the image may carry no client).
fn healthcheck(c: &Container, who: &str, out: &mut Out) -> Option<Value> {
    let p: &Probe = c.liveness.as_ref().or(c.readiness.as_ref())?;
    if p.disabled {
        return Some(json!({"disable": true}));
    }
    if !p.exec.is_empty() {
        let test = match p.exec.as_slice() {
            [sh, dash_c, cmd] if (sh == "sh" || sh == "/bin/sh") && dash_c == "-c" => {
                json!(["CMD-SHELL", escape(cmd)])
            }
            words => {
                let mut v = vec![json!("CMD")];
                v.extend(words.iter().map(|w| json!(escape(w))));
                Value::Array(v)
            }
        };
        out.guide
            .carried
            .push(format!("the health check of {who} → `healthcheck.test`"));
        return Some(json!({"test": test}));
    }
    let what = match &p.http_path {
        Some(path) => format!("an HTTP GET of `{path}`"),
        None => "a TCP connection".to_string(),
    };
    out.left(
        format!("the health check of {who} is {what}, which Compose cannot make from outside the container: write `healthcheck.test` with a client the image carries (e.g. `[\"CMD-SHELL\", \"curl -fsS http://localhost:PORT/PATH || exit 1\"]`)"),
        Some(p.loc),
    );
    None
}

fn depends(
    w: &Workload,
    known: &BTreeSet<String>,
    rs: Option<(&ProjectView<'_>, &ResolvedService<'_>)>,
    swarm: bool,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    // Fig's links carry an alias and imply the start order: kept as links.
    let links: Vec<String> = rs
        .map(|(_, r)| r.all(|x| &x.links))
        .unwrap_or_default()
        .iter()
        .map(|(_, l)| l.text.clone())
        .collect();
    let mut deps: Vec<String> = Vec::new();
    for d in &w.depends_on {
        let name = d.value.split(':').next().unwrap_or(&d.value);
        let label = dns_label(name);
        if links.iter().any(|l| l.split(':').next() == Some(name)) {
            continue;
        }
        if known.contains(&label) {
            if !deps.contains(&label) {
                deps.push(label);
            }
        } else {
            out.left(
                format!(
                    "{} depends on `{}`, which is not written here: start it some other way, or remove the dependency",
                    w.describe(),
                    d.value
                ),
                Some(d.loc),
            );
        }
    }
    if swarm {
        // A stack ignores both: services resolve by name, all start at once.
        if let Some(first) = w.depends_on.first()
            && (!links.is_empty() || !deps.is_empty())
        {
            let mut names: Vec<&str> = links.iter().map(String::as_str).collect();
            names.extend(deps.iter().map(String::as_str));
            out.left(
                format!(
                    "{} starts after (or links to) `{}`: `docker stack deploy` ignores `depends_on` and `links` and starts everything at once; services reach each other by service name, and the health checks and the app's own retries take the place of the order (a link alias must become a network alias)",
                    w.describe(),
                    names.join("`, `")
                ),
                Some(first.loc),
            );
        }
        return;
    }
    if !links.is_empty() {
        out.guide.carried.push(format!(
            "the links of {} → `links` (Compose resolves the service names without them; kept for their aliases)",
            w.describe()
        ));
        s.insert("links".into(), json!(escape_all(&links)));
    }
    if !deps.is_empty() {
        s.insert("depends_on".into(), json!(deps));
    }
}

/// Restart policy, copies and resources: top-level keys and `deploy` for
/// Compose, `deploy` alone for a stack.
fn restart_and_deploy(
    w: &Workload,
    c: &Container,
    replicas: u32,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let swarm = out.flavor == Flavor::Swarm;
    let mut deploy = Map::new();
    // The restart policy as Compose writes it.
    let restart: Option<String> = match &w.restart {
        _ if is_scheduled(w.kind) => Some("no".into()),
        Some(r) => Some(r.value.trim_matches('"').to_ascii_lowercase()),
        None if w.kind.is_batch() => Some("no".into()),
        None if w.format != Format::Compose => Some("unless-stopped".into()),
        None => None,
    };
    let restart = restart.map(|r| match r.as_str() {
        "never" => "no".to_string(),
        "onfailure" | "on-failure" => "on-failure".to_string(),
        "always" | "unless-stopped" | "no" => r,
        r if r.starts_with("on-failure") => r.to_string(),
        _ => "unless-stopped".to_string(),
    });
    if let Some(r) = &restart {
        if swarm {
            let condition = match r.as_str() {
                "no" => "none",
                r if r.starts_with("on-failure") => "on-failure",
                _ => "any",
            };
            deploy.insert("restart_policy".into(), json!({"condition": condition}));
        } else {
            s.insert("restart".into(), json!(r));
        }
    }
    if let Some(at) = w.global {
        if swarm {
            deploy.insert("mode".into(), json!("global"));
        } else {
            out.left(
                format!(
                    "{} runs one copy on every node: on one host that is one copy",
                    w.describe()
                ),
                Some(at),
            );
        }
    } else if replicas != 1 || (swarm && w.replicas.is_some()) {
        deploy.insert("replicas".into(), json!(replicas));
    }
    if let Some(r) = resources(c) {
        deploy.insert("resources".into(), r);
    }
    let mut placement = Map::new();
    let one_per_host = w.placement.one_per_host.or(w.placement.one_per_zone);
    for k in &w.placement.constraints {
        let v = k.value.to_ascii_lowercase();
        if swarm && one_per_host.is_some() && v.contains("hostname") && v.contains("unique") {
            // Carried below as `max_replicas_per_node: 1`.
            continue;
        }
        // A Swarm constraint is carried to a stack as written; others are not
        // Swarm's language.
        let swarm_syntax =
            w.format == Format::Compose && (k.value.contains("==") || k.value.contains("!="));
        if swarm && swarm_syntax {
            let list = placement.entry("constraints").or_insert_with(|| json!([]));
            if let Some(l) = list.as_array_mut() {
                l.push(json!(escape(&k.value)));
            }
        } else if swarm {
            out.left(
                format!(
                    "placement `{}` of {}: write it as `deploy.placement.constraints` on labels your nodes carry (`node.labels.KEY == VALUE`)",
                    k.value,
                    w.describe()
                ),
                Some(k.loc),
            );
        } else {
            out.left(
                format!(
                    "placement `{}` of {}: Compose runs everything on one host, so it has no meaning there",
                    k.value,
                    w.describe()
                ),
                Some(k.loc),
            );
        }
    }
    if let Some(m) = &w.placement.max_per_host {
        if swarm {
            placement.insert("max_replicas_per_node".into(), json!(m.value));
        } else {
            out.left(
                format!(
                    "{} runs at most {} cop{} per host: on one host, that caps its copies",
                    w.describe(),
                    m.value,
                    if m.value == 1 { "y" } else { "ies" }
                ),
                Some(m.loc),
            );
        }
    }
    if one_per_host.is_some()
        && swarm
        && w.placement.one_per_zone.is_none()
        && w.placement.max_per_host.is_none()
    {
        placement.insert("max_replicas_per_node".into(), json!(1));
        out.guide.carried.push(format!(
            "one copy per host of {} → `deploy.placement.max_replicas_per_node: 1`",
            w.describe()
        ));
    } else if let Some(at) = one_per_host {
        out.left(
            format!("{} wants its copies on different hosts{}: {}", w.describe(), if w.placement.one_per_zone.is_some() { " (and zones)" } else { "" },
                if swarm { "write `deploy.placement.max_replicas_per_node: 1`, or `mode: global` if it should run on every node" } else { "Compose runs them all on one host" }),
            Some(at),
        );
    }
    if !placement.is_empty() {
        deploy.insert("placement".into(), Value::Object(placement));
    }
    if !deploy.is_empty() {
        s.insert("deploy".into(), Value::Object(deploy));
    }
}

/// What only a Compose source holds (and the model does not): volumes of other
/// services, links to containers outside the project, network modes, and the
/// Swarm settings a one-host Compose does not honour.
fn compose_only_keys(
    view: &ProjectView<'_>,
    rs: &ResolvedService<'_>,
    swarm: bool,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let svc = format!("service \"{}\"", rs.name);
    let vf: Vec<(Loc, String)> = rs
        .all(|x| &x.volumes_from)
        .iter()
        .map(|(l, v)| (Loc::new(view.file_id(l), v.span), v.text.clone()))
        .collect();
    if !vf.is_empty() {
        if swarm {
            for (at, v) in &vf {
                out.left(format!("{svc} mounts the volumes of `{v}`: `docker stack deploy` does not support `volumes_from`; mount the same named volumes instead"), Some(*at));
            }
        } else {
            let list: Vec<String> = vf.iter().map(|(_, v)| escape(v)).collect();
            s.insert("volumes_from".into(), json!(list));
            out.guide
                .carried
                .push(format!("the `volumes_from` of {svc} → `volumes_from`"));
        }
    }
    for (l, x) in rs.all(|x| &x.external_links) {
        let at = Loc::new(view.file_id(&l), x.span);
        out.left(
            format!("{svc} links to `{}`, a container outside the project: {}", x.value,
                if swarm { "a stack cannot link to it; attach both to an external overlay network instead" }
                else { "kept as `external_links`; the container must run on the same host and share a network with the project" }),
            Some(at),
        );
        if !swarm {
            let list = s.entry("external_links").or_insert_with(|| json!([]));
            if let Some(a) = list.as_array_mut() {
                a.push(json!(escape(&x.value)));
            }
        }
    }
    if let Some((l, nm)) = rs.last(|x| x.network_mode.as_ref()) {
        let mode = nm.value.value.clone();
        let at = Loc::new(view.file_id(&l), nm.span());
        if mode != "host" && !mode.is_empty() {
            if swarm {
                out.left(format!("{svc} uses `network_mode: {mode}`, which `docker stack deploy` ignores: attach it to the stack's networks"), Some(at));
            } else {
                s.insert("network_mode".into(), json!(escape(&mode)));
                out.guide.carried.push(format!(
                    "the network mode of {svc} → `network_mode: {mode}`"
                ));
                if mode.starts_with("service:") || mode.starts_with("container:") {
                    s.remove("ports");
                    s.remove("expose");
                }
            }
        }
    }
    if !s.contains_key("network_mode") {
        networks(view, rs, s, out);
    }
    if let Some((l, cn)) = rs.last(|x| x.container_name.as_ref()) {
        let at = Loc::new(view.file_id(&l), cn.span());
        if swarm {
            out.left(format!("{svc} names its container `{}`: `docker stack deploy` ignores `container_name`; the service is reached by its name", cn.value.value), Some(at));
        } else {
            s.insert("container_name".into(), json!(escape(&cn.value.value)));
        }
    }
    if swarm {
        return;
    }
    // Swarm settings a single host does not use.
    let Some((l, d)) = rs.last(|x| x.deploy.as_ref()) else {
        return;
    };
    let file = view.file_id(&l);
    for (span, what) in [
        (
            d.update_config,
            "`deploy.update_config` (rolling updates of a Swarm service)",
        ),
        (d.rollback_config, "`deploy.rollback_config`"),
        (d.endpoint_mode_span, "`deploy.endpoint_mode`"),
    ] {
        if let Some(span) = span {
            out.left(
                format!("{svc} sets {what}: Compose on one host does not use it; `docker compose up -d` replaces containers one service at a time"),
                Some(Loc::new(file, span)),
            );
        }
    }
    if let Some(p) = &d.placement {
        for pref in &p.preferences {
            if let Some(spread) = &pref.spread {
                out.left(
                    format!(
                        "{svc} spreads its tasks over `{}`: one host has nothing to spread over",
                        spread.value
                    ),
                    Some(Loc::new(file, spread.span)),
                );
            }
        }
    }
}

/// The networks a Compose service joins, declared at the top for the target: a
/// Swarm overlay becomes a bridge on one host and the other way round; external
/// networks stay external.
fn networks(
    view: &ProjectView<'_>,
    rs: &ResolvedService<'_>,
    s: &mut Map<String, Value>,
    out: &mut Out,
) {
    let joined: Vec<String> = rs
        .layers
        .iter()
        .rev()
        .find(|l| !l.svc.networks.is_empty())
        .map(|l| l.svc.networks.iter().map(|n| n.value.clone()).collect())
        .unwrap_or_default();
    if joined.is_empty() {
        return;
    }
    for n in &joined {
        if n == "default" || out.networks.contains_key(n) {
            continue;
        }
        let decl = view
            .files
            .iter()
            .flat_map(|f| f.compose.networks.iter().map(move |d| (f.id(), d)))
            .rfind(|(_, d)| d.name.value == *n);
        let mut body = Map::new();
        if let Some((file, d)) = decl {
            let driver = d.driver.as_ref().map(|t| t.value.as_str());
            if d.external {
                body.insert("external".into(), json!(true));
                out.left(
                    format!("network `{n}` is created outside the project: create it first (`docker network create {}{n}`)", if out.flavor == Flavor::Swarm { "--driver overlay --attachable " } else { "" }),
                    Some(Loc::new(file, d.name.span)),
                );
            } else {
                match (out.flavor, driver) {
                    (Flavor::Compose, Some("overlay")) => {
                        out.guide.carried.push(format!(
                            "overlay network `{n}` → a bridge network of the one host"
                        ));
                    }
                    (Flavor::Swarm, _) => {
                        body.insert("driver".into(), json!("overlay"));
                        if driver.is_some_and(|d| d != "overlay") {
                            out.left(
                                format!("network `{n}` uses driver `{}`: a stack's networks span nodes, so it is written as an overlay network", driver.unwrap_or_default()),
                                Some(Loc::new(file, d.name.span)),
                            );
                        }
                    }
                    (Flavor::Compose, Some(other)) => {
                        body.insert("driver".into(), json!(escape(other)));
                    }
                    (Flavor::Compose, None) => {}
                }
            }
        }
        out.networks.insert(n.clone(), Value::Object(body));
    }
    s.insert("networks".into(), json!(joined));
}

/// `resources` for `deploy`: limits and reservations of CPU and memory.
fn resources(c: &Container) -> Option<Value> {
    let r = &c.resources;
    let mut limits = Map::new();
    let mut reservations = Map::new();
    if let Some(cpu) = &r.cpu_limit {
        limits.insert("cpus".into(), json!(cpus(cpu.value)));
    }
    if let Some(m) = &r.memory_limit {
        limits.insert("memory".into(), json!(memory(m.value)));
    }
    if let Some(cpu) = &r.cpu_request {
        reservations.insert("cpus".into(), json!(cpus(cpu.value)));
    }
    if let Some(m) = &r.memory_request {
        reservations.insert("memory".into(), json!(memory(m.value)));
    }
    let mut out = Map::new();
    if !limits.is_empty() {
        out.insert("limits".into(), Value::Object(limits));
    }
    if !reservations.is_empty() {
        out.insert("reservations".into(), Value::Object(reservations));
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// Cores as Compose writes them (`"0.5"`, `"2"`), at most three decimals.
pub(super) fn cpus(cores: f64) -> String {
    let milli = (cores * 1000.0).round().max(1.0) as u64;
    let whole = milli / 1000;
    let frac = milli % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{frac:03}")
            .trim_end_matches('0')
            .to_string()
    }
}

/// Bytes as a Compose size: the largest unit that divides them (`512M`, `1G`).
pub(super) fn memory(bytes: u64) -> String {
    for (unit, size) in [("G", 1u64 << 30), ("M", 1 << 20), ("K", 1 << 10)] {
        if bytes >= size && bytes.is_multiple_of(size) {
            return format!("{}{unit}", bytes / size);
        }
    }
    format!("{bytes}b")
}

/// The container's image, unless it is empty (a variable that is not set).
fn image_of(c: &Container) -> Option<&str> {
    c.image
        .as_ref()
        .map(|i| i.value.trim())
        .filter(|i| !i.is_empty())
}

/// A literal of the source written so that Compose does not interpolate it.
pub(super) fn escape(s: &str) -> String {
    s.replace('$', "$$")
}

fn escape_all(words: &[String]) -> Vec<String> {
    words.iter().map(|w| escape(w)).collect()
}

/// True when `kind` runs on a schedule, which Compose has no counterpart for.
fn is_scheduled(kind: WorkloadKind) -> bool {
    kind == WorkloadKind::CronJob
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_cores_read_as_compose_writes_them() {
        assert_eq!(memory(512 << 20), "512M");
        assert_eq!(memory(1 << 30), "1G");
        assert_eq!(memory(1500), "1500b");
        assert_eq!(cpus(0.5), "0.5");
        assert_eq!(cpus(0.25), "0.25");
        assert_eq!(cpus(2.0), "2");
        assert_eq!(cpus(0.0001), "0.001");
        assert_eq!(escape("a$b"), "a$$b");
    }
}
