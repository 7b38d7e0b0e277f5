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
mod kubernetes;
mod marathon;

super::register! {
    invalid_value::InvalidValue,
    missing_required::MissingRequired,
    unknown_key::UnknownKey,
    unvalidated_kind::UnvalidatedKind,
}

use super::Context;
use crate::project::kubernetes::project_objects;
use crate::source::{FileId, Span};

/// Runs the Kubernetes checks over the project's objects (Kustomize patches left
/// out), custom resources against the CRDs of the whole scan, and keeps one rule's
/// part of the findings.
fn kubernetes_findings(
    cx: &Context<'_>,
    pick: fn(kubernetes::Findings) -> Vec<(Span, String)>,
) -> Vec<(FileId, Span, String)> {
    let mut out = Vec::new();
    let objects = project_objects(cx.project, cx.files);
    let crds = cx.crds();
    for (file, obj) in objects {
        let found = pick(kubernetes::check(obj, &file.docs))
            .into_iter()
            .chain(pick(crd::check(crds, obj, &file.docs)));
        for (span, message) in found {
            out.push((file.id, span, message));
        }
    }
    out
}

/// The invalid values of the project's Marathon files.
fn marathon_invalid(cx: &Context<'_>) -> Vec<(FileId, Span, String)> {
    let mut out = Vec::new();
    for file in cx.project_files() {
        if let Some(m) = file.marathon() {
            for (span, message) in marathon::invalid(m) {
                out.push((file.id, span, message));
            }
        }
    }
    out
}

/// Runs the Compose checks over the project as Compose merges it and keeps one
/// rule's part of the findings; nothing for other formats.
fn compose_findings(
    cx: &Context<'_>,
    pick: fn(compose::Findings) -> Vec<(FileId, Span, String)>,
) -> Vec<(FileId, Span, String)> {
    if cx.project.format != crate::source::Format::Compose {
        return Vec::new();
    }
    match cx.compose {
        Some(view) => pick(compose::check(view, cx.files)),
        None => pick(compose::check(
            &crate::project::compose::ProjectView::new(cx.project, cx.files),
            cx.files,
        )),
    }
}
