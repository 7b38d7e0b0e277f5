//! Schema rules: what the orchestrator's API itself rejects in a spec that reads
//! into its typed model — values outside an enum or a form, and required fields
//! left out. They run after grouping, on the typed objects of a project, because
//! a file that a kustomization applies as a patch is a fragment: its objects lack
//! what the objects they patch already have.
//!
//! Unknown keys and values of the wrong type are found earlier, while a file is
//! read (`diagnostic::builtin`), except in custom resources: those are checked here
//! against the schema of their CustomResourceDefinition (`crd`), which may be in
//! any project of the scan, and a kind with none in the scan gets a note
//! (`unvalidated-kind`).

mod compose;
pub(crate) mod crd;
mod forms;
mod kind;
mod kubernetes;
mod marathon;

super::register! {
    invalid_value::InvalidValue,
    missing_required::MissingRequired,
    unknown_key::UnknownKey,
    unvalidated_kind::UnvalidatedKind,
}

use super::Context;
use crate::project::compose::ProjectView;
use crate::project::kubernetes::project_objects;
use crate::source::{FileId, Format, Span};

/// A finding of a schema rule: where, and what.
type Found = Vec<(FileId, Span, String)>;

/// Every schema finding of one project, computed once (the engine lends the same
/// result to the three rules) and split by rule.
#[derive(Default)]
pub(crate) struct ProjectFindings {
    invalid: Found,
    missing: Found,
    unknown: Found,
}

impl ProjectFindings {
    /// Runs every check that suits the project's format: the Kubernetes checks over
    /// its objects (Kustomize patches left out) and custom resources against the
    /// CRDs of the whole scan; Marathon's values; the Compose checks over the
    /// project as Compose merges it.
    pub(crate) fn of(cx: &Context<'_>) -> Self {
        let mut out = ProjectFindings::default();
        match cx.project.format {
            Format::Kubernetes => out.kubernetes(cx),
            Format::Marathon => {
                for file in cx.project_files() {
                    if let Some(m) = file.marathon() {
                        let at = |(span, message)| (file.id, span, message);
                        out.invalid.extend(marathon::invalid(m).into_iter().map(at));
                        out.missing.extend(m.missing.iter().cloned().map(at));
                    }
                }
            }
            Format::Compose => {
                let found = match cx.compose {
                    Some(view) => compose::check(view, cx.files),
                    None => compose::check(&ProjectView::new(cx.project, cx.files), cx.files),
                };
                out.invalid = found.invalid;
                out.missing = found.missing;
            }
            _ => {}
        }
        out
    }

    fn kubernetes(&mut self, cx: &Context<'_>) {
        let crds = cx.crds();
        for (file, obj) in project_objects(cx.project, cx.files) {
            if let Some((span, message)) = kind::check(obj) {
                self.invalid.push((file.id, span, message));
            }
            for found in [
                kubernetes::check(obj, &file.docs),
                crd::check(crds, obj, &file.docs),
            ] {
                let at = |(span, message)| (file.id, span, message);
                self.invalid.extend(found.invalid.into_iter().map(at));
                self.missing.extend(found.missing.into_iter().map(at));
                self.unknown.extend(found.unknown.into_iter().map(at));
            }
        }
    }
}

/// Reports one rule's part of the project's schema findings.
fn report(cx: &mut Context<'_>, part: fn(&ProjectFindings) -> &Found) {
    let found = part(cx.schema_findings()).clone();
    for (file, span, message) in found {
        cx.report(file, span, message);
    }
}
