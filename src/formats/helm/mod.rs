//! Helm charts: `Chart.yaml`, values files and `templates/`.
//!
//! Templates are Go templates, not YAML until `helm template` renders them, so
//! orchlint does not lint them one by one (each would be a pile of syntax errors);
//! it recognises the chart, reports it once with the command that lints the
//! rendered manifests, and reads `values.yaml` for the defaults the advisor can use
//! (replica counts, persistence, resource requests).
//!
//! - A file named `Chart.yaml` is a chart.
//! - `values*.yaml` next to a `Chart.yaml` is a values file.
//! - A file under `templates/` of a chart (or holding `{{` there) is a template:
//!   detected as Helm and set aside with the reason.
//! - A chart's directory is one project: the chart and its values files.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::formats::util::Findings;
use crate::source::FileId;
use crate::source::Spanned;
use crate::yaml::{Node, Value};

/// What a values-file default is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HintKind {
    /// `replicaCount`, `replicas`.
    Replicas,
    /// `autoscaling.maxReplicas`.
    MaxReplicas,
    /// `persistence.enabled: true` (or a `persistence` block without `enabled: false`).
    Persistence,
    /// `persistence.size`, `storage`: requested storage.
    StorageSize,
    /// `resources.requests.cpu`.
    CpuRequest,
    /// `resources.requests.memory`.
    MemoryRequest,
}

#[derive(Debug)]
pub enum HelmFile {
    Chart(Chart),
    Values(Values),
}

/// What `Chart.yaml` says.
#[derive(Debug, Default)]
pub struct Chart {
    /// `name`, with the span of its value.
    pub(crate) name: Option<Spanned<String>>,
    /// `apiVersion` (`v1` for Helm 2 charts, `v2` for Helm 3).
    pub(crate) api_version: Option<Spanned<String>>,
    /// `type`: `application` (default) or `library`.
    pub(crate) chart_type: Option<Spanned<String>>,
    /// `dependencies[].name` (Helm 3; Helm 2 kept them in `requirements.yaml`).
    pub(crate) dependencies: Vec<Spanned<String>>,
}

impl Chart {
    pub(crate) fn is_library(&self) -> bool {
        self.chart_type
            .as_ref()
            .is_some_and(|t| t.value == "library")
    }
}

/// The hints a values file gives.
#[derive(Debug, Default)]
pub struct Values {
    pub(crate) hints: Vec<Hint>,
}

#[derive(Clone, Debug)]
pub(crate) struct Hint {
    pub(crate) path: String,
    pub(crate) kind: HintKind,
    pub(crate) value: Spanned<String>,
}

/// The file names of a chart.
pub(crate) fn is_chart_name(name: &str) -> bool {
    matches!(name, "Chart.yaml" | "Chart.yml")
}

/// The chart directory holding `path`, if `path` is a chart's values file.
pub(crate) fn is_values_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    let stem = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"));
    stem.is_some_and(|s| s == "values" || s.starts_with("values.") || s.starts_with("values-"))
        && path.parent().is_some_and(has_chart)
}

/// True when `dir` holds a `Chart.yaml`.
pub(crate) fn has_chart(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file() || dir.join("Chart.yml").is_file()
}

/// The chart a template belongs to: the directory above `templates/` (templates may
/// sit in subfolders of it).
pub(crate) fn chart_dir_of_template(path: &Path) -> Option<PathBuf> {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.file_name().is_some_and(|n| n == "templates") {
            return d.parent().map(Path::to_path_buf);
        }
        dir = d.parent();
    }
    None
}

/// Why a template is not linted on its own.
pub(crate) fn template_reason(chart_dir: Option<&Path>) -> String {
    let chart = chart_dir
        .map(|d| {
            let shown = crate::source::display_path(d);
            if shown.is_empty() {
                ".".to_string()
            } else {
                shown
            }
        })
        .unwrap_or_else(|| "CHART".to_string());
    format!(
        "Helm template: not YAML until rendered; lint the rendered chart with `helm template {chart} | orchlint check --stdin-filename chart.yaml -`"
    )
}

