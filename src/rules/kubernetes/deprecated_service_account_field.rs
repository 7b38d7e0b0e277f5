//! `correctness/deprecated-service-account-field`: a pod spec names its
//! ServiceAccount with the deprecated `serviceAccount` key.

use super::pod_specs;
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DeprecatedServiceAccountField;

static META: RuleMeta = RuleMeta {
    name: "deprecated-service-account-field",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[Peer::KubeLinter("deprecated-service-account-field")],
    formats: &[Format::Kubernetes],
    summary: "a pod spec uses the deprecated `serviceAccount` key",
    what: "Reports the `serviceAccount` key of a pod spec (a Pod's `spec`, the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob). When `serviceAccountName` is set beside it with another value, the message says so: the API server keeps `serviceAccountName` and the other value is silently dropped. An empty `serviceAccount` is left alone.",
    why: "`serviceAccount` is the pre-1.0 name of `serviceAccountName`, kept only as a deprecated alias. Tools that read `serviceAccountName` alone (policy engines, RBAC audits, the kubectl describe output) miss the account, and a pod spec with both keys disagreeing runs as an account the author may not expect.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      serviceAccount: api
      containers:
      - name: api
        image: example/api:1.4
"#,
    },
    good: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      serviceAccountName: api
      containers:
      - name: api
        image: example/api:1.4
"#,
    },
};

impl Rule for DeprecatedServiceAccountField {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for p in pod_specs(cx) {
            let Some(node) = p.spec.0 else { continue };
            let Some((key, value)) = node.entry("serviceAccount") else {
                continue;
            };
            let Some(account) = value.as_str().filter(|v| !v.is_empty()) else {
                continue;
            };
            let named = p.spec.key("serviceAccountName").str().unwrap_or_default();
            let message = if !named.is_empty() && named != account {
                format!(
                    "{} sets the deprecated `serviceAccount: {account}`, which `serviceAccountName: {named}` overrides",
                    p.object.describe()
                )
            } else {
                format!(
                    "{} names its ServiceAccount with the deprecated `serviceAccount` key",
                    p.object.describe()
                )
            };
            let d = cx.report(p.file.id, key.span, message);
            d.help = Some(if named.is_empty() {
                format!("write `serviceAccountName: {account}` instead")
            } else {
                "remove `serviceAccount`, keeping `serviceAccountName`".into()
            });
        }
    }
}
