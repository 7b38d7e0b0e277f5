//! The keys and enumerated values of the Compose Specification, object by object,
//! as data (from compose-spec's `schema/compose-spec.json`), and the walk that
//! checks a file's tree against them: `schema/unknown-key` for a key an object
//! does not have, `schema/invalid-value` for a value outside an enum.
//!
//! Each `Object` is one object of the schema: its keys, each with the shape of its
//! value, and whether it takes `x-` extension keys (`patternProperties: {"^x-":
//! {}}`). A value of another shape than the table expects (a string where an object
//! may also be written) is not looked into: its type is the reader's concern.
//!
//! The legacy formats: every key of file formats 2.x and 3.x is a key of the
//! Compose Specification, except the service keys `correctness/removed-compose-key`
//! reports (`volume_driver`, which 2.x had, and the format 1 keys `net`,
//! `log_driver`, `log_opt`, `dockerfile`): they are known here. Format 1 (Fig)
//! files, whose top-level keys are services, are checked against format 1's own
//! service keys (`SERVICE_V1`).

use super::forms;
use super::interp::{Env, interpolate};
use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin::{INVALID_VALUE, UNKNOWN_KEY, WRONG_TYPE};
use crate::formats::util::found;
use crate::source::{FileId, closest};
use crate::yaml::{Node, Value};

/// One object of the schema.
pub(crate) struct Object {
    /// How messages name it (`deploy.resources`).
    pub(crate) name: &'static str,
    pub(crate) keys: &'static [(&'static str, Shape)],
    /// Whether `x-` keys are allowed.
    pub(crate) extensions: bool,
}

