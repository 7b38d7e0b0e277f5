//! A Helm chart's workloads as its values describe them. The templates are not
//! rendered, so the advisor reads the values a chart's templates conventionally
//! use: per component (the values' top level, or a block such as `master:` or
//! `frontend:`), `replicaCount`/`replicas`, `autoscaling.maxReplicas` (unless
//! `autoscaling.enabled` is false), `persistence.enabled` and `persistence.size`,
//! `resources.requests`, and `image.repository` (to know a data store). Each
//! component with any of them becomes a workload of the advice's model only: the
//! rules never see these, so `check` reports nothing it cannot point at.
//!
//! A block named after a data store and switched on (`redis.enabled: true` of a
//! dependency chart, `cartDatabase.inClusterRedis.create: true`) runs that store
//! in the cluster: its component, or a workload of its own, runs the store's
//! image and carries the block's path (`VALUES_PATH`), so that the state analysis
//! can read what the values call it.

use super::stores::{self, Store};
use crate::model::lower::placeholder;
use crate::model::quantity::{cpu_cores, k8s_bytes};
use crate::model::{
    Container, DeploymentModel, HintKind, Mount, MountKind, ValueHint, Workload, WorkloadKind,
};
use crate::project::{Project, SpecFile};
use crate::source::{Format, Loc, Located};
use crate::yaml::Node;

/// The key path of the component a hint belongs to: the hint's path without its
/// key and without the blocks that hold it (`autoscaling`, `persistence`,
/// `resources.requests`).
fn component(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('.').collect();
    parts.pop();
    while let Some(last) = parts.last() {
        if matches!(
            *last,
            "autoscaling" | "hpa" | "persistence" | "requests" | "resources"
        ) {
            parts.pop();
        } else {
            break;
        }
    }
    parts.join(".")
}

/// The node at a dotted path under `root`.
fn at<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    path.split('.')
        .filter(|p| !p.is_empty())
        .try_fold(root, |n, key| n.get(key))
}

