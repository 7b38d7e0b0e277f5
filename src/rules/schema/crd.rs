//! Custom resources checked against the `openAPIV3Schema` of their
//! CustomResourceDefinition, when one is anywhere in the scan. The schema is walked
//! over the span tree of the object, as kube-apiserver validates a structural
//! schema: `type`, `properties`, `items`, `required`, `enum`,
//! `additionalProperties`, `nullable`, `x-kubernetes-preserve-unknown-fields`,
//! `x-kubernetes-int-or-string` and `x-kubernetes-embedded-resource`, the value
//! constraints (`minimum`, `maximum` and their `exclusive` flags, `minLength`,
//! `maxLength`, `pattern`, `format`, `minItems`, `maxItems`, `minProperties`,
//! `maxProperties`) and `allOf`, `anyOf` and `oneOf` (`constraints`). What the
//! walk does not understand (`not`, `uniqueItems`, CEL rules in
//! `x-kubernetes-validations`, a `pattern` the regex engine cannot compile) it
//! leaves alone, and the rules' documentation says so.

mod constraints;

use std::collections::{HashMap, HashSet};

use super::forms;
use super::kubernetes::Findings;
use crate::formats::kubernetes::Object;
use crate::project::SpecFile;
use crate::project::kubernetes::scan_objects;
use crate::source::{Span, closest};
use crate::yaml::{Node, Resolved};

/// The API groups of Kubernetes itself (1.34), whose kinds no CRD defines, and the
/// groups of client-side configuration files (Kustomize, KRM functions, kpt).
const BUILTIN_GROUPS: &[&str] = &[
    "",
    "apps",
    "batch",
    "autoscaling",
    "extensions",
    "policy",
    "admissionregistration.k8s.io",
    "apiextensions.k8s.io",
    "apiregistration.k8s.io",
    "authentication.k8s.io",
    "authorization.k8s.io",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "discovery.k8s.io",
    "events.k8s.io",
    "flowcontrol.apiserver.k8s.io",
    "internal.apiserver.k8s.io",
    "networking.k8s.io",
    "node.k8s.io",
    "rbac.authorization.k8s.io",
    "resource.k8s.io",
    "scheduling.k8s.io",
    "settings.k8s.io",
    "storage.k8s.io",
    "storagemigration.k8s.io",
    "metrics.k8s.io",
    "custom.metrics.k8s.io",
    "external.metrics.k8s.io",
    "kustomize.config.k8s.io",
    "config.kubernetes.io",
    "kpt.dev",
];

/// Deepest nesting the walk follows.
const MAX_DEPTH: usize = 64;

/// An object's API group and version.
pub(super) fn group_version(obj: &Object) -> (&str, &str) {
    let v = obj.api_version.value.as_str();
    let (g, v) = v.split_once('/').unwrap_or(("", v));
    (g.trim(), v.trim())
}

/// Whether an object is a custom resource: its group is not one of Kubernetes'
/// own, and is a domain (a CRD's group must have a dot).
pub(super) fn custom(group: &str) -> bool {
    group.contains('.') && !BUILTIN_GROUPS.contains(&group) && !forms::templated(group)
}

/// What a CRD says of one version: its schema (`None` when it has none), and
/// whether the version has the status subresource, whose `status` kube-apiserver
/// drops from what is applied through the object itself before it validates.
#[derive(Clone, Copy)]
struct Version<'a> {
    schema: Option<&'a Node>,
    status_dropped: bool,
}

/// The CustomResourceDefinitions of the scan: each group, version and kind they
/// serve, and the group and kind pairs they define.
#[derive(Default)]
pub(crate) struct Crds<'a> {
    schemas: HashMap<(&'a str, &'a str, &'a str), Version<'a>>,
    kinds: HashSet<(&'a str, &'a str)>,
}

impl<'a> Crds<'a> {
    pub(crate) fn of(files: &'a [SpecFile]) -> Self {
        let mut out = Crds::default();
        for (file, obj) in scan_objects(files) {
            if obj.kind.value != "CustomResourceDefinition"
                || group_version(obj).0 != "apiextensions.k8s.io"
            {
                continue;
            }
            let Some(spec) = obj.node(&file.docs).and_then(|n| n.get("spec")) else {
                continue;
            };
            let (Some(group), Some(kind)) = (
                spec.get("group").and_then(Node::as_str),
                spec.at(&["names", "kind"]).and_then(Node::as_str),
            ) else {
                continue;
            };
            out.kinds.insert((group, kind));
            // v1beta1: one schema and one set of subresources for every version.
            let shared = Version {
                schema: spec.at(&["validation", "openAPIV3Schema"]),
                status_dropped: spec.at(&["subresources", "status"]).is_some(),
            };
            if let Some(v) = spec.get("version").and_then(Node::as_str) {
                out.schemas.insert((group, v, kind), shared);
            }
            for v in spec
                .get("versions")
                .and_then(Node::as_sequence)
                .unwrap_or_default()
            {
                let Some(name) = v.get("name").and_then(Node::as_str) else {
                    continue;
                };
                let version = Version {
                    schema: v.at(&["schema", "openAPIV3Schema"]).or(shared.schema),
                    status_dropped: shared.status_dropped
                        || v.at(&["subresources", "status"]).is_some(),
                };
                out.schemas.insert((group, name, kind), version);
            }
        }
        out
    }

