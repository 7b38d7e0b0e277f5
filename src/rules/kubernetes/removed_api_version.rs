//! `correctness/removed-api-version`: an object written in an API version that
//! Kubernetes no longer serves. The table of removals is data, in
//! `rules/removed-apis.toml`, with its sources.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::diagnostic::{Applicability, Severity};
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::diagnostic::Peer;
use crate::diagnostic::Tier;
use crate::rules::{Context, Rule};
use crate::source::{Format, Span};

pub(crate) struct RemovedApiVersion;

static META: RuleMeta = RuleMeta {
    name: "removed-api-version",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[
        Peer::KubeLinter("no-extensions-v1beta"),
    ],
    formats: &[Format::Kubernetes],
    summary: "an object uses an API version that Kubernetes removed",
    what: "Reports an object whose `apiVersion` and `kind` were removed from Kubernetes (`extensions/v1beta1` Deployments, `batch/v1beta1` CronJobs, `autoscaling/v2beta2` HorizontalPodAutoscalers, `apps/v1alpha1` PetSets, ...). The message names the release that removed it and the apiVersion to use instead. The finding points at the `apiVersion` value. Removals are judged against the target release (`--kubernetes-version`, `[kubernetes] version`; default the newest orchlint knows): an apiVersion removed in 1.25 is reported when the target is 1.25 or later, not with 1.24. The table lives in `rules/removed-apis.toml`, with the sources of each entry. The fix (safe) rewrites the `apiVersion` only where the table marks the replacement as serving the kind with the same schema (`same_schema`: RBAC, PriorityClass, Lease, storage kinds, APIService, TokenReview, `batch/v1beta1` CronJob).",
    why: "The API server of the release named, and of every later one, refuses the object (`no matches for kind`), so the manifest cannot be applied until it is migrated; some migrations also need field changes.",
    bad: Example {
        file_name: "deployment.yaml",
        text: r#"apiVersion: extensions/v1beta1
kind: Deployment
metadata:
  name: web
spec:
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

/// One row of `rules/removed-apis.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Removal {
    pub(crate) api_version: String,
    pub(crate) kinds: Vec<String>,
    pub(crate) removed_in: String,
    /// The release that deprecated it, where the table's sources say so.
    pub(crate) deprecated_in: Option<String>,
    pub(crate) replacement: Option<String>,
    pub(crate) replacement_kind: Option<String>,
    pub(crate) note: Option<String>,
    /// The replacement serves the kind with the same schema: changing the
    /// apiVersion alone migrates the object (the safe fix).
    #[serde(default)]
    pub(crate) same_schema: bool,
}

/// One `[[removed_volume]]` row: an in-tree volume plugin Kubernetes removed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RemovedVolume {
    pub(crate) field: String,
    pub(crate) removed_in: String,
    pub(crate) note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    removed: Vec<Removal>,
    #[serde(default)]
    removed_volume: Vec<RemovedVolume>,
}

const TABLE: &str = include_str!("../../../rules/removed-apis.toml");

fn parse() -> Result<Vec<Removal>, toml::de::Error> {
    toml::from_str::<Table>(TABLE).map(|t| t.removed)
}

fn parse_volumes() -> Result<Vec<RemovedVolume>, toml::de::Error> {
    toml::from_str::<Table>(TABLE).map(|t| t.removed_volume)
}

/// The in-tree volume plugins Kubernetes removed.
pub(crate) fn removed_volumes() -> &'static [RemovedVolume] {
    static ROWS: OnceLock<Vec<RemovedVolume>> = OnceLock::new();
    ROWS.get_or_init(|| parse_volumes().unwrap_or_default())
}

/// The table of removed API versions.
pub(crate) fn removals() -> &'static [Removal] {
    static ROWS: OnceLock<Vec<Removal>> = OnceLock::new();
    // The table is compiled in and checked by a unit test; should it ever fail to
    // parse, the rule reports nothing rather than failing the scan.
    ROWS.get_or_init(|| parse().unwrap_or_default())
}

/// The removal that applies to an apiVersion and kind.
pub(crate) fn lookup(api_version: &str, kind: &str) -> Option<&'static Removal> {
    removals()
        .iter()
        .find(|r| r.api_version == api_version && r.kinds.iter().any(|k| k == kind))
}

