//! Kubernetes specs: typed model (k8s-openapi types read from the span-keeping
//! tree), project grouping (directories and kustomizations) and lowering into the
//! normalized model.

mod group;
pub mod kustomize;
mod lower;
mod model;
pub mod selector;
pub mod tree;

pub use group::{group, patch_files};
pub use lower::lower;
pub use model::{
    Body, IGNORE_ANNOTATION, KubernetesFile, Kustomization, Object, PodTemplate, Selector,
    is_kustomization, read,
};

use std::collections::HashSet;

use crate::source::FileId;
use crate::formats::{Project, SpecFile};
use crate::source::{Span, Spanned};

/// Every `orchlint.dev/ignore` annotation of a file: the whole object it covers and
/// the annotation's value (`"rule-a, rule-b"`).
pub fn ignore_annotations(file: &KubernetesFile) -> Vec<(Span, Spanned<String>)> {
    file.objects
        .iter()
        .filter_map(|o| o.ignore.clone().map(|v| (o.span, v)))
        .collect()
}

/// The labels an object gives its pods, read from the tree at the places pod
/// templates sit (`metadata` of a Pod, `spec.template`, `spec.jobTemplate.spec.template`),
/// whatever the kind: custom resources that embed a pod template (Argo Rollouts,
/// OpenShift DeploymentConfigs) and objects whose spec did not read count too.
pub fn pod_labels_in_tree(
    obj: &Object,
    docs: &[crate::yaml::Node],
) -> Option<Vec<(String, String)>> {
    let at = obj.at(docs);
    let labels = if obj.kind.value == "Pod" {
        at.path(&["metadata", "labels"])
    } else {
        let t = at.path(&["spec", "template", "metadata", "labels"]);
        if t.exists() {
            t
        } else {
            at.path(&[
                "spec",
                "jobTemplate",
                "spec",
                "template",
                "metadata",
                "labels",
            ])
        }
    };
    let pairs = labels
        .node()?
        .as_mapping()?
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect();
    Some(pairs)
}

/// The objects of a project that deploy (Kustomize patches left out), with their
/// files, in file order.
pub fn project_objects<'a>(
    project: &Project,
    files: &'a [SpecFile],
) -> Vec<(&'a SpecFile, &'a Object)> {
    let ids: Vec<FileId> = project.files.clone();
    let patches: HashSet<FileId> = patch_files(project, files);
    let mut out = Vec::new();
    for id in ids {
        if patches.contains(&id) {
            continue;
        }
        let Some(file) = files.get(id.0 as usize) else {
            continue;
        };
        let Some(k) = file.kubernetes() else {
            continue;
        };
        out.extend(k.objects.iter().filter(|o| !o.patch).map(|o| (file, o)));
    }
    out
}

/// Every object of the scan, in this project or another, that is not a Kustomize
/// patch, with its file.
pub fn scan_objects(files: &[SpecFile]) -> impl Iterator<Item = (&SpecFile, &Object)> {
    files.iter().flat_map(|f| {
        f.kubernetes()
            .into_iter()
            .flat_map(|k| k.objects.iter().filter(|o| !o.patch))
            .map(move |o| (f, o))
    })
}

/// Helpers for tests: spec files from texts, rules run over them.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::source::Format;
    use crate::formats::Typed;
    use crate::rules::{Context, Rule};
    use crate::source::LineIndex;

    /// Reads each `(path, text)` as a Kubernetes file; returns the files and the
    /// diagnostics reading them produced.
    pub fn spec_files(inputs: &[(&str, &str)]) -> (Vec<SpecFile>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let files = inputs
            .iter()
            .enumerate()
            .map(|(i, (path, text))| {
                let id = FileId(i as u32);
                let parsed = crate::yaml::parse(text);
                let typed = read(id, &parsed.documents, &mut diags);
                SpecFile {
                    id,
                    path: path.into(),
                    display: path.to_string(),
                    text: text.to_string(),
                    format: Some(Format::Kubernetes),
                    skipped: None,
                    docs: parsed.documents,
                    typed: Typed::Kubernetes(typed),
                }
            })
            .collect();
        (files, diags)
    }

    /// Groups the files into projects, lowers each and runs one rule.
    pub fn run(rule: &dyn Rule, files: &[SpecFile]) -> Vec<Diagnostic> {
        let refs: Vec<&SpecFile> = files.iter().collect();
        let mut out = Vec::new();
        for project in group(&refs) {
            let model = lower(&project, files);
            let mut cx = Context::new(&project, files, &model, rule.meta());
            rule.check(&mut cx);
            out.extend(cx.into_diagnostics());
        }
        out.sort_by_key(|d| (d.file, d.span.start));
        out
    }

    /// `path:line:col: family/name message`, one line per diagnostic.
    pub fn render(files: &[SpecFile], diags: &[Diagnostic]) -> Vec<String> {
        diags
            .iter()
            .map(|d| {
                let f = &files[d.file.0 as usize];
                let lc = LineIndex::new(&f.text).line_col(&f.text, d.span.start);
                format!(
                    "{}:{}:{}: {} {}",
                    f.display,
                    lc.line,
                    lc.column,
                    d.code(),
                    d.message
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
