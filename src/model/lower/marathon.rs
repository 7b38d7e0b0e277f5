//! Lowers Marathon apps and pods into the normalized model.
//!
//! Facts this relies on (Marathon docs `ports.md`, `networking.md`,
//! `persistent-volumes.md`, `external-volumes.md`, `volumes.raml`):
//! - Networking is `HOST` unless `networks` (1.5+) or `container.docker.network`
//!   (before 1.5) says otherwise; an app with the deprecated `ipAddress` uses a
//!   container (IP-per-task) network.
//! - In host networking, `ports`/`portDefinitions` numbers are *service* ports and
//!   the host port is random, unless `requirePorts` is true: then a non-zero number
//!   is also the fixed host port. Port mappings are ignored there.
//! - In bridge and container networking, port mappings apply and `requirePorts` does
//!   not; `hostPort` 0 (or absent) is random or none, any other value is fixed.
//! - Pod endpoints: `hostPort` 0 or absent is random (none in container networking).
//! - `cpus` is cores and `mem` MiB; Marathon reserves exactly what it asks, so both
//!   are the request and the limit. Persistent volume sizes are MiB, DVDI external
//!   volume sizes GiB.
//!
//! Host networking is recorded only where a file asks for it (`"network": "HOST"`,
//! `{"mode": "host"}`, a `net=host` Docker parameter), not for the default, so rules
//! about host networking speak of what the author wrote.

use crate::formats::marathon::MarathonFile;
use crate::formats::marathon::model::{
    App, Constraint, EnvValue, Pairs, Parameter, PersistentInfo, PodContainer,
};
use crate::formats::marathon::path::is_within;
use crate::formats::marathon::read::{AppEntry, PodEntry};
use crate::model::{
    Container, DeploymentModel, EnvVar, Mount, MountKind, Placement, Port, PortRef, Probe,
    Resources, Volume, VolumeDecl, Workload, WorkloadKind,
};
use crate::project::{Project, SpecFile};
use crate::source::{FileId, Format};
use crate::source::{Loc, Located, Span, Spanned};

const MIB: f64 = 1024.0 * 1024.0;
const GIB: f64 = 1024.0 * MIB;

pub(crate) fn lower(project: &Project, files: &[SpecFile]) -> DeploymentModel {
    let marathon: Vec<(FileId, &MarathonFile)> = project
        .files
        .iter()
        .filter_map(|id| files.get(id.0 as usize)?.marathon().map(|m| (*id, m)))
        .collect();
    let paths: Vec<&str> = marathon
        .iter()
        .flat_map(|(_, m)| {
            m.apps
                .iter()
                .filter_map(|a| a.path.as_deref())
                .chain(m.pods.iter().filter_map(|p| p.path.as_deref()))
        })
        .collect();
    let mut model = DeploymentModel::default();
    for (file, m) in &marathon {
        for entry in &m.apps {
            if let Some(w) = lower_app(*file, entry, &paths, &mut model.volumes) {
                model.workloads.push(w);
            }
        }
        for entry in &m.pods {
            if let Some(w) = lower_pod(*file, entry, &paths, &mut model.volumes) {
                model.workloads.push(w);
            }
        }
    }
    // An external volume shared by several apps is declared once.
    let mut seen = std::collections::HashSet::new();
    model
        .volumes
        .retain(|v| v.kind != MountKind::External || seen.insert(v.name.clone()));
    model
}

/// How an app's or pod's tasks are networked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Net {
    /// Host networking; the span of the entry that asks for it, if one does.
    Host(Option<Span>),
    /// Docker bridge / `container/bridge`.
    Bridge,
    /// A named container network (Docker `USER`, `container`, IP-per-task).
    Container,
    /// Docker `NONE`.
    None,
}

