//! Marathon's API types as data, and a walk of an app or pod over them: keys the
//! type does not have, values outside an enum or a numeric range, and keys the
//! type requires.
//!
//! Source: the RAML 1.0 types of Marathon's REST API
//! (`docs/docs/rest-api/public/api/v2/types/` in the Marathon repository: `app.raml`,
//! `appContainer.raml`, `healthCheck.raml`, `readinessCheck.raml`, `network.raml`,
//! `volumes.raml`, `constraint.raml`, `unreachableStrategy.raml`, `artifact.raml`,
//! `pod.raml`, `podContainer.raml`/`mesosContainer.raml`, `resources.raml`,
//! `endpoint.raml`) and, for files of the 0.x/1.0 era, the JSON schema they replaced
//! (`api/v2/schema/AppDefinition.json`). Key lists are the union over versions, so
//! that a file written for any release reads clean; enums and ranges are the ones
//! every release shares. The value types themselves are checked by the typed
//! model's reader (`model.rs`), not here.

use crate::source::Span;
use crate::yaml::de::UnknownKey;
use crate::yaml::{Node, Resolved};

/// What a value must be.
#[derive(Clone, Copy)]
pub(crate) enum Ty {
    /// An object of this type.
    Obj(&'static Obj),
    /// A sequence whose items are this type.
    List(&'static Ty),
    /// A mapping of free names to values of this type (`secrets`).
    Map(&'static Ty),
    /// A string, one of these. Case is not compared: Marathon's readers take
    /// `docker` for `DOCKER` and `http` for `HTTP` (its own system-test pods are
    /// written so), so only a value that is none of these in any case is refused.
    Enum(&'static [&'static str]),
    /// A number within `min..=max`.
    Range(f64, f64),
    /// A port number the typed model reads as unsigned (a negative one is its
    /// wrong type): only the upper bound, 65535, is checked here.
    TypedPort,
    /// Either the string `disabled` or an object of this type (`unreachableStrategy`).
    DisabledOr(&'static Obj),
    /// An app constraint: `[field, OPERATOR]` or `[field, OPERATOR, value]`.
    AppConstraint,
}

/// An object type: every key it has, the checked ones with their type, and the
/// keys without which Marathon refuses it.
pub(crate) struct Obj {
    pub(crate) name: &'static str,
    pub(crate) keys: &'static [&'static str],
    pub(crate) types: &'static [(&'static str, Ty)],
    pub(crate) required: &'static [&'static str],
}

/// What a walk found.
#[derive(Debug)]
pub(crate) enum Finding {
    Unknown(UnknownKey),
    Invalid(Span, String),
    Missing(Span, String),
}

const PORT: Ty = Ty::Range(0.0, 65535.0);
const TYPED_PORT: Ty = Ty::TypedPort;
const NON_NEGATIVE: Ty = Ty::Range(0.0, f64::MAX);
const FRACTION: Ty = Ty::Range(0.0, 1.0);

/// `constraint.raml`: the operators of app and pod constraints.
pub(crate) const CONSTRAINT_OPERATORS: &[&str] = &[
    "UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER", "IS",
];
/// `healthCheck.raml`, `AppHealthCheckProtocol`.
const HEALTH_PROTOCOLS: &[&str] = &[
    "HTTP",
    "HTTPS",
    "TCP",
    "COMMAND",
    "MESOS_HTTP",
    "MESOS_HTTPS",
    "MESOS_TCP",
];
/// `stringTypes.raml`, `NetworkProtocol` (port mappings and port definitions).
const PORT_PROTOCOLS: &[&str] = &["tcp", "udp", "udp,tcp"];
/// `killSelection.raml`.
const KILL_SELECTIONS: &[&str] = &["YOUNGEST_FIRST", "OLDEST_FIRST"];
/// `network.raml`, `NetworkMode`.
const NETWORK_MODES: &[&str] = &["container", "container/bridge", "host"];

