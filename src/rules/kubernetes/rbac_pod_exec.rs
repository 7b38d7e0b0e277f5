//! `security/rbac-pod-exec`: a Role or ClusterRole that lets its subjects create
//! pods or exec into or attach to them.

use super::{list_items, rbac_rules};
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct RbacPodExec;

static META: RuleMeta = RuleMeta {
    name: "rbac-pod-exec",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("CI runners, job schedulers and operators create pods by design, so only the team can tell an excessive grant from a needed one"),
    peers: &[
        Peer::KubeLinter("access-to-create-pods"),
        Peer::Polaris("clusterrolePodExecAttach"),
        Peer::Polaris("rolePodExecAttach"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a Role or ClusterRole lets its subjects create pods or exec into them",
    what: "Reports each rule of a Role or ClusterRole (aggregated ClusterRoles left out) of the core API group (`\"\"` or `*`) that grants `create` (or `*`) on `pods`, or `create`, `get` or `*` on `pods/exec` or `pods/attach`, pointing at the resource.",
    why: "Whoever can create a pod can run any image with any ServiceAccount of the namespace and mount its Secrets; whoever can exec into or attach to a pod gets a shell with that pod's credentials and network access. Both are ways to escalate from the role's own permissions to those of every workload in reach.",
    bad: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: support
rules:
- apiGroups: [""]
  resources: ["pods", "pods/exec"]
  verbs: ["get", "list", "create"]
"#,
    },
    good: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: support
rules:
- apiGroups: [""]
  resources: ["pods", "pods/log"]
  verbs: ["get", "list"]
"#,
    },
};

impl Rule for RbacPodExec {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for r in rbac_rules(cx) {
            let core = list_items(r.rule.key("apiGroups"))
                .iter()
                .any(|g| matches!(g.as_str(), Some("" | "*")));
            if !core {
                continue;
            }
            let verbs: Vec<&str> = list_items(r.rule.key("verbs"))
                .iter()
                .filter_map(|v| v.as_str())
                .collect();
            let create = verbs.iter().any(|v| matches!(*v, "create" | "*"));
            let get = verbs.contains(&"get");
            for res in list_items(r.rule.key("resources")) {
                let grants = match res.as_str() {
                    Some("pods") if create => "create pods",
                    Some("pods/exec") if create || get => "exec into pods",
                    Some("pods/attach") if create || get => "attach to pods",
                    _ => continue,
                };
                let d = cx.report(
                    r.file.id,
                    res.span,
                    format!("{} lets its subjects {grants}", r.role.describe()),
                );
                d.help = Some(
                    "remove the grant, or keep it to a Role bound only to the people or controllers that need it".into(),
                );
            }
        }
    }
}
