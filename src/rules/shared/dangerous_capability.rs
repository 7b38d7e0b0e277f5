//! `security/dangerous-capability`: a container adds a Linux capability that gives it
//! (near) root power over the host.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::model::Workload;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DangerousCapability;

static META: RuleMeta = RuleMeta {
    name: "dangerous-capability",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::Checkov("CKV_K8S_39"),
        Peer::Trivy("KSV005"),
        Peer::Polaris("dangerousCapabilities"),
        Peer::ComposeLint("CL-0011"),
        Peer::ComposeLint("CL-0024"),
    ],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a container adds a capability that gives it power over the host",
    what: "Reports a capability added with Compose `cap_add`, Kubernetes `securityContext.capabilities.add` or the Marathon Docker parameter `cap-add` when it lets a process escape or control the host: `ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_RAWIO`, `SYS_BOOT`, `DAC_READ_SEARCH`, `BPF` and `PERFMON` always; `NET_ADMIN` when the workload also uses the host's network (in its own network namespace it only configures the container's network, which VPN and DNS containers need); `SYS_PTRACE` when it also shares the host's PID namespace. Names are matched in any case, with or without the `CAP_` prefix. The finding points at the capability. Capabilities outside this list, even ones the Pod Security Standards' baseline profile does not allow (`IPC_LOCK`, `NET_RAW`, `SYS_NICE`, ...), are not reported.",
    why: "Each of these capabilities is a known way out of the container: `SYS_ADMIN` alone allows mounts and most of what privileged mode gives, `SYS_MODULE` loads code into the host's kernel, `DAC_READ_SEARCH` reads any file of the host (the \"shocker\" escape), `SYS_RAWIO` reaches the host's memory and I/O ports, `SYS_BOOT` can load a new kernel. A process that is compromised in such a container owns the host.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  backup:
    image: example/backup:3.0
    cap_add:
      - SYS_ADMIN
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  backup:
    image: example/backup:3.0
    cap_add:
      - DAC_OVERRIDE
"#,
    },
};

/// When a capability is dangerous.
#[derive(Clone, Copy)]
enum When {
    Always,
    /// Only with the host's network namespace (else it acts on the container's own).
    HostNetwork,
    /// Only with the host's PID namespace (else it reaches the container's own
    /// processes).
    HostPid,
}

/// The capabilities reported, without the `CAP_` prefix, each with what it gives and
/// when. Sources: capabilities(7), the Pod Security Standards (none of these is in
/// the baseline profile's allowed list) and Docker's default seccomp profile, which
/// opens the matching system calls only when the capability is added.
const DANGEROUS: &[(&str, When, &str)] = &[
    // Every capability: privileged mode without the devices.
    (
        "ALL",
        When::Always,
        "it gets every capability, close to privileged mode",
    ),
    // mount, namespaces, cgroups, many device ioctls: the usual container escapes.
    (
        "SYS_ADMIN",
        When::Always,
        "it can mount filesystems and do most of what privileged mode allows",
    ),
    // init_module/finit_module: code in the host's kernel.
    (
        "SYS_MODULE",
        When::Always,
        "it can load modules into the host's kernel",
    ),
    // iopl/ioperm, /dev/mem and /dev/kmem: the host's memory and I/O ports.
    (
        "SYS_RAWIO",
        When::Always,
        "it can reach the host's memory and I/O ports",
    ),
    // kexec_load: replace the running kernel.
    (
        "SYS_BOOT",
        When::Always,
        "it can load a new kernel on the host",
    ),
    // open_by_handle_at reads any file of the host's filesystems ("shocker").
    (
        "DAC_READ_SEARCH",
        When::Always,
        "it can read any file of the host through file handles",
    ),
    // Loads BPF programs into the host's kernel; with PERFMON, tracing programs read
    // any kernel or process memory.
    (
        "BPF",
        When::Always,
        "it can load programs into the host's kernel",
    ),
    // System-wide perf events: watch every process and the kernel of the host; with
    // BPF, read their memory.
    (
        "PERFMON",
        When::Always,
        "it can observe every process and the kernel of the host",
    ),
    // Interfaces, routes, firewall: of the host when it shares the host's network.
    (
        "NET_ADMIN",
        When::HostNetwork,
        "with the host's network it can change the host's interfaces, routes and firewall",
    ),
    // ptrace: of every host process when it shares the host's PID namespace.
    (
        "SYS_PTRACE",
        When::HostPid,
        "with the host's PID namespace it can read and inject code into every process of the host",
    ),
];

/// The capability's name without case or `CAP_` prefix (`cap_sys_admin` → `SYS_ADMIN`).
fn normalize(cap: &str) -> String {
    let upper = cap.trim().to_ascii_uppercase();
    match upper.strip_prefix("CAP_") {
        Some(rest) => rest.to_string(),
        None => upper,
    }
}

/// What a capability gives, when it is dangerous in this workload.
fn danger(cap: &str, w: &Workload) -> Option<(&'static str, &'static str)> {
    let name = normalize(cap);
    let (canonical, when, what) = DANGEROUS.iter().find(|(n, _, _)| *n == name)?;
    let applies = match when {
        When::Always => true,
        When::HostNetwork => w.host_network.is_some(),
        When::HostPid => w.host_pid.is_some(),
    };
    applies.then_some((*canonical, *what))
}

impl Rule for DangerousCapability {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                for cap in &c.cap_add {
                    let Some((name, what)) = danger(&cap.value, w) else {
                        continue;
                    };
                    cx.report_at(
                        cap.loc,
                        format!(
                            "{} adds the capability {name}: {what}",
                            w.describe_container(c)
                        ),
                    )
                    .help = Some(
                        "add only the capabilities the process needs; if it really needs this one, run it on dedicated hosts and suppress the finding with the reason".into(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn names_in_any_case_with_or_without_prefix() {
        assert_eq!(normalize("cap_sys_admin"), "SYS_ADMIN");
        assert_eq!(normalize("CAP_NET_ADMIN"), "NET_ADMIN");
        assert_eq!(normalize(" all "), "ALL");
        assert_eq!(normalize("Sys_Module"), "SYS_MODULE");
    }
}