static UPGRADE: Obj = Obj {
    name: "UpgradeStrategy",
    // Ranges are checked on the typed model (`rules::schema::marathon`).
    keys: &["minimumHealthCapacity", "maximumOverCapacity"],
    types: &[],
    required: &[],
};

static UNREACHABLE: Obj = Obj {
    name: "UnreachableStrategy",
    keys: &["inactiveAfterSeconds", "expungeAfterSeconds"],
    types: &[
        ("inactiveAfterSeconds", NON_NEGATIVE),
        ("expungeAfterSeconds", NON_NEGATIVE),
    ],
    required: &[],
};

static NETWORK: Obj = Obj {
    name: "Network",
    keys: &["name", "mode", "labels"],
    types: &[("mode", Ty::Enum(NETWORK_MODES))],
    required: &[],
};

/// `secrets.raml`: `{"secrets": {"db-password": {"source": "/db/password"}}}`.
static SECRET: Obj = Obj {
    name: "SecretDef",
    keys: &["source"],
    types: &[],
    required: &["source"],
};

static ARTIFACT: Obj = Obj {
    name: "Artifact",
    keys: &["uri", "executable", "extract", "cache", "destPath"],
    types: &[],
    required: &["uri"],
};

// ---------------------------------------------------------------------------
// Apps
// ---------------------------------------------------------------------------

/// The keys of an app in Marathon's API, every version from 0.x to 1.10: what
/// `POST /v2/apps` takes (`AppDefinition`, deprecated keys included) and what
/// `GET /v2/apps` adds (task counts, tasks, deployments, failures), so that exports
/// read clean.
pub(crate) static APP: Obj = Obj {
    name: "App",
    keys: &[
        "id",
        "cmd",
        "args",
        "user",
        "env",
        "instances",
        "cpus",
        "mem",
        "disk",
        "gpus",
        "executor",
        "executorResources",
        "constraints",
        "uris",
        "fetch",
        "storeUrls",
        "ports",
        "portDefinitions",
        "requirePorts",
        "backoffSeconds",
        "backoffFactor",
        "maxLaunchDelaySeconds",
        "container",
        "healthChecks",
        "readinessChecks",
        "check",
        "dependencies",
        "upgradeStrategy",
        "labels",
        "acceptedResourceRoles",
        "ipAddress",
        "networks",
        "residency",
        "secrets",
        "taskKillGracePeriodSeconds",
        "unreachableStrategy",
        "killSelection",
        "role",
        "tty",
        "resourceLimits",
        "version",
        "versionInfo",
        "tasksStaged",
        "tasksRunning",
        "tasksHealthy",
        "tasksUnhealthy",
        "deployments",
        "tasks",
        "lastTaskFailure",
        "taskStats",
        "readinessCheckResults",
    ],
    // `instances` is read as a count by the typed model: a negative one is a wrong type.
    types: &[
        ("cpus", NON_NEGATIVE),
        ("mem", NON_NEGATIVE),
        ("disk", NON_NEGATIVE),
        ("gpus", NON_NEGATIVE),
        ("backoffSeconds", NON_NEGATIVE),
        ("backoffFactor", Ty::Range(1.0, f64::MAX)),
        ("maxLaunchDelaySeconds", NON_NEGATIVE),
        ("taskKillGracePeriodSeconds", NON_NEGATIVE),
        ("constraints", Ty::List(&Ty::AppConstraint)),
        ("container", Ty::Obj(&CONTAINER)),
        ("healthChecks", Ty::List(&Ty::Obj(&APP_HEALTH_CHECK))),
        ("readinessChecks", Ty::List(&Ty::Obj(&READINESS_CHECK))),
        ("upgradeStrategy", Ty::Obj(&UPGRADE)),
        ("unreachableStrategy", Ty::DisabledOr(&UNREACHABLE)),
        ("residency", Ty::Obj(&RESIDENCY)),
        ("portDefinitions", Ty::List(&Ty::Obj(&PORT_DEFINITION))),
        ("ports", Ty::List(&TYPED_PORT)),
        ("ipAddress", Ty::Obj(&IP_ADDRESS)),
        ("networks", Ty::List(&Ty::Obj(&NETWORK))),
        ("fetch", Ty::List(&Ty::Obj(&ARTIFACT))),
        ("killSelection", Ty::Enum(KILL_SELECTIONS)),
        ("secrets", Ty::Map(&Ty::Obj(&SECRET))),
    ],
    required: &["id"],
};

