//! `correctness/hpa-target-missing`: a HorizontalPodAutoscaler whose target is not
//! defined anywhere.

use super::{closest_name, hint_candidates, named_objects, suggest};
use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct HpaTargetMissing;

static META: RuleMeta = RuleMeta {
    name: "hpa-target-missing",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("dangling-horizontalpodautoscaler"),
        Peer::KubeScore("horizontalpodautoscaler-has-target"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a HorizontalPodAutoscaler scales a workload that is not defined",
    what: "Reports a HorizontalPodAutoscaler whose `scaleTargetRef` (`scaleRef` in `extensions/v1beta1`) names a Deployment, StatefulSet, ReplicaSet or ReplicationController that neither its project nor any other scanned file defines; the finding points at the target's name and, when the project has a workload of that kind with a close name, suggests it (or the kind, when a workload of another kind has the name). Targets of other kinds (custom resources with a scale subresource, such as Argo Rollouts) are not checked. A project with no workload of the target's kind at all is left alone: its autoscalers are kept apart from the workloads they scale (an `autoscaling/` directory beside the manifests), and what it sees says nothing about them. Kinds and names are compared as written; namespaces are not compared.",
    why: "An autoscaler whose target does not exist scales nothing: the controller only records `FailedGetScale` on it, and the workload meant to scale under load stays at its fixed replica count. It usually means the workload was renamed and the autoscaler was not.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
      - name: checkout
        image: example/checkout:2.3
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: checkout-api
  minReplicas: 2
  maxReplicas: 10
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      containers:
      - name: checkout
        image: example/checkout:2.3
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: checkout
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: checkout
  minReplicas: 2
  maxReplicas: 10
"#,
    },
};

/// The kinds with a scale subresource that orchlint knows.
const SCALABLE: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
];

impl Rule for HpaTargetMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        for (file, hpa) in &objects {
            let Some((kind, name)) = hpa.scale_target(&file.docs) else {
                continue;
            };
            if name.value.is_empty()
                || !SCALABLE.contains(&kind.value.as_str())
                || !named_objects(cx, &kind.value, &name.value).is_empty()
            {
                continue;
            }
            if !objects
                .iter()
                .any(|(_, o)| o.kind.value == kind.value && o.name.is_some())
            {
                continue;
            }
            let near = closest_name(hint_candidates(cx, &kind.value), &name.value);
            let d = cx.report(
                file.id,
                name.span,
                format!(
                    "{} scales {} \"{}\", which is not defined in the project or any scanned file",
                    hpa.describe(),
                    kind.value,
                    name.value
                ),
            );
            d.help = Some(format!(
                "name a {} of the project in `scaleTargetRef`, or remove the autoscaler",
                kind.value
            ));
            // The same name on a workload of another kind: the kind is wrong.
            let other_kind = objects.iter().find(|(_, o)| {
                o.kind.value != kind.value
                    && SCALABLE.contains(&o.kind.value.as_str())
                    && o.name.as_ref().is_some_and(|n| n.value == name.value)
            });
            if let Some((f, o)) = other_kind {
                d.help = Some(format!("set `kind: {}`", o.kind.value));
                d.related.push(Related {
                    file: f.id,
                    span: o.anchor(),
                    message: format!("{} has that name", o.describe()),
                });
            } else {
                suggest(d, near);
            }
        }
    }
}
