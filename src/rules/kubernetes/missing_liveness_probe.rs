//! `reliability/missing-liveness-probe`: a long-running container without a
//! liveness probe.

use super::is_batch_like;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingLivenessProbe;

static META: RuleMeta = RuleMeta {
    name: "missing-liveness-probe",
    family: Family::Reliability,
    severity: Severity::Info,
    tier: Tier::OptIn("a liveness probe that is wrong restarts healthy containers, and many services are better restarted by their own crash; kube-linter and Polaris also leave it to the team"),
    peers: &[
        Peer::KubeLinter("no-liveness-probe"),
        Peer::Checkov("CKV_K8S_8"),
        Peer::Polaris("livenessProbeMissing"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a long-running container has no liveness probe",
    what: "Reports a container of a long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, or a Pod that restarts) that has no `livenessProbe`. Init containers, Jobs, CronJobs and Pods with `restartPolicy: Never` or `OnFailure` are left out. The finding points at the container's name. It is informational by default: a liveness probe that checks too much restarts healthy containers, so add one only where a process can hang without exiting.",
    why: "The kubelet restarts a container only when its process exits; a process that deadlocks or stops making progress keeps running, and keeps its pod in the Service, until someone notices.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
      - name: worker
        image: example/worker:2.1
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
      - name: worker
        image: example/worker:2.1
        livenessProbe:
          exec:
            command: [/bin/worker, healthcheck]
"#,
    },
};

impl Rule for MissingLivenessProbe {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for w in &cx.model.workloads {
            if w.format != Format::Kubernetes || is_batch_like(w) {
                continue;
            }
            for c in &w.containers {
                if c.init || c.liveness.is_some() {
                    continue;
                }
                cx.report_at(
                    c.name.loc,
                    format!(
                        "container \"{}\" of {} has no liveness probe",
                        c.name.value,
                        w.describe()
                    ),
                )
                .help = Some(
                    "add a `livenessProbe` that fails only when the process is stuck and a restart would help".into(),
                );
            }
        }
    }
}
