//! `reliability/identical-probes`: a container whose liveness probe is the same as
//! its readiness probe.

use super::{pod_specs, same_tree};
use crate::diagnostic::{Example, Family, Peer, Related, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct IdenticalProbes;

static META: RuleMeta = RuleMeta {
    name: "identical-probes",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::OptIn("many services probe one cheap health endpoint for both on purpose, and whether a restart on unreadiness hurts depends on the service"),
    peers: &[Peer::KubeScore("pod-probes-identical")],
    formats: &[Format::Kubernetes],
    summary: "a container's liveness probe is the same as its readiness probe",
    what: "Reports a container (of a Pod or of the pod template of a workload) whose `livenessProbe` and `readinessProbe` are identical: the same check (`httpGet`, `tcpSocket`, `exec` or `grpc`, with the same path, port and command) and the same timings and thresholds, key for key. Probes that share an endpoint but differ in timing or thresholds (a liveness probe that waits longer or tolerates more failures) are left alone. The finding points at `livenessProbe`.",
    why: "Readiness takes a busy or briefly unhealthy pod out of the Service until it recovers; liveness restarts it. When both probes are the same, the moment a pod stops being ready it is also restarted, so an overload or a slow dependency turns into restarts of every replica instead of a short pause in traffic.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example/api:1.4
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
          periodSeconds: 10
        readinessProbe:
          httpGet: {path: /healthz, port: 8080}
          periodSeconds: 10
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: example/api:1.4
        livenessProbe:
          httpGet: {path: /healthz, port: 8080}
          periodSeconds: 10
          failureThreshold: 6
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
          periodSeconds: 10
"#,
    },
};

impl Rule for IdenticalProbes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for p in pod_specs(cx) {
            let containers = p
                .spec
                .key("containers")
                .node()
                .and_then(|n| n.as_sequence())
                .unwrap_or_default();
            for c in containers {
                let (Some((live_key, live)), Some((ready_key, ready))) =
                    (c.entry("livenessProbe"), c.entry("readinessProbe"))
                else {
                    continue;
                };
                if live.as_mapping().is_none_or(<[_]>::is_empty) || !same_tree(live, ready) {
                    continue;
                }
                let name = c.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                let d = cx.report(
                    p.file.id,
                    live_key.span,
                    format!(
                        "container \"{name}\" of {} has the same liveness and readiness probe",
                        p.object.describe()
                    ),
                );
                d.help = Some(
                    "let the liveness probe tolerate more (a higher `failureThreshold` or `periodSeconds`), or check a cheaper endpoint that only fails when the process must be restarted".into(),
                );
                d.related.push(Related {
                    file: p.file.id,
                    span: ready_key.span,
                    message: "the readiness probe is the same".into(),
                });
            }
        }
    }
}
