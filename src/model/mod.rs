//! The normalized deployment model every spec format lowers into.
//!
//! Rules that mean the same thing in every format (an image without a tag, a
//! privileged container, a secret in the environment, ...) read only this model;
//! the advisor reads it to infer scale and statefulness. Every field that a finding
//! may point at keeps its location: the file it was read from and the span in it
//! (a merged Compose service takes fields from several files).

pub(crate) mod hardening;
pub(crate) mod lower;
pub(crate) mod quantity;
pub(crate) mod secret_name;

use serde::Serialize;

pub(crate) use crate::formats::helm::HintKind;
pub(crate) use crate::source::Evidence;
use crate::source::{FileId, Format, Loc, Located};
pub(crate) use hardening::{Hardening, Profile, Sysctl, WorkloadHardening};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum WorkloadKind {
    ComposeService,
    Pod,
    Deployment,
    ReplicaSet,
    ReplicationController,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    MarathonApp,
    MarathonPod,
    /// A Flocker application (from an application config or its Fig variant).
    FlockerApplication,
    /// An entity of a Brooklyn blueprint (a `docker:<image>` container, a software
    /// process, a cluster).
    BrooklynEntity,
    /// A process type of a `Procfile` (`web`, `worker`, ...).
    ProcessType,
}

impl WorkloadKind {
    /// Words for messages ("service", "Deployment", "app").
    pub(crate) fn noun(self) -> &'static str {
        match self {
            WorkloadKind::ComposeService => "service",
            WorkloadKind::Pod => "Pod",
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::ReplicationController => "ReplicationController",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
            WorkloadKind::MarathonApp => "app",
            WorkloadKind::MarathonPod => "pod",
            WorkloadKind::FlockerApplication => "application",
            WorkloadKind::BrooklynEntity => "entity",
            WorkloadKind::ProcessType => "process type",
        }
    }

    /// Workloads that run to completion rather than serve.
    pub(crate) fn is_batch(self) -> bool {
        matches!(self, WorkloadKind::Job | WorkloadKind::CronJob)
    }
}

/// All workloads, volumes and services of one project.
#[derive(Clone, Debug, Default)]
pub struct DeploymentModel {
    pub workloads: Vec<Workload>,
    pub volumes: Vec<VolumeDecl>,
    pub services: Vec<ServiceDecl>,
    /// The platform the specs are written for, when the format alone does not say
    /// (a Compose file meant for `docker stack deploy` runs on Swarm; a Brooklyn
    /// blueprint on a Docker cloud is a Clocker app), with the evidence. `None`:
    /// the format's own (`Format::default_orchestrator`).
    pub platform: Option<Platform>,
    /// Numbers of hosts the specs state outright (the nodes of a Flocker deployment
    /// config, a Clocker host cluster's size, a Brooklyn BYON host list): each a
    /// lower bound on the hosts the project needs, for the advisor.
    pub host_counts: Vec<HostCount>,
    /// Data the app keeps in services the platform runs for it (Heroku add-ons such
    /// as `heroku-postgresql`): state, but not state the app's containers own.
    pub backing_services: Vec<BackingService>,
    /// Defaults from values files (Helm `values.yaml`): replica counts, persistence,
    /// resource requests. The templates that use them are not rendered, so these are
    /// hints, not workloads.
    pub value_hints: Vec<ValueHint>,
}

impl DeploymentModel {
    /// The id of the orchestrator the project runs on today: the platform's when the
    /// specs name one, else the format's (`compose`, `kubernetes`, ...).
    pub fn orchestrator(&self, format: Format) -> &'static str {
        self.platform
            .as_ref()
            .map_or(format.default_orchestrator(), |p| p.id)
    }
}

/// The platform a project's specs are written for, and why orchlint thinks so.
#[derive(Clone, Debug)]
pub struct Platform {
    /// Lowercase orchestrator id: `swarm` (a stack for `docker stack deploy`),
    /// `swarm-classic` (Compose files run against a standalone Swarm manager),
    /// `clocker`, `brooklyn`, `flocker`, `heroku`, `dokku`, or `paas` for a
    /// Heroku-style app whose specs do not say which platform runs it.
    pub id: &'static str,
    /// Platforms the same specs fit equally well, when the specs cannot tell them
    /// apart (a Procfile runs on Heroku, Flynn, Deis or Dokku alike); empty when
    /// `id` is certain.
    pub candidates: Vec<&'static str>,
    /// What decided it, each with its place.
    pub evidence: Vec<Evidence>,
}

