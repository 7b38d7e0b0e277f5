//! `reliability/no-anti-affinity`: replicas that may all land on one node.

use super::pod_specs;
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::yaml::Node;

pub(crate) struct NoAntiAffinity;

static META: RuleMeta = RuleMeta {
    name: "no-anti-affinity",
    family: Family::Reliability,
    severity: Severity::Info,
    tier: Tier::OptIn("the scheduler already spreads replicas of a Service's pods by default, and hard spreading rules fail on small clusters"),
    peers: &[
        Peer::KubeLinter("no-anti-affinity"),
        Peer::KubeScore("deployment-has-host-podantiaffinity"),
        Peer::KubeScore("statefulset-has-host-podantiaffinity"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a workload with several replicas does not keep them on different nodes",
    what: "Reports the `replicas` of a Deployment, StatefulSet or ReplicaSet that runs more than one replica when its pod template has neither a `podAntiAffinity` nor a `topologySpreadConstraints` entry over `kubernetes.io/hostname`. The finding points at `replicas`.",
    why: "Replicas exist so that the loss of one pod does not take the service down; when they all run on one node, that node's failure, drain or upgrade takes all of them at once. An anti-affinity (preferred is enough) or a spread constraint on the hostname asks the scheduler to put them on different nodes.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels: {app: web}
      containers:
      - name: web
        image: nginx:1.27
"#,
    },
};

impl Rule for NoAntiAffinity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for p in pod_specs(cx) {
            if !matches!(
                p.object.kind.value.as_str(),
                "Deployment" | "StatefulSet" | "ReplicaSet"
            ) {
                continue;
            }
            let Some(replicas) = p
                .object
                .at(&p.file.docs)
                .path(&["spec", "replicas"])
                .node()
            else {
                continue;
            };
            let Some(n) = replicas.as_i64().filter(|n| *n > 1) else {
                continue;
            };
            if p.spec.path(&["affinity", "podAntiAffinity"]).exists() {
                continue;
            }
            let spread = p
                .spec
                .key("topologySpreadConstraints")
                .node()
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .any(|c| {
                    c.get("topologyKey").and_then(Node::as_str) == Some("kubernetes.io/hostname")
                });
            if spread {
                continue;
            }
            let d = cx.report(
                p.file.id,
                replicas.span,
                format!(
                    "{} runs {n} replicas with no anti-affinity or spread over nodes: they may all run on one node",
                    p.object.describe()
                ),
            );
            d.help = Some(
                "add a `topologySpreadConstraints` entry (or a preferred `podAntiAffinity`) with `topologyKey: kubernetes.io/hostname` over the pod labels".into(),
            );
        }
    }
}
