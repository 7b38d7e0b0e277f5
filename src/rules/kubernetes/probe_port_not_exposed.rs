//! `correctness/probe-port-not-exposed`: a probe aimed at a port the container does
//! not have.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::model::{Container, PortRef, Probe, Workload};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ProbePortNotExposed;

static META: RuleMeta = RuleMeta {
    name: "probe-port-not-exposed",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("liveness-port"),
        Peer::KubeLinter("readiness-port"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a probe targets a port the container does not have",
    what: "Reports a liveness or readiness probe (`httpGet`, `tcpSocket`, `grpc`) whose port is a name that none of the container's own `ports` carries, and a numeric probe port that the container declares only as a `hostPort`. Other numeric ports are not reported even when undeclared: Kubernetes does not require a container to list the ports it listens on, and probing an unlisted admin port is common. Probes of another `host` are left out. The finding points at the probe's port.",
    why: "The kubelet resolves a named probe port among the container's own ports only; when the name is missing the probe fails every time, so the container never becomes ready or is restarted in a loop. A probe always connects to the pod's address, where a host port number is not listening.",
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
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
        readinessProbe:
          httpGet: {path: /, port: web}
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
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
        readinessProbe:
          httpGet: {path: /, port: http}
"#,
    },
};

impl Rule for ProbePortNotExposed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if w.format != Format::Kubernetes {
                continue;
            }
            for c in &w.containers {
                for (kind, probe) in [("liveness", &c.liveness), ("readiness", &c.readiness)] {
                    if let Some(probe) = probe {
                        check_probe(cx, w, c, kind, probe);
                    }
                }
            }
        }
    }
}

fn check_probe(cx: &mut Context<'_>, w: &Workload, c: &Container, kind: &str, probe: &Probe) {
    let Some(port) = &probe.port else {
        return;
    };
    let subject = format!(
        "{kind} probe of container \"{}\" of {}",
        c.name.value,
        w.describe()
    );
    match &port.value {
        PortRef::Name(name) => {
            if c.ports.iter().any(|p| p.name.as_deref() == Some(name)) {
                return;
            }
            let names: Vec<&str> = c.ports.iter().filter_map(|p| p.name.as_deref()).collect();
            let d = cx.report_at(
                port.loc,
                format!("{subject} targets port `{name}`, which the container does not name"),
            );
            d.help = Some(if names.is_empty() {
                format!(
                    "name one of the container's `ports` `{name}`, or give the probe the port number"
                )
            } else {
                format!(
                    "use one of the container's port names ({}), or name a port `{name}`",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        }
        PortRef::Number(n) => {
            let n = *n;
            let declared = w
                .containers
                .iter()
                .flat_map(|c| &c.ports)
                .any(|p| p.container == Some(n));
            let Some(host) = c.ports.iter().find(|p| p.host == Some(n)) else {
                return;
            };
            if declared {
                return;
            }
            let message = match host.container {
                Some(p) => format!(
                    "{subject} targets port {n}, the node-side hostPort of container port {p}"
                ),
                None => format!("{subject} targets port {n}, a hostPort of the container"),
            };
            cx.report_at(port.loc, message)
            .help = Some(match host.container {
                Some(p) => format!("probe the container port {p}: probes connect to the pod's address, not the node's"),
                None => "probe the port the container listens on: probes connect to the pod's address, not the node's".into(),
            });
        }
        PortRef::Index(_) => {}
    }
}
