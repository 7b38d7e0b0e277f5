//! `security/unsafe-sysctls`: a workload sets kernel parameters that reach beyond
//! its own namespaces.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::model::{Sysctl, Workload};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnsafeSysctls;

static META: RuleMeta = RuleMeta {
    name: "unsafe-sysctls",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[Peer::KubeLinter("unsafe-sysctls"), Peer::Trivy("KSV026")],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a workload sets a kernel parameter that is not isolated to it",
    what: "Reports a Kubernetes pod's `securityContext.sysctls` entry outside the kubelet's safe set (`kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.ip_local_reserved_ports`, `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.ping_group_range`, `net.ipv4.tcp_syncookies`, `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`, `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`), and a Compose `sysctls` entry or Marathon `sysctl` Docker parameter that is not namespaced (Docker accepts only `kernel.msg*`, `kernel.sem`, `kernel.shm*`, `fs.mqueue.*` and `net.*`) or that sets `net.*` while the container shares the host's network. The finding points at the entry.",
    why: "A kernel parameter that is not namespaced is the host's: setting it changes every container and process on the node, which is why Docker refuses to start such a container and the kubelet refuses such a pod unless the node's administrator allows it (`--allowed-unsafe-sysctls`). Even namespaced parameters outside the safe set can take memory or connections from other pods on the node. The Pod Security Standards' baseline profile allows only the safe set.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  selector:
    matchLabels: {app: search}
  template:
    metadata:
      labels: {app: search}
    spec:
      securityContext:
        sysctls:
          - name: vm.max_map_count
            value: "262144"
      containers:
        - name: search
          image: example/search:8.1
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: search
spec:
  selector:
    matchLabels: {app: search}
  template:
    metadata:
      labels: {app: search}
    spec:
      securityContext:
        sysctls:
          - name: net.ipv4.ip_local_port_range
            value: "1024 65535"
      containers:
        - name: search
          image: example/search:8.1
"#,
    },
};

/// The kubelet's safe sysctls (Kubernetes 1.32): namespaced and isolated from the
/// other pods of the node.
const KUBERNETES_SAFE: &[&str] = &[
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.ping_group_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/// The IPC-namespace parameters Docker lets a container set.
const DOCKER_IPC: &[&str] = &[
    "kernel.msgmax",
    "kernel.msgmnb",
    "kernel.msgmni",
    "kernel.sem",
    "kernel.shmall",
    "kernel.shmmax",
    "kernel.shmmni",
    "kernel.shm_rmid_forced",
];

/// Why a Docker (Compose, Marathon) sysctl reaches the host, if it does.
fn docker_problem(name: &str, w: &Workload) -> Option<&'static str> {
    if name.starts_with("net.") {
        return w
            .host_network
            .is_some()
            .then_some("it shares the host's network, so the parameter would be the host's");
    }
    if DOCKER_IPC.contains(&name) || name.starts_with("fs.mqueue.") {
        return None;
    }
    Some("the parameter is not namespaced, so it would be the host's")
}

fn report(cx: &mut Context<'_>, w: &Workload, s: &Sysctl, why: &str, help: &str) {
    cx.report_at(
        s.loc,
        format!("{} sets the sysctl {}: {why}", w.describe(), s.name),
    )
    .help = Some(help.into());
}

impl Rule for UnsafeSysctls {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for s in &w.hardening.sysctls {
                let name = s.name.trim();
                if name.is_empty() || name.contains('$') || name.contains("{{") {
                    continue;
                }
                match w.format {
                    Format::Kubernetes => {
                        if KUBERNETES_SAFE.contains(&name) {
                            continue;
                        }
                        report(
                            cx,
                            w,
                            s,
                            "it is outside the kubelet's safe set, so the pod is refused unless the node allows it, and it may affect other pods on the node",
                            "set it on the nodes (a tuning DaemonSet, the node's configuration) or keep to the safe sysctls; if the nodes allow it on purpose, suppress the finding with the reason",
                        );
                    }
                    Format::Compose | Format::Marathon => {
                        let Some(why) = docker_problem(name, w) else {
                            continue;
                        };
                        report(
                            cx,
                            w,
                            s,
                            &format!("{why}, and Docker refuses to start the container"),
                            "set the parameter on the host (`/etc/sysctl.d`), not on the container",
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::docker_problem;
    use crate::model::{Workload, WorkloadKind};
    use crate::source::{FileId, Format, Loc, Span};

    #[test]
    fn docker_accepts_only_namespaced_parameters() {
        let mut w = Workload::new(
            Format::Compose,
            WorkloadKind::ComposeService,
            "db".into(),
            Loc::new(FileId(0), Span::new(0, 1)),
        );
        assert!(docker_problem("net.core.somaxconn", &w).is_none());
        assert!(docker_problem("kernel.shmmax", &w).is_none());
        assert!(docker_problem("fs.mqueue.msg_max", &w).is_none());
        assert!(docker_problem("vm.max_map_count", &w).is_some());
        assert!(docker_problem("kernel.randomize_va_space", &w).is_some());
        w.host_network = Some(Loc::new(FileId(0), Span::new(0, 1)));
        assert!(docker_problem("net.core.somaxconn", &w).is_some());
    }
}
