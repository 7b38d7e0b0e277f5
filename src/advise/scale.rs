//! How many hosts a project needs: every part of the specs that implies a lower
//! bound adds one, with its evidence; the largest bound is the estimate.
//!
//! Bounds, each from a principle rather than a rule of thumb:
//! - copies that must sit on different hosts (required anti-affinity or a
//!   `DoNotSchedule` spread on the hostname, `hostname:UNIQUE`,
//!   `max_replicas_per_node`, `MAX_PER`) need that many hosts;
//! - copies that bind the same fixed host port need one host each;
//! - copies of a replicated data store (members that copy each other's data and
//!   keep a quorum: Cassandra, CockroachDB, etcd, ZooKeeper, ...) need one host
//!   each, or the loss of one host loses every copy;
//! - copies that must sit in different zones need one host per zone, and a spread
//!   over zones needs two zones at least;
//! - a global (daemon) workload runs one copy per node: it is written for several;
//! - workloads pinned to different values of one node label run on different nodes;
//!   a Swarm constraint to worker nodes needs a worker beside the manager;
//! - hosts a spec lists or counts outright;
//! - the resources reserved at the expected peak (autoscaler maximum, replicas,
//!   instances) over the reference host's vCPU and memory;
//! - Kubernetes runs at most 110 pods per node.

use serde::Serialize;

use super::catalog::{self, ScaleClass};
use super::current::Current;
use super::stores::{self, Role};
use super::{AdvisorSettings, Evidence, GIB, number, snippet};
use crate::model::{Container, DeploymentModel, Workload, WorkloadKind};
use crate::project::SpecFile;
use crate::source::Format;
use crate::source::Loc;

/// Kubernetes' documented default and largest supported pods per node.
pub(crate) const PODS_PER_NODE: u64 = 110;
/// Marathon reserves this much per app instance when `cpus` / `mem` are not given.
const MARATHON_DEFAULT_CPUS: f64 = 1.0;
const MARATHON_DEFAULT_MEM: f64 = 128.0 * 1024.0 * 1024.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum BoundKind {
    /// Any project runs on at least one host.
    Baseline,
    /// Hosts a spec lists or counts.
    HostList,
    OnePerHost,
    MaxPerHost,
    HostPort,
    QuorumStore,
    Zones,
    Global,
    NodePins,
    WorkerRole,
    Resources,
    PodsPerNode,
}

impl BoundKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BoundKind::Baseline => "baseline",
            BoundKind::HostList => "host-list",
            BoundKind::OnePerHost => "one-per-host",
            BoundKind::MaxPerHost => "max-per-host",
            BoundKind::HostPort => "host-port",
            BoundKind::QuorumStore => "quorum-store",
            BoundKind::Zones => "zones",
            BoundKind::Global => "global",
            BoundKind::NodePins => "node-pins",
            BoundKind::WorkerRole => "worker-role",
            BoundKind::Resources => "resources",
            BoundKind::PodsPerNode => "pods-per-node",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Bound {
    pub(crate) kind: BoundKind,
    pub(crate) hosts: u32,
    pub(crate) evidence: Evidence,
}

