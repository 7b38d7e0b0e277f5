//! Rules: one per file, each declaring its name, family, default severity, the
//! formats it reads, and its documentation; a registry lists them all.

/// Declares a group's rule modules and lists their rules for the registry, one
/// line per rule: `super::register! { latest_image_tag::LatestImageTag, ... }`.
/// The module, its rule and its registration are one line, so a rule cannot be
/// declared and forgotten.
macro_rules! register {
    ($($module:ident :: $rule:ident),* $(,)?) => {
        $(mod $module;)*

        /// The group's rules, in registration order.
        pub(crate) fn rules() -> Vec<&'static dyn $crate::rules::Rule> {
            vec![$(&$module::$rule),*]
        }
    };
}
pub(crate) use register;

pub(crate) mod advice;
pub(crate) mod brooklyn;
pub(crate) mod compose;
pub(crate) mod flocker;
pub(crate) mod helm;
pub(crate) mod kubernetes;
pub(crate) mod marathon;
pub(crate) mod procfile;
pub(crate) mod schema;
pub(crate) mod shared;

use std::sync::{Mutex, OnceLock};

use crate::diagnostic::{Applicability, Diagnostic, RuleMeta, builtin};
use crate::formats::KubernetesRelease;
use crate::model::DeploymentModel;
use crate::project::{Project, SpecFile};
use crate::source::Span;
use crate::source::{FileId, Loc};

/// The pod labels of each untyped object of a scan (`Context::untyped_pod_labels`).
pub(crate) type UntypedPods = Vec<Vec<(String, String)>>;

/// Where rules of any project find files of the whole scan without walking every
/// file: made in one pass by the first rule that asks.
#[derive(Default)]
pub(crate) struct ScanIndex {
    /// The Compose files by the folder that holds them, each folder's in `FileId`
    /// order (`Context::compose_files_in`).
    compose_folders: std::collections::HashMap<Vec<u8>, Vec<FileId>>,
    /// The kustomization files, in `FileId` order (`Context::kustomizations`).
    kustomizations: Vec<FileId>,
    /// What the Compose rules learned about folders on disk during the scan.
    compose_dirs: std::sync::Arc<compose::local::Folders>,
}

impl ScanIndex {
    fn of(files: &[SpecFile]) -> ScanIndex {
        let mut index = ScanIndex::default();
        for f in files {
            if f.compose().is_some() {
                if let Some(folder) = folder_of(&f.path) {
                    index
                        .compose_folders
                        .entry(folder.to_vec())
                        .or_default()
                        .push(f.id);
                }
            } else if f.kubernetes().is_some_and(|k| k.kustomization.is_some()) {
                index.kustomizations.push(f.id);
            }
        }
        index
    }
}

/// The bytes of the folder holding `path` (empty for a bare file name), or
/// `None` for a path ending in `/`.
fn folder_of(path: &std::path::Path) -> Option<&[u8]> {
    let p = path.as_os_str().as_encoded_bytes();
    match p.iter().rposition(|b| *b == b'/') {
        Some(i) if i + 1 == p.len() => None,
        Some(i) => Some(&p[..i]),
        None => Some(&[]),
    }
}

