//! `security/cluster-admin-binding`: a RoleBinding or ClusterRoleBinding that
//! grants the `cluster-admin` ClusterRole.

use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ClusterAdminBinding;

static META: RuleMeta = RuleMeta {
    name: "cluster-admin-binding",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("cluster-admin-role-binding"),
        Peer::Polaris("clusterrolebindingClusterAdmin"),
        Peer::Polaris("rolebindingClusterAdminClusterRole"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a binding grants the `cluster-admin` ClusterRole",
    what: "Reports a ClusterRoleBinding or RoleBinding whose `roleRef` is the ClusterRole `cluster-admin`, pointing at the role's name; the message names the subjects it grants it to (a RoleBinding grants it within its namespace only, which the message says).",
    why: "`cluster-admin` allows every verb on every resource: a subject bound to it can read every Secret, run privileged pods on any node and grant itself anything else. A workload's ServiceAccount bound to it turns any compromise of that workload into a compromise of the cluster; a dedicated role with the verbs and resources it needs limits the damage.",
    bad: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-deployer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- kind: ServiceAccount
  name: deployer
  namespace: ci
"#,
    },
    good: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-deployer
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: deployer
subjects:
- kind: ServiceAccount
  name: deployer
  namespace: ci
"#,
    },
};

impl Rule for ClusterAdminBinding {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for (file, o) in project_objects(cx.project, cx.files) {
            let cluster_wide = match o.kind.value.as_str() {
                "ClusterRoleBinding" => true,
                "RoleBinding" => false,
                _ => continue,
            };
            if !o.api_version.value.starts_with("rbac.authorization.k8s.io/") {
                continue;
            }
            let at = o.at(&file.docs);
            let role = at.key("roleRef");
            if role.key("kind").str() != Some("ClusterRole") {
                continue;
            }
            let Some(name) = role.key("name").spanned_str() else {
                continue;
            };
            if name.value != "cluster-admin" {
                continue;
            }
            let subjects: Vec<String> = at
                .key("subjects")
                .node()
                .and_then(|n| n.as_sequence())
                .unwrap_or_default()
                .iter()
                .filter_map(|s| {
                    let kind = s.get("kind").and_then(|k| k.as_str())?;
                    let name = s.get("name").and_then(|n| n.as_str())?;
                    Some(format!("{kind} \"{name}\""))
                })
                .collect();
            let to = if subjects.is_empty() {
                String::new()
            } else {
                format!(" to {}", subjects.join(", "))
            };
            let scope = if cluster_wide {
                String::new()
            } else {
                " within its namespace".to_string()
            };
            let d = cx.report(
                file.id,
                name.span,
                format!(
                    "{} grants `cluster-admin`{to}{scope}",
                    o.describe()
                ),
            );
            d.help = Some(
                "bind a Role or ClusterRole that lists only the verbs and resources the subjects need".into(),
            );
        }
    }
}
