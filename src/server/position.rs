//! LSP positions: a 0-based line and a column in UTF-16 code units, as the
//! protocol's default `positionEncoding` counts them; orchlint's spans are byte
//! offsets into the same text.

use lsp_types::{Position, Range};

/// Where each line of a text starts, for turning byte offsets into positions.
pub(crate) struct LineMap<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineMap<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineMap { text, starts }
    }

    /// The position of a byte offset (clamped to the text, and moved back to the
    /// start of a character it falls inside).
    pub(crate) fn position(&self, offset: u32) -> Position {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = self.text[start..offset].encode_utf16().count();
        Position::new(line as u32, column as u32)
    }

    pub(crate) fn range(&self, start: u32, end: u32) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The text of a 0-based line, without its line break.
    pub(crate) fn line(&self, line: u32) -> &'a str {
        let Some(&start) = self.starts.get(line as usize) else {
            return "";
        };
        let end = self
            .starts
            .get(line as usize + 1)
            .map_or(self.text.len(), |&e| e - 1);
        self.text[start..end].trim_end_matches('\r')
    }
}

/// Whether a position lies in a range (its end included, so that a cursor just
/// after a finding still finds it).
pub(crate) fn contains(range: &Range, p: Position) -> bool {
    range.start <= p && p <= range.end
}

/// Whether two ranges share a position.
pub(crate) fn overlaps(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        // `é` is two bytes and one UTF-16 unit; `😀` four bytes and two units.
        let text = "a: 1\nname: \"é😀\" # x\nimage: nginx\n";
        let map = LineMap::new(text);
        let x = text.find('x').unwrap() as u32;
        // line 1: `name: "` is 7 units, é 1, 😀 2, `" # ` 4 → x at 14.
        assert_eq!(map.position(x), Position::new(1, 14));
        let image = text.find("nginx").unwrap() as u32;
        assert_eq!(map.position(image), Position::new(2, 7));
        assert_eq!(map.position(0), Position::new(0, 0));
    }

    #[test]
    fn offsets_past_the_end_or_inside_a_character_are_clamped() {
        let text = "é\n";
        let map = LineMap::new(text);
        assert_eq!(map.position(1), Position::new(0, 0));
        assert_eq!(map.position(99), Position::new(1, 0));
    }

    #[test]
    fn lines_without_breaks() {
        let map = LineMap::new("a\r\n  b\nc");
        assert_eq!(map.line(1), "  b");
        assert_eq!(map.line(2), "c");
        assert_eq!(map.line(7), "");
    }
}
