//! Where a text edit of a YAML file goes: the byte ranges that remove a whole
//! mapping entry (its lines, newline included) or replace a key, computed from the
//! span tree so that the rest of the file (comments, quoting, blank lines) is kept
//! byte for byte. Rules build their fixes from these.

use super::Node;
use crate::source::Span;

/// The start of the line holding `at`.
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, past its newline (or the end of the text).
pub(crate) fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The lines of a block mapping entry (`key: value`, a nested value included),
/// from the start of the key's line to the end of the value's last line with its
/// newline; `None` when the entry shares a line with something else (flow style,
/// `- key: value` in a sequence, two entries on one line) and so cannot be removed
/// line by line.
pub(crate) fn entry_lines(text: &str, key: &Node, value: &Node) -> Option<Span> {
    let key_start = key.span.start as usize;
    let start = line_start(text, key_start);
    if !text[start..key_start].chars().all(|c| c == ' ') {
        return None;
    }
    let last = (value.span.end.max(key.span.end)) as usize;
    if last > text.len() {
        return None;
    }
    // A block scalar's span runs to the start of the line after it, over the
    // blank lines that follow it: those stay, as the blank lines between entries.
    if last > start && text.as_bytes().get(last - 1) == Some(&b'\n') {
        let content = text[start..last].trim_end_matches([' ', '\t', '\r', '\n']);
        return Some(Span::new(start, line_end(text, start + content.len())));
    }
    let end = line_end(text, last);
    let rest = text[last..end].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    Some(Span::new(start, end))
}

/// The mapping entry whose key has this span, with the mapping that holds it.
pub(crate) fn entry_at(docs: &[Node], key: Span) -> Option<(&Node, &Node, &Node)> {
    let mut stack: Vec<&Node> = docs.iter().collect();
    while let Some(n) = stack.pop() {
        // Entries a merge key copied keep their anchor's spans, outside the
        // mapping they were copied into: only the written entry is found.
        if !(n.span.start <= key.start && key.end <= n.span.end) {
            continue;
        }
        match &n.value {
            super::Value::Mapping(m) => {
                for (k, v) in m {
                    if k.span == key {
                        return Some((n, k, v));
                    }
                    stack.push(v);
                }
            }
            super::Value::Sequence(items) => stack.extend(items),
            super::Value::Scalar(_) => {}
        }
    }
    None
}

/// The lines to delete to remove the entry whose key has this span from a block
/// mapping, unless it is the mapping's only entry (removing it would leave a
/// null where a mapping was).
pub(crate) fn removal(text: &str, docs: &[Node], key: Span) -> Option<Span> {
    let (map, k, v) = entry_at(docs, key)?;
    if map.as_mapping()?.len() < 2 || !is_block_mapping(text, map) {
        return None;
    }
    entry_lines(text, k, v)
}

/// Whether the mapping is written in block style (not `{...}`).
pub(crate) fn is_block_mapping(text: &str, node: &Node) -> bool {
    node.as_mapping().is_some()
        && !text
            .get(node.span.start as usize..)
            .is_some_and(|t| t.starts_with('{'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node {
        let p = crate::yaml::parse(text);
        p.documents.into_iter().next().expect("a document")
    }

    fn removed(text: &str, key: &str) -> Option<String> {
        let doc = root(text);
        let (k, v) = doc.entry(key)?;
        let span = entry_lines(text, k, v)?;
        let mut out = text.to_string();
        out.replace_range(span.start as usize..span.end as usize, "");
        Some(out)
    }

    #[test]
    fn removes_a_scalar_entry_with_its_comment_and_newline() {
        let text = "# head\nversion: \"3\" # old\n\nservices: {}\n";
        assert_eq!(
            removed(text, "version").as_deref(),
            Some("# head\n\nservices: {}\n")
        );
    }

    #[test]
    fn removes_a_nested_block_value_and_keeps_what_follows() {
        let text = "a:\n  - 1\n  - 2\nb: 3\n";
        assert_eq!(removed(text, "a").as_deref(), Some("b: 3\n"));
        // The last line without a newline.
        assert_eq!(removed("a: 1\nb: 2", "b").as_deref(), Some("a: 1\n"));
    }

    #[test]
    fn removes_block_scalars_and_multi_line_values_without_the_next_entry() {
        let text = "a: |\n  one\n  two\n\nb: 2\n";
        assert_eq!(removed(text, "a").as_deref(), Some("\nb: 2\n"));
        let text = "a: >-\n  folded\nb: 2\n";
        assert_eq!(removed(text, "a").as_deref(), Some("b: 2\n"));
        let text = "a:\n  \"3\"\nb: 2\r\nc: 3\r\n";
        assert_eq!(removed(text, "a").as_deref(), Some("b: 2\r\nc: 3\r\n"));
        assert_eq!(removed(text, "b").as_deref(), Some("a:\n  \"3\"\nc: 3\r\n"));
    }

    #[test]
    fn refuses_entries_that_share_a_line() {
        assert_eq!(removed("{a: 1, b: 2}\n", "b"), None);
        assert_eq!(removed("{a: 1,\n b: 2}\n", "a"), None);
    }

    #[test]
    fn finds_nested_entries_and_removes_only_from_mappings_with_more() {
        let text = "a:\n  b:\n    - c: 1\n      d: 2\n  e: 3\n";
        let docs = vec![root(text)];
        let d = Span::new(text.find("d:").expect("d"), text.find("d:").expect("d") + 1);
        let (map, k, v) = entry_at(&docs, d).expect("found");
        assert_eq!(map.as_mapping().map(<[_]>::len), Some(2));
        assert_eq!((k.as_str(), v.as_str()), (Some("d"), Some("2")));
        // `d` shares its line with nothing: removable; `c` starts with `- `.
        let span = removal(text, &docs, d).expect("removable");
        assert_eq!(
            &text[span.start as usize..span.end as usize],
            "      d: 2\n"
        );
        let c = Span::new(text.find("c:").expect("c"), text.find("c:").expect("c") + 1);
        assert_eq!(removal(text, &docs, c), None);
        // `a` is the only key of the document.
        assert_eq!(removal(text, &docs, Span::new(0, 1)), None);
        assert_eq!(entry_at(&docs, Span::new(1, 2)), None);
    }

    #[test]
    fn tells_block_from_flow_mappings() {
        let text = "a: 1\n";
        assert!(is_block_mapping(text, &root(text)));
        let text = "{a: 1}\n";
        assert!(!is_block_mapping(text, &root(text)));
        assert_eq!(line_start("ab\ncd", 4), 3);
        assert_eq!(line_end("ab\ncd", 1), 3);
        assert_eq!(line_end("ab\ncd", 4), 5);
    }
}
