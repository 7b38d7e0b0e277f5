//! `security/sensitive-host-mount`: a directory or file of the host that holds its
//! credentials or controls it, mounted into a container.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::model::MountKind;
use crate::rules::{Context, Rule};
use crate::source::Format;

use super::docker_socket_mount::is_runtime_socket;

pub(crate) struct SensitiveHostMount;

static META: RuleMeta = RuleMeta {
    name: "sensitive-host-mount",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("sensitive-host-mounts"),
        Peer::ComposeLint("CL-0013"),
        Peer::ComposeLint("CL-0025"),
    ],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a sensitive directory of the host is mounted into a container",
    what: "Reports a bind mount, `hostPath` volume or Marathon host volume of a host path that holds the host's secrets or controls it. Read-only or not: the host's root `/`, `/etc`, `/root`, `/var`, `/var/lib`, `/run` and `/var/run` (they hold the runtime's socket), the state directories of the kubelet and the container runtime (`/var/lib/kubelet`, `/var/lib/docker`, `/var/lib/containerd`) and the kubelet's `pki`, the host's password hashes (`/etc/shadow`, `/etc/gshadow`), SSH keys (`/etc/ssh`, `/root/.ssh`), cluster and registry credentials (`/etc/kubernetes`, `/root/.kube`, `/root/.docker`) and the runtime socket directories (`/run/containerd`, `/run/crio`). Only when writable: `/proc`, `/sys`, `/boot`, `/lib`, `/lib64`, `/bin`, `/sbin` and everything below them, `/usr` and its program and library directories (`/usr/bin`, `/usr/lib`, ...), `/dev`, everything below the kubelet's and the runtime's state directories, and the files that decide who is root and what runs as root (`/etc/passwd`, `/etc/group`, `/etc/sudoers`, `/etc/sudoers.d`, `/etc/crontab`, `/etc/cron.d`, `/etc/systemd`). The message says whether the mount is writable. Read-only mounts of `/proc`, `/sys` and `/var/lib/docker/containers` are what node agents (metrics exporters, log shippers) need and are not reported, nor are other files of `/etc` (`/etc/localtime`, `/etc/ssl/certs`) or devices below `/dev`. A read-only `/` is reported even for node exporters that ask for it: it exposes every secret of the host, so keep it where it is accepted and suppress the finding there with the reason. The runtime sockets themselves are `docker-socket-mount`'s findings.",
    why: "A writable mount of these paths is root on the host: a new user in `/etc/passwd`, a cron job, a systemd unit, a changed program or kernel module, a kernel setting under `/proc/sys` or a cgroup's `release_agent` under `/sys` runs code outside the container. A read-only one still hands out the host's secrets: password hashes, SSH host keys, the kubelet's client certificate, every pod's mounted secrets under `/var/lib/kubelet`, every container's files under `/var/lib/docker`.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  backup:
    image: example/backup:3.0
    volumes:
      - /etc:/host/etc
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  backup:
    image: example/backup:3.0
    volumes:
      - /srv/backup/config:/config:ro
"#,
    },
};

/// Which paths an entry covers.
#[derive(Clone, Copy, PartialEq)]
enum Scope {
    /// The path itself.
    Exact,
    /// Paths below it, not the path itself.
    Below,
    /// The path and everything below it.
    Tree,
}

