//! Inline suppressions: `# orchlint-ignore: a, b -- reason` (on the finding's line,
//! or alone on the line above it), `# orchlint-ignore-file: a` (whole file), and the
//! Kubernetes annotation `orchlint.dev/ignore: "a,b"` (the whole object). Names are
//! rule names, `family/name` codes, families or `all`.

use crate::diagnostic::{Diagnostic, RuleMeta};
use crate::source::{LineIndex, Span};
use crate::yaml::Node;

const LINE_MARK: &str = "orchlint-ignore:";
const FILE_MARK: &str = "orchlint-ignore-file:";
pub(crate) const ANNOTATION: &str = "orchlint.dev/ignore";

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Findings that start on this 1-based line.
    Line(u32),
    /// Every finding in the file.
    File,
    /// Findings inside this byte range (a Kubernetes object).
    Range(Span),
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) name: String,
    /// Where the name is written (for unused/unknown reports).
    pub(crate) span: Span,
    pub(crate) used: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct Suppression {
    pub(crate) scope: Scope,
    pub(crate) entries: Vec<Entry>,
    /// The text after ` -- `, trimmed, when there is any.
    pub(crate) reason: Option<String>,
}

/// How a finding was suppressed, in SARIF's words: `inSource` (a comment or an
/// annotation in the file), `external` (an `[[exempt]]` entry of the configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    InSource,
    External,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::InSource => "inSource",
            Kind::External => "external",
        }
    }
}

/// A finding a suppression silenced: kept so that JSON, SARIF and `--statistics`
/// can show it with the reason given; the other formats and the exit code leave
/// it out.
#[derive(Clone, Debug)]
pub(crate) struct Suppressed {
    pub(crate) diagnostic: Diagnostic,
    pub(crate) kind: Kind,
    pub(crate) justification: Option<String>,
}

impl Suppression {
    pub(crate) fn covers(&self, line: u32, span: Span) -> bool {
        match &self.scope {
            Scope::Line(l) => *l == line,
            Scope::File => true,
            Scope::Range(r) => r.start <= span.start && span.start < r.end.max(r.start + 1),
        }
    }
}

pub(crate) fn name_matches(name: &str, meta: &RuleMeta) -> bool {
    crate::config::selector_matches(name, meta)
}

/// The reason of `a, b -- reason`, if one is written.
fn reason_of(list: &str) -> Option<String> {
    let (_, reason) = list.split_once("--")?;
    let reason = reason.trim();
    (!reason.is_empty()).then(|| reason.to_string())
}

/// Splits `a, b -- reason` into names with their byte offsets in the text.
fn names_at(text: &str, list_start: usize, list: &str) -> Vec<Entry> {
    let list = list.split("--").next().unwrap_or("");
    let mut out = Vec::new();
    let mut offset = 0;
    for part in list.split(',') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let lead = part.len() - part.trim_start().len();
            let start = list_start + offset + lead;
            debug_assert!(text.get(start..start + trimmed.len()).is_some());
            out.push(Entry {
                name: trimmed.to_string(),
                span: Span::new(start, start + trimmed.len()),
                used: false,
            });
        }
        offset += part.len() + 1;
    }
    out
}

/// Reads the comment suppressions of a file.
pub(crate) fn from_comments(text: &str, index: &LineIndex) -> Vec<Suppression> {
    if !text.contains("orchlint-ignore") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(hash) = line.find('#') else { continue };
        let comment = &line[hash + 1..];
        let comment_trim = comment.trim_start();
        let (mark, file_wide) = if comment_trim.starts_with(FILE_MARK) {
            (FILE_MARK, true)
        } else if comment_trim.starts_with(LINE_MARK) {
            (LINE_MARK, false)
        } else {
            continue;
        };
        let line_start = index.line_start(i as u32 + 1).unwrap_or(0) as usize;
        let list_start = line_start + hash + 1 + (comment.len() - comment_trim.len()) + mark.len();
        let entries = names_at(text, list_start, &comment_trim[mark.len()..]);
        if entries.is_empty() {
            continue;
        }
        let scope = if file_wide {
            Scope::File
        } else if line[..hash].trim().is_empty() {
            // Alone on its line: covers the next line that holds something else.
            let next = lines
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, l)| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .map_or(i + 2, |(j, _)| j + 1);
            Scope::Line(next as u32)
        } else {
            Scope::Line(i as u32 + 1)
        };
        let reason = reason_of(&comment_trim[mark.len()..]);
        out.push(Suppression {
            scope,
            entries,
            reason,
        });
    }
    out
}

/// Reads `orchlint.dev/ignore` annotations of Kubernetes objects (Lists included).
pub(crate) fn from_annotations(docs: &[Node]) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut todo: Vec<&Node> = docs.iter().collect();
    while let Some(obj) = todo.pop() {
        if let Some(items) = obj.get("items").and_then(Node::as_sequence) {
            todo.extend(items);
        }
        let Some(value) = obj.at(&["metadata", "annotations", ANNOTATION]) else {
            continue;
        };
        let Some(text) = value.as_str() else { continue };
        // The value's span covers its quotes, if any; find the text inside it.
        let quote = usize::from(value.scalar().is_some_and(|s| !s.plain));
        let entries: Vec<Entry> = names_at_value(text, value.span.start as usize + quote);
        if !entries.is_empty() {
            out.push(Suppression {
                scope: Scope::Range(obj.span),
                entries,
                reason: reason_of(text),
            });
        }
    }
    out
}

fn names_at_value(text: &str, start: usize) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut offset = 0;
    let list = text.split("--").next().unwrap_or("");
    for part in list.split(',') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let lead = part.len() - part.trim_start().len();
            let s = start + offset + lead;
            out.push(Entry {
                name: trimmed.to_string(),
                span: Span::new(s, s + trimmed.len()),
                used: false,
            });
        }
        offset += part.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_scopes() {
        let text = "a: 1 # orchlint-ignore: x, y -- why\n# orchlint-ignore: z\n\nb: 2\n# orchlint-ignore-file: all\n";
        let idx = LineIndex::new(text);
        let s = from_comments(text, &idx);
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].scope, Scope::Line(1));
        assert_eq!(s[0].entries.len(), 2);
        assert_eq!(s[0].reason.as_deref(), Some("why"));
        assert_eq!(s[1].reason, None);
        assert_eq!(
            &text[s[0].entries[1].span.start as usize..s[0].entries[1].span.end as usize],
            "y"
        );
        assert_eq!(s[1].scope, Scope::Line(4));
        assert_eq!(s[2].scope, Scope::File);
    }

    #[test]
    fn annotation_scope_is_the_object() {
        let text = "kind: Pod\nmetadata:\n  annotations:\n    orchlint.dev/ignore: \"run-as-root, b -- node agent\"\n";
        let p = crate::yaml::parse(text);
        let s = from_annotations(&p.documents);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].entries.len(), 2);
        assert_eq!(s[0].reason.as_deref(), Some("node agent"));
        let e = &s[0].entries[0];
        assert_eq!(
            &text[e.span.start as usize..e.span.end as usize],
            "run-as-root"
        );
    }
}
