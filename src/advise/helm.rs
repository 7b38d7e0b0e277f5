//! A Helm chart's workloads as its values describe them. The templates are not
//! rendered, so the advisor reads the values a chart's templates conventionally
//! use: per component (the values' top level, or a block such as `master:` or
//! `frontend:`), `replicaCount`/`replicas`, `autoscaling.maxReplicas` (unless
//! `autoscaling.enabled` is false), `persistence.enabled` and `persistence.size`,
//! `resources.requests`, and `image.repository` (to know a data store). Each
//! component with any of them becomes a workload of the advice's model only: the
//! rules never see these, so `check` reports nothing it cannot point at.

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
