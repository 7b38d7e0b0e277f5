//! One workload as a Nomad group: its count, network and ports, a service with
//! checks, volumes, placement and policies, and a Docker task per container.

use hcl::{Block, BlockBuilder};

use super::source::{duration, seconds, workload_node};
use super::{JobType, left, place, policy};
use crate::migrate::Guide;
use crate::migrate::hcl_out::{interpolated, is_identifier, text, texts};
use crate::migrate::image_of;
use crate::migrate::names::dns_label;
use crate::model::{Container, DeploymentModel, MountKind, PortRef, Probe, Profile, Workload};
use crate::project::SpecFile;
use crate::source::Format;

/// CPU: Nomad reserves MHz of a client's clock; one core counts as this many.
pub(super) const MHZ_PER_CORE: f64 = 1000.0;

/// What every group of the job shares.
pub(super) struct Ctx<'a> {
    pub(super) files: &'a [SpecFile],
    pub(super) model: &'a DeploymentModel,
    pub(super) job_type: JobType,
    /// How many workloads mount a named volume this one mounts (itself included).
    pub(super) users: usize,
    /// Run-once workloads that only this one waits for: run in its group as
    /// `prestart` tasks.
    pub(super) before: Vec<&'a Workload>,
}

/// A port of the group's network.
struct PortOut {
    label: String,
    /// The host port, when the source fixes one.
    fixed: Option<u32>,
    /// The port in the container (bridge mode), when it differs from the host's.
    to: Option<u32>,
    /// The container whose port it is, and the port as the source numbers it.
    container: usize,
    number: Option<u32>,
    name: Option<String>,
}

pub(super) fn group(w: &Workload, name: &str, ctx: &Ctx, guide: &mut Guide) -> Option<Block> {
    let containers: Vec<&Container> = w
        .containers
        .iter()
        .filter(|c| {
            let runs = image_of(c).is_some() || c.build.is_some();
            if !runs {
                left(
                    guide,
                    format!(
                        "{} names no image (a command run on the host, or an image from a variable that is not set): not carried",
                        w.describe_container(c)
                    ),
                    Some(c.name.loc),
                );
            }
            runs
        })
        .collect();
    if containers.iter().all(|c| c.init) {
        return None;
    }
    let host_mode = w.host_network.is_some();
    let task_names: Vec<String> = containers
        .iter()
        .map(|c| {
            if containers.len() == 1 {
                name.to_string()
            } else {
                dns_label(&c.name.value)
            }
        })
        .collect();
    let ports = ports(w, &containers, host_mode);
    let mut g = Block::builder("group").add_label(name);
    if ctx.job_type.counted() {
        g = g.add_attribute(("count", w.replica_count()));
    }
    g = g.add_blocks(place::blocks(w, guide));
    if !ports.is_empty() || (containers.len() > 1 && !host_mode) {
        g = g.add_block(network(&ports, host_mode));
        if !host_mode {
            guide.decide.push(
                "the groups with ports use `bridge` networking (each copy gets its own address, the ports mapped into it): every client needs the CNI reference plugins in its `cni_path`".into(),
            );
        }
    }
    published(w, &ports, ctx, guide);
    if let Some(at) = w.host_network {
        guide.carried.push(format!(
            "the host networking of {} → `network {{ mode = \"host\" }}` and Docker `network_mode = \"host\"`",
            w.describe()
        ));
        if w.format == Format::Marathon && ports.iter().any(|p| p.fixed.is_none()) {
            guide.carried.push(format!(
                "the ports Marathon assigned {} → dynamic ports, their numbers in `PORT0`… as Marathon gave them",
                w.describe()
            ));
        }
        let _ = at;
    }
    let (service, provider_consul) = service(w, name, &containers, &task_names, &ports, ctx, guide);
    let has_service = service.is_some();
    if let Some(s) = service {
        g = g.add_block(s);
        if provider_consul {
            guide.decide.push(format!(
                "the service of group `{name}` runs a command as its check, which only Consul's service catalog runs: the cluster needs Consul, or replace the check with an `http` or `tcp` one and set `provider = \"nomad\"`"
            ));
        }
    }
    let mut volumes: Vec<Block> = Vec::new();
    let mut tasks: Vec<Block> = Vec::new();
    for p in &ctx.before {
        for c in p
            .containers
            .iter()
            .filter(|c| image_of(c).is_some() || c.build.is_some())
        {
            let mut tname = dns_label(if p.containers.len() == 1 {
                &p.name
            } else {
                &c.name.value
            });
            while task_names.contains(&tname) {
                tname = format!("{tname}-x");
            }
            let t = task(
                p,
                c,
                usize::MAX,
                &tname,
                &[],
                ctx,
                &mut volumes,
                guide,
                true,
            );
            tasks.push(t);
            guide.carried.push(format!(
                "{} runs once, and only {} waits for it → task `{tname}` of group `{name}` with `lifecycle {{ hook = \"prestart\" }}`, run to completion before the group's other tasks start",
                p.describe(),
                w.describe()
            ));
        }
        note_links(p, &[], guide);
    }
    for (i, c) in containers.iter().enumerate() {
        let t = task(
            w,
            c,
            i,
            &task_names[i],
            &ports,
            ctx,
            &mut volumes,
            guide,
            false,
        );
        tasks.push(t);
    }
    g = g.add_blocks(volumes);
    g = g.add_blocks(policy::blocks(w, ctx.files, ctx.job_type, guide));
    g = g.add_blocks(tasks);
    note_links(w, &ctx.before, guide);
    // Brooklyn's entity type is kept as a label by the lowering, not written by
    // hand; Traefik's labels are carried as service tags.
    let mut keys: Vec<&str> = w
        .labels
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !(k.starts_with("brooklyn.") || has_service && k.starts_with("traefik.")))
        .collect();
    if !keys.is_empty() {
        let more = keys.len().saturating_sub(4);
        keys.truncate(4);
        left(
            guide,
            format!(
                "the labels of {} (`{}`{}): not carried; routers that read them (Traefik, marathon-lb) read a Nomad service's `tags`, other data belongs in `meta`",
                w.describe(),
                keys.join("`, `"),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ),
            Some(w.at),
        );
    }
    guide.carried.push(format!(
        "{} → group `{name}` ({}{} task{})",
        w.describe(),
        if !ctx.job_type.counted() {
            "one copy per client, ".to_string()
        } else {
            format!(
                "{} cop{}, ",
                w.replica_count(),
                if w.replica_count() == 1 { "y" } else { "ies" }
            )
        },
        containers.len(),
        if containers.len() == 1 { "" } else { "s" }
    ));
    Some(g.build())
}

