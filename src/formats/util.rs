//! Small helpers the readers of the legacy formats (Flocker, Brooklyn, Procfile
//! manifests, Helm) share: scalars with their spans, and `syntax/wrong-type`
//! findings with the value shown the way the Compose reader shows it.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::builtin::WRONG_TYPE;
use crate::source::FileId;
use crate::source::Spanned;
use crate::yaml::{Node, Resolved, Value};

/// How a node is shown in a message: a short scalar's text, or its type.
pub(crate) fn found(node: &Node) -> String {
    match &node.value {
        Value::Scalar(s) => match s.resolve() {
            Resolved::Null => "null".to_string(),
            _ => {
                let t = &*s.text;
                if t.chars().count() > 40 {
                    let short: String = t.chars().take(37).collect();
                    format!("`{short}...`")
                } else {
                    format!("`{t}`")
                }
            }
        },
        _ => node.type_name().to_string(),
    }
}

/// Collects `syntax/wrong-type` findings for one file.
pub(crate) struct Findings<'a> {
    pub(crate) file: FileId,
    pub(crate) diags: &'a mut Vec<Diagnostic>,
}

impl Findings<'_> {
    /// `<path>: expected <expected>, found <what>` at the node.
    pub(crate) fn wrong(&mut self, node: &Node, path: &str, expected: &str) {
        self.diags.push(Diagnostic::new(
            &WRONG_TYPE,
            self.file,
            node.span,
            format!("{path}: expected {expected}, found {}", found(node)),
        ));
    }

    /// A scalar's text with its span; null is `None`; a collection is reported.
    pub(crate) fn scalar(&mut self, node: &Node, path: &str) -> Option<Spanned<String>> {
        match &node.value {
            Value::Scalar(s) if !node.is_null() => {
                Some(Spanned::new(s.text.to_string(), node.span))
            }
            Value::Scalar(_) => None,
            _ => {
                self.wrong(node, path, "a string");
                None
            }
        }
    }

    /// A non-negative integer (a number or a string holding one).
    pub(crate) fn count(&mut self, node: &Node, path: &str) -> Option<Spanned<u32>> {
        if node.is_null() {
            return None;
        }
        match node.as_i64().and_then(|i| u32::try_from(i).ok()) {
            Some(n) => Some(Spanned::new(n, node.span)),
            None => {
                self.wrong(node, path, "a whole number");
                None
            }
        }
    }

    /// The entries of a mapping with string keys; null is empty; anything else is
    /// reported.
    pub(crate) fn mapping<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
    ) -> Vec<(Spanned<String>, &'n Node)> {
        match &node.value {
            Value::Mapping(entries) => entries
                .iter()
                .filter_map(|(k, v)| Some((Spanned::new(k.as_str()?.to_string(), k.span), v)))
                .collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                self.wrong(node, path, "a mapping");
                Vec::new()
            }
        }
    }

    /// The items of a sequence; null is empty; anything else is reported.
    pub(crate) fn sequence<'n>(&mut self, node: &'n Node, path: &str) -> &'n [Node] {
        match &node.value {
            Value::Sequence(items) => items,
            _ if node.is_null() => &[],
            _ => {
                self.wrong(node, path, "a sequence");
                &[]
            }
        }
    }

    /// `environment`-style pairs: a mapping of scalars, or a list of `NAME=value`.
    pub(crate) fn pairs(
        &mut self,
        node: &Node,
        path: &str,
    ) -> Vec<(Spanned<String>, Option<Spanned<String>>)> {
        match &node.value {
            Value::Mapping(entries) => entries
                .iter()
                .filter_map(|(k, v)| {
                    let name = Spanned::new(k.as_str()?.to_string(), k.span);
                    let value = match &v.value {
                        Value::Scalar(_) => self.scalar(v, &format!("{path}.{}", name.value)),
                        _ => {
                            self.wrong(v, &format!("{path}.{}", name.value), "a string");
                            None
                        }
                    };
                    Some((name, value))
                })
                .collect(),
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| {
                    let s = self.scalar(item, &format!("{path}[{i}]"))?;
                    Some(split_assignment(item, s))
                })
                .collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                // The text may hold a secret: only its type is shown.
                self.diags.push(Diagnostic::new(
                    &WRONG_TYPE,
                    self.file,
                    node.span,
                    format!(
                        "{path}: expected a mapping or a sequence, found {}",
                        node.type_name()
                    ),
                ));
                Vec::new()
            }
        }
    }
}

/// `NAME=value` of a list item, each part with its own span when the text maps
/// byte for byte onto the source (a plain or simply quoted scalar).
fn split_assignment(item: &Node, s: Spanned<String>) -> (Spanned<String>, Option<Spanned<String>>) {
    let origin = text_origin(item, &s.value);
    let sub = |a: usize, b: usize| match origin {
        Some(o) => crate::source::Span::new(o + a, o + b),
        None => s.span,
    };
    match s.value.split_once('=') {
        Some((name, value)) => {
            let n = name.len();
            (
                Spanned::new(name.to_string(), sub(0, n)),
                Some(Spanned::new(value.to_string(), sub(n + 1, s.value.len()))),
            )
        }
        None => (s.clone(), None),
    }
}

/// Where a scalar's text starts in the source, when it maps byte for byte.
pub(crate) fn text_origin(node: &Node, text: &str) -> Option<usize> {
    let scalar = node.scalar()?;
    let len = node.span.len();
    if scalar.plain && len == text.len() {
        Some(node.span.start as usize)
    } else if !scalar.plain && len == text.len() + 2 {
        Some(node.span.start as usize + 1)
    } else {
        None
    }
}
