//! `reliability/pdb-blocks-eviction`: a PodDisruptionBudget that allows no
//! voluntary disruption at all.

use crate::diagnostic::{Example, Family, Peer, Related, RuleMeta, Severity, Tier};
use crate::formats::kubernetes::pod_labels_in_tree;
use crate::formats::kubernetes::selector::selects;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::yaml::Node;

pub(crate) struct PdbBlocksEviction;

static META: RuleMeta = RuleMeta {
    name: "pdb-blocks-eviction",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("pdb-max-unavailable"),
        Peer::KubeLinter("pdb-min-available"),
        Peer::Polaris("pdbDisruptionsIsZero"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a PodDisruptionBudget never allows a pod to be evicted",
    what: "Reports a PodDisruptionBudget with `maxUnavailable: 0` (or `0%`) or `minAvailable: 100%`, and one whose integer `minAvailable` is at least the total `replicas` of the workloads of its project it selects (by `matchLabels`; every selected workload must set `replicas`, none may be a DaemonSet or be scaled by an autoscaler, otherwise the count is unknown and nothing is reported). The finding points at the value.",
    why: "Draining a node evicts its pods through the eviction API, which refuses any eviction the budget does not allow. A budget that allows none makes `kubectl drain`, cluster upgrades and the cluster autoscaler's scale-down wait forever on these pods, until someone deletes the budget by hand.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:2.0
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: web}
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:2.0
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
"#,
    },
};

impl Rule for PdbBlocksEviction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        for (file, pdb) in &objects {
            if pdb.kind.value != "PodDisruptionBudget"
                || !pdb.api_version.value.starts_with("policy/")
            {
                continue;
            }
            let spec = pdb.at(&file.docs).key("spec");
            let help = "allow at least one pod to be evicted: a `maxUnavailable` of 1 or more, or a `minAvailable` below the replica count";
            if let Some(max) = spec.key("maxUnavailable").node()
                && is_zero(max)
            {
                let d = cx.report(
                    file.id,
                    max.span,
                    format!(
                        "{} sets `maxUnavailable` to {}: no pod it selects can ever be evicted",
                        pdb.describe(),
                        text(max)
                    ),
                );
                d.help = Some(help.into());
                continue;
            }
            let Some(min) = spec.key("minAvailable").node() else {
                continue;
            };
            if min.as_str() == Some("100%") {
                let d = cx.report(
                    file.id,
                    min.span,
                    format!(
                        "{} sets `minAvailable` to 100%: no pod it selects can ever be evicted",
                        pdb.describe()
                    ),
                );
                d.help = Some(help.into());
                continue;
            }
            let Some(wanted) = min.scalar().filter(|s| s.plain).and_then(|_| min.as_i64()) else {
                continue;
            };
            let selector = spec.key("selector");
            if selector.key("matchExpressions").exists() {
                continue;
            }
            let pairs: Vec<(String, String)> = selector
                .key("matchLabels")
                .node()
                .and_then(Node::as_mapping)
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            let ns = pdb.metadata.namespace.as_deref();
            let mut total = 0i64;
            let mut selected = Vec::new();
            let mut known = true;
            for (wf, w) in &objects {
                if w.pod_template().is_none()
                    || ns.zip(w.metadata.namespace.as_deref()).is_some_and(|(a, b)| a != b)
                {
                    continue;
                }
                let Some(labels) = pod_labels_in_tree(w, &wf.docs) else {
                    continue;
                };
                if !selects(&pairs, &labels) {
                    continue;
                }
                let replicas = w
                    .at(&wf.docs)
                    .path(&["spec", "replicas"])
                    .node()
                    .and_then(Node::as_i64);
                let scaled = objects.iter().any(|(hf, h)| {
                    h.scale_target(&hf.docs).is_some_and(|(k, n)| {
                        k.value == w.kind.value
                            && w.name.as_ref().is_some_and(|wn| wn.value == n.value)
                    })
                });
                match replicas {
                    Some(r)
                        if !scaled
                            && matches!(
                                w.kind.value.as_str(),
                                "Deployment" | "StatefulSet" | "ReplicaSet" | "ReplicationController"
                            ) =>
                    {
                        total += r;
                        selected.push((*wf, *w));
                    }
                    _ => known = false,
                }
            }
            if !known || selected.is_empty() || wanted < total {
                continue;
            }
            let names: Vec<String> = selected.iter().map(|(_, w)| w.describe()).collect();
            let d = cx.report(
                file.id,
                min.span,
                format!(
                    "{} requires {wanted} available pods, but {} {} only {total}: no pod can ever be evicted",
                    pdb.describe(),
                    names.join(", "),
                    if selected.len() == 1 { "runs" } else { "run" }
                ),
            );
            d.help = Some(help.into());
            for (wf, w) in selected {
                d.related.push(Related {
                    file: wf.id,
                    span: w
                        .at(&wf.docs)
                        .path(&["spec", "replicas"])
                        .span_or(w.anchor()),
                    message: format!("{} sets its replica count here", w.describe()),
                });
            }
        }
    }
}

/// `0`, or a percentage of zero.
fn is_zero(n: &Node) -> bool {
    match n.as_str() {
        Some(s) if s.ends_with('%') => s.trim_end_matches('%').trim().parse::<f64>() == Ok(0.0),
        _ => n.scalar().is_some_and(|s| s.plain) && n.as_i64() == Some(0),
    }
}

fn text(n: &Node) -> String {
    n.as_str().unwrap_or_default().to_string()
}
