//! `schema/invalid-value`: a value the API server rejects, outside the field's enum
//! or form.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct InvalidValue;

static META: RuleMeta = RuleMeta {
    name: "invalid-value",
    family: Family::Schema,
    severity: Severity::Error,
    formats: &[Format::Kubernetes, Format::Marathon],
    summary: "a field holds a value the API server rejects",
    what: "Reports, in Kubernetes objects, a value outside its field's enum (`imagePullPolicy`, a pod's `restartPolicy` and the ones Job and controller templates allow, port `protocol`, Service `type`, `dnsPolicy`, a Deployment's `strategy.type`, StatefulSet and DaemonSet `updateStrategy.type`, `podManagementPolicy`, `concurrencyPolicy`, `accessModes`) or its form: `metadata.name` (a DNS-1123 subdomain for most kinds, a DNS-1035 label for a Service, a DNS-1123 label for a Namespace, at most 52 characters for a CronJob), `metadata.namespace` (a DNS-1123 label), container names (DNS-1123 labels), container port names and named target ports (IANA service names of at most 15 characters), Service port names, label keys and values, resource quantities (and negative ones), and port numbers outside 1-65535. The message gives the key path and the accepted values or form; the finding points at the value. In Marathon apps and pods: an `id` with a path segment Marathon refuses (uppercase letters, '_', a '-' at either end), `upgradeStrategy` (or `scheduling.upgrade`) capacities outside 0-1, and an unknown `container.docker.network`. Values written for a template engine (`{{ }}`, `${ }`) are not checked.",
    why: "kube-apiserver validates these fields and refuses the whole object (`Unsupported value`, `Invalid value`), so `kubectl apply` fails, and Marathon answers 422 to such an app; case matters (`tcp` is not `TCP`) and the form rules are stricter than they look (a port name of 16 characters, a label value of 64).",
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
        imagePullPolicy: IfNotPresnt
        ports:
        - containerPort: 80
          protocol: tcp
        resources:
          limits: {memory: 512MB}
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
        imagePullPolicy: IfNotPresent
        ports:
        - containerPort: 80
          protocol: TCP
        resources:
          limits: {memory: 512M}
"#,
    },
};

impl Rule for InvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let mut found = super::kubernetes_findings(cx, |f| f.invalid);
        found.extend(super::marathon_invalid(cx));
        for (file, span, message) in found {
            cx.report(file, span, message);
        }
    }
}
