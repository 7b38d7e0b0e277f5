//! Lowers a Compose project into the normalized model: one workload per service
//! (one container named after it), values interpolated, layers merged as Compose
//! merges them, and each field located in the file of the layer it comes from.

use std::collections::{HashMap, HashSet};

use crate::formats::compose::model::{Command, parse_bool};
use crate::model::quantity::docker_bytes;
use crate::model::{
    Container, DeploymentModel, EnvRedefinition, EnvVar, Mount, MountKind, Port, Probe, Resources,
    Volume, VolumeDecl, Workload, WorkloadKind,
};
use crate::project::compose::view::{Layer, MountSource, ProjectView, ResolvedService};
use crate::source::{Format, Loc, Located};
use crate::source::{Span, Spanned};

/// Most ports one entry expands to (a range like `1-65535` stays bounded).
const MAX_RANGE_EXPANSION: u32 = 1024;

pub(crate) fn lower_view(view: &ProjectView<'_>) -> DeploymentModel {
    let mut model = DeploymentModel::default();
    let decls = volume_decls(view);
    for s in &view.services {
        model.workloads.push(lower_service(view, s, &decls));
    }
    model.volumes = decls;
    model
}

/// Top-level named volumes; a later file's declaration of the same name wins.
fn volume_decls(view: &ProjectView<'_>) -> Vec<VolumeDecl> {
    let mut out: Vec<VolumeDecl> = Vec::new();
    for (_, f) in view.declaring_files() {
        for v in &f.compose.volumes {
            let driver = v
                .driver
                .as_ref()
                .map(|d| crate::formats::compose::interp::interpolate(&d.value, &f.env).value)
                .filter(|d| !d.is_empty());
            let remote_driver =
                driver.as_deref().is_some_and(|d| d != "local") || v.driver_type.is_some();
            let decl = VolumeDecl {
                name: v.name.value.clone(),
                kind: if v.external || remote_driver {
                    MountKind::External
                } else {
                    MountKind::Named
                },
                size: None,
                driver,
                at: Loc::new(f.id(), v.name.span),
            };
            match out.iter_mut().find(|d| d.name == decl.name) {
                Some(prev) => *prev = decl,
                None => out.push(decl),
            }
        }
    }
    out
}

/// Builds one workload, locating each field in the file of the layer it comes from.
struct Builder<'v, 'a> {
    view: &'v ProjectView<'a>,
    w: Workload,
}

impl Builder<'_, '_> {
    fn loc(&self, layer: &Layer<'_>, span: Span) -> Loc {
        Loc::new(self.view.file_id(layer), span)
    }

    fn text(&self, layer: &Layer<'_>, t: &Spanned<String>) -> Located<String> {
        let value = self.view.interp(layer, &t.value).value;
        Located::new(value, self.loc(layer, t.span))
    }
}

