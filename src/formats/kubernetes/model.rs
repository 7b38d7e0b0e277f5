//! The typed model of one Kubernetes file: its objects (each with apiVersion, kind,
//! metadata and, for the kinds orchlint understands, the spec read into the
//! k8s-openapi type) and its kustomization, if it is one.
//!
//! Only the SPEC is read into the typed model, not the whole object, so objects of
//! old API versions (`extensions/v1beta1`, `apps/v1beta2`, `batch/v2alpha1`, ...) read
//! as well as current ones: their specs have the same shape.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSetSpec, DeploymentSpec, ReplicaSetSpec, StatefulSetSpec};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscalerSpec;
use k8s_openapi::api::batch::v1::{CronJobSpec, JobSpec};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaimSpec, PersistentVolumeSpec, PodSpec, ReplicationControllerSpec,
    ServiceSpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::de::DeserializeOwned;

use super::tree::At;
use crate::diagnostic::Diagnostic;
use crate::formats::{unknown_key, wrong_type};
use crate::source::FileId;
use crate::source::{Span, Spanned};
use crate::yaml::de::{DeError, UnknownKey, UnknownKeys, from_node_at};
use crate::yaml::{Node, Value};

/// The annotation that silences rules for one object.
pub(crate) const IGNORE_ANNOTATION: &str = "orchlint.dev/ignore";

/// The typed model of one Kubernetes file.
#[derive(Debug, Default)]
pub struct KubernetesFile {
    /// Every object, List items flattened, in file order.
    pub(crate) objects: Vec<Object>,
    /// The file's kustomization, when it is a `kustomization.yaml`.
    pub(crate) kustomization: Option<Kustomization>,
}

/// One Kubernetes object.
#[allow(
    dead_code,
    reason = "deserialized so that a value of the wrong type is a finding; no rule reads it yet"
)]
#[derive(Debug)]
pub(crate) struct Object {
    /// The document of the file holding the object.
    pub(crate) doc: usize,
    /// Indexes into nested `items` lists, from the document down to the object
    /// (empty for an object that is a document of its own).
    pub(crate) items: Vec<usize>,
    /// The whole object.
    pub(crate) span: Span,
    pub(crate) api_version: Spanned<String>,
    pub(crate) kind: Spanned<String>,
    pub(crate) metadata: ObjectMeta,
    /// `metadata.name`, with the span of its value.
    pub(crate) name: Option<Spanned<String>>,
    /// The `orchlint.dev/ignore` annotation value.
    pub(crate) ignore: Option<Spanned<String>>,
    /// The object carries a `$patch` directive: it is a Kustomize patch, not an object
    /// to deploy.
    pub(crate) patch: bool,
    pub(crate) body: Body,
}

/// The part of an object read into a k8s-openapi type.
#[derive(Debug)]
pub(crate) enum Body {
    /// An unknown kind, a custom resource, a kind whose spec orchlint does not read,
    /// or a spec that did not read (a `syntax/wrong-type` finding says why).
    Untyped,
    Pod(Box<PodSpec>),
    Deployment(Box<DeploymentSpec>),
    /// Also `apps/v1alpha1` PetSet, StatefulSet's former name.
    StatefulSet(Box<StatefulSetSpec>),
    DaemonSet(Box<DaemonSetSpec>),
    ReplicaSet(Box<ReplicaSetSpec>),
    ReplicationController(Box<ReplicationControllerSpec>),
    Job(Box<JobSpec>),
    CronJob(Box<CronJobSpec>),
    Service(Box<ServiceSpec>),
    PersistentVolumeClaim(Box<PersistentVolumeClaimSpec>),
    PersistentVolume(Box<PersistentVolumeSpec>),
    /// autoscaling/v1, v2, v2beta1 and v2beta2 share `maxReplicas` and
    /// `scaleTargetRef`; the v2 type reads them all.
    HorizontalPodAutoscaler(Box<HorizontalPodAutoscalerSpec>),
}

/// A workload's selector as written.
pub(crate) enum Selector<'a> {
    /// `spec.selector` of apps and batch kinds.
    Label(&'a LabelSelector),
    /// A ReplicationController's plain `spec.selector` map.
    Map(&'a BTreeMap<String, String>),
}

/// What a workload object says about its pods.
pub(crate) struct PodTemplate<'a> {
    /// Path from the object's node to the pod template (`spec.template`); empty for a
    /// Pod, whose own metadata and spec play that part.
    pub(crate) path: &'static [&'static str],
    pub(crate) labels: Option<&'a BTreeMap<String, String>>,
    pub(crate) spec: Option<&'a PodSpec>,
}

