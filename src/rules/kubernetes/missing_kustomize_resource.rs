//! `correctness/missing-kustomize-resource`: a kustomization lists a local file or
//! directory that does not exist.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::kubernetes::kustomize::missing_entries;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct MissingKustomizeResource;

static META: RuleMeta = RuleMeta {
    name: "missing-kustomize-resource",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a kustomization lists a resource, component or patch file that does not exist",
    what: "Reports an entry of `resources` (or `bases`), `components` or a patch `path` that names a local file or directory which is not on disk, relative to the kustomization's directory. Remote entries (URLs, `github.com/...`) are not checked. The finding points at the entry.",
    why: "`kustomize build` (and `kubectl apply -k`) stops at the first missing entry, so nothing of the kustomization deploys; it usually means a file was renamed or a base moved without updating the list.",
    bad: Example {
        file_name: "kustomization.yaml",
        text: r#"resources:
- deployment.yaml
- servce.yaml
"#,
    },
    good: Example {
        file_name: "kustomization.yaml",
        text: r#"resources:
- deployment.yaml
- service.yaml
"#,
    },
};

impl Rule for MissingKustomizeResource {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(k) = f.kubernetes().and_then(|k| k.kustomization.as_ref()) else {
                continue;
            };
            for e in missing_entries(f, k) {
                let d = cx.report(
                    f.id,
                    e.span,
                    format!(
                        "kustomization lists `{}`, which does not exist",
                        e.value.trim()
                    ),
                );
                d.help = Some("fix the path (it is relative to the kustomization's directory) or remove the entry".into());
            }
        }
    }
}