/// The keys of a group in Marathon's API (`GroupUpdate` and `GroupInfo`).
pub(crate) const GROUP_KEYS: &[&str] = &[
    "id",
    "apps",
    "pods",
    "groups",
    "dependencies",
    "version",
    "scaleBy",
    "enforceRole",
];

static CONTAINER: Obj = Obj {
    name: "Container",
    keys: &[
        "type",
        "docker",
        "appc",
        "volumes",
        "portMappings",
        "linuxInfo",
    ],
    types: &[
        ("type", Ty::Enum(&["DOCKER", "MESOS"])),
        ("docker", Ty::Obj(&DOCKER)),
        ("volumes", Ty::List(&Ty::Obj(&APP_VOLUME))),
        ("portMappings", Ty::List(&Ty::Obj(&PORT_MAPPING))),
    ],
    required: &[],
};

static DOCKER: Obj = Obj {
    name: "DockerContainer",
    keys: &[
        "image",
        "network",
        "portMappings",
        "privileged",
        "parameters",
        "forcePullImage",
        "credential",
        "pullConfig",
    ],
    // `network` is checked on the typed model (`rules::schema::marathon`).
    types: &[
        ("portMappings", Ty::List(&Ty::Obj(&PORT_MAPPING))),
        ("parameters", Ty::List(&Ty::Obj(&DOCKER_PARAMETER))),
    ],
    required: &["image"],
};

static DOCKER_PARAMETER: Obj = Obj {
    name: "DockerParameter",
    keys: &["key", "value"],
    types: &[],
    required: &["key", "value"],
};

static PORT_MAPPING: Obj = Obj {
    name: "ContainerPortMapping",
    keys: &[
        "containerPort",
        "hostPort",
        "servicePort",
        "protocol",
        "name",
        "labels",
        "networkNames",
    ],
    types: &[
        ("containerPort", TYPED_PORT),
        ("hostPort", TYPED_PORT),
        ("servicePort", TYPED_PORT),
        ("protocol", Ty::Enum(PORT_PROTOCOLS)),
    ],
    required: &[],
};

static PORT_DEFINITION: Obj = Obj {
    name: "PortDefinition",
    keys: &["port", "protocol", "name", "labels"],
    types: &[("port", TYPED_PORT), ("protocol", Ty::Enum(PORT_PROTOCOLS))],
    required: &[],
};

static APP_VOLUME: Obj = Obj {
    name: "AppVolume",
    keys: &[
        "containerPath",
        "hostPath",
        "mode",
        "persistent",
        "external",
        "secret",
    ],
    types: &[
        ("mode", Ty::Enum(&["RO", "RW"])),
        ("persistent", Ty::Obj(&PERSISTENT)),
        ("external", Ty::Obj(&EXTERNAL)),
    ],
    required: &["containerPath"],
};

static PERSISTENT: Obj = Obj {
    name: "PersistentVolumeInfo",
    keys: &["type", "size", "maxSize", "profileName", "constraints"],
    types: &[
        ("type", Ty::Enum(&["root", "path", "mount"])),
        ("size", NON_NEGATIVE),
        ("maxSize", NON_NEGATIVE),
        ("constraints", Ty::List(&Ty::AppConstraint)),
    ],
    required: &["size"],
};

static EXTERNAL: Obj = Obj {
    name: "ExternalVolumeInfo",
    keys: &["name", "provider", "size", "options", "shared"],
    types: &[("size", NON_NEGATIVE)],
    required: &[],
};

