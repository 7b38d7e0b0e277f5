//! Docker Swarm stacks: Compose files meant for `docker stack deploy`.
//!
//! A stack file is the legacy Compose v3 format read by the Docker CLI, not by
//! Compose: Swarm schedules it over the nodes of a cluster and reads the `deploy`
//! keys plain Compose has nothing to do with on one engine (placement, global mode,
//! update and rollback settings, endpoint mode), while it drops keys only a single
//! engine can honour (`build`, `links`, `container_name`, `restart`, ...). A
//! project is a stack when a file says so by its name (`docker-stack.yml`,
//! `stack-web.yml`) or uses what only Swarm acts on; the evidence is kept, with
//! spans, and the project's platform is `swarm`.
//!
//! Sources: the Compose file v3 reference (docs.docker.com, "Compose file version 3
//! reference": `deploy` "only takes effect when deploying to a swarm with docker
//! stack deploy, and is ignored by docker-compose up and docker-compose run, except
//! for `resources`", and its "Not supported for `docker stack deploy`" list);
//! `docker/cli` `cli/compose/types/types.go` (`UnsupportedProperties`, which
//! `docker stack deploy` skips with "Ignoring unsupported options", and
//! `ForbiddenProperties`, which make it fail); docker/compose
//! `pkg/compose/secrets.go` (external secrets are refused outside Swarm).

use std::path::Path;

use super::model::{ComposeFile, PortEntry, VolumeEntry};
use crate::source::{Evidence, FileId, Loc, Span};

/// A file name that says "stack": `docker-stack.yml`, `stack.yml`,
/// `stack-elk.yml`, `docker-traefik-stack.yml` (a word of the name, so
/// `haystack.yml` is not one).
pub(crate) fn is_stack_name(path: &Path) -> bool {
    super::stem(path).is_some_and(|s| s.split(['-', '_', '.']).any(|w| w == "stack"))
}

/// Keys `docker stack deploy` skips (it says "Ignoring unsupported options" at best,
/// and nothing at all for `depends_on` and `container_name`), with what to do
/// instead.
pub(crate) const IGNORED_BY_SWARM: &[(&str, &str)] = &[
    (
        "build",
        "build and push the image beforehand (`docker compose build && docker compose push`) and keep only `image`",
    ),
    (
        "cgroup_parent",
        "remove it: Swarm places the service's tasks itself",
    ),
    (
        "container_name",
        "remove it: Swarm names tasks `<stack>_<service>.<slot>`; reach the service by its name",
    ),
    (
        "depends_on",
        "remove it and make the service wait for what it needs (retry on start, or a healthcheck): Swarm starts services in no particular order",
    ),
    (
        "devices",
        "remove it: Swarm services cannot map host devices",
    ),
    ("domainname", "remove it"),
    (
        "external_links",
        "attach the service to the network of the outside containers instead",
    ),
    (
        "ipc",
        "remove it: Swarm services cannot share an IPC namespace",
    ),
    (
        "links",
        "remove it: on the stack's overlay network every service is reachable by its name",
    ),
    ("mac_address", "remove it"),
    (
        "network_mode",
        "use `networks` (overlay) instead; for the host network, attach the external `host` network",
    ),
    (
        "privileged",
        "remove it or grant the needed capabilities: Swarm services do not run privileged",
    ),
    (
        "restart",
        "use `deploy.restart_policy` (`condition: any|on-failure|none`)",
    ),
    (
        "security_opt",
        "remove it: Swarm does not pass security options to tasks",
    ),
    ("shm_size", "mount a `tmpfs` at `/dev/shm` instead"),
    (
        "userns_mode",
        "remove it: Swarm does not support user namespace modes per service",
    ),
];

/// Keys that make `docker stack deploy` refuse the file, with what to do instead.
pub(crate) const REJECTED_BY_SWARM: &[(&str, &str)] = &[
    (
        "extends",
        "resolve it first (`docker compose config` prints the file with `extends` applied) and deploy the result",
    ),
    (
        "volume_driver",
        "declare a top-level named volume with `driver` and mount it",
    ),
    (
        "volumes_from",
        "declare a top-level named volume and mount it in each service that shares it",
    ),
    ("cpu_quota", "set `deploy.resources.limits.cpus`"),
    ("cpu_shares", "set `deploy.resources.reservations.cpus`"),
    ("cpuset", "set `deploy.resources.limits.cpus`"),
    ("mem_limit", "set `deploy.resources.limits.memory`"),
    ("memswap_limit", "set `deploy.resources.limits.memory`"),
];