const TEMPLATE: &[&str] = &["spec", "template"];
const CRONJOB_TEMPLATE: &[&str] = &["spec", "jobTemplate", "spec", "template"];

impl Object {
    /// The object's node in the file's documents.
    pub(crate) fn node<'a>(&self, docs: &'a [Node]) -> Option<&'a Node> {
        let mut node = docs.get(self.doc)?;
        for &i in &self.items {
            node = node.get("items")?.as_sequence()?.get(i)?;
        }
        Some(node)
    }

    /// A walk from the object's node.
    pub(crate) fn at<'a>(&self, docs: &'a [Node]) -> At<'a> {
        At(self.node(docs))
    }

    /// How the object is named in messages: `Deployment "web"`.
    pub(crate) fn describe(&self) -> String {
        describe(&self.kind.value, self.name.as_ref())
    }

    /// Where findings about the whole object point: its name, or its kind.
    pub(crate) fn anchor(&self) -> Span {
        self.name.as_ref().map_or(self.kind.span, |n| n.span)
    }

    /// The pod template of a workload object.
    pub(crate) fn pod_template(&self) -> Option<PodTemplate<'_>> {
        fn of<'t>(
            path: &'static [&'static str],
            t: Option<&'t k8s_openapi::api::core::v1::PodTemplateSpec>,
        ) -> PodTemplate<'t> {
            PodTemplate {
                path,
                labels: t
                    .and_then(|t| t.metadata.as_ref())
                    .and_then(|m| m.labels.as_ref()),
                spec: t.and_then(|t| t.spec.as_ref()),
            }
        }
        Some(match &self.body {
            Body::Pod(spec) => PodTemplate {
                path: &[],
                labels: self.metadata.labels.as_ref(),
                spec: Some(spec),
            },
            Body::Deployment(s) => of(TEMPLATE, Some(&s.template)),
            Body::StatefulSet(s) => of(TEMPLATE, Some(&s.template)),
            Body::DaemonSet(s) => of(TEMPLATE, Some(&s.template)),
            Body::ReplicaSet(s) => of(TEMPLATE, s.template.as_ref()),
            Body::ReplicationController(s) => of(TEMPLATE, s.template.as_ref()),
            Body::Job(s) => of(TEMPLATE, Some(&s.template)),
            Body::CronJob(s) => of(
                CRONJOB_TEMPLATE,
                s.job_template.spec.as_ref().map(|j| &j.template),
            ),
            _ => return None,
        })
    }

    /// An autoscaler's target as written: its kind and name, with their spans
    /// (`spec.scaleTargetRef`, or `spec.scaleRef` in `extensions/v1beta1`).
    pub(crate) fn scale_target(&self, docs: &[Node]) -> Option<(Spanned<String>, Spanned<String>)> {
        let Body::HorizontalPodAutoscaler(spec) = &self.body else {
            return None;
        };
        let spec_at = self.at(docs).key("spec");
        let target = &spec.scale_target_ref;
        let (r, kind, name) = if target.name.is_empty() {
            let r = spec_at.key("scaleRef");
            (
                r,
                r.key("kind").str()?.to_string(),
                r.key("name").str()?.to_string(),
            )
        } else {
            let r = spec_at.key("scaleTargetRef");
            (r, target.kind.clone(), target.name.clone())
        };
        let fallback = self.anchor();
        Some((
            r.key("kind").spanned(kind, fallback),
            r.key("name").spanned(name, fallback),
        ))
    }

    /// The workload's selector and the path to it, when one is written.
    pub(crate) fn selector(&self) -> Option<(Selector<'_>, &'static [&'static str])> {
        const SELECTOR: &[&str] = &["spec", "selector"];
        const CRONJOB_SELECTOR: &[&str] = &["spec", "jobTemplate", "spec", "selector"];
        Some(match &self.body {
            Body::Deployment(s) => (Selector::Label(&s.selector), SELECTOR),
            Body::StatefulSet(s) => (Selector::Label(&s.selector), SELECTOR),
            Body::DaemonSet(s) => (Selector::Label(&s.selector), SELECTOR),
            Body::ReplicaSet(s) => (Selector::Label(&s.selector), SELECTOR),
            Body::Job(s) => (Selector::Label(s.selector.as_ref()?), SELECTOR),
            Body::CronJob(s) => (
                Selector::Label(s.job_template.spec.as_ref()?.selector.as_ref()?),
                CRONJOB_SELECTOR,
            ),
            Body::ReplicationController(s) => (Selector::Map(s.selector.as_ref()?), SELECTOR),
            _ => return None,
        })
    }
}

