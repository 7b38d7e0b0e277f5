//! The part of a file a human-format finding shows: the lines of its labels with
//! one line of context, every literal secret replaced by a fixed mask (which does
//! not tell the value's length), and lines too long to read (minified JSON) cut
//! to a window around the labels. Offsets in the file map to offsets in the
//! excerpt and back, so labels still underline what they name and the header
//! still gives the file's own line and column.

use crate::source::Span;

/// What a secret value is shown as.
pub(super) const MASK: &str = "********";
/// Characters kept on each side of a label on a cut line.
const SIDE: usize = 120;
/// Lines longer than this many bytes are cut.
const LONG_LINE: usize = 2 * SIDE + 80;
/// What stands for the cut part of a line.
const CUT: &str = "…";

/// Where the byte offsets of a file start each line (0 first).
pub(super) fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// A run of the file copied as it is into the excerpt.
#[derive(Clone, Copy, Debug)]
struct Piece {
    orig: usize,
    out: usize,
    len: usize,
}

#[derive(Debug)]
pub(super) struct Excerpt {
    pub(super) text: String,
    pieces: Vec<Piece>,
}

impl Excerpt {
    /// The excerpt of `text` that shows `labels`, with `secrets` (sorted by start)
    /// masked; `starts` is `line_starts(text)`.
    pub(super) fn new(text: &str, starts: &[usize], secrets: &[Span], labels: &[Span]) -> Self {
        let mut lines: Vec<(usize, usize)> = labels
            .iter()
            .map(|l| {
                let (s, e) = (l.start as usize, (l.end as usize).max(l.start as usize));
                let first = line_of(starts, s);
                let last = line_of(starts, e.saturating_sub(1).max(s));
                (first.saturating_sub(1), (last + 1).min(starts.len() - 1))
            })
            .collect();
        lines.sort_unstable();
        let mut b = Builder {
            text,
            secrets,
            out: Excerpt {
                text: String::new(),
                pieces: Vec::new(),
            },
        };
        let mut next_line = 0;
        for (first, last) in lines {
            for n in first.max(next_line)..=last {
                let start = starts[n];
                let end = starts.get(n + 1).copied().unwrap_or(text.len());
                b.line(start, end, labels);
            }
            next_line = next_line.max(last + 1);
        }
        b.out
    }

    /// The excerpt offset of a file offset; an offset in a part left out (a secret,
    /// the cut part of a line) goes to the start of what replaces it, or with
    /// `end` to its end.
    pub(super) fn to_excerpt(&self, orig: usize, end: bool) -> usize {
        let i = self.pieces.partition_point(|p| p.orig <= orig);
        if i == 0 {
            return 0;
        }
        let p = self.pieces[i - 1];
        if orig <= p.orig + p.len {
            return p.out + (orig - p.orig);
        }
        match (end, self.pieces.get(i)) {
            (true, Some(next)) => next.out,
            (true, None) => self.text.len(),
            (false, _) => p.out + p.len,
        }
    }

    /// The file offset of an excerpt offset; inside a replacement, the start of
    /// what it replaces.
    pub(super) fn to_file(&self, out: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.out <= out);
        if i == 0 {
            return self.pieces.first().map_or(0, |p| p.orig);
        }
        let p = self.pieces[i - 1];
        p.orig + (out - p.out).min(p.len)
    }
}

/// The line (0-based) that holds a byte offset.
pub(super) fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

struct Builder<'a> {
    text: &'a str,
    secrets: &'a [Span],
    out: Excerpt,
}

impl Builder<'_> {
    /// Adds the line `[start, end)` (its newline included), cut around the labels
    /// on it when it is long.
    fn line(&mut self, start: usize, end: usize, labels: &[Span]) {
        let body_end = if self.text[start..end].ends_with('\n') {
            end - 1
        } else {
            end
        };
        if body_end - start <= LONG_LINE {
            self.copy(start, end);
            return;
        }
        let on_line = labels
            .iter()
            .filter(|l| (l.start as usize) < body_end && (l.end as usize) >= start);
        let lo = on_line.clone().map(|l| (l.start as usize).max(start)).min();
        let hi = on_line.map(|l| (l.end as usize).min(body_end)).max();
        let (from, to) = match (lo, hi) {
            (Some(lo), Some(hi)) => {
                let from = self.back(lo, start, SIDE);
                let hi = self.forward(lo, hi, 2 * SIDE);
                (from, self.forward(hi, body_end, SIDE))
            }
            _ => (start, self.forward(start, body_end, 2 * SIDE)),
        };
        if from > start {
            self.out.text.push_str(CUT);
        }
        self.copy(from, to);
        if to < body_end {
            self.out.text.push_str(CUT);
        }
        self.copy(body_end, end);
    }

    /// The offset `n` characters before `at`, not before `floor`.
    fn back(&self, at: usize, floor: usize, n: usize) -> usize {
        self.text[floor..at]
            .char_indices()
            .rev()
            .take(n)
            .last()
            .map_or(at, |(i, _)| floor + i)
    }

    /// The offset `n` characters after `at`, not after `ceil`.
    fn forward(&self, at: usize, ceil: usize, n: usize) -> usize {
        self.text[at..ceil]
            .char_indices()
            .nth(n)
            .map_or(ceil, |(i, _)| at + i)
    }

    /// Copies `[from, to)` of the file, each secret in it replaced by the mask (and a
    /// secret's part before `from` dropped).
    fn copy(&mut self, mut from: usize, to: usize) {
        let first = self.secrets.partition_point(|s| (s.end as usize) <= from);
        for s in &self.secrets[first..] {
            let (s_start, s_end) = (s.start as usize, s.end as usize);
            if s_start >= to {
                break;
            }
            if s_start >= from {
                self.verbatim(from, s_start);
                self.out.text.push_str(MASK);
            }
            from = s_end.min(to).max(from);
        }
        self.verbatim(from, to);
    }

    fn verbatim(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        self.out.pieces.push(Piece {
            orig: from,
            out: self.out.text.len(),
            len: to - from,
        });
        self.out.text.push_str(&self.text[from..to]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(s: usize, e: usize) -> Span {
        Span::new(s, e)
    }

    #[test]
    fn masks_every_secret_with_a_fixed_mask() {
        let text = "a: 1\nPASS: hunter22\nimage: x:latest\n";
        let s = text.find("hunter22").expect("secret");
        let label = text.find("x:latest").expect("label");
        let ex = Excerpt::new(
            text,
            &line_starts(text),
            &[span(s, s + 8)],
            &[span(label, label + 8)],
        );
        assert!(!ex.text.contains("hunter"), "{}", ex.text);
        assert!(ex.text.contains("PASS: ********\n"), "{}", ex.text);
        let at = ex.to_excerpt(label, false);
        assert_eq!(&ex.text[at..at + 8], "x:latest");
        assert_eq!(ex.to_file(at), label);
    }

    #[test]
    fn cuts_a_long_line_around_the_label() {
        let text = format!(
            "{{\"a\": \"{}\", \"image\": \"x:latest\", \"b\": \"{}\"}}",
            "y".repeat(5000),
            "z".repeat(5000)
        );
        let label = text.find("x:latest").expect("label");
        let ex = Excerpt::new(&text, &line_starts(&text), &[], &[span(label, label + 8)]);
        assert!(ex.text.chars().count() < 2 * SIDE + 20, "{}", ex.text.len());
        assert!(ex.text.starts_with(CUT) && ex.text.ends_with(CUT));
        let at = ex.to_excerpt(label, false);
        assert_eq!(&ex.text[at..at + 8], "x:latest");
        assert_eq!(ex.to_file(at), label);
    }
}
