//! Compose Specification files from a normalized model: one service per
//! container (a pod's sidecars each get a service of their own), named volumes
//! declared at the top, and `deploy` keys where the target honours them. The same
//! writer makes a Swarm stack (`--to swarm`): then `deploy` carries replicas,
//! the restart policy, resources and placement, and what `docker stack deploy`
//! ignores is listed for a person.
//!
//! `fields` writes a container's environment, ports and health check, `storage`
//! its mounts and the volumes they need, `deploy` start order, restart policy,
//! copies, resources and placement, `source_keys` what only a Compose source holds
//! (networks, `volumes_from`, links to outside containers, Swarm-only settings).

mod deploy;
mod fields;
mod source_keys;
mod storage;

pub(super) use deploy::memory;
use deploy::{depends, restart_and_deploy};
use fields::{environment, healthcheck, ports};
use source_keys::compose_only_keys;
use storage::mounts;

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Map, Value, json};

use super::names::dns_label;
use super::yaml_out::document;
use super::{Guide, Left, Migration};
use crate::model::{Container, DeploymentModel, Workload, WorkloadKind};
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
        let base = service_name(name);
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
    let runnable = super::runnable(model, image_of, "Compose")?;
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
        compose_only_keys(view, rs, known, swarm, replicas, &mut s, out);
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

/// The container's image, unless it is empty (a variable that is not set) or a
/// placeholder no registry serves (`<YOUR-IMAGE>`).
pub(super) fn image_of(c: &Container) -> Option<&str> {
    super::image_of(c).filter(|i| {
        i.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "._-/:@".contains(ch))
    })
}

/// A service name: the source's own when Compose takes it (so the host names
/// other containers use still resolve), else a DNS label made from it.
pub(super) fn service_name(name: &str) -> String {
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        name.to_string()
    } else {
        dns_label(name)
    }
}

/// A literal of the source written so that Compose does not interpolate it.
pub(super) fn escape(s: &str) -> String {
    s.replace('$', "$$")
}

pub(super) fn escape_all(words: &[String]) -> Vec<String> {
    words.iter().map(|w| escape(w)).collect()
}

/// True when `kind` runs on a schedule, which Compose has no counterpart for.
pub(super) fn is_scheduled(kind: WorkloadKind) -> bool {
    kind == WorkloadKind::CronJob
}