/// What a kustomization lists, as written.
#[derive(Debug, Default)]
pub(crate) struct Kustomization {
    /// `resources` and the legacy `bases`: files and directories.
    pub(crate) resources: Vec<Spanned<String>>,
    /// `components`: directories holding a Component kustomization.
    pub(crate) components: Vec<Spanned<String>>,
    /// Files named by `patches[].path`, `patchesJson6902[].path` and
    /// `patchesStrategicMerge` (inline patches are left out).
    pub(crate) patches: Vec<Spanned<String>>,
    /// The `patches`, `patchesStrategicMerge` and `patchesJson6902` keys that hold
    /// at least one patch, with how many (inline patches included).
    pub(crate) patch_lists: Vec<(Spanned<String>, usize)>,
}

type ReadSpec = fn(&Node, &UnknownKeys) -> Result<Body, DeError>;

fn read_as<T: DeserializeOwned>(
    node: &Node,
    unknown: &UnknownKeys,
    wrap: fn(Box<T>) -> Body,
) -> Result<Body, DeError> {
    from_node_at::<T>(node, "spec", unknown).map(|t| wrap(Box::new(t)))
}

/// How to read the spec of a kind orchlint understands, by API group (the empty
/// string is the core group), version and kind. Pre-1.0 core versions (`v1beta1`
/// ... `v1beta3`) had another shape and stay untyped.
fn spec_reader(group: &str, version: &str, kind: &str) -> Option<ReadSpec> {
    let core = group.is_empty() && version == "v1";
    let reader: ReadSpec = match (group, kind) {
        (_, "Pod") if core => |n, u| read_as(n, u, Body::Pod),
        (_, "ReplicationController") if core => |n, u| read_as(n, u, Body::ReplicationController),
        (_, "Service") if core => |n, u| read_as(n, u, Body::Service),
        (_, "PersistentVolumeClaim") if core => |n, u| read_as(n, u, Body::PersistentVolumeClaim),
        (_, "PersistentVolume") if core => |n, u| read_as(n, u, Body::PersistentVolume),
        ("apps" | "extensions", "Deployment") => |n, u| read_as(n, u, Body::Deployment),
        ("apps" | "extensions", "DaemonSet") => |n, u| read_as(n, u, Body::DaemonSet),
        ("apps" | "extensions", "ReplicaSet") => |n, u| read_as(n, u, Body::ReplicaSet),
        ("apps", "StatefulSet" | "PetSet") => |n, u| read_as(n, u, Body::StatefulSet),
        ("batch" | "extensions", "Job") => |n, u| read_as(n, u, Body::Job),
        ("batch", "CronJob" | "ScheduledJob") => |n, u| read_as(n, u, Body::CronJob),
        ("autoscaling" | "extensions", "HorizontalPodAutoscaler") => {
            |n, u| read_as(n, u, Body::HorizontalPodAutoscaler)
        }
        _ => return None,
    };
    Some(reader)
}

/// Keys that only a kustomization has at its top level (generic ones such as
/// `labels`, `images` or `replicas` are left out: a file named `kustomization.yaml` is
/// a kustomization whatever keys it holds).
const KUSTOMIZE_KEYS: &[&str] = &[
    "resources",
    "bases",
    "components",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "commonAnnotations",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "helmCharts",
];

/// A kustomization document: `kustomize.config.k8s.io` Kustomization or Component,
/// or a mapping of kustomization keys without apiVersion and kind.
pub(crate) fn is_kustomization(doc: &Node) -> bool {
    match doc.get("apiVersion").and_then(Node::as_str) {
        Some(v) => v.starts_with("kustomize.config.k8s.io/"),
        None => {
            doc.get("kind").is_none()
                && doc.as_mapping().is_some_and(|m| {
                    m.iter()
                        .any(|(k, _)| k.as_str().is_some_and(|k| KUSTOMIZE_KEYS.contains(&k)))
                })
        }
    }
}