pub(crate) fn read_chart(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> HelmFile {
    let mut f = Findings { file, diags };
    let mut chart = Chart::default();
    if let Some(doc) = docs.iter().find(|d| !d.is_null()) {
        if doc.as_mapping().is_none() {
            f.wrong(doc, "Chart.yaml", "a mapping");
        }
        chart.name = doc.get("name").and_then(|n| f.scalar(n, "name"));
        chart.api_version = doc
            .get("apiVersion")
            .and_then(|n| f.scalar(n, "apiVersion"));
        chart.chart_type = doc.get("type").and_then(|n| f.scalar(n, "type"));
        if let Some(deps) = doc.get("dependencies") {
            for (i, d) in f.sequence(deps, "dependencies").iter().enumerate() {
                if let Some(n) = d
                    .get("name")
                    .and_then(|n| f.scalar(n, &format!("dependencies[{i}].name")))
                {
                    chart.dependencies.push(n);
                }
            }
        }
    }
    HelmFile::Chart(chart)
}

pub(crate) fn read_values(docs: &[Node]) -> HelmFile {
    let mut values = Values::default();
    for doc in docs {
        walk_values(doc, &mut String::new(), &mut values.hints, 0);
    }
    HelmFile::Values(values)
}

const MAX_DEPTH: usize = 64;

fn push(out: &mut Vec<Hint>, path: &str, kind: HintKind, node: &Node) {
    if let Some(t) = node.as_str().filter(|_| !node.is_null()) {
        out.push(Hint {
            path: path.to_string(),
            kind,
            value: Spanned::new(t.to_string(), node.span),
        });
    }
}

fn walk_values(node: &Node, path: &mut String, out: &mut Vec<Hint>, depth: usize) {
    let Value::Mapping(entries) = &node.value else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    for (k, v) in entries {
        let Some(key) = k.as_str() else { continue };
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        let parent = path[..len].rsplit('.').next().unwrap_or("");
        let numeric = v.as_i64().is_some();
        match key {
            "replicaCount" | "replicas" if numeric => push(out, path, HintKind::Replicas, v),
            "maxReplicas" if numeric => push(out, path, HintKind::MaxReplicas, v),
            "enabled" if parent == "persistence" && v.as_bool() == Some(true) => {
                push(out, path, HintKind::Persistence, v)
            }
            "size" if parent == "persistence" => push(out, path, HintKind::StorageSize, v),
            "cpu" if parent == "requests" => push(out, path, HintKind::CpuRequest, v),
            "memory" if parent == "requests" => push(out, path, HintKind::MemoryRequest, v),
            _ => {}
        }
        if key == "persistence" && v.get("enabled").and_then(Node::as_bool) == Some(false) {
            // Persistence switched off: its size and class say nothing.
            path.truncate(len);
            continue;
        }
        if key == "persistence" && v.as_mapping().is_some() && v.get("enabled").is_none() {
            // A persistence block without `enabled` is on in most charts' templates.
            out.push(Hint {
                path: path.clone(),
                kind: HintKind::Persistence,
                value: Spanned::new("(no `enabled` key)".to_string(), k.span),
            });
        }
        walk_values(v, path, out, depth + 1);
        path.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn values_hints() {
        let text = "replicaCount: 3\nfrontend:\n  replicas: 2\n  autoscaling:\n    maxReplicas: 10\n  resources:\n    requests:\n      cpu: 100m\n      memory: 64Mi\npersistence:\n  enabled: true\n  size: 8Gi\nredis:\n  persistence:\n    size: 1Gi\n";
        let HelmFile::Values(v) = read_values(&parse(text).documents) else {
            panic!()
        };
        let got: Vec<(String, HintKind, String)> = v
            .hints
            .iter()
            .map(|h| (h.path.clone(), h.kind, h.value.value.clone()))
            .collect();
        assert!(got.contains(&("replicaCount".into(), HintKind::Replicas, "3".into())));
        assert!(got.contains(&("frontend.replicas".into(), HintKind::Replicas, "2".into())));
        assert!(got.contains(&(
            "frontend.autoscaling.maxReplicas".into(),
            HintKind::MaxReplicas,
            "10".into()
        )));
        assert!(got.contains(&(
            "frontend.resources.requests.cpu".into(),
            HintKind::CpuRequest,
            "100m".into()
        )));
        assert!(got.contains(&(
            "persistence.enabled".into(),
            HintKind::Persistence,
            "true".into()
        )));
        assert!(got.contains(&(
            "persistence.size".into(),
            HintKind::StorageSize,
            "8Gi".into()
        )));
        assert!(got.contains(&(
            "redis.persistence".into(),
            HintKind::Persistence,
            "(no `enabled` key)".into()
        )));
    }

    #[test]
    fn template_chart_dir() {
        assert_eq!(
            chart_dir_of_template(Path::new("c/templates/sub/x.yaml")),
            Some(PathBuf::from("c"))
        );
        assert_eq!(chart_dir_of_template(Path::new("c/x.yaml")), None);
    }
}