/// What a rule sees of one project, and where it reports.
pub(crate) struct Context<'a> {
    pub(crate) project: &'a Project,
    /// Every spec file of the scan, indexed by `FileId`.
    pub(crate) files: &'a [SpecFile],
    pub(crate) model: &'a DeploymentModel,
    /// The advisor's analysis of the project, when the engine made one (rules that
    /// need it and find none analyze the project themselves).
    pub(crate) advice: Option<&'a crate::advise::Advice>,
    /// The merged view of a Compose project (overrides, `extends`, `include`),
    /// built once by the engine for the lowering and every Compose rule.
    pub(crate) compose: Option<&'a crate::project::compose::ProjectView<'a>>,
    /// The CustomResourceDefinitions of the whole scan, indexed once by the engine
    /// and shared by every project's rules (a rule run alone indexes them itself).
    pub(crate) crds: Option<&'a schema::crd::Crds<'a>>,
    own_crds: OnceLock<schema::crd::Crds<'a>>,
    /// The schema findings of the project, computed by the first schema rule and
    /// shared by the others when the engine lends one cell to all of a project's
    /// rules.
    pub(crate) schema: Option<&'a OnceLock<schema::ProjectFindings>>,
    own_schema: OnceLock<schema::ProjectFindings>,
    /// The pod labels of the scan's objects read into no type (custom resources
    /// that embed a pod template), found by the first rule that asks and shared by
    /// every project's rules when the engine lends one cell to all of them.
    pub(crate) untyped_pods: Option<&'a OnceLock<UntypedPods>>,
    own_untyped_pods: OnceLock<UntypedPods>,
    /// The scan's index, made by the first rule that asks and shared by every
    /// project's rules when the engine lends one cell to all.
    pub(crate) scan_index: Option<&'a OnceLock<ScanIndex>>,
    own_scan_index: OnceLock<ScanIndex>,
    /// The Kubernetes release objects are judged against (the API versions it
    /// serves); the newest the build knows unless the scan names one.
    pub(crate) kubernetes: KubernetesRelease,
    meta: &'static RuleMeta,
    out: Vec<Diagnostic>,
    /// What the rule looked up beyond its project (and the directories of its
    /// project's files): what it found then depends on every file of the scan,
    /// which a scan in chunks must know (`engine::chunked`).
    lookups: Mutex<Vec<kubernetes::Lookup>>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        project: &'a Project,
        files: &'a [SpecFile],
        model: &'a DeploymentModel,
        meta: &'static RuleMeta,
    ) -> Self {
        Context {
            project,
            files,
            model,
            advice: None,
            crds: None,
            own_crds: OnceLock::new(),
            schema: None,
            own_schema: OnceLock::new(),
            untyped_pods: None,
            own_untyped_pods: OnceLock::new(),
            scan_index: None,
            own_scan_index: OnceLock::new(),
            compose: None,
            kubernetes: KubernetesRelease::default(),
            meta,
            out: Vec::new(),
            lookups: Mutex::new(Vec::new()),
        }
    }

    /// Records that the rule looks this up in files outside its project.
    pub(crate) fn look_beyond(&self, lookup: kubernetes::Lookup) {
        if let Ok(mut l) = self.lookups.lock() {
            l.push(lookup);
        }
    }

    /// What the rule looked up outside its project, each lookup once.
    pub(crate) fn take_lookups(&mut self) -> Vec<kubernetes::Lookup> {
        let mut l = match self.lookups.get_mut() {
            Ok(l) => std::mem::take(l),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        l.dedup();
        l
    }

    /// The CustomResourceDefinitions of the whole scan, indexed once per scan.
    /// The project's schema findings, computed once.
    pub(crate) fn schema_findings(&self) -> &schema::ProjectFindings {
        self.schema
            .unwrap_or(&self.own_schema)
            .get_or_init(|| schema::ProjectFindings::of(self))
    }

    /// The Compose files of the scan directly in the folder `dir` (not below
    /// it), in `FileId` order. The folder is compared by its bytes, as shown.
    pub(crate) fn compose_files_in(
        &self,
        dir: &std::path::Path,
    ) -> impl Iterator<Item = &'a SpecFile> + '_ {
        self.index()
            .compose_folders
            .get(dir.as_os_str().as_encoded_bytes())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|id| self.files.get(id.0 as usize))
    }

    /// The kustomization files of the scan, in `FileId` order.
    pub(crate) fn kustomizations(&self) -> impl Iterator<Item = &'a SpecFile> + '_ {
        self.index()
            .kustomizations
            .iter()
            .filter_map(|id| self.files.get(id.0 as usize))
    }

    fn index(&self) -> &ScanIndex {
        self.scan_index
            .unwrap_or(&self.own_scan_index)
            .get_or_init(|| ScanIndex::of(self.files))
    }

    /// The labels each untyped object of the scan without a typed pod template
    /// gives its pods (read from the tree), listed once per scan.
    pub(crate) fn untyped_pod_labels(&self) -> &[Vec<(String, String)>] {
        self.untyped_pods
            .unwrap_or(&self.own_untyped_pods)
            .get_or_init(|| {
                crate::project::kubernetes::scan_objects(self.files)
                    .filter(|(_, o)| {
                        matches!(o.body, crate::formats::kubernetes::Body::Untyped)
                            && o.pod_template().is_none()
                    })
                    .filter_map(|(f, o)| crate::formats::kubernetes::pod_labels_in_tree(o, &f.docs))
                    .collect()
            })
    }

    pub(crate) fn crds(&self) -> &schema::crd::Crds<'a> {
        match self.crds {
            Some(crds) => crds,
            None => self
                .own_crds
                .get_or_init(|| schema::crd::Crds::of(self.files)),
        }
    }

    /// The project's files.
    pub(crate) fn project_files(&self) -> impl Iterator<Item = &'a SpecFile> + 'a {
        let files = self.files;
        self.project
            .files
            .iter()
            .map(move |id| &files[id.0 as usize])
    }

    /// Reports a finding of the running rule; returns it for help and labels.
    pub(crate) fn report(
        &mut self,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.out
            .push(Diagnostic::new(self.meta, file, span, message.into()));
        let last = self.out.len() - 1;
        &mut self.out[last]
    }

    /// Reports a finding at a location of the model (its file and span).
    pub(crate) fn report_at(&mut self, loc: Loc, message: impl Into<String>) -> &mut Diagnostic {
        self.report(loc.file, loc.span, message)
    }

    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out
    }
}

