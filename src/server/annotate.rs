//! The other suppression Kubernetes objects accept: the `orchlint.dev/ignore`
//! annotation (`suppress::ANNOTATION`), which covers the whole object. The edit
//! adds the rule to an existing annotation, or writes the annotation (with a comment
//! line for the reason) into block-style metadata. Flow-style metadata (and JSON,
//! but for adding to an existing annotation) gets no edit rather than a guess.

use crate::source::Span;
use crate::suppress::ANNOTATION;
use crate::yaml::Node;

/// A byte-range replacement in the file's text.
pub(crate) type ByteEdit = (Span, String);

/// The edit that suppresses `name` for the Kubernetes object holding `at`.
pub(crate) fn annotation_edit(text: &str, docs: &[Node], at: Span, name: &str) -> Option<ByteEdit> {
    let object = object_at(docs, at)?;
    let metadata = object.get("metadata")?;
    metadata.as_mapping()?;
    if let Some(annotations) = metadata.get("annotations") {
        if let Some(value) = annotations.get(ANNOTATION) {
            return append(text, value, name);
        }
        let (first, _) = annotations.as_mapping()?.first()?;
        let indent = block_indent(text, first.span)?;
        let line = line_start(text, first.span);
        return Some((Span::empty(line), entry_lines(indent, name, text)));
    }
    let (first, _) = metadata.as_mapping()?.first()?;
    let indent = block_indent(text, first.span)?;
    let line = line_start(text, first.span);
    let nl = newline(text);
    let inner = format!("{indent}  ");
    Some((
        Span::empty(line),
        format!(
            "{indent}annotations:{nl}{}",
            entry_lines(&inner, name, text)
        ),
    ))
}

/// The innermost object (a document, or an item of a `List`) that holds `at`.
fn object_at(docs: &[Node], at: Span) -> Option<&Node> {
    let mut best: Option<&Node> = None;
    let mut todo: Vec<&Node> = docs.iter().collect();
    while let Some(n) = todo.pop() {
        if !(n.span.start <= at.start && at.start < n.span.end.max(n.span.start + 1)) {
            continue;
        }
        if let Some(items) = n.get("items").and_then(Node::as_sequence) {
            todo.extend(items);
        }
        if n.get("kind").is_some() && best.is_none_or(|b| n.span.len() < b.span.len()) {
            best = Some(n);
        }
    }
    best
}

/// Adds `,name` to the annotation's value, inside its quotes.
fn append(text: &str, value: &Node, name: &str) -> Option<ByteEdit> {
    let s = value.scalar()?;
    let raw = text.get(value.span.start as usize..value.span.end as usize)?;
    if s.plain {
        return Some((Span::empty(value.span.end as usize), format!(",{name}")));
    }
    // Only one-line quoted values: the closing quote is the span's last byte.
    if raw.contains('\n') || !(raw.ends_with('"') || raw.ends_with('\'')) {
        return None;
    }
    let before_quote = value.span.end as usize - 1;
    let sep = if s.text.trim().is_empty() { "" } else { "," };
    Some((Span::empty(before_quote), format!("{sep}{name}")))
}

/// The whitespace before a key that starts its line (block style); `None` when
/// something else precedes it on the line (flow style, JSON on one line).
fn block_indent(text: &str, key: Span) -> Option<&str> {
    let start = line_start(text, key);
    let before = text.get(start..key.start as usize)?;
    let indented = before.chars().all(|c| c == ' ');
    // A JSON key is quoted and its mapping is `{...}`: no block insertion there.
    let quoted = text[key.start as usize..].starts_with('"');
    (indented && !quoted).then_some(before)
}

fn line_start(text: &str, at: Span) -> usize {
    text[..at.start as usize].rfind('\n').map_or(0, |i| i + 1)
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn entry_lines(indent: &str, name: &str, text: &str) -> String {
    let nl = newline(text);
    format!(
        "{indent}# {}{nl}{indent}{ANNOTATION}: \"{name}\"{nl}",
        super::actions::REASON_PLACEHOLDER
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, at: &str, name: &str) -> Option<String> {
        let docs = crate::yaml::parse(text).documents;
        let start = text.find(at).unwrap();
        let (span, new) = annotation_edit(text, &docs, Span::new(start, start + at.len()), name)?;
        let out = format!(
            "{}{new}{}",
            &text[..span.start as usize],
            &text[span.end as usize..]
        );
        // The edited file carries a suppression of the object for the rule.
        let sups = crate::suppress::from_annotations(&crate::yaml::parse(&out).documents);
        assert!(
            sups.iter()
                .any(|s| s.entries.iter().any(|e| e.name == name)),
            "{out}"
        );
        Some(out)
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n";

    #[test]
    fn writes_the_annotation_into_metadata() {
        assert_eq!(
            apply(POD, "nginx", "latest-image-tag").unwrap(),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    # <reason>\n    orchlint.dev/ignore: \"latest-image-tag\"\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n"
        );
    }

    #[test]
    fn adds_to_existing_annotations() {
        let text = POD.replace("  name: p\n", "  name: p\n  annotations:\n    team: web\n");
        let out = apply(&text, "nginx", "run-as-root").unwrap();
        assert!(out.contains("  annotations:\n    # <reason>\n    orchlint.dev/ignore: \"run-as-root\"\n    team: web\n"), "{out}");
        let text = POD.replace(
            "  name: p\n",
            "  name: p\n  annotations:\n    orchlint.dev/ignore: \"run-as-root\"\n",
        );
        let out = apply(&text, "nginx", "latest-image-tag").unwrap();
        assert!(
            out.contains("orchlint.dev/ignore: \"run-as-root,latest-image-tag\"\n"),
            "{out}"
        );
    }

    #[test]
    fn picks_the_object_of_a_second_document_and_leaves_flow_style_alone() {
        let text = format!(
            "{POD}---\n{}",
            POD.replace("name: p", "name: q").replace("nginx", "redis")
        );
        let out = apply(&text, "redis", "latest-image-tag").unwrap();
        let (first, second) = out.split_once("---\n").unwrap();
        assert!(!first.contains("orchlint.dev/ignore"));
        assert!(second.contains("orchlint.dev/ignore"));
        let flow = "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"nginx\"}]}}\n";
        assert_eq!(apply(flow, "nginx", "latest-image-tag"), None);
    }
}
