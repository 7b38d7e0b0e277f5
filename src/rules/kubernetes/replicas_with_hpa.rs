//! `reliability/replicas-with-hpa`: a workload that an autoscaler scales also sets
//! `spec.replicas`.

use crate::diagnostic::{Example, Family, Peer, Related, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ReplicasWithHpa;

static META: RuleMeta = RuleMeta {
    name: "replicas-with-hpa",
    family: Family::Reliability,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[Peer::KubeScore(
        "deployment-targeted-by-hpa-does-not-have-replicas-configured",
    )],
    formats: &[Format::Kubernetes],
    summary: "a workload an autoscaler scales also sets a fixed `replicas`",
    what: "Reports `spec.replicas` of a Deployment, StatefulSet or ReplicaSet that a HorizontalPodAutoscaler of the same project targets (`scaleTargetRef` kind and name; objects in different namespaces, when both say one, are not matched). The finding points at `replicas` and names the autoscaler.",
    why: "Every `kubectl apply` (or GitOps sync) of the manifest sets the replica count back to the written value, overriding what the autoscaler chose: under load the workload drops to the fixed count until the autoscaler scales it up again, and pods are killed and started for nothing. Leaving `replicas` out lets the autoscaler own it (the first creation starts at one replica, then the autoscaler's `minReplicas`).",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: example/web:2.0
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 12
"#,
    },
    good: Example {
        file_name: "app.yaml",
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
        image: example/web:2.0
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 12
"#,
    },
};

/// The kinds whose `spec.replicas` an autoscaler takes over.
const SCALED: &[&str] = &["Deployment", "StatefulSet", "ReplicaSet"];

impl Rule for ReplicasWithHpa {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        for (hpa_file, hpa) in &objects {
            let Some((kind, name)) = hpa.scale_target(&hpa_file.docs) else {
                continue;
            };
            if !SCALED.contains(&kind.value.as_str()) {
                continue;
            }
            let hpa_ns = hpa.metadata.namespace.as_deref();
            for (file, o) in &objects {
                if o.kind.value != kind.value
                    || o.name.as_ref().is_none_or(|n| n.value != name.value)
                {
                    continue;
                }
                if let (Some(a), Some(b)) = (hpa_ns, o.metadata.namespace.as_deref())
                    && a != b
                {
                    continue;
                }
                let spec = o.at(&file.docs).key("spec");
                let Some((key, value)) = spec.node().and_then(|n| n.entry("replicas")) else {
                    continue;
                };
                if value.is_null() {
                    continue;
                }
                let d = cx.report(
                    file.id,
                    key.span,
                    format!(
                        "{} sets `replicas`, but {} scales it: every apply resets the replica count",
                        o.describe(),
                        hpa.describe()
                    ),
                );
                d.help = Some("remove `spec.replicas` and let the autoscaler's `minReplicas` and `maxReplicas` decide".into());
                d.related.push(Related {
                    file: hpa_file.id,
                    span: name.span,
                    message: format!("{} targets it here", hpa.describe()),
                });
            }
        }
    }
}
