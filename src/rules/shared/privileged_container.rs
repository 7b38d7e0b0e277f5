//! `security/privileged-container`: a container that runs privileged.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct PrivilegedContainer;

static META: RuleMeta = RuleMeta {
    name: "privileged-container",
    family: Family::Security,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("privileged-container"),
        Peer::KubeScore("container-security-context-privileged"),
        Peer::Checkov("CKV_K8S_16"),
        Peer::Trivy("KSV017"),
        Peer::Polaris("runAsPrivileged"),
        Peer::ComposeLint("CL-0002"),
    ],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a container runs in privileged mode",
    what: "Reports a container that asks for privileged mode: Compose `privileged: true`, Kubernetes `securityContext.privileged: true`, Marathon `container.docker.privileged: true`. The finding points at the entry that asks for it.",
    why: "A privileged container has every capability and sees the host's devices; a process that escapes it owns the host and every other container on it.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  agent:
    image: example/agent:2.1
    privileged: true
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  agent:
    image: example/agent:2.1
    cap_add: [NET_ADMIN]
"#,
    },
};

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                if let Some(span) = c.privileged {
                    cx.report_at(span, format!("{} runs privileged", w.describe_container(c)))
                        .help = Some(
                        "drop `privileged` and add only the capabilities the process needs".into(),
                    );
                }
            }
        }
    }
}
