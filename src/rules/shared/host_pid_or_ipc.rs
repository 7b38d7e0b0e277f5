//! `security/host-pid-or-ipc`: a workload shares the host's PID or IPC namespace.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct HostPidOrIpc;

static META: RuleMeta = RuleMeta {
    name: "host-pid-or-ipc",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("host-ipc"),
        Peer::KubeLinter("host-pid"),
        Peer::Checkov("CKV_K8S_17"),
        Peer::Checkov("CKV_K8S_18"),
        Peer::Trivy("KSV008"),
        Peer::Trivy("KSV010"),
        Peer::Polaris("hostIPCSet"),
        Peer::Polaris("hostPIDSet"),
        Peer::ComposeLint("CL-0010"),
    ],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a workload shares the host's PID or IPC namespace",
    what: "Reports Kubernetes `hostPID: true` and `hostIPC: true`, Compose `pid: host` and `ipc: host`, and the Marathon Docker parameters `pid=host` and `ipc=host`. Each setting is its own finding, pointing at the entry that asks for it. Node agents (process exporters, profilers, debuggers) may need the host's PID namespace: keep it for them and suppress the finding there with the reason.",
    why: "With the host's PID namespace the container sees every process of the host, reads their command lines and environments (where secrets often sit), can signal them and, as root or with `SYS_PTRACE`, reach into them and their files through `/proc/<pid>/root`. With the host's IPC namespace it can read and write the shared memory and message queues of the host's processes. The Pod Security Standards' baseline profile forbids both.",
    bad: Example {
        file_name: "daemonset.yaml",
        text: r#"apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  selector:
    matchLabels: {app: log-agent}
  template:
    metadata:
      labels: {app: log-agent}
    spec:
      hostPID: true
      containers:
        - name: agent
          image: example/log-agent:1.4
"#,
    },
    good: Example {
        file_name: "daemonset.yaml",
        text: r#"apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  selector:
    matchLabels: {app: log-agent}
  template:
    metadata:
      labels: {app: log-agent}
    spec:
      containers:
        - name: agent
          image: example/log-agent:1.4
"#,
    },
};

impl Rule for HostPidOrIpc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            let shared = [
                (
                    w.host_pid,
                    "process (PID)",
                    "it sees and can signal every process of the host",
                ),
                (
                    w.host_ipc,
                    "IPC",
                    "it can reach the shared memory of the host's processes",
                ),
            ];
            for (span, namespace, risk) in shared {
                let Some(span) = span else { continue };
                cx.report_at(
                    span,
                    format!(
                        "{} shares the host's {namespace} namespace: {risk}",
                        w.describe()
                    ),
                )
                .help = Some(
                    "remove the setting; keep it only for node agents that must see the host's processes, and suppress the finding there with the reason".into(),
                );
            }
        }
    }
}