fn lower_service(
    view: &ProjectView<'_>,
    s: &ResolvedService<'_>,
    decls: &[VolumeDecl],
) -> Workload {
    let home = view.files[s.home].id();
    let at = Loc::new(home, s.at);
    let w = Workload::new(
        Format::Compose,
        WorkloadKind::ComposeService,
        s.name.clone(),
        at,
    );
    let mut b = Builder { view, w };
    let mut c = Container::new(Located::new(s.name.clone(), at));

    if let Some((l, t)) = s.last(|x| x.image.as_ref()) {
        c.image = Some(b.text(&l, t));
    }
    if let Some((l, build)) = s.last(|x| x.build.as_ref()) {
        c.build = Some(b.loc(&l, build.span));
    }
    lower_command(&b, s, &mut c);
    if let Some((l, e)) = s.last(|x| x.privileged.as_ref())
        && parse_bool(&view.interp(&l, &e.value.value.0).value) == Some(true)
    {
        c.privileged = Some(b.loc(&l, e.span()));
    }
    if let Some((l, t)) = s.last(|x| x.user.as_ref()) {
        c.user = Some(b.text(&l, t));
    }
    // Compose merges `cap_add` of every layer into one set.
    for (l, t) in s.each(|x| &x.cap_add) {
        let cap = b.text(&l, t);
        if !cap.value.is_empty() && !c.cap_add.iter().any(|x| x.value == cap.value) {
            c.cap_add.push(cap);
        }
    }
    lower_env(&mut b, s, &mut c);
    lower_ports(&mut b, s, &mut c);
    c.resources = lower_resources(&mut b, s);
    if let Some(h) = s.healthcheck() {
        let exec = s
            .last(|x| x.healthcheck.as_ref()?.test.as_ref())
            .map(|(l, t)| healthcheck_words(b.view, &l, t))
            .unwrap_or_default();
        c.liveness = Some(Probe {
            loc: b.loc(&h.layer, h.span),
            port: None,
            disabled: h.disabled,
            exec,
            http_path: None,
        });
    }
    lower_mounts(&mut b, s, &mut c, decls);

    if let Some((l, e)) = s.last(|x| x.network_mode.as_ref())
        && view.interp(&l, &e.value.value).value == "host"
    {
        b.w.host_network = Some(b.loc(&l, e.span()));
    }
    if let Some((l, e)) = s.last(|x| x.pid.as_ref())
        && view.interp(&l, &e.value.value).value == "host"
    {
        b.w.host_pid = Some(b.loc(&l, e.span()));
    }
    if let Some((l, e)) = s.last(|x| x.ipc.as_ref())
        && view.interp(&l, &e.value.value).value == "host"
    {
        b.w.host_ipc = Some(b.loc(&l, e.span()));
    }
    for r in view.service_refs(s) {
        if r.kind == crate::project::compose::view::RefKind::DependsOn && !r.required {
            continue;
        }
        if b.w.depends_on.iter().any(|d| d.value == r.name.value) {
            continue;
        }
        let loc = b.loc(&r.layer, r.name.span);
        b.w.depends_on.push(Located::new(r.name.value, loc));
    }
    if let Some((l, t)) = s.last(|x| x.restart.as_ref()) {
        b.w.restart = Some(b.text(&l, t));
    } else if let Some((l, t)) = s.last(|x| {
        x.deploy
            .as_ref()?
            .restart_policy
            .as_ref()?
            .condition
            .as_ref()
    }) {
        b.w.restart = Some(b.text(&l, t));
    }
    lower_deploy(&mut b, s);
    lower_labels(&mut b, s);
    crate::model::lower::hardening::compose_service(view, s, &mut b.w, &mut c);
    b.w.containers.push(c);
    b.w
}

fn lower_env(b: &mut Builder<'_, '_>, s: &ResolvedService<'_>, c: &mut Container) {
    let mut index: HashMap<&str, usize> = HashMap::new();
    // Within one layer (one file's `environment` of the service) a repeated name is
    // a redefinition; across layers it is an override.
    for l in &s.layers {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for e in &l.svc.environment {
            match seen.get(e.name.value.as_str()) {
                Some(&first) => c.env_redefined.push(EnvRedefinition {
                    name: Located::new(e.name.value.clone(), b.loc(l, e.name.span)),
                    first: b.loc(l, first),
                }),
                None => {
                    seen.insert(&e.name.value, e.name.span);
                }
            }
        }
    }
    for (l, e) in s.each(|x| &x.environment) {
        let name = Located::new(e.name.value.clone(), b.loc(&l, e.name.span));
        let value = e.value.as_ref().and_then(|v| {
            let i = b.view.interp(&l, &v.value);
            // A value from `.env` or the shell is not written in the spec.
            i.is_literal()
                .then(|| Located::new(i.value, b.loc(&l, v.span)))
        });
        let var = EnvVar { name, value };
        match index.get(e.name.value.as_str()) {
            Some(&i) => c.env[i] = var,
            None => {
                index.insert(&e.name.value, c.env.len());
                c.env.push(var);
            }
        }
    }
}