/// A number of hosts a spec names or lists.
#[derive(Clone, Debug)]
pub struct HostCount {
    /// The list or number that states it.
    pub loc: Loc,
    pub hosts: u32,
    /// What the count is (`nodes of the Flocker deployment config`,
    /// `docker.host.cluster.initial.size`).
    pub what: String,
}

/// A data service the platform provides and the app attaches to.
#[derive(Clone, Debug)]
pub struct BackingService {
    pub loc: Loc,
    /// As written: `heroku-postgresql:essential-0`, `heroku-redis`.
    pub name: String,
    /// The data store it is, when the name says (`postgresql`, `redis`, `mysql`,
    /// `mongodb`, ...).
    pub store: Option<&'static str>,
}

/// A default a values file gives.
#[derive(Clone, Debug)]
pub struct ValueHint {
    /// The value.
    pub loc: Loc,
    /// Dotted path of the key (`frontend.replicaCount`, `persistence.enabled`).
    pub path: String,
    pub kind: HintKind,
    /// The value as written.
    pub value: String,
}

/// Anything that runs containers: a Compose service, a Pod template, a Marathon app.
#[derive(Clone, Debug)]
pub struct Workload {
    pub(crate) format: Format,
    pub(crate) kind: WorkloadKind,
    pub(crate) name: String,
    /// Where the workload is named: the service key, `metadata.name`, the app `id`.
    /// Findings about something missing from the workload point here; its file is
    /// the workload's own (see `file`).
    pub at: Loc,
    /// Desired copies (`deploy.replicas`/`scale`, `spec.replicas`, `instances`).
    pub replicas: Option<Located<u32>>,
    /// One copy per node (`deploy.mode: global`, DaemonSet).
    pub global: Option<Loc>,
    /// Most copies an autoscaler may run (HPA `maxReplicas`).
    pub max_replicas: Option<Located<u32>>,
    pub containers: Vec<Container>,
    pub(crate) host_network: Option<Loc>,
    pub(crate) host_pid: Option<Loc>,
    /// The entry that shares the host's IPC namespace (Kubernetes `hostIPC: true`,
    /// Compose `ipc: host`, Marathon docker parameter `ipc=host`).
    pub(crate) host_ipc: Option<Loc>,
    pub(crate) volumes: Vec<Volume>,
    /// Other workloads this one needs (`depends_on`, `links`, Marathon `dependencies`).
    pub depends_on: Vec<Located<String>>,
    pub restart: Option<Located<String>>,
    pub placement: Placement,
    pub labels: Vec<(String, String)>,
    /// Host namespaces and kernel parameters of the whole workload.
    pub(crate) hardening: WorkloadHardening,
}

impl Workload {
    pub(crate) fn new(format: Format, kind: WorkloadKind, name: String, at: Loc) -> Self {
        Workload {
            format,
            kind,
            name,
            at,
            replicas: None,
            global: None,
            max_replicas: None,
            containers: Vec::new(),
            host_network: None,
            host_pid: None,
            host_ipc: None,
            volumes: Vec::new(),
            depends_on: Vec::new(),
            restart: None,
            placement: Placement::default(),
            labels: Vec::new(),
            hardening: WorkloadHardening::default(),
        }
    }

    /// The file the workload comes from: where it is named. Its other fields may lie
    /// in other files (a Compose service completed by an override file, `extends.file`
    /// or an included file); each carries its own `Loc`.
    pub(crate) fn file(&self) -> FileId {
        self.at.file
    }

    /// How the workload is named in messages: `service "web"`, `Deployment "api"`.
    pub fn describe(&self) -> String {
        format!("{} \"{}\"", self.kind.noun(), self.name)
    }

    /// How one of its containers is named in messages: the workload itself when it
    /// is a single container (a Compose service, a Marathon app, a Flocker application,
    /// a Brooklyn entity, a process type), else
    /// `container "c" of Deployment "api"`.
    pub(crate) fn describe_container(&self, c: &Container) -> String {
        match self.kind {
            WorkloadKind::ComposeService
            | WorkloadKind::MarathonApp
            | WorkloadKind::FlockerApplication
            | WorkloadKind::BrooklynEntity
            | WorkloadKind::ProcessType => self.describe(),
            _ => format!("container \"{}\" of {}", c.name.value, self.describe()),
        }
    }

    pub(crate) fn replica_count(&self) -> u32 {
        self.replicas.as_ref().map_or(1, |r| r.value)
    }
}

