//! Statefulness: the persistent data a project owns, each piece with its span, and
//! the data stores whose data is at risk (on ephemeral storage, with no volume at
//! all, or copied into several replicas that do not share it).

use serde::Serialize;

use super::scale::peak_copies;
use super::stores::{self, Role, Store, StoreKind};
use super::{Evidence, snippet};
use crate::model::{Container, DeploymentModel, Mount, MountKind, Workload, WorkloadKind};
use crate::project::{Project, SpecFile};
use crate::source::Format;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum StateKind {
    /// A Compose named volume mounted by a service.
    NamedVolume,
    /// A PersistentVolumeClaim (mounted, or declared by the project).
    Claim,
    /// A StatefulSet's `volumeClaimTemplates` entry.
    ClaimTemplate,
    StatefulSet,
    /// A Marathon local persistent volume.
    PersistentVolume,
    /// Storage provided outside the project (external volume, volume driver, CSI).
    ExternalVolume,
    /// A directory of the host that holds data.
    HostData,
    /// An image of a known data store.
    DataStore,
    /// Marathon `residency`: a task waits for its agent instead of moving.
    Residency,
}

impl StateKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            StateKind::NamedVolume => "named-volume",
            StateKind::Claim => "claim",
            StateKind::ClaimTemplate => "claim-template",
            StateKind::StatefulSet => "stateful-set",
            StateKind::PersistentVolume => "persistent-volume",
            StateKind::ExternalVolume => "external-volume",
            StateKind::HostData => "host-data",
            StateKind::DataStore => "data-store",
            StateKind::Residency => "residency",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct StateItem {
    pub(crate) kind: StateKind,
    /// Decides statefulness on its own (a cache image without storage does not).
    pub(crate) persistent: bool,
    pub(crate) evidence: Evidence,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RiskKind {
    /// The data directory sits on storage that dies with the container or pod.
    EphemeralVolume,
    /// No volume holds the data: it lives in the container's writable layer.
    NoVolume,
    /// Several copies of a data store in a workload whose copies share one volume or
    /// none.
    Replicated,
}

impl RiskKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RiskKind::EphemeralVolume => "ephemeral-volume",
            RiskKind::NoVolume => "no-volume",
            RiskKind::Replicated => "replicated",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Risk {
    pub(crate) kind: RiskKind,
    /// The data store's name (`PostgreSQL`).
    pub(crate) store: String,
    pub(crate) evidence: Evidence,
    /// What to do instead, for the finding's help.
    pub(crate) help: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    pub(crate) stateful: bool,
    pub(crate) items: Vec<StateItem>,
    pub(crate) risks: Vec<Risk>,
}

/// Mounts that keep data beyond the container: named, persistent, external, or a
/// host data directory; never read-only mounts, configuration files or caches.
pub(crate) fn keeps_data(m: &Mount) -> bool {
    if m.read_only || stores::looks_like_config(&m.target) || stores::is_scratch_path(&m.target) {
        return false;
    }
    match m.kind {
        MountKind::Named | MountKind::Persistent | MountKind::External => true,
        MountKind::HostPath => m
            .source
            .as_deref()
            .is_none_or(|s| !stores::is_system_path(s)),
        _ => false,
    }
}

/// A mount at, above or inside one of the store's data directories.
pub(crate) fn covers(m: &Mount, store: &Store) -> bool {
    store
        .data
        .iter()
        .any(|d| stores::under(d, &m.target) || stores::under(&m.target, d))
}

/// A StatefulSet's claim template: a volume of the workload whose entry holds the
/// declaration of the claim of that name.
fn is_template(w: &Workload, name: &str, model: &DeploymentModel) -> bool {
    w.kind == WorkloadKind::StatefulSet
        && w.volumes.iter().any(|v| {
            v.name == name
                && model.volumes.iter().any(|d| {
                    d.name == name
                        && d.at.file == v.loc.file
                        && v.loc.span.start <= d.at.span.start
                        && d.at.span.end <= v.loc.span.end
                })
        })
}

fn mount_item(
    w: &Workload,
    c: &Container,
    m: &Mount,
    store: Option<&Store>,
    model: &DeploymentModel,
) -> Option<StateItem> {
    if !keeps_data(m) {
        return None;
    }
    let who = w.describe_container(c);
    let source = m.source.clone().unwrap_or_default();
    let (kind, message) = match m.kind {
        MountKind::Named if matches!(w.format, Format::Kubernetes | Format::Helm) => {
            if m.source
                .as_deref()
                .is_some_and(|src| is_template(w, src, model))
            {
                (
                    StateKind::ClaimTemplate,
                    format!(
                        "{who} keeps {} in a claim from template `{source}`, one per replica",
                        m.target
                    ),
                )
            } else {
                (
                    StateKind::Claim,
                    format!("{who} keeps {} in claim `{source}`", m.target),
                )
            }
        }
        MountKind::Named => (
            StateKind::NamedVolume,
            format!("{who} keeps {} in named volume `{source}`", m.target),
        ),
        MountKind::Persistent if source != m.target => (
            StateKind::PersistentVolume,
            format!(
                "{who} keeps {} on local persistent volume `{source}`",
                m.target
            ),
        ),
        MountKind::Persistent => (
            StateKind::PersistentVolume,
            format!("{who} keeps {} on a local persistent volume", m.target),
        ),
        MountKind::External => (
            StateKind::ExternalVolume,
            format!("{who} keeps {} on external storage `{source}`", m.target),
        ),
        MountKind::HostPath => {
            // A known store's data is where the store keeps it; for other
            // containers, the directory's name says whether it holds data.
            let data = match store.filter(|s| !s.data.is_empty()) {
                Some(s) => covers(m, s),
                None => stores::looks_like_data(&source) || stores::looks_like_data(&m.target),
            };
            if !data {
                return None;
            }
            (
                StateKind::HostData,
                format!("{who} keeps {} in host directory `{source}`", m.target),
            )
        }
        _ => return None,
    };
    Some(StateItem {
        kind,
        persistent: true,
        evidence: Evidence::at(w, m.loc, message),
    })
}

/// `swarm`: the Compose files are a Swarm stack, whose tasks Swarm replaces.
pub(crate) fn analyze(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
    swarm: bool,
) -> State {
    let config_maps = config_maps(project, files);
    let mut state = State::default();
    let mut mounted: Vec<String> = Vec::new();
    for w in &model.workloads {
        if w.kind == WorkloadKind::StatefulSet {
            state.items.push(StateItem {
                kind: StateKind::StatefulSet,
                persistent: true,
                evidence: Evidence::at(
                    w,
                    w.at,
                    format!(
                        "{} asks for stable identities and storage per replica",
                        w.describe()
                    ),
                ),
            });
        }
        for c in w.containers.iter().filter(|c| !c.init) {
            let runs = stores::runs(w, c).filter(|_| !w.kind.is_batch());
            let store = runs.map(|r| (r.store, r));
            let mut kept = false;
            let mut persistent_at: Vec<(String, usize)> = Vec::new();
            for m in &c.mounts {
                if let Some(item) = mount_item(w, c, m, store.map(|(s, _)| s), model) {
                    kept = true;
                    if let Some(src) = &m.source {
                        mounted.push(src.clone());
                    }
                    // A Marathon persistent volume mounted again through a relative
                    // host path is one volume: keep the mount that names where the
                    // data goes.
                    let same = m
                        .source
                        .as_ref()
                        .filter(|_| m.kind == MountKind::Persistent)
                        .and_then(|src| {
                            persistent_at
                                .iter()
                                .find(|(s, _)| s == src)
                                .map(|(_, i)| *i)
                        });
                    match same {
                        Some(i) => state.items[i] = item,
                        None => {
                            if m.kind == MountKind::Persistent
                                && let Some(src) = &m.source
                            {
                                persistent_at.push((src.clone(), state.items.len()));
                            }
                            state.items.push(item);
                        }
                    }
                }
            }
            let Some((store, runs)) = store else {
                continue;
            };
            // What the container runs decides its part, not the image alone.
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
            // Settings also come from the configuration files the container
            // mounts from the project's ConfigMaps (a `redis.conf`).
            let mut settings = env;
            for m in c.mounts.iter().filter(|m| m.kind == MountKind::Config) {
                let projected = w
                    .volumes
                    .iter()
                    .find(|v| Some(&v.name) == m.source.as_ref())
                    .and_then(|v| v.config_map.as_ref());
                if let Some((_, lines)) =
                    projected.and_then(|name| config_maps.iter().find(|(n, _)| n == name))
                {
                    settings.extend(lines.iter().cloned());
                }
            }
            let mut role = stores::role(store, &c.command, &settings);
            let values_path = w
                .labels
                .iter()
                .find(|(k, _)| k == super::helm::VALUES_PATH)
                .map(|(_, v)| v.as_str());
            if role == Role::Server
                && store.kind == StoreKind::Cache
                && let Some(path) = values_path.filter(|p| names_a_database(p))
            {
                role = Role::Persisted(format!("{path}: the chart's values call it a database"));
            }
            // `persisted`: a cache whose settings make it keep its data.
            let (persisted, role_words) = match &role {
                Role::NotServer(_) | Role::NoData(_) => continue,
                Role::Persisted(setting) => (
                    true,
                    format!("which keeps its data (`{setting}`): a store, not a cache"),
                ),
                Role::Server => (false, store.kind.noun().to_string()),
            };
            let cache = !persisted && store.kind == StoreKind::Cache;
            let strong = !cache || kept;
            state.items.push(StateItem {
                kind: StateKind::DataStore,
                persistent: strong,
                evidence: Evidence::at(
                    w,
                    runs.at,
                    format!(
                        "{} runs {} ({}), {role_words}",
                        w.describe_container(c),
                        store.name,
                        runs.named,
                    ),
                ),
            });
            // An entity that installs the store keeps its data where the entity
            // puts it: no mount of the spec says whether that survives.
            // So does a store a chart's values switch on: its templates, not
            // rendered, decide where its data goes.
            if runs.entity || values_path.is_some() {
                continue;
            }
            if let Some(r) = risk(w, c, store, cache, runs, swarm) {
                state.risks.push(r);
            }
        }
    }
    // Claims the project declares but no workload here mounts are still its data.
    if project.format == Format::Kubernetes {
        for d in &model.volumes {
            let templated = model
                .workloads
                .iter()
                .any(|w| is_template(w, &d.name, model));
            if mounted.contains(&d.name) || templated {
                continue;
            }
            if matches!(d.kind, MountKind::Named | MountKind::HostPath) {
                let what = snippet(files, d.at.file, d.at.span);
                state.items.push(StateItem {
                    kind: StateKind::Claim,
                    persistent: true,
                    evidence: Evidence::at_loc(
                        d.at,
                        format!("the project declares storage `{what}`"),
                    ),
                });
            }
        }
    }
    if project.format == Format::Marathon {
        residency(project, files, &mut state);
    }
    // A store whose data is at risk owns data that matters, wherever it keeps it.
    state.stateful = state.items.iter().any(|i| i.persistent) || !state.risks.is_empty();
    state
}

/// A values path that calls its block a database (`cartDatabase.inClusterRedis`,
/// `sessionStore.redis`, `db.redis`): a block whose data the chart means to keep,
/// whatever the image's usual part.
fn names_a_database(path: &str) -> bool {
    path.split('.').any(|part| {
        let p = part.to_ascii_lowercase();
        p.contains("database") || p.ends_with("store") || p.ends_with("db")
    })
}

/// The settings of each ConfigMap of a Kubernetes project, by name: every line of
/// its `data` values (a configuration file's lines, or `key=value` for a plain
/// entry).
fn config_maps(project: &Project, files: &[SpecFile]) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    if project.format != Format::Kubernetes {
        return out;
    }
    let mut add = |doc: &crate::yaml::Node| {
        if doc.get("kind").and_then(|k| k.as_str()) != Some("ConfigMap") {
            return;
        }
        let Some(name) = doc.at(&["metadata", "name"]).and_then(|n| n.as_str()) else {
            return;
        };
        let mut lines = Vec::new();
        for (k, v) in doc.get("data").and_then(|d| d.as_mapping()).unwrap_or(&[]) {
            let (Some(k), Some(v)) = (k.as_str(), v.as_str()) else {
                continue;
            };
            if v.contains('\n') {
                // Comment lines (`# appendonly yes`) set nothing.
                lines.extend(
                    v.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(str::to_string),
                );
            } else {
                lines.push(format!("{k}={v}"));
            }
        }
        out.push((name.to_string(), lines));
    };
    for id in &project.files {
        let Some(f) = files
            .get(id.0 as usize)
            .filter(|f| f.kubernetes().is_some())
        else {
            continue;
        };
        for doc in &f.docs {
            add(doc);
            for item in doc
                .get("items")
                .and_then(|i| i.as_sequence())
                .unwrap_or(&[])
            {
                add(item);
            }
        }
    }
    out
}

