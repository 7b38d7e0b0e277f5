//! What Kubernetes rules look up in the files of the whole scan, past their
//! project, and what a file's objects offer such lookups. A scan in chunks
//! (`engine::chunked`) keeps a chunk's findings when no file outside the chunk
//! answers one of its lookups: the chunk then found what the whole scan would.
//!
//! Both sides are hashes, so two different strings may meet by chance: a
//! lookup is then said to be answered when it is not, which costs a scan in
//! chunks its chunks, never a finding.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{RefKind, generated_names};
use crate::formats::kubernetes::pod_labels_in_tree;
use crate::project::SpecFile;
use crate::project::kubernetes::scan_objects;

/// A folder's hash, by its components (as `Path`'s equality compares them).
fn hash_folder(p: &Path) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for c in p.components() {
        h.update(c.as_os_str().as_encoded_bytes());
        h.update(&[0]);
    }
    h.digest()
}

fn hash(parts: &[&str]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(&[0]);
    }
    h.digest()
}

/// One lookup a rule made in every file of the scan.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Lookup {
    /// An object of a kind and name, or a ConfigMap or Secret of that name that
    /// a kustomization generates.
    Named(u64),
    /// Any named object of a kind in a file under a folder (the candidates of a
    /// "did you mean" hint).
    Near { kind: u64, under: PathBuf },
    /// A pod template (of any object, typed or not) whose labels hold every
    /// pair of a selector.
    Pods(Vec<u64>),
    /// A file of a project whose folder is in `parent` offering a key that
    /// ties sibling folders' projects (`project::kubernetes::tie_keys`;
    /// `None`: any key). Not a rule's: grouping looks sibling folders up, and
    /// a file of another chunk may tie two projects, or untie them by
    /// answering too.
    Tie { key: Option<u64>, parent: u64 },
}

impl Lookup {
    pub(crate) fn named(kind: &str, name: &str) -> Lookup {
        Lookup::Named(hash(&[kind, name]))
    }

    pub(crate) fn near(kind: &str, under: &Path) -> Lookup {
        Lookup::Near {
            kind: hash(&[kind]),
            under: under.to_path_buf(),
        }
    }

    pub(crate) fn pods(selector: &[(String, String)]) -> Lookup {
        Lookup::Pods(selector.iter().map(|(k, v)| hash(&[k, v])).collect())
    }
}

/// What one file's Kubernetes objects (and generators) offer lookups.
#[derive(Clone, Debug, Default)]
pub(crate) struct Answers {
    path: PathBuf,
    /// Kind and name of each named object and each generated ConfigMap and Secret.
    named: Vec<u64>,
    /// The kind of each named object.
    kinds: Vec<u64>,
    /// Each pod template's labels, as hashed pairs.
    pods: Vec<Vec<u64>>,
    /// The keys that may tie the file's projects to a sibling folder's: those
    /// its objects offer, and those its references look up.
    tie_offers: Vec<u64>,
    tie_refs: Vec<Option<u64>>,
}

impl Answers {
    /// What the file offers; `None` when it offers nothing.
    pub(crate) fn of(f: &SpecFile) -> Option<Answers> {
        f.kubernetes()?;
        let mut a = Answers {
            path: f.path.clone(),
            ..Answers::default()
        };
        for (file, o) in scan_objects(std::slice::from_ref(f)) {
            if let Some(n) = &o.name {
                a.named.push(hash(&[&o.kind.value, &n.value]));
                a.kinds.push(hash(&[&o.kind.value]));
            }
            if let Some(labels) = pod_labels_in_tree(o, &file.docs) {
                a.pods
                    .push(labels.iter().map(|(k, v)| hash(&[k, v])).collect());
            }
        }
        for kind in [RefKind::ConfigMap, RefKind::Secret] {
            for name in generated_names(std::iter::once(f), kind) {
                a.named.push(hash(&[kind.kind(), &name]));
            }
        }
        let (offers, refs) = crate::project::kubernetes::tie_keys(f);
        a.tie_offers = offers.iter().map(|k| hash(&[k])).collect();
        a.tie_offers.sort_unstable();
        a.tie_refs = refs
            .iter()
            .map(|r| r.as_ref().map(|k| hash(&[k])))
            .collect();
        a.tie_refs.sort_unstable();
        a.tie_refs.dedup();
        if a.named.is_empty()
            && a.pods.is_empty()
            && a.tie_offers.is_empty()
            && a.tie_refs.is_empty()
        {
            return None;
        }
        a.named.sort_unstable();
        a.named.dedup();
        a.kinds.sort_unstable();
        a.kinds.dedup();
        Some(a)
    }

    /// What grouping may look up for the file's references in the sibling
    /// folders of its project's, in `parent`.
    pub(crate) fn tie_lookups(&self, parent: &Path) -> Vec<Lookup> {
        let parent = hash_folder(parent);
        self.tie_refs
            .iter()
            .map(|key| Lookup::Tie { key: *key, parent })
            .collect()
    }
}

