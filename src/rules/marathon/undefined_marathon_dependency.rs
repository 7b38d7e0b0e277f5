//! `correctness/undefined-marathon-dependency`: a dependency names an id inside a
//! group the project deploys, but nothing of that group has the id.
//!
//! Facts (Marathon's `dependencies`, the deployment planner): dependencies are ids
//! of apps, pods or groups, relative ones resolved against the group that holds the
//! app (or against the group itself for a group's dependencies); the planner orders
//! the deployment by the ones that exist and ignores the rest, so a dependency on a
//! missing id orders nothing. A group definition replaces the group's whole content,
//! so an id inside a group the project defines exists only if the project defines
//! it. A dependency outside every group of the project may be deployed by another
//! request and is not reported.

use crate::diagnostic::Severity;
use crate::diagnostic::Tier;
use crate::diagnostic::{Example, Family, RuleMeta};
use crate::formats::marathon::path::is_within;
use crate::rules::{Context, Rule};
use crate::source::{FileId, Format, Spanned};

pub(crate) struct UndefinedMarathonDependency;

static META: RuleMeta = RuleMeta {
    name: "undefined-marathon-dependency",
    family: Family::Correctness,
    severity: Severity::Error,
    tier: Tier::Default,
    peers: &[],
    formats: &[Format::Marathon],
    summary: "a Marathon dependency names an id its group does not define",
    what: "Reports an entry of an app's or a group's `dependencies` that resolves (relative ids against the enclosing group, as Marathon does) to an id inside a group the project defines, when no app, pod or group of the project has that id or lies below it. The finding points at the entry and, when one exists, suggests the project's id with the closest name. Dependencies on ids outside every group of the project (another team's app, an app deployed by another file) are not checked, nor are ids with template placeholders.",
    why: "Marathon orders a deployment by the dependencies that exist and silently ignores the others: the app starts at once, before the database or service it waits for, and fails or retries until that one happens to be up. It usually means the other app was renamed, or a relative id (`../db`) resolves somewhere else than meant.",
    bad: Example {
        file_name: "shop.json",
        text: r#"{
  "id": "/shop",
  "apps": [
    { "id": "database", "cmd": "./db", "instances": 1 },
    { "id": "web", "cmd": "./web", "instances": 2, "dependencies": ["db"] }
  ]
}
"#,
    },
    good: Example {
        file_name: "shop.json",
        text: r#"{
  "id": "/shop",
  "apps": [
    { "id": "database", "cmd": "./db", "instances": 1 },
    { "id": "web", "cmd": "./web", "instances": 2, "dependencies": ["database"] }
  ]
}
"#,
    },
};

/// True for an id a template engine fills in before deploying.
fn templated(id: &str) -> bool {
    ["{{", "${", "%{", "<%"].iter().any(|t| id.contains(t))
}

impl Rule for UndefinedMarathonDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut Context<'_>) {
        // Every id the project defines, and the groups it defines whole.
        let mut defined: Vec<String> = Vec::new();
        let mut groups: Vec<String> = Vec::new();
        // (file, owner description, dependency) for each written dependency.
        let mut deps: Vec<(FileId, String, Spanned<String>)> = Vec::new();
        for file in cx.project_files() {
            let Some(m) = file.marathon() else {
                continue;
            };
            for g in &m.groups {
                defined.push(g.path.clone());
                // The root group (a file without an id) stands for "the whole
                // cluster" in exports and is not a group the project owns.
                if g.id.is_some() && g.path != "/" {
                    groups.push(g.path.clone());
                }
                for d in &g.dependencies {
                    deps.push((file.id, format!("group \"{}\"", g.path), d.clone()));
                }
            }
            for a in &m.apps {
                if let Some(path) = &a.path {
                    defined.push(path.clone());
                }
                let owner = format!("app \"{}\"", a.path.as_deref().unwrap_or("?"));
                for d in &a.dependencies {
                    deps.push((file.id, owner.clone(), d.clone()));
                }
            }
            for p in &m.pods {
                if let Some(path) = &p.path {
                    defined.push(path.clone());
                }
            }
        }
        for (file, owner, dep) in deps {
            let target = dep.value.as_str();
            if templated(target) || target == "/" {
                continue;
            }
            let Some(group) = groups
                .iter()
                .filter(|g| is_within(target, g) && target != g.as_str())
                .max_by_key(|g| g.len())
            else {
                continue;
            };
            if defined.iter().any(|d| is_within(d, target)) {
                continue;
            }
            let near = crate::source::closest(
                target,
                defined
                    .iter()
                    .filter(|d| is_within(d, group) && d.as_str() != group.as_str())
                    .map(String::as_str),
            );
            let d = cx.report(
                file,
                dep.span,
                format!(
                    "{owner} depends on \"{target}\", which group \"{group}\" does not define; Marathon ignores the dependency"
                ),
            );
            d.help = Some(match near {
                Some(n) => format!("did you mean \"{n}\"? Relative ids resolve against the group that holds the app"),
                None => "name an app, pod or group this project defines, or remove the dependency".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::marathon::{messages, run, scan};

    fn findings(text: &str) -> Vec<String> {
        let (files, _) = scan(&[("app.json", text)]);
        messages(&files, &run(&UndefinedMarathonDependency, &files))
    }

    #[test]
    fn reports_dependencies_inside_the_group_that_name_nothing() {
        let text = r#"{ "id": "/product", "dependencies": ["/product/infra"], "groups": [
  { "id": "service", "apps": [
    { "id": "web", "cmd": "a", "dependencies": ["../database", "../db", "/product/infra/cache"] }
  ] },
  { "id": "database", "apps": [{ "id": "pg", "cmd": "b" }] }
] }"#;
        assert_eq!(
            findings(text),
            [
                "app.json:1:38: group \"/product\" depends on \"/product/infra\", which group \"/product\" does not define; Marathon ignores the dependency",
                "app.json:3:64: app \"/product/service/web\" depends on \"/product/db\", which group \"/product\" does not define; Marathon ignores the dependency",
                "app.json:3:73: app \"/product/service/web\" depends on \"/product/infra/cache\", which group \"/product\" does not define; Marathon ignores the dependency",
            ]
        );
    }

    #[test]
    fn leaves_existing_outside_and_templated_targets_alone() {
        let text = r#"{ "id": "/shop", "apps": [
  { "id": "web", "cmd": "a", "dependencies": ["db", "/other/queue", "{{DB_ID}}", "/shop"] },
  { "id": "db", "cmd": "b" }
] }"#;
        assert!(findings(text).is_empty());
        // A single app outside any group: its dependency may be deployed elsewhere.
        assert!(findings(r#"{ "id": "/web", "cmd": "a", "dependencies": ["/db"] }"#).is_empty());
        // The `{"apps": [...]}` export has no group id.
        assert!(
            findings(r#"{ "apps": [{ "id": "/web", "cmd": "a", "dependencies": ["/db"] }] }"#)
                .is_empty()
        );
    }
}