/// The group's ports: in bridge mode each maps a host port (fixed, or one Nomad
/// picks) to the container's; in host mode the app listens on the host port.
fn ports(w: &Workload, containers: &[&Container], host_mode: bool) -> Vec<PortOut> {
    let mut out: Vec<PortOut> = Vec::new();
    for (ci, c) in containers.iter().enumerate() {
        for (pi, p) in c.ports.iter().enumerate() {
            let (fixed, to) = if host_mode {
                (p.host.or(p.container), None)
            } else {
                match p.container {
                    Some(cp) => (p.host, Some(cp)),
                    None => (p.host, None),
                }
            };
            if fixed.is_none() && to.is_none() && !(host_mode && w.format == Format::Marathon) {
                continue;
            }
            let udp = p.protocol.eq_ignore_ascii_case("udp");
            // The same port twice (TCP and UDP of one number, or a repeated
            // entry): Nomad allocates the number once for both protocols.
            if out.iter().any(|o| {
                o.container == ci && o.number.is_some() && o.number == p.container.or(p.host)
            }) {
                continue;
            }
            let base = match p.name.as_deref().map(port_label) {
                Some(Some(l)) => l,
                _ => match p.container.or(p.host) {
                    Some(n) => format!("p{n}{}", if udp { "_udp" } else { "" }),
                    None => format!("port{pi}"),
                },
            };
            let mut label = base.clone();
            let mut n = 2;
            while out.iter().any(|o| o.label == label) {
                label = format!("{base}_{n}");
                n += 1;
            }
            out.push(PortOut {
                label,
                fixed,
                to,
                container: ci,
                number: p.container.or(p.host),
                name: p.name.clone(),
            });
        }
    }
    out
}