/// A tie key and a folder, hashed together.
fn tie(key: u64, parent: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&[key.to_le_bytes(), parent.to_le_bytes()].concat())
}

/// What the files of some chunks offer lookups, indexed to answer many lookups.
#[derive(Debug, Default)]
pub(crate) struct Offers {
    named: HashSet<u64>,
    /// The files holding named objects, and those of each kind (indexes).
    files: Vec<PathBuf>,
    kinds: HashMap<u64, Vec<u32>>,
    /// Each pod template's labels, and the templates holding each label.
    pods: Vec<Vec<u64>>,
    by_label: HashMap<u64, Vec<usize>>,
    /// Each tie key with the folder holding the project folder of a file
    /// offering it, hashed together; and the folders of every file offering
    /// one.
    ties: HashSet<u64>,
    tying: HashSet<u64>,
}

impl Offers {
    /// Adds what a file offers; `parents`: the folders holding its projects'
    /// folders.
    pub(crate) fn add(&mut self, a: Answers, parents: &[&Path]) {
        if !a.tie_offers.is_empty() {
            for parent in parents.iter().map(|p| hash_folder(p)) {
                self.tying.insert(parent);
                for key in &a.tie_offers {
                    self.ties.insert(tie(*key, parent));
                }
            }
        }
        self.named.extend(a.named);
        if !a.kinds.is_empty() {
            let at = self.files.len() as u32;
            self.files.push(a.path);
            for kind in a.kinds {
                self.kinds.entry(kind).or_default().push(at);
            }
        }
        for labels in a.pods {
            for l in &labels {
                self.by_label.entry(*l).or_default().push(self.pods.len());
            }
            self.pods.push(labels);
        }
    }

    /// Adds what other files offer.
    pub(crate) fn absorb(&mut self, other: Offers) {
        self.named.extend(other.named);
        let at = self.files.len() as u32;
        for (kind, files) in other.kinds {
            self.kinds
                .entry(kind)
                .or_default()
                .extend(files.into_iter().map(|i| at + i));
        }
        self.files.extend(other.files);
        let base = self.pods.len();
        for (label, ids) in other.by_label {
            self.by_label
                .entry(label)
                .or_default()
                .extend(ids.into_iter().map(|i| base + i));
        }
        self.pods.extend(other.pods);
        self.ties.extend(other.ties);
        self.tying.extend(other.tying);
    }

    /// Whether some file added may change what the lookup finds.
    pub(crate) fn answers(&self, lookup: &Lookup) -> bool {
        match lookup {
            Lookup::Named(h) => self.named.contains(h),
            Lookup::Near { kind, under } => self.kinds.get(kind).is_some_and(|files| {
                files.iter().any(|i| {
                    self.files
                        .get(*i as usize)
                        .is_some_and(|p| p.starts_with(under))
                })
            }),
            Lookup::Pods(selector) => match selector.first() {
                None => !self.pods.is_empty(),
                Some(first) => self.by_label.get(first).is_some_and(|ids| {
                    ids.iter()
                        .any(|i| selector.iter().all(|p| self.pods[*i].contains(p)))
                }),
            },
            Lookup::Tie { key, parent } => match key {
                Some(k) => self.ties.contains(&tie(*k, *parent)),
                None => self.tying.contains(parent),
            },
        }
    }
}

/// The lookups of some chunks, indexed so that a chunk's offers are checked
/// against them in about the chunk's size, however many there are.
#[derive(Debug, Default)]
pub(crate) struct Wanted {
    named: HashSet<u64>,
    near: HashSet<(u64, PathBuf)>,
    /// Selectors by their first pair; whether an empty one is wanted.
    pods: HashMap<u64, Vec<Vec<u64>>>,
    any_pods: bool,
    /// Tie keys with their folders (`tie`), and folders where any key ties.
    ties: HashSet<u64>,
    any_tie: HashSet<u64>,
}

impl Wanted {
    pub(crate) fn add(&mut self, lookup: Lookup) {
        match lookup {
            Lookup::Named(h) => {
                self.named.insert(h);
            }
            Lookup::Near { kind, under } => {
                self.near.insert((kind, under));
            }
            Lookup::Pods(selector) => match selector.first() {
                None => self.any_pods = true,
                Some(first) => {
                    let same = self.pods.entry(*first).or_default();
                    if !same.contains(&selector) {
                        same.push(selector);
                    }
                }
            },
            Lookup::Tie { key, parent } => {
                match key {
                    Some(k) => self.ties.insert(tie(k, parent)),
                    None => self.any_tie.insert(parent),
                };
            }
        }
    }