pub(crate) fn app_network(entry: &AppEntry) -> Net {
    let app = &entry.app;
    if let Some(first) = app.networks.first() {
        let span = entry.entries.network_modes.first().copied().flatten();
        return network_mode(first.value.mode.as_deref(), span);
    }
    if let Some(n) = app.docker().and_then(|d| d.network.as_ref()) {
        return match n.value.to_ascii_uppercase().as_str() {
            "BRIDGE" => Net::Bridge,
            "USER" => Net::Container,
            "NONE" => Net::None,
            _ => Net::Host(entry.entries.docker_network.or(Some(n.span))),
        };
    }
    if app.ip_address.is_some() {
        return Net::Container;
    }
    Net::Host(None)
}

fn network_mode(mode: Option<&str>, span: Option<Span>) -> Net {
    match mode.map(str::to_ascii_lowercase).as_deref() {
        Some("host") => Net::Host(span),
        Some("container/bridge") => Net::Bridge,
        // `container` is also the default mode of a network item.
        _ => Net::Container,
    }
}

/// An item of `ports` or `portDefinitions`.
struct HostPortNumber<'a> {
    number: Option<&'a Spanned<u32>>,
    span: Span,
    protocol: Option<&'a str>,
    name: Option<&'a str>,
}

/// The container ports an app exposes, with the host ports that are fixed.
pub(crate) fn app_ports(file: FileId, app: &App, net: Net) -> Vec<Port> {
    let mut out = Vec::new();
    match net {
        Net::Bridge | Net::Container => {
            for m in app.port_mappings() {
                let host = m.value.host_port.as_ref().filter(|p| p.value != 0);
                let container = m.value.container_port.as_ref().filter(|p| p.value != 0);
                out.push(Port {
                    // `containerPort` 0 takes the host port's value.
                    container: container.or(host).map(|p| p.value),
                    host: host.map(|p| p.value),
                    protocol: m.value.protocol.clone().unwrap_or_else(|| "tcp".into()),
                    name: m.value.name.clone(),
                    loc: Loc::new(file, host.or(container).map_or(m.span, |p| p.span)),
                });
            }
        }
        Net::Host(_) => {
            let required = app.require_ports.as_ref().is_some_and(|r| r.value);
            let numbers: Vec<HostPortNumber<'_>> = if app.port_definitions.is_empty() {
                app.ports
                    .iter()
                    .map(|p| HostPortNumber {
                        number: Some(p),
                        span: p.span,
                        protocol: None,
                        name: None,
                    })
                    .collect()
            } else {
                app.port_definitions
                    .iter()
                    .map(|d| HostPortNumber {
                        number: d.value.port.as_ref(),
                        span: d.span,
                        protocol: d.value.protocol.as_deref(),
                        name: d.value.name.as_deref(),
                    })
                    .collect()
            };
            for HostPortNumber {
                number,
                span,
                protocol,
                name,
            } in numbers
            {
                let fixed = number.filter(|p| required && p.value != 0);
                out.push(Port {
                    container: fixed.map(|p| p.value),
                    host: fixed.map(|p| p.value),
                    protocol: protocol.unwrap_or("tcp").to_string(),
                    name: name.map(str::to_string),
                    loc: Loc::new(file, number.map_or(span, |p| p.span)),
                });
            }
        }
        Net::None => {}
    }
    out
}