    /// Whether a CRD defines the kind of the group (in any version).
    pub(super) fn defines(&self, group: &str, kind: &str) -> bool {
        self.kinds.contains(&(group, kind))
    }

    /// Whether a CRD serves the kind in the version.
    pub(super) fn serves(&self, group: &str, version: &str, kind: &str) -> bool {
        self.schemas.contains_key(&(group, version, kind))
    }

    /// How many CEL rules (`x-kubernetes-validations` entries) the schema of a
    /// served kind holds at any depth: kube-apiserver evaluates them, orchlint does
    /// not.
    pub(super) fn cel_rules(&self, group: &str, version: &str, kind: &str) -> usize {
        let Some(schema) = self
            .schemas
            .get(&(group, version, kind))
            .and_then(|v| v.schema)
        else {
            return 0;
        };
        let mut count = 0;
        let mut stack = vec![schema];
        while let Some(node) = stack.pop() {
            if let Some(entries) = node.as_mapping() {
                for (k, v) in entries {
                    if k.as_str() == Some("x-kubernetes-validations") {
                        count += v.as_sequence().map_or(0, <[Node]>::len);
                    } else {
                        stack.push(v);
                    }
                }
            } else if let Some(items) = node.as_sequence() {
                stack.extend(items);
            }
        }
        count
    }

    /// What the CRD of a custom resource says of its version, if one of the scan
    /// serves it.
    fn version(&self, obj: &Object) -> Option<Version<'a>> {
        let (group, version) = group_version(obj);
        if !custom(group) {
            return None;
        }
        self.schemas
            .get(&(group, version, obj.kind.value.as_str()))
            .copied()
    }
}

/// Checks a custom resource against its CRD's schema (nothing when there is none).
pub(super) fn check(crds: &Crds<'_>, obj: &Object, docs: &[Node]) -> Findings {
    let mut out = Findings::default();
    let Some(version) = crds.version(obj) else {
        return out;
    };
    if let (Some(schema), Some(node)) = (version.schema, obj.node(docs)) {
        let mut walk = Walk {
            who: obj.describe(),
            patterns: HashMap::new(),
            anchor: obj.anchor(),
            status_dropped: version.status_dropped,
            out: &mut out,
        };
        walk.value(schema, node, "", 0);
    }
    out
}

fn flag(schema: &Node, key: &str) -> bool {
    schema.get(key).and_then(Node::as_bool) == Some(true)
}

/// A plain scalar that YAML 1.1 reads as an integer though YAML 1.2 does not:
/// digits with `_` separators, or a binary `0b` number.
fn yaml11_int(t: &str) -> bool {
    let body = t.trim_start_matches(['-', '+']);
    let body = body.strip_prefix("0b").unwrap_or(body);
    !body.is_empty()
        && body.bytes().any(|b| b.is_ascii_digit())
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'_')
}

