//! `security/host-port`: a Kubernetes container binds a port of its node.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Peer, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct HostPort;

static META: RuleMeta = RuleMeta {
    name: "host-port",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("node agents and ingress controllers bind host ports on purpose, and whether others may is a cluster policy"),
    peers: &[
        Peer::Checkov("CKV_K8S_26"),
        Peer::Trivy("KSV024"),
        Peer::Polaris("hostPortSet"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a Kubernetes container binds a port on its node",
    what: "Reports each `hostPort` of a Kubernetes container's `ports` (init containers included), pointing at the port entry. Pods on the host's network are left out: their ports are the node's anyway, which `security/host-network` reports.",
    why: "A `hostPort` opens the port on the node's own addresses, outside the Service and often outside NetworkPolicy, so the pod is reachable by anything that reaches the node. Each node has the port once, so two replicas cannot share a node, and a rollout can stall waiting for a node whose port is free.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.4
          ports:
            - containerPort: 8080
              hostPort: 80
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1.4
          ports:
            - containerPort: 8080
"#,
    },
};

impl Rule for HostPort {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if w.format != Format::Kubernetes || w.host_network.is_some() {
                continue;
            }
            for c in &w.containers {
                for p in &c.ports {
                    let Some(host) = p.host else { continue };
                    cx.report_at(
                        p.loc,
                        format!(
                            "{} binds port {host} on its node (`hostPort`)",
                            w.describe_container(c)
                        ),
                    )
                    .help = Some(
                        "remove `hostPort` and reach the pod through a Service (a `NodePort` or `LoadBalancer` one when it must be reached from outside)".into(),
                    );
                }
            }
        }
    }
}