/// Where the apiVersion's text stands inside its value's span (inside the quotes
/// of a quoted value), so a fix replaces only it.
fn api_text(text: &str, span: Span, api: &str) -> Option<Span> {
    let value = text.get(span.start as usize..span.end as usize)?;
    let at = value.find(api)?;
    let start = span.start as usize + at;
    Some(Span::new(start, start + api.len()))
}

impl Rule for RemovedApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Only for the table's entries marked `same_schema`.
    fn fix(&self) -> Option<Applicability> {
        Some(Applicability::Safe)
    }

    fn check(&self, cx: &mut Context<'_>) {
        let files: Vec<_> = cx.project_files().collect();
        for file in files {
            let Some(k) = file.kubernetes() else {
                continue;
            };
            for obj in &k.objects {
                let api = obj.api_version.value.trim();
                let Some(r) = lookup(api, &obj.kind.value) else {
                    continue;
                };
                // Still served by the release the objects are judged against.
                if !cx.kubernetes.reaches(&r.removed_in) {
                    continue;
                }
                let instead = match (&r.replacement, &r.replacement_kind) {
                    (Some(v), Some(kind)) => format!("use {kind} in `{v}`"),
                    (Some(v), None) => format!("use `{v}`"),
                    (None, _) => "it has no replacement".to_string(),
                };
                let d = cx.report(
                    file.id,
                    obj.api_version.span,
                    format!(
                        "{} uses `{api}`, which Kubernetes {} removed; {instead}",
                        obj.describe(),
                        r.removed_in
                    ),
                );
                d.help = match (&r.replacement, &r.note) {
                    (Some(v), Some(note)) => Some(format!("change `apiVersion` to `{v}`; {note}")),
                    (Some(v), None) => Some(format!("change `apiVersion` to `{v}`")),
                    (None, Some(note)) => Some(note.clone()),
                    (None, None) => None,
                };
                if let (true, Some(v), None) = (r.same_schema, &r.replacement, &r.replacement_kind)
                    && let Some(at) = api_text(&file.text, obj.api_version.span, api)
                {
                    d.fix_with(
                        format!("Change `apiVersion` to `{v}`"),
                        Applicability::Safe,
                        [(at, v.clone())],
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses_and_is_consistent() {
        let rows = parse().expect("rules/removed-apis.toml parses");
        assert!(rows.len() >= 25);
        for r in &rows {
            assert!(r.api_version.contains('/'), "{}", r.api_version);
            assert!(!r.kinds.is_empty());
            assert!(r.removed_in.starts_with("1."), "{}", r.removed_in);
            assert!(
                r.replacement.is_some() || r.note.is_some(),
                "{}",
                r.api_version
            );
        }
        // No apiVersion+kind appears twice.
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
            lookup("extensions/v1beta1", "Deployment").map(|r| r.removed_in.as_str()),
            Some("1.16")
        );
        assert_eq!(
            lookup("extensions/v1beta1", "Ingress").map(|r| r.removed_in.as_str()),
            Some("1.22")
        );
        assert!(lookup("apps/v1", "Deployment").is_none());
        // A deprecation comes before its removal.
        for r in &rows {
            if let Some(d) = &r.deprecated_in {
                let (d, removed) = (
                    crate::formats::KubernetesRelease::parse_any(d),
                    crate::formats::KubernetesRelease::parse_any(&r.removed_in),
                );
                assert!(d.is_some() && d < removed, "{}", r.api_version);
            }
        }
        assert_eq!(
            lookup("policy/v1beta1", "PodDisruptionBudget")
                .and_then(|r| r.deprecated_in.as_deref()),
            Some("1.21")
        );
        // Schema-identical moves only: never a kind rename, always a replacement.
        let same: Vec<&Removal> = rows.iter().filter(|r| r.same_schema).collect();
        assert!(same.len() >= 2);
        assert!(same.iter().all(|r| r.replacement.is_some() && r.replacement_kind.is_none()));
        assert!(lookup("rbac.authorization.k8s.io/v1beta1", "Role").is_some_and(|r| r.same_schema));
        assert!(lookup("extensions/v1beta1", "Ingress").is_some_and(|r| !r.same_schema));
        let volumes = parse_volumes().expect("rules/removed-apis.toml parses");
        assert!(
            volumes
                .iter()
                .any(|v| v.field == "flocker" && v.removed_in == "1.25")
        );
        assert!(
            volumes
                .iter()
                .all(|v| v.removed_in.starts_with("1.") && !v.note.is_empty())
        );
    }
}
