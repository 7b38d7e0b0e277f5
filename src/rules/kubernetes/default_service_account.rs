//! `security/default-service-account`: a pod runs as the namespace's `default`
//! ServiceAccount.

use super::{automount, pod_service_account, pod_specs};
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DefaultServiceAccount;

static META: RuleMeta = RuleMeta {
    name: "default-service-account",
    family: Family::Security,
    severity: Severity::Info,
    tier: Tier::OptIn("most applications run as the default account harmlessly, and a dedicated account per workload is a cluster policy"),
    peers: &[Peer::KubeLinter("default-service-account")],
    formats: &[Format::Kubernetes],
    summary: "a pod runs as the `default` ServiceAccount",
    what: "Reports a pod spec (a Pod, or the pod template of a workload) that names no ServiceAccount or names `default`, unless it turns off the API token (`automountServiceAccountToken: false`), which leaves the account nothing to grant. The finding points at the account's name when written, else at the object's name.",
    why: "Every pod of a namespace without its own ServiceAccount shares the `default` one, so a permission granted to it for one workload is granted to all, and RBAC audits cannot tell the workloads apart. A dedicated account per workload keeps each one's permissions to what it needs.",
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
      serviceAccountName: web
      containers:
      - name: web
        image: nginx:1.27
"#,
    },
};

impl Rule for DefaultServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for p in pod_specs(cx) {
            if automount(p.spec).is_some_and(|(on, _)| !on) {
                continue;
            }
            let (account, node) = pod_service_account(p.spec);
            if account != "default" {
                continue;
            }
            let d = cx.report(
                p.file.id,
                node.map_or(p.object.anchor(), |n| n.span),
                format!(
                    "{} runs as the namespace's `default` ServiceAccount",
                    p.object.describe()
                ),
            );
            d.help = Some(
                "create a ServiceAccount for the workload and name it in `serviceAccountName`".into(),
            );
        }
    }
}