/// Notes on fixed host ports: one copy per client, and no routing mesh.
fn published(w: &Workload, ports: &[PortOut], ctx: &Ctx, guide: &mut Guide) {
    let fixed: Vec<String> = ports
        .iter()
        .filter_map(|p| p.fixed.map(|f| f.to_string()))
        .collect();
    if fixed.is_empty() {
        return;
    }
    if ctx.job_type.counted() && w.replica_count() > 1 {
        guide.decide.push(format!(
            "{} holds host port {} on every copy: a client can run only one copy, so the {} copies need as many clients; drop `static` to let Nomad pick ports and reach the copies through the service",
            w.describe(),
            fixed.join(", "),
            w.replica_count()
        ));
    }
    if is_swarm(ctx) {
        let at = w
            .containers
            .iter()
            .flat_map(|c| &c.ports)
            .find(|p| p.host.is_some())
            .map(|p| p.loc);
        left(
            guide,
            format!(
                "{} publishes port {} through Swarm's routing mesh, which answers on every node: Nomad opens it only on the clients that run a copy; put a load balancer that reads the service catalog (Traefik, Fabio, HAProxy) in front",
                w.describe(),
                fixed.join(", ")
            ),
            at,
        );
    }
}

/// A port label Nomad takes (letters, digits, `_`), from a port's name.
fn port_label(name: &str) -> Option<String> {
    let l: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    (l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && l.len() <= 32).then_some(l)
}

fn network(ports: &[PortOut], host_mode: bool) -> Block {
    let mut n = Block::builder("network")
        .add_attribute(("mode", if host_mode { "host" } else { "bridge" }));
    for p in ports {
        let mut b = Block::builder("port").add_label(p.label.as_str());
        if let Some(s) = p.fixed {
            b = b.add_attribute(("static", s));
        }
        if let Some(t) = p.to {
            b = b.add_attribute(("to", t));
        }
        n = n.add_block(b.build());
    }
    n.build()
}

/// The group's service (named after it, on its first port) with a check per
/// health check of its containers; whether a check needs Consul (a command).
fn service(
    w: &Workload,
    name: &str,
    containers: &[&Container],
    task_names: &[String],
    ports: &[PortOut],
    ctx: &Ctx,
    guide: &mut Guide,
) -> (Option<Block>, bool) {
    let node = workload_node(ctx.files, w);
    let restarts = w.format == Format::Marathon || w.format == Format::Compose && is_swarm(ctx);
    let mut checks: Vec<Block> = Vec::new();
    let mut script = false;
    for (i, c) in containers.iter().enumerate() {
        let who = w.describe_container(c);
        let (interval, timeout, retries) = check_timing(w, c, node);
        let mut probes: Vec<&Probe> = Vec::new();
        for p in [&c.liveness, &c.readiness].into_iter().flatten() {
            if !p.disabled && !probes.iter().any(|q| same_probe(q, p)) {
                probes.push(p);
            }
        }
        for p in probes {
            let mut b = Block::builder("check")
                .add_attribute(("name", format!("{}-health", task_names[i])));
            let how;
            if let Some((cmd, args)) = p.exec.split_first() {
                b = b
                    .add_attribute(("type", "script"))
                    .add_attribute(("task", task_names[i].as_str()))
                    .add_attribute(("command", text(cmd)))
                    .add_attribute(("args", texts(args)));
                script = true;
                how = "a `script` check";
            } else {
                let Some(label) = probe_port(p, c, i, ports) else {
                    left(
                        guide,
                        format!(
                            "the health check of {who} targets a port the group does not map: not carried; write a `check`"
                        ),
                        Some(p.loc),
                    );
                    continue;
                };
                b = b.add_attribute(("port", label.as_str()));
                match &p.http_path {
                    Some(path) => {
                        b = b
                            .add_attribute(("type", "http"))
                            .add_attribute(("path", text(path)));
                        how = "an `http` check";
                    }
                    None => {
                        b = b.add_attribute(("type", "tcp"));
                        how = "a `tcp` check";
                    }
                }
            }
            b = b
                .add_attribute(("interval", interval.as_str()))
                .add_attribute(("timeout", timeout.as_str()));
            if restarts {
                b = b.add_block(
                    Block::builder("check_restart")
                        .add_attribute(("limit", retries))
                        .build(),
                );
            }
            checks.push(b.build());
            guide.carried.push(format!(
                "the health check of {who} → {how} every {interval} (timeout {timeout}){}",
                if restarts {
                    format!(
                        ", the task restarted after {retries} failures as the source replaces it"
                    )
                } else {
                    String::new()
                }
            ));
        }
    }
    if ports.is_empty() && checks.is_empty() {
        return (None, false);
    }
    let mut s = Block::builder("service")
        .add_attribute(("name", name))
        .add_attribute(("provider", if script { "consul" } else { "nomad" }));
    if let Some(p) = ports.first() {
        s = s.add_attribute(("port", p.label.as_str()));
    }
    let tags: Vec<String> = traefik_labels(w).map(|(k, v)| format!("{k}={v}")).collect();
    if !tags.is_empty() {
        s = s.add_attribute(("tags", texts(&tags)));
        guide.carried.push(format!(
            "the Traefik labels of {} → tags of service `{name}` (`KEY=VALUE`, as Traefik's Nomad and Consul catalog providers read them)",
            w.describe()
        ));
    }
    if !ports.is_empty() {
        guide.carried.push(format!(
            "the ports of {} → service `{name}` in Nomad's {} catalog",
            w.describe(),
            if script { "Consul" } else { "own" }
        ));
    }
    (Some(s.add_blocks(checks).build()), script)
}

