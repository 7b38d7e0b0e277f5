//! `reliability/missing-readiness-probe`: a serving container without a readiness
//! probe.

use super::{is_batch_like, is_selected_by_service};
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingReadinessProbe;

static META: RuleMeta = RuleMeta {
    name: "missing-readiness-probe",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("no-readiness-probe"),
        Peer::Checkov("CKV_K8S_9"),
        Peer::Polaris("readinessProbeMissing"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a container that serves traffic has no readiness probe",
    what: "Reports a container of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, or a Pod that restarts) that has no `readinessProbe` although it may receive traffic: it declares a container port, or a Service of the project selects its pods. Init containers, Jobs, CronJobs and Pods with `restartPolicy: Never` or `OnFailure` are left out. The finding points at the container's name.",
    why: "Without a readiness probe a pod counts as ready as soon as its containers start, so Services send it requests while the application is still starting, and during a rolling update old pods are removed before new ones can serve.",
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
        - containerPort: 80
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
        - containerPort: 80
        readinessProbe:
          httpGet: {path: /, port: 80}
"#,
    },
};

impl Rule for MissingReadinessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let model = cx.model;
        for w in &model.workloads {
            if w.format != Format::Kubernetes || is_batch_like(w) {
                continue;
            }
            let selected = is_selected_by_service(model, w);
            for c in &w.containers {
                if c.init || c.readiness.is_some() || (c.ports.is_empty() && !selected) {
                    continue;
                }
                cx.report_at(
                    c.name.loc,
                    format!(
                        "container \"{}\" of {} has no readiness probe",
                        c.name.value,
                        w.describe()
                    ),
                )
                .help = Some(
                    "add a `readinessProbe` (httpGet, tcpSocket, grpc or exec) that succeeds only when the container can serve requests".into(),
                );
            }
        }
    }
}
