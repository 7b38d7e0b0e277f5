//! `security/service-account-token-automounted`: a pod gets an API token mounted
//! that nothing turns off.

use super::{automount, pod_service_account, pod_specs};
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ServiceAccountTokenAutomounted;

static META: RuleMeta = RuleMeta {
    name: "service-account-token-automounted",
    family: Family::Security,
    severity: Severity::Info,
    tier: Tier::OptIn("most pods get a token mounted by default, and which of them talk to the Kubernetes API only the team knows"),
    peers: &[
        Peer::Checkov("CKV_K8S_38"),
        Peer::Polaris("automountServiceAccountToken"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a pod gets a Kubernetes API token it may not need",
    what: "Reports a pod spec (a Pod, or the pod template of a workload) that does not set `automountServiceAccountToken: false` when the ServiceAccount it runs as is not defined in the project with `automountServiceAccountToken: false` either. The finding points at `automountServiceAccountToken: true` when the pod sets it, else at the ServiceAccount name, else at the object's name.",
    why: "Kubernetes mounts a token of the pod's ServiceAccount into every container unless told not to. Most applications never call the Kubernetes API, but anyone who gets code execution in the container can use the token with all the permissions bound to the account, and the `default` account often gets more than intended.",
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
      automountServiceAccountToken: false
      containers:
      - name: web
        image: nginx:1.27
"#,
    },
};

impl Rule for ServiceAccountTokenAutomounted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        for p in pod_specs(cx) {
            let own = automount(p.spec);
            if own.is_some_and(|(on, _)| !on) {
                continue;
            }
            let (account, account_node) = pod_service_account(p.spec);
            let off_on_account = own.is_none()
                && objects.iter().any(|(f, o)| {
                    o.kind.value == "ServiceAccount"
                        && o.name.as_ref().is_some_and(|n| n.value == account)
                        && automount(o.at(&f.docs)).is_some_and(|(on, _)| !on)
                });
            if off_on_account {
                continue;
            }
            let span = own
                .map(|(_, n)| n.span)
                .or(account_node.map(|n| n.span))
                .unwrap_or(p.object.anchor());
            let d = cx.report(
                p.file.id,
                span,
                format!(
                    "{} gets the API token of ServiceAccount \"{account}\" mounted into its containers",
                    p.object.describe()
                ),
            );
            d.help = Some(
                "set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount) unless the pod calls the Kubernetes API".into(),
            );
        }
    }
}