fn lower_app(
    file: FileId,
    entry: &AppEntry,
    paths: &[&str],
    decls: &mut Vec<VolumeDecl>,
) -> Option<Workload> {
    let app = &entry.app;
    let id = app.id.as_ref()?;
    let name = entry.path.clone()?;
    let at = Loc::new(file, id.span);
    let loc = |span: Span| Loc::new(file, span);
    let mut w = Workload::new(
        Format::Marathon,
        WorkloadKind::MarathonApp,
        name.clone(),
        at,
    );
    w.replicas = app.instances.as_ref().map(|n| n.located(file));
    let net = app_network(entry);
    if let Net::Host(Some(span)) = net {
        w.host_network = Some(loc(span));
    }
    w.depends_on = depends_on(
        file,
        &name,
        entry.dependencies.iter().chain(&entry.inherited),
        paths,
    );
    w.placement = placement(file, &app.constraints);
    w.labels = labels(&app.labels);

    let mut c = Container::new(Located::new(name.clone(), at));
    let docker = app.docker();
    c.image = docker.and_then(|d| d.image.as_ref().map(|i| i.located(file)));
    // `cmd` runs in a shell; `args` are handed to the image's entrypoint.
    if let Some(cmd) = &app.cmd {
        c.command = vec!["sh".into(), "-c".into(), cmd.value.clone()];
        c.command_at = Some(loc(cmd.span));
        // Mesos runs a shell command with the shell as the entrypoint.
        c.entrypoint = Some(vec!["/bin/sh".into(), "-c".into(), cmd.value.clone()]);
    } else if let Some(first) = app.args.first() {
        c.command = app.args.iter().map(|a| a.value.clone()).collect();
        c.command_at = Some(loc(first.span));
        c.args = Some(c.command.clone());
    }
    c.privileged = entry.entries.privileged.map(loc);
    c.user = app.user.as_ref().map(|u| u.located(file));
    for p in docker.map(|d| d.parameters.as_slice()).unwrap_or_default() {
        apply_parameter(file, &mut w, &mut c, p);
    }
    c.env = env(file, &app.env);
    c.ports = app_ports(file, app, net);
    c.resources = resources(file, app.cpus.as_ref(), app.mem.as_ref());
    c.liveness = app.health_checks.first().map(|hc| Probe {
        loc: loc(hc.span),
        port: hc
            .value
            .port
            .as_ref()
            .map(|p| Located::new(PortRef::Number(p.value), loc(p.span)))
            .or_else(|| {
                hc.value
                    .port_index
                    .as_ref()
                    .map(|p| Located::new(PortRef::Index(p.value), loc(p.span)))
            }),
        disabled: false,
        exec: Vec::new(),
        http_path: hc.value.path.clone(),
    });
    c.readiness = app.readiness_checks.first().map(|rc| Probe {
        loc: loc(rc.span),
        port: rc
            .value
            .port_name
            .as_ref()
            .map(|p| Located::new(PortRef::Name(p.value.clone()), loc(p.span))),
        disabled: false,
        exec: Vec::new(),
        http_path: rc.value.path.clone(),
    });
    app_volumes(file, app, &mut w, &mut c, decls);
    w.containers.push(c);
    Some(w)
}

/// Docker parameters that matter to the model (`--key=value` of `docker run`).
fn apply_parameter(file: FileId, w: &mut Workload, c: &mut Container, p: &Spanned<Parameter>) {
    let key = p.value.key().trim_start_matches('-').to_ascii_lowercase();
    let value = p.value.value().trim();
    let at = Loc::new(file, p.span);
    match key.as_str() {
        "net" | "network" if value.eq_ignore_ascii_case("host") => {
            w.host_network.get_or_insert(at);
        }
        "pid" if value.eq_ignore_ascii_case("host") => {
            w.host_pid.get_or_insert(at);
        }
        "ipc" if value.eq_ignore_ascii_case("host") => {
            w.host_ipc.get_or_insert(at);
        }
        "cap-add" if !value.is_empty() => {
            c.cap_add.push(Located::new(value.to_string(), at));
        }
        "privileged" if value.is_empty() || value.eq_ignore_ascii_case("true") => {
            c.privileged.get_or_insert(at);
        }
        // Docker's own `--user` wins over the Mesos task user inside the container.
        "user" | "u" if !value.is_empty() => {
            let span = p.value.value.as_ref().map_or(p.span, |v| v.span);
            c.user = Some(Located::new(value.to_string(), Loc::new(file, span)));
        }
        _ => super::hardening::marathon_parameter(&key, value, at, w, c),
    }
}