/// Labels for Traefik (`traefik.enable`, `traefik.http.routers.…`).
fn traefik_labels(w: &Workload) -> impl Iterator<Item = &(String, String)> {
    w.labels.iter().filter(|(k, _)| k.starts_with("traefik."))
}

fn same_probe(a: &Probe, b: &Probe) -> bool {
    a.exec == b.exec && a.http_path == b.http_path && a.port == b.port
}

fn is_swarm(ctx: &Ctx) -> bool {
    ctx.model.platform.as_ref().is_some_and(|p| p.id == "swarm")
}

/// A check's interval and timeout, and the failures before a restart: the
/// source's (Compose `healthcheck`, Marathon `healthChecks[0]`), else Compose's
/// defaults (30s, 30s, 3 retries).
fn check_timing(
    w: &Workload,
    c: &Container,
    node: Option<&crate::yaml::Node>,
) -> (String, String, u64) {
    let (mut interval, mut timeout, mut retries) = ("30s".to_string(), "30s".to_string(), 3u64);
    if let Some(hc) = node.and_then(|n| n.get("healthcheck")) {
        if let Some(d) = hc.get("interval").and_then(duration) {
            interval = d;
        }
        if let Some(d) = hc.get("timeout").and_then(duration) {
            timeout = d;
        }
        if let Some(r) = hc.get("retries").and_then(|r| r.as_i64()) {
            retries = u64::try_from(r).unwrap_or(3).max(1);
        }
    }
    // An app's first health check, or a pod container's own.
    let marathon = node.and_then(|n| {
        n.at(&["healthChecks", "0"]).or_else(|| {
            n.get("containers")?
                .as_sequence()?
                .iter()
                .find(|pc| pc.get("name").and_then(|x| x.as_str()) == Some(c.name.value.as_str()))?
                .get("healthCheck")
        })
    });
    if w.format == Format::Marathon
        && let Some(hc) = marathon
    {
        interval = hc
            .get("intervalSeconds")
            .and_then(seconds)
            .unwrap_or_else(|| "60s".into());
        timeout = hc
            .get("timeoutSeconds")
            .and_then(seconds)
            .unwrap_or_else(|| "20s".into());
        retries = hc
            .get("maxConsecutiveFailures")
            .and_then(|r| r.as_i64())
            .and_then(|r| u64::try_from(r).ok())
            .unwrap_or(3)
            .max(1);
    }
    (interval, timeout, retries)
}

/// The label of the port a probe targets: by number, name, Marathon index, or
/// the container's first port.
fn probe_port(p: &Probe, c: &Container, ci: usize, ports: &[PortOut]) -> Option<String> {
    let mine = || ports.iter().filter(|o| o.container == ci);
    let found = match p.port.as_ref().map(|l| &l.value) {
        Some(PortRef::Number(n)) => mine().find(|o| o.number == Some(*n)),
        Some(PortRef::Name(n)) => match n.parse::<u32>() {
            Ok(num) => mine().find(|o| o.number == Some(num)),
            Err(_) => mine().find(|o| o.name.as_deref() == Some(n.as_str())),
        },
        Some(PortRef::Index(i)) => {
            let port = c.ports.get(*i as usize)?;
            let number = port.container.or(port.host);
            mine().find(|o| o.number == number && o.name == port.name)
        }
        None => mine().next(),
    };
    found.map(|o| o.label.clone())
}

