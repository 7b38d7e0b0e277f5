//! `correctness/selector-template-mismatch`: a workload whose selector does not
//! select its own pod template.

use std::collections::BTreeMap;

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct SelectorTemplateMismatch;

static META: RuleMeta = RuleMeta {
    name: "selector-template-mismatch",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("mismatching-selector"),
        Peer::KubeScore("deployment-pod-selector-labels-match-template-metadata-labels"),
        Peer::KubeScore("statefulset-pod-selector-labels-match-template-metadata-labels"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a workload's selector does not match its pod template's labels",
    what: "Reports a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or ReplicationController whose `spec.selector` (`matchLabels` and `matchExpressions` with `In`, `NotIn`, `Exists`, `DoesNotExist`, or a ReplicationController's plain map) does not select the labels of its own pod template. The message names the first requirement the template's labels fail. A workload without a selector, whose selector defaults to the template's labels in old API versions, is left alone.",
    why: "The API server refuses such a workload (`selector does not match template labels`); in the old API versions that accepted it, the controller could never see the pods it created and kept creating more.",
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
      labels: {app: frontend}
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
};

impl Rule for SelectorTemplateMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let empty = BTreeMap::new();
        for (file, obj) in project_objects(cx.project, cx.files) {
            let (Some((selector, path)), Some(template)) = (obj.selector(), obj.pod_template())
            else {
                continue;
            };
            let at = obj.at(&file.docs);
            let Some(span) = at.path(path).span() else {
                continue;
            };
            if selector.is_empty() {
                continue;
            }
            let labels = template.labels.unwrap_or(&empty);
            let Some(unmet) = selector.first_unmet(labels) else {
                continue;
            };
            let template_text = if labels.is_empty() {
                "its pod template, which has no labels".to_string()
            } else {
                let shown: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("its pod template's labels `{}`", shown.join(","))
            };
            let d = cx.report(
                file.id,
                span,
                format!(
                    "selector of {} does not match {template_text}: `{}` does not hold",
                    obj.describe(),
                    unmet.0
                ),
            );
            d.help = Some(
                "make the selector select the pod template's labels (`spec.template.metadata.labels`), or change those labels".into(),
            );
            if let Some(labels_span) = at.path(template.path).path(&["metadata", "labels"]).span() {
                d.related.push(crate::diagnostic::Related {
                    file: file.id,
                    span: labels_span,
                    message: "the pod template's labels".into(),
                });
            }
        }
    }
}
