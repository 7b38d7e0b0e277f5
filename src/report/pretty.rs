//! serde_json's pretty layout (two spaces per level, `"key": value`, `[]` for an
//! empty array) written piece by piece, so that a document of many findings is
//! streamed as they come instead of being built whole first: the JSON and SARIF
//! reports stay byte-identical to `serde_json::to_writer_pretty` of the whole
//! document while holding one finding's value at a time.

use std::io::{self, Write};

use serde::Serialize;

/// Writes the indentation of `depth` levels.
pub(crate) fn indent(out: &mut dyn Write, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    Ok(())
}

/// Writes `value` laid out as it would be `depth` levels deep in a pretty
/// document (its first line is not indented: it follows a key or an array's
/// indentation). `scratch` is reused between values.
pub(crate) fn value_at(
    out: &mut dyn Write,
    scratch: &mut Vec<u8>,
    value: &impl Serialize,
    depth: usize,
) -> io::Result<()> {
    scratch.clear();
    serde_json::to_writer_pretty(&mut *scratch, value).map_err(io::Error::other)?;
    // A serialized string never holds a raw newline (it is escaped), so every
    // newline of the output starts a line of the layout.
    for (i, line) in scratch.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            indent(out, depth)?;
        }
        out.write_all(line)?;
    }
    Ok(())
}

/// Writes `"key": ` at the start of an object member `depth` levels deep (the
/// member's own indentation included).
pub(crate) fn key(out: &mut dyn Write, name: &str, depth: usize) -> io::Result<()> {
    indent(out, depth)?;
    serde_json::to_writer(&mut *out, name).map_err(io::Error::other)?;
    out.write_all(b": ")
}

/// An array whose items are written one at a time, `depth` levels deep (the
/// depth of the array itself, whose items sit one level deeper).
pub(crate) struct Array {
    depth: usize,
    items: usize,
    scratch: Vec<u8>,
}

impl Array {
    /// An array whose opening bracket the caller writes (its items may be
    /// spooled while the report's head waits for totals).
    pub(crate) fn new(depth: usize) -> Array {
        Array {
            depth,
            items: 0,
            scratch: Vec::new(),
        }
    }

    /// How many items were written.
    pub(crate) fn items(&self) -> usize {
        self.items
    }

    /// Counts the items of another part of the same array, written after this
    /// one's (`,` joins the two parts: each item starts with its newline).
    pub(crate) fn extend_count(&mut self, other: &Array) {
        self.items += other.items;
    }

    pub(crate) fn item(&mut self, out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
        out.write_all(if self.items == 0 { b"\n" } else { b",\n" })?;
        indent(out, self.depth + 1)?;
        value_at(out, &mut self.scratch, value, self.depth + 1)?;
        self.items += 1;
        Ok(())
    }

    /// Writes the closing bracket (`[]` when no item was written).
    pub(crate) fn close(self, out: &mut dyn Write) -> io::Result<()> {
        if self.items > 0 {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(b"]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A document written piece by piece equals the whole document pretty-printed.
    #[test]
    fn pieces_match_the_whole_document() {
        let items = [
            json!({"a": [1, 2], "b": {"c": "x\ny"}}),
            json!([]),
            json!({}),
        ];
        let whole = json!({
            "empty": [],
            "items": items,
            "tail": {"k": [{"z": 1}]},
        });
        let expected = serde_json::to_string_pretty(&whole).expect("serialize");
        let mut out: Vec<u8> = Vec::new();
        let mut scratch = Vec::new();
        out.extend_from_slice(b"{\n");
        key(&mut out, "empty", 1).expect("write");
        out.push(b'[');
        Array::new(1).close(&mut out).expect("write");
        out.extend_from_slice(b",\n");
        key(&mut out, "items", 1).expect("write");
        out.push(b'[');
        let mut array = Array::new(1);
        for item in &items {
            array.item(&mut out, item).expect("write");
        }
        array.close(&mut out).expect("write");
        out.extend_from_slice(b",\n");
        key(&mut out, "tail", 1).expect("write");
        value_at(&mut out, &mut scratch, &whole["tail"], 1).expect("write");
        out.extend_from_slice(b"\n}");
        assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
    }
}