fn strings(node: Option<&Node>) -> Vec<Spanned<String>> {
    node.and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| At::new(n).spanned_str())
        .filter(|s| !s.value.trim().is_empty())
        .collect()
}

fn read_kustomization(doc: &Node) -> Kustomization {
    let mut k = Kustomization {
        resources: strings(doc.get("resources")),
        components: strings(doc.get("components")),
        patches: Vec::new(),
        patch_lists: Vec::new(),
    };
    for key in ["patches", "patchesStrategicMerge", "patchesJson6902"] {
        if let Some((name, list)) = doc.entry(key)
            && let Some(items) = list.as_sequence().filter(|i| !i.is_empty())
        {
            k.patch_lists
                .push((Spanned::new(key.to_string(), name.span), items.len()));
        }
    }
    k.resources.extend(strings(doc.get("bases")));
    // A `patchesStrategicMerge` entry is a file path or an inline patch.
    k.patches.extend(
        strings(doc.get("patchesStrategicMerge"))
            .into_iter()
            .filter(|p| !p.value.contains('\n') && !p.value.contains(": ")),
    );
    for key in ["patches", "patchesJson6902"] {
        for p in doc.get(key).and_then(Node::as_sequence).unwrap_or_default() {
            if let Some(path) = At::new(p).key("path").spanned_str() {
                k.patches.push(path);
            }
        }
    }
    k
}

/// Reads a file's objects and kustomization; values of the wrong type become
/// diagnostics and leave their object untyped.
pub(crate) fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> KubernetesFile {
    let mut out = KubernetesFile::default();
    for (i, doc) in docs.iter().enumerate() {
        if is_kustomization(doc) {
            if out.kustomization.is_none() {
                out.kustomization = Some(read_kustomization(doc));
            }
            continue;
        }
        let mut reader = Reader {
            file,
            doc: i,
            items: Vec::new(),
            objects: &mut out.objects,
            diags,
        };
        reader.collect(doc, None);
    }
    out
}

/// Deepest nesting of `List`s followed.
const MAX_LIST_DEPTH: usize = 8;

struct Reader<'o> {
    file: FileId,
    doc: usize,
    items: Vec<usize>,
    objects: &'o mut Vec<Object>,
    diags: &'o mut Vec<Diagnostic>,
}

