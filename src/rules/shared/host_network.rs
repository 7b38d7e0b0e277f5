//! `security/host-network`: a workload shares the host's network namespace.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct HostNetwork;

static META: RuleMeta = RuleMeta {
    name: "host-network",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("host-network"),
        Peer::Checkov("CKV_K8S_19"),
        Peer::Trivy("KSV009"),
        Peer::Polaris("hostNetworkSet"),
        Peer::ComposeLint("CL-0008"),
    ],
    formats: &[Format::Compose, Format::Kubernetes],
    summary: "a workload uses the host's network namespace",
    what: "Reports Compose `network_mode: host` and Kubernetes `hostNetwork: true`. The finding points at the setting. Marathon is not checked: host networking is its default mode, and it hands each task its own ports from the agent's range.",
    why: "The container sees every interface of the host, can bind any of its ports and reach services listening on localhost; its ports also collide with other workloads on the same host, which limits scheduling.",
    bad: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    network_mode: host
"#,
    },
    good: Example {
        file_name: "compose.yaml",
        text: r#"services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
"#,
    },
};

impl Rule for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if let Some(span) = w.host_network {
                cx.report_at(span, format!("{} uses the host's network", w.describe()))
                    .help = Some("publish the ports it serves instead; keep host networking for agents that must see the host's interfaces".into());
            }
        }
    }
}
