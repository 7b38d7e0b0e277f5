//! `correctness/network-policy-selects-nothing`: a NetworkPolicy whose pod selector
//! matches no pod template.

use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::formats::kubernetes::pod_labels_in_tree;
use crate::formats::kubernetes::selector::{selects, show_pairs};
use crate::project::kubernetes::{project_objects, scan_objects};
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::yaml::Node;

pub(crate) struct NetworkPolicySelectsNothing;

static META: RuleMeta = RuleMeta {
    name: "network-policy-selects-nothing",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("dangling-networkpolicy"),
        Peer::KubeScore("networkpolicy-targets-pod"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a NetworkPolicy's pod selector matches no pod template",
    what: "Reports a NetworkPolicy whose `podSelector.matchLabels` is not empty and matches the pod labels of no workload of its project nor of any other scanned file (custom resources with a pod template included). Selectors with `matchExpressions` are left out, and so is a project with no workload at all (its pods come from a chart or an operator). Namespaces are not compared. The finding points at the selector.",
    why: "A policy that selects no pod isolates nothing: the pods it was written for accept traffic from everywhere, and nothing reports it. It is usually a label renamed on the workload and not in the policy.",
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
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-ingress
spec:
  podSelector:
    matchLabels: {app: database}
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: api}
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
  name: db-ingress
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

impl Rule for NetworkPolicySelectsNothing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        if !objects.iter().any(|(_, o)| o.pod_template().is_some()) {
            return;
        }
        for (file, o) in &objects {
            if o.kind.value != "NetworkPolicy" {
                continue;
            }
            let selector = o.at(&file.docs).path(&["spec", "podSelector"]);
            if selector.key("matchExpressions").exists() {
                continue;
            }
            let labels = selector.key("matchLabels");
            let pairs: Vec<(String, String)> = labels
                .node()
                .and_then(Node::as_mapping)
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect();
            if pairs.is_empty() || pairs.iter().any(|(_, v)| v.contains(['$', '{'])) {
                continue;
            }
            cx.look_beyond(super::Lookup::pods(&pairs));
            let matched = scan_objects(cx.files).any(|(f, w)| {
                pod_labels_in_tree(w, &f.docs).is_some_and(|l| selects(&pairs, &l))
            });
            if matched {
                continue;
            }
            let Some(span) = labels.span() else { continue };
            let d = cx.report(
                file.id,
                span,
                format!(
                    "{} selects no pods: no pod template has the labels `{}`",
                    o.describe(),
                    show_pairs(&pairs)
                ),
            );
            d.help = Some(
                "make `podSelector` match the pod template labels of the workload the policy protects".into(),
            );
        }
    }
}
