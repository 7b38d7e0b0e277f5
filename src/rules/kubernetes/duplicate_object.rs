//! `correctness/duplicate-object`: the same kind, namespace and name defined twice
//! in what is applied together.

use std::collections::HashMap;

use crate::diagnostic::{Example, Family, Related, RuleMeta, Severity, Tier};
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::{FileId, Format, Span};

pub(crate) struct DuplicateObject;

/// What makes two objects the same: the file when files are not applied together,
/// the kind, the namespace and the name.
type Identity<'a> = (Option<FileId>, &'a str, &'a str, &'a str);

static META: RuleMeta = RuleMeta {
    name: "duplicate-object",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "the same object is defined twice in what is applied together",
    what: "Reports a Kubernetes object whose kind, namespace and name repeat an earlier object's, when both are in one file (documents or `List` items of one `kubectl apply -f`) or both are in the resources of one kustomization. Files that merely sit in the same directory are not compared: they are often alternatives (`deployment-dev.yaml`, `deployment-prod.yaml`). Objects without a name and Kustomize patches are left out. The finding points at the second name and links the first.",
    why: "Only one of the two can exist: `kubectl apply` applies both in turn and the later one silently wins, so the first definition is dead text that readers and reviewers take for what runs; `kustomize build` refuses the whole kustomization with an \"already registered id\" error.",
    bad: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: debug
"#,
    },
    good: Example {
        file_name: "app.yaml",
        text: r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: staging
data:
  LOG_LEVEL: debug
"#,
    },
};

impl Rule for DuplicateObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        // A project led by a kustomization applies all its files together.
        let together = cx
            .project
            .files
            .iter()
            .filter_map(|id| cx.files.get(id.0 as usize))
            .any(|f| f.kubernetes().is_some_and(|k| k.kustomization.is_some()));
        let mut seen: HashMap<Identity<'_>, (FileId, Span)> = HashMap::new();
        for (file, o) in project_objects(cx.project, cx.files) {
            let Some(name) = &o.name else { continue };
            if name.value.is_empty() || name.value.contains(['$', '{']) {
                continue;
            }
            let ns = o.metadata.namespace.as_deref().unwrap_or("");
            let scope = (!together).then_some(file.id);
            let key = (scope, o.kind.value.as_str(), ns, name.value.as_str());
            let Some(&(first_file, first_span)) = seen.get(&key) else {
                seen.insert(key, (file.id, name.span));
                continue;
            };
            let d = cx.report(
                file.id,
                name.span,
                format!(
                    "{} is defined twice{}: {}",
                    o.describe(),
                    if ns.is_empty() {
                        String::new()
                    } else {
                        format!(" in namespace \"{ns}\"")
                    },
                    if first_file == file.id {
                        "the later definition replaces the earlier one"
                    } else {
                        "`kustomize build` refuses the kustomization"
                    }
                ),
            );
            d.help = Some(
                "remove one of the two definitions, or give them different names or namespaces"
                    .into(),
            );
            d.related.push(Related {
                file: first_file,
                span: first_span,
                message: "first defined here".into(),
            });
        }
    }
}
