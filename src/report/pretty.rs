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

/// serde_json's pretty formatter (two spaces per level) starting `depth`
/// levels deep: the value is serialized straight into place, without a
/// second pass to indent it.
struct Indented {
    depth: usize,
    has_value: bool,
}

impl Indented {
    fn line(&self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        const SPACES: &[u8] = b"                                                                ";
        let mut n = 2 * self.depth;
        while n > 0 {
            let k = n.min(SPACES.len());
            out.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            out.write_all(b"\n")?;
            self.line(out)?;
        }
        out.write_all(bracket)
    }

    fn member(&mut self, out: &mut (impl Write + ?Sized), first: bool) -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.line(out)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.member(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Appends `value` laid out as it would be `depth` levels deep in a pretty
/// document (its first line is not indented: it follows a key or an array's
/// indentation).
pub(crate) fn push_value(
    buf: &mut Vec<u8>,
    value: &impl Serialize,
    depth: usize,
) -> io::Result<()> {
    let formatter = Indented {
        depth,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(buf, formatter);
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// Writes `value` laid out as it would be `depth` levels deep in a pretty
/// document. `scratch` is reused between values.
pub(crate) fn value_at(
    out: &mut dyn Write,
    scratch: &mut Vec<u8>,
    value: &impl Serialize,
    depth: usize,
) -> io::Result<()> {
    scratch.clear();
    push_value(scratch, value, depth)?;
    out.write_all(scratch)
}

/// Writes `"key": ` at the start of an object member `depth` levels deep (the
/// member's own indentation included).
pub(crate) fn key(out: &mut dyn Write, name: &str, depth: usize) -> io::Result<()> {
    indent(out, depth)?;
    serde_json::to_writer(&mut *out, name).map_err(io::Error::other)?;
    out.write_all(b": ")
}

/// About how many bytes of laid-out items an array holds before writing them.
const BUFFERED: usize = 1 << 16;

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

    /// Lays out an item in the array's buffer, written to `out` in pieces of
    /// some [`BUFFERED`] bytes (and by `flush`).
    pub(crate) fn item(&mut self, out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
        let buf = &mut self.scratch;
        buf.extend_from_slice(if self.items == 0 { b"\n" } else { b",\n" });
        for _ in 0..=self.depth {
            buf.extend_from_slice(b"  ");
        }
        push_value(buf, value, self.depth + 1)?;
        self.items += 1;
        if self.scratch.len() >= BUFFERED {
            self.flush(out)?;
        }
        Ok(())
    }

    /// Writes the items laid out since the last flush.
    pub(crate) fn flush(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&self.scratch)?;
        self.scratch.clear();
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
        array.flush(&mut out).expect("write");
        array.close(&mut out).expect("write");
        out.extend_from_slice(b",\n");
        key(&mut out, "tail", 1).expect("write");
        value_at(&mut out, &mut scratch, &whole["tail"], 1).expect("write");
        out.extend_from_slice(b"\n}");
        assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
    }
}