/// Where copies may run.
#[derive(Clone, Debug, Default)]
pub struct Placement {
    /// Raw constraints as written (`node.role==manager`, `hostname:UNIQUE`, ...).
    pub constraints: Vec<Located<String>>,
    /// Copies must sit on different hosts (required pod anti-affinity on the hostname,
    /// Marathon `hostname:UNIQUE`, topology spread with `DoNotSchedule` on the hostname).
    pub(crate) one_per_host: Option<Loc>,
    /// At most this many copies per host (`max_replicas_per_node`, `hostname:MAX_PER:n`).
    pub max_per_host: Option<Located<u32>>,
    /// Copies spread over zones (`topology.kubernetes.io/zone` spread or affinity).
    pub(crate) zone_spread: Option<Loc>,
    /// Copies must sit in different zones (required pod anti-affinity on the zone,
    /// Marathon `zone:UNIQUE`), so each in its own host too.
    pub(crate) one_per_zone: Option<Loc>,
    pub(crate) node_selector: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Container {
    pub(crate) name: Located<String>,
    /// The image reference after interpolation.
    pub image: Option<Located<String>>,
    /// The image is built from source by the spec itself (Compose `build`).
    pub build: Option<Loc>,
    /// What the container runs instead of the image's default, word by word: the
    /// entrypoint (Kubernetes `command`, Compose `entrypoint`) then its arguments
    /// (Kubernetes `args`, Compose `command`, Marathon `args`); a Marathon `cmd`,
    /// which runs in a shell, is `sh -c CMD`. Empty: the image's own.
    pub(crate) command: Vec<String>,
    /// Where the command (or its first part) is written.
    pub(crate) command_at: Option<Loc>,
    /// The entrypoint override alone (Compose `entrypoint`, Kubernetes `command`),
    /// when the spec sets one: what a migration writes as the new entrypoint.
    pub(crate) entrypoint: Option<Vec<String>>,
    /// The arguments alone (Compose `command`, Kubernetes `args`), when set; a
    /// Compose shell string is split as a shell would (quotes kept together).
    pub(crate) args: Option<Vec<String>>,
    /// The `privileged: true` entry.
    pub(crate) privileged: Option<Loc>,
    /// Explicit user id or name (`user:`, `runAsUser`), when given.
    pub(crate) user: Option<Located<String>>,
    /// Linux capabilities added to the default set, as written (`SYS_ADMIN`,
    /// `CAP_NET_ADMIN`, `ALL`), each with the span of its item: Compose `cap_add`,
    /// Kubernetes `securityContext.capabilities.add`, Marathon docker parameter
    /// `cap-add`.
    pub cap_add: Vec<Located<String>>,
    pub env: Vec<EnvVar>,
    /// Variables that ONE list of the spec defines twice (a Kubernetes `env` list with
    /// a repeated `name`, a Compose `environment` list with `KEY=` twice), so that the
    /// later definition silently replaces the earlier. A variable an override file or
    /// `extends` redefines is an override, not a redefinition, and is not recorded;
    /// formats whose environment is a mapping record none (a repeated key there is a
    /// `syntax/duplicate-key` finding).
    pub env_redefined: Vec<EnvRedefinition>,
    pub ports: Vec<Port>,
    pub resources: Resources,
    /// Liveness probes, Compose healthchecks, Marathon health checks.
    pub liveness: Option<Probe>,
    pub readiness: Option<Probe>,
    pub mounts: Vec<Mount>,
    /// Runs to completion before the others start (Kubernetes `initContainers`); such
    /// containers serve no traffic, so probe rules skip them.
    pub(crate) init: bool,
    /// Capabilities dropped, privilege escalation, read-only root, seccomp, AppArmor.
    pub(crate) hardening: Hardening,
}

impl Container {
    pub(crate) fn new(name: Located<String>) -> Self {
        Container {
            name,
            image: None,
            build: None,
            command: Vec::new(),
            command_at: None,
            entrypoint: None,
            args: None,
            privileged: None,
            user: None,
            cap_add: Vec::new(),
            env: Vec::new(),
            env_redefined: Vec::new(),
            ports: Vec::new(),
            resources: Resources::default(),
            liveness: None,
            readiness: None,
            mounts: Vec::new(),
            init: false,
            hardening: Hardening::default(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct EnvVar {
    pub name: Located<String>,
    /// A literal value written in the spec (not a reference to a secret or a field).
    pub(crate) value: Option<Located<String>>,
}

/// A variable defined again later in the same list (see `Container::env_redefined`).
#[derive(Clone, Debug)]
pub struct EnvRedefinition {
    /// The later definition's name, which wins.
    pub(crate) name: Located<String>,
    /// The earlier definition's name, which is lost.
    pub(crate) first: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    pub container: Option<u32>,
    /// A fixed port on the host (`"8080:80"`, `hostPort`, Marathon `hostPort` != 0).
    pub host: Option<u32>,
    pub(crate) protocol: String,
    pub(crate) name: Option<String>,
    pub(crate) loc: Loc,
}

/// CPU in cores, memory in bytes.
#[derive(Clone, Debug, Default)]
pub struct Resources {
    pub(crate) cpu_limit: Option<Located<f64>>,
    pub memory_limit: Option<Located<u64>>,
    pub(crate) cpu_request: Option<Located<f64>>,
    pub(crate) memory_request: Option<Located<u64>>,
    /// A memory limit is written but its value is unknown here (`${MEMORY}`, a
    /// template): a limit is set, of a size decided at deploy time.
    pub(crate) memory_limit_unresolved: bool,
    /// The same for a CPU limit or request.
    pub(crate) cpu_unresolved: bool,
}

#[derive(Clone, Debug)]
pub struct Probe {
    pub(crate) loc: Loc,
    /// The port the probe targets, as written (a number or a port name).
    pub(crate) port: Option<Located<PortRef>>,
    /// `disable: true` / `test: ["NONE"]`.
    pub(crate) disabled: bool,
    /// The command the probe runs, word by word (Compose `test`, with `CMD-SHELL`
    /// as `sh -c TEXT`; Kubernetes `exec.command`); empty for other probes.
    pub(crate) exec: Vec<String>,
    /// The HTTP path a probe requests (Kubernetes `httpGet.path`, Marathon `path`).
    pub(crate) http_path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PortRef {
    Number(u32),
    Name(String),
    /// Marathon `portIndex`.
    Index(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MountKind {
    /// A named volume the project declares (Compose named volume, PVC, claim template).
    Named,
    /// A directory of the host (`./data:/data`, `hostPath`, Marathon host volume).
    HostPath,
    /// An anonymous or scratch volume (`/data` alone, `emptyDir`).
    Ephemeral,
    /// In-memory (`tmpfs`, `emptyDir.medium: Memory`).
    Tmpfs,
    /// Configuration or secrets projected into the container.
    Config,
    /// Marathon persistent (local) volume.
    Persistent,
    /// Storage provided outside the project (external volume, volume driver).
    External,
}

#[derive(Clone, Debug)]
pub struct Mount {
    pub kind: MountKind,
    /// The volume name or host path, when there is one.
    pub source: Option<String>,
    pub target: String,
    pub(crate) read_only: bool,
    pub(crate) loc: Loc,
}

/// A volume of a workload's own (Pod `volumes`, Compose service mount sources).
#[allow(
    dead_code,
    reason = "the lowering tests read it; no rule or advisor reads it yet"
)]
#[derive(Clone, Debug)]
pub(crate) struct Volume {
    pub(crate) name: String,
    pub(crate) kind: MountKind,
    pub(crate) host_path: Option<String>,
    /// The ConfigMap a Kubernetes `configMap` volume projects (the advisor reads a
    /// data store's settings there).
    pub(crate) config_map: Option<String>,
    pub(crate) loc: Loc,
}

/// A volume or claim declared at project level.
#[derive(Clone, Debug)]
pub struct VolumeDecl {
    pub name: String,
    pub kind: MountKind,
    /// Requested size in bytes, when known.
    pub size: Option<u64>,
    pub driver: Option<String>,
    pub(crate) at: Loc,
}

/// A stable network endpoint: a Kubernetes Service (with its selector).
#[derive(Clone, Debug)]
pub struct ServiceDecl {
    pub(crate) name: String,
    pub(crate) selector: Vec<(String, String)>,
    pub(crate) selector_loc: Option<Loc>,
    pub(crate) ports: Vec<Port>,
    pub(crate) at: Loc,
}

/// A container's mounts as `(kind, source, target, read-only)` rows, for tests that
/// compare them whole.
#[cfg(test)]
pub(crate) fn mount_rows(mounts: &[Mount]) -> Vec<(MountKind, Option<&str>, &str, bool)> {
    mounts
        .iter()
        .map(|m| {
            (
                m.kind.clone(),
                m.source.as_deref(),
                m.target.as_str(),
                m.read_only,
            )
        })
        .collect()
}
