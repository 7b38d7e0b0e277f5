//! Spec files as read by the scan, and projects: the files that describe one
//! deployable app (a Compose file with its overrides, the Kubernetes objects of one
//! directory, a Marathon group).

pub(crate) mod brooklyn;
pub(crate) mod compose;
pub(crate) mod flocker;
pub(crate) mod helm;
pub(crate) mod kubernetes;
pub(crate) mod marathon;
pub(crate) mod procfile;

use std::path::PathBuf;

use crate::formats;
use crate::source::{FileId, Format, SourceText};
use crate::yaml::Node;

/// The typed model of one file, per format.
#[derive(Debug)]
pub enum Typed {
    Compose(formats::compose::ComposeFile),
    Kubernetes(formats::kubernetes::KubernetesFile),
    Marathon(formats::marathon::MarathonFile),
    Flocker(formats::flocker::FlockerFile),
    Brooklyn(formats::brooklyn::BrooklynFile),
    Procfile(formats::procfile::ProcfileFile),
    Helm(formats::helm::HelmFile),
    /// Not a spec, or a spec that could not be read.
    None,
}

#[derive(Debug)]
pub struct SpecFile {
    pub id: FileId,
    /// The path on disk (or the `--stdin-filename`).
    pub path: PathBuf,
    /// The path as printed.
    pub display: String,
    pub text: String,
    /// What detection decided (a broken file keeps the format its name or text
    /// suggests; a skipped file has none).
    pub format: Option<Format>,
    /// Why the file is not linted, when it is not.
    pub skipped: Option<String>,
    pub docs: Vec<Node>,
    pub typed: Typed,
}

impl SpecFile {
    pub(crate) fn compose(&self) -> Option<&formats::compose::ComposeFile> {
        match &self.typed {
            Typed::Compose(c) => Some(c),
            _ => None,
        }
    }

    pub(crate) fn kubernetes(&self) -> Option<&formats::kubernetes::KubernetesFile> {
        match &self.typed {
            Typed::Kubernetes(k) => Some(k),
            _ => None,
        }
    }

    pub(crate) fn marathon(&self) -> Option<&formats::marathon::MarathonFile> {
        match &self.typed {
            Typed::Marathon(m) => Some(m),
            _ => None,
        }
    }

    pub(crate) fn flocker(&self) -> Option<&formats::flocker::FlockerFile> {
        match &self.typed {
            Typed::Flocker(f) => Some(f),
            _ => None,
        }
    }

    pub(crate) fn brooklyn(&self) -> Option<&formats::brooklyn::BrooklynFile> {
        match &self.typed {
            Typed::Brooklyn(b) => Some(b),
            _ => None,
        }
    }

    pub(crate) fn procfile_model(&self) -> Option<&formats::procfile::ProcfileFile> {
        match &self.typed {
            Typed::Procfile(p) => Some(p),
            _ => None,
        }
    }

    pub(crate) fn helm(&self) -> Option<&formats::helm::HelmFile> {
        match &self.typed {
            Typed::Helm(h) => Some(h),
            _ => None,
        }
    }

    /// What kind of file of its format this is, in a few words, when the format
    /// has several (`fig v1`, `swarm stack`, `application config`, `chart`, ...).
    pub fn variant(&self) -> Option<String> {
        match &self.typed {
            Typed::Compose(c) => formats::compose::swarm::file_variant(self.id, &self.path, c),
            Typed::Kubernetes(k) => k.kustomization.as_ref().map(|_| "kustomization".into()),
            Typed::Flocker(formats::flocker::FlockerFile::Applications(a)) if a.fig => {
                Some("fig-compatible application config".into())
            }
            Typed::Flocker(formats::flocker::FlockerFile::Applications(_)) => {
                Some("application config".into())
            }
            Typed::Flocker(formats::flocker::FlockerFile::Deployment(_)) => {
                Some("deployment config".into())
            }
            Typed::Brooklyn(b) if b.catalog.is_some() => Some("catalog".into()),
            Typed::Brooklyn(b) => {
                let docker_cloud = |ls: &[formats::brooklyn::model::Location]| {
                    ls.iter().any(|l| l.spec.value.contains("docker-cloud"))
                };
                let clocker = b.blueprints.iter().any(|bp| {
                    docker_cloud(&bp.locations)
                        || bp
                            .services
                            .iter()
                            .flat_map(formats::brooklyn::Entity::walk)
                            .any(|e| {
                                formats::brooklyn::is_clocker_entity(e)
                                    || docker_cloud(&e.locations)
                            })
                });
                Some(
                    if clocker {
                        "clocker blueprint"
                    } else {
                        "blueprint"
                    }
                    .into(),
                )
            }
            Typed::Procfile(formats::procfile::ProcfileFile::Procfile(_)) => {
                Some("Procfile".into())
            }
            Typed::Procfile(formats::procfile::ProcfileFile::Manifest(_)) => {
                Some("app.json manifest".into())
            }
            Typed::Helm(formats::helm::HelmFile::Chart(_)) => Some("chart".into()),
            Typed::Helm(formats::helm::HelmFile::Values(_)) => Some("values".into()),
            Typed::None if self.format == Some(Format::Helm) => Some("template".into()),
            _ => None,
        }
    }

