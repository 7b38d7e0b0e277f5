//! `security/docker-socket-mount`: the Docker daemon's socket mounted into a container.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DockerSocketMount;

static META: RuleMeta = RuleMeta {
    name: "docker-socket-mount",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("docker-sock"),
        Peer::Checkov("CKV_K8S_27"),
        Peer::Trivy("KSV006"),
        Peer::ComposeLint("CL-0001"),
    ],
    formats: &[
        Format::Compose,
        Format::Kubernetes,
        Format::Marathon,
        Format::Brooklyn,
    ],
    summary: "the Docker socket is mounted into a container",
    what: "Reports a bind mount or host-path volume of the container runtime's socket (`/var/run/docker.sock`, `/run/docker.sock`, containerd's and CRI-O's sockets) into a container, read-only or not.",
    why: "Whoever can talk to the runtime socket can start a privileged container with the host's root filesystem mounted: the mount is root on the host. Read-only does not help, the API is still writable.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  dashboard:
    image: example/dashboard:3.2
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  dashboard:
    image: example/dashboard:3.2
    environment:
      DOCKER_HOST: tcp://socket-proxy:2375
"#,
    },
};

const SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
];

/// Whether a host path is a runtime socket (or a directory holding one).
pub(crate) fn is_runtime_socket(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    let p = p
        .strip_prefix('/')
        .map_or(p, |rest| rest.trim_start_matches('/'));
    SOCKETS.iter().any(|s| s.trim_start_matches('/') == p)
}

impl Rule for DockerSocketMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                for m in &c.mounts {
                    let Some(src) = &m.source else { continue };
                    if m.kind == crate::model::MountKind::HostPath && is_runtime_socket(src) {
                        cx.report_at(
                            m.loc,
                            format!(
                                "{} mounts the container runtime socket {src}",
                            w.describe_container(c)
                            ),
                        )
                        .help = Some("give the container a narrow API instead (a socket proxy that allows only the calls it needs), or remove the mount".into());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn socket_paths() {
        assert!(super::is_runtime_socket("/var/run/docker.sock"));
        assert!(super::is_runtime_socket("//var/run/docker.sock"));
        assert!(!super::is_runtime_socket("/var/run/docker"));
    }
}