/// The mounts reported: (host path, which paths it covers, reported even when the
/// mount is read-only, what it holds). The first entry that matches decides. Sources:
/// the CIS Docker Benchmark (5.5: `/`, `/boot`, `/dev`, `/etc`, `/lib`, `/proc`,
/// `/sys`, `/usr`, "especially in read-write mode") and kubeaudit's list of sensitive
/// paths (`/root`, `/var/lib/kubelet` and its `pki`, `/etc/kubernetes`, the runtime
/// sockets).
#[rustfmt::skip]
const SENSITIVE: &[(&str, Scope, bool, &str)] = &[
    // Secrets: read-only gives them away too.
    ("/", Scope::Exact, true, "the host's whole filesystem"),
    ("/etc", Scope::Exact, true, "the host's configuration, with its password hashes and keys"),
    ("/etc/shadow", Scope::Tree, true, "the host's password hashes"),
    ("/etc/gshadow", Scope::Tree, true, "the host's group password hashes"),
    ("/etc/ssh", Scope::Tree, true, "the host's SSH keys"),
    ("/etc/kubernetes", Scope::Tree, true, "the node's Kubernetes credentials and static pods"),
    ("/root", Scope::Exact, true, "root's home directory, with its keys and credentials"),
    ("/root/.ssh", Scope::Tree, true, "root's SSH keys"),
    ("/root/.kube", Scope::Tree, true, "root's Kubernetes credentials"),
    ("/root/.docker", Scope::Tree, true, "root's registry credentials"),
    // The runtime sockets' directories: whoever reaches the socket is root.
    ("/run", Scope::Exact, true, "the host's runtime directory, with the container runtime's socket"),
    ("/var/run", Scope::Exact, true, "the host's runtime directory, with the container runtime's socket"),
    ("/run/containerd", Scope::Tree, true, "containerd's socket directory"),
    ("/var/run/containerd", Scope::Tree, true, "containerd's socket directory"),
    ("/run/crio", Scope::Tree, true, "CRI-O's socket directory"),
    ("/var/run/crio", Scope::Tree, true, "CRI-O's socket directory"),
    // The kubelet's and the runtime's state: every pod's secrets, every container's
    // files. Node agents read logs below them (`/var/lib/docker/containers`).
    ("/var", Scope::Exact, true, "the host's variable data, with the kubelet's and the container runtime's state"),
    ("/var/lib", Scope::Exact, true, "the host's state, with the kubelet's and the container runtime's"),
    ("/var/lib/kubelet/pki", Scope::Tree, true, "the kubelet's client certificate"),
    ("/var/lib/kubelet", Scope::Exact, true, "the kubelet's state, with every pod's secrets"),
    ("/var/lib/docker", Scope::Exact, true, "Docker's state, with every container's files"),
    ("/var/lib/containerd", Scope::Exact, true, "containerd's state, with every container's files"),
    ("/var/lib/kubelet", Scope::Below, false, "the kubelet's state"),
    ("/var/lib/docker", Scope::Below, false, "Docker's state"),
    ("/var/lib/containerd", Scope::Below, false, "containerd's state"),
    // Who is root and what runs as root: only when writable.
    ("/etc/passwd", Scope::Tree, false, "the host's user list"),
    ("/etc/group", Scope::Tree, false, "the host's group list"),
    ("/etc/sudoers", Scope::Tree, false, "the host's sudo rules"),
    ("/etc/sudoers.d", Scope::Tree, false, "the host's sudo rules"),
    ("/etc/crontab", Scope::Tree, false, "the host's cron jobs"),
    ("/etc/cron.d", Scope::Tree, false, "the host's cron jobs"),
    ("/etc/systemd", Scope::Tree, false, "the host's systemd units"),
    // `/usr` itself and where its programs and libraries sit; other directories below
    // it (`/usr/share/<app>`, `/usr/src`) are ordinary data.
    ("/usr", Scope::Exact, false, "the host's programs and libraries"),
    ("/usr/bin", Scope::Tree, false, "the host's programs"),
    ("/usr/sbin", Scope::Tree, false, "the host's programs"),
    ("/usr/local/bin", Scope::Tree, false, "the host's programs"),
    ("/usr/local/sbin", Scope::Tree, false, "the host's programs"),
    ("/usr/lib", Scope::Tree, false, "the host's libraries"),
    ("/usr/lib64", Scope::Tree, false, "the host's libraries"),
    ("/usr/libexec", Scope::Tree, false, "the host's programs"),
    ("/lib", Scope::Tree, false, "the host's libraries and kernel modules"),
    ("/lib64", Scope::Tree, false, "the host's libraries"),
    ("/bin", Scope::Tree, false, "the host's programs"),
    ("/sbin", Scope::Tree, false, "the host's programs"),
    ("/boot", Scope::Tree, false, "the host's kernel and boot loader"),
    // Kernel and devices: node agents read them, writing changes the host.
    ("/proc", Scope::Tree, false, "the host's process and kernel settings"),
    ("/sys", Scope::Tree, false, "the host's kernel, device and cgroup settings"),
    ("/dev", Scope::Exact, false, "the host's devices"),
];