static APP_HEALTH_CHECK: Obj = Obj {
    name: "AppHealthCheck",
    keys: &[
        "protocol",
        "path",
        "port",
        "portIndex",
        "command",
        "gracePeriodSeconds",
        "intervalSeconds",
        "timeoutSeconds",
        "maxConsecutiveFailures",
        "delaySeconds",
        "ignoreHttp1xx",
        "ipProtocol",
    ],
    types: &[
        ("protocol", Ty::Enum(HEALTH_PROTOCOLS)),
        ("ipProtocol", Ty::Enum(&["IPv4", "IPv6"])),
        ("port", TYPED_PORT),
        ("command", Ty::Obj(&COMMAND_CHECK)),
        ("gracePeriodSeconds", NON_NEGATIVE),
        ("intervalSeconds", NON_NEGATIVE),
        ("timeoutSeconds", NON_NEGATIVE),
        ("maxConsecutiveFailures", NON_NEGATIVE),
        ("delaySeconds", NON_NEGATIVE),
    ],
    required: &[],
};

static COMMAND_CHECK: Obj = Obj {
    name: "CommandCheck",
    keys: &["value"],
    types: &[],
    required: &[],
};

static READINESS_CHECK: Obj = Obj {
    name: "ReadinessCheck",
    keys: &[
        "name",
        "protocol",
        "path",
        "portName",
        "intervalSeconds",
        "timeoutSeconds",
        "httpStatusCodesForReady",
        "preserveLastResponse",
    ],
    types: &[
        ("protocol", Ty::Enum(&["HTTP", "HTTPS"])),
        ("intervalSeconds", NON_NEGATIVE),
        ("timeoutSeconds", NON_NEGATIVE),
    ],
    required: &[],
};

static RESIDENCY: Obj = Obj {
    name: "AppResidency",
    keys: &["relaunchEscalationTimeoutSeconds", "taskLostBehavior"],
    types: &[
        ("relaunchEscalationTimeoutSeconds", NON_NEGATIVE),
        (
            "taskLostBehavior",
            Ty::Enum(&["WAIT_FOREVER", "RELAUNCH_AFTER_TIMEOUT"]),
        ),
    ],
    required: &[],
};

static IP_ADDRESS: Obj = Obj {
    name: "IpAddress",
    keys: &["groups", "labels", "discovery", "networkName"],
    types: &[("discovery", Ty::Obj(&DISCOVERY))],
    required: &[],
};

static DISCOVERY: Obj = Obj {
    name: "Discovery",
    keys: &["ports"],
    types: &[("ports", Ty::List(&Ty::Obj(&DISCOVERY_PORT)))],
    required: &[],
};

static DISCOVERY_PORT: Obj = Obj {
    name: "IpDiscoveryPort",
    keys: &["number", "name", "protocol", "labels"],
    types: &[("number", PORT), ("protocol", Ty::Enum(&["tcp", "udp"]))],
    required: &[],
};

// ---------------------------------------------------------------------------
// Pods
// ---------------------------------------------------------------------------

/// A pod (`POST /v2/pods`), keys of Marathon 1.4 to 1.10.
pub(crate) static POD: Obj = Obj {
    name: "Pod",
    keys: &[
        "id",
        "labels",
        "version",
        "user",
        "environment",
        "secrets",
        "containers",
        "volumes",
        "networks",
        "scaling",
        "scheduling",
        "executorResources",
        "role",
        "linuxInfo",
        "legacySharedCgroups",
    ],
    types: &[
        ("containers", Ty::List(&Ty::Obj(&POD_CONTAINER))),
        ("volumes", Ty::List(&Ty::Obj(&POD_VOLUME))),
        ("networks", Ty::List(&Ty::Obj(&NETWORK))),
        ("scaling", Ty::Obj(&POD_SCALING)),
        ("scheduling", Ty::Obj(&POD_SCHEDULING)),
        ("secrets", Ty::Map(&Ty::Obj(&SECRET))),
    ],
    required: &["id", "containers"],
};

