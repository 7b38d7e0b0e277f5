//! `correctness/undefined-service-account`: a pod runs as a ServiceAccount that the
//! project, which defines its ServiceAccounts, does not define.

use super::{closest_name, hint_candidates, named_objects, pod_specs, suggest};
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedServiceAccount;

static META: RuleMeta = RuleMeta {
    name: "undefined-service-account",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[Peer::KubeLinter("non-existent-service-account")],
    formats: &[Format::Kubernetes],
    summary: "a pod runs as a ServiceAccount the project does not define",
    what: "Reports the `serviceAccountName` (or deprecated `serviceAccount`) of a pod spec when its project defines ServiceAccounts but none of that name, and no other scanned file defines one either. A project that defines no ServiceAccount is left alone (its accounts are created by a chart, an operator or a cluster bootstrap), and so are `default` and names with template placeholders. When a ServiceAccount of the project has a close name, the help suggests it. Namespaces are not compared.",
    why: "A pod whose ServiceAccount does not exist is never created: the ReplicaSet, StatefulSet or Job controller retries and records `FailedCreate` events, while `kubectl apply` reported success. In a project that creates its own ServiceAccounts it is almost always a rename or a typo.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
---
apiVersion: apps/v1
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
      serviceAccountName: api-server
      containers:
      - name: api
        image: example/api:1.4
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
---
apiVersion: apps/v1
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

impl Rule for UndefinedServiceAccount {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        if !project_objects(cx.project, cx.files)
            .iter()
            .any(|(_, o)| o.kind.value == "ServiceAccount")
        {
            return;
        }
        for p in pod_specs(cx) {
            let named = p
                .spec
                .key("serviceAccountName")
                .spanned_str()
                .filter(|s| !s.value.is_empty())
                .or_else(|| p.spec.key("serviceAccount").spanned_str());
            let Some(name) = named else { continue };
            if name.value.is_empty()
                || name.value == "default"
                || name.value.contains(['$', '{', '<'])
                || !named_objects(cx, "ServiceAccount", &name.value).is_empty()
            {
                continue;
            }
            let near = closest_name(hint_candidates(cx, "ServiceAccount"), &name.value);
            let d = cx.report(
                p.file.id,
                name.span,
                format!(
                    "{} runs as ServiceAccount \"{}\", which is not defined in the project or any scanned file",
                    p.object.describe(),
                    name.value
                ),
            );
            d.help = Some(format!(
                "define ServiceAccount \"{}\" beside the project's other ServiceAccounts, or name one of them",
                name.value
            ));
            suggest(d, near);
        }
    }
}
