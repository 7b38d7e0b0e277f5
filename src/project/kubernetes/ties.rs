//! References between the directory projects of sibling folders, and alternative
//! manifests inside a project.
//!
//! Manifests of one app are often kept in sibling folders (`app/frontend/`,
//! `app/redis/`, `app/autoscaling/`). A directory project is tied to a sibling's
//! (same parent directory) when one of its objects refers to something it does
//! not define itself and exactly one sibling defines:
//!
//! - a Service whose selector matches no pod template of its own project but the
//!   pod template labels of a sibling's workload;
//! - an HPA whose `scaleTargetRef` names a workload the sibling defines;
//! - a container whose environment value or argument addresses a Service by name
//!   (`redis:6379`, `http://api/`, `api.shop.svc`) that the sibling defines;
//! - an object whose `metadata.namespace` the sibling creates (a `Namespace`).
//!
//! A reference two projects could answer ties nothing (two copies of one example,
//! say); the projects of the same directory and of its siblings are asked, and a
//! project made by a kustomization answers but is never merged: it stays as
//! Kustomize builds it.
//!
//! Inside a project, an object whose kind, namespace and name another file of the
//! project already defines, and every object of a file named as a variant of
//! another file of the project (`svc-ipv6.yaml` beside `svc.yaml`), is an
//! alternative: the advisor counts it once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::formats::kubernetes::Object;
use crate::formats::kubernetes::model::Body;
use crate::project::{Alternative, Project, SpecFile, Tie};
use crate::source::FileId;

/// What the objects of a project refer to.
struct Facts<'a> {
    refs: Vec<Ref<'a>>,
}

enum Ref<'a> {
    Selects {
        file: FileId,
        who: String,
        selector: Vec<(String, String)>,
    },
    Scales {
        file: FileId,
        who: String,
        kind: String,
        name: String,
    },
    Addresses {
        file: FileId,
        who: String,
        host: String,
    },
    InNamespace {
        file: FileId,
        who: String,
        namespace: &'a str,
    },
}

fn same_namespace(a: Option<&str>, b: Option<&str>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// The Service names (with the namespace, when written) a value addresses: the
/// host of `redis:6379`, `http://api/v1`, `tcp://db.shop.svc.cluster.local:5432`.
/// Only values that look like an address (a scheme, a port or `.svc`) count, or
/// any value of a variable named like one (`*_HOST`, `*_ADDR`, `*_URL`, ...).
pub(crate) fn hosts(value: &str, address_var: bool) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for part in value.split([',', ' ', ';']) {
        let rest = part.split_once("://").map_or(part, |(_, r)| r);
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        let host_end = rest.find([':', '/', '?']).unwrap_or(rest.len());
        let host = &rest[..host_end];
        let has_port = rest[host_end..].starts_with(':');
        let looks = part.contains("://") || has_port || host.contains(".svc") || address_var;
        if !looks || host.is_empty() {
            continue;
        }
        let mut labels = host.split('.');
        let name = labels.next().unwrap_or("");
        let valid = |s: &str| {
            !s.is_empty()
                && s.len() <= 63
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        };
        if !valid(name) {
            continue;
        }
        let namespace = labels.next().filter(|ns| valid(ns));
        // `name` or `name.ns.svc[.cluster.local]`; other dotted hosts (`name.ns`
        // reads like `example.com`) are left out.
        if namespace.is_some() && labels.next() != Some("svc") {
            continue;
        }
        out.push((name.to_string(), namespace.map(str::to_string)));
    }
    out
}

fn is_address_var(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    [
        "_HOST",
        "_HOSTS",
        "_ADDR",
        "_ADDRESS",
        "_URL",
        "_URI",
        "_SERVICE",
        "_ENDPOINT",
        "_SERVER",
    ]
    .iter()
    .any(|s| n.ends_with(s))
}

fn facts<'a>(project: &Project, files: &HashMap<FileId, &'a SpecFile>) -> Facts<'a> {
    let mut f = Facts { refs: Vec::new() };
    for id in &project.files {
        let Some(file) = files.get(id) else { continue };
        let Some(k) = file.kubernetes() else { continue };
        for o in k.objects.iter().filter(|o| !o.patch) {
            object_facts(*id, file, o, &mut f);
        }
    }
    f
}