/// One container as a Docker task; its group volumes go into `volumes`.
#[allow(
    clippy::too_many_arguments,
    reason = "the pieces of one group being filled in"
)]
fn task(
    w: &Workload,
    c: &Container,
    ci: usize,
    tname: &str,
    ports: &[PortOut],
    ctx: &Ctx,
    volumes: &mut Vec<Block>,
    guide: &mut Guide,
    prestart: bool,
) -> Block {
    let who = w.describe_container(c);
    let mut t = Block::builder("task")
        .add_label(tname)
        .add_attribute(("driver", "docker"));
    if let Some(u) = &c.user {
        t = t.add_attribute(("user", text(&u.value)));
    }
    let mut config = Block::builder("config");
    let image = match (image_of(c), c.build) {
        (Some(i), _) => i.to_string(),
        (None, Some(at)) => {
            let image = format!("{tname}:latest");
            left(
                guide,
                format!(
                    "{who} is built from source: build and push it (`docker build -t REGISTRY/{tname}:TAG .`), then set the image of task `{tname}` to it (written as `{image}`)"
                ),
                Some(at),
            );
            image
        }
        (None, None) => String::new(),
    };
    config = config.add_attribute(("image", text(&image)));
    if let Some(e) = &c.entrypoint {
        config = config.add_attribute(("entrypoint", texts(e)));
    }
    if let Some(a) = &c.args {
        config = config.add_attribute(("args", texts(a)));
    }
    let host_mode = w.host_network.is_some();
    if host_mode {
        config = config.add_attribute(("network_mode", "host"));
        let labels: Vec<&str> = ports
            .iter()
            .filter(|p| p.container == ci)
            .map(|p| p.label.as_str())
            .collect();
        if !labels.is_empty() {
            config = config.add_attribute(("ports", texts(&labels)));
        }
    }
    config = security(w, c, config, guide);
    let (config, mounts) = mounts(w, c, tname, ctx, config, volumes, guide);
    t = t.add_block(config.build());
    if let Some(env) = env(w, c, ci, ports, guide) {
        t = t.add_block(env);
    }
    if let Some(r) = resources(c, &who, guide) {
        t = t.add_block(r);
    }
    t = t.add_blocks(mounts);
    if c.init || prestart {
        t = t.add_block(
            Block::builder("lifecycle")
                .add_attribute(("hook", "prestart"))
                .add_attribute(("sidecar", false))
                .build(),
        );
    }
    if c.init {
        guide.carried.push(format!(
            "init container {who} → a `prestart` task of the group"
        ));
    }
    t.build()
}