/// An absolute host path with `.`, `..`, repeated and trailing slashes resolved;
/// `None` for a relative path (a directory of the project).
pub(super) fn normalize(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// The entry a host path falls under.
pub(super) fn sensitive(path: &str) -> Option<(&'static str, bool, &'static str)> {
    SENSITIVE
        .iter()
        .find_map(|&(p, scope, read_only_too, what)| {
            let below = || {
                path.strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
            };
            let hit = match scope {
                Scope::Exact => path == p,
                Scope::Below => below(),
                Scope::Tree => path == p || below(),
            };
            hit.then_some((p, read_only_too, what))
        })
}

impl Rule for SensitiveHostMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                for m in &c.mounts {
                    if m.kind != MountKind::HostPath {
                        continue;
                    }
                    let Some(path) = m.source.as_deref().and_then(normalize) else {
                        continue;
                    };
                    if is_runtime_socket(&path) {
                        continue;
                    }
                    let Some((entry, read_only_too, what)) = sensitive(&path) else {
                        continue;
                    };
                    if m.read_only && !read_only_too {
                        continue;
                    }
                    let shown = if path == entry {
                        format!("{path} ({what})")
                    } else {
                        format!("{path} (in {what})")
                    };
                    let mode = if m.read_only { "read-only" } else { "writable" };
                    cx.report_at(
                        m.loc,
                        format!(
                            "{} mounts {shown} from the host, {mode}",
                            w.describe_container(c)
                        ),
                    )
                    .help = Some(if m.read_only {
                        "mount only the files the process needs, or hand it the data another way (a secret, a config map, an API)".into()
                    } else {
                        "mount it read-only, or only the files the process needs".into()
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{normalize, sensitive};

    fn hit(path: &str) -> Option<&'static str> {
        sensitive(&normalize(path)?).map(|(p, _, _)| p)
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize("//etc/./ssh/").as_deref(), Some("/etc/ssh"));
        assert_eq!(normalize("/srv/../etc").as_deref(), Some("/etc"));
        assert_eq!(normalize("/").as_deref(), Some("/"));
        assert_eq!(normalize("./etc"), None);
    }

    #[test]
    fn entries_match_by_scope() {
        assert_eq!(hit("/"), Some("/"));
        assert_eq!(hit("/etc/"), Some("/etc"));
        assert_eq!(hit("/etc/localtime"), None);
        assert_eq!(hit("/etc/ssh/ssh_host_rsa_key"), Some("/etc/ssh"));
        assert_eq!(hit("/etc/sshd"), None);
        assert_eq!(hit("/var/lib/kubelet"), Some("/var/lib/kubelet"));
        assert_eq!(
            hit("/var/lib/kubelet/pki/x.pem"),
            Some("/var/lib/kubelet/pki")
        );
        assert_eq!(hit("/var/lib/docker/containers"), Some("/var/lib/docker"));
        assert_eq!(hit("/var/lib/dockerd"), None);
        assert_eq!(hit("/dev/net/tun"), None);
        assert_eq!(hit("/srv/data"), None);
        assert_eq!(hit("/var"), Some("/var"));
        assert_eq!(hit("/var/log"), None);
        assert_eq!(hit("/usr/src"), None);
        assert_eq!(hit("/usr/share/app/config"), None);
        assert_eq!(hit("/usr/share/zoneinfo/../../lib/x"), Some("/usr/lib"));
        assert_eq!(hit("/lib/modules"), Some("/lib"));
    }

    #[test]
    fn read_only_matters_only_where_it_should() {
        let ro_too = |p: &str| sensitive(p).map(|(_, r, _)| r);
        assert_eq!(ro_too("/proc"), Some(false));
        assert_eq!(ro_too("/var/lib/docker/containers"), Some(false));
        assert_eq!(ro_too("/var/lib/docker"), Some(true));
        assert_eq!(ro_too("/etc/shadow"), Some(true));
    }
}
