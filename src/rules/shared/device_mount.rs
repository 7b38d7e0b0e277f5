//! `security/device-mount`: a host device handed to a container.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::model::MountKind;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DeviceMount;

static META: RuleMeta = RuleMeta {
    name: "device-mount",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("media servers, home automation and GPU workloads are handed devices on purpose; whether a service may have one is a decision about the host"),
    peers: &[],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a host device is handed to a container",
    what: "Reports Compose `devices` entries, the Marathon Docker parameter `device`, and host-path mounts of a device node under `/dev/` (a Kubernetes `hostPath`, a Compose bind), each pointing at the entry. Shared memory, message queues, huge pages and the syslog socket under `/dev` (`/dev/shm`, `/dev/mqueue`, `/dev/hugepages`, `/dev/log`) are not devices and are left out; `/dev` as a whole is `security/sensitive-host-mount`'s.",
    why: "A device node gives the container the host's hardware through the host's kernel driver: a disk (`/dev/sda`) is every file of the host, `/dev/mem` and `/dev/kmem` its memory, and drivers for GPUs and USB devices are a large, rarely hardened attack surface. Hand a container only the devices it needs, and only where that is a decision.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  backup:
    image: example/backup:1.0
    devices:
      - /dev/sda:/dev/sda
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  backup:
    image: example/backup:1.0
    volumes:
      - backup-data:/data
volumes:
  backup-data:
"#,
    },
};

/// Paths under `/dev` that hold no device.
const NOT_DEVICES: &[&str] = &["shm", "mqueue", "hugepages", "log", "termination-log", "pts"];

/// Whether a host path is a device node (or a directory of them) under `/dev/`.
pub(super) fn is_device_path(path: &str) -> bool {
    let Some(normalized) = super::sensitive_host_mount::normalize(path) else {
        return false;
    };
    let Some(rest) = normalized.strip_prefix("/dev/") else {
        return false;
    };
    let first = rest.split('/').next().unwrap_or_default();
    !first.is_empty() && !NOT_DEVICES.contains(&first)
}

impl Rule for DeviceMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let help = "hand the container only the device it needs, and suppress the finding with the reason where that is a decision";
        for w in &cx.model.workloads {
            for c in &w.containers {
                for d in &c.hardening.devices {
                    let host = d.value.split(':').next().unwrap_or_default();
                    cx.report_at(
                        d.loc,
                        format!("{} is given the host device {host}", w.describe_container(c)),
                    )
                    .help = Some(help.into());
                }
                for m in &c.mounts {
                    if m.kind != MountKind::HostPath {
                        continue;
                    }
                    let Some(source) = m.source.as_deref().filter(|s| is_device_path(s)) else {
                        continue;
                    };
                    cx.report_at(
                        m.loc,
                        format!(
                            "{} mounts the host device {source}",
                            w.describe_container(c)
                        ),
                    )
                    .help = Some(help.into());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_device_path;

    #[test]
    fn device_nodes_under_dev_only() {
        assert!(is_device_path("/dev/ttyUSB0"));
        assert!(is_device_path("/dev/dri"));
        assert!(is_device_path("/dev/net/tun"));
        assert!(!is_device_path("/dev"));
        assert!(!is_device_path("/dev/shm"));
        assert!(!is_device_path("/dev/log"));
        assert!(!is_device_path("./dev/x"));
        assert!(!is_device_path("/srv/dev"));
    }
}
