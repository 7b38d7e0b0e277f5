//! `security/unmasked-proc-mount`: a Kubernetes container sees `/proc` unmasked.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnmaskedProcMount;

static META: RuleMeta = RuleMeta {
    name: "unmasked-proc-mount",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("unsafe-proc-mount"),
        Peer::Trivy("KSV027"),
        Peer::Polaris("procMount"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a Kubernetes container mounts /proc without the runtime's masks",
    what: "Reports a Kubernetes container whose `securityContext.procMount` is `Unmasked`, pointing at the entry. Pods in a user namespace of their own (`hostUsers: false`), where nested container runtimes need it, are left out.",
    why: "The runtime masks and makes read-only the parts of `/proc` that reach the host's kernel (`/proc/sys`, `/proc/sysrq-trigger`, `/proc/kcore`, ...). `Unmasked` removes those masks; it is meant for nested container runtimes inside a pod with its own user namespace, and the Pod Security Standards' baseline profile forbids it elsewhere.",
    bad: Example {
        file_name: "pod.yaml",
        text: r#"apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  containers:
    - name: builder
      image: example/builder:3.0
      securityContext:
        procMount: Unmasked
"#,
    },
    good: Example {
        file_name: "pod.yaml",
        text: r#"apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  containers:
    - name: builder
      image: example/builder:3.0
      securityContext:
        procMount: Default
"#,
    },
};

impl Rule for UnmaskedProcMount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            // In a pod with its own user namespace an unmasked /proc is what nested
            // runtimes need, and it reaches no host setting.
            if w.hardening.own_user_namespace {
                continue;
            }
            for c in &w.containers {
                let Some(p) = &c.hardening.proc_mount else {
                    continue;
                };
                if p.value != "Unmasked" {
                    continue;
                }
                cx.report_at(
                    p.loc,
                    format!(
                        "{} mounts /proc unmasked: it can reach the host kernel's settings under /proc/sys",
                        w.describe_container(c)
                    ),
                )
                .help = Some(
                    "remove `procMount: Unmasked`; keep it only for nested container runtimes in a pod with `hostUsers: false`".into(),
                );
            }
        }
    }
}