fn object_facts<'a>(id: FileId, file: &'a SpecFile, o: &'a Object, f: &mut Facts<'a>) {
    let namespace = o.metadata.namespace.as_deref();
    if let Some(ns) = namespace
        && o.kind.value != "Namespace"
    {
        f.refs.push(Ref::InNamespace {
            file: id,
            who: o.describe(),
            namespace: ns,
        });
    }
    match &o.body {
        Body::Service(s) => {
            if let Some(sel) = s.selector.as_ref().filter(|s| !s.is_empty()) {
                f.refs.push(Ref::Selects {
                    file: id,
                    who: o.describe(),
                    selector: sel.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                });
            }
        }
        Body::HorizontalPodAutoscaler(_) => {
            if let Some((kind, target)) = o.scale_target(&file.docs) {
                f.refs.push(Ref::Scales {
                    file: id,
                    who: o.describe(),
                    kind: kind.value,
                    name: target.value,
                });
            }
        }
        _ => {}
    }
    if let Some(t) = o.pod_template() {
        let containers = t.spec.into_iter().flat_map(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
        });
        for c in containers {
            let env = c
                .env
                .iter()
                .flatten()
                .filter_map(|e| e.value.as_deref().map(|v| (v, is_address_var(&e.name))));
            let args = c
                .args
                .iter()
                .flatten()
                .chain(c.command.iter().flatten())
                .map(|a| (a.as_str(), false));
            for (value, var) in env.chain(args) {
                for (host, ns) in hosts(value, var) {
                    let host = match ns {
                        Some(ns) => format!("{host}.{ns}"),
                        None => host,
                    };
                    f.refs.push(Ref::Addresses {
                        file: id,
                        who: o.describe(),
                        host,
                    });
                }
            }
        }
    }
}

