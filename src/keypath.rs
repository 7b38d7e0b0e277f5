//! Where a finding sits in its file's tree, as a path of keys that survives edits
//! which only move lines: `services.web.image`,
//! `Deployment/api:spec.template.spec.containers[name=api].image`.
//!
//! Baselines match findings by it and the CI formats build their fingerprints from
//! it, so the same finding keeps its identity across commits.
//!
//! - Mapping keys are joined with `.`; a key that is not a plain word
//!   (`[A-Za-z0-9_-]+`) is written quoted, `["a.b"]`.
//! - A sequence item that is a mapping with a scalar `name` or `id` is written
//!   `[name=api]` / `[id=/shop/web]`; any other item by its index, `[0]`. Scalar
//!   items are never written by value: a value can be a secret.
//! - A document of a multi-document stream, or any document that names itself
//!   with `kind` and `metadata.name`, is prefixed with `Kind/name:` (Kubernetes)
//!   or `#N:` (its index) so two objects of one file stay apart.
//! - A finding on a key and one on its value have the same path; a finding that
//!   covers no node (a file-level finding) has the empty path.

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::yaml::{Node, Value};

/// A finding's key path: the one it carries (restored from the cache), else its
/// place in its file's documents.
pub(crate) fn of(d: &Diagnostic, docs: &[Node]) -> String {
    match &d.key_path {
        Some(p) => p.clone(),
        None => key_path(docs, d.span),
    }
}

/// The key path of `span` in the documents of one file.
pub(crate) fn key_path(docs: &[Node], span: Span) -> String {
    let Some((index, doc)) = docs
        .iter()
        .enumerate()
        .find(|(_, d)| contains(d.span, span))
    else {
        return String::new();
    };
    let mut out = String::new();
    if let Some(id) = document_identity(doc) {
        out.push_str(&id);
        out.push(':');
    } else if docs.len() > 1 {
        out.push_str(&format!("#{index}:"));
    }
    let mut node = doc;
    loop {
        match &node.value {
            Value::Scalar(_) => break,
            Value::Mapping(entries) => {
                // The entry whose key, value, or both together hold the span.
                let Some((k, v)) = entries.iter().find(|(k, v)| {
                    contains(k.span, span)
                        || contains(v.span, span)
                        || contains(k.span.cover(v.span), span)
                }) else {
                    break;
                };
                push_key(&mut out, k);
                if !contains(v.span, span) || contains(k.span, span) {
                    break;
                }
                node = v;
            }
            Value::Sequence(items) => {
                let Some((i, item)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| contains(item.span, span))
                else {
                    break;
                };
                out.push_str(&item_selector(item, i));
                node = item;
            }
        }
    }
    out
}

/// Whether `outer` covers `inner`; an empty `inner` at the end of `outer` counts
/// only when `outer` itself is empty (so a point between two nodes picks the next).
fn contains(outer: Span, inner: Span) -> bool {
    if inner.is_empty() && !outer.is_empty() {
        return outer.start <= inner.start && inner.start < outer.end;
    }
    outer.start <= inner.start && inner.end <= outer.end
}

fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

fn push_key(out: &mut String, key: &Node) {
    let text = match &key.value {
        Value::Scalar(s) => s.text.to_string(),
        // A complex key (rare): its kind is all that identifies it stably.
        Value::Mapping(_) => "{}".to_string(),
        Value::Sequence(_) => "[]".to_string(),
    };
    if is_word(&text) {
        if !out.is_empty() && !out.ends_with(':') {
            out.push('.');
        }
        out.push_str(&text);
    } else {
        out.push('[');
        out.push_str(&quoted(&text));
        out.push(']');
    }
}

/// `[name=api]`, `[id=x]` or `[3]`.
fn item_selector(item: &Node, index: usize) -> String {
    if let Some(entries) = item.as_mapping() {
        for field in ["name", "id"] {
            let value = entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(field))
                .and_then(|(_, v)| v.as_str());
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                let shown = if v
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b']' && b != b'"')
                {
                    v.to_string()
                } else {
                    quoted(v)
                };
                return format!("[{field}={shown}]");
            }
        }
    }
    format!("[{index}]")
}

/// `Kind/name` (with `namespace/` when set) of a Kubernetes-like document.
fn document_identity(doc: &Node) -> Option<String> {
    let entries = doc.as_mapping()?;
    let get = |entries: &[(Node, Node)], key: &str| -> Option<Node> {
        entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v.clone())
    };
    let kind = get(entries, "kind")?;
    let kind = kind.as_str()?.to_string();
    let metadata = get(entries, "metadata")?;
    let meta = metadata.as_mapping()?;
    let name = get(meta, "name")?.as_str()?.to_string();
    let namespace = get(meta, "namespace").and_then(|n| n.as_str().map(str::to_string));
    if kind.is_empty() || name.is_empty() {
        return None;
    }
    Some(match namespace {
        Some(ns) if !ns.is_empty() => format!("{kind}/{ns}/{name}"),
        _ => format!("{kind}/{name}"),
    })
}

/// FNV-1a, 64 bits: a stable hash (the standard library's may change between
/// releases) for fingerprints that must stay the same across versions.
pub(crate) fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator no part contains keeps ("ab","c") and ("a","bc") apart.
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn path_at(text: &str, needle: &str) -> String {
        let parsed = parse(text);
        let start = text.find(needle).expect("needle in text");
        key_path(&parsed.documents, Span::new(start, start + needle.len()))
    }

    #[test]
    fn compose_keys_and_values() {
        let t = "services:\n  web:\n    image: nginx\n    ports: [\"80:80\", \"443:443\"]\n";
        assert_eq!(path_at(t, "nginx"), "services.web.image");
        assert_eq!(path_at(t, "image"), "services.web.image");
        assert_eq!(path_at(t, "web"), "services.web");
        assert_eq!(path_at(t, "443:443"), "services.web.ports[1]");
    }

    #[test]
    fn kubernetes_items_by_name_and_documents_by_identity() {
        let t = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: side\n          image: busybox\n        - name: api\n          image: example/api\n---\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: {app: x}\n---\nfoo: {bar: 1}\n";
        assert_eq!(
            path_at(t, "example/api"),
            "Deployment/shop/api:spec.template.spec.containers[name=api].image"
        );
        // A span over a whole entry is the entry's key.
        assert_eq!(path_at(t, "app: x"), "Service/api:spec.selector.app");
        assert_eq!(path_at(t, "bar"), "#2:foo.bar");
    }

    #[test]
    fn odd_keys_are_quoted_and_file_level_findings_have_no_path() {
        let t = "labels:\n  \"a.b c\": 1\napps:\n  - id: /shop/web\n    cmd: run\n";
        assert_eq!(path_at(t, "1"), "labels[\"a.b c\"]");
        assert_eq!(path_at(t, "run"), "apps[id=/shop/web].cmd");
        let parsed = parse("");
        assert_eq!(key_path(&parsed.documents, Span::empty(0)), "");
    }

    #[test]
    fn moving_lines_keeps_the_path() {
        let a = "services:\n  web:\n    image: nginx\n";
        let b = "# a comment\nx-common: &c {}\n\nservices:\n  db:\n    image: postgres:16\n  web:\n    image: nginx\n";
        assert_eq!(path_at(a, "nginx"), path_at(b, "nginx"));
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(stable_hash(&["a"]), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
    }
}