/// What a key's value is checked as.
#[derive(Clone, Copy)]
pub(crate) enum Shape {
    /// Not looked into: scalars, lists of strings, free mappings (`labels`,
    /// `driver_opts`, `environment`).
    Any,
    /// A mapping with these keys.
    Object(&'static Object),
    /// A mapping of free names (services, networks, ...) to objects.
    Named(&'static Object),
    /// A sequence whose mapping items are objects (strings are the short syntax).
    Items(&'static Object),
    /// A scalar from an enum.
    Enum(&'static Enum),
    /// A sequence whose scalar items are checked with the enum (mapping items are
    /// the long syntax, checked as the object): short-syntax volumes.
    ItemsOr(&'static Object, &'static Enum),
    /// A sequence of strings whose items are checked with the enum; the mapping
    /// form is not looked into (`extra_hosts`).
    Strings(&'static Enum),
    /// A sequence; a scalar in its place is a value of the wrong type
    /// (`networks.NAME.aliases`).
    List,
}

/// An enumerated value: what it accepts and how a message says it.
pub(crate) struct Enum {
    pub(crate) accepts: fn(&str) -> bool,
    /// The accepted values, for the message (`` `tcp` or `udp` ``).
    pub(crate) expected: &'static str,
    /// The words a "did you mean" may suggest.
    pub(crate) words: &'static [&'static str],
    /// A suggestion of its own for values with parts (`network_mode`), instead of
    /// the closest of `words`.
    pub(crate) suggest: Option<fn(&str) -> Option<String>>,
}

use Shape::{Any, Enum as E, Items, ItemsOr, List, Named, Object as O, Strings};

macro_rules! object {
    ($id:ident, $name:literal, ext: $ext:literal, [$($key:literal => $shape:expr),* $(,)?]) => {
        pub(crate) static $id: Object = Object {
            name: $name,
            keys: &[$(($key, $shape)),*],
            extensions: $ext,
        };
    };
}

object!(TOP_LEVEL, "the file", ext: true, [
    "version" => Any,
    "name" => Any,
    "include" => Items(&INCLUDE),
    "services" => Named(&SERVICE),
    "models" => Named(&MODEL),
    "networks" => Named(&NETWORK),
    "volumes" => Named(&VOLUME),
    "secrets" => Named(&SECRET),
    "configs" => Named(&CONFIG),
]);

object!(INCLUDE, "include", ext: false, [
    "path" => Any,
    "env_file" => Any,
    "project_directory" => Any,
]);

object!(SERVICE, "a service", ext: true, [
    "develop" => O(&DEVELOP),
    "deploy" => O(&DEPLOY),
    "annotations" => Any,
    "attach" => Any,
    "build" => O(&BUILD),
    "blkio_config" => O(&BLKIO_CONFIG),
    "cap_add" => Any,
    "cap_drop" => Any,
    "cgroup" => E(&CGROUP),
    "cgroup_parent" => Any,
    "command" => Any,
    "configs" => Items(&SERVICE_CONFIG_OR_SECRET),
    "container_name" => E(&CONTAINER_NAME),
    "cpu_count" => Any,
    "cpu_percent" => Any,
    "cpu_shares" => Any,
    "cpu_quota" => Any,
    "cpu_period" => Any,
    "cpu_rt_period" => Any,
    "cpu_rt_runtime" => Any,
    "cpus" => Any,
    "cpuset" => Any,
    "credential_spec" => O(&CREDENTIAL_SPEC),
    "depends_on" => Named(&DEPENDS_ON),
    "device_cgroup_rules" => Any,
    "devices" => Items(&DEVICE),
    "dns" => Any,
    "dns_opt" => Any,
    "dns_search" => Any,
    "domainname" => Any,
    "entrypoint" => Any,
    "env_file" => Items(&ENV_FILE),
    "label_file" => Any,
    "environment" => Any,
    "expose" => Any,
    "extends" => O(&EXTENDS),
    "provider" => O(&PROVIDER),
    "external_links" => Any,
    "extra_hosts" => Strings(&EXTRA_HOST),
    // The schema puts `additionalProperties` beside `items` here, so the items of
    // a `gpus` list take any key.
    "gpus" => Any,
    "group_add" => Any,
    "healthcheck" => O(&HEALTHCHECK),
    "hostname" => Any,
    "image" => E(&IMAGE),
    "init" => Any,
    "ipc" => Any,
    "isolation" => Any,
    "labels" => Any,
    "links" => Any,
    "logging" => O(&LOGGING),
    "mac_address" => Any,
    "mem_limit" => E(&BYTES),
    "mem_reservation" => E(&BYTES),
    "mem_swappiness" => Any,
    "memswap_limit" => E(&BYTES),
    "network_mode" => E(&NETWORK_MODE),
    "models" => Named(&SERVICE_MODEL),
    "networks" => Named(&SERVICE_NETWORK),
    "oom_kill_disable" => Any,
    "oom_score_adj" => Any,
    "pid" => Any,
    "pids_limit" => Any,
    "platform" => Any,
    "ports" => Items(&PORT),
    "post_start" => Items(&SERVICE_HOOK),
    "pre_stop" => Items(&SERVICE_HOOK),
    "privileged" => Any,
    "profiles" => Any,
    "pull_policy" => E(&PULL_POLICY),
    "pull_refresh_after" => Any,
    "read_only" => Any,
    "restart" => E(&RESTART),
    "runtime" => Any,
    "scale" => Any,
    "security_opt" => Any,
    "shm_size" => E(&BYTES),
    "secrets" => Items(&SERVICE_CONFIG_OR_SECRET),
    "sysctls" => Any,
    "stdin_open" => Any,
    "stop_grace_period" => E(&DURATION),
    "stop_signal" => Any,
    "storage_opt" => Any,
    "tmpfs" => Any,
    "tty" => Any,
    "ulimits" => Named(&ULIMIT),
    "use_api_socket" => Any,
    "user" => Any,
    "uts" => Any,
    "userns_mode" => Any,
    "volumes" => ItemsOr(&SERVICE_VOLUME, &VOLUME_SHORT),
    "volumes_from" => Any,
    "working_dir" => Any,
    // Keys of older formats that `correctness/removed-compose-key` reports.
    "net" => Any,
    "log_driver" => Any,
    "log_opt" => Any,
    "dockerfile" => Any,
    "volume_driver" => Any,
]);

object!(BUILD, "build", ext: true, [
    "context" => Any,
    "dockerfile" => Any,
    "dockerfile_inline" => Any,
    "entitlements" => Any,
    "args" => Any,
    "ssh" => Any,
    "labels" => Any,
    "cache_from" => Any,
    "cache_to" => Any,
    "no_cache" => Any,
    "additional_contexts" => Any,
    "network" => Any,
    "pull" => Any,
    "target" => Any,
    "shm_size" => E(&BYTES),
    "extra_hosts" => Strings(&EXTRA_HOST),
    "isolation" => Any,
    "privileged" => Any,
    "secrets" => Items(&SERVICE_CONFIG_OR_SECRET),
    "tags" => Any,
    "ulimits" => Named(&ULIMIT),
    "platforms" => Any,
]);

object!(BLKIO_CONFIG, "blkio_config", ext: false, [
    "device_read_bps" => Items(&BLKIO_LIMIT),
    "device_read_iops" => Items(&BLKIO_LIMIT),
    "device_write_bps" => Items(&BLKIO_LIMIT),
    "device_write_iops" => Items(&BLKIO_LIMIT),
    "weight" => Any,
    "weight_device" => Items(&BLKIO_WEIGHT),
]);

object!(BLKIO_LIMIT, "a blkio_config limit", ext: false, [
    "path" => Any,
    "rate" => Any,
]);

object!(BLKIO_WEIGHT, "blkio_config.weight_device", ext: false, [
    "path" => Any,
    "weight" => Any,
]);

object!(CREDENTIAL_SPEC, "credential_spec", ext: true, [
    "config" => Any,
    "file" => Any,
    "registry" => Any,
]);

object!(DEPENDS_ON, "a depends_on entry", ext: true, [
    "restart" => Any,
    "required" => Any,
    "condition" => E(&DEPENDS_ON_CONDITION),
]);

object!(DEVICE, "a devices entry", ext: true, [
    "source" => Any,
    "target" => Any,
    "permissions" => Any,
]);

object!(ENV_FILE, "an env_file entry", ext: false, [
    "path" => Any,
    "format" => Any,
    "required" => Any,
]);

object!(EXTENDS, "extends", ext: false, [
    "service" => Any,
    "file" => Any,
]);

object!(PROVIDER, "provider", ext: true, [
    "type" => Any,
    "options" => Any,
]);

object!(HEALTHCHECK, "healthcheck", ext: true, [
    "disable" => Any,
    "interval" => E(&DURATION),
    "retries" => Any,
    "test" => Any,
    "timeout" => E(&DURATION),
    "start_period" => E(&DURATION),
    "start_interval" => E(&DURATION),
]);

object!(LOGGING, "logging", ext: true, [
    "driver" => Any,
    "options" => Any,
]);

object!(SERVICE_MODEL, "a service's models entry", ext: true, [
    "endpoint_var" => Any,
]);

object!(SERVICE_NETWORK, "a service's networks entry", ext: true, [
    "aliases" => List,
    "interface_name" => Any,
    "ipv4_address" => Any,
    "ipv6_address" => Any,
    "link_local_ips" => Any,
    "mac_address" => Any,
    "driver_opts" => Any,
    "priority" => Any,
    "gw_priority" => Any,
]);

object!(PORT, "a ports entry", ext: true, [
    "name" => Any,
    "mode" => Any,
    "host_ip" => Any,
    "target" => Any,
    "published" => Any,
    "protocol" => E(&PROTOCOL),
    "app_protocol" => Any,
]);

object!(SERVICE_HOOK, "a hook", ext: true, [
    "command" => Any,
    "user" => Any,
    "privileged" => Any,
    "working_dir" => Any,
    "environment" => Any,
]);

object!(SERVICE_CONFIG_OR_SECRET, "a secrets or configs entry", ext: true, [
    "source" => Any,
    "target" => Any,
    "uid" => Any,
    "gid" => Any,
    "mode" => Any,
]);

object!(ULIMIT, "a ulimit", ext: true, [
    "hard" => Any,
    "soft" => Any,
]);

object!(SERVICE_VOLUME, "a volumes entry", ext: true, [
    "type" => E(&VOLUME_TYPE),
    "source" => Any,
    "target" => Any,
    "read_only" => Any,
    "consistency" => Any,
    "bind" => O(&VOLUME_BIND),
    "volume" => O(&VOLUME_VOLUME),
    "tmpfs" => O(&VOLUME_TMPFS),
    "image" => O(&VOLUME_IMAGE),
]);

object!(VOLUME_BIND, "a volume's bind", ext: true, [
    "propagation" => Any,
    "create_host_path" => Any,
    "recursive" => E(&BIND_RECURSIVE),
    "selinux" => E(&BIND_SELINUX),
]);

object!(VOLUME_VOLUME, "a volume's volume", ext: true, [
    "labels" => Any,
    "nocopy" => Any,
    "subpath" => Any,
]);

object!(VOLUME_TMPFS, "a volume's tmpfs", ext: true, [
    "size" => E(&BYTES),
    "mode" => Any,
]);

object!(VOLUME_IMAGE, "a volume's image", ext: true, [
    "subpath" => Any,
]);

object!(DEVELOP, "develop", ext: true, [
    "watch" => Items(&WATCH),
]);

object!(WATCH, "a develop.watch entry", ext: true, [
    "ignore" => Any,
    "include" => Any,
    "path" => Any,
    "action" => E(&WATCH_ACTION),
    "target" => Any,
    "exec" => O(&SERVICE_HOOK),
]);

object!(DEPLOY, "deploy", ext: true, [
    "mode" => E(&DEPLOY_MODE),
    "endpoint_mode" => Any,
    "replicas" => Any,
    "labels" => Any,
    "rollback_config" => O(&ROLLBACK_CONFIG),
    "update_config" => O(&UPDATE_CONFIG),
    "resources" => O(&RESOURCES),
    "restart_policy" => O(&RESTART_POLICY),
    "placement" => O(&PLACEMENT),
]);

object!(ROLLBACK_CONFIG, "deploy.rollback_config", ext: true, [
    "parallelism" => Any,
    "delay" => E(&DURATION),
    "failure_action" => Any,
    "monitor" => E(&DURATION),
    "max_failure_ratio" => Any,
    "order" => E(&UPDATE_ORDER),
]);

object!(UPDATE_CONFIG, "deploy.update_config", ext: true, [
    "parallelism" => Any,
    "delay" => E(&DURATION),
    "failure_action" => Any,
    "monitor" => E(&DURATION),
    "max_failure_ratio" => Any,
    "order" => E(&UPDATE_ORDER),
]);

object!(RESOURCES, "deploy.resources", ext: true, [
    "limits" => O(&LIMITS),
    "reservations" => O(&RESERVATIONS),
]);

object!(LIMITS, "deploy.resources.limits", ext: true, [
    "cpus" => Any,
    "memory" => E(&BYTES),
    "pids" => Any,
]);

object!(RESERVATIONS, "deploy.resources.reservations", ext: true, [
    "cpus" => Any,
    "memory" => E(&BYTES),
    "generic_resources" => Items(&GENERIC_RESOURCE),
    "devices" => Items(&DEVICE_REQUEST),
]);

object!(GENERIC_RESOURCE, "a generic_resources entry", ext: true, [
    "discrete_resource_spec" => O(&DISCRETE_RESOURCE_SPEC),
]);

object!(DISCRETE_RESOURCE_SPEC, "discrete_resource_spec", ext: true, [
    "kind" => Any,
    "value" => Any,
]);

object!(DEVICE_REQUEST, "a deploy.resources.reservations.devices entry", ext: true, [
    "capabilities" => Any,
    "count" => Any,
    "device_ids" => Any,
    "driver" => Any,
    "options" => Any,
]);

object!(RESTART_POLICY, "deploy.restart_policy", ext: true, [
    "condition" => E(&RESTART_POLICY_CONDITION),
    "delay" => E(&DURATION),
    "max_attempts" => Any,
    "window" => E(&DURATION),
]);

object!(PLACEMENT, "deploy.placement", ext: true, [
    "constraints" => Any,
    "preferences" => Items(&PLACEMENT_PREFERENCE),
    "max_replicas_per_node" => Any,
]);

object!(PLACEMENT_PREFERENCE, "a placement preference", ext: true, [
    "spread" => Any,
]);

object!(NETWORK, "a network", ext: true, [
    "name" => Any,
    "driver" => Any,
    "driver_opts" => Any,
    "ipam" => O(&IPAM),
    "external" => O(&EXTERNAL),
    "internal" => Any,
    "enable_ipv4" => Any,
    "enable_ipv6" => Any,
    "attachable" => Any,
    "labels" => Any,
]);

object!(IPAM, "ipam", ext: true, [
    "driver" => Any,
    "config" => Items(&IPAM_CONFIG),
    "options" => Any,
]);

object!(IPAM_CONFIG, "an ipam.config entry", ext: true, [
    "subnet" => Any,
    "ip_range" => Any,
    "gateway" => Any,
    "aux_addresses" => Any,
]);

object!(EXTERNAL, "external", ext: true, [
    "name" => Any,
]);

object!(VOLUME, "a volume", ext: true, [
    "name" => Any,
    "driver" => Any,
    "driver_opts" => Any,
    "external" => O(&EXTERNAL),
    "labels" => Any,
]);

// `external` of a secret or config takes any key in the schema.
object!(SECRET, "a secret", ext: true, [
    "name" => Any,
    "environment" => Any,
    "file" => Any,
    "external" => Any,
    "labels" => Any,
    "driver" => Any,
    "driver_opts" => Any,
    "template_driver" => Any,
]);

object!(CONFIG, "a config", ext: true, [
    "name" => Any,
    "content" => Any,
    "environment" => Any,
    "file" => Any,
    "external" => Any,
    "labels" => Any,
    "template_driver" => Any,
]);

object!(MODEL, "a model", ext: true, [
    "name" => Any,
    "model" => Any,
    "context_size" => Any,
    "runtime_flags" => Any,
]);

// Compose file format 1 (Fig): every top-level key is a service, whose keys are
// those of docker/compose 1.x's `config_schema_v1.json`, without `x-` keys.
object!(SERVICE_V1, "a service", ext: false, [
    "auto_up" => Any,
    "build" => Any,
    "cap_add" => Any,
    "cap_drop" => Any,
    "cgroup_parent" => Any,
    "command" => Any,
    "container_name" => E(&CONTAINER_NAME),
    "cpu_shares" => Any,
    "cpu_quota" => Any,
    "cpuset" => Any,
    "devices" => Any,
    "dns" => Any,
    "dns_search" => Any,
    "dockerfile" => Any,
    "domainname" => Any,
    "entrypoint" => Any,
    "env_file" => Any,
    "environment" => Any,
    "expose" => Any,
    "extends" => O(&EXTENDS),
    "extra_hosts" => Strings(&EXTRA_HOST),
    "external_links" => Any,
    "hostname" => Any,
    "image" => E(&IMAGE),
    "ipc" => Any,
    "labels" => Any,
    "links" => Any,
    "log_driver" => Any,
    "log_opt" => Any,
    "mac_address" => Any,
    "mem_limit" => E(&BYTES),
    "memswap_limit" => E(&BYTES),
    "mem_swappiness" => Any,
    "net" => Any,
    "pid" => Any,
    "ports" => Any,
    "privileged" => Any,
    "read_only" => Any,
    "restart" => E(&RESTART),
    "security_opt" => Any,
    "shm_size" => E(&BYTES),
    "stdin_open" => Any,
    "stop_signal" => Any,
    "tty" => Any,
    "ulimits" => Named(&ULIMIT_V1),
    "user" => Any,
    "volumes" => Any,
    "volume_driver" => Any,
    "volumes_from" => Any,
    "working_dir" => Any,
]);

object!(ULIMIT_V1, "a ulimit", ext: false, [
    "hard" => Any,
    "soft" => Any,
]);

/// `image`: a reference Docker can pull (`forms::is_image_reference`).
pub(crate) static IMAGE: Enum = Enum {
    accepts: forms::is_image_reference,
    expected: "an image reference Docker reads, `[registry[:port]/]name[:tag][@digest]` with a lowercase name and at most one tag (Docker answers `invalid reference format`)",
    words: &[],
    suggest: None,
};

/// `container_name`: what the Docker Engine takes as a container's name.
pub(crate) static CONTAINER_NAME: Enum = Enum {
    accepts: forms::is_container_name,
    expected: "a container name the Docker Engine takes: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`",
    words: &[],
    suggest: None,
};

/// A short-syntax volume's mode (`SOURCE:TARGET:MODE`).
pub(crate) static VOLUME_SHORT: Enum = Enum {
    accepts: forms::is_volume_short,
    expected: "`SOURCE:TARGET[:MODE]` with a mode the Docker Engine knows: comma-separated `ro` or `rw`, `z` or `Z`, one of `shared`, `slave`, `private`, `rshared`, `rslave`, `rprivate`, `nocopy`, and one of `consistent`, `cached`, `delegated`",
    words: &[],
    suggest: Some(|spec| {
        let mode = forms::volume_mode(spec)?;
        let near = closest(&mode, forms::MODE_WORDS.iter().copied())?;
        Some(format!("{}{near}", &spec[..spec.len() - mode.len()]))
    }),
};

/// An `extra_hosts` entry.
pub(crate) static EXTRA_HOST: Enum = Enum {
    accepts: forms::is_extra_host,
    expected: "`HOST:ADDRESS` or `HOST=ADDRESS` (Docker answers `bad format for add-host`)",
    words: &[],
    suggest: None,
};

fn one_of(words: &[&str], s: &str) -> bool {
    words.contains(&s)
}

const RESTART_WORDS: &[&str] = &["no", "always", "on-failure", "unless-stopped"];

/// `restart`: what Docker's restart policies accept (`""` is `no`).
pub(crate) static RESTART: Enum = Enum {
    accepts: |s| {
        s.is_empty()
            || one_of(RESTART_WORDS, s)
            || s.strip_prefix("on-failure:")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    },
    expected: "`no`, `always`, `on-failure[:N]` or `unless-stopped`",
    words: RESTART_WORDS,
    suggest: None,
};

/// `deploy.restart_policy.condition`: the Specification's three; `no`, `always`
/// and `unless-stopped` are accepted too, as `docker compose` maps them onto the
/// container's restart policy.
pub(crate) static RESTART_POLICY_CONDITION: Enum = Enum {
    accepts: |s| {
        one_of(
            &[
                "none",
                "on-failure",
                "any",
                "no",
                "always",
                "unless-stopped",
            ],
            s,
        )
    },
    expected: "`none`, `on-failure` or `any`",
    words: &["none", "on-failure", "any"],
    suggest: None,
};

const DEPENDS_ON_WORDS: &[&str] = &[
    "service_started",
    "service_healthy",
    "service_completed_successfully",
];

pub(crate) static DEPENDS_ON_CONDITION: Enum = Enum {
    accepts: |s| one_of(DEPENDS_ON_WORDS, s),
    expected: "`service_started`, `service_healthy` or `service_completed_successfully`",
    words: DEPENDS_ON_WORDS,
    suggest: None,
};

const PULL_POLICY_WORDS: &[&str] = &[
    "always",
    "never",
    "missing",
    "build",
    "if_not_present",
    "refresh",
    "daily",
    "weekly",
];

/// `pull_policy`, with `every_<duration>` (`every_12h`, `every_1w2d`).
pub(crate) static PULL_POLICY: Enum = Enum {
    accepts: |s| {
        s.is_empty()
            || one_of(PULL_POLICY_WORDS, s)
            || s.strip_prefix("every_").is_some_and(is_refresh_interval)
    },
    expected: "`always`, `never`, `missing`, `build`, `if_not_present`, `refresh`, `daily`, `weekly` or `every_<duration>` (such as `every_12h`)",
    words: PULL_POLICY_WORDS,
    suggest: None,
};

/// `([0-9]+[wdhms])+`.
fn is_refresh_interval(s: &str) -> bool {
    let mut digits = 0;
    for b in s.bytes() {
        match b {
            b'0'..=b'9' => digits += 1,
            b'w' | b'd' | b'h' | b'm' | b's' if digits > 0 => digits = 0,
            _ => return false,
        }
    }
    !s.is_empty() && digits == 0
}

/// The port protocols Docker publishes (`sctp` as well, which the Specification
/// does not name but the engine takes).
pub(crate) static PROTOCOL: Enum = Enum {
    accepts: |s| matches!(s.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp"),
    expected: "`tcp` or `udp`",
    words: &["tcp", "udp"],
    suggest: None,
};

const DEPLOY_MODE_WORDS: &[&str] = &["replicated", "global", "replicated-job", "global-job"];

pub(crate) static DEPLOY_MODE: Enum = Enum {
    accepts: |s| one_of(DEPLOY_MODE_WORDS, s),
    expected: "`replicated`, `global`, `replicated-job` or `global-job`",
    words: DEPLOY_MODE_WORDS,
    suggest: None,
};

/// `network_mode`: `bridge`, `host`, `none`, `service:NAME`, `container:NAME`, or
/// the name of a network (which Docker takes as a mode too). Only a value with a
/// colon says which form it means; a plain word may name a network made outside
/// the file.
pub(crate) static NETWORK_MODE: Enum = Enum {
    accepts: |s| match s.split_once(':') {
        Some((kind, name)) => matches!(kind, "service" | "container") && !name.is_empty(),
        None => true,
    },
    expected: "`bridge`, `host`, `none`, `service:NAME`, `container:NAME` or a network's name",
    words: &["service", "container"],
    suggest: Some(|s| {
        let (kind, name) = s.split_once(':')?;
        let kind = closest(kind, ["service", "container"])?;
        (!name.is_empty()).then(|| format!("{kind}:{name}"))
    }),
};

const VOLUME_TYPE_WORDS: &[&str] = &["bind", "volume", "tmpfs", "cluster", "npipe", "image"];

pub(crate) static VOLUME_TYPE: Enum = Enum {
    accepts: |s| one_of(VOLUME_TYPE_WORDS, s),
    expected: "`bind`, `volume`, `tmpfs`, `cluster`, `npipe` or `image`",
    words: VOLUME_TYPE_WORDS,
    suggest: None,
};

pub(crate) static CGROUP: Enum = Enum {
    accepts: |s| one_of(&["host", "private"], s),
    expected: "`host` or `private`",
    words: &["host", "private"],
    suggest: None,
};

pub(crate) static UPDATE_ORDER: Enum = Enum {
    accepts: |s| one_of(&["start-first", "stop-first"], s),
    expected: "`start-first` or `stop-first`",
    words: &["start-first", "stop-first"],
    suggest: None,
};

const WATCH_ACTION_WORDS: &[&str] = &["rebuild", "sync", "restart", "sync+restart", "sync+exec"];

pub(crate) static WATCH_ACTION: Enum = Enum {
    accepts: |s| one_of(WATCH_ACTION_WORDS, s),
    expected: "`rebuild`, `sync`, `restart`, `sync+restart` or `sync+exec`",
    words: WATCH_ACTION_WORDS,
    suggest: None,
};

const BIND_RECURSIVE_WORDS: &[&str] = &["enabled", "disabled", "writable", "readonly"];

pub(crate) static BIND_RECURSIVE: Enum = Enum {
    accepts: |s| one_of(BIND_RECURSIVE_WORDS, s),
    expected: "`enabled`, `disabled`, `writable` or `readonly`",
    words: BIND_RECURSIVE_WORDS,
    suggest: None,
};

pub(crate) static BIND_SELINUX: Enum = Enum {
    accepts: |s| one_of(&["z", "Z"], s),
    expected: "`z` or `Z`",
    words: &["z", "Z"],
    suggest: None,
};

/// A duration (`healthcheck.interval`, `stop_grace_period`, `deploy.*.delay`...):
/// what Go's `time.ParseDuration` reads, as Compose does.
pub(crate) static DURATION: Enum = Enum {
    accepts: is_duration,
    expected: "a duration: numbers each with a unit (`h`, `m`, `s`, `ms`, `us` or `ns`), such as `1m30s`, `10s` or `500ms`",
    words: &[],
    suggest: None,
};

/// `[-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+`, or `0`.
/// The names the Compose Specification allows for services (`^[a-zA-Z0-9._-]+$`).
fn is_service_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

pub(crate) fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let int = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        rest = &rest[int..];
        let mut frac = 0;
        if let Some(after) = rest.strip_prefix('.') {
            frac = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            rest = &after[frac..];
        }
        if int == 0 && frac == 0 {
            return false;
        }
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        if !matches!(
            &rest[..unit_len],
            "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h"
        ) {
            return false;
        }
        rest = &rest[unit_len..];
    }
    true
}

/// A byte size (`mem_limit`, `shm_size`, `deploy.resources.*.memory`, a tmpfs
/// `size`): an integer, or what docker's `units.RAMInBytes` reads.
pub(crate) static BYTES: Enum = Enum {
    accepts: is_byte_size,
    expected: "a byte size: a number with an optional unit (`b`, `k`, `m`, `g`, `t` or `p`, with an optional `b` or `ib`), such as `512m`, `1gb` or `2048`",
    words: &[],
    suggest: None,
};

/// A number of bytes (an integer, negative ones included, which Compose takes as
/// they are) or a size as `units.RAMInBytes` parses it: a non-negative number, an
/// optional space, and `b`, or `k`, `m`, `g`, `t`, `p` with an optional `b` or
/// `ib`, in any case.
pub(crate) fn is_byte_size(s: &str) -> bool {
    byte_count(s).is_some()
}

/// The number of bytes a byte size stands for (`512m` is 536870912), as
/// `units.RAMInBytes` computes it (binary units); `None` when it does not parse.
pub(crate) fn byte_count(s: &str) -> Option<i64> {
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    let sep = s.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')?;
    let (num, suffix) = if s.as_bytes()[sep] == b' ' {
        (&s[..sep], &s[sep + 1..])
    } else {
        (&s[..=sep], &s[sep + 1..])
    };
    let number = (num.bytes().any(|b| b.is_ascii_digit())
        && num
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')))
    .then(|| num.parse::<f64>().ok())
    .flatten()
    .filter(|n| *n >= 0.0)?;
    let suffix = suffix.to_ascii_lowercase();
    let shift = match suffix.as_bytes() {
        [] | [b'b'] => 0,
        [u] | [u, b'b'] | [u, b'i', b'b'] => match u {
            b'k' => 10,
            b'm' => 20,
            b'g' => 30,
            b't' => 40,
            b'p' => 50,
            _ => return None,
        },
        _ => return None,
    };
    Some((number * (1u64 << shift) as f64) as i64)
}

/// Checks one document (a mapping of top-level keys) against the Specification.
pub(crate) fn check(file: FileId, doc: &Node, diags: &mut Vec<Diagnostic>) {
    let mut w = Walk {
        file,
        diags,
        format: "the Compose Specification",
        env: None,
        path: String::new(),
    };
    w.object(doc, &TOP_LEVEL);
}

/// Checks the enumerated values of one document that interpolate a variable
/// (`restart: ${RESTART}`) against the Specification, once interpolated with the
/// project's variables (its `.env` and the defaults written in the value); a
/// value using a variable that is set nowhere is not judged.
pub(crate) fn check_interpolated(file: FileId, doc: &Node, env: &Env, diags: &mut Vec<Diagnostic>) {
    let mut w = Walk {
        file,
        diags,
        format: "the Compose Specification",
        env: Some(env),
        path: String::new(),
    };
    w.object(doc, &TOP_LEVEL);
}

/// Reports each `${NAME:?message}` or `${NAME?message}` of a document whose
/// variable the project's `.env` does not set: `docker compose` stops there
/// ("required variable NAME is missing a value"). Only called for projects that
/// have a `.env` file; `x-` extension keys are left out.
pub(crate) fn check_required_variables(
    file: FileId,
    doc: &Node,
    env: &Env,
    diags: &mut Vec<Diagnostic>,
) {
    let mut w = Interpolation {
        file,
        diags,
        path: Vec::new(),
        seen: Vec::new(),
        env: Some(env),
    };
    w.node(doc);
}

/// Checks one document of file format 1, whose top-level keys are services.
pub(crate) fn check_v1(file: FileId, doc: &Node, diags: &mut Vec<Diagnostic>) {
    let mut w = Walk {
        file,
        diags,
        format: "Compose file format 1",
        env: None,
        path: String::new(),
    };
    w.shape(doc, Shape::Named(&SERVICE_V1));
}

/// Reports each string value of a document with a `${...}` Compose refuses to
/// interpolate ("invalid interpolation format"), with its key path; `x-`
/// extension keys are left out.
pub(crate) fn check_interpolation(file: FileId, doc: &Node, diags: &mut Vec<Diagnostic>) {
    let mut w = Interpolation {
        file,
        diags,
        path: Vec::new(),
        seen: Vec::new(),
        env: None,
    };
    w.node(doc);
}

/// A step of a key path.
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

struct Interpolation<'a, 'n> {
    file: FileId,
    diags: &'a mut Vec<Diagnostic>,
    /// The path to the node being walked, written out only for a finding.
    path: Vec<Step<'n>>,
    /// Values already reported (an alias reaches its anchor's nodes again).
    seen: Vec<crate::source::Span>,
    /// Set when looking for required variables the project's `.env` lacks
    /// instead of malformed interpolations.
    env: Option<&'a Env>,
}

impl<'n> Interpolation<'_, 'n> {
    fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    fn node(&mut self, node: &'n Node) {
        match &node.value {
            Value::Scalar(s) => {
                if !s.text.contains("${") || node.is_null() || self.seen.contains(&node.span) {
                    return;
                }
                if let Some(env) = self.env {
                    if let Some((name, written)) = super::interp::required_unset(&s.text, env) {
                        self.seen.push(node.span);
                        let path = self.path();
                        self.diags.push(Diagnostic::new(
                            &INVALID_VALUE,
                            self.file,
                            node.span,
                            format!(
                                "{path}: `{written}` requires the variable {name}, which the project's `.env` does not set; `docker compose` refuses to run without it unless the environment sets it"
                            ),
                        ));
                    }
                    return;
                }
                if let Some(bad) = super::interp::invalid_braced(&s.text) {
                    self.seen.push(node.span);
                    let path = self.path();
                    self.diags.push(Diagnostic::new(
                        &INVALID_VALUE,
                        self.file,
                        node.span,
                        format!(
                            "{path}: `{bad}` is not a valid interpolation: Compose takes `${{NAME}}`, `${{NAME:-default}}`, `${{NAME-default}}`, `${{NAME:?error}}`, `${{NAME?error}}`, `${{NAME:+alternative}}` or `${{NAME+alternative}}`; write `$$` for a literal `$`"
                        ),
                    ));
                }
            }
            Value::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Step::Index(i));
                    self.node(item);
                    self.path.pop();
                }
            }
            Value::Mapping(entries) => {
                for (k, v) in entries {
                    let key = k.as_str().unwrap_or("?");
                    if key.starts_with("x-") {
                        continue;
                    }
                    self.path.push(Step::Key(key));
                    self.node(v);
                    self.path.pop();
                }
            }
        }
    }
}