/// Privileges and host namespaces, which the Docker driver takes when the
/// client's plugin configuration allows them.
fn security(
    w: &Workload,
    c: &Container,
    mut config: BlockBuilder,
    guide: &mut Guide,
) -> BlockBuilder {
    let who = w.describe_container(c);
    if c.privileged.is_some() {
        config = config.add_attribute(("privileged", true));
        guide.decide.push(format!(
            "{who} runs privileged (kept): the clients' Docker plugin must allow it (`allow_privileged = true`); better, grant only the capabilities it needs"
        ));
    }
    if !c.cap_add.is_empty() {
        let caps: Vec<String> = c
            .cap_add
            .iter()
            .map(|x| x.value.trim_start_matches("CAP_").to_ascii_lowercase())
            .collect();
        config = config.add_attribute(("cap_add", texts(&caps)));
        guide.decide.push(format!(
            "{who} adds capabilities `{}` (kept): the clients' Docker plugin must list them in `allow_caps`",
            caps.join("`, `")
        ));
    }
    let h = &c.hardening;
    if !h.cap_drop.is_empty() {
        let caps: Vec<String> = h
            .cap_drop
            .iter()
            .map(|x| x.value.trim_start_matches("CAP_").to_ascii_lowercase())
            .collect();
        config = config.add_attribute(("cap_drop", texts(&caps)));
        guide
            .carried
            .push(format!("the capabilities {who} drops → Docker `cap_drop`"));
    }
    if h.read_only_root.as_ref().is_some_and(|r| r.value) {
        config = config.add_attribute(("readonly_rootfs", true));
        guide.carried.push(format!(
            "the read-only root of {who} → Docker `readonly_rootfs`"
        ));
    }
    let mut security_opt: Vec<String> = Vec::new();
    if h.privilege_escalation.as_ref().is_some_and(|p| !p.value) {
        security_opt.push("no-new-privileges".into());
    }
    for (profile, what) in [(&h.seccomp, "seccomp"), (&h.apparmor, "apparmor")] {
        match profile.as_ref().map(|p| (&p.value, p.loc)) {
            Some((Profile::Unconfined, _)) => security_opt.push(format!("{what}=unconfined")),
            Some((Profile::Custom, at)) => left(
                guide,
                format!(
                    "{who} runs under a {what} profile of its own: not carried; install it on the clients and name it in the Docker task's `security_opt`"
                ),
                Some(at),
            ),
            _ => {}
        }
    }
    if !security_opt.is_empty() {
        guide.carried.push(format!(
            "the security options of {who} → Docker `security_opt` (`{}`)",
            security_opt.join("`, `")
        ));
        config = config.add_attribute(("security_opt", texts(&security_opt)));
    }
    for d in &h.devices {
        left(
            guide,
            format!(
                "{who} is handed host device `{}`: not carried; add a Docker `devices` entry, and make sure every client the group may run on has it",
                d.value
            ),
            Some(d.loc),
        );
    }
    if w.host_pid.is_some() {
        config = config.add_attribute(("pid_mode", "host"));
    }
    if w.host_ipc.is_some() {
        config = config.add_attribute(("ipc_mode", "host"));
    }
    for (on, what) in [(w.host_pid, "PID"), (w.host_ipc, "IPC")] {
        if on.is_some() {
            guide.carried.push(format!(
                "{} shares the host's {what} namespace → Docker `{}_mode = \"host\"`",
                w.describe(),
                what.to_ascii_lowercase()
            ));
        }
    }
    config
}

/// The task's `env` block: literal values, and the Marathon port variables of
/// ports Nomad assigns.
fn env(
    w: &Workload,
    c: &Container,
    ci: usize,
    ports: &[PortOut],
    guide: &mut Guide,
) -> Option<Block> {
    let who = w.describe_container(c);
    let mut b = Block::builder("env");
    let mut any = false;
    for v in &c.env {
        let key = &v.name.value;
        match &v.value {
            Some(value) if value.value.trim_start().starts_with("$brooklyn:") => left(
                guide,
                format!(
                    "variable `{key}` of {who} is a Brooklyn DSL expression that Brooklyn resolves at deploy time: not carried; write its value (an address of another group through a `template` block reading the service catalog)"
                ),
                Some(value.loc),
            ),
            Some(value) if is_identifier(key) => {
                b = b.add_attribute((key.as_str(), text(&value.value)));
                any = true;
            }
            Some(_) => left(
                guide,
                format!(
                    "variable `{key}` of {who}: its name cannot be written in an `env` block; set it in a `template` block with `env = true`"
                ),
                Some(v.name.loc),
            ),
            None => left(
                guide,
                format!(
                    "variable `{key}` of {who} takes its value from elsewhere (the shell that runs Compose, a secret or a field): give it a value, or read it from a Nomad Variable in a `template` block"
                ),
                Some(v.name.loc),
            ),
        }
    }
    if w.format == Format::Marathon && w.host_network.is_some() {
        for (i, p) in ports.iter().filter(|p| p.container == ci).enumerate() {
            let value = interpolated(&format!("${{NOMAD_PORT_{}}}", p.label));
            if i == 0 {
                b = b.add_attribute(("PORT", value.clone()));
            }
            b = b.add_attribute((format!("PORT{i}").as_str(), value));
            any = true;
        }
    }
    let secretish = crate::migrate::literal_secret_names(c);
    if !secretish.is_empty() {
        guide.decide.push(format!(
            "{who} has literal values in `{}`, copied as they are: store them as a Nomad Variable (`nomad var put nomad/jobs/JOB KEY=…`) and read them in a `template` block with `env = true`",
            secretish.join("`, `")
        ));
    }
    any.then(|| b.build())
}

