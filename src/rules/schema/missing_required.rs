//! `schema/missing-required`: a field the API server requires is left out.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingRequired;

static META: RuleMeta = RuleMeta {
    name: "missing-required",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Compose, Format::Kubernetes, Format::Marathon],
    summary: "a field the API server requires is missing",
    what: "Reports, in Kubernetes objects, a required field left out or empty: `metadata.name` (unless `generateName` is set), a pod's `containers` and each container's `name` and `image`, a container port's `containerPort`, each environment variable's `name`, each volume mount's `name` and `mountPath`, the `selector` of an apps/v1 Deployment, ReplicaSet, StatefulSet or DaemonSet, the pod `template` of workloads and Jobs, a Job template's `restartPolicy` (its default, Always, is rejected for Jobs), a CronJob's `schedule` and `jobTemplate`, a Service's `ports` (unless headless or ExternalName), each Service port's `port`, and the port `name`s of a Service with several ports. In a custom resource whose CustomResourceDefinition is in the scan, every key its `openAPIV3Schema` lists as `required`. Files a kustomization applies as patches are left out: they are fragments. The finding points at the mapping that lacks the key (or the object's name), with the key path in the message. In Compose projects: a service with neither `image` nor `build` (nor a `provider`) once the project's files are merged as Compose merges them (overrides applied, `extends` followed, across files); the finding points at the service's name. A ulimit written as a mapping with only one of `soft` and `hard` (`nofile: {soft: 1024}`): the Compose Specification requires both; the finding points at the mapping. A service whose `extends` names a file that was not scanned, an override file alone (a fragment meant for a main file elsewhere), and a service that another Compose file of the same directory also defines (an override meant to be layered over it with `docker compose -f base.yml -f prod.yml`) are not judged. In Marathon apps and pods, what Marathon's API types require (the RAML types of its REST API): an app's or pod's `id`, an app that names nothing to run (none of `cmd`, `args` and `container`, nor an `executor`; Marathon refuses it as a new app, so a file kept as the body of a partial update needs a suppression), a pod's `containers` and each container's `name` and `resources`, `container.docker.image`, the `key` and `value` of a Docker parameter, a volume's `containerPath` (app) or `name` (pod), a persistent volume's `size`, a fetched artifact's `uri`, a secret's `source`, an endpoint's `name`, a pod image's `id`, the `endpoint` of an HTTP or TCP pod health check, a volume mount's `name` and `mountPath`, and a pod constraint's `fieldName` and `operator`. The finding points at the object that lacks the key (an app without anything to run: at its `id`).",
    why: "kube-apiserver refuses the object (`Required value`), so `kubectl apply` fails, and `docker compose` refuses a project with a service it cannot make a container for (\"has neither an image nor a build context specified\"), and Marathon answers 422 to such an app or pod (\"AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'\", a missing path); k8s-openapi and most schema checks read a missing required string as empty and say nothing.",
    bad: Example {
        file_name: "job.yaml",
        text: r#"apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      containers:
      - name: migrate
"#,
    },
    good: Example {
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
        image: example/migrate:1.4
"#,
    },
};

impl Rule for MissingRequired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::report(cx, |f| &f.missing);
    }
}
