//! `schema/unvalidated-kind`: a custom resource whose CustomResourceDefinition is
//! not in the scan, so nothing checks its fields.

use std::collections::HashSet;

use super::crd;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnvalidatedKind;

static META: RuleMeta = RuleMeta {
    name: "unvalidated-kind",
    family: Family::Schema,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a custom resource is not validated: its CustomResourceDefinition is not in the scan",
    what: "Notes, once per kind and API version in a project, a custom resource (an object whose API group is not one of Kubernetes' own) for which no CustomResourceDefinition in the scanned files serves that group, version and kind, and a kind whose CustomResourceDefinition's schema holds CEL rules (`x-kubernetes-validations`), which kube-apiserver evaluates and orchlint does not (nor `not` and `uniqueItems`, nor a `pattern` its regular-expression engine cannot compile). The note points at the `kind` of the first such object. Objects of the kinds orchlint reads itself, Kustomize and other client-side configuration files are not noted.",
    why: "orchlint checks a custom resource's keys, types, enums and required fields against the `openAPIV3Schema` of its CustomResourceDefinition; without one in the scan, a misspelled field or a wrong value in it goes unnoticed until the cluster refuses it (or prunes the field silently). Scanning the CRDs along with the manifests (for instance the operator's `crds/` folder) turns the checks on.",
    bad: Example {
        file_name: "certificate.yaml",
        text: r#"apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
  dnsNames:
  - example.com
  issuerRef:
    name: letsencrypt
"#,
    },
    good: Example {
        file_name: "backup.yaml",
        text: r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backups.example.com
spec:
  group: example.com
  names:
    kind: Backup
    plural: backups
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              schedule:
                type: string
---
apiVersion: example.com/v1
kind: Backup
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
"#,
    },
};

impl Rule for UnvalidatedKind {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let objects = project_objects(cx.project, cx.files);
        if objects.is_empty() {
            return;
        }
        let crds = cx.crds();
        let mut seen = HashSet::new();
        let mut notes = Vec::new();
        for (file, obj) in objects {
            let (group, version) = crd::group_version(obj);
            let kind = obj.kind.value.as_str();
            if !crd::custom(group) || !seen.insert((group, version, kind)) {
                continue;
            }
            if crds.serves(group, version, kind) {
                let cel = crds.cel_rules(group, version, kind);
                if cel > 0 {
                    let rules = if cel == 1 { "rule" } else { "rules" };
                    notes.push((
                        file.id,
                        obj.kind.span,
                        format!(
                            "{kind} ({}) is validated against its CustomResourceDefinition's schema, except for its {cel} CEL {rules} (`x-kubernetes-validations`), which orchlint does not evaluate",
                            obj.api_version.value
                        ),
                    ));
                }
                continue;
            }
            let why = if crds.defines(group, kind) {
                format!("its CustomResourceDefinition does not serve version {version}")
            } else {
                "no CustomResourceDefinition for it in the scan".to_string()
            };
            notes.push((
                file.id,
                obj.kind.span,
                format!("{kind} ({}) is not validated: {why}", obj.api_version.value),
            ));
        }
        for (file, span, message) in notes {
            cx.report(file, span, message);
        }
    }
}