fn lower_ports(b: &mut Builder<'_, '_>, s: &ResolvedService<'_>, c: &mut Container) {
    let mut seen = HashSet::new();
    for (l, entry) in s.each(|x| &x.ports) {
        let Some(p) = b.view.port(&l, entry) else {
            continue;
        };
        // Compose merges identical entries (address, ports and protocol).
        if !seen.insert(p.mapping.clone()) {
            continue;
        }
        let loc = b.loc(&l, p.span);
        let m = &p.mapping;
        let fixed = m.is_fixed();
        for k in 0..m.target.len().min(MAX_RANGE_EXPANSION) {
            let host = match m.published {
                Some(pr) if fixed => Some(pr.start + k),
                Some(pr) if pr.is_single() && pr.start != 0 => Some(pr.start),
                _ => None,
            };
            c.ports.push(Port {
                container: Some(m.target.start + k),
                host,
                protocol: m.protocol.clone(),
                name: p.name.clone(),
                loc,
            });
        }
    }
}

fn lower_resources(b: &mut Builder<'_, '_>, s: &ResolvedService<'_>) -> Resources {
    let mut r = Resources::default();
    fn res(
        x: &crate::formats::compose::model::Service,
    ) -> Option<&crate::formats::compose::model::DeployResources> {
        x.deploy.as_ref()?.resources.as_ref()
    }
    let cpu = |b: &mut Builder<'_, '_>,
               l: &Layer<'_>,
               t: &Spanned<crate::formats::compose::model::NumText>| {
        let v = b.view.interp(l, &t.value.0).value;
        let cores = v.trim().parse::<f64>().ok()?;
        Some(Located::new(cores, b.loc(l, t.span)))
    };
    let mem = |b: &mut Builder<'_, '_>, l: &Layer<'_>, t: &Spanned<String>| {
        let v = b.view.interp(l, &t.value).value;
        let bytes = docker_bytes(&v)?;
        Some(Located::new(bytes, b.loc(l, t.span)))
    };
    let mut cpu_written = false;
    if let Some((l, t)) = s.last(|x| res(x)?.limits.as_ref()?.cpus.as_ref()) {
        r.cpu_limit = cpu(b, &l, t);
        cpu_written = true;
    } else if let Some((l, t)) = s.last(|x| x.cpus.as_ref()) {
        r.cpu_limit = cpu(b, &l, t);
        cpu_written = true;
    }
    if let Some((l, t)) = s.last(|x| res(x)?.reservations.as_ref()?.cpus.as_ref()) {
        r.cpu_request = cpu(b, &l, t);
        cpu_written = true;
    }
    let mut memory_written = false;
    if let Some((l, t)) = s.last(|x| res(x)?.limits.as_ref()?.memory.as_ref()) {
        r.memory_limit = mem(b, &l, t);
        memory_written = true;
    } else if let Some((l, t)) = s.last(|x| x.mem_limit.as_ref()) {
        r.memory_limit = mem(b, &l, t);
        memory_written = true;
    }
    // Written with a variable the scan cannot resolve: set, size unknown.
    r.cpu_unresolved = cpu_written && r.cpu_limit.is_none() && r.cpu_request.is_none();
    r.memory_limit_unresolved = memory_written && r.memory_limit.is_none();
    if let Some((l, t)) = s.last(|x| res(x)?.reservations.as_ref()?.memory.as_ref()) {
        r.memory_request = mem(b, &l, t);
    } else if let Some((l, t)) = s.last(|x| x.mem_reservation.as_ref()) {
        r.memory_request = mem(b, &l, t);
    }
    r
}

