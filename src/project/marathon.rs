//! Which Marathon files form one project.
//!
//! A file is one project: its group, apps and pods are deployed together (one
//! `POST /v2/groups`, or apps posted side by side). Marathon has no project file, so
//! a directory of single-app files is merged into one project only where its files
//! are tied by what they reference, transitively:
//!
//! - `dependencies`: an app or group depends on an id that another file of the
//!   same directory defines (or on a group around such an id);
//! - group paths: apps of two files sit in the same group (`/shop/web` and
//!   `/shop/db`, group `/shop`), which Marathon deploys and scales as one;
//! - Mesos-DNS names: an environment value, command or argument addresses another
//!   file's app by its Mesos-DNS name (app `/shop/db` is `db-shop.marathon.mesos`;
//!   the dotted `db.shop.marathon.mesos` and SRV `_db-shop._tcp.marathon.mesos`
//!   forms are read too);
//! - marathon-lb groups: apps of two files expose themselves through the same
//!   named marathon-lb group (`HAPROXY_GROUP`), or one file runs the marathon-lb
//!   that serves another's group (`--group NAME`). The default groups `external`
//!   and `internal` tie nothing: unrelated samples share them.
//!
//! Files that define the same app or pod id are alternatives, never tied.
//! Unrelated files in one directory (test fixtures, examples) stay separate
//! projects, so the advisor does not read a folder of samples as one system. The
//! result depends only on the files' contents and scan order.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::formats::marathon::MarathonFile;
use crate::formats::marathon::model::EnvValue;
use crate::formats::marathon::path::is_within;
use crate::project::{Project, SpecFile, Tie};
use crate::source::{FileId, Format};

/// What one file defines and refers to.
struct Facts<'a> {
    ids: Vec<&'a str>,
    /// App and pod ids (not groups).
    apps: Vec<&'a str>,
    needs: Vec<&'a str>,
    /// Mesos-DNS names found in values (without `.marathon.mesos`).
    dns: Vec<String>,
    /// marathon-lb groups its apps join (`HAPROXY_GROUP`, comma-separated).
    lb_groups: Vec<String>,
    /// Groups a marathon-lb of the file serves (`--group NAME`).
    serves: Vec<String>,
}

fn facts(m: &MarathonFile) -> Facts<'_> {
    let mut values: Vec<&str> = Vec::new();
    let mut lb_groups = Vec::new();
    let mut serves = Vec::new();
    for a in &m.apps {
        let app = &a.app;
        values.extend(app.env.iter().filter_map(|(_, v)| match &v.value {
            EnvValue::Literal(s) => Some(s.as_str()),
            EnvValue::Secret(_) => None,
        }));
        values.extend(app.cmd.iter().map(|c| c.value.as_str()));
        values.extend(app.args.iter().map(|c| c.value.as_str()));
        for (k, v) in app.labels.iter() {
            if k == "HAPROXY_GROUP" {
                lb_groups.extend(v.split(',').map(|g| g.trim().to_string()));
            }
        }
        let args: Vec<&str> = app.args.iter().map(|a| a.value.as_str()).collect();
        let words: Vec<&str> = app
            .cmd
            .iter()
            .flat_map(|c| c.value.split_whitespace())
            .chain(args)
            .collect();
        if words
            .iter()
            .any(|w| w.contains("marathon_lb") || *w == "sse")
            || app
                .docker()
                .and_then(|d| d.image.as_ref())
                .is_some_and(|i| i.value.contains("marathon-lb"))
        {
            for pair in words.windows(2) {
                if pair[0] == "--group" {
                    serves.push(pair[1].to_string());
                }
            }
            serves.extend(
                words
                    .iter()
                    .filter_map(|w| w.strip_prefix("--group="))
                    .map(str::to_string),
            );
        }
    }
    for p in &m.pods {
        values.extend(
            p.pod
                .environment
                .iter()
                .filter_map(|(_, v)| match &v.value {
                    EnvValue::Literal(s) => Some(s.as_str()),
                    EnvValue::Secret(_) => None,
                }),
        );
    }
    let dns = values.iter().flat_map(|v| dns_names(v)).collect();
    let named = |g: &String| !g.is_empty() && g != "external" && g != "internal";
    lb_groups.retain(named);
    serves.retain(named);
    Facts {
        ids: defined_ids(m),
        apps: m
            .apps
            .iter()
            .filter_map(|a| a.path.as_deref())
            .chain(m.pods.iter().filter_map(|p| p.path.as_deref()))
            .collect(),
        needs: dependency_targets(m),
        dns,
        lb_groups,
        serves,
    }
}

/// The Mesos-DNS names a value addresses: `db-shop` of `db-shop.marathon.mesos:5432`
/// and of `_db-shop._tcp.marathon.mesos`.
fn dns_names(value: &str) -> Vec<String> {
    const SUFFIX: &str = ".marathon.mesos";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = value[from..].find(SUFFIX) {
        let end = from + i;
        let start = value[..end]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_')))
            .map_or(0, |p| p + 1);
        let mut name = &value[start..end];
        for proto in ["._tcp", "._udp"] {
            name = name.strip_suffix(proto).unwrap_or(name);
        }
        let name = name.trim_start_matches('_');
        if !name.is_empty() {
            out.push(name.to_ascii_lowercase());
        }
        from = end + SUFFIX.len();
    }
    out
}