    /// Whether the files offering `o` may change what some lookup finds.
    pub(crate) fn answered_by(&self, o: &Offers) -> bool {
        fn meet(a: &HashSet<u64>, b: &HashSet<u64>) -> bool {
            let (small, large) = if a.len() < b.len() { (a, b) } else { (b, a) };
            small.iter().any(|h| large.contains(h))
        }
        meet(&self.named, &o.named)
            || meet(&self.ties, &o.ties)
            || meet(&self.any_tie, &o.tying)
            || (self.any_pods && !o.pods.is_empty())
            || o.pods.iter().any(|labels| {
                labels.iter().any(|l| {
                    self.pods.get(l).is_some_and(|selectors| {
                        selectors
                            .iter()
                            .any(|s| s.iter().all(|p| labels.contains(p)))
                    })
                })
            })
            || self.near.iter().any(|(kind, under)| {
                o.answers(&Lookup::Near {
                    kind: *kind,
                    under: under.clone(),
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SpecFile {
        let (mut files, _) = crate::testing::kubernetes::spec_files(&[(path, text)]);
        files.remove(0)
    }

    fn offers(f: &SpecFile) -> Offers {
        let mut o = Offers::default();
        let parent = f.path.parent().and_then(Path::parent).expect("a parent");
        o.add(Answers::of(f).expect("the file offers answers"), &[parent]);
        o
    }

    #[test]
    fn objects_answer_lookups_of_their_kind_and_name_folder_and_labels() {
        let f = file(
            "k/web/app.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, tier: front}}\n    spec: {containers: [{name: c, image: x}]}\n",
        );
        let a = offers(&f);
        assert!(a.answers(&Lookup::named("Deployment", "web")));
        assert!(!a.answers(&Lookup::named("Deployment", "api")));
        assert!(!a.answers(&Lookup::named("Service", "web")));
        assert!(a.answers(&Lookup::near("Deployment", Path::new("k"))));
        assert!(!a.answers(&Lookup::near("Deployment", Path::new("j"))));
        assert!(!a.answers(&Lookup::near("Service", Path::new("k"))));
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert!(a.answers(&Lookup::pods(&pairs(&[("app", "web"), ("tier", "front")]))));
        assert!(!a.answers(&Lookup::pods(&pairs(&[("app", "web"), ("tier", "back")]))));
    }

    #[test]
    fn a_reference_is_answered_by_a_sibling_folder_offering_its_key() {
        let service = file(
            "k/a/svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n",
        );
        let looked = Answers::of(&service)
            .expect("a Service offers answers")
            .tie_lookups(Path::new("k"));
        assert!(!looked.is_empty());
        let pods = |path: &str, app: &str| {
            offers(&file(
                path,
                &format!(
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  selector: {{matchLabels: {{app: {app}}}}}\n  template:\n    metadata: {{labels: {{app: {app}}}}}\n    spec: {{containers: [{{name: c, image: x}}]}}\n"
                ),
            ))
        };
        assert!(looked.iter().any(|l| pods("k/b/d.yaml", "api").answers(l)));
        assert!(!looked.iter().any(|l| pods("k/b/d.yaml", "web").answers(l)));
        assert!(!looked.iter().any(|l| pods("j/b/d.yaml", "api").answers(l)));
        // A folder below a sibling is not a sibling.
        assert!(
            !looked
                .iter()
                .any(|l| pods("k/b/c/d.yaml", "api").answers(l))
        );
    }

    #[test]
    fn wanted_lookups_meet_the_offers_that_answer_one_of_them() {
        let f = file(
            "k/web/app.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web, tier: front}}\n    spec: {containers: [{name: c, image: x}]}\n",
        );
        let o = offers(&f);
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let unanswered = [
            Lookup::named("Deployment", "api"),
            Lookup::pods(&pairs(&[("tier", "front"), ("app", "api")])),
            Lookup::near("Deployment", Path::new("j")),
        ];
        let mut w = Wanted::default();
        unanswered.into_iter().for_each(|l| w.add(l));
        assert!(!w.answered_by(&o));
        for l in [
            Lookup::named("Deployment", "web"),
            Lookup::pods(&pairs(&[("tier", "front"), ("app", "web")])),
            Lookup::pods(&[]),
            Lookup::near("Deployment", Path::new("k")),
        ] {
            let mut w = Wanted::default();
            w.add(l.clone());
            assert!(w.answered_by(&o), "{l:?}");
        }
    }

    #[test]
    fn a_kustomization_answers_for_what_it_generates() {
        let f = file(
            "k/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\nconfigMapGenerator:\n  - name: settings\n    literals: [a=b]\nsecretGenerator:\n  - name: keys\n    literals: [c=d]\n",
        );
        let a = offers(&f);
        assert!(a.answers(&Lookup::named("ConfigMap", "settings")));
        assert!(a.answers(&Lookup::named("Secret", "keys")));
        assert!(!a.answers(&Lookup::named("Secret", "settings")));
        // A file of no named object, pod template or generator offers nothing.
        let bare = file(
            "k/list.yaml",
            "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n",
        );
        assert!(Answers::of(&bare).is_none());
    }
}