fn lower_mounts(
    b: &mut Builder<'_, '_>,
    s: &ResolvedService<'_>,
    c: &mut Container,
    decls: &[VolumeDecl],
) {
    // Compose merges volume entries by target: a later file's entry replaces one.
    let mut mounts: Vec<(Mount, Option<Volume>)> = Vec::new();
    let mut by_target: HashMap<String, usize> = HashMap::new();
    for (l, entry) in s.each(|x| &x.volumes) {
        let Some(m) = b.view.mount(&l, entry) else {
            continue;
        };
        let kind = match m.source_kind {
            MountSource::Volume => {
                let decl = m
                    .source
                    .as_deref()
                    .and_then(|src| decls.iter().find(|d| d.name == src));
                decl.map_or(MountKind::Named, |d| d.kind.clone())
            }
            MountSource::Bind => MountKind::HostPath,
            MountSource::Anonymous | MountSource::Image => MountKind::Ephemeral,
            MountSource::Tmpfs => MountKind::Tmpfs,
            MountSource::Cluster => MountKind::External,
        };
        let loc = b.loc(&l, m.span);
        let volume = m.source.as_ref().map(|src| Volume {
            name: src.clone(),
            kind: kind.clone(),
            host_path: (kind == MountKind::HostPath).then(|| src.clone()),
            config_map: None,
            loc,
        });
        let mount = Mount {
            kind,
            source: m.source,
            target: m.target,
            read_only: m.read_only,
            loc,
        };
        let slot = (!mount.target.is_empty())
            .then(|| by_target.get(&mount.target).copied())
            .flatten();
        match slot {
            Some(i) => mounts[i] = (mount, volume),
            None => {
                if !mount.target.is_empty() {
                    by_target.insert(mount.target.clone(), mounts.len());
                }
                mounts.push((mount, volume));
            }
        }
    }
    for (l, t) in s.each(|x| &x.tmpfs) {
        let v = b.view.interp(&l, &t.value).value;
        let target = v.split(':').next().unwrap_or_default().to_string();
        let loc = b.loc(&l, t.span);
        mounts.push((
            Mount {
                kind: MountKind::Tmpfs,
                source: None,
                target,
                read_only: false,
                loc,
            },
            None,
        ));
    }
    for (secret, list) in [
        (true, s.all(|x| &x.secrets)),
        (false, s.all(|x| &x.configs)),
    ] {
        for (l, r) in list {
            let name = r.source.value.clone();
            let target = r
                .target
                .as_ref()
                .map(|t| b.view.interp(&l, &t.value).value)
                .filter(|t| !t.is_empty());
            let target = match (secret, target) {
                (_, Some(t)) if t.starts_with('/') => t,
                (true, Some(t)) => format!("/run/secrets/{t}"),
                (true, None) => format!("/run/secrets/{name}"),
                (false, Some(t)) => format!("/{t}"),
                (false, None) => format!("/{name}"),
            };
            let loc = b.loc(&l, r.span);
            mounts.push((
                Mount {
                    kind: MountKind::Config,
                    source: Some(name),
                    target,
                    read_only: true,
                    loc,
                },
                None,
            ));
        }
    }
    let mut named: HashSet<String> = b.w.volumes.iter().map(|x| x.name.clone()).collect();
    for (mount, volume) in mounts {
        if let Some(v) = volume
            && named.insert(v.name.clone())
        {
            b.w.volumes.push(v);
        }
        c.mounts.push(mount);
    }
}

/// A healthcheck's `test` as the words a probe runs: `["CMD", a, b]` runs `a b`,
/// `["CMD-SHELL", t]` and a plain string run `sh -c t`.
fn healthcheck_words(view: &ProjectView<'_>, l: &Layer<'_>, test: &Command) -> Vec<String> {
    match test {
        Command::Shell(t) => vec!["sh".into(), "-c".into(), view.interp(l, &t.value).value],
        Command::Exec(items, _) => {
            let words: Vec<String> = items
                .iter()
                .map(|t| view.interp(l, &t.value).value)
                .collect();
            match words.first().map(String::as_str) {
                Some("CMD") => words[1..].to_vec(),
                Some("CMD-SHELL") => {
                    vec!["sh".into(), "-c".into(), words[1..].join(" ")]
                }
                _ => Vec::new(),
            }
        }
    }
}

/// A Compose command as separate words: the exec form as written, a shell string
/// split as a POSIX shell would (Compose does the same), or as whitespace-separated
/// words when its quotes do not close.
fn command_words(view: &ProjectView<'_>, l: &Layer<'_>, cmd: &Command) -> Vec<String> {
    match cmd {
        Command::Shell(t) => {
            let text = view.interp(l, &t.value).value;
            shlex::split(&text)
                .unwrap_or_else(|| text.split_whitespace().map(String::from).collect())
        }
        Command::Exec(items, _) => items
            .iter()
            .map(|t| view.interp(l, &t.value).value)
            .collect(),
    }
}