/// What the project reserves at its expected peak.
#[derive(Clone, Debug, Default)]
pub(crate) struct Peak {
    /// Copies of every workload that has a count (global ones excluded).
    pub(crate) copies: u64,
    pub(crate) cpu: f64,
    /// Bytes.
    pub(crate) memory: f64,
    /// Workloads that reserve neither CPU nor memory (counted as zero).
    pub(crate) unreserved: Vec<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Scale {
    pub(crate) class: ScaleClass,
    pub(crate) hosts: u32,
    /// Every bound found, in the order they were looked for.
    pub(crate) bounds: Vec<Bound>,
    /// The index in `bounds` of the one that won.
    pub(crate) decided_by: usize,
    pub(crate) peak: Peak,
}

impl Scale {
    pub(crate) fn decider(&self) -> &Bound {
        &self.bounds[self.decided_by]
    }
}

/// Copies a workload runs at its expected peak; `None` for global ones (one per
/// node, however many there are).
pub(crate) fn peak_copies(w: &Workload) -> Option<u64> {
    if w.global.is_some() {
        return None;
    }
    let replicas = w.replicas.as_ref().map_or(1, |r| r.value);
    let max = w.max_replicas.as_ref().map_or(0, |m| m.value);
    Some(u64::from(replicas.max(max)))
}

/// The span that says how many copies run (the autoscaler maximum when it is the
/// larger), or the workload's name.
fn copies_span(w: &Workload) -> Loc {
    let replicas = w.replicas.as_ref().map_or(1, |r| r.value);
    match (&w.max_replicas, &w.replicas) {
        (Some(m), _) if m.value > replicas => m.loc,
        (_, Some(r)) => r.loc,
        _ => w.at,
    }
}

/// `1 copy`, `3 copies`.
pub(crate) fn copies_words(n: u64) -> String {
    if n == 1 {
        "1 copy".into()
    } else {
        format!("{n} copies")
    }
}

fn copies_text(n: u64) -> String {
    if n == 1 {
        "its copy".into()
    } else {
        format!("its {n} copies")
    }
}

/// CPU (cores) and memory (bytes) one copy reserves, and whether it reserves
/// anything. Kubernetes: requests, or limits where only limits are set (the API
/// server copies them); a pod reserves the larger of its init containers' largest
/// and its app containers' sum. Compose: reservations only (limits reserve nothing).
/// Marathon: `cpus` and `mem`, whose defaults apps get when they are absent.
pub(crate) fn per_copy(w: &Workload) -> (f64, f64, bool) {
    let mut app = (0.0f64, 0.0f64);
    let mut init = (0.0f64, 0.0f64);
    let mut any = false;
    for c in &w.containers {
        let r = &c.resources;
        let (cpu, mem) = match w.format {
            Format::Kubernetes | Format::Helm => (
                r.cpu_request
                    .as_ref()
                    .or(r.cpu_limit.as_ref())
                    .map(|v| v.value),
                r.memory_request
                    .as_ref()
                    .or(r.memory_limit.as_ref())
                    .map(|v| v.value as f64),
            ),
            // Reservations only: Compose, and the Docker hosts Flocker and Clocker
            // drive, reserve nothing for a limit.
            Format::Compose | Format::Flocker | Format::Brooklyn => (
                r.cpu_request.as_ref().map(|v| v.value),
                r.memory_request.as_ref().map(|v| v.value as f64),
            ),
            // A dyno's size is what the platform sets aside for it.
            Format::Procfile => (
                r.cpu_request
                    .as_ref()
                    .or(r.cpu_limit.as_ref())
                    .map(|v| v.value),
                r.memory_request
                    .as_ref()
                    .or(r.memory_limit.as_ref())
                    .map(|v| v.value as f64),
            ),
            Format::Marathon => {
                let app_defaults = w.kind == WorkloadKind::MarathonApp;
                (
                    r.cpu_request
                        .as_ref()
                        .map(|v| v.value)
                        .or(app_defaults.then_some(MARATHON_DEFAULT_CPUS)),
                    r.memory_request
                        .as_ref()
                        .map(|v| v.value as f64)
                        .or(app_defaults.then_some(MARATHON_DEFAULT_MEM)),
                )
            }
        };
        any |= cpu.is_some() || mem.is_some();
        let (cpu, mem) = (
            cpu.filter(|v| v.is_finite() && *v > 0.0).unwrap_or(0.0),
            mem.filter(|v| v.is_finite() && *v > 0.0).unwrap_or(0.0),
        );
        if c.init {
            init = (init.0.max(cpu), init.1.max(mem));
        } else {
            app = (app.0 + cpu, app.1 + mem);
        }
    }
    (app.0.max(init.0), app.1.max(init.1), any)
}

fn ceil_hosts(x: f64) -> u32 {
    if !x.is_finite() || x <= 0.0 {
        return 0;
    }
    let c = (x - 1e-9).ceil();
    if c >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        c as u32
    }
}

