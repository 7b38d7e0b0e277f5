//! Kubernetes specs: the typed model (k8s-openapi types read from the span-keeping
//! tree), label selectors, and the object tree's helpers. Grouping (directories and
//! kustomizations) is in `project::kubernetes`, lowering in `model::lower::kubernetes`.

pub(crate) mod kinds;
pub(crate) mod model;
pub(crate) mod release;
pub(crate) mod selector;
pub(crate) mod tree;

pub(crate) use model::{Body, KubernetesFile, Object, read};

/// Every `orchlint.dev/ignore` annotation of a file: the whole object it covers and
/// the annotation's value (`"rule-a, rule-b"`).
#[cfg(test)]
pub(crate) fn ignore_annotations(
    file: &KubernetesFile,
) -> Vec<(crate::source::Span, crate::source::Spanned<String>)> {
    file.objects
        .iter()
        .filter_map(|o| o.ignore.clone().map(|v| (o.span, v)))
        .collect()
}

/// The labels an object gives its pods, read from the tree at the places pod
/// templates sit (`metadata` of a Pod, `spec.template`, `spec.jobTemplate.spec.template`),
/// whatever the kind: custom resources that embed a pod template (Argo Rollouts,
/// OpenShift DeploymentConfigs) and objects whose spec did not read count too.
pub(crate) fn pod_labels_in_tree(
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

#[cfg(test)]
mod tests;
