//! `correctness/statefulset-service-missing`: a StatefulSet whose `serviceName`
//! names no Service, or a Service that is not headless.

use super::{closest_name, hint_candidates, named_objects, suggest};
use crate::diagnostic::{Example, Family, Peer, Related, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct StatefulsetServiceMissing;

static META: RuleMeta = RuleMeta {
    name: "statefulset-service-missing",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[Peer::KubeScore("statefulset-has-servicename")],
    formats: &[Format::Kubernetes],
    summary: "a StatefulSet's `serviceName` names no headless Service",
    what: "Reports the `serviceName` of a StatefulSet when no Service of that name is defined in its project or any other scanned file, and when the Services of that name the project defines are all not headless (their `clusterIP` is not `None`). A project that defines no Service at all is left alone (its Services come from elsewhere), and so are names with template placeholders. When a Service of the project has a close name, the help suggests it.",
    why: "The governing Service of a StatefulSet gives each pod its stable DNS name (`web-0.web.default.svc`); peers of a database or a quorum find each other through those names. Without the Service, or with a Service that has a cluster IP, the names do not resolve and the members cannot form a cluster, while the pods themselves look healthy.",
    bad: Example {
        file_name: "db.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector: {app: db}
  ports:
  - port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: database
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
"#,
    },
    good: Example {
        file_name: "db.yaml",
        text: r#"apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: None
  selector: {app: db}
  ports:
  - port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
"#,
    },
};

impl Rule for StatefulsetServiceMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        if !objects.iter().any(|(_, o)| o.kind.value == "Service") {
            return;
        }
        for (file, o) in &objects {
            if !matches!(o.kind.value.as_str(), "StatefulSet" | "PetSet") {
                continue;
            }
            let Some(name) = o
                .at(&file.docs)
                .path(&["spec", "serviceName"])
                .spanned_str()
            else {
                continue;
            };
            if name.value.is_empty() || name.value.contains(['$', '{', '<']) {
                continue;
            }
            let found = named_objects(cx, "Service", &name.value);
            if found.is_empty() {
                let near = closest_name(hint_candidates(cx, "Service"), &name.value);
                let d = cx.report(
                    file.id,
                    name.span,
                    format!(
                        "{} names the governing Service \"{}\", which is not defined in the project or any scanned file",
                        o.describe(),
                        name.value
                    ),
                );
                d.help = Some(format!(
                    "define a headless Service (`clusterIP: None`) named \"{}\" that selects the StatefulSet's pods",
                    name.value
                ));
                suggest(d, near);
                continue;
            }
            if found.iter().any(|(f, s)| {
                s.at(&f.docs).path(&["spec", "clusterIP"]).str() == Some("None")
            }) {
                continue;
            }
            let own = found
                .iter()
                .all(|(f, _)| cx.project.files.contains(&f.id));
            if !own {
                continue;
            }
            let (sf, s) = found[0];
            let d = cx.report(
                file.id,
                name.span,
                format!(
                    "{} is governed by Service \"{}\", which is not headless: its pods get no stable DNS names",
                    o.describe(),
                    name.value
                ),
            );
            d.help = Some(format!(
                "set `clusterIP: None` on Service \"{}\", or add a headless Service for the StatefulSet",
                name.value
            ));
            d.related.push(Related {
                file: sf.id,
                span: s.anchor(),
                message: format!("{} is defined here", s.describe()),
            });
        }
    }
}
