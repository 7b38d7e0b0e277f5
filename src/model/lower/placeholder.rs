//! Counts marked as placeholders: a value whose comment says it is not meant
//! (`replicas: 100 # placeholder`, `# change me`, `# example`) is no evidence of
//! what runs, so the lowering drops it (the workload counts as one copy).

use crate::model::DeploymentModel;
use crate::project::SpecFile;
use crate::source::{Loc, Located};

/// Words that mark a value as a stand-in, matched in its comment, lowercased.
const MARKERS: &[&str] = &[
    "placeholder",
    "change me",
    "changeme",
    "change this",
    "replace me",
    "example",
    "dummy",
    "fill in",
];

/// Drops every replica count and autoscaler maximum whose comment marks it.
pub(crate) fn drop_marked(model: &mut DeploymentModel, files: &[SpecFile]) {
    for w in &mut model.workloads {
        if w.replicas.as_ref().is_some_and(|r| marked(files, r)) {
            w.replicas = None;
        }
        if w.max_replicas.as_ref().is_some_and(|r| marked(files, r)) {
            w.max_replicas = None;
        }
    }
}

fn marked<T>(files: &[SpecFile], v: &Located<T>) -> bool {
    files
        .get(v.loc.file.0 as usize)
        .is_some_and(|f| is_marked(&f.text, v.loc))
}

/// Whether the comment on the value's line (after it), or a comment line right
/// above that line, marks the value as a placeholder.
pub(crate) fn is_marked(text: &str, loc: Loc) -> bool {
    let end = (loc.span.end as usize).min(text.len());
    let start = (loc.span.start as usize).min(end);
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return false;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let after = &text[end..line_end];
    if let Some(c) = trailing_comment(after)
        && has_marker(c)
    {
        return true;
    }
    // The line above, when it is a comment of its own.
    if line_start == 0 {
        return false;
    }
    let above_end = line_start - 1;
    let above_start = text[..above_end].rfind('\n').map_or(0, |i| i + 1);
    let above = text[above_start..above_end].trim();
    above.strip_prefix('#').is_some_and(has_marker)
}

/// The comment in what follows a value on its line: from a `#` that starts the
/// rest or follows whitespace (YAML's rule), without it.
fn trailing_comment(rest: &str) -> Option<&str> {
    let bytes = rest.as_bytes();
    (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .map(|i| &rest[i + 1..])
}

fn has_marker(comment: &str) -> bool {
    let c = comment.to_ascii_lowercase();
    MARKERS.iter().any(|m| c.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn at(text: &str, value: &str) -> Loc {
        let start = text.find(value).unwrap() as u32;
        Loc::new(
            FileId(0),
            Span {
                start,
                end: start + value.len() as u32,
            },
        )
    }

    #[test]
    fn marks_in_the_values_comment_or_the_line_above() {
        let t = "spec:\n  replicas: 100 # placeholder\n";
        assert!(is_marked(t, at(t, "100")));
        let t = "spec:\n  # change me before deploying\n  replicas: 100\n";
        assert!(is_marked(t, at(t, "100")));
        let t = "deploy:\n  replicas: 12  # Example value\n";
        assert!(is_marked(t, at(t, "12")));
    }

    #[test]
    fn other_comments_are_not_marks() {
        let t = "spec:\n  replicas: 3 # one per zone\n";
        assert!(!is_marked(t, at(t, "3")));
        let t = "# example app\nkind: Deployment\nspec:\n  replicas: 3\n";
        assert!(!is_marked(t, at(t, "3")));
        // A `#` inside a value is no comment.
        let t = "replicas: 3\nimage: \"a#example\"\n";
        assert!(!is_marked(t, at(t, "3")));
    }
}
