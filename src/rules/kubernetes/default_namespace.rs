//! `security/default-namespace`: an object deployed to the `default` namespace.

use crate::diagnostic::{Example, Family, Peer, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DefaultNamespace;

static META: RuleMeta = RuleMeta {
    name: "default-namespace",
    family: Family::Security,
    severity: Severity::Info,
    tier: Tier::OptIn("most manifests leave the namespace to `kubectl -n`, a kustomization or the deploying pipeline, which orchlint cannot see"),
    peers: &[
        Peer::KubeLinter("use-namespace"),
        Peer::Checkov("CKV_K8S_21"),
    ],
    formats: &[Format::Kubernetes],
    summary: "an object is deployed to the `default` namespace",
    what: "Reports a namespaced object of a common kind (workloads, Services, ConfigMaps, Secrets, ServiceAccounts, Roles, RoleBindings, Ingresses, claims, autoscalers, disruption budgets, NetworkPolicies) whose `metadata.namespace` is `default`, or is missing while no kustomization of the project sets `namespace`. The finding points at the namespace, or at the object's name when none is written.",
    why: "The `default` namespace is shared by everything deployed without a namespace: RBAC grants, NetworkPolicies, quotas and limit ranges written for one application apply to all the others there, and a mistake in one `kubectl apply` lands beside unrelated workloads. A namespace per application keeps those boundaries.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
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
  namespace: shop
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
};

/// Namespaced kinds whose namespace is checked (custom resources may be
/// cluster-scoped, so unknown kinds are left out).
const NAMESPACED: &[&str] = &[
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "Service",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "Ingress",
    "PersistentVolumeClaim",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "NetworkPolicy",
];

impl Rule for DefaultNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        // A kustomization's `namespace` sets the namespace of everything it builds.
        let set_by_kustomize = cx
            .project
            .files
            .iter()
            .filter_map(|id| cx.files.get(id.0 as usize))
            .filter(|f| f.kubernetes().is_some_and(|k| k.kustomization.is_some()))
            .any(|f| f.docs.iter().any(|d| d.get("namespace").is_some()));
        for (file, o) in project_objects(cx.project, cx.files) {
            if !NAMESPACED.contains(&o.kind.value.as_str()) {
                continue;
            }
            let ns = o.at(&file.docs).path(&["metadata", "namespace"]);
            let span = match ns.str() {
                Some("default") => ns.span_or(o.anchor()),
                Some("") | None if !set_by_kustomize => o.anchor(),
                _ => continue,
            };
            let d = cx.report(
                file.id,
                span,
                format!("{} is deployed to the `default` namespace", o.describe()),
            );
            d.help = Some(
                "set `metadata.namespace` (or the kustomization's `namespace`) to the application's own namespace".into(),
            );
        }
    }
}