static POD_SCALING: Obj = Obj {
    name: "PodScalingPolicy",
    // `fixed` is the 1.4 form (`{"fixed": {"instances": 2}}`); the counts are read as
    // such by the typed model.
    keys: &["kind", "instances", "maxInstances", "fixed"],
    types: &[("kind", Ty::Enum(&["fixed"]))],
    required: &[],
};

static POD_SCHEDULING: Obj = Obj {
    name: "PodSchedulingPolicy",
    // `backoffStrategy` and `upgradeStrategy` are the 1.4 names.
    keys: &[
        "backoff",
        "backoffStrategy",
        "upgrade",
        "upgradeStrategy",
        "placement",
        "killSelection",
        "unreachableStrategy",
    ],
    types: &[
        ("backoff", Ty::Obj(&POD_BACKOFF)),
        ("backoffStrategy", Ty::Obj(&POD_BACKOFF)),
        ("upgrade", Ty::Obj(&UPGRADE)),
        ("upgradeStrategy", Ty::Obj(&UPGRADE_RANGED)),
        ("placement", Ty::Obj(&POD_PLACEMENT)),
        ("killSelection", Ty::Enum(KILL_SELECTIONS)),
        ("unreachableStrategy", Ty::DisabledOr(&UNREACHABLE)),
    ],
    required: &[],
};

/// The 1.4 name of a pod's upgrade strategy, which the typed model does not read:
/// its capacities are checked here.
static UPGRADE_RANGED: Obj = Obj {
    name: "PodUpgradeStrategy",
    keys: &["minimumHealthCapacity", "maximumOverCapacity"],
    types: &[
        ("minimumHealthCapacity", FRACTION),
        ("maximumOverCapacity", FRACTION),
    ],
    required: &[],
};

static POD_BACKOFF: Obj = Obj {
    name: "PodSchedulingBackoffStrategy",
    keys: &["backoff", "backoffFactor", "maxLaunchDelay"],
    types: &[
        ("backoff", NON_NEGATIVE),
        ("backoffFactor", NON_NEGATIVE),
        ("maxLaunchDelay", NON_NEGATIVE),
    ],
    required: &[],
};

static POD_PLACEMENT: Obj = Obj {
    name: "PodPlacementPolicy",
    keys: &["constraints", "acceptedResourceRoles"],
    types: &[("constraints", Ty::List(&Ty::Obj(&POD_CONSTRAINT)))],
    required: &[],
};

static POD_CONSTRAINT: Obj = Obj {
    name: "Constraint",
    keys: &["fieldName", "operator", "value"],
    types: &[("operator", Ty::Enum(CONSTRAINT_OPERATORS))],
    required: &["fieldName", "operator"],
};

static POD_VOLUME: Obj = Obj {
    name: "PodVolume",
    keys: &["name", "host", "persistent", "secret", "external"],
    types: &[("persistent", Ty::Obj(&PERSISTENT))],
    required: &["name"],
};

static POD_CONTAINER: Obj = Obj {
    name: "PodContainer",
    keys: &[
        "name",
        "exec",
        "resources",
        "resourceLimits",
        "endpoints",
        "image",
        "environment",
        "user",
        "healthCheck",
        "check",
        "volumeMounts",
        "artifacts",
        "labels",
        "lifecycle",
        "tty",
        "linuxInfo",
    ],
    types: &[
        ("exec", Ty::Obj(&POD_EXEC)),
        ("resources", Ty::Obj(&RESOURCES)),
        ("endpoints", Ty::List(&Ty::Obj(&ENDPOINT))),
        ("image", Ty::Obj(&IMAGE)),
        ("healthCheck", Ty::Obj(&POD_HEALTH_CHECK)),
        ("volumeMounts", Ty::List(&Ty::Obj(&VOLUME_MOUNT))),
        ("artifacts", Ty::List(&Ty::Obj(&ARTIFACT))),
        ("lifecycle", Ty::Obj(&LIFECYCLE)),
    ],
    required: &["name", "resources"],
};

