//! `scan/unapplied-kustomize-patch`: a kustomization's patches are not applied to
//! what orchlint lints.

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct UnappliedKustomizePatch;

static META: RuleMeta = RuleMeta {
    name: "unapplied-kustomize-patch",
    family: Family::Scan,
    severity: Severity::Info,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "a kustomization has patches, which orchlint does not apply",
    what: "Reports, once per kustomization, its `patches`, `patchesStrategicMerge` and `patchesJson6902` lists: orchlint lints the resources of a kustomization as written (and groups them with it), without running Kustomize. The finding points at the first patch list and gives the command that lints the built output.",
    why: "A patch may add the probe, the resource limit or the security context a rule reports missing, or remove the object a finding is about, so findings on patched objects describe the base, not what is deployed. Linting `kustomize build` output checks the real thing.",
    bad: Example {
        file_name: "kustomization.yaml",
        text: r#"resources:
- deployment.yaml
patches:
- path: add-probes.yaml
"#,
    },
    good: Example {
        file_name: "kustomization.yaml",
        text: r#"resources:
- deployment.yaml
"#,
    },
};

impl Rule for UnappliedKustomizePatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for f in files {
            let Some(k) = f.kubernetes().and_then(|k| k.kustomization.as_ref()) else {
                continue;
            };
            let Some((first, _)) = k.patch_lists.first() else {
                continue;
            };
            let n: usize = k.patch_lists.iter().map(|(_, n)| n).sum();
            let dir = {
                let d = crate::source::display_path(&f.dir());
                if d.is_empty() { ".".to_string() } else { d }
            };
            let d = cx.report(
                f.id,
                first.span,
                format!(
                    "{n} patch{} of this kustomization {} not applied: orchlint lints the resources as written",
                    if n == 1 { "" } else { "es" },
                    if n == 1 { "is" } else { "are" }
                ),
            );
            d.help = Some(format!(
                "lint the built manifests: `kustomize build {dir} | orchlint check --stdin-filename kustomize.yaml -`"
            ));
        }
    }
}