impl Reader<'_> {
    /// Reads one object, or flattens a list. `outer` is the apiVersion and item kind a
    /// typed list (`DeploymentList`) gives items that omit their own.
    fn collect(&mut self, node: &Node, outer: Option<(&Spanned<String>, &Spanned<String>)>) {
        let field = |key: &str| {
            At::new(node)
                .key(key)
                .spanned_str()
                .filter(|s| !s.value.is_empty())
        };
        let (Some(api_version), Some(kind)) = (
            field("apiVersion").or_else(|| outer.map(|o| o.0.clone())),
            field("kind").or_else(|| outer.map(|o| o.1.clone())),
        ) else {
            return;
        };
        let items = node.get("items").and_then(Node::as_sequence);
        if let Some(items) = items.filter(|_| kind.value.ends_with("List")) {
            if self.items.len() >= MAX_LIST_DEPTH {
                return;
            }
            let item_kind = match kind.value.strip_suffix("List") {
                Some(k) if !k.is_empty() => Spanned::new(k.to_string(), kind.span),
                _ => Spanned::new(String::new(), kind.span),
            };
            for (i, item) in items.iter().enumerate() {
                self.items.push(i);
                // Items of a plain `List` carry their own apiVersion and kind.
                let outer = (!item_kind.value.is_empty()).then_some((&api_version, &item_kind));
                self.collect(item, outer);
                self.items.pop();
            }
            return;
        }
        self.object(node, api_version, kind);
    }

    fn object(&mut self, node: &Node, api_version: Spanned<String>, kind: Spanned<String>) {
        let at = At::new(node);
        let name = at
            .path(&["metadata", "name"])
            .spanned_str()
            .filter(|n| !n.value.is_empty());
        let what = describe(&kind.value, name.as_ref());
        let group_version = api_version.value.clone();
        let (group, version) = group_version
            .split_once('/')
            .unwrap_or(("", &group_version));
        let (group, version) = (group.trim(), version.trim());
        let reader = spec_reader(group, version, &kind.value);
        // Unknown keys are reported for the kinds read into k8s-openapi types, and in
        // every object's metadata.
        let unknown = UnknownKeys::default();
        let metadata = match node.get("metadata").filter(|m| !m.is_null()) {
            None => ObjectMeta::default(),
            Some(m) => read_repairing(
                m,
                |n| from_node_at::<ObjectMeta>(n, "metadata", &unknown),
                |err| {
                    self.diags.push(wrong_type(self.file, m, err, &what));
                },
            )
            .unwrap_or_default(),
        };
        let ignore = at
            .path(&["metadata", "annotations", IGNORE_ANNOTATION])
            .spanned_str();
        let mut object = Object {
            doc: self.doc,
            items: self.items.clone(),
            span: node.span,
            api_version,
            kind,
            metadata,
            name,
            ignore,
            patch: node.get("$patch").is_some(),
            body: Body::Untyped,
        };
        if group.is_empty() && version == "v1" {
            self.string_maps(node, &object.kind.value, &what);
        }
        let Some(reader) = reader else {
            // Whatever the kind, custom resources included, `metadata` is the API's
            // ObjectMeta, and a key it lacks is refused under strict field
            // validation; the rest of an object orchlint does not read is not
            // judged.
            let mut keys = unknown.into_inner();
            keys.retain(|k| k.path.starts_with("metadata."));
            self.report_unknown(keys, group, version, &what, node);
            self.objects.push(object);
            return;
        };
        if let Some(spec) = node.get("spec").filter(|s| !s.is_null()) {
            let diags = &mut *self.diags;
            let file = self.file;
            if let Some(body) = read_repairing(
                spec,
                |n| reader(n, &unknown),
                |err| {
                    diags.push(wrong_type(file, spec, err, &what));
                },
            ) {
                object.body = body;
            }
        }
        let owner = object_owner(&object.kind.value);
        for (k, _) in node.as_mapping().unwrap_or_default() {
            if let Some(key) = k.as_str()
                && !OBJECT_FIELDS.contains(&key)
            {
                unknown.push(UnknownKey {
                    key: key.to_string(),
                    span: k.span,
                    path: key.to_string(),
                    owner,
                    fields: OBJECT_FIELDS,
                });
            }
        }
        self.report_unknown(unknown.into_inner(), group, version, &what, node);
        self.objects.push(object);
    }

    /// The string maps of a ConfigMap (`data`) and a Secret (`data`, `stringData`):
    /// the API takes only strings as their values, so an unquoted number or
    /// boolean there is refused.
    fn string_maps(&mut self, node: &Node, kind: &str, what: &str) {
        let keys: &[&str] = match kind {
            "ConfigMap" => &["data"],
            "Secret" => &["data", "stringData"],
            _ => return,
        };
        for &key in keys {
            let Some(map) = node.get(key).filter(|m| !m.is_null()) else {
                continue;
            };
            let unknown = UnknownKeys::default();
            let (file, diags) = (self.file, &mut *self.diags);
            read_repairing(
                map,
                |n| from_node_at::<BTreeMap<String, String>>(n, key, &unknown),
                |err| diags.push(wrong_type(file, map, err, what)),
            );
        }
    }

    fn report_unknown(
        &mut self,
        mut keys: Vec<UnknownKey>,
        group: &str,
        version: &str,
        what: &str,
        node: &Node,
    ) {
        keys.sort_by_key(|k| k.span.start);
        for key in keys {
            if !accepted_elsewhere(&key, group, version) {
                self.diags.push(unknown_key(self.file, &key, what, node));
            }
        }
    }
}

/// The top-level keys of an object of a kind orchlint reads.
const OBJECT_FIELDS: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];

/// The kind as a `'static` owner name for unknown top-level keys.
fn object_owner(kind: &str) -> &'static str {
    const KINDS: &[&str] = &[
        "Pod",
        "ReplicationController",
        "Service",
        "PersistentVolumeClaim",
        "PersistentVolume",
        "Deployment",
        "DaemonSet",
        "ReplicaSet",
        "StatefulSet",
        "PetSet",
        "Job",
        "CronJob",
        "ScheduledJob",
        "HorizontalPodAutoscaler",
    ];
    KINDS
        .iter()
        .copied()
        .find(|k| *k == kind)
        .unwrap_or("object")
}