static POD_EXEC: Obj = Obj {
    name: "MesosExec",
    keys: &["command", "overrideEntrypoint"],
    types: &[],
    required: &["command"],
};

static RESOURCES: Obj = Obj {
    name: "Resources",
    keys: &["cpus", "mem", "disk", "gpus"],
    types: &[
        ("cpus", NON_NEGATIVE),
        ("mem", NON_NEGATIVE),
        ("disk", NON_NEGATIVE),
        ("gpus", NON_NEGATIVE),
    ],
    required: &[],
};

static ENDPOINT: Obj = Obj {
    name: "Endpoint",
    keys: &[
        "name",
        "containerPort",
        "hostPort",
        "protocol",
        "labels",
        "networkNames",
    ],
    // `protocol` is free-form here: any name, advertised in Mesos' DiscoveryInfo.
    types: &[("containerPort", TYPED_PORT), ("hostPort", TYPED_PORT)],
    required: &["name"],
};

static IMAGE: Obj = Obj {
    name: "Image",
    keys: &["kind", "id", "forcePull", "labels", "pullConfig"],
    types: &[("kind", Ty::Enum(&["DOCKER", "APPC"]))],
    required: &["id"],
};

static POD_HEALTH_CHECK: Obj = Obj {
    name: "HealthCheck",
    keys: &[
        "http",
        "tcp",
        "exec",
        "gracePeriodSeconds",
        "intervalSeconds",
        "maxConsecutiveFailures",
        "timeoutSeconds",
        "delaySeconds",
    ],
    types: &[
        ("http", Ty::Obj(&HTTP_HEALTH_CHECK)),
        ("tcp", Ty::Obj(&TCP_HEALTH_CHECK)),
        ("gracePeriodSeconds", NON_NEGATIVE),
        ("intervalSeconds", NON_NEGATIVE),
        ("maxConsecutiveFailures", NON_NEGATIVE),
        ("timeoutSeconds", NON_NEGATIVE),
        ("delaySeconds", NON_NEGATIVE),
    ],
    required: &[],
};

static HTTP_HEALTH_CHECK: Obj = Obj {
    name: "HttpHealthCheck",
    keys: &["endpoint", "path", "scheme"],
    types: &[("scheme", Ty::Enum(&["HTTP", "HTTPS"]))],
    required: &["endpoint"],
};

static TCP_HEALTH_CHECK: Obj = Obj {
    name: "TcpHealthCheck",
    keys: &["endpoint"],
    types: &[],
    required: &["endpoint"],
};

static VOLUME_MOUNT: Obj = Obj {
    name: "VolumeMount",
    keys: &["name", "mountPath", "readOnly"],
    types: &[],
    required: &["name", "mountPath"],
};

static LIFECYCLE: Obj = Obj {
    name: "Lifecycle",
    keys: &["killGracePeriodSeconds"],
    types: &[("killGracePeriodSeconds", NON_NEGATIVE)],
    required: &[],
};

// ---------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------

/// Checks `node` against `obj`; `path` is the key path of `node` (empty for an app
/// or pod itself). Values of another shape than the type's are left to the typed
/// model's reader, as are templated values (`{{ }}`, `${ }`).
pub(crate) fn check(node: &Node, obj: &'static Obj, path: &str, out: &mut Vec<Finding>) {
    let Some(entries) = node.as_mapping() else {
        return;
    };
    for (k, v) in entries {
        let Some(key) = k.as_str() else { continue };
        let here = join(path, key);
        if !obj.keys.contains(&key) {
            out.push(Finding::Unknown(UnknownKey {
                key: key.to_string(),
                span: k.span,
                path: here,
                owner: obj.name,
                fields: obj.keys,
            }));
            continue;
        }
        if let Some((_, ty)) = obj.types.iter().find(|(name, _)| *name == key) {
            value(v, ty, &here, out);
        }
    }
    for key in obj.required {
        let present = entries
            .iter()
            .any(|(k, v)| k.as_str() == Some(*key) && !v.is_null());
        if !present {
            let what = if path.is_empty() {
                format!("required key `{key}` is missing")
            } else {
                format!("{path}: required key `{key}` is missing")
            };
            out.push(Finding::Missing(node.span, what));
        }
    }
}