/// The names Mesos-DNS gives the app or pod `/shop/db`: `db-shop`, `db.shop`.
fn dns_forms(id: &str) -> [String; 2] {
    let mut parts: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).collect();
    parts.reverse();
    [parts.join("-"), parts.join(".")]
}

/// The group holding an id: `/shop` of `/shop/db`; `None` at the root.
fn group_of(id: &str) -> Option<&str> {
    let (group, _) = id.rsplit_once('/')?;
    (!group.is_empty()).then_some(group)
}

/// Why file `i` needs what file `j` defines, if it does. Two files defining one
/// id are alternatives of each other (a Docker and a Mesos-containerizer variant
/// of one app, two sizes of one benchmark), never tied.
fn tie(i: &Facts<'_>, j: &Facts<'_>) -> Option<String> {
    if i.apps.iter().any(|id| j.apps.contains(id)) {
        return None;
    }
    for t in &i.needs {
        if let Some(id) = j.ids.iter().find(|id| is_within(id, t)) {
            return Some(format!("depends on `{t}`, which holds `{id}`"));
        }
    }
    for a in &i.ids {
        let Some(g) = group_of(a) else { continue };
        if let Some(b) = j.ids.iter().find(|b| group_of(b) == Some(g)) {
            return Some(format!("`{a}` and `{b}` are in group `{g}`"));
        }
    }
    for name in &i.dns {
        if let Some(id) = j.ids.iter().find(|id| dns_forms(id).contains(name)) {
            return Some(format!(
                "addresses `{id}` by its Mesos-DNS name `{name}.marathon.mesos`"
            ));
        }
    }
    for g in &i.lb_groups {
        if j.lb_groups.contains(g) {
            return Some(format!("both expose apps through marathon-lb group `{g}`"));
        }
        if j.serves.contains(g) {
            return Some(format!(
                "exposes apps through marathon-lb group `{g}`, which the marathon-lb there serves"
            ));
        }
    }
    None
}

pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    let mut by_dir: BTreeMap<PathBuf, Vec<&SpecFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    let mut projects = Vec::new();
    for (root, mut dir_files) in by_dir {
        dir_files.sort_by_key(|f| f.id);
        let all: Vec<Option<Facts<'_>>> =
            dir_files.iter().map(|f| f.marathon().map(facts)).collect();
        let mut parent: Vec<usize> = (0..dir_files.len()).collect();
        let mut ties: Vec<Tie> = Vec::new();
        for (i, fi) in all.iter().enumerate() {
            for (j, fj) in all.iter().enumerate() {
                let (Some(fi), Some(fj)) = (fi, fj) else {
                    continue;
                };
                if i == j {
                    continue;
                }
                // One tie per pair of files: the first found says why.
                let (a, b) = (dir_files[i].id, dir_files[j].id);
                if ties
                    .iter()
                    .any(|t| (t.from, t.to) == (b, a) || (t.from, t.to) == (a, b))
                {
                    continue;
                }
                if let Some(why) = tie(fi, fj) {
                    union(&mut parent, i, j);
                    ties.push(Tie {
                        from: dir_files[i].id,
                        to: dir_files[j].id,
                        why,
                    });
                }
            }
        }
        let mut components: BTreeMap<usize, Vec<FileId>> = BTreeMap::new();
        for (i, f) in dir_files.iter().enumerate() {
            let r = find(&mut parent, i);
            components.entry(r).or_default().push(f.id);
        }
        projects.extend(components.into_values().map(|files| {
            let mut p = Project::new(root.clone(), Format::Marathon, files);
            p.ties = ties
                .iter()
                .filter(|t| p.files.contains(&t.from))
                .cloned()
                .collect();
            p
        }));
    }
    projects.sort_by(|a, b| a.files.first().cmp(&b.files.first()));
    projects
}

fn defined_ids(m: &MarathonFile) -> Vec<&str> {
    m.apps
        .iter()
        .filter_map(|a| a.path.as_deref())
        .chain(m.pods.iter().filter_map(|p| p.path.as_deref()))
        .chain(m.groups.iter().map(|g| g.path.as_str()))
        .filter(|p| *p != "/")
        .collect()
}

fn dependency_targets(m: &MarathonFile) -> Vec<&str> {
    m.apps
        .iter()
        .flat_map(|a| a.dependencies.iter())
        .chain(m.groups.iter().flat_map(|g| g.dependencies.iter()))
        .map(|d| d.value.as_str())
        .filter(|d| *d != "/")
        .collect()
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller index stays the root, so components keep scan order.
    if ra < rb {
        parent[rb] = ra;
    } else if rb < ra {
        parent[ra] = rb;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mesos_dns_names() {
        assert_eq!(dns_names("db-shop.marathon.mesos:5432"), vec!["db-shop"]);
        assert_eq!(
            dns_names("http://api.marathon.mesos/x,_db._tcp.marathon.mesos"),
            vec!["api", "db"]
        );
        assert!(dns_names("leader.mesos").is_empty());
        assert_eq!(
            dns_forms("/shop/db"),
            ["db-shop".to_string(), "db.shop".to_string()]
        );
        assert_eq!(group_of("/shop/db"), Some("/shop"));
        assert_eq!(group_of("/db"), None);
    }
}