fn app_volumes(
    file: FileId,
    app: &App,
    w: &mut Workload,
    c: &mut Container,
    decls: &mut Vec<VolumeDecl>,
) {
    let volumes = app.volumes();
    // Persistent volumes live in the sandbox under their `containerPath`; a host
    // volume with that relative `hostPath` mounts the persistent volume elsewhere
    // (the MySQL recipe of the docs).
    let persistent: Vec<&str> = volumes
        .iter()
        .filter(|v| v.value.persistent.is_some())
        .map(|v| v.value.container_path().trim_end_matches('/'))
        .collect();
    for v in volumes {
        let vol = &v.value;
        let at = Loc::new(file, v.span);
        let target = vol.container_path().to_string();
        if let Some(p) = &vol.persistent {
            c.mounts.push(mount(
                MountKind::Persistent,
                Some(&target),
                &target,
                false,
                at,
            ));
            w.volumes
                .push(volume(&target, MountKind::Persistent, None, at));
            decls.push(VolumeDecl {
                name: target.clone(),
                kind: MountKind::Persistent,
                size: persistent_size(&p.value),
                driver: None,
                at,
            });
        } else if let Some(x) = &vol.external {
            let name = x
                .value
                .name
                .as_ref()
                .map_or_else(|| target.clone(), |n| n.value.clone());
            c.mounts.push(mount(
                MountKind::External,
                Some(&name),
                &target,
                vol.read_only(),
                at,
            ));
            w.volumes.push(volume(&name, MountKind::External, None, at));
            decls.push(VolumeDecl {
                name,
                kind: MountKind::External,
                size: x.value.size.map(|s| (s as f64 * GIB) as u64),
                driver: x
                    .value
                    .option("dvdi/driver")
                    .map(str::to_string)
                    .or_else(|| x.value.provider.clone()),
                at,
            });
        } else if let Some(h) = &vol.host_path {
            let host = h.value.as_str();
            let (kind, host_path) = if host.starts_with('/') {
                (MountKind::HostPath, Some(host.to_string()))
            } else if persistent.contains(&host.trim_end_matches('/')) {
                (MountKind::Persistent, None)
            } else {
                // Relative to the task's sandbox: gone with the task.
                (MountKind::Ephemeral, None)
            };
            c.mounts.push(mount(
                kind.clone(),
                Some(host),
                &target,
                vol.read_only(),
                at,
            ));
            if kind != MountKind::Persistent {
                w.volumes.push(volume(host, kind, host_path, at));
            }
        } else if let Some(secret) = &vol.secret {
            c.mounts
                .push(mount(MountKind::Config, Some(secret), &target, true, at));
        } else {
            c.mounts.push(mount(
                MountKind::Ephemeral,
                None,
                &target,
                vol.read_only(),
                at,
            ));
        }
    }
}

fn lower_pod(
    file: FileId,
    entry: &PodEntry,
    paths: &[&str],
    decls: &mut Vec<VolumeDecl>,
) -> Option<Workload> {
    let pod = &entry.pod;
    let id = pod.id.as_ref()?;
    let name = entry.path.clone()?;
    let mut w = Workload::new(
        Format::Marathon,
        WorkloadKind::MarathonPod,
        name.clone(),
        Loc::new(file, id.span),
    );
    // `scaling.maxInstances` caps how far an operator may scale the pod by hand; it
    // is not a number of copies that runs, so it is no peak (and no autoscaler).
    w.replicas = pod.instances().map(|n| n.located(file));
    let net = match pod.networks.first() {
        Some(n) => network_mode(
            n.value.mode.as_deref(),
            entry.entries.network_modes.first().copied().flatten(),
        ),
        None => Net::Host(None),
    };
    if let Net::Host(Some(span)) = net {
        w.host_network = Some(Loc::new(file, span));
    }
    w.depends_on = depends_on(file, &name, entry.inherited.iter(), paths);
    w.placement = placement(file, pod.constraints());
    w.labels = labels(&pod.labels);

    for v in &pod.volumes {
        let vol = &v.value;
        let vname = vol.name.as_ref().map_or("", |n| n.value.as_str());
        let (kind, host_path) = pod_volume_kind(vol);
        let at = Loc::new(file, v.span);
        if let Some(p) = &vol.persistent {
            decls.push(VolumeDecl {
                name: vname.to_string(),
                kind: MountKind::Persistent,
                size: persistent_size(&p.value),
                driver: None,
                at,
            });
        }
        w.volumes.push(volume(vname, kind, host_path, at));
    }

    for ct in &pod.containers {
        w.containers.push(pod_container(file, pod, ct, net));
    }
    Some(w)
}