fn to_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) fn estimate(
    model: &DeploymentModel,
    files: &[SpecFile],
    current: &Current,
    settings: &AdvisorSettings,
) -> Scale {
    let mut bounds: Vec<Bound> = Vec::new();
    let ws = &model.workloads;
    if let Some(first) = ws.first() {
        let copies: u64 = ws.iter().filter_map(peak_copies).sum();
        bounds.push(Bound {
            kind: BoundKind::Baseline,
            hosts: 1,
            evidence: Evidence::at(
                first,
                first.at,
                format!(
                    "{} workload{} ({} at peak) can all start on one host",
                    ws.len(),
                    if ws.len() == 1 { "" } else { "s" },
                    copies_words(copies)
                ),
            ),
        });
    }
    for h in &model.host_counts {
        bounds.push(Bound {
            kind: BoundKind::HostList,
            hosts: h.hosts,
            evidence: Evidence::new(
                h.loc.file,
                h.loc.span,
                format!("{} names {} host{}", h.what, h.hosts, plural(h.hosts)),
            ),
        });
    }
    for w in ws {
        spread_bounds(w, files, &mut bounds);
    }
    node_pin_bounds(ws, &mut bounds);
    quorum_member_bounds(ws, &mut bounds);
    bounds.push(resource_bound(ws, settings));
    if catalog::get(current.id).is_some_and(|o| o.spec_family == "kubernetes") {
        let pods: u64 = ws
            .iter()
            .filter(|w| !w.kind.is_batch())
            .filter_map(peak_copies)
            .sum();
        if pods > PODS_PER_NODE
            && let Some(big) = ws
                .iter()
                .filter(|w| !w.kind.is_batch())
                .max_by_key(|w| peak_copies(w).unwrap_or(0))
        {
            bounds.push(Bound {
                kind: BoundKind::PodsPerNode,
                hosts: to_u32(pods.div_ceil(PODS_PER_NODE)),
                evidence: Evidence::at(
                    big,
                    copies_span(big),
                    format!(
                        "{pods} pods at peak, and Kubernetes runs at most {PODS_PER_NODE} per node"
                    ),
                ),
            });
        }
    }
    let peak = peak_of(ws);
    // The largest bound wins; among equals, the first that is not the baseline says
    // more about the project.
    let hosts = bounds.iter().map(|b| b.hosts).max().unwrap_or(1).max(1);
    let decided_by = bounds
        .iter()
        .position(|b| b.hosts == hosts && b.kind != BoundKind::Baseline)
        .or_else(|| bounds.iter().position(|b| b.hosts == hosts))
        .unwrap_or(0);
    Scale {
        class: ScaleClass::of_hosts(hosts),
        hosts,
        bounds,
        decided_by,
        peak,
    }
}

/// The first container of `w` that runs a replicated data store as a server.
fn replicated_store(w: &Workload) -> Option<(&Container, &'static stores::Store)> {
    if w.kind.is_batch() {
        return None;
    }
    w.containers.iter().filter(|c| !c.init).find_map(|c| {
        let store = stores::runs(w, c)
            .map(|r| r.store)
            .filter(|s| s.replicated)?;
        let env: Vec<String> = c
            .env
            .iter()
            .map(|e| {
                format!(
                    "{}={}",
                    e.name.value,
                    e.value.as_ref().map_or("", |v| v.value.as_str())
                )
            })
            .collect();
        (stores::role(store, &c.command, &env) == Role::Server).then_some((c, store))
    })
}