/// What in one file says it is a stack file, each with its span.
pub(crate) fn file_evidence(file: FileId, path: &Path, c: &ComposeFile) -> Vec<Evidence> {
    let mut out = Vec::new();
    let mut add = |span: Span, what: String| {
        out.push(Evidence {
            loc: Loc::new(file, span),
            what,
        })
    };
    if is_stack_name(path) {
        let span = c
            .version
            .as_ref()
            .map(|v| v.span)
            .or_else(|| c.services.first().map(|s| s.name.span))
            .unwrap_or_default();
        add(span, "the file name says it is a stack file".into());
    }
    for s in &c.services {
        let Some(d) = &s.deploy else { continue };
        if let Some(m) = &d.mode
            && matches!(
                m.value.value.as_str(),
                "global" | "global-job" | "replicated-job"
            )
        {
            add(m.span(), format!("`deploy.mode: {}`", m.value.value));
        }
        if let Some(span) = d.placement_span {
            add(span, "`deploy.placement`".into());
        }
        if let Some(span) = d.update_config {
            add(span, "`deploy.update_config`".into());
        }
        if let Some(span) = d.rollback_config {
            add(span, "`deploy.rollback_config`".into());
        }
        if let Some(span) = d.endpoint_mode_span {
            add(span, "`deploy.endpoint_mode`".into());
        }
        for p in &s.ports {
            if let PortEntry::Long(l, span) = p
                && l.mode.as_ref().is_some_and(|m| m.value == "ingress")
            {
                add(
                    *span,
                    "a port published in `mode: ingress` (the routing mesh)".into(),
                );
            }
        }
        for v in &s.volumes {
            if let VolumeEntry::Long(l, span) = v
                && l.kind.as_ref().is_some_and(|k| k.value == "cluster")
            {
                add(*span, "a `type: cluster` volume (Swarm CSI)".into());
            }
        }
    }
    for secret in c.secrets.iter().filter(|s| s.external) {
        // `docker compose` refuses a service using one ("unsupported external
        // secret", docker/compose `pkg/compose/secrets.go`): it lives in the Swarm.
        add(
            secret.name.span,
            format!(
                "secret `{}` is external (created with `docker secret create`)",
                secret.name.value
            ),
        );
    }
    for n in &c.networks {
        if n.driver.as_ref().is_some_and(|d| d.value == "overlay") {
            add(
                n.name.span,
                format!("network `{}` uses the `overlay` driver", n.name.value),
            );
        }
    }
    out
}

/// Classic (standalone) Swarm, 2014-2016: Compose files run with `docker-compose
/// up` against a Swarm manager, placing containers with `constraint:` and
/// `affinity:` filters (and the experimental `reschedule:on-node-failure` policy)
/// written as environment variables. Not a stack file.
pub(crate) fn classic_evidence(file: FileId, c: &ComposeFile) -> Vec<Evidence> {
    c.services
        .iter()
        .flat_map(|s| s.environment.iter())
        .filter(|e| {
            let n = &e.name.value;
            n.starts_with("constraint:")
                || n.starts_with("affinity:")
                || n.starts_with("reschedule:")
                || (n == "reschedule"
                    && e.value
                        .as_ref()
                        .is_some_and(|v| v.value.starts_with("on-node-failure")))
        })
        .map(|e| Evidence {
            loc: Loc::new(file, e.span),
            what: format!(
                "classic Swarm scheduling hint `{}` in `environment`",
                e.name.value
            ),
        })
        .collect()
}

/// How `orchlint files` names a Compose file: `format 1 (fig)`, `format 2.4`,
/// `swarm stack, format 3.7`; `None` for a Compose Specification file.
pub(crate) fn file_variant(file: FileId, path: &Path, c: &ComposeFile) -> Option<String> {
    let format = if c.legacy_v1 {
        Some("format 1 (fig)".to_string())
    } else {
        c.version
            .as_ref()
            .map(|v| format!("format {}", v.value.trim()))
    };
    let kind = if !file_evidence(file, path, c).is_empty() {
        Some("swarm stack")
    } else if !classic_evidence(file, c).is_empty() {
        Some("classic swarm")
    } else {
        None
    };
    match (kind, format) {
        (Some(k), Some(f)) => Some(format!("{k}, {f}")),
        (Some(k), None) => Some(k.into()),
        (None, f) => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_names() {
        for n in [
            "docker-stack.yml",
            "stack.yml",
            "stack-elk.yml",
            "docker-traefik-stack.yml",
            "pwd-stack.yaml",
        ] {
            assert!(is_stack_name(Path::new(n)), "{n}");
        }
        for n in ["docker-compose.yml", "haystack.yml", "stacked.yml"] {
            assert!(!is_stack_name(Path::new(n)), "{n}");
        }
    }
}