/// The entrypoint's words, then the command's: a shell string is split on
/// whitespace, as Compose splits it into arguments.
fn lower_command(b: &Builder<'_, '_>, s: &ResolvedService<'_>, c: &mut Container) {
    if let Some((l, e)) = s.last(|x| x.entrypoint.as_ref()) {
        c.entrypoint = Some(command_words(b.view, &l, e));
    }
    if let Some((l, a)) = s.last(|x| x.command.as_ref()) {
        c.args = Some(command_words(b.view, &l, a));
    }
    for pick in [
        s.last(|x| x.entrypoint.as_ref()),
        s.last(|x| x.command.as_ref()),
    ]
    .into_iter()
    .flatten()
    {
        let (l, cmd) = pick;
        let (words, span) = match cmd {
            Command::Shell(t) => (
                b.view
                    .interp(&l, &t.value)
                    .value
                    .split_whitespace()
                    .map(String::from)
                    .collect::<Vec<_>>(),
                t.span,
            ),
            Command::Exec(items, span) => (
                items
                    .iter()
                    .map(|t| b.view.interp(&l, &t.value).value)
                    .collect(),
                *span,
            ),
        };
        if c.command_at.is_none() {
            c.command_at = Some(b.loc(&l, span));
        }
        c.command.extend(words);
    }
}

fn lower_deploy(b: &mut Builder<'_, '_>, s: &ResolvedService<'_>) {
    let view = b.view;
    let replicas = s
        .last(|x| x.deploy.as_ref()?.replicas.as_ref())
        .or_else(|| s.last(|x| x.scale.as_ref()));
    if let Some((l, e)) = replicas {
        let v = view.interp(&l, &e.value.value.0).value;
        if let Ok(n) = v.trim().parse::<u32>() {
            b.w.replicas = Some(Located::new(n, b.loc(&l, e.value.span)));
        }
    }
    if let Some((l, e)) = s.last(|x| x.deploy.as_ref()?.mode.as_ref()) {
        let mode = view.interp(&l, &e.value.value).value;
        if matches!(mode.as_str(), "global" | "global-job") {
            b.w.global = Some(b.loc(&l, e.span()));
        }
    }
    if let Some((l, p)) = s.last(|x| x.deploy.as_ref()?.placement.as_ref()) {
        for t in &p.constraints {
            let c = b.text(&l, t);
            if let Some((k, v)) = node_label(&c.value) {
                b.w.placement.node_selector.push((k, v));
            }
            b.w.placement.constraints.push(c);
        }
        if let Some(m) = &p.max_replicas_per_node {
            let v = view.interp(&l, &m.value.0).value;
            if let Ok(n) = v.trim().parse::<u32>() {
                let loc = b.loc(&l, m.span);
                b.w.placement.max_per_host = Some(Located::new(n, loc));
                if n == 1 {
                    b.w.placement.one_per_host = Some(loc);
                }
            }
        }
        for pref in &p.preferences {
            if let Some(spread) = &pref.spread
                && spread.value.contains("zone")
            {
                b.w.placement.zone_spread = Some(b.loc(&l, spread.span));
            }
        }
    }
}

/// `node.labels.zone==a` (or `!=`-free variants with spaces) as a node selector.
fn node_label(constraint: &str) -> Option<(String, String)> {
    let (k, v) = constraint.split_once("==")?;
    let k = k.trim().strip_prefix("node.labels.")?;
    Some((k.to_string(), v.trim().to_string()))
}

fn lower_labels(b: &mut Builder<'_, '_>, s: &ResolvedService<'_>) {
    let view = b.view;
    let mut labels: Vec<(String, String)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let service_labels = s.all(|x| &x.labels);
    let deploy_labels = s.all(|x| x.deploy.as_ref().map_or(&[][..], |d| &d.labels[..]));
    for (l, label) in service_labels.into_iter().chain(deploy_labels) {
        let value = label
            .value
            .as_ref()
            .map(|v| view.interp(&l, &v.value).value)
            .unwrap_or_default();
        match index.get(&label.name.value) {
            Some(&i) => labels[i].1 = value,
            None => {
                index.insert(label.name.value.clone(), labels.len());
                labels.push((label.name.value.clone(), value));
            }
        }
    }
    b.w.labels = labels;
}
