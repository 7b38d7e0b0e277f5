//! `correctness/undefined-configmap`: a pod refers to a ConfigMap that the project,
//! which defines its ConfigMaps, does not define.

use super::{RefKind, report_undefined_refs};
use crate::diagnostic::{Example, Family, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedConfigmap;

static META: RuleMeta = RuleMeta {
    name: "undefined-configmap",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a pod refers to a ConfigMap the project does not define",
    what: "Reports a ConfigMap reference of a pod spec (`envFrom[].configMapRef`, `env[].valueFrom.configMapKeyRef`, a `configMap` volume or a `projected` volume's `configMap` source) that is not marked `optional: true` and names a ConfigMap that no object of the project or of any other scanned file defines and no kustomization's `configMapGenerator` generates. Only projects that define or generate at least one ConfigMap are checked (the others get theirs from `kubectl create configmap`, a chart or an operator); names with template placeholders are left out, and so is `kube-root-ca.crt`, which Kubernetes creates in every namespace. When a ConfigMap of the project has a close name, the help suggests it. Namespaces are not compared.",
    why: "A pod whose required ConfigMap does not exist does not start: its containers stay in `CreateContainerConfigError` (for environment references) or the pod stays `ContainerCreating` (for volumes) until the ConfigMap appears, while `kubectl apply` reported success. In a project that creates its own ConfigMaps it is usually a rename or a typo.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
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
        envFrom:
        - configMapRef:
            name: web-settings
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
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
        envFrom:
        - configMapRef:
            name: web-config
"#,
    },
};

impl Rule for UndefinedConfigmap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_undefined_refs(cx, RefKind::ConfigMap, true);
    }
}
