//! `correctness/target-port-not-found`: a Service port whose target no container of
//! the selected pods has.

use crate::diagnostic::{Example, Family, Related, RuleMeta, Severity, Tier};
use crate::formats::kubernetes::selector::selects;
use crate::formats::kubernetes::tree::At;
use crate::model::Workload;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;
use crate::yaml::Node;

pub(crate) struct TargetPortNotFound;

static META: RuleMeta = RuleMeta {
    name: "target-port-not-found",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a Service's `targetPort` matches no container port of the pods it selects",
    what: "Reports a Service port whose `targetPort` is a port name that no container of the workloads it selects (in its project) gives one of its ports, and one whose numeric `targetPort` (or `port`, when `targetPort` is left out) is none of their container ports while every selected workload declares its ports. Numbers are only compared there because Kubernetes does not require a container to list the ports it listens on. Services that select pods of no workload of the project, or also pods of objects orchlint does not read (custom resources), are left out. The finding points at the target port.",
    why: "A named `targetPort` that no pod defines gives the Service no endpoints for that port; a numeric one that the container does not listen on sends every connection to a closed port. Either way clients get refused connections while the pods look healthy; it is usually a port renamed or renumbered on the container and not in the Service.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: http
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
        ports:
        - name: web
          containerPort: 8080
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: web
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
        ports:
        - name: web
          containerPort: 8080
"#,
    },
};

impl Rule for TargetPortNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model;
        for (file, svc) in project_objects(cx.project, cx.files) {
            if svc.kind.value != "Service" {
                continue;
            }
            let spec = svc.at(&file.docs).key("spec");
            let selector: Vec<(String, String)> = spec
                .key("selector")
                .node()
                .and_then(Node::as_mapping)
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect();
            if selector.is_empty() {
                continue;
            }
            let selected: Vec<&Workload> = model
                .workloads
                .iter()
                .filter(|w| w.format == Format::Kubernetes && selects(&selector, &w.labels))
                .collect();
            if selected.is_empty() {
                continue;
            }
            // Whether an untyped object also selected (asked once per Service, and
            // only for a port not found: it looks through every object of the scan).
            let mut untyped: Option<bool> = None;
            let all_declare = selected
                .iter()
                .all(|w| w.containers.iter().any(|c| !c.ports.is_empty()));
            let ports = spec
                .key("ports")
                .node()
                .and_then(Node::as_sequence)
                .unwrap_or_default();
            for port in ports {
                let port = At::new(port);
                let target = if port.key("targetPort").exists() {
                    port.key("targetPort")
                } else {
                    port.key("port")
                };
                let Some(node) = target.node() else { continue };
                let Some(text) = node.as_str() else { continue };
                if text.contains(['$', '{']) {
                    continue;
                }
                let found = match node.as_i64().filter(|_| node.scalar().is_some_and(|s| s.plain)) {
                    Some(n) => {
                        !all_declare
                            || selected.iter().any(|w| {
                                w.containers.iter().any(|c| {
                                    c.ports.iter().any(|p| p.container.map(i64::from) == Some(n))
                                })
                            })
                    }
                    None => selected.iter().any(|w| {
                        w.containers
                            .iter()
                            .any(|c| c.ports.iter().any(|p| p.name.as_deref() == Some(text)))
                    }),
                };
                if found {
                    continue;
                }
                if *untyped.get_or_insert_with(|| selected_untyped(cx, &selector)) {
                    break;
                }
                let w = selected[0];
                let declared: Vec<String> = selected
                    .iter()
                    .flat_map(|w| w.containers.iter().flat_map(|c| &c.ports))
                    .map(|p| match (&p.name, p.container) {
                        (Some(n), Some(c)) => format!("`{n}` ({c})"),
                        (None, Some(c)) => c.to_string(),
                        (Some(n), None) => format!("`{n}`"),
                        (None, None) => "?".into(),
                    })
                    .collect();
                let what = if node.as_i64().is_some() { "port" } else { "port name" };
                let d = cx.report(
                    file.id,
                    node.span,
                    format!(
                        "{} targets {what} `{text}`, which no container of {} has",
                        svc.describe(),
                        selected
                            .iter()
                            .map(|w| w.describe())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                d.help = Some(if declared.is_empty() {
                    "name the container port the Service should reach, and target that name".into()
                } else {
                    format!(
                        "target one of the container ports: {}",
                        declared.join(", ")
                    )
                });
                d.related.push(Related {
                    file: w.at.file,
                    span: w.at.span,
                    message: format!("{} is selected here", w.describe()),
                });
            }
        }
    }
}

/// Whether an object of the scan that orchlint does not read as a workload (a
/// custom resource with a pod template) gives its pods the selector's labels.
fn selected_untyped(cx: &Context<'_>, selector: &[(String, String)]) -> bool {
    // Only objects read into no type can be such a resource: their pods' labels
    // are read from the tree once per scan.
    cx.look_beyond(super::Lookup::pods(selector));
    cx.untyped_pod_labels()
        .iter()
        .any(|labels| selects(selector, labels))
}