fn residency(project: &Project, files: &[SpecFile], state: &mut State) {
    for id in &project.files {
        let Some(m) = files.get(id.0 as usize).and_then(|f| f.marathon()) else {
            continue;
        };
        for a in &m.apps {
            if let Some(r) = &a.app.residency {
                let name = a.path.clone().unwrap_or_default();
                state.items.push(StateItem {
                    kind: StateKind::Residency,
                    persistent: true,
                    evidence: Evidence {
                        file: *id,
                        span: r.span,
                        message: format!(
                            "app \"{name}\" sets `residency`: its tasks wait for the agent that holds their data"
                        ),
                        workload: Some(name),
                    },
                });
            }
        }
    }
}

/// How the runtime a format deploys to treats a container's storage: the one place
/// that words it per format.
#[derive(Clone, Copy)]
enum Lifecycle {
    Pod,
    ComposeContainer,
    /// A plain Docker container that a deployment tool (Flocker, Clocker) starts on a
    /// host: no `docker compose` command manages it.
    HostContainer,
    SwarmTask,
    MarathonTask,
    /// A Heroku-style process (dyno): its filesystem does not outlive a restart or a deploy.
    Dyno,
}

impl Lifecycle {
    fn of(format: Format, swarm: bool) -> Lifecycle {
        match format {
            Format::Kubernetes | Format::Helm => Lifecycle::Pod,
            Format::Compose if swarm => Lifecycle::SwarmTask,
            Format::Compose => Lifecycle::ComposeContainer,
            // Flocker and Clocker start plain Docker containers on their hosts.
            Format::Flocker | Format::Brooklyn => Lifecycle::HostContainer,
            Format::Marathon => Lifecycle::MarathonTask,
            Format::Procfile => Lifecycle::Dyno,
        }
    }

