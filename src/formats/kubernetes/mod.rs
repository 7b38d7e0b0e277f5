//! Kubernetes specs: the typed model (k8s-openapi types read from the span-keeping
//! tree), label selectors, and the object tree's helpers. Grouping (directories and
//! kustomizations) is in `project::kubernetes`, lowering in `model::lower::kubernetes`.

pub mod model;
pub mod selector;
pub mod tree;

pub use model::{
    Body, IGNORE_ANNOTATION, KubernetesFile, Kustomization, Object, PodTemplate, Selector,
    is_kustomization, read,
};

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

/// Helpers for tests: spec files from texts, rules run over them.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use crate::model::lower::kubernetes::lower;
    use crate::project::kubernetes::group;
    use crate::project::{SpecFile, Typed};
    use crate::rules::{Context, Rule};
    use crate::source::LineIndex;
    use crate::source::{FileId, Format};

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
