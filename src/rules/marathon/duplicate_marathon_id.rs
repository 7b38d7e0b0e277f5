//! `correctness/duplicate-marathon-id`: two apps, pods or groups of one Marathon
//! file resolve to the same absolute id.
//!
//! Facts (Marathon's `Group` validation and model): a group keeps its apps, pods and
//! groups in maps keyed by id, so a second app with an id already used replaces the
//! first without a word; an app and a pod, an app and a group, or a pod and a group
//! with one id are refused ("Applications and Pods may not share the same id",
//! "Groups and Applications may not have the same identifier", "Groups and Pods may
//! not have the same identifier"). Only one file is compared with itself: it is what
//! one request deploys, and two files of a directory defining one id are usually
//! alternative versions of one app (blue and green, before and after).

use std::collections::HashMap;

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, Related, RuleMeta};
use crate::rules::{Context, Rule};
use crate::source::{Format, Span};

pub(crate) struct DuplicateMarathonId;

static META: RuleMeta = RuleMeta {
    name: "duplicate-marathon-id",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "two apps, pods or groups of one Marathon file have the same id",
    what: "Reports an app, pod or group whose absolute id (relative ids resolved against the groups around it) is already the id of another app, pod or group of the same file. The finding points at the second id and names the first. Ids written with a template placeholder (`{{name}}`, `${NAME}`) are left alone, and so are two files that define one id: they are usually alternative versions of one app.",
    why: "A group keeps one app per id: the second definition silently replaces the first, so one of the two services never runs. An app and a pod, or an app or pod and a group, with one id make Marathon refuse the whole deployment.",
    bad: Example {
        file_name: "shop.json",
        text: r#"{
  "id": "/shop",
  "apps": [
    { "id": "web", "cmd": "python3 -m http.server $PORT0", "instances": 2 },
    { "id": "web", "cmd": "./worker", "instances": 1 }
  ]
}
"#,
    },
    good: Example {
        file_name: "shop.json",
        text: r#"{
  "id": "/shop",
  "apps": [
    { "id": "web", "cmd": "python3 -m http.server $PORT0", "instances": 2 },
    { "id": "worker", "cmd": "./worker", "instances": 1 }
  ]
}
"#,
    },
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    App,
    Pod,
    Group,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::App => "app",
            Kind::Pod => "pod",
            Kind::Group => "group",
        }
    }

    /// The name with its indefinite article.
    fn a(self) -> &'static str {
        match self {
            Kind::App => "an app",
            Kind::Pod => "a pod",
            Kind::Group => "a group",
        }
    }
}

/// True for an id a template engine fills in before deploying.
fn templated(id: &str) -> bool {
    ["{{", "${", "%{", "<%"].iter().any(|t| id.contains(t))
}

impl Rule for DuplicateMarathonId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            // Everything with a written id, in file order.
            let mut items: Vec<(Kind, &str, Span)> = Vec::new();
            for g in &m.groups {
                if let Some(id) = &g.id {
                    items.push((Kind::Group, g.path.as_str(), id.span));
                }
            }
            for a in &m.apps {
                if let (Some(path), Some(id)) = (&a.path, &a.app.id) {
                    items.push((Kind::App, path.as_str(), id.span));
                }
            }
            for p in &m.pods {
                if let (Some(path), Some(id)) = (&p.path, &p.pod.id) {
                    items.push((Kind::Pod, path.as_str(), id.span));
                }
            }
            items.sort_by_key(|(_, _, span)| span.start);
            let mut seen: HashMap<&str, (Kind, Span)> = HashMap::new();
            for (kind, path, span) in items {
                if templated(path) || path == "/" {
                    continue;
                }
                let Some(&(first_kind, first_span)) = seen.get(path) else {
                    seen.insert(path, (kind, span));
                    continue;
                };
                let (message, help) = if kind == first_kind {
                    (
                        format!(
                            "{} \"{path}\" is defined twice in this file; Marathon keeps only one {} per id",
                            kind.name(),
                            kind.name()
                        ),
                        format!(
                            "give one of the two {}s another id, or delete the copy",
                            kind.name()
                        ),
                    )
                } else {
                    (
                        format!(
                            "{} \"{path}\" has the id of {} of this file; Marathon refuses {} and {} with one id",
                            kind.name(),
                            first_kind.a(),
                            first_kind.a(),
                            kind.a()
                        ),
                        format!("give the {} another id", kind.name()),
                    )
                };
                let d = cx.report(file.id, span, message);
                d.help = Some(help);
                d.related.push(Related {
                    file: file.id,
                    span: first_span,
                    message: format!("the {} with this id", first_kind.name()),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{messages, run, scan};

    fn findings(text: &str) -> Vec<String> {
        let (files, _) = scan(&[("app.json", text)]);
        messages(&files, &run(&DuplicateMarathonId, &files))
    }

    #[test]
    fn reports_ids_that_resolve_to_one_path() {
        let text = r#"{ "id": "/shop", "apps": [
  { "id": "web", "cmd": "a" },
  { "id": "/shop/web", "cmd": "b" },
  { "id": "db", "cmd": "c" }
], "groups": [{ "id": "db", "apps": [{ "id": "x", "cmd": "d" }] }],
  "pods": [{ "id": "./web/", "containers": [{ "name": "c" }] }] }"#;
        assert_eq!(
            findings(text),
            [
                "app.json:3:11: app \"/shop/web\" is defined twice in this file; Marathon keeps only one app per id",
                "app.json:5:23: group \"/shop/db\" has the id of an app of this file; Marathon refuses an app and a group with one id",
                "app.json:6:20: pod \"/shop/web\" has the id of an app of this file; Marathon refuses an app and a pod with one id",
            ]
        );
    }

    #[test]
    fn leaves_distinct_and_templated_ids_alone() {
        let text = r#"[
  { "id": "/a/web", "cmd": "a" }, { "id": "/b/web", "cmd": "b" },
  { "id": "/{{name}}", "cmd": "c" }, { "id": "/{{name}}", "cmd": "d" }
]"#;
        assert!(findings(text).is_empty());
        // Two files with one id: alternative versions, not one deployment.
        let (files, _) = scan(&[
            ("blue.json", r#"{ "id": "/web", "cmd": "a", "dependencies": ["/db"] }"#),
            ("green.json", r#"{ "id": "/web", "cmd": "b", "dependencies": ["/db"] }"#),
            ("db.json", r#"{ "id": "/db", "cmd": "c" }"#),
        ]);
        assert!(run(&DuplicateMarathonId, &files).is_empty());
    }
}