    /// What to do instead.
    fn keep_it(self) -> &'static str {
        match self {
            Lifecycle::Pod => {
                "mount a PersistentVolumeClaim there (a StatefulSet with `volumeClaimTemplates`)"
            }
            Lifecycle::ComposeContainer | Lifecycle::HostContainer | Lifecycle::SwarmTask => {
                "mount a named volume there"
            }
            Lifecycle::MarathonTask => {
                "mount a persistent volume there (`persistent.size`) or an external volume"
            }
            Lifecycle::Dyno => "keep the data in an add-on (a managed database) instead",
        }
    }

    /// The scratch storage a mount gives (`source` names it where it has a name).
    fn ephemeral_storage(self, source: Option<&str>) -> String {
        match self {
            Lifecycle::Pod => format!("emptyDir `{}`", source.unwrap_or_default()),
            Lifecycle::ComposeContainer | Lifecycle::HostContainer | Lifecycle::SwarmTask => {
                "an anonymous volume".into()
            }
            Lifecycle::MarathonTask => "the task's sandbox".into(),
            Lifecycle::Dyno => "the dyno's filesystem".into(),
        }
    }

    fn ephemeral_lost(self) -> &'static str {
        match self {
            Lifecycle::Pod => "a restarted or rescheduled pod starts empty",
            Lifecycle::ComposeContainer => {
                "`docker compose down` leaves it behind and the next `up` starts empty"
            }
            Lifecycle::HostContainer => {
                "a container started anew (a redeploy, a move to another host) gets a new, empty one"
            }
            Lifecycle::SwarmTask => "a task Swarm replaces (an update, a lost node) starts empty",
            Lifecycle::MarathonTask => "a restarted task starts empty",
            Lifecycle::Dyno => "a restarted or redeployed process starts empty",
        }
    }

    /// What happens to data left in the container.
    fn layer_lost(self) -> &'static str {
        match self {
            Lifecycle::Pod => "it is lost whenever the pod restarts or moves",
            Lifecycle::ComposeContainer => {
                "it is lost when the container is removed (`docker compose down`)"
            }
            Lifecycle::HostContainer => {
                "it is lost when the container is removed (a redeploy, a move to another host)"
            }
            Lifecycle::SwarmTask => {
                "it is lost whenever Swarm replaces the task (an update, a lost node)"
            }
            Lifecycle::MarathonTask => "it is lost whenever the task restarts or moves",
            Lifecycle::Dyno => "it is lost whenever the process restarts or is redeployed",
        }
    }
}