/// A scalar's value for messages.
fn shown(node: &Node) -> String {
    match node.as_str() {
        Some(t) => format!("{} `{t}`", node.type_name()),
        None => node.type_name().to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Whether two scalars are the same JSON value.
fn same(a: Resolved<'_>, b: Resolved<'_>) -> bool {
    match (a, b) {
        (Resolved::Str(x), Resolved::Str(y)) => x == y,
        (Resolved::Bool(x), Resolved::Bool(y)) => x == y,
        (Resolved::Null, Resolved::Null) => true,
        (Resolved::Int(x), Resolved::Int(y)) => x == y,
        (Resolved::Int(x), Resolved::Float(y)) | (Resolved::Float(y), Resolved::Int(x)) => {
            x as f64 == y
        }
        (Resolved::Float(x), Resolved::Float(y)) => x == y,
        _ => false,
    }
}

struct Walk<'o> {
    who: String,
    /// Compiled `pattern`s (`None`: one the engine cannot compile, not judged).
    patterns: HashMap<String, Option<regex_automata::meta::Regex>>,
    anchor: Span,
    /// The object's `status` is dropped before validation.
    status_dropped: bool,
    out: &'o mut Findings,
}

impl Walk<'_> {
    fn invalid(&mut self, span: Span, path: &str, message: String) {
        self.out
            .invalid
            .push((span, format!("{}: {path}: {message}", self.who)));
    }

    /// Checks `node`, at `path` (empty for the object itself), against `schema`.
    fn value(&mut self, schema: &Node, node: &Node, path: &str, depth: usize) {
        if depth > MAX_DEPTH || schema.as_mapping().is_none() {
            return;
        }
        // kube-apiserver drops a null it may not keep before it validates, and keeps
        // a nullable one.
        if node.is_null() {
            return;
        }
        if node.as_str().is_some_and(forms::templated) {
            return;
        }
        let resolved = node.scalar().map(|s| s.resolve());
        if flag(schema, "x-kubernetes-int-or-string") {
            if !matches!(resolved, Some(Resolved::Int(_) | Resolved::Str(_))) {
                self.invalid(
                    node.span,
                    path,
                    format!("expected an integer or a string, found {}", shown(node)),
                );
            } else {
                self.constraints(schema, node, path);
                self.combinators(schema, node, path, depth);
            }
            return;
        }
        let ty = schema.get("type").and_then(Node::as_str).unwrap_or("");
        let fits = match ty {
            "object" => node.as_mapping().is_some(),
            "array" => node.as_sequence().is_some(),
            "string" => matches!(resolved, Some(Resolved::Str(_))),
            "integer" => match resolved {
                Some(Resolved::Int(_)) => true,
                Some(Resolved::Float(f)) => f.is_finite() && f.fract() == 0.0,
                _ => node
                    .scalar()
                    .is_some_and(|s| s.plain && yaml11_int(&s.text)),
            },
            "number" => {
                matches!(resolved, Some(Resolved::Int(_) | Resolved::Float(_)))
                    || node
                        .scalar()
                        .is_some_and(|s| s.plain && yaml11_int(&s.text))
            }
            "boolean" => {
                matches!(resolved, Some(Resolved::Bool(_)))
                    || node
                        .scalar()
                        .is_some_and(|s| s.plain && crate::yaml::node::yaml11_bool(&s.text))
            }
            _ => true,
        };
        if !fits {
            let want = match ty {
                "object" => "a mapping",
                "array" => "a sequence",
                "string" => "a string",
                "integer" => "an integer",
                "number" => "a number",
                _ => "a boolean",
            };
            self.invalid(
                node.span,
                path,
                format!("expected {want}, found {}", shown(node)),
            );
            return;
        }
        if let (Some(value), Some(allowed)) = (
            node.scalar(),
            schema.get("enum").and_then(Node::as_sequence),
        ) {
            let v = value.resolve();
            let ok = allowed
                .iter()
                .any(|a| a.scalar().is_some_and(|a| same(a.resolve(), v)));
            if !ok && !allowed.is_empty() {
                let names: Vec<&str> = allowed.iter().filter_map(Node::as_str).collect();
                let mut message = format!("`{}` is not one of {}", value.text, names.join(", "));
                if let Some(near) = closest(&value.text, names.iter().copied()) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                self.invalid(node.span, path, message);
            }
        }
        self.constraints(schema, node, path);
        self.combinators(schema, node, path, depth);
        if let Some(items) = node.as_sequence() {
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.value(item_schema, item, &format!("{path}[{i}]"), depth + 1);
                }
            }
            return;
        }
        if node.as_mapping().is_some() {
            self.object(schema, node, path, depth);
        }
    }

    fn object(&mut self, schema: &Node, node: &Node, path: &str, depth: usize) {
        let root = path.is_empty();
        let embedded = flag(schema, "x-kubernetes-embedded-resource");
        let envelope =
            |key: &str| (root || embedded) && matches!(key, "apiVersion" | "kind" | "metadata");
        let props = schema.get("properties").and_then(Node::as_mapping);
        let extra = schema.get("additionalProperties");
        let open = flag(schema, "x-kubernetes-preserve-unknown-fields")
            || extra.is_some_and(|e| e.as_bool() == Some(true));
        let closed = extra.is_some_and(|e| e.as_bool() == Some(false));
        let extra_schema = extra.filter(|e| e.as_mapping().is_some());
        let known = || {
            props
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, _)| k.as_str())
        };
        for (k, v) in node.as_mapping().unwrap_or_default() {
            let Some(key) = k.as_str() else { continue };
            if envelope(key) || (root && key == "status" && self.status_dropped) {
                continue;
            }
            let here = join(path, key);
            if let Some(sub) = schema.get("properties").and_then(|p| p.get(key)) {
                self.value(sub, v, &here, depth + 1);
            } else if let Some(sub) = extra_schema {
                self.value(sub, v, &here, depth + 1);
            } else if !open && (props.is_some() || closed) && !forms::templated(key) {
                let mut message = format!("{}: unknown key `{here}`", self.who);
                if let Some(near) = closest(key, known()) {
                    message.push_str(&format!("; did you mean `{near}`?"));
                }
                self.out.unknown.push((k.span, message));
            }
        }
        for r in schema
            .get("required")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            let Some(r) = r.as_str() else { continue };
            if envelope(r) || node.entry(r).is_some() {
                continue;
            }
            let span = if root {
                self.anchor
            } else {
                node.as_mapping()
                    .and_then(|m| m.first())
                    .map_or(node.span, |(k, _)| k.span)
            };
            self.out
                .missing
                .push((span, format!("{}: {} is required", self.who, join(path, r))));
        }
    }
}