fn pod_volume_kind(
    vol: &crate::formats::marathon::model::PodVolume,
) -> (MountKind, Option<String>) {
    if vol.persistent.is_some() {
        (MountKind::Persistent, None)
    } else if let Some(h) = &vol.host {
        if h.starts_with('/') {
            (MountKind::HostPath, Some(h.clone()))
        } else {
            (MountKind::Ephemeral, None)
        }
    } else if vol.secret.is_some() {
        (MountKind::Config, None)
    } else {
        // A volume with only a name is an empty sandbox directory shared by the
        // pod's containers.
        (MountKind::Ephemeral, None)
    }
}

fn pod_container(
    file: FileId,
    pod: &crate::formats::marathon::model::Pod,
    ct: &Spanned<PodContainer>,
    net: Net,
) -> Container {
    let c = &ct.value;
    let loc = |span: Span| Loc::new(file, span);
    let name = c
        .name
        .clone()
        .unwrap_or_else(|| Spanned::new(String::new(), ct.span));
    let mut out = Container::new(name.in_file(file));
    out.image = c
        .image
        .as_ref()
        .and_then(|i| i.id.as_ref())
        .map(|i| i.located(file));
    out.user = c
        .user
        .as_ref()
        .or(pod.user.as_ref())
        .map(|u| u.located(file));
    // Container variables override the pod's of the same name.
    let mut env = env(file, &c.environment);
    for var in self::env(file, &pod.environment) {
        if !env.iter().any(|e| e.name.value == var.name.value) {
            env.push(var);
        }
    }
    out.env = env;
    for ep in &c.endpoints {
        let e = &ep.value;
        let host = e.host_port.as_ref().filter(|p| p.value != 0);
        let container = e.container_port.as_ref().filter(|p| p.value != 0);
        // In host networking the task binds the host port itself.
        let container = match net {
            Net::Host(_) => container.or(host),
            _ => container,
        };
        out.ports.push(Port {
            container: container.map(|p| p.value),
            host: host.map(|p| p.value),
            protocol: if e.protocol.is_empty() {
                "tcp".into()
            } else {
                e.protocol.join(",")
            },
            name: e.name.clone(),
            loc: loc(host.or(container).map_or(ep.span, |p| p.span)),
        });
    }
    if let Some(r) = &c.resources {
        out.resources = resources(file, r.cpus.as_ref(), r.mem.as_ref());
    }
    out.liveness = c.health_check.as_ref().map(|hc| Probe {
        loc: loc(hc.span),
        port: hc
            .value
            .http
            .as_ref()
            .or(hc.value.tcp.as_ref())
            .and_then(|e| e.endpoint.as_ref())
            .map(|e| Located::new(PortRef::Name(e.value.clone()), loc(e.span))),
        disabled: false,
        exec: Vec::new(),
        // An `http` check requests its path (Marathon's default is `/`).
        http_path: hc
            .value
            .http
            .as_ref()
            .map(|h| h.path.clone().unwrap_or_else(|| "/".into())),
    });
    for vm in &c.volume_mounts {
        let m = &vm.value;
        let vname = m.name.clone().unwrap_or_default();
        let vol = pod
            .volumes
            .iter()
            .find(|v| v.value.name.as_ref().is_some_and(|n| n.value == vname));
        let (kind, source) = match vol {
            Some(v) => {
                let (kind, host) = pod_volume_kind(&v.value);
                let source = match kind {
                    MountKind::HostPath => host,
                    _ => Some(vname.clone()),
                };
                (kind, source)
            }
            None => (MountKind::Ephemeral, Some(vname.clone())),
        };
        out.mounts.push(Mount {
            kind,
            source,
            target: m.mount_path.clone().unwrap_or_default(),
            read_only: m.read_only.unwrap_or(false),
            loc: loc(vm.span),
        });
    }
    out
}