/// The file of `facts`' project that answers a reference, and in which words;
/// `None` when the project does not answer it.
fn answers(
    r: &Ref<'_>,
    project: &Project,
    files: &HashMap<FileId, &SpecFile>,
) -> Option<(FileId, String)> {
    for id in &project.files {
        let Some(k) = files.get(id).and_then(|f| f.kubernetes()) else {
            continue;
        };
        for o in k.objects.iter().filter(|o| !o.patch) {
            let name = o.name.as_ref().map_or("", |n| n.value.as_str());
            let ns = o.metadata.namespace.as_deref();
            let hit = match r {
                Ref::Selects { selector, .. } => o.pod_template().is_some_and(|t| {
                    let labels: Vec<(String, String)> = t
                        .labels
                        .map(|l| l.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default();
                    crate::formats::kubernetes::selector::selects(selector, &labels)
                }),
                Ref::Scales { kind, name: n, .. } => {
                    o.pod_template().is_some() && o.kind.value == *kind && name == n
                }
                Ref::Addresses { host, .. } => {
                    let (h, want_ns) = host
                        .split_once('.')
                        .map_or((host.as_str(), None), |(h, n)| (h, Some(n)));
                    matches!(o.body, Body::Service(_)) && name == h && same_namespace(want_ns, ns)
                }
                Ref::InNamespace { namespace, .. } => {
                    o.kind.value == "Namespace" && name == *namespace
                }
            };
            if hit {
                let why = match r {
                    Ref::Selects { who, .. } => format!("{who} selects {}", o.describe()),
                    Ref::Scales { who, .. } => format!("{who} scales {}", o.describe()),
                    Ref::Addresses { who, host, .. } => {
                        format!("{who} addresses {} as `{host}`", o.describe())
                    }
                    Ref::InNamespace { who, .. } => {
                        format!("{who} is placed in {}", o.describe())
                    }
                };
                return Some((*id, why));
            }
        }
    }
    None
}

fn ref_file(r: &Ref<'_>) -> FileId {
    match r {
        Ref::Selects { file, .. }
        | Ref::Scales { file, .. }
        | Ref::Addresses { file, .. }
        | Ref::InNamespace { file, .. } => *file,
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The keys a project's objects answer references by (see `lookup_key`): each
/// pod template label, each workload's kind and name, each Service's and each
/// Namespace's name.
fn offers(project: &Project, files: &HashMap<FileId, &SpecFile>) -> HashSet<String> {
    let mut out = HashSet::new();
    for id in &project.files {
        let Some(k) = files.get(id).and_then(|f| f.kubernetes()) else {
            continue;
        };
        for o in k.objects.iter().filter(|o| !o.patch) {
            object_offers(o, &mut out);
        }
    }
    out
}

fn object_offers(o: &Object, out: &mut HashSet<String>) {
    let name = o.name.as_ref().map_or("", |n| n.value.as_str());
    if let Some(t) = o.pod_template() {
        out.insert(format!("S:{}/{name}", o.kind.value));
        for (key, v) in t.labels.into_iter().flatten() {
            out.insert(format!("L:{key}={v}"));
        }
    }
    if matches!(o.body, Body::Service(_)) {
        out.insert(format!("V:{name}"));
    }
    if o.kind.value == "Namespace" {
        out.insert(format!("N:{name}"));
    }
}

/// What may tie one file's objects to another folder's (`tie`): the keys they
/// offer and the keys their references look up (`lookup_key`; `None` for a
/// reference any project may answer). Two projects are tied only when one looks
/// up a key the other offers, so files whose keys meet nothing outside their own
/// cluster keep the ties they had.
pub(crate) fn tie_keys(file: &SpecFile) -> (Vec<String>, Vec<Option<String>>) {
    let mut offers = HashSet::new();
    let mut facts = Facts { refs: Vec::new() };
    if let Some(k) = file.kubernetes() {
        for o in k.objects.iter().filter(|o| !o.patch) {
            object_offers(o, &mut offers);
            object_facts(file.id, file, o, &mut facts);
        }
    }
    let mut offers: Vec<String> = offers.into_iter().collect();
    offers.sort_unstable();
    let refs = facts.refs.iter().map(lookup_key).collect();
    (offers, refs)
}

/// The key a project must offer to answer a reference (`None`: any project may,
/// as an empty selector selects every pod).
fn lookup_key(r: &Ref<'_>) -> Option<String> {
    match r {
        Ref::Selects { selector, .. } => selector.first().map(|(k, v)| format!("L:{k}={v}")),
        Ref::Scales { kind, name, .. } => Some(format!("S:{kind}/{name}")),
        Ref::Addresses { host, .. } => Some(format!(
            "V:{}",
            host.split_once('.').map_or(host.as_str(), |(h, _)| h)
        )),
        Ref::InNamespace { namespace, .. } => Some(format!("N:{namespace}")),
    }
}

/// The deepest directory holding every path.
fn common_dir(paths: &[&Path]) -> PathBuf {
    let Some(first) = paths.first() else {
        return PathBuf::new();
    };
    let mut out = first.to_path_buf();
    for p in &paths[1..] {
        while !p.starts_with(&out) {
            if !out.pop() {
                return PathBuf::new();
            }
        }
    }
    out
}

/// Merges the directory projects that sibling references tie (see the module's
/// documentation); `tied` says which projects may be merged (those not made by a
/// kustomization).
pub(crate) fn tie(
    projects: Vec<Project>,
    tied: &[bool],
    files: &HashMap<FileId, &SpecFile>,
) -> Vec<Project> {
    let n = projects.len();
    let all_facts: Vec<Facts<'_>> = projects.iter().map(|p| facts(p, files)).collect();
    let mut by_parent: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (i, p) in projects.iter().enumerate() {
        if let Some(parent) = p.root.parent() {
            by_parent.entry(parent.to_path_buf()).or_default().push(i);
        }
    }
    let may_tie = |i: usize| tied.get(i).copied().unwrap_or(false);
    let mut parent: Vec<usize> = (0..n).collect();
    let mut ties: Vec<Vec<Tie>> = vec![Vec::new(); n];
    for siblings in by_parent.values() {
        if siblings.len() < 2 {
            continue;
        }
        // Which siblings may answer what: looking a reference up here first keeps
        // a folder of thousands of sibling projects linear.
        let mut offered: HashMap<String, Vec<usize>> = HashMap::new();
        for &j in siblings {
            for key in offers(&projects[j], files) {
                offered.entry(key).or_default().push(j);
            }
        }
        for &i in siblings.iter().filter(|&&i| may_tie(i)) {
            for r in &all_facts[i].refs {
                if answers(r, &projects[i], files).is_some() {
                    continue;
                }
                let candidates: &[usize] = match lookup_key(r) {
                    Some(key) => offered.get(&key).map_or(&[], Vec::as_slice),
                    None => siblings,
                };
                let found: Vec<(usize, FileId, String)> = candidates
                    .iter()
                    .filter(|&&j| j != i)
                    .filter_map(|&j| answers(r, &projects[j], files).map(|(f, w)| (j, f, w)))
                    .collect();
                // Answered by one sibling only, and one Kustomize does not build.
                let [(j, to, why)] = found.as_slice() else {
                    continue;
                };
                if !may_tie(*j) {
                    continue;
                }
                let (a, b) = (find(&mut parent, i), find(&mut parent, *j));
                let tie = Tie {
                    from: ref_file(r),
                    to: *to,
                    why: why.clone(),
                };
                if !ties[i].contains(&tie) {
                    ties[i].push(tie);
                }
                if a != b {
                    let (lo, hi) = (a.min(b), a.max(b));
                    parent[hi] = lo;
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut slots: Vec<Option<Project>> = projects.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for members in groups.into_values() {
        if members.len() == 1 {
            if let Some(p) = slots[members[0]].take() {
                out.push(p);
            }
            continue;
        }
        let parts: Vec<Project> = members.iter().filter_map(|&i| slots[i].take()).collect();
        let roots: Vec<&Path> = parts.iter().map(|p| p.root.as_path()).collect();
        let root = common_dir(&roots);
        let format = parts[0].format;
        let mut ids: Vec<FileId> = parts.iter().flat_map(|p| p.files.clone()).collect();
        ids.sort();
        let mut project = Project::new(root, format, ids);
        project.ties = members.iter().flat_map(|&i| ties[i].clone()).collect();
        out.push(project);
    }
    out
}

/// Marks the alternatives of a project: objects that another file of the project
/// already defines (same kind, namespace and name), and every object of a file
/// named as a variant of another of the project's files.
pub(crate) fn mark_alternatives(project: &mut Project, files: &HashMap<FileId, &SpecFile>) {
    let stem = |id: &FileId| {
        files
            .get(id)
            .and_then(|f| f.path.file_stem())
            .and_then(|s| s.to_str())
            .map(str::to_string)
    };
    let by_stem: HashMap<String, FileId> = project
        .files
        .iter()
        .filter_map(|id| stem(id).map(|s| (s, *id)))
        .collect();
    let mut whole: HashMap<FileId, (FileId, String)> = HashMap::new();
    for id in &project.files {
        let Some(s) = stem(id) else { continue };
        for suffix in VARIANT_SUFFIXES {
            let Some(base) = s.strip_suffix(suffix) else {
                continue;
            };
            if let Some(&of) = by_stem.get(base).filter(|b| *b != id) {
                let base_name = files.get(&of).map_or("", |b| b.display.as_str());
                whole.insert(
                    *id,
                    (
                        of,
                        format!(
                            "named as the {} variant of {base_name}",
                            suffix.trim_start_matches(['-', '_', '.'])
                        ),
                    ),
                );
                break;
            }
        }
    }
    let mut seen: HashMap<(String, String, String), FileId> = HashMap::new();
    let mut out: Vec<Alternative> = Vec::new();
    // Files named as variants come last, so the base keeps its objects.
    let mut order: Vec<FileId> = project.files.clone();
    order.sort_by_key(|id| (whole.contains_key(id), *id));
    for id in order {
        if let Some((of, why)) = whole.get(&id) {
            out.push(Alternative {
                file: id,
                span: None,
                of: *of,
                why: why.clone(),
            });
            continue;
        }
        let Some(k) = files.get(&id).and_then(|f| f.kubernetes()) else {
            continue;
        };
        for o in k.objects.iter().filter(|o| !o.patch) {
            let Some(name) = &o.name else { continue };
            let key = (
                o.kind.value.clone(),
                o.metadata.namespace.clone().unwrap_or_default(),
                name.value.clone(),
            );
            match seen.get(&key) {
                Some(&of) if of != id => {
                    let of_name = files.get(&of).map_or("", |b| b.display.as_str());
                    out.push(Alternative {
                        file: id,
                        span: Some(o.span),
                        of,
                        why: format!("{} is defined in {of_name} too", o.describe()),
                    });
                }
                Some(_) => {}
                None => {
                    seen.insert(key, id);
                }
            }
        }
    }
    project.alternatives = out;
}

/// File name endings of a variant of another manifest (`svc-ipv6.yaml` is the
/// IPv6 variant of `svc.yaml`).
const VARIANT_SUFFIXES: &[&str] = &[
    "-ipv6",
    "_ipv6",
    ".ipv6",
    "-ipv4",
    "_ipv4",
    "-dualstack",
    "_dualstack",
    "-dual-stack",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_addresses() {
        let h = |v: &str, var: bool| hosts(v, var);
        assert_eq!(
            h("redis-cart:6379", false),
            vec![("redis-cart".into(), None)]
        );
        assert_eq!(h("http://api/v1", false), vec![("api".into(), None)]);
        assert_eq!(
            h("db.shop.svc.cluster.local:5432", false),
            vec![("db".into(), Some("shop".into()))]
        );
        assert_eq!(h("redis", true), vec![("redis".into(), None)]);
        // A plain word that is no address, and a host outside the cluster.
        assert!(h("redis", false).is_empty());
        assert!(h("https://example.com/x", false).is_empty());
        assert!(h("api.shop:80", false).is_empty());
        assert!(h("--port=8080", false).is_empty());
    }

    #[test]
    fn common_dirs() {
        assert_eq!(
            common_dir(&[Path::new("a/b/c"), Path::new("a/b/d")]),
            PathBuf::from("a/b")
        );
        assert_eq!(
            common_dir(&[Path::new("a/b"), Path::new("a/b/d")]),
            PathBuf::from("a/b")
        );
    }
}