/// Keys the typed model (Kubernetes 1.34) lacks that the API still takes: the
/// directives of strategic merge patches (`$patch`, `$setElementOrder/...`), fields of
/// older API versions, and everything in the spec of an autoscaler that is not
/// `autoscaling/v2` (the v2 type reads their common fields only).
fn accepted_elsewhere(key: &UnknownKey, group: &str, version: &str) -> bool {
    if key.key.starts_with('$') {
        return true;
    }
    let legacy: &[&str] = match key.owner {
        // Removed in 1.24 and 1.14; old exports still carry them.
        "ObjectMeta" => &["clusterName", "initializers"],
        "DeploymentSpec" if (group, version) != ("apps", "v1") => &["rollbackTo"],
        "DaemonSetSpec" if (group, version) != ("apps", "v1") => &["templateGeneration"],
        // extensions/v1beta1 Jobs chose their selector with `autoSelector`.
        "JobSpec" if group == "extensions" => &["autoSelector"],
        // Services of Kubernetes 1.0 to 1.2.
        "ServiceSpec" => &["deprecatedPublicIPs"],
        "HorizontalPodAutoscalerSpec" if (group, version) != ("autoscaling", "v2") => {
            return key.path.starts_with("spec.");
        }
        "MetricSpec"
        | "ResourceMetricSource"
        | "PodsMetricSource"
        | "ObjectMetricSource"
        | "ExternalMetricSource"
        | "ContainerResourceMetricSource"
        | "MetricTarget"
        | "MetricIdentifier"
        | "CrossVersionObjectReference"
            if (group, version) != ("autoscaling", "v2") =>
        {
            return true;
        }
        _ => &[],
    };
    legacy.contains(&key.key.as_str())
}

/// How an object is named in messages: `Deployment "web"`.
fn describe(kind: &str, name: Option<&Spanned<String>>) -> String {
    match name {
        Some(n) => format!("{kind} \"{}\"", n.value),
        None => format!("unnamed {kind}"),
    }
}

/// Most values of the wrong type one object reports before orchlint stops reading it.
const MAX_REPAIRS: usize = 32;

/// Reads `node` with `read`; each value of the wrong type is reported and taken out
/// of a copy of the tree (an entry of a mapping is dropped; an item of a sequence is
/// replaced by an empty mapping, then dropped), and the reading starts again, so one
/// object reports all its wrong values and what remains still reads. `None` when the
/// node itself has the wrong type or the budget runs out.
fn read_repairing<T>(
    node: &Node,
    read: impl Fn(&Node) -> Result<T, DeError>,
    mut report: impl FnMut(DeError),
) -> Option<T> {
    let mut copy: Option<Node> = None;
    let mut reported: Vec<Span> = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let err = match read(copy.as_ref().unwrap_or(node)) {
            Ok(value) => return Some(value),
            Err(err) => err,
        };
        let Some(span) = err.span else {
            report(err);
            return None;
        };
        let first = !reported.contains(&span);
        if first {
            reported.push(span);
            report(err);
        }
        let tree = copy.get_or_insert_with(|| node.clone());
        if tree.span == span || !repair(tree, span, first) {
            return None;
        }
    }
    None
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Takes the deepest node with `span` out of `node`'s tree: drops its mapping entry,
/// or replaces a sequence item by an empty mapping (on the first try, when it is not
/// one already) so the items after it keep their positions, else drops it.
fn repair(node: &mut Node, span: Span, first: bool) -> bool {
    match &mut node.value {
        Value::Scalar(_) => false,
        Value::Mapping(entries) => {
            for i in 0..entries.len() {
                let (k, v) = &mut entries[i];
                if v.span != span && contains(v.span, span) && repair(v, span, first) {
                    return true;
                }
                if v.span == span || k.span == span {
                    if repair(v, span, first) {
                        return true;
                    }
                    entries.remove(i);
                    return true;
                }
            }
            false
        }
        Value::Sequence(items) => {
            for i in 0..items.len() {
                let item = &mut items[i];
                if !contains(item.span, span) {
                    continue;
                }
                if repair(item, span, first) {
                    return true;
                }
                if item.span == span {
                    if first && item.as_mapping().is_none() {
                        item.value = Value::Mapping(Vec::new());
                    } else {
                        items.remove(i);
                    }
                    return true;
                }
            }
            false
        }
    }
}
