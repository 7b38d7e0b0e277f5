//! `correctness/undefined-pvc`: a pod mounts a PersistentVolumeClaim that the
//! project, which defines its claims, does not define.

use super::{RefKind, report_undefined_refs};
use crate::diagnostic::{Example, Family, RuleMeta, Severity, Tier};
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UndefinedPvc;

static META: RuleMeta = RuleMeta {
    name: "undefined-pvc",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a pod mounts a PersistentVolumeClaim the project does not define",
    what: "Reports the `persistentVolumeClaim.claimName` of a pod volume when it names a claim that no object of the project or of any other scanned file defines. Only projects that define at least one PersistentVolumeClaim are checked (the others get their claims from elsewhere); StatefulSet `volumeClaimTemplates` are not references and are never reported, and names with template placeholders are left out. When a claim of the project has a close name, the help suggests it.",
    why: "A pod whose claim does not exist is never scheduled: it stays `Pending` with a `persistentvolumeclaim not found` event, and the workload never comes up. In a project that creates its own claims it is usually a rename or a typo.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 5Gi}
---
apiVersion: apps/v1
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
        volumeMounts:
        - {name: data, mountPath: /srv/uploads}
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: upload
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 5Gi}
---
apiVersion: apps/v1
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
        volumeMounts:
        - {name: data, mountPath: /srv/uploads}
      volumes:
      - name: data
        persistentVolumeClaim:
          claimName: uploads
"#,
    },
};

impl Rule for UndefinedPvc {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        report_undefined_refs(cx, RefKind::Claim, true);
    }
}
