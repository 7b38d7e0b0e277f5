//! Text edits on the original bytes, as a pure function: which of several fixes can
//! be applied together (no two touch the same bytes), and the text they make. The
//! `--fix` loop and the language server's code actions share it.

use crate::diagnostic::{Edit, Fix};
use crate::source::{FileId, Span};

/// Whether two edits of one file touch the same bytes, or insert at one place
/// (where their order would be a guess).
fn conflict(a: Span, b: Span) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

/// The fixes to apply together, as indexes into `fixes`: in order of their first
/// edit, each one whose edits conflict neither with each other nor with an edit
/// already chosen. A fix whose edits equal a chosen fix's is chosen too (one edit
/// can repair two findings) but its edits are not applied twice: see [`edits_of`].
pub(crate) fn select(fixes: &[&Fix]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| {
        let f = fixes[i];
        let first = f.edits.iter().map(|e| (e.file, e.span)).min();
        (first, i)
    });
    let mut chosen: Vec<usize> = Vec::new();
    let mut taken: Vec<(FileId, Span)> = Vec::new();
    for i in order {
        let f = fixes[i];
        if f.edits.is_empty() {
            continue;
        }
        if chosen.iter().any(|&c| fixes[c].edits == f.edits) {
            chosen.push(i);
            continue;
        }
        let self_conflict = f.edits.iter().enumerate().any(|(j, a)| {
            f.edits[j + 1..]
                .iter()
                .any(|b| a.file == b.file && conflict(a.span, b.span))
        });
        let clash = f.edits.iter().any(|e| {
            taken
                .iter()
                .any(|(file, span)| *file == e.file && conflict(*span, e.span))
        });
        if self_conflict || clash {
            continue;
        }
        taken.extend(f.edits.iter().map(|e| (e.file, e.span)));
        chosen.push(i);
    }
    chosen.sort_unstable();
    chosen
}

/// The edits of the chosen fixes that change `file`, each once.
pub(crate) fn edits_of<'f>(fixes: &[&'f Fix], chosen: &[usize], file: FileId) -> Vec<&'f Edit> {
    let mut out: Vec<&Edit> = Vec::new();
    for &i in chosen {
        for e in fixes[i].edits.iter().filter(|e| e.file == file) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
    }
    out
}

/// Why a set of edits cannot be applied to a text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ApplyError {
    /// An edit reaches past the end of the text or splits a character.
    OutOfRange(Span),
    /// Two edits touch the same bytes.
    Overlap(Span, Span),
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplyError::OutOfRange(s) => {
                write!(f, "edit {}..{} is outside the text", s.start, s.end)
            }
            ApplyError::Overlap(a, b) => write!(
                f,
                "edits {}..{} and {}..{} overlap",
                a.start, a.end, b.start, b.end
            ),
        }
    }
}

/// `text` with each edit's span replaced by its replacement. The spans are
/// offsets into `text` as given (not as edited); edits may come in any order but
/// must not conflict.
pub(crate) fn apply(text: &str, edits: &[&Edit]) -> Result<String, ApplyError> {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    for e in &sorted {
        let (s, t) = (e.span.start as usize, e.span.end as usize);
        if t > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(t) {
            return Err(ApplyError::OutOfRange(e.span));
        }
    }
    for w in sorted.windows(2) {
        if conflict(w[0].span, w[1].span) {
            return Err(ApplyError::Overlap(w[0].span, w[1].span));
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in sorted {
        out.push_str(&text[at..e.span.start as usize]);
        out.push_str(&e.replacement);
        at = e.span.end as usize;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Applicability;

    fn edit(file: u32, start: usize, end: usize, with: &str) -> Edit {
        Edit {
            file: FileId(file),
            span: Span::new(start, end),
            replacement: with.to_string(),
        }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            message: "test".into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    #[test]
    fn applies_replacements_insertions_and_deletions_on_the_original_offsets() {
        let text = "a: 1 # keep\nb: 2\n";
        let (x, y, z) = (
            edit(0, 3, 4, "10"),
            edit(0, 12, 17, ""),
            edit(0, 0, 0, "# top\n"),
        );
        assert_eq!(
            apply(text, &[&x, &y, &z]).as_deref(),
            Ok("# top\na: 10 # keep\n")
        );
        assert_eq!(apply(text, &[]).as_deref(), Ok(text));
    }

    #[test]
    fn refuses_overlapping_or_out_of_range_edits() {
        let (x, y) = (edit(0, 0, 3, "x"), edit(0, 2, 4, "y"));
        assert_eq!(
            apply("abcdef", &[&x, &y]),
            Err(ApplyError::Overlap(x.span, y.span))
        );
        let z = edit(0, 4, 9, "");
        assert_eq!(apply("abc", &[&z]), Err(ApplyError::OutOfRange(z.span)));
        // Inside a multi-byte character.
        let w = edit(0, 1, 2, "");
        assert!(apply("é", &[&w]).is_err());
        // Two insertions at one place: their order would be a guess.
        let (p, q) = (edit(0, 1, 1, "p"), edit(0, 1, 1, "q"));
        assert!(apply("ab", &[&p, &q]).is_err());
    }

    #[test]
    fn selects_fixes_that_do_not_overlap_in_order_and_dedups_equal_ones() {
        let a = fix(vec![edit(0, 10, 20, "")]);
        let b = fix(vec![edit(0, 15, 25, "")]); // overlaps a
        let c = fix(vec![edit(0, 0, 5, "x"), edit(0, 30, 31, "y")]);
        let d = fix(vec![edit(1, 15, 25, "")]); // another file
        let e = fix(vec![edit(0, 10, 20, "")]); // same as a
        let f = fix(vec![edit(0, 40, 45, ""), edit(0, 42, 43, "")]); // conflicts itself
        let fixes = [&a, &b, &c, &d, &e, &f];
        assert_eq!(select(&fixes), vec![0, 2, 3, 4]);
        let chosen = select(&fixes);
        let edits = edits_of(&fixes, &chosen, FileId(0));
        assert_eq!(edits.len(), 3, "the duplicate's edit is applied once");
        let text = "0123456789abcdefghijklmnopqrstuvwxyz0123456789";
        assert_eq!(
            apply(text, &edits).as_deref(),
            Ok("x56789klmnopqrstyvwxyz0123456789")
        );
    }
}