/// `resources`: CPU in MHz (cores × 1000), memory in MiB; the limit above a
/// reservation as `memory_max`.
fn resources(c: &Container, who: &str, guide: &mut Guide) -> Option<Block> {
    let r = &c.resources;
    let cores = r
        .cpu_request
        .as_ref()
        .or(r.cpu_limit.as_ref())
        .map(|x| x.value);
    let mem = r
        .memory_request
        .as_ref()
        .or(r.memory_limit.as_ref())
        .map(|x| x.value);
    let mem_max = match (&r.memory_request, &r.memory_limit) {
        (Some(req), Some(lim)) if lim.value > req.value => Some(lim.value),
        _ => None,
    };
    if r.cpu_unresolved || r.memory_limit_unresolved {
        guide.decide.push(format!(
            "{who} sizes its CPU or memory from a variable that is not set here: set `resources` by hand"
        ));
    }
    if cores.is_none() && mem.is_none() {
        guide.decide.push(format!(
            "{who} states no CPU or memory: Nomad reserves its defaults (100 MHz, 300 MB) and kills a task that uses more memory; set `resources`"
        ));
        return None;
    }
    let mut b = Block::builder("resources");
    let mut said: Vec<String> = Vec::new();
    if let Some(cores) = cores {
        let mhz = ((cores * MHZ_PER_CORE).round() as u64).max(1);
        b = b.add_attribute(("cpu", mhz));
        said.push(format!(
            "{cores} CPU → `cpu = {mhz}` MHz (1 core counted as 1000 MHz)"
        ));
    }
    if let Some(bytes) = mem {
        let mib = mebibytes(bytes);
        b = b.add_attribute(("memory", mib));
        said.push(format!(
            "{} of memory → `memory = {mib}` MB",
            crate::migrate::kubernetes::quantity_bytes(bytes)
        ));
    }
    if let Some(max) = mem_max {
        let mib = mebibytes(max);
        b = b.add_attribute(("memory_max", mib));
        said.push(format!("the limit → `memory_max = {mib}`"));
        guide.decide.push(format!(
            "{who} may use more memory than it reserves (`memory_max`): Nomad honours it only with memory oversubscription on (`nomad operator scheduler set-config -memory-oversubscription=true`)"
        ));
    }
    guide
        .carried
        .push(format!("the resources of {who}: {}", said.join("; ")));
    Some(b.build())
}

/// Bytes as whole MiB, rounded up (Nomad's `memory` is in MB of 2^20 bytes).
pub(super) fn mebibytes(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20).max(1)
}

/// The task's mounts: named and persistent volumes as group volumes (host or
/// CSI) with a `volume_mount`, tmpfs and host directories as Docker mounts.
#[allow(
    clippy::too_many_arguments,
    reason = "the pieces of one group being filled in"
)]
fn mounts(
    w: &Workload,
    c: &Container,
    tname: &str,
    ctx: &Ctx,
    mut config: BlockBuilder,
    volumes: &mut Vec<Block>,
    guide: &mut Guide,
) -> (BlockBuilder, Vec<Block>) {
    let who = w.describe_container(c);
    let mut out = Vec::new();
    for m in &c.mounts {
        let source = m.source.clone().unwrap_or_default();
        let kind = match m.kind {
            MountKind::Named => {
                let driver = ctx
                    .model
                    .volumes
                    .iter()
                    .find(|v| v.name == source)
                    .and_then(|v| v.driver.as_deref())
                    .filter(|d| *d != "local");
                Some(if driver.is_some() { "csi" } else { "host" })
            }
            MountKind::Persistent if m.target.starts_with('/') => Some("host"),
            // The sandbox-relative half of a Marathon persistent volume: the
            // mount that maps it into the container carries it.
            MountKind::Persistent => continue,
            MountKind::External => Some("csi"),
            _ => None,
        };
        if let Some(kind) = kind {
            let vname = dns_label(if source.is_empty() { tname } else { &source });
            if !volumes
                .iter()
                .any(|v| v.labels().first().map(|l| l.as_str()) == Some(vname.as_str()))
            {
                volumes.push(group_volume(
                    w,
                    &vname,
                    &source,
                    kind,
                    m.read_only,
                    ctx,
                    guide,
                ));
            }
            let mut vm = Block::builder("volume_mount")
                .add_attribute(("volume", vname.as_str()))
                .add_attribute(("destination", text(&m.target)));
            if m.read_only {
                vm = vm.add_attribute(("read_only", true));
            }
            out.push(vm.build());
            continue;
        }
        match m.kind {
            MountKind::Tmpfs => {
                config = config.add_block(
                    Block::builder("mount")
                        .add_attribute(("type", "tmpfs"))
                        .add_attribute(("target", text(&m.target)))
                        .add_attribute(("readonly", m.read_only))
                        .build(),
                );
                guide.carried.push(format!(
                    "the tmpfs of {who} at `{}` → a Docker `tmpfs` mount",
                    m.target
                ));
            }
            MountKind::HostPath if source.starts_with('/') => {
                config = config.add_block(
                    Block::builder("mount")
                        .add_attribute(("type", "bind"))
                        .add_attribute(("source", text(&source)))
                        .add_attribute(("target", text(&m.target)))
                        .add_attribute(("readonly", m.read_only))
                        .build(),
                );
                guide.carried.push(format!(
                    "the host path `{source}` of {who} → a Docker `bind` mount"
                ));
                guide.decide.push(format!(
                    "{who} mounts `{source}` of the host (kept): the clients' Docker plugin must enable it (`volumes {{ enabled = true }}`), and every client the group may run on must have it"
                ));
            }
            MountKind::HostPath => left(
                guide,
                format!(
                    "{who} mounts `{source}` from beside the spec at `{}`: not carried; ship a file of the repository with a `template` or `artifact` block, data in a host volume",
                    m.target
                ),
                Some(m.loc),
            ),
            MountKind::Config => left(
                guide,
                format!(
                    "{who} reads `{source}` (a config or secret) at `{}`: write it with a `template` block (from a Nomad Variable for a secret) at that path",
                    m.target
                ),
                Some(m.loc),
            ),
            MountKind::Ephemeral => left(
                guide,
                format!(
                    "{who} keeps an anonymous volume at `{}`: not carried, the data stays in the container and goes with it; mount a host volume if it must outlive the task",
                    m.target
                ),
                Some(m.loc),
            ),
            _ => {}
        }
    }
    (config, out)
}