/// Dependencies as absolute ids; one on a group stands for every app and pod of the
/// project under it (Marathon starts the whole group first).
fn depends_on<'a>(
    file: FileId,
    own: &str,
    deps: impl Iterator<Item = &'a Spanned<String>>,
    paths: &[&str],
) -> Vec<Located<String>> {
    let mut out: Vec<Located<String>> = Vec::new();
    let mut push = |value: &str, span: Span| {
        if value != own && !out.iter().any(|d| d.value == value) {
            out.push(Located::new(value.to_string(), Loc::new(file, span)));
        }
    };
    for d in deps {
        let target = d.value.as_str();
        let under: Vec<&str> = if paths.contains(&target) || target == "/" {
            Vec::new()
        } else {
            paths
                .iter()
                .copied()
                .filter(|p| is_within(p, target))
                .collect()
        };
        if under.is_empty() {
            push(target, d.span);
        } else {
            for p in under {
                push(p, d.span);
            }
        }
    }
    out
}

pub(crate) fn placement(file: FileId, constraints: &[Spanned<Constraint>]) -> Placement {
    let mut p = Placement::default();
    for c in constraints {
        let k = &c.value;
        let at = Loc::new(file, c.span);
        p.constraints.push(Located::new(k.text(), at));
        if k.on_hostname() && k.operator_is("UNIQUE") {
            p.one_per_host.get_or_insert(at);
        }
        let max_per = k
            .value
            .as_deref()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|_| k.on_hostname() && k.operator_is("MAX_PER"));
        if let Some(n) = max_per
            && p.max_per_host.as_ref().is_none_or(|m| n < m.value)
        {
            p.max_per_host = Some(Located::new(n, at));
        }
        if matches!(k.field.as_str(), "@zone" | "zone")
            && (k.operator_is("GROUP_BY") || k.operator_is("UNIQUE"))
        {
            p.zone_spread.get_or_insert(at);
            if k.operator_is("UNIQUE") {
                p.one_per_zone.get_or_insert(at);
            }
        }
        if let Some(v) = &k.value
            && (k.operator_is("CLUSTER") || k.operator_is("IS"))
        {
            p.node_selector.push((k.field.clone(), v.clone()));
        }
    }
    p
}

fn labels(labels: &Pairs<String, String>) -> Vec<(String, String)> {
    labels.iter().cloned().collect()
}

fn env(file: FileId, vars: &Pairs<Spanned<String>, Spanned<EnvValue>>) -> Vec<EnvVar> {
    vars.iter()
        .map(|(k, v)| EnvVar {
            name: k.located(file),
            value: match &v.value {
                EnvValue::Literal(s) => Some(Located::new(s.clone(), Loc::new(file, v.span))),
                EnvValue::Secret(_) => None,
            },
        })
        .collect()
}

fn resources(file: FileId, cpus: Option<&Spanned<f64>>, mem: Option<&Spanned<f64>>) -> Resources {
    let cpu = cpus
        .filter(|c| c.value.is_finite() && c.value >= 0.0)
        .map(|c| c.located(file));
    let memory = mem
        .filter(|m| m.value.is_finite() && m.value >= 0.0)
        .map(|m| Located::new((m.value * MIB).round() as u64, Loc::new(file, m.span)));
    Resources {
        cpu_limit: cpu.clone(),
        memory_limit: memory.clone(),
        cpu_request: cpu,
        memory_request: memory,
        ..Resources::default()
    }
}

fn persistent_size(p: &PersistentInfo) -> Option<u64> {
    p.size.as_ref().map(|s| (s.value as f64 * MIB) as u64)
}

fn mount(kind: MountKind, source: Option<&str>, target: &str, read_only: bool, loc: Loc) -> Mount {
    Mount {
        kind,
        source: source.map(str::to_string),
        target: target.to_string(),
        read_only,
        loc,
    }
}

fn volume(name: &str, kind: MountKind, host_path: Option<String>, loc: Loc) -> Volume {
    Volume {
        name: name.to_string(),
        kind,
        host_path,
        config_map: None,
        loc,
    }
}