struct Walk<'a> {
    file: FileId,
    diags: &'a mut Vec<Diagnostic>,
    /// How messages name the schema.
    format: &'static str,
    /// Set for the second pass over a project's values (`check_interpolated`):
    /// only values that interpolate a variable are judged, once interpolated with
    /// these variables, and keys are not reported again.
    env: Option<&'a Env>,
    /// The key path of the node being walked (`services.web.ports[0]`), kept in
    /// one buffer: each step is appended, and cut off once walked.
    path: String,
}

impl Walk<'_> {
    /// Appends a key to the path; returns the path's length before it.
    fn enter_key(&mut self, key: &str) -> usize {
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(key);
        len
    }

    /// Appends an index to the path; returns the path's length before it.
    fn enter_index(&mut self, i: usize) -> usize {
        use std::fmt::Write;
        let len = self.path.len();
        let _ = write!(self.path, "[{i}]");
        len
    }

    fn object(&mut self, node: &Node, obj: &Object) {
        let Some(entries) = node.as_mapping() else {
            return;
        };
        for (k, v) in entries {
            let Some(key) = k.as_str() else { continue };
            let parent = self.enter_key(key);
            match obj.keys.iter().find(|(name, _)| *name == key) {
                Some((_, shape)) => self.shape(v, *shape),
                None if key.starts_with("x-") && obj.extensions => {}
                None if key == "<<" => {}
                None if self.env.is_some() => {}
                None => {
                    let suggestion = if key.starts_with("x-") {
                        None
                    } else {
                        closest(key, obj.keys.iter().map(|(name, _)| *name))
                    };
                    let hint = match suggestion {
                        _ if key.starts_with("x-") => {
                            "; `x-` extension keys are not allowed here".to_string()
                        }
                        Some(c) => format!("; did you mean `{c}`?"),
                        None => String::new(),
                    };
                    let within = if parent == 0 {
                        "at the top level of a Compose file".to_string()
                    } else {
                        format!("in {}", obj.name)
                    };
                    let mut d = Diagnostic::new(
                        &UNKNOWN_KEY,
                        self.file,
                        k.span,
                        format!(
                            "{}: unknown key, {} has no `{key}` {within}{hint}",
                            self.path, self.format
                        ),
                    );
                    if let Some(c) = suggestion {
                        crate::formats::rename_key_fix(&mut d, k.span, key, c, node);
                    }
                    self.diags.push(d);
                }
            }
            self.path.truncate(parent);
        }
    }

    /// A value that interpolates variables, judged once interpolated; values
    /// with an unset variable (which the shell may set) are not.
    fn interpolated(&mut self, node: &Node, text: &str, env: &Env, e: &Enum) {
        if !text.contains('$') {
            return;
        }
        let i = interpolate(text, env);
        if i.unset || i.value == text || (e.accepts)(&i.value) {
            return;
        }
        let from = if i.external {
            "with the project's `.env`"
        } else {
            "with its default"
        };
        let hint = closest(&i.value, e.words.iter().copied())
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        self.diags.push(Diagnostic::new(
            &INVALID_VALUE,
            self.file,
            node.span,
            format!(
                "{}: `{text}` interpolates {from} to `{}`; expected {}{hint}",
                self.path, i.value, e.expected
            ),
        ));
    }

    fn shape(&mut self, node: &Node, shape: Shape) {
        match shape {
            Shape::Any => {}
            Shape::Object(obj) => self.object(node, obj),
            Shape::Named(obj) => {
                for (k, v) in node.as_mapping().unwrap_or_default() {
                    let Some(name) = k.as_str() else { continue };
                    if name.starts_with("x-") {
                        continue;
                    }
                    if self.path == "services" && !is_service_name(name) {
                        self.diags.push(Diagnostic::new(
                            &INVALID_VALUE,
                            self.file,
                            k.span,
                            format!(
                                "services: `{name}` is not a service name: letters, digits, `.`, `_` and `-` only"
                            ),
                        ));
                    }
                    let parent = self.enter_key(name);
                    self.object(v, obj);
                    self.path.truncate(parent);
                }
            }
            Shape::Items(obj) => {
                for (i, item) in node.as_sequence().unwrap_or_default().iter().enumerate() {
                    let parent = self.enter_index(i);
                    self.object(item, obj);
                    self.path.truncate(parent);
                }
            }
            Shape::Enum(e) => self.value(node, e),
            Shape::ItemsOr(obj, e) => {
                for (i, item) in node.as_sequence().unwrap_or_default().iter().enumerate() {
                    let parent = self.enter_index(i);
                    match item.value {
                        Value::Scalar(_) => self.value(item, e),
                        _ => self.object(item, obj),
                    }
                    self.path.truncate(parent);
                }
            }
            Shape::Strings(e) => {
                for (i, item) in node.as_sequence().unwrap_or_default().iter().enumerate() {
                    let parent = self.enter_index(i);
                    self.value(item, e);
                    self.path.truncate(parent);
                }
            }
            Shape::List => {
                if self.env.is_none() && matches!(node.value, Value::Scalar(_)) && !node.is_null() {
                    self.diags.push(Diagnostic::new(
                        &WRONG_TYPE,
                        self.file,
                        node.span,
                        format!("{}: expected a list, found {}", self.path, found(node)),
                    ));
                }
            }
        }
    }

    fn value(&mut self, node: &Node, e: &Enum) {
        let Value::Scalar(s) = &node.value else {
            return;
        };
        if node.is_null() {
            return;
        }
        if let Some(env) = self.env {
            return self.interpolated(node, &s.text, env, e);
        }
        if s.text.contains('$') || (e.accepts)(&s.text) {
            return;
        }
        let suggestion = match e.suggest {
            Some(suggest) => suggest(&s.text),
            None => closest(&s.text, e.words.iter().copied()).map(str::to_string),
        };
        let hint = suggestion
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        self.diags.push(Diagnostic::new(
            &INVALID_VALUE,
            self.file,
            node.span,
            format!(
                "{}: expected {}, found {}{hint}",
                self.path,
                e.expected,
                found(node)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for ok in [
            "10s", "1m30s", "500ms", "1.5h", ".5s", "0", "2h45m", "1us", "-1s", "10µs",
        ] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "",
            "10",
            "1 m",
            "10sec",
            "1d",
            "s",
            "1.s5",
            "1m30",
            "ten seconds",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn byte_sizes() {
        for ok in [
            "512m", "1gb", "2048", "1.5g", "512 MB", "1GiB", "100b", "-1", "64K", "0",
        ] {
            assert!(is_byte_size(ok), "{ok}");
        }
        for bad in [
            "", "512mm", "1gig", "m", "1 gb b", "-5m", "1.5 xb", "lots", "1kbb",
        ] {
            assert!(!is_byte_size(bad), "{bad}");
        }
    }
}