/// The data store's data at risk, if it is: at most one risk per container, the
/// gravest first.
fn risk(
    w: &Workload,
    c: &Container,
    store: &Store,
    cache: bool,
    runs: stores::Runs<'_>,
    swarm: bool,
) -> Option<Risk> {
    let image_at = runs.at;
    // A vendor build may keep its data elsewhere than the store's usual
    // directories: a mount whose path says it holds data stands for them.
    let holds_data =
        |m: &Mount| covers(m, store) || (runs.vendor && stores::looks_like_data(&m.target));
    let who = w.describe_container(c);
    let kept: Vec<&Mount> = c.mounts.iter().filter(|m| keeps_data(m)).collect();
    let copies = peak_copies(w).unwrap_or(1);
    let shares_copies = matches!(
        w.kind,
        WorkloadKind::Deployment
            | WorkloadKind::ReplicaSet
            | WorkloadKind::ReplicationController
            | WorkloadKind::ComposeService
    );
    if !cache && shares_copies && copies > 1 {
        let span = w
            .max_replicas
            .as_ref()
            .filter(|m| m.value as u64 == copies)
            .or(w.replicas.as_ref())
            .map_or(w.at, |r| r.loc);
        let storage = if kept.is_empty() {
            "each with its own throw-away copy of the data".to_string()
        } else if w.format == Format::Kubernetes {
            "all mounting the same claim".to_string()
        } else {
            "all writing to the same volume".to_string()
        };
        let fix = if w.format == Format::Kubernetes {
            "run it as a StatefulSet with `volumeClaimTemplates` (one claim per replica, with the store's own replication), or keep one replica"
        } else {
            "keep one copy with a named volume, or use the store's own replication with one volume per copy"
        };
        return Some(Risk {
            kind: RiskKind::Replicated,
            store: store.name.clone(),
            evidence: Evidence::at(
                w,
                span,
                format!("{who} runs {copies} copies of {}, {storage}", store.name),
            ),
            help: fix.into(),
        });
    }
    if store.data.is_empty() || kept.iter().any(|m| holds_data(m)) {
        return None;
    }
    let ephemeral = c
        .mounts
        .iter()
        .find(|m| matches!(m.kind, MountKind::Ephemeral | MountKind::Tmpfs) && holds_data(m));
    let life = Lifecycle::of(w.format, swarm);
    let claim_fix = life.keep_it();
    let cache_note = if cache {
        "; if it is only a cache, losing it may be fine: then suppress this finding"
    } else {
        ""
    };
    if let Some(m) = ephemeral {
        let what = match m.kind {
            MountKind::Tmpfs => "memory (tmpfs)".to_string(),
            _ => life.ephemeral_storage(m.source.as_deref()),
        };
        let lost = life.ephemeral_lost();
        return Some(Risk {
            kind: RiskKind::EphemeralVolume,
            store: store.name.clone(),
            evidence: Evidence::at(
                w,
                m.loc,
                format!(
                    "{who} keeps {} data in {what} at {}: {lost}",
                    store.name, m.target
                ),
            ),
            help: format!("{claim_fix}{cache_note}"),
        });
    }
    if cache || !kept.is_empty() {
        // A cache without storage is meant to be one; a store with some other
        // persistent mount may have moved its data directory there.
        return None;
    }
    let lost = life.layer_lost();
    Some(Risk {
        kind: RiskKind::NoVolume,
        store: store.name.clone(),
        evidence: Evidence::at(
            w,
            image_at,
            format!(
                "{who} runs {} with no volume for {}: {lost}",
                store.name,
                store
                    .data
                    .first()
                    .filter(|_| !runs.vendor)
                    .map_or("its data", String::as_str)
            ),
        ),
        help: claim_fix.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::names_a_database;

    #[test]
    fn values_paths_that_call_a_block_a_database() {
        assert!(names_a_database("cartDatabase.inClusterRedis"));
        assert!(names_a_database("sessionStore.redis"));
        assert!(names_a_database("db.redis"));
        assert!(!names_a_database("redis"));
        assert!(!names_a_database("cache.inClusterRedis"));
    }
}
