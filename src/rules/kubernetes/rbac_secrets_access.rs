//! `security/rbac-secrets-access`: a Role or ClusterRole that lets its subjects
//! read Secrets.

use super::{list_items, rbac_rules};
use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct RbacSecretsAccess;

static META: RuleMeta = RuleMeta {
    name: "rbac-secrets-access",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::OptIn("controllers, operators and secret-syncing tools need to read Secrets, so only the team can tell an excessive grant from a needed one"),
    peers: &[Peer::KubeLinter("access-to-secrets")],
    formats: &[Format::Kubernetes],
    summary: "a Role or ClusterRole lets its subjects read Secrets",
    what: "Reports each rule of a Role or ClusterRole (aggregated ClusterRoles left out) that grants `get`, `list`, `watch` or `*` on `secrets` (or on `*` resources) in the core API group (`\"\"` or `*`), pointing at the resource. A rule limited by `resourceNames` to named Secrets is left alone.",
    why: "Secrets hold credentials, tokens and keys, and `list` or `watch` returns all of them in the namespace (in every namespace for a ClusterRole). Whoever can act as a subject of the role, including anyone who compromises a pod running as a bound ServiceAccount, can read them all.",
    bad: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: ["configmaps", "secrets"]
  verbs: ["get", "list", "watch"]
"#,
    },
    good: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
"#,
    },
};

impl Rule for RbacSecretsAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for r in rbac_rules(cx) {
            let core = list_items(r.rule.key("apiGroups"))
                .iter()
                .any(|g| matches!(g.as_str(), Some("" | "*")));
            let reads: Vec<&str> = list_items(r.rule.key("verbs"))
                .iter()
                .filter_map(|v| v.as_str())
                .filter(|v| matches!(*v, "get" | "list" | "watch" | "*"))
                .collect();
            if !core || reads.is_empty() || r.rule.key("resourceNames").exists() {
                continue;
            }
            let resources = list_items(r.rule.key("resources"));
            let Some(res) = resources
                .iter()
                .find(|n| matches!(n.as_str(), Some("secrets" | "*")))
            else {
                continue;
            };
            let d = cx.report(
                r.file.id,
                res.span,
                format!(
                    "{} lets its subjects read Secrets ({})",
                    r.role.describe(),
                    reads
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            d.help = Some(
                "drop Secrets from the rule, or limit it to the Secrets the workload needs with `resourceNames`".into(),
            );
        }
    }
}
