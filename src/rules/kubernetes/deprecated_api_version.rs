//! `correctness/deprecated-api-version`: an object written in an API version that
//! the target Kubernetes release still serves but has deprecated. The deprecations
//! are the `deprecated_in` of `rules/removed-apis.toml`, with their sources.

use super::removed_api_version::lookup;
use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::project::kubernetes::project_objects;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct DeprecatedApiVersion;

static META: RuleMeta = RuleMeta {
    name: "deprecated-api-version",
    family: Family::Correctness,
    severity: Severity::Warning,
    tier: Tier::Default,
    peers: &[
        Peer::KubeScore("stable-version"),
    ],
    formats: &[Format::Kubernetes],
    summary: "an object uses an API version the target Kubernetes release has deprecated",
    what: "Reports an object whose `apiVersion` and `kind` the target Kubernetes release still serves but has deprecated, for the deprecations `rules/removed-apis.toml` records with a source (`batch/v1beta1` CronJobs and `policy/v1beta1` PodDisruptionBudgets from 1.21, `autoscaling/v2beta1` HorizontalPodAutoscalers from 1.22, `autoscaling/v2beta2` from 1.23, ...). The target is `--kubernetes-version` or the config's `[kubernetes] version` (the examples here are judged with `version = \"1.22\"`); from the release that removes the version on, `removed-api-version` reports it instead. The message names both releases and the apiVersion to use instead.",
    why: "The API server still applies the object, with a warning, but the release named removes the version: the manifest stops applying on the upgrade unless it is migrated first, and the replacement is already served.",
    bad: Example {
        file_name: "cronjob.yaml",
        text: r#"# judged against Kubernetes 1.22 ([kubernetes] version = "1.22")
apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: example/backup:1.0
"#,
    },
    good: Example {
        file_name: "cronjob.yaml",
        text: r#"# judged against Kubernetes 1.22 ([kubernetes] version = "1.22")
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: example/backup:1.0
"#,
    },
};

impl Rule for DeprecatedApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let target = cx.kubernetes;
        for (file, obj) in project_objects(cx.project, cx.files) {
            let api = obj.api_version.value.trim();
            let Some(r) = lookup(api, &obj.kind.value) else {
                continue;
            };
            let Some(deprecated) = &r.deprecated_in else {
                continue;
            };
            // Not deprecated yet, or already removed (`removed-api-version`).
            if !target.reaches(deprecated) || target.reaches(&r.removed_in) {
                continue;
            }
            let instead = match (&r.replacement, &r.replacement_kind) {
                (Some(v), Some(kind)) => format!("; use {kind} in `{v}`"),
                (Some(v), None) => format!("; use `{v}`"),
                (None, _) => String::new(),
            };
            let d = cx.report(
                file.id,
                obj.api_version.span,
                format!(
                    "{} uses `{api}`, which Kubernetes deprecated in {deprecated} and removes in {}{instead}",
                    obj.describe(),
                    r.removed_in
                ),
            );
            d.help = match (&r.replacement, &r.note) {
                (Some(v), Some(note)) => Some(format!(
                    "change `apiVersion` to `{v}` before upgrading to {}; {note}",
                    r.removed_in
                )),
                (Some(v), None) => Some(format!(
                    "change `apiVersion` to `{v}` before upgrading to {}",
                    r.removed_in
                )),
                (None, Some(note)) => Some(note.clone()),
                (None, None) => None,
            };
        }
    }
}
