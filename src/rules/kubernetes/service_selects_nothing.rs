//! `correctness/service-selects-nothing`: a Service whose selector matches no pod
//! template.

use crate::diagnostic::{Example, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::diagnostic::{Family, Related, Severity};
use crate::formats::kubernetes::pod_labels_in_tree;
use crate::formats::kubernetes::selector::{selects, show_pairs};
use crate::model::Workload;
use crate::project::kubernetes::scan_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ServiceSelectsNothing;

static META: RuleMeta = RuleMeta {
    name: "service-selects-nothing",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("dangling-service"),
        Peer::KubeScore("service-targets-pod"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a Service's selector matches no pod template",
    what: "Reports a Service with a selector that matches the labels of no pod template (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) in its project, whatever file the workload is in. Before reporting, every scanned file is searched too, custom resources with a pod template (`spec.template`) included, so a Service kept apart from its workload, or selecting the pods of an Argo Rollout, is not reported. Services without a selector (ExternalName Services, Services with hand-written Endpoints) are left out, and so is a project with no workload at all (its pods come from a chart or an operator). The finding points at the selector and, when one exists, names the workload that matches most of it.",
    why: "A Service that selects no pod has no endpoints: clients that connect to it get refused or time out, and nothing in Kubernetes reports why. It is usually a typo in a label or a label renamed on one side only.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: frontend
  ports:
  - port: 80
---
apiVersion: apps/v1
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
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
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

impl Rule for ServiceSelectsNothing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model;
        // A project of Services and no workload at all: the pods come from
        // elsewhere (a chart, an operator, another repository), not a typo.
        if model.workloads.is_empty() {
            return;
        }
        for s in &model.services {
            let Some(selector) = s.selector_loc else {
                continue;
            };
            if s.selector.is_empty()
                || model
                    .workloads
                    .iter()
                    .any(|w| selects(&s.selector, &w.labels))
                || selected_elsewhere(cx, &s.selector)
            {
                continue;
            }
            let shown = show_pairs(&s.selector);
            let d = cx.report_at(
                selector,
                format!(
                    "Service \"{}\" selects no pods: no pod template has the labels `{shown}`",
                    s.name
                ),
            );
            d.help = Some(
                "make the selector match a workload's pod template labels, or remove it if the Service's endpoints are managed by hand".into(),
            );
            // The workload that matches most of the selector, or that has a label
            // close to one of its pairs (a typo), as a hint.
            fn near<'w>(
                selector: &[(String, String)],
                w: &'w Workload,
            ) -> Option<&'w (String, String)> {
                selector.iter().find_map(|(k, v)| {
                    w.labels.iter().find(|(lk, lv)| {
                        lk == k && lv != v && strsim::levenshtein(lv, v) <= 2.max(v.len() / 4)
                    })
                })
            }
            let best = model
                .workloads
                .iter()
                .map(|w| {
                    let hits = s.selector.iter().filter(|p| w.labels.contains(p)).count();
                    (hits + usize::from(near(&s.selector, w).is_some()), w)
                })
                .filter(|(score, _)| *score > 0)
                .max_by_key(|(score, w)| (*score, std::cmp::Reverse(w.at)));
            if let Some((_, w)) = best {
                if let Some((k, v)) = near(&s.selector, w) {
                    d.help = Some(format!(
                        "did you mean `{k}={v}` (the pod label of {})?",
                        w.describe()
                    ));
                }
                d.related.push(Related {
                    file: w.at.file,
                    span: w.at.span,
                    message: format!(
                        "{} labels its pods `{}`",
                        w.describe(),
                        show_pairs(&w.labels)
                    ),
                });
            }
        }
    }
}

/// Whether any object of the scan, in this project or another, gives its pods the
/// labels: pod templates are read from the tree, so custom resources with a pod
/// template and objects whose spec did not read count as well.
fn selected_elsewhere(cx: &Context<'_>, selector: &[(String, String)]) -> bool {
    cx.look_beyond(super::Lookup::pods(selector));
    scan_objects(cx.files).any(|(f, o)| {
        pod_labels_in_tree(o, &f.docs).is_some_and(|labels| selects(selector, &labels))
    })
}
