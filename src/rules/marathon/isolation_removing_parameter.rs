//! `security/isolation-removing-parameter`: a Docker parameter of a Marathon app
//! that takes away a layer of the container's isolation from the host.
//!
//! Marathon passes `container.docker.parameters` to `docker run` as `--key=value`.
//! The parameters other rules already read are theirs: `privileged`
//! (`privileged-container`), `pid=host` and `ipc=host` (`host-pid-or-ipc`) and
//! `cap-add` (`dangerous-capability`, which reports `ALL`). `net=host` is host
//! networking, Marathon's default mode, which `host-network` leaves alone for
//! Marathon. This rule covers the rest: the host's UTS, user and cgroup
//! namespaces, the security profiles turned off with `security-opt`, and the
//! host's memory and disk devices passed in with `device`.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct IsolationRemovingParameter;

static META: RuleMeta = RuleMeta {
    name: "isolation-removing-parameter",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a Marathon Docker parameter removes part of the container's isolation",
    what: "Reports a `container.docker.parameters` entry of a Marathon app that shares a namespace of the host or turns a protection off: `uts=host`, `userns=host`, `cgroupns=host`, `security-opt` with `seccomp=unconfined`, `apparmor=unconfined`, `label=disable` or `systempaths=unconfined` (the old `:` spelling too), and `device` with the host's memory (`/dev/mem`, `/dev/kmem`, `/dev/port`) or a whole disk (`/dev/sd*`, `/dev/nvme*`, `/dev/vd*`, `/dev/xvd*`, `/dev/hd*`, `/dev/dm-*`). Keys are read with or without leading dashes and in any case. The finding points at the parameter's value. `privileged`, `pid=host`, `ipc=host` and `cap-add` are reported by `privileged-container`, `host-pid-or-ipc` and `dangerous-capability`; `net=host` is host networking, Marathon's default.",
    why: "Each of these removes a wall between the task and the agent it runs on: without seccomp or AppArmor the kernel's whole system-call surface and the host's files are open to an exploit; in the host's user namespace the task's root is the agent's root; the UTS and cgroup namespaces let it rename the host or see and change every cgroup; a memory or disk device hands it the host's memory or filesystems byte by byte, whatever the mounts say.",
    bad: Example {
        file_name: "agent.json",
        text: r#"{
  "id": "/ops/agent",
  "cpus": 0.25,
  "mem": 128,
  "container": {
    "type": "DOCKER",
    "docker": {
      "image": "example/agent:2.1",
      "parameters": [{ "key": "security-opt", "value": "seccomp=unconfined" }]
    }
  }
}
"#,
    },
    good: Example {
        file_name: "agent.json",
        text: r#"{
  "id": "/ops/agent",
  "cpus": 0.25,
  "mem": 128,
  "container": {
    "type": "DOCKER",
    "docker": {
      "image": "example/agent:2.1",
      "parameters": [{ "key": "security-opt", "value": "no-new-privileges" }]
    }
  }
}
"#,
    },
};

/// What the parameter takes away, if it is one this rule reports.
fn removes(key: &str, value: &str) -> Option<&'static str> {
    let v = value.trim().to_ascii_lowercase();
    match key {
        "uts" if v == "host" => Some("shares the host's UTS namespace (its host name)"),
        "userns" if v == "host" => {
            Some("runs in the host's user namespace, where the task's root is the agent's root")
        }
        "cgroupns" if v == "host" => Some("shares the host's cgroup namespace"),
        "security-opt" => {
            let (name, setting) = v.split_once(['=', ':'])?;
            match (name, setting) {
                ("seccomp", "unconfined") => Some("turns the seccomp profile off"),
                ("apparmor", "unconfined") => Some("turns the AppArmor profile off"),
                ("label", "disable") => Some("turns SELinux separation off"),
                ("systempaths", "unconfined") => {
                    Some("unmasks the host's kernel paths under /proc and /sys")
                }
                _ => None,
            }
        }
        "device" => {
            let host = v.split(':').next().unwrap_or_default();
            let name = host.strip_prefix("/dev/")?;
            let memory = matches!(name, "mem" | "kmem" | "port");
            let disk = ["sd", "nvme", "vd", "xvd", "hd", "dm-"]
                .iter()
                .any(|p| name.starts_with(p));
            if memory {
                Some("passes in the host's memory device")
            } else if disk {
                Some("passes in a disk of the host")
            } else {
                None
            }
        }
        _ => None,
    }
}

