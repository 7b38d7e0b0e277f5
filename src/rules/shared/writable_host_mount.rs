//! `security/writable-host-mount`: a host directory mounted writable.

use super::device_mount::is_device_path;
use super::docker_socket_mount::is_runtime_socket;
use super::sensitive_host_mount::{normalize, sensitive};
use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::model::MountKind;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct WritableHostMount;

static META: RuleMeta = RuleMeta {
    name: "writable-host-mount",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("development Compose files bind source and data directories writable on purpose, and node agents write host paths by design"),
    peers: &[Peer::KubeLinter("writable-host-mount")],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a host directory is mounted into a container writable",
    what: "Reports a host path mounted without read-only: a Kubernetes `hostPath` volume mounted without `readOnly: true`, a Compose bind mount without `:ro` (or `read_only: true`), a Marathon host volume in `RW` mode. Paths that other rules report are left to them: runtime sockets (`security/docker-socket-mount`), sensitive host paths (`security/sensitive-host-mount`), device nodes (`security/device-mount`). Sockets (`/dev/log`, `*.sock`) are left out too: talking through one means writing to it.",
    why: "A writable host path is shared state between the container and the host: a compromised container can plant files that the host or other containers later run or trust (scripts, configuration, binaries in a shared directory), fill the host's disk, or destroy data the host keeps. Read-only mounts keep the container from changing what it only needs to read.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    volumes:
      - ./config:/etc/web
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: example/web:1.4
    volumes:
      - ./config:/etc/web:ro
"#,
    },
};

/// A socket the container talks through (`/dev/log`, `*.sock`): using one means
/// writing to it, so read-only is no option and the mount is not shared state.
fn is_socket(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    p == "/dev/log" || p.ends_with(".sock") || p.ends_with(".socket")
}

impl Rule for WritableHostMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if !matches!(
                w.format,
                Format::Compose | Format::Kubernetes | Format::Marathon
            ) {
                continue;
            }
            for c in &w.containers {
                for m in &c.mounts {
                    if m.kind != MountKind::HostPath || m.read_only {
                        continue;
                    }
                    let Some(source) = m.source.as_deref().filter(|s| !s.trim().is_empty())
                    else {
                        continue;
                    };
                    if source.contains('$') || source.contains("{{") {
                        continue;
                    }
                    let reported_elsewhere = normalize(source).is_some_and(|p| {
                        is_runtime_socket(&p) || sensitive(&p).is_some() || is_device_path(&p)
                    });
                    if reported_elsewhere || is_socket(source) {
                        continue;
                    }
                    cx.report_at(
                        m.loc,
                        format!(
                            "{} mounts the host path {source} writable at {}",
                            w.describe_container(c),
                            m.target
                        ),
                    )
                    .help = Some(
                        "mount it read-only (`:ro`, `readOnly: true`) unless the process must write there; if it must, suppress the finding with the reason".into(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_socket;

    #[test]
    fn sockets_are_not_shared_directories() {
        assert!(is_socket("/dev/log"));
        assert!(is_socket("/var/run/mysqld/mysqld.sock"));
        assert!(!is_socket("/var/log"));
        assert!(!is_socket("./socket-data"));
    }
}
