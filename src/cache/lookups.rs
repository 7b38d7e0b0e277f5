//! Kubernetes lookups across projects, summarized so that a rescanned cluster can
//! be told apart from the clusters the cache reuses.
//!
//! Three rules look past their project when their project lacks what they look
//! for: `hpa-target-missing` (the workload an HPA scales, by kind and name),
//! `ingress-backend-missing` (a Service by name) and `service-selects-nothing`
//! (pod templates whose labels a selector matches). A cluster scanned alone saw
//! what a whole scan would show it when no reused file holds an object such a
//! lookup could find: `Lookups` is what the rescanned objects may ask (a
//! superset), `Answers` what a reused file's objects offer, both as hashes.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::formats::kubernetes::pod_labels_in_tree;
use crate::project::SpecFile;
use crate::project::kubernetes::scan_objects;
use crate::yaml::{Node, Resolved, Value};

fn hash(parts: &[&str]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(parts.join("\u{0}").as_bytes())
}

/// What a file's Kubernetes objects offer to lookups from other projects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Answers {
    /// Each named object's name.
    names: Vec<u64>,
    /// Each pod template's labels, as hashed pairs.
    pods: Vec<Vec<u64>>,
}

impl Answers {
    pub(crate) fn of(f: &SpecFile) -> Answers {
        let mut a = Answers::default();
        for (file, o) in scan_objects(std::slice::from_ref(f)) {
            if let Some(n) = &o.name {
                a.names.push(hash(&[&n.value]));
            }
            if let Some(labels) = pod_labels_in_tree(o, &file.docs) {
                a.pods
                    .push(labels.iter().map(|(k, v)| hash(&[k, v])).collect());
            }
        }
        a
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.names.is_empty() && self.pods.is_empty()
    }
}

/// What the objects of some files may look up in other projects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Lookups {
    /// Every string an HPA or an Ingress holds (its scale target's or its
    /// backends' names among them), sorted.
    names: Vec<u64>,
    /// Each Service's selector, as hashed pairs.
    selectors: Vec<Vec<u64>>,
    /// A selector this summary cannot read exactly (a value that is not a
    /// string): anything may answer it.
    unknown: bool,
}

impl Lookups {
    pub(crate) fn of(f: &SpecFile) -> Lookups {
        let mut l = Lookups::default();
        l.add(f);
        l
    }

    /// Adds what another summary may look up.
    pub(crate) fn extend(&mut self, other: &Lookups) {
        self.names.extend(&other.names);
        self.names.sort_unstable();
        self.names.dedup();
        self.selectors.extend(other.selectors.iter().cloned());
        self.unknown |= other.unknown;
    }

    fn add(&mut self, f: &SpecFile) {
        let mut names = HashSet::new();
        for (file, o) in scan_objects(std::slice::from_ref(f)) {
            let Some(node) = o.node(&file.docs) else {
                continue;
            };
            match o.kind.value.as_str() {
                "HorizontalPodAutoscaler" | "Ingress" => strings(node, &mut names),
                "Service" => {
                    let selector = node.at(&["spec", "selector"]);
                    match selector.map(|s| &s.value) {
                        None => {}
                        Some(Value::Mapping(pairs)) => {
                            let mut hashed = Vec::new();
                            for (k, v) in pairs {
                                match (k.as_str(), v.scalar().map(|s| s.resolve())) {
                                    (Some(k), Some(Resolved::Str(v))) => hashed.push(hash(&[k, v])),
                                    _ => self.unknown = true,
                                }
                            }
                            if !hashed.is_empty() {
                                self.selectors.push(hashed);
                            }
                        }
                        Some(_) => self.unknown = true,
                    }
                }
                _ => {}
            }
        }
        self.names.extend(names);
        self.names.sort_unstable();
        self.names.dedup();
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.names.is_empty() && self.selectors.is_empty() && !self.unknown
    }

    /// Whether a file offering these answers may change what a lookup finds.
    pub(crate) fn answered_by(&self, a: &Answers) -> bool {
        if a.is_empty() {
            return false;
        }
        self.unknown
            || a.names.iter().any(|n| self.names.binary_search(n).is_ok())
            || self
                .selectors
                .iter()
                .any(|s| a.pods.iter().any(|pod| s.iter().all(|p| pod.contains(p))))
    }
}

/// What may tie a file's Kubernetes objects to another folder's project
/// (`project::kubernetes::tie_keys`), as hashes: projects are tied only through a
/// key one offers and the other looks up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TieKeys {
    pub(crate) offers: Vec<u64>,
    pub(crate) refs: Vec<u64>,
    /// A reference any project may answer.
    pub(crate) any: bool,
}

impl TieKeys {
    pub(crate) fn of(f: &SpecFile) -> TieKeys {
        if f.kubernetes().is_none() {
            return TieKeys::default();
        }
        let (offers, refs) = crate::project::kubernetes::tie_keys(f);
        let mut t = TieKeys {
            offers: offers.iter().map(|k| hash(&[k])).collect(),
            refs: Vec::new(),
            any: false,
        };
        for r in refs {
            match r {
                Some(k) => t.refs.push(hash(&[&k])),
                None => t.any = true,
            }
        }
        t.offers.sort_unstable();
        t.offers.dedup();
        t.refs.sort_unstable();
        t.refs.dedup();
        t
    }
}

/// Every scalar's text under a node.
fn strings(node: &Node, out: &mut HashSet<u64>) {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        match &n.value {
            Value::Scalar(s) => {
                out.insert(hash(&[&s.text]));
            }
            Value::Sequence(items) => todo.extend(items),
            Value::Mapping(entries) => todo.extend(entries.iter().map(|(_, v)| v)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SpecFile {
        let (mut files, _) = crate::testing::kubernetes::spec_files(&[("k/a.yaml", text)]);
        files.remove(0)
    }

    #[test]
    fn a_selector_is_answered_by_pods_with_its_labels() {
        let service = file(
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web, tier: front}\n  ports: [{port: 80}]\n",
        );
        let l = Lookups::of(&service);
        assert!(!l.is_empty());
        let pods = |labels: &str| {
            file(&format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: other}}\nspec:\n  selector: {{matchLabels: {labels}}}\n  template:\n    metadata: {{labels: {labels}}}\n    spec: {{containers: [{{name: c, image: x}}]}}\n"
            ))
        };
        assert!(l.answered_by(&Answers::of(&pods("{app: web, tier: front, v: '1'}"))));
        assert!(!l.answered_by(&Answers::of(&pods("{app: web}"))));
        assert!(!l.answered_by(&Answers::of(&pods("{app: api, tier: front}"))));
        // A selector value that is not a string: anything may match it.
        let odd = file(
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: 1}\n",
        );
        let l = Lookups::of(&odd);
        assert!(l.answered_by(&Answers::of(&pods("{app: api}"))));
    }

    #[test]
    fn hpa_and_ingress_names_are_answered_by_objects_of_that_name() {
        let hpa = file(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}\n  minReplicas: 1\n  maxReplicas: 3\n",
        );
        let l = Lookups::of(&hpa);
        let named = |name: &str| {
            file(&format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\ndata: {{}}\n"
            ))
        };
        assert!(l.answered_by(&Answers::of(&named("checkout"))));
        assert!(!l.answered_by(&Answers::of(&named("payments"))));
        // A file of no Kubernetes object answers nothing.
        assert!(!l.answered_by(&Answers::default()));
    }
}