impl Rule for IsolationRemovingParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            for a in &m.apps {
                let Some(docker) = a.app.docker() else {
                    continue;
                };
                let name = format!("app \"{}\"", a.path.as_deref().unwrap_or("?"));
                for p in &docker.parameters {
                    let key = p.value.key().trim().trim_start_matches('-');
                    let key = key.to_ascii_lowercase();
                    let value = p.value.value();
                    let Some(what) = removes(&key, value) else {
                        continue;
                    };
                    let span = p.value.value.as_ref().map_or(p.span, |v| v.span);
                    cx.report(
                        file.id,
                        span,
                        format!("{name}: the Docker parameter `{key}={}` {what}", value.trim()),
                    )
                    .help = Some(
                        "remove the parameter; if the task really needs it, keep it where it is accepted and suppress the finding there with the reason".into(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{messages, run, scan};

    fn findings(params: &str) -> Vec<String> {
        let text = format!(
            r#"{{ "id": "/a", "container": {{ "docker": {{ "image": "a:1", "parameters": [{params}] }} }} }}"#
        );
        let (files, _) = scan(&[("app.json", &text)]);
        messages(&files, &run(&IsolationRemovingParameter, &files))
            .into_iter()
            .map(|m| m.split_once(": ").map(|(_, r)| r.to_string()).unwrap_or(m))
            .collect()
    }

    #[test]
    fn reports_each_kind_of_parameter() {
        let got = findings(
            r#"{ "key": "uts", "value": "host" }, { "key": "--userns", "value": "host" },
  { "key": "cgroupns", "value": "HOST" }, { "key": "security-opt", "value": "seccomp:unconfined" },
  { "key": "security-opt", "value": "apparmor=unconfined" }, { "key": "security-opt", "value": "label=disable" },
  { "key": "device", "value": "/dev/mem" }, { "key": "device", "value": "/dev/sda:/dev/xvda:rwm" }"#,
        );
        assert_eq!(
            got,
            [
                "app \"/a\": the Docker parameter `uts=host` shares the host's UTS namespace (its host name)",
                "app \"/a\": the Docker parameter `userns=host` runs in the host's user namespace, where the task's root is the agent's root",
                "app \"/a\": the Docker parameter `cgroupns=HOST` shares the host's cgroup namespace",
                "app \"/a\": the Docker parameter `security-opt=seccomp:unconfined` turns the seccomp profile off",
                "app \"/a\": the Docker parameter `security-opt=apparmor=unconfined` turns the AppArmor profile off",
                "app \"/a\": the Docker parameter `security-opt=label=disable` turns SELinux separation off",
                "app \"/a\": the Docker parameter `device=/dev/mem` passes in the host's memory device",
                "app \"/a\": the Docker parameter `device=/dev/sda:/dev/xvda:rwm` passes in a disk of the host",
            ]
        );
    }

    #[test]
    fn leaves_parameters_of_other_rules_and_harmless_ones_alone() {
        let got = findings(
            r#"{ "key": "privileged", "value": "true" }, { "key": "pid", "value": "host" },
  { "key": "ipc", "value": "host" }, { "key": "net", "value": "host" }, { "key": "cap-add", "value": "ALL" },
  { "key": "security-opt", "value": "no-new-privileges" }, { "key": "security-opt", "value": "seccomp=/etc/profile.json" },
  { "key": "device", "value": "/dev/fuse" }, { "key": "device", "value": "/dev/net/tun" },
  { "key": "uts", "value": "container:other" }, { "key": "log-driver", "value": "journald" }"#,
        );
        assert!(got.is_empty(), "{got:#?}");
    }
}