/// A group `volume` block, with what the cluster must provide for it.
fn group_volume(
    w: &Workload,
    vname: &str,
    source: &str,
    kind: &str,
    read_only: bool,
    ctx: &Ctx,
    guide: &mut Guide,
) -> Block {
    let shared = ctx.users > 1 || w.replica_count() > 1;
    let mut b = Block::builder("volume")
        .add_label(vname)
        .add_attribute(("type", kind))
        .add_attribute(("source", vname))
        .add_attribute(("read_only", read_only));
    if kind == "csi" {
        b = b
            .add_attribute(("attachment_mode", "file-system"))
            .add_attribute((
                "access_mode",
                if shared {
                    "multi-node-multi-writer"
                } else {
                    "single-node-writer"
                },
            ));
        guide.carried.push(format!(
            "volume `{source}` of {} → CSI volume `{vname}`",
            w.describe()
        ));
        guide.decide.push(format!(
            "CSI volume `{vname}`: create or register it with your storage's CSI plugin (`nomad volume create {vname}.volume.hcl`) before the job runs, and copy its data into it"
        ));
    } else {
        guide.carried.push(format!(
            "volume `{source}` of {} → host volume `{vname}`",
            w.describe()
        ));
        guide.decide.push(format!(
            "host volume `{vname}`: declare it in the configuration of the clients the group may run on (`client {{ host_volume \"{vname}\" {{ path = \"/opt/nomad/volumes/{vname}\" }} }}`), and copy the data of `{source}` there{}",
            if shared {
                "; it is a directory of one client, so copies on other clients see other data"
            } else {
                ""
            }
        ));
    }
    b.build()
}

/// Start order: Nomad starts a job's groups at once.
fn note_links(w: &Workload, before: &[&Workload], guide: &mut Guide) {
    for d in &w.depends_on {
        if before.iter().any(|p| p.name == d.value) {
            continue;
        }
        left(
            guide,
            format!(
                "{} starts after `{}`: Nomad starts a job's groups at once; the checks and the app's own retries take its place (a task that must finish first belongs in the group as a `prestart` task)",
                w.describe(),
                d.value
            ),
            Some(d.loc),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_labels() {
        assert_eq!(mebibytes(512 << 20), 512);
        assert_eq!(mebibytes((512 << 20) + 1), 513);
        assert_eq!(mebibytes(10), 1);
        assert_eq!(port_label("http").as_deref(), Some("http"));
        assert_eq!(port_label("Admin-UI").as_deref(), Some("admin_ui"));
        assert_eq!(port_label("8080"), None);
    }
}