fn value(v: &Node, ty: &Ty, path: &str, out: &mut Vec<Finding>) {
    match ty {
        Ty::Obj(obj) => check(v, obj, path, out),
        Ty::List(item) => {
            for (i, n) in v.as_sequence().unwrap_or_default().iter().enumerate() {
                value(n, item, &format!("{path}[{i}]"), out);
            }
        }
        Ty::Map(value_ty) => {
            for (k, n) in v.as_mapping().unwrap_or_default() {
                if let Some(name) = k.as_str() {
                    value(n, value_ty, &format!("{path}.{name}"), out);
                }
            }
        }
        Ty::Enum(allowed) => {
            if let Some(s) = string(v)
                && !allowed.iter().any(|a| a.eq_ignore_ascii_case(s))
            {
                out.push(Finding::Invalid(
                    v.span,
                    format!("{path}: {}", not_one_of(s, allowed)),
                ));
            }
        }
        Ty::Range(min, max) => {
            let n = match v.scalar().map(|s| s.resolve()) {
                Some(Resolved::Int(i)) => i as f64,
                Some(Resolved::Float(f)) => f,
                _ => return,
            };
            if n < *min || n > *max {
                let range = if *max == f64::MAX {
                    format!("at least {min}")
                } else {
                    format!("between {min} and {max}")
                };
                out.push(Finding::Invalid(
                    v.span,
                    format!("{path}: {n} is out of range: Marathon takes a number {range}"),
                ));
            }
        }
        Ty::TypedPort => {
            if let Some(Resolved::Int(n)) = v.scalar().map(|s| s.resolve())
                && n > 65535
            {
                out.push(Finding::Invalid(
                    v.span,
                    format!("{path}: {n} is out of range: Marathon takes a port number between 0 and 65535"),
                ));
            }
        }
        Ty::DisabledOr(obj) => match string(v) {
            Some("disabled") => {}
            Some(s) => out.push(Finding::Invalid(
                v.span,
                format!(
                    "{path}: `{s}` is neither `disabled` nor an object with `inactiveAfterSeconds` and `expungeAfterSeconds`"
                ),
            )),
            None => check(v, obj, path, out),
        },
        Ty::AppConstraint => constraint(v, path, out),
    }
}

/// An app constraint: two or three strings, the second an operator Marathon knows
/// (the strings `field:OPERATOR:value` of old command-line tools are left alone).
fn constraint(v: &Node, path: &str, out: &mut Vec<Finding>) {
    let Some(items) = v.as_sequence() else { return };
    if !(2..=3).contains(&items.len()) {
        out.push(Finding::Invalid(
            v.span,
            format!(
                "{path}: a constraint has 2 or 3 fields (`[field, OPERATOR]` or `[field, OPERATOR, value]`), this one has {}",
                items.len()
            ),
        ));
        return;
    }
    let Some(op) = string(&items[1]) else { return };
    if !CONSTRAINT_OPERATORS
        .iter()
        .any(|known| known.eq_ignore_ascii_case(op))
    {
        out.push(Finding::Invalid(
            items[1].span,
            format!("{path}[1]: {}", not_one_of(op, CONSTRAINT_OPERATORS)),
        ));
    }
}

/// The text of a string scalar that no template engine is meant to fill in.
fn string(v: &Node) -> Option<&str> {
    match v.scalar()?.resolve() {
        Resolved::Str(s) if !["{{", "${", "%{", "<%"].iter().any(|t| s.contains(t)) => Some(s),
        _ => None,
    }
}

fn not_one_of(s: &str, allowed: &[&str]) -> String {
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut message = format!("`{s}` is not one of {list}");
    if let Some(near) = crate::source::closest(s, allowed.iter().copied()) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    message
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}
