//! `schema/api-version-too-new`: an object written in an API version that the
//! target Kubernetes release does not serve yet. The releases that introduced each
//! API version are data, in `rules/introduced-apis.toml`, with their sources.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Tier;
use crate::project::kubernetes::project_objects;
use super::removed_api_version::removals;
use crate::rules::{Context, Rule};
use crate::source::Format;

pub(crate) struct ApiVersionTooNew;

static META: RuleMeta = RuleMeta {
    name: "api-version-too-new",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Kubernetes],
    summary: "an object uses an API version the target Kubernetes release does not serve yet",
    what: "Reports an object whose `apiVersion` and `kind` the target Kubernetes release does not serve yet: `autoscaling/v2` HorizontalPodAutoscalers before 1.23, `batch/v1` CronJobs and `policy/v1` PodDisruptionBudgets before 1.21, `networking.k8s.io/v1` Ingresses before 1.19, ... The target is `--kubernetes-version` or the config's `[kubernetes] version` (the examples here are judged with `version = \"1.22\"`); by default it is the newest release orchlint knows, which serves them all. The finding points at the `apiVersion` value, names the release that introduced it and, when one is still served by the target, the older API version to write instead. The table lives in `rules/introduced-apis.toml`, with the sources of each entry.",
    why: "The API server of an older release refuses the object (`no matches for kind`), so the manifest cannot be applied to the clusters it is meant for until they are upgraded or it is written in an API version they serve.",
    bad: Example {
        file_name: "hpa.yaml",
        text: r#"# judged against Kubernetes 1.22 ([kubernetes] version = "1.22")
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
"#,
    },
    good: Example {
        file_name: "hpa.yaml",
        text: r#"# judged against Kubernetes 1.22 ([kubernetes] version = "1.22")
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
"#,
    },
};

/// One row of `rules/introduced-apis.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Introduction {
    api_version: String,
    kinds: Vec<String>,
    introduced_in: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    introduced: Vec<Introduction>,
}

const TABLE: &str = include_str!("../../../rules/introduced-apis.toml");

fn parse() -> Result<Vec<Introduction>, toml::de::Error> {
    toml::from_str::<Table>(TABLE).map(|t| t.introduced)
}

/// The table of introductions.
fn introductions() -> &'static [Introduction] {
    static ROWS: OnceLock<Vec<Introduction>> = OnceLock::new();
    // Compiled in and checked by a unit test; should it ever fail to parse, the
    // rule reports nothing rather than failing the scan.
    ROWS.get_or_init(|| parse().unwrap_or_default())
}

/// Whether the table lists an apiVersion of a kind.
pub(super) fn introduced(api_version: &str, kind: &str) -> bool {
    introduced_in(api_version, kind).is_some()
}

/// The release that introduced an apiVersion of a kind, when the table knows it.
fn introduced_in(api_version: &str, kind: &str) -> Option<&'static str> {
    introductions()
        .iter()
        .find(|r| r.api_version == api_version && r.kinds.iter().any(|k| k == kind))
        .map(|r| r.introduced_in.as_str())
}

impl Rule for ApiVersionTooNew {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        let target = cx.kubernetes;
        for (file, obj) in project_objects(cx.project, cx.files) {
            let api = obj.api_version.value.trim();
            let kind = obj.kind.value.as_str();
            let Some(since) = introduced_in(api, kind) else {
                continue;
            };
            if target.reaches(since) {
                continue;
            }
            // An older API version of the kind that the target still serves: one
            // whose replacement is this one and that the target has not removed.
            let older = removals()
                .iter()
                .filter(|r| r.replacement.as_deref() == Some(api) && r.replacement_kind.is_none())
                .filter(|r| r.kinds.iter().any(|k| k == kind) && !target.reaches(&r.removed_in))
                .filter(|r| introduced_in(&r.api_version, kind).is_none_or(|s| target.reaches(s)))
                .max_by_key(|r| crate::formats::KubernetesRelease::parse_any(&r.removed_in))
                .map(|r| r.api_version.as_str());
            let d = cx.report(
                file.id,
                obj.api_version.span,
                format!(
                    "{} uses `{api}`, which Kubernetes serves since {since}; the target release {target} does not serve it yet",
                    obj.describe()
                ),
            );
            d.help = Some(match older {
                Some(v) => format!(
                    "write it as `{v}` for Kubernetes {target}, or raise the target release (`--kubernetes-version`, `[kubernetes] version`) if the clusters run {since} or later"
                ),
                None => format!(
                    "raise the target release (`--kubernetes-version`, `[kubernetes] version`) if the clusters run {since} or later"
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::KubernetesRelease;

    #[test]
    fn table_parses_and_is_consistent() {
        let rows = parse().expect("rules/introduced-apis.toml parses");
        assert!(rows.len() >= 20);
        for r in &rows {
            assert!(r.api_version.contains('/'), "{}", r.api_version);
            assert!(!r.kinds.is_empty());
            assert!(
                KubernetesRelease::parse_any(&r.introduced_in).is_some(),
                "{}",
                r.introduced_in
            );
        }
        for (i, a) in rows.iter().enumerate() {
            for b in &rows[i + 1..] {
                if a.api_version == b.api_version {
                    assert!(
                        a.kinds.iter().all(|k| !b.kinds.contains(k)),
                        "{}",
                        a.api_version
                    );
                }
            }
        }
        assert_eq!(
            introduced_in("autoscaling/v2", "HorizontalPodAutoscaler"),
            Some("1.23")
        );
        assert_eq!(introduced_in("batch/v1", "CronJob"), Some("1.21"));
        assert_eq!(introduced_in("batch/v1", "Job"), None);
        // Every introduction comes after the removal table's last word on the same
        // apiVersion and kind, if any (an apiVersion cannot be removed first).
        for r in removals() {
            for k in &r.kinds {
                if let Some(since) = introduced_in(&r.api_version, k) {
                    let since = KubernetesRelease::parse_any(since);
                    let removed = KubernetesRelease::parse_any(&r.removed_in);
                    assert!(since < removed, "{} {k}", r.api_version);
                }
            }
        }
    }
}
