//! `security/ssh-port-exposed`: a container serves port 22, SSH's port.

use crate::diagnostic::{Example, Family, RuleMeta, Severity};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::model::Port;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct SshPortExposed;

static META: RuleMeta = RuleMeta {
    name: "ssh-port-exposed",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("ssh-port"),
    ],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a container exposes port 22, the SSH port",
    what: "Reports a container port 22 over TCP: a Compose `ports` entry whose container side is 22, a Kubernetes `containerPort: 22`, a Marathon port mapping with `containerPort: 22` or, on host networking, a port definition on 22. The finding points at the port entry. kube-linter's `ssh-port` check reports the same on Kubernetes.",
    why: "An SSH server in a container is a second way in that the orchestrator does not see: its keys and accounts live in the image, it bypasses the audit and access control of `kubectl exec` or `docker exec`, and port 22 is among the first that scanners try.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: tools
spec:
  selector:
    matchLabels: {app: tools}
  template:
    metadata:
      labels: {app: tools}
    spec:
      containers:
        - name: tools
          image: example/tools:1.4
          ports:
            - containerPort: 22
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: tools
spec:
  selector:
    matchLabels: {app: tools}
  template:
    metadata:
      labels: {app: tools}
    spec:
      containers:
        - name: tools
          image: example/tools:1.4
          ports:
            - containerPort: 8080
"#,
    },
};

/// Port 22 over TCP inside the container (or on the host, where the container has
/// no port of its own).
fn is_ssh(p: &Port) -> bool {
    let inside = p.container.or(p.host);
    inside == Some(22) && !p.protocol.eq_ignore_ascii_case("udp")
}

impl Rule for SshPortExposed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            for c in &w.containers {
                for p in c.ports.iter().filter(|p| is_ssh(p)) {
                    let message = format!("{} exposes port 22, the SSH port", w.describe_container(c));
                    cx.report_at(p.loc, message).help = Some(
                        "reach the container with `kubectl exec` or `docker exec` instead of an SSH server in the image; if the port serves something else, move it off 22".into(),
                    );
                }
            }
        }
    }
}
