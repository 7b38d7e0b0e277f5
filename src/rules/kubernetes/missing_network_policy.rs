//! `reliability/missing-network-policy`: a workload whose pods no NetworkPolicy of
//! the project selects.

use super::pod_specs;
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::formats::kubernetes::pod_labels_in_tree;
use crate::formats::kubernetes::selector::selects;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::yaml::Node;

pub(crate) struct MissingNetworkPolicy;

static META: RuleMeta = RuleMeta {
    name: "missing-network-policy",
    family: Family::Reliability,
    severity: Severity::Info,
    tier: Tier::OptIn("network isolation is a cluster policy: many clusters enforce it with namespace-wide policies or a service mesh kept outside the application's repository"),
    peers: &[
        Peer::KubeLinter("non-isolated-pod"),
        Peer::KubeScore("pod-networkpolicy"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a workload's pods are selected by no NetworkPolicy",
    what: "Reports a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) whose pod labels no NetworkPolicy of its project selects. A policy with an empty `podSelector` selects every pod, and one with `matchExpressions` is taken to select the workload (orchlint does not evaluate expressions). Namespaces are not compared. The finding points at the workload's name.",
    why: "Pods that no NetworkPolicy selects accept traffic from every pod of the cluster and can reach every other: one compromised workload can talk to databases and internal APIs it never needed. A policy per workload (or a default-deny policy per namespace) limits what a compromise reaches.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
spec:
  podSelector:
    matchLabels: {app: db}
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: api}
"#,
    },
};

/// What a NetworkPolicy's `podSelector` selects.
enum Selects {
    All,
    Labels(Vec<(String, String)>),
}

impl Rule for MissingNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut policies = Vec::new();
        for (file, o) in project_objects(cx.project, cx.files) {
            if o.kind.value != "NetworkPolicy" {
                continue;
            }
            let selector = o.at(&file.docs).path(&["spec", "podSelector"]);
            let pairs: Vec<(String, String)> = selector
                .key("matchLabels")
                .node()
                .and_then(Node::as_mapping)
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect();
            policies.push(if pairs.is_empty() || selector.key("matchExpressions").exists() {
                Selects::All
            } else {
                Selects::Labels(pairs)
            });
        }
        if policies.iter().any(|p| matches!(p, Selects::All)) {
            return;
        }
        for p in pod_specs(cx) {
            let labels = pod_labels_in_tree(p.object, &p.file.docs).unwrap_or_default();
            let covered = policies.iter().any(|s| match s {
                Selects::All => true,
                Selects::Labels(pairs) => selects(pairs, &labels),
            });
            if covered {
                continue;
            }
            let d = cx.report(
                p.file.id,
                p.object.anchor(),
                format!(
                    "no NetworkPolicy of the project selects the pods of {}: they accept traffic from anywhere in the cluster",
                    p.object.describe()
                ),
            );
            d.help = Some(
                "add a NetworkPolicy whose `podSelector` matches the pod labels and allows only the traffic the workload needs".into(),
            );
        }
    }
}
