//! Flocker projects: an application config with the deployment configs that place
//! its applications, and the Fig files a deployment config adopts.

use crate::diagnostic::Diagnostic;
use crate::formats::flocker::{AppConfig, DeploymentConfig, FlockerFile, model};
use crate::project::{Project, SpecFile, Typed};
use crate::source::{FileId, Format};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

pub(crate) fn apps_of(f: &SpecFile) -> Option<&AppConfig> {
    match f.flocker()? {
        FlockerFile::Applications(a) => Some(a),
        FlockerFile::Deployment(_) => None,
    }
}

pub(crate) fn deployment_of(f: &SpecFile) -> Option<&DeploymentConfig> {
    match f.flocker()? {
        FlockerFile::Deployment(d) => Some(d),
        FlockerFile::Applications(_) => None,
    }
}

/// The file name without extension, lowercased.
fn stem(f: &SpecFile) -> String {
    let name = f
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.rsplit_once('.')
        .map_or(name.clone(), |(s, _)| s.to_string())
}

/// The part of a name before `application`/`deployment` (`elk-` of
/// `elk-deployment-moved`).
fn prefix(stem: &str) -> &str {
    ["application", "deployment"]
        .iter()
        .find_map(|w| stem.find(w).map(|i| &stem[..i]))
        .unwrap_or(stem)
}

/// Pairs each deployment config of a directory with the application config that
/// defines most of the applications it places (ties: the one whose name shares its
/// prefix, then the first). Deployment configs first by name length, so
/// `x-deployment.yml` comes before `x-deployment-moved.yml`.
pub(crate) fn group(files: &[&SpecFile]) -> Vec<Project> {
    let mut by_dir: BTreeMap<PathBuf, Vec<&SpecFile>> = BTreeMap::new();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    let mut projects = Vec::new();
    for (root, in_dir) in by_dir {
        let apps: Vec<&SpecFile> = in_dir
            .iter()
            .copied()
            .filter(|f| apps_of(f).is_some())
            .collect();
        let mut deployments: Vec<&SpecFile> = in_dir
            .iter()
            .copied()
            .filter(|f| deployment_of(f).is_some())
            .collect();
        deployments.sort_by_key(|f| (stem(f).len(), stem(f)));
        let mut members: Vec<Vec<FileId>> = apps.iter().map(|a| vec![a.id]).collect();
        let mut lone: Vec<FileId> = Vec::new();
        for d in deployments {
            let placed: HashSet<&str> = deployment_of(d)
                .map(|c| {
                    c.nodes
                        .iter()
                        .flat_map(|n| n.applications.iter().map(|a| a.value.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            let d_stem = stem(d);
            let best = apps
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let defined = apps_of(a).map_or(0, |c| {
                        c.applications
                            .iter()
                            .filter(|x| placed.contains(x.name.value.as_str()))
                            .count()
                    });
                    let same_prefix = prefix(&stem(a)) == prefix(&d_stem);
                    (defined, same_prefix, std::cmp::Reverse(i))
                })
                .max();
            match best {
                Some((defined, same_prefix, std::cmp::Reverse(i)))
                    if defined > 0 || same_prefix || apps.len() == 1 =>
                {
                    members[i].push(d.id);
                }
                _ => lone.push(d.id),
            }
        }
        for files in members {
            projects.push(Project::new(root.clone(), Format::Flocker, files));
        }
        for id in lone {
            projects.push(Project::new(root.clone(), Format::Flocker, vec![id]));
        }
    }
    projects.sort_by(|a, b| a.files.first().cmp(&b.files.first()));
    projects
}

/// A Fig file beside a Flocker deployment config that places its services is
/// Flocker's Fig-compatible application config, not a Compose file: re-read it so.
/// Returns the ids of the files re-read.
pub(crate) fn adopt_fig_files(files: &mut [SpecFile], diags: &mut Vec<Diagnostic>) -> Vec<FileId> {
    let mut placed: BTreeMap<PathBuf, HashSet<String>> = BTreeMap::new();
    for f in files.iter() {
        if let Some(d) = deployment_of(f) {
            placed.entry(f.dir()).or_default().extend(
                d.nodes
                    .iter()
                    .flat_map(|n| n.applications.iter().map(|a| a.value.clone())),
            );
        }
    }
    if placed.is_empty() {
        return Vec::new();
    }
    let mut adopted = Vec::new();
    for f in files.iter_mut() {
        let Some(names) = placed.get(&f.dir()) else {
            continue;
        };
        let Some(c) = f.compose() else { continue };
        if !c.legacy_v1 || !c.services.iter().any(|s| names.contains(&s.name.value)) {
            continue;
        }
        let id = f.id;
        // The Compose reading's type findings make way for Flocker's; parse findings
        // (syntax, duplicate keys) stay.
        diags.retain(|d| d.file != id || d.rule.name != "wrong-type");
        f.typed = Typed::Flocker(model::read_fig(id, &f.docs, diags));
        f.format = Some(Format::Flocker);
        adopted.push(id);
    }
    adopted
}
