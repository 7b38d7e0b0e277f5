//! `reliability/job-without-ttl`: a standalone Job that is never cleaned up.

use crate::diagnostic::{Example, Family, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct JobWithoutTtl;

static META: RuleMeta = RuleMeta {
    name: "job-without-ttl",
    family: Family::Reliability,
    severity: Severity::Info,
    tier: Tier::OptIn("keeping finished Jobs to read their logs and status is a common, deliberate choice"),
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a Job is kept forever after it finishes",
    what: "Reports a Job object (not the job template of a CronJob, whose history limits clean up) that does not set `spec.ttlSecondsAfterFinished`. The finding points at the Job's name.",
    why: "A finished Job and its pods stay in the cluster until someone deletes them: they keep counting against quotas, clutter `kubectl get pods`, and a Job of the same name cannot be applied again (its pod template is immutable), which breaks re-running a migration Job from the same manifest. `ttlSecondsAfterFinished` lets the TTL controller delete it.",
    bad: Example {
        file_name: "job.yaml",
        text: r#"apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: example/api:1.4
        args: [migrate]
"#,
    },
    good: Example {
        file_name: "job.yaml",
        text: r#"apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  ttlSecondsAfterFinished: 3600
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: example/api:1.4
        args: [migrate]
"#,
    },
};

impl Rule for JobWithoutTtl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for (file, o) in project_objects(cx.project, cx.files) {
            if o.kind.value != "Job" || !o.api_version.value.starts_with("batch/") {
                continue;
            }
            if o
                .at(&file.docs)
                .path(&["spec", "ttlSecondsAfterFinished"])
                .exists()
            {
                continue;
            }
            let d = cx.report(
                file.id,
                o.anchor(),
                format!(
                    "{} sets no `ttlSecondsAfterFinished`: it and its pods stay in the cluster after it finishes",
                    o.describe()
                ),
            );
            d.help = Some(
                "set `spec.ttlSecondsAfterFinished` to how long the finished Job should be kept".into(),
            );
        }
    }
}