/// The chart's name (`Chart.yaml`), else its folder's.
fn chart_name(project: &Project, files: &[SpecFile]) -> String {
    project
        .files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
        .find_map(|f| match f.helm() {
            Some(crate::formats::helm::HelmFile::Chart(c)) => {
                c.name.as_ref().map(|n| n.value.clone())
            }
            _ => None,
        })
        .or_else(|| {
            project
                .root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "chart".into())
}

/// The label a workload built from a values block carries: the block's dotted path.
pub(crate) const VALUES_PATH: &str = "orchlint.values-path";

/// Switches, values that turn a block on.
const SWITCHES: [&str; 2] = ["enabled", "create"];

/// A values block that turns on a data store the chart runs.
struct StoreSwitch {
    /// The block's dotted path (`cartDatabase.inClusterRedis`).
    path: String,
    store: &'static Store,
    /// The switch's value (`true` of `create: true`).
    at: Loc,
    /// The block's `image.repository`, when it names one.
    image: Option<Located<String>>,
}

/// Blocks of the chart's values files named after a data store and switched on.
fn store_switches(project: &Project, files: &[SpecFile]) -> Vec<StoreSwitch> {
    fn walk(
        node: &Node,
        path: &str,
        file: crate::source::FileId,
        depth: usize,
        out: &mut Vec<StoreSwitch>,
    ) {
        if depth > 4 {
            return;
        }
        for (k, v) in node.as_mapping().unwrap_or(&[]) {
            let Some(key) = k.as_str() else { continue };
            if v.as_mapping().is_none() {
                continue;
            }
            let here = if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            };
            let on = SWITCHES
                .iter()
                .filter_map(|s| v.get(s))
                .find(|n| n.as_bool() == Some(true));
            if let (Some(on), Some(store)) = (on, stores::lookup_values_key(key)) {
                let image = v
                    .at(&["image", "repository"])
                    .and_then(|r| r.as_str().map(|t| (t, r.span)))
                    .map(|(t, span)| Located::new(t.to_string(), Loc::new(file, span)));
                out.push(StoreSwitch {
                    path: here,
                    store,
                    at: Loc::new(file, on.span),
                    image,
                });
                continue;
            }
            walk(v, &here, file, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for f in project
        .files
        .iter()
        .filter_map(|id| files.get(id.0 as usize))
    {
        if !matches!(f.helm(), Some(crate::formats::helm::HelmFile::Values(_))) {
            continue;
        }
        for doc in &f.docs {
            walk(doc, "", f.id, 0, &mut out);
        }
    }
    out
}

/// The model with a workload per component the values describe (Helm projects
/// only; others are returned as they are).
pub(crate) fn with_values_workloads(
    project: &Project,
    files: &[SpecFile],
    model: &DeploymentModel,
) -> Option<DeploymentModel> {
    if project.format != Format::Helm || !model.workloads.is_empty() {
        return None;
    }
    let chart = chart_name(project, files);
    // The values file each hint comes from, read again for `enabled` switches and
    // images.
    let root_of = |loc: Loc| files.get(loc.file.0 as usize).and_then(|f| f.docs.first());
    let mut comps: Vec<(String, Vec<&ValueHint>)> = Vec::new();
    for h in &model.value_hints {
        let c = component(&h.path);
        match comps.iter_mut().find(|(name, _)| *name == c) {
            Some((_, v)) => v.push(h),
            None => comps.push((c, vec![h])),
        }
    }
    let mut out = model.clone();
    // The component path of each workload added, by index in `out.workloads`.
    let mut added: Vec<(String, usize)> = Vec::new();
    for (comp, hints) in comps {
        let Some(first) = hints.first() else { continue };
        let name = if comp.is_empty() {
            chart.clone()
        } else {
            format!("{chart}/{comp}")
        };
        let mut w = Workload::new(
            Format::Helm,
            WorkloadKind::Deployment,
            name.clone(),
            first.loc,
        );
        let mut c = Container::new(Located::new(name, first.loc));
        let root = root_of(first.loc);
        let prefix = if comp.is_empty() {
            String::new()
        } else {
            format!("{comp}.")
        };
        if let Some(repo) = root.and_then(|r| at(r, &format!("{prefix}image.repository")))
            && let Some(text) = repo.as_str()
        {
            c.image = Some(Located::new(
                text.to_string(),
                Loc::new(first.loc.file, repo.span),
            ));
        }
        let marked = |h: &ValueHint| {
            files
                .get(h.loc.file.0 as usize)
                .is_some_and(|f| placeholder::is_marked(&f.text, h.loc))
        };
        for h in hints {
            match h.kind {
                HintKind::Replicas if !marked(h) => {
                    if let Ok(n) = h.value.trim().parse::<u32>() {
                        w.replicas = Some(Located::new(n, h.loc));
                    }
                }
                HintKind::MaxReplicas if !marked(h) => {
                    let scaler = h.path.rsplit_once('.').map_or("", |(p, _)| p);
                    let off = root
                        .and_then(|r| at(r, &format!("{scaler}.enabled")))
                        .and_then(Node::as_bool)
                        == Some(false);
                    if let (false, Ok(n)) = (off, h.value.trim().parse::<u32>()) {
                        w.max_replicas = Some(Located::new(n, h.loc));
                    }
                }
                HintKind::Persistence => {
                    let block = h.path.trim_end_matches(".enabled").to_string();
                    if !c.mounts.iter().any(|m| m.source.as_deref() == Some(&block)) {
                        c.mounts.push(Mount {
                            kind: MountKind::Named,
                            source: Some(block),
                            target: "its data".into(),
                            read_only: false,
                            loc: h.loc,
                        });
                    }
                }
                HintKind::CpuRequest => {
                    if let Some(v) = cpu_cores(h.value.trim()) {
                        c.resources.cpu_request = Some(Located::new(v, h.loc));
                    }
                }
                HintKind::MemoryRequest => {
                    if let Some(v) = k8s_bytes(h.value.trim()) {
                        c.resources.memory_request = Some(Located::new(v, h.loc));
                    }
                }
                _ => {}
            }
        }
        w.containers.push(c);
        added.push((comp, out.workloads.len()));
        out.workloads.push(w);
    }
    for sw in store_switches(project, files) {
        // The block's own components (`redis.master` of `redis`) run the store.
        let inside = |comp: &str| {
            comp == sw.path
                || comp
                    .strip_prefix(sw.path.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        };
        let image = sw.image.clone().unwrap_or_else(|| {
            let name = sw.store.images.first().map_or("", String::as_str);
            Located::new(name.to_string(), sw.at)
        });
        let mut found = false;
        for (comp, i) in &added {
            if !inside(comp) {
                continue;
            }
            let Some(w) = out.workloads.get_mut(*i) else {
                continue;
            };
            found = true;
            w.labels.push((VALUES_PATH.into(), sw.path.clone()));
            for c in w.containers.iter_mut().filter(|c| c.image.is_none()) {
                c.image = Some(image.clone());
            }
        }
        if found {
            continue;
        }
        let name = format!("{chart}/{}", sw.path);
        let mut w = Workload::new(Format::Helm, WorkloadKind::Deployment, name.clone(), sw.at);
        w.labels.push((VALUES_PATH.into(), sw.path.clone()));
        let mut c = Container::new(Located::new(name, sw.at));
        c.image = Some(image);
        w.containers.push(c);
        out.workloads.push(w);
    }
    (!out.workloads.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::component;

    #[test]
    fn components_of_value_paths() {
        assert_eq!(component("replicaCount"), "");
        assert_eq!(component("autoscaling.maxReplicas"), "");
        assert_eq!(component("persistence.enabled"), "");
        assert_eq!(component("resources.requests.cpu"), "");
        assert_eq!(component("master.persistence.size"), "master");
        assert_eq!(component("frontend.replicaCount"), "frontend");
        assert_eq!(component("frontend.resources.requests.memory"), "frontend");
    }
}
