//! Decides what a file is. A table of detectors, tried in order: first by file
//! name (a `docker-compose.yml` is Compose whatever it holds), then by content.
//! Later formats add a row, not a branch.

use crate::formats::{brooklyn, flocker, helm, procfile};
use crate::source::Format;
use crate::yaml::Node;

/// What the scan decided about a candidate file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Detection {
    Spec(Format),
    Skipped(String),
}

pub(crate) struct Detector {
    pub(crate) format: Format,
    /// True when the file name alone says the file is of this format.
    pub(crate) by_name: fn(&str) -> bool,
    /// True when a parsed document is of this format.
    pub(crate) by_content: fn(&Node) -> bool,
    /// For files that failed to parse: a look at the raw text.
    pub(crate) by_text: fn(&str) -> bool,
    /// When set, content detection applies only to files so named (an `app.json`
    /// is a Heroku manifest by its keys, but only under that name).
    pub(crate) content_only_for: Option<fn(&str) -> bool>,
}

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        format: Format::Compose,
        by_name: is_compose_name,
        by_content: is_compose_doc,
        by_text: has_services_mapping_text,
        content_only_for: None,
    },
    Detector {
        format: Format::Kubernetes,
        by_name: is_kustomization_name,
        by_content: is_kubernetes_doc,
        by_text: |t| t.contains("apiVersion") && t.contains("kind"),
        content_only_for: None,
    },
    // `version: 1` with `applications` or `nodes`.
    Detector {
        format: Format::Flocker,
        by_name: |_| false,
        by_content: flocker::model::is_flocker_doc,
        by_text: |t| {
            let top = |key: &str| {
                t.lines().any(|l| {
                    l.strip_prefix(key)
                        .or_else(|| l.strip_prefix(&format!("\"{key}\"")))
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
            };
            top("version") && (top("applications") || top("nodes"))
        },
        content_only_for: None,
    },
    // `services` as a list of typed entities, `brooklyn.catalog`, `*.bom`.
    Detector {
        format: Format::Brooklyn,
        by_name: |n| n.to_ascii_lowercase().ends_with(".bom"),
        by_content: brooklyn::model::is_brooklyn_doc,
        by_text: brooklyn::model::looks_like_brooklyn,
        content_only_for: None,
    },
    // `Procfile` (not YAML: read by its own parser), and an `app.json` manifest.
    Detector {
        format: Format::Procfile,
        by_name: |n| n == procfile::PROCFILE,
        by_content: procfile::model::is_manifest,
        by_text: |_| false,
        content_only_for: Some(|n| n == "app.json"),
    },
    // `Chart.yaml`; values files and templates are told by their place (see
    // `engine::load`), which a name alone cannot say.
    Detector {
        format: Format::Helm,
        by_name: helm::is_chart_name,
        by_content: |_| false,
        by_text: |_| false,
        content_only_for: None,
    },
    Detector {
        format: Format::Marathon,
        by_name: |_| false,
        by_content: is_marathon_doc,
        by_text: looks_like_marathon,
        content_only_for: None,
    },
];

/// Why a candidate that is no spec is set aside, when orchlint knows what it is.
pub(crate) fn known_non_spec(name: &str, text: &str) -> Option<&'static str> {
    if name == ".env" {
        return Some(
            "environment file: variables for Compose interpolation or `heroku local`, read with the spec that uses it",
        );
    }
    if name.ends_with(".json")
        && text.contains("\"action\": \"run-app\"")
        && text.contains("\"release\"")
    {
        return Some(
            "Flynn bootstrap manifest: the steps that bootstrap a Flynn cluster itself (a Go template, not JSON until rendered), not an app spec",
        );
    }
    None
}

/// `compose.yaml`, `docker-compose.yml`, `docker-compose.override.yml`,
/// `compose.prod.yaml`, `docker-compose-dev.yml`, `fig.yml`, `docker-stack.yml`.
pub(crate) fn is_compose_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower
        .strip_suffix(".yml")
        .or_else(|| lower.strip_suffix(".yaml"))
    else {
        return false;
    };
    stem == "compose"
        || stem == "docker-compose"
        || stem == "fig"
        || stem == "docker-stack"
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
        || stem.starts_with("compose.")
        || stem.ends_with(".compose")
}

/// `kustomization.yaml` / `kustomization.yml`: Kustomize reads them even without
/// `apiVersion` and `kind`.
pub(crate) fn is_kustomization_name(name: &str) -> bool {
    matches!(name, "kustomization.yaml" | "kustomization.yml")
}

/// A top-level `services:` key followed by an indented mapping (not the list of
/// entities a Brooklyn blueprint holds there).
fn has_services_mapping_text(text: &str) -> bool {
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l.strip_prefix("services").is_some_and(|r| r.trim() == ":") {
            let next = lines.find(|n| {
                let t = n.trim();
                !t.is_empty() && !t.starts_with('#')
            });
            return next
                .is_some_and(|n| n.starts_with([' ', '\t']) && !n.trim_start().starts_with('-'));
        }
    }
    false
}

