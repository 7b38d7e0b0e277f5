//! `security/rbac-wildcard`: a Role or ClusterRole rule that grants `*` verbs or
//! resources.

use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::formats::kubernetes::tree::At;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::{Format, Span};

pub(crate) struct RbacWildcard;

static META: RuleMeta = RuleMeta {
    name: "rbac-wildcard",
    family: Family::Security,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("wildcard-in-rules"),
        Peer::Checkov("CKV_K8S_49"),
    ],
    formats: &[Format::Kubernetes],
    summary: "a Role or ClusterRole grants `*` verbs or resources",
    what: "Reports each rule of a Role or ClusterRole whose `verbs` or `resources` hold `*`, pointing at the first `*`; the message says what the rule grants. A ClusterRole with an `aggregationRule` is left alone (the control plane fills its rules), and so are `apiGroups: [\"*\"]` with named resources and verbs.",
    why: "A wildcard grants everything the API has now and everything added later: `*` verbs include `escalate`, `bind` and `impersonate`, and `*` resources include Secrets and every custom resource installed afterwards. A compromised pod or user bound to the role gets far more than the workload needs.",
    bad: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["*"]
"#,
    },
    good: Example {
        file_name: "rbac.yaml",
        text: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "update", "patch"]
"#,
    },
};

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for (file, o) in project_objects(cx.project, cx.files) {
            if !matches!(o.kind.value.as_str(), "Role" | "ClusterRole")
                || !o.api_version.value.starts_with("rbac.authorization.k8s.io/")
            {
                continue;
            }
            let at = o.at(&file.docs);
            if at.key("aggregationRule").exists() {
                continue;
            }
            let rules = at
                .key("rules")
                .node()
                .and_then(|n| n.as_sequence())
                .unwrap_or_default();
            for rule in rules {
                let rule = At::new(rule);
                let verbs = wildcard(rule.key("verbs"));
                let resources = wildcard(rule.key("resources"));
                let Some(span) = verbs.or(resources) else {
                    continue;
                };
                let grants = match (verbs.is_some(), resources.is_some()) {
                    (true, true) => "every verb on every resource".to_string(),
                    (true, false) => format!("every verb on {}", listed(rule.key("resources"))),
                    _ => format!("{} on every resource", listed(rule.key("verbs"))),
                };
                let groups = listed(rule.key("apiGroups"));
                let d = cx.report(
                    file.id,
                    span,
                    format!(
                        "{} grants {grants} (API groups {groups})",
                        o.describe()
                    ),
                );
                d.help = Some(
                    "list the verbs and resources the workload needs instead of `*`".into(),
                );
            }
        }
    }
}

/// The span of the first `*` of a list.
fn wildcard(list: At<'_>) -> Option<Span> {
    list.node()?
        .as_sequence()?
        .iter()
        .find(|n| n.as_str() == Some("*"))
        .map(|n| n.span)
}

/// A list's items for a message: `deployments, pods`, `""` for the core group.
fn listed(list: At<'_>) -> String {
    let items: Vec<String> = list
        .node()
        .and_then(|n| n.as_sequence())
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str())
        .map(|s| if s.is_empty() { "`\"\"`".to_string() } else { format!("`{s}`") })
        .collect();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