pub(crate) trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &mut Context<'_>);
    /// The fix the rule attaches to its findings (to those it can repair) and
    /// whether it is safe; `None` for a rule that offers none. The one place a rule
    /// says it fixes: `rules`, `rule NAME` and the fix fixtures' test read it.
    fn fix(&self) -> Option<Applicability> {
        None
    }
}

/// The fix a rule offers, by its documentation (`None` for a rule without one and
/// for the scan's own findings).
pub(crate) fn fix_of(meta: &RuleMeta) -> Option<Applicability> {
    all()
        .iter()
        .find(|r| r.meta().name == meta.name)
        .and_then(|r| r.fix())
}

/// Every rule that runs over projects, in registry order.
pub(crate) fn all() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static dyn Rule> = Vec::new();
        v.extend(shared::rules());
        v.extend(compose::rules());
        v.extend(kubernetes::rules());
        v.extend(marathon::rules());
        v.extend(advice::rules());
        v.extend(flocker::rules());
        v.extend(brooklyn::rules());
        v.extend(procfile::rules());
        v.extend(helm::rules());
        v.extend(schema::rules());
        v
    })
}

/// Every documented rule: the project rules and the ones the scan itself emits.
pub fn all_meta() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = all().iter().map(|r| r.meta()).collect();
    v.extend(builtin::ALL.iter().copied());
    v.sort_by_key(|m| (m.family.as_str(), m.name));
    // A rule that the scan reports in part while reading and in part over projects
    // (`schema/invalid-value`) is one rule: listed once.
    v.dedup_by_key(|m| m.name);
    v
}

pub fn find(name: &str) -> Option<&'static RuleMeta> {
    all_meta()
        .into_iter()
        .find(|m| m.name == name || m.code() == name)
}

#[cfg(test)]
mod tests {
    use super::folder_of;
    use std::path::Path;

    #[test]
    fn a_file_is_in_the_folder_before_its_last_slash() {
        assert_eq!(folder_of(Path::new("a/b/compose.yaml")), Some(&b"a/b"[..]));
        assert_eq!(
            folder_of(Path::new("/srv/compose.yaml")),
            Some(&b"/srv"[..])
        );
        assert_eq!(folder_of(Path::new("compose.yaml")), Some(&b""[..]));
        assert_eq!(folder_of(Path::new("./compose.yaml")), Some(&b"."[..]));
        assert_eq!(folder_of(Path::new("a/")), None);
    }
}