/// A file inside a Helm chart's `templates/` folder, or a subfolder of it (every
/// `helm create` chart has `templates/tests/`): Go templates, not YAML.
pub(crate) fn is_helm_template(path: &std::path::Path, text: &str) -> bool {
    // Only a file under a `templates/` folder costs a look at the disk.
    crate::formats::helm::chart_dir_of_template(path)
        .is_some_and(|chart| text.contains("{{") || crate::formats::helm::has_chart(&chart))
}

fn is_kubernetes_doc(doc: &Node) -> bool {
    let has = |k: &str| {
        doc.get(k)
            .and_then(Node::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    has("apiVersion") && has("kind")
}

const SERVICE_KEYS: &[&str] = &[
    "image",
    "build",
    "command",
    "ports",
    "environment",
    "volumes",
    "depends_on",
    "extends",
    "links",
    "entrypoint",
    "deploy",
    "networks",
    "restart",
    "env_file",
    "profiles",
    "expose",
    "healthcheck",
    "container_name",
    "labels",
    "volumes_from",
    "network_mode",
    "scale",
];

pub(crate) fn has_service_key(svc: &Node) -> bool {
    svc.as_mapping().is_some_and(|m| {
        m.iter()
            .any(|(k, _)| k.as_str().is_some_and(|k| SERVICE_KEYS.contains(&k)))
    })
}

/// A mapping of services whose entries look like containers.
pub(crate) fn looks_like_services(services: &Node) -> bool {
    services
        .as_mapping()
        .is_some_and(|entries| entries.iter().any(|(_, svc)| has_service_key(svc)))
}

fn is_compose_doc(doc: &Node) -> bool {
    if doc.get("apiVersion").is_some() && doc.get("kind").is_some() {
        return false;
    }
    if let Some(services) = doc.get("services") {
        return looks_like_services(services)
            || (services.as_mapping().is_some() && doc.get("version").is_some());
    }
    // Compose v1 / Fig: services at the top level, each a mapping of service keys,
    // at least one naming an image, a build or a service it extends.
    let Some(entries) = doc.as_mapping() else {
        return false;
    };
    !entries.is_empty()
        && entries
            .iter()
            .all(|(k, v)| k.as_str().is_some() && has_service_key(v))
        && entries.iter().any(|(_, v)| {
            v.as_mapping().is_some_and(|m| {
                m.iter()
                    .any(|(k, _)| matches!(k.as_str(), Some("image" | "build" | "extends")))
            })
        })
}

fn is_marathon_app(doc: &Node) -> bool {
    let Some(id) = doc.get("id").and_then(Node::as_str) else {
        return false;
    };
    if id.is_empty() {
        return false;
    }
    const APP_KEYS: &[&str] = &[
        "cmd",
        "args",
        "container",
        "instances",
        "cpus",
        "mem",
        "apps",
        "groups",
        "containers",
        "healthChecks",
        "constraints",
        "portDefinitions",
        "ports",
        "upgradeStrategy",
        "uris",
        "fetch",
        "dependencies",
        "executor",
    ];
    doc.as_mapping().is_some_and(|m| {
        m.iter()
            .any(|(k, _)| k.as_str().is_some_and(|k| APP_KEYS.contains(&k)))
    })
}

fn is_marathon_doc(doc: &Node) -> bool {
    if doc.get("apiVersion").is_some() || doc.get("services").is_some() {
        return false;
    }
    if is_marathon_app(doc) {
        return true;
    }
    // An array of apps (as `POST /v2/apps` bodies for several apps), or the
    // `{"apps": [...]}` shape the API returns.
    let apps = doc
        .get("apps")
        .filter(|_| doc.get("id").is_none())
        .unwrap_or(doc);
    apps.as_sequence()
        .is_some_and(|items| !items.is_empty() && items.iter().all(is_marathon_app))
}

/// The raw text of a JSON app definition that did not parse (truncated, a missing
/// comma): an object or array with an `"id"` and one of the keys only an app has.
fn looks_like_marathon(text: &str) -> bool {
    const KEYS: &[&str] = &[
        "\"instances\"",
        "\"cmd\"",
        "\"container\"",
        "\"cpus\"",
        "\"mem\"",
        "\"healthChecks\"",
        "\"constraints\"",
        "\"portDefinitions\"",
        "\"upgradeStrategy\"",
    ];
    let key = |k: &str| {
        text.match_indices(k)
            .any(|(at, _)| text[at + k.len()..].trim_start().starts_with(':'))
    };
    text.trim_start().starts_with(['{', '[']) && key("\"id\"") && KEYS.iter().any(|k| key(k))
}

/// Detects one parsed file. `name` is the file name; `json` whether it ends `.json`.
pub(crate) fn detect(name: &str, docs: &[Node], json: bool) -> Detection {
    for d in DETECTORS {
        if (d.by_name)(name) {
            return Detection::Spec(d.format);
        }
    }
    for d in DETECTORS {
        if json && d.format == Format::Compose {
            continue;
        }
        if d.content_only_for.is_some_and(|only| !only(name)) {
            continue;
        }
        if docs.iter().any(|doc| (d.by_content)(doc)) {
            return Detection::Spec(d.format);
        }
    }
    if docs.is_empty() || docs.iter().all(Node::is_null) {
        return Detection::Skipped("empty: no document".into());
    }
    Detection::Skipped(
        "not a spec: no Compose services, no Kubernetes apiVersion and kind, no Marathon app id, no Flocker, Brooklyn, Procfile or Helm shape"
            .into(),
    )
}

/// Detects a file that failed to parse, from its name and raw text.
pub(crate) fn detect_broken(name: &str, text: &str) -> Option<Format> {
    DETECTORS
        .iter()
        .find(|d| (d.by_name)(name) || (d.by_text)(text))
        .map(|d| d.format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn kind(name: &str, text: &str) -> Detection {
        detect(name, &parse(text).documents, name.ends_with(".json"))
    }

    #[test]
    fn a_broken_marathon_app_is_told_by_its_text() {
        let cut = r#"{"id": "/x", "instances": 2, "container": {"#;
        assert_eq!(detect_broken("app.json", cut), Some(Format::Marathon));
        assert_eq!(detect_broken("package.json", r#"{"name": "x", "#), None);
        assert_eq!(detect_broken("x.json", r#"{"id": "a", "items": ["#), None);
    }

    #[test]
    fn helm_templates_in_subfolders_are_templates() {
        let dir = tempfile::tempdir().unwrap();
        let chart = dir.path().join("chart");
        std::fs::create_dir_all(chart.join("templates/tests")).unwrap();
        std::fs::write(chart.join("Chart.yaml"), "name: c\n").unwrap();
        let plain = "apiVersion: v1\nkind: Pod\n";
        // `helm create`'s test hook, with and without template actions.
        let test = chart.join("templates/tests/test-connection.yaml");
        assert!(is_helm_template(&test, "name: \"{{ .Release.Name }}\"\n"));
        assert!(is_helm_template(&test, plain));
        assert!(is_helm_template(&chart.join("templates/x.yaml"), plain));
        // Outside a chart, only text with template actions is a template.
        let loose = dir.path().join("templates/sub/x.yaml");
        assert!(!is_helm_template(&loose, plain));
        assert!(is_helm_template(&loose, "a: {{ .Values.a }}\n"));
        assert!(!is_helm_template(
            &dir.path().join("k8s/x.yaml"),
            "a: {{ b }}\n"
        ));
    }

    #[test]
    fn detects_by_name_then_content() {
        assert_eq!(
            kind("docker-compose.prod.yml", "x: 1"),
            Detection::Spec(Format::Compose)
        );
        assert_eq!(
            kind("app.yaml", "services:\n  web:\n    image: nginx\n"),
            Detection::Spec(Format::Compose)
        );
        assert_eq!(
            kind("fig.yml", "web:\n  image: nginx\n"),
            Detection::Spec(Format::Compose)
        );
        assert_eq!(
            kind("a.yaml", "apiVersion: v1\nkind: Service\n"),
            Detection::Spec(Format::Kubernetes)
        );
        assert_eq!(
            kind(
                "a.json",
                r#"{"id": "/web", "cmd": "python -m http.server", "instances": 2}"#
            ),
            Detection::Spec(Format::Marathon)
        );
        assert_eq!(
            kind("kustomization.yaml", "resources:\n- web.yaml\n"),
            Detection::Spec(Format::Kubernetes)
        );
        assert!(matches!(
            kind("a.yaml", "name: ci\non: push\n"),
            Detection::Skipped(_)
        ));
        assert_eq!(
            kind("a.yaml", "services:\n  - type: docker:nginx\n"),
            Detection::Spec(Format::Brooklyn)
        );
        assert_eq!(
            kind("catalog.bom", "brooklyn.catalog:\n  items: []\n"),
            Detection::Spec(Format::Brooklyn)
        );
        assert_eq!(
            kind(
                "a-application.yml",
                "version: 1\napplications:\n  db:\n    image: postgres:9\n"
            ),
            Detection::Spec(Format::Flocker)
        );
        assert_eq!(
            kind(
                "a-deployment.yml",
                "version: 1\nnodes:\n  \"10.0.0.1\": [db]\n"
            ),
            Detection::Spec(Format::Flocker)
        );
        assert_eq!(
            kind(
                "app.json",
                r#"{"name": "x", "formation": {"web": {"quantity": 1}}}"#
            ),
            Detection::Spec(Format::Procfile)
        );
        assert!(matches!(
            kind(
                "other.json",
                r#"{"name": "x", "formation": {"web": {"quantity": 1}}}"#
            ),
            Detection::Skipped(_)
        ));
        assert_eq!(
            kind("Chart.yaml", "apiVersion: v2\nname: c\n"),
            Detection::Spec(Format::Helm)
        );
        assert_eq!(kind("fig.yml", "x: 1\n"), Detection::Spec(Format::Compose));
    }
}