/// Members of one replicated store written one workload per member (three
/// ReplicationControllers `pxc-node1` to `pxc-node3` of one Galera cluster, or an
/// Elasticsearch master, data and client node): workloads of one copy each that
/// run the same store as a server. They copy each other's data as much as a
/// StatefulSet's replicas do, so they need one host each too. (Workloads of
/// several copies get their own bound in `spread_bounds`.)
fn quorum_member_bounds(ws: &[Workload], bounds: &mut Vec<Bound>) {
    let mut members: Vec<(&'static stores::Store, Vec<&Workload>)> = Vec::new();
    for w in ws.iter().filter(|w| peak_copies(w) == Some(1)) {
        let Some((_, store)) = replicated_store(w) else {
            continue;
        };
        match members.iter_mut().find(|(s, _)| std::ptr::eq(*s, store)) {
            Some((_, list)) => list.push(w),
            None => members.push((store, vec![w])),
        }
    }
    for (store, list) in members.into_iter().filter(|(_, l)| l.len() > 1) {
        let n = list.len();
        let names: Vec<String> = list.iter().map(|w| w.describe()).collect();
        bounds.push(Bound {
            kind: BoundKind::QuorumStore,
            hosts: to_u32(n as u64),
            evidence: Evidence::at(
                list[0],
                list[0].at,
                format!(
                    "{n} workloads each run one member of {} ({}), which copy each other's data and keep a quorum: one member per host, or one host lost loses every copy",
                    store.name,
                    names.join(", ")
                ),
            ),
        });
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn spread_bounds(w: &Workload, files: &[SpecFile], bounds: &mut Vec<Bound>) {
    // What the span says, quoted: a Compose value is named with its key, a
    // Kubernetes topology key as such, a Marathon constraint as written.
    let quote = |loc: Loc| {
        let s = snippet(files, loc.file, loc.span);
        if s.is_empty() {
            return String::new();
        }
        match w.format {
            Format::Compose if s.chars().all(|c| c.is_ascii_digit()) => {
                format!(" (`max_replicas_per_node: {s}`)")
            }
            Format::Kubernetes if !s.contains(':') => format!(" (topology key `{s}`)"),
            _ => format!(" (`{s}`)"),
        }
    };
    let copies = peak_copies(w);
    if let Some(n) = copies {
        let p = &w.placement;
        if let Some(span) = p.one_per_host
            && n > 1
        {
            bounds.push(Bound {
                kind: BoundKind::OnePerHost,
                hosts: to_u32(n),
                evidence: Evidence::at(
                    w,
                    span,
                    format!(
                        "{} must put {} on different hosts{}",
                        w.describe(),
                        copies_text(n),
                        quote(span)
                    ),
                ),
            });
        }
        if let Some(m) = &p.max_per_host
            && m.value > 1
        {
            let hosts = n.div_ceil(u64::from(m.value));
            if hosts > 1 {
                bounds.push(Bound {
                    kind: BoundKind::MaxPerHost,
                    hosts: to_u32(hosts),
                    evidence: Evidence::at(
                        w,
                        m.loc,
                        format!(
                            "{} runs {n} copies at most {} per host{}",
                            w.describe(),
                            m.value,
                            quote(m.loc)
                        ),
                    ),
                });
            }
        }
        let fixed_port = if w.format == Format::Compose {
            // A published Compose port is the host's only with Swarm's `mode: host`;
            // on one engine two copies cannot publish it at all.
            None
        } else {
            w.containers
                .iter()
                .filter(|c| !c.init)
                .flat_map(|c| &c.ports)
                .find(|p| p.host.is_some())
        };
        if let Some(port) = fixed_port
            && n > 1
        {
            bounds.push(Bound {
                kind: BoundKind::HostPort,
                hosts: to_u32(n),
                evidence: Evidence::at(
                    w,
                    port.loc,
                    format!(
                        "{} binds host port {} in each of its {n} copies: one copy per host",
                        w.describe(),
                        port.host.unwrap_or_default()
                    ),
                ),
            });
        }
        if n > 1
            && let Some((c, store)) = replicated_store(w)
        {
            bounds.push(Bound {
                kind: BoundKind::QuorumStore,
                hosts: to_u32(n),
                evidence: Evidence::at(
                    w,
                    copies_span(w),
                    format!(
                        "{} runs {n} members of {} (container \"{}\"), which copy each other's data and keep a quorum: one member per host, or one host lost loses every copy",
                        w.describe(),
                        store.name,
                        c.name.value
                    ),
                ),
            });
        }
        if let Some(span) = p.one_per_zone
            && n > 1
        {
            bounds.push(Bound {
                kind: BoundKind::Zones,
                hosts: to_u32(n),
                evidence: Evidence::at(
                    w,
                    span,
                    format!(
                        "{} must put {} in different zones{}",
                        w.describe(),
                        copies_text(n),
                        quote(span)
                    ),
                ),
            });
        } else if let Some(span) = p.zone_spread
            && n > 1
        {
            bounds.push(Bound {
                kind: BoundKind::Zones,
                hosts: 2,
                evidence: Evidence::at(
                    w,
                    span,
                    format!(
                        "{} spreads {} over zones{}: two zones at least",
                        w.describe(),
                        copies_text(n),
                        quote(span)
                    ),
                ),
            });
        }
    }
    if let Some(span) = w.global {
        // A DaemonSet names itself; elsewhere quote what makes it global.
        let how = if w.kind == WorkloadKind::DaemonSet {
            String::new()
        } else {
            quote(span)
        };
        bounds.push(Bound {
            kind: BoundKind::Global,
            hosts: 2,
            evidence: Evidence::at(
                w,
                span,
                format!(
                    "{} runs one copy on every node{how}, which only means something with several",
                    w.describe()
                ),
            ),
        });
    }
    for c in &w.placement.constraints {
        let t: String = c.value.chars().filter(|ch| !ch.is_whitespace()).collect();
        if t == "node.role==worker" || t == "node.role!=manager" {
            bounds.push(Bound {
                kind: BoundKind::WorkerRole,
                hosts: 2,
                evidence: Evidence::at(
                    w,
                    c.loc,
                    format!(
                        "{} runs only on worker nodes (`{}`), and a swarm needs a manager besides",
                        w.describe(),
                        c.value
                    ),
                ),
            });
        }
    }
}

/// Node pins: `(label, value)` each workload is restricted to, with the span that
/// says so. Swarm `node.hostname==x`, `node.labels.k==v`; Kubernetes `nodeSelector`;
/// Marathon `CLUSTER`/`IS` constraints.
fn pins(w: &Workload) -> Vec<(String, String, Loc)> {
    let mut out: Vec<(String, String, Loc)> = Vec::new();
    let find_span = |key: &str, value: &str| {
        w.placement
            .constraints
            .iter()
            .find(|c| c.value.contains(key) && c.value.contains(value))
            .map_or(w.at, |c| c.loc)
    };
    for (k, v) in &w.placement.node_selector {
        if v.is_empty() || v.contains('$') {
            continue;
        }
        out.push((k.clone(), v.clone(), find_span(k, v)));
    }
    if w.format == Format::Compose {
        for c in &w.placement.constraints {
            let Some((k, v)) = c.value.split_once("==") else {
                continue;
            };
            let k = k.trim();
            let v = v.trim();
            if matches!(k, "node.hostname" | "node.id") && !v.is_empty() && !v.contains('$') {
                out.push((k.to_string(), v.to_string(), c.loc));
            }
        }
    }
    out
}

/// A node label value a workload is pinned to, and where.
type Pin<'w> = (String, &'w Workload, Loc);

fn node_pin_bounds(ws: &[Workload], bounds: &mut Vec<Bound>) {
    // label -> distinct values, each with the first workload and span asking for it
    let mut by_key: Vec<(String, Vec<Pin<'_>>)> = Vec::new();
    for w in ws {
        for (k, v, span) in pins(w) {
            let slot = match by_key.iter_mut().position(|(key, _)| *key == k) {
                Some(i) => &mut by_key[i].1,
                None => {
                    by_key.push((k.clone(), Vec::new()));
                    &mut by_key.last_mut().expect("just pushed").1
                }
            };
            if !slot.iter().any(|(value, _, _)| *value == v) {
                slot.push((v, w, span));
            }
        }
    }
    for (key, values) in by_key {
        if values.len() < 2 {
            continue;
        }
        let (v2, w2, span2) = &values[1];
        let (v1, w1, _) = &values[0];
        bounds.push(Bound {
            kind: BoundKind::NodePins,
            hosts: to_u32(values.len() as u64),
            evidence: Evidence::at(
                w2,
                *span2,
                format!(
                    "{} workloads are pinned to {} different values of node label `{key}` ({} wants `{v2}`, {} wants `{v1}`): a node has one value",
                    values.len(),
                    values.len(),
                    w2.describe(),
                    w1.describe()
                ),
            ),
        });
    }
}

fn peak_of(ws: &[Workload]) -> Peak {
    let mut peak = Peak::default();
    for w in ws {
        let Some(n) = peak_copies(w) else { continue };
        let (cpu, mem, any) = per_copy(w);
        peak.copies += n;
        peak.cpu += cpu * n as f64;
        peak.memory += mem * n as f64;
        if !any && n > 0 {
            peak.unreserved.push(w.describe());
        }
    }
    peak
}

fn resource_bound(ws: &[Workload], settings: &AdvisorSettings) -> Bound {
    let peak = peak_of(ws);
    let host_cpu = settings.host_vcpu;
    let host_mem = settings.host_memory_bytes();
    let by_cpu = ceil_hosts(peak.cpu / host_cpu);
    let by_mem = ceil_hosts(peak.memory / host_mem);
    let hosts = by_cpu.max(by_mem).max(1);
    // The largest share of the host-sized total points at where it comes from.
    let share = |w: &Workload| {
        let n = peak_copies(w).unwrap_or(0) as f64;
        let (cpu, mem, _) = per_copy(w);
        (cpu * n / host_cpu).max(mem * n / host_mem)
    };
    let biggest = ws
        .iter()
        .filter(|w| peak_copies(w).is_some())
        .max_by(|a, b| share(a).total_cmp(&share(b)));
    let unreserved = if peak.unreserved.is_empty() || peak.unreserved.len() == ws.len() {
        String::new()
    } else {
        let one = peak.unreserved.len() == 1;
        format!(
            "; {} workload{} reserve{} nothing and count{} as zero",
            peak.unreserved.len(),
            if one { "" } else { "s" },
            if one { "s" } else { "" },
            if one { "s" } else { "" }
        )
    };
    // A copy larger than the reference host fits on none of them: the count above
    // assumes copies can be packed, so say so.
    let too_big: Vec<String> = ws
        .iter()
        .filter(|w| peak_copies(w).is_some_and(|n| n > 0))
        .filter(|w| {
            let (cpu, mem, _) = per_copy(w);
            cpu > host_cpu + 1e-9 || mem > host_mem + 1.0
        })
        .map(|w| w.describe())
        .collect();
    let too_big = if too_big.is_empty() {
        String::new()
    } else {
        format!(
            "; {} reserve{} more per copy than one reference host has, so no host of that size runs {}",
            too_big.join(", "),
            if too_big.len() == 1 { "s" } else { "" },
            if too_big.len() == 1 { "it" } else { "them" }
        )
    };
    let message = if peak.cpu <= 0.0 && peak.memory <= 0.0 {
        format!(
            "the specs reserve no CPU or memory for their {} at peak, so nothing keeps them from sharing one host",
            copies_words(peak.copies)
        )
    } else {
        let limiting = if by_mem > by_cpu { "memory" } else { "CPU" };
        let lead = biggest
            .filter(|w| share(w) > 0.0)
            .map(|w| {
                let n = peak_copies(w).unwrap_or(0);
                let (cpu, mem, _) = per_copy(w);
                format!(
                    "; the largest share is {} ({n} × {} vCPU, {} GiB)",
                    w.describe(),
                    number(cpu),
                    number(mem / GIB)
                )
            })
            .unwrap_or_default();
        format!(
            "at peak {} reserve{} {} vCPU and {} GiB: {hosts} host{} of {} by {limiting}{lead}{unreserved}{too_big}",
            copies_words(peak.copies),
            if peak.copies == 1 { "s" } else { "" },
            number(peak.cpu),
            number(peak.memory / GIB),
            plural(hosts),
            settings.describe()
        )
    };
    let evidence = match biggest.filter(|w| share(w) > 0.0) {
        Some(w) => {
            let n = peak_copies(w).unwrap_or(1);
            let span = if n > 1 {
                copies_span(w)
            } else {
                w.containers
                    .iter()
                    .find_map(|c| {
                        let r = &c.resources;
                        r.cpu_request
                            .as_ref()
                            .or(r.cpu_limit.as_ref())
                            .map(|v| v.loc)
                            .or(r.memory_request.as_ref().map(|v| v.loc))
                            .or(r.memory_limit.as_ref().map(|v| v.loc))
                    })
                    .unwrap_or(w.at)
            };
            Evidence::at(w, span, message)
        }
        None => match ws.first() {
            Some(w) => Evidence::at(w, w.at, message),
            None => Evidence::new(
                crate::source::FileId(0),
                crate::source::Span::default(),
                message,
            ),
        },
    };
    Bound {
        kind: BoundKind::Resources,
        hosts,
        evidence,
    }
}
