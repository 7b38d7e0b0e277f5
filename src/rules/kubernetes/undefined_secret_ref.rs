//! `correctness/undefined-secret-ref`: a pod refers to a Secret that no scanned
//! file defines.

use super::{RefKind, report_undefined_refs};
use crate::diagnostic::{Example, Family, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedSecretRef;

static META: RuleMeta = RuleMeta {
    name: "undefined-secret-ref",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::OptIn("Secrets are usually created out of band (kubectl, a secrets manager, an operator) and rightly kept out of the repository"),
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a pod refers to a Secret that is not defined",
    what: "Reports a Secret reference of a pod spec (`envFrom[].secretRef`, `env[].valueFrom.secretKeyRef`, a `secret` volume or a `projected` volume's `secret` source) that is not marked `optional: true` and names a Secret that no object of the project or of any other scanned file defines and no kustomization's `secretGenerator` generates (sealed or external secrets are not recognized: they create the Secret at run time). Names with template placeholders are left out; when a Secret of the project has a close name, the help suggests it.",
    why: "A pod whose required Secret does not exist does not start: its containers stay in `CreateContainerConfigError` or the pod stays `ContainerCreating`. For repositories that keep every Secret beside the workloads (encrypted, or as generators), a reference to none of them is a typo or a rename.",
    bad: Example {
        file_name: "app.yaml",
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
        image: example/web:2.0
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db-credentials, key: password}
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
stringData:
  password: change-me
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
        image: example/web:2.0
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: db-credentials, key: password}
"#,
    },
};

impl Rule for UndefinedSecretRef {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_undefined_refs(cx, RefKind::Secret, false);
    }
}
