//! The content cache of `check`: what a run found, per cluster of files, keyed on
//! the files' bytes, so that a rerun parses and lints only what changed.
//!
//! A cluster is the smallest set of files whose findings depend on nothing else:
//! the files of one directory, joined with every project any of them belongs to
//! (a Compose file with its overrides and includes, a kustomization with what it
//! lists) and with a Helm chart's templates. Its findings are reused when every
//! member's bytes, the `.env` files its directories hold and the request (the
//! configuration, the selected rules, the Kubernetes release, the walk options
//! and the binary itself) are what they were; the engine (`engine::cached`)
//! decides what else invalidates a cluster.

pub(crate) mod clusters;
mod entry;
mod lookups;
mod store;

pub(crate) use entry::{
    CachedDiag, Cluster, Entry, FileRecord, RuleCodes, SegRef, Segment, Shown, StatKey, now_ns,
};
pub(crate) use lookups::{Answers, Lookups, TieKeys};
pub(crate) use store::{Reader, Store, Writer, clean, decode, default_dir};

/// The hash of a file's bytes: XXH3's 128-bit form, as hex.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Whether these bytes may hold a CustomResourceDefinition. The scan checks every
/// custom resource against the CRDs of the whole scan, so a file that may define
/// one ties every cluster to it. A superset: a comment naming the kind counts.
pub(crate) fn may_hold_crd(bytes: &[u8]) -> bool {
    const KIND: &[u8] = b"CustomResourceDefinition";
    bytes.windows(KIND.len()).any(|w| w == KIND)
}

/// What other projects may see of a file's Kubernetes objects: Kubernetes rules
/// look for a workload or Service of a kind and name, and for pod templates whose
/// labels a selector matches, in every file of the scan (`hpa-target-missing`,
/// `ingress-backend-missing`, `service-selects-nothing`). A hash of each object's
/// kind, name (with its place, which hints show) and pod template labels; `None`
/// for a file without Kubernetes objects.
pub(crate) fn kubernetes_exports(f: &crate::project::SpecFile) -> Option<String> {
    f.kubernetes()?;
    let mut facts = String::new();
    for (file, o) in crate::project::kubernetes::scan_objects(std::slice::from_ref(f)) {
        let labels = crate::formats::kubernetes::pod_labels_in_tree(o, &file.docs);
        let name = o
            .name
            .as_ref()
            .map(|n| (&n.value, n.span.start, n.span.end));
        facts.push_str(&format!("{}\u{0}{name:?}\u{0}{labels:?}\n", o.kind.value));
    }
    Some(content_hash(facts.as_bytes()))
}

/// What identifies this build of orchlint: its version and its executable's size
/// and modification time, so a rebuilt binary (a rule changed, same version
/// number) never reads the findings of another.
pub(crate) fn build_identity() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            format!("{}:{mtime}", m.len())
        })
        .unwrap_or_default();
    format!("{}+{exe}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_tells_bytes_apart() {
        assert_eq!(content_hash(b"a: 1\n"), content_hash(b"a: 1\n"));
        assert_ne!(content_hash(b"a: 1\n"), content_hash(b"a: 2\n"));
        assert_eq!(content_hash(b"").len(), 32);
    }

    #[test]
    fn crd_marker_is_found_anywhere() {
        assert!(may_hold_crd(b"kind: CustomResourceDefinition\n"));
        assert!(!may_hold_crd(b"kind: Deployment\n"));
    }
}