    /// The directory holding the file.
    pub(crate) fn dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_default()
    }
}

/// Line and column lookups over the scan's spec files.
pub(crate) type Locator<'a> = crate::source::Locator<'a, SpecFile>;

impl SourceText for SpecFile {
    fn text(&self) -> &str {
        &self.text
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    /// The directory the project lives in.
    pub(crate) root: PathBuf,
    pub format: Format,
    /// Its files, in scan order; the first is the main file.
    pub files: Vec<FileId>,
    /// Why files of other directories or files a format deploys alone joined the
    /// project: the references that tied them.
    pub(crate) ties: Vec<Tie>,
    /// Objects (or whole files) that define again what another file of the project
    /// defines: alternative manifests of one app, deployed instead of each other.
    pub(crate) alternatives: Vec<Alternative>,
}

impl Project {
    pub(crate) fn new(root: PathBuf, format: Format, files: Vec<FileId>) -> Self {
        Project {
            root,
            format,
            files,
            ties: Vec::new(),
            alternatives: Vec::new(),
        }
    }
}

/// A reference from one file to what another file defines, which put both in one
/// project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tie {
    pub(crate) from: FileId,
    pub(crate) to: FileId,
    /// The reference, in words: `Service "web" selects Deployment "web"`.
    pub(crate) why: String,
}

/// An object, or a whole file (`span: None`), that defines again what `of` defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alternative {
    pub(crate) file: FileId,
    pub(crate) span: Option<crate::source::Span>,
    pub(crate) of: FileId,
    pub(crate) why: String,
}

/// Splits the scanned spec files into projects, per format.
/// `compose_named`: the Compose file lists the configuration names (`[compose]
/// projects`), each merged in order as one project.
pub(crate) fn group(files: &[SpecFile], compose_named: &[Vec<PathBuf>]) -> Vec<Project> {
    use rayon::prelude::*;
    // The formats group apart from each other: on threads of their own.
    let per_format: Vec<Vec<Project>> = Format::ALL
        .par_iter()
        .map(|format| {
            let of_format: Vec<&SpecFile> = files
                .iter()
                .filter(|f| f.format == Some(*format) && !matches!(f.typed, Typed::None))
                .collect();
            if of_format.is_empty() {
                return Vec::new();
            }
            match format {
                Format::Compose => compose::group(&of_format, compose_named),
                Format::Kubernetes => kubernetes::group(&of_format),
                Format::Marathon => marathon::group(&of_format),
                Format::Flocker => flocker::group(&of_format),
                Format::Brooklyn => brooklyn::group(&of_format),
                Format::Procfile => procfile::group(&of_format),
                Format::Helm => helm::group(&of_format),
            }
        })
        .collect();
    let mut projects: Vec<Project> = per_format.into_iter().flatten().collect();
    projects.sort_by(|a, b| a.files.first().cmp(&b.files.first()));
    projects
}

/// One project per directory (the default for formats without a project file), its
/// files in scan order with those `is_main` picks first.
pub(crate) fn group_by_directory(
    files: &[&SpecFile],
    format: Format,
    is_main: impl Fn(&SpecFile) -> bool,
) -> Vec<Project> {
    let mut by_dir: std::collections::BTreeMap<PathBuf, Vec<&SpecFile>> = Default::default();
    for f in files {
        by_dir.entry(f.dir()).or_default().push(f);
    }
    by_dir
        .into_iter()
        .map(|(root, mut in_dir)| {
            in_dir.sort_by_key(|f| (!is_main(f), f.id));
            Project::new(root, format, in_dir.iter().map(|f| f.id).collect())
        })
        .collect()
}
