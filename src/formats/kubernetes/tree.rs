//! Walking the document tree in step with the typed model.
//!
//! k8s-openapi types carry no spans, so whoever reads a typed field and needs its
//! place in the source follows the same path through the tree: container `i` of a
//! Deployment is `spec.template.spec.containers[i]` in the object's node. `At` is
//! that walk; every step may fail (the typed model and the tree could disagree on a
//! malformed file), and a failed step only yields `None`, never a panic.

use crate::source::{Span, Spanned};
use crate::yaml::Node;

/// A place in the tree that may not exist.
#[derive(Clone, Copy, Debug)]
pub(crate) struct At<'a>(pub Option<&'a Node>);

impl<'a> At<'a> {
    pub(crate) fn new(node: &'a Node) -> Self {
        At(Some(node))
    }

    #[cfg(test)]
    pub(crate) fn none() -> Self {
        At(None)
    }

    /// The value under a mapping key.
    pub(crate) fn key(self, key: &str) -> At<'a> {
        At(self.0.and_then(|n| n.get(key)))
    }

    /// An item of a sequence.
    pub(crate) fn index(self, i: usize) -> At<'a> {
        At(self
            .0
            .and_then(|n| n.as_sequence())
            .and_then(|items| items.get(i)))
    }

    /// Follows mapping keys.
    pub(crate) fn path(self, keys: &[&str]) -> At<'a> {
        keys.iter().fold(self, |at, k| at.key(k))
    }

    pub(crate) fn node(self) -> Option<&'a Node> {
        self.0
    }

    pub(crate) fn exists(self) -> bool {
        self.0.is_some()
    }

    pub(crate) fn span(self) -> Option<Span> {
        self.0.map(|n| n.span)
    }

    /// The span of this node, or `fallback` when the walk went astray.
    pub(crate) fn span_or(self, fallback: Span) -> Span {
        self.span().unwrap_or(fallback)
    }

    /// The span of `key: value` in this mapping.
    pub(crate) fn entry_span(self, key: &str) -> Option<Span> {
        self.0.and_then(|n| n.entry_span(key))
    }

    /// The text of a scalar.
    pub(crate) fn str(self) -> Option<&'a str> {
        self.0.and_then(Node::as_str)
    }

    /// The text of a scalar with its span.
    pub(crate) fn spanned_str(self) -> Option<Spanned<String>> {
        let n = self.0?;
        Some(Spanned::new(n.as_str()?.to_string(), n.span))
    }

    /// `value` with this node's span (or `fallback`'s).
    pub(crate) fn spanned<T>(self, value: T, fallback: Span) -> Spanned<T> {
        Spanned::new(value, self.span_or(fallback))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn walks_and_fails_softly() {
        let text = "spec:\n  containers:\n  - name: web\n    image: nginx\n";
        let doc = &parse(text).documents[0];
        let c = At::new(doc).path(&["spec", "containers"]).index(0);
        assert_eq!(c.key("name").str(), Some("web"));
        let name = c.key("name").spanned_str().unwrap();
        assert_eq!(
            &text[name.span.start as usize..name.span.end as usize],
            "web"
        );
        let entry = c.entry_span("image").unwrap();
        assert_eq!(
            &text[entry.start as usize..entry.end as usize],
            "image: nginx"
        );
        assert!(!c.key("nope").index(3).key("x").exists());
        assert!(!At::new(doc).index(0).exists());
        assert_eq!(At::none().span_or(Span::new(1, 2)), Span::new(1, 2));
    }
}
