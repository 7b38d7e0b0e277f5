//! JSON specs (Marathon apps and groups, Kubernetes JSON) read straight into the
//! span tree by a small tokenizer over the bytes, without the YAML parser: saphyr
//! keeps every token of a `{…}` flow collection queued until it closes, so a large
//! JSON file used to cost many times its size in memory.
//!
//! The tree is the one the YAML parser builds from the same text (JSON is YAML
//! 1.2): an object or array spans its brackets, a string its quotes, a number or
//! `true`/`false`/`null` its characters, and is a plain scalar; strings are
//! quoted scalars. The reader is iterative (no recursion) and keeps the same
//! budgets (nesting depth, node count) and duplicate-key findings. A syntax error
//! points at the character that broke the text, with the innermost unclosed
//! bracket as its related place.

use super::node::{Node, Scalar, Value};
use super::parse::{IssueKind, MAX_DEPTH, MAX_NODES, ParseIssue, Parsed, drop_duplicates};
use crate::source::Span;

/// Whether a spec file is read as JSON: its name ends in `.json`, or its text
/// starts (after white space) with `{` or `[`.
pub(crate) fn is_json(name: &str, text: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with(['{', '['])
}

/// Reads a JSON text; when it is not JSON but the YAML parser reads it without a
/// fatal issue (a YAML flow mapping such as `{a: 1}`, a trailing comma, a
/// comment), the YAML reading is kept, as before JSON had a reader of its own.
pub(crate) fn parse_or_yaml(text: &str) -> Parsed {
    let parsed = parse(text);
    if !parsed.issues.iter().any(|i| i.kind == IssueKind::Syntax) {
        return parsed;
    }
    let yaml = super::parse(text);
    if yaml.is_fatal() { parsed } else { yaml }
}

/// Reads one JSON value (white space around it); an empty text holds no document.
/// A value followed by anything else is kept, with a syntax issue for the rest.
pub(crate) fn parse(text: &str) -> Parsed {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        nodes: 0,
        issues: Vec::new(),
    };
    let mut out = Parsed::default();
    r.skip_ws();
    if r.pos < r.bytes.len() {
        match r.document() {
            Ok(node) => {
                out.documents.push(node);
                r.skip_ws();
                if r.pos < r.bytes.len() {
                    let e = r.unexpected("the end of the text after the JSON value", None);
                    r.issues.push(e);
                }
            }
            Err(e) => r.issues.push(e),
        }
    }
    out.issues = r.issues;
    out
}

/// An array or object whose closing bracket is not read yet.
enum Frame {
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Object {
        start: usize,
        entries: Vec<(Node, Node)>,
        /// The key whose value is being read.
        key: Option<Node>,
    },
}

impl Frame {
    fn start(&self) -> usize {
        match self {
            Frame::Array { start, .. } | Frame::Object { start, .. } => *start,
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    nodes: usize,
    /// Duplicate keys found so far.
    issues: Vec<ParseIssue>,
}

fn scalar(start: usize, end: usize, text: &str, plain: bool) -> Node {
    Node {
        span: Span::new(start, end),
        value: Value::Scalar(Scalar {
            text: text.into(),
            plain,
        }),
    }
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// A syntax issue at `at`, spanning the character there (empty at the end).
    fn syntax_at(&self, at: usize, message: String, related: Option<usize>) -> ParseIssue {
        let len = self.text[at..].chars().next().map_or(0, char::len_utf8);
        ParseIssue {
            kind: IssueKind::Syntax,
            message,
            span: Span::new(at, at + len),
            related: related.map(|r| Span::new(r, r + 1)),
        }
    }

    /// The character at the current place is not what `expected` says.
    fn unexpected(&self, expected: &str, open: Option<usize>) -> ParseIssue {
        let message = match self.text[self.pos..].chars().next() {
            None => format!("the text ends where {expected} was expected"),
            Some(c) if c.is_control() => {
                format!("unexpected `{}`: expected {expected}", c.escape_debug())
            }
            Some(c) => format!("unexpected `{c}`: expected {expected}"),
        };
        self.syntax_at(self.pos, message, open)
    }

    fn budget(&self, message: String) -> ParseIssue {
        ParseIssue {
            kind: IssueKind::Budget,
            message,
            span: Span::new(self.pos, (self.pos + 1).min(self.bytes.len())),
            related: None,
        }
    }

    fn count(&mut self) -> Result<(), ParseIssue> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.budget(format!(
                "the file has more than {MAX_NODES} nodes; not read further"
            )));
        }
        Ok(())
    }

    /// One whole value, arrays and objects read with a stack of open brackets.
    fn document(&mut self) -> Result<Node, ParseIssue> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let open = stack.last().map(Frame::start);
            self.skip_ws();
            let start = self.pos;
            let mut node = match self.peek() {
                Some(b @ (b'{' | b'[')) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.budget(format!(
                            "nesting deeper than {MAX_DEPTH} levels; not read further"
                        )));
                    }
                    self.pos += 1;
                    self.skip_ws();
                    let close = if b == b'{' { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        let value = if b == b'{' {
                            Value::Mapping(Vec::new())
                        } else {
                            Value::Sequence(Vec::new())
                        };
                        Node {
                            span: Span::new(start, self.pos),
                            value,
                        }
                    } else if b == b'{' {
                        let key = self.key(Some(start))?;
                        stack.push(Frame::Object {
                            start,
                            entries: Vec::new(),
                            key: Some(key),
                        });
                        continue;
                    } else {
                        stack.push(Frame::Array {
                            start,
                            items: Vec::new(),
                        });
                        continue;
                    }
                }
                Some(b'"') => self.string()?,
                Some(b'-' | b'0'..=b'9') => self.number(open)?,
                Some(b't') => self.literal("true", open)?,
                Some(b'f') => self.literal("false", open)?,
                Some(b'n') => self.literal("null", open)?,
                _ => return Err(self.unexpected("a value", open)),
            };
            // Hand the value to its parent, closing every bracket that follows.
            loop {
                self.count()?;
                let Some(top) = stack.last_mut() else {
                    return Ok(node);
                };
                let top_start = top.start();
                self.skip_ws();
                let next = self.peek();
                match top {
                    Frame::Array { items, .. } => {
                        items.push(node);
                        match next {
                            Some(b',') => {
                                self.pos += 1;
                                break;
                            }
                            Some(b']') => self.pos += 1,
                            _ => return Err(self.unexpected("`,` or `]`", Some(top_start))),
                        }
                    }
                    Frame::Object { entries, key, .. } => {
                        if let Some(k) = key.take() {
                            entries.push((k, node));
                        }
                        match next {
                            Some(b',') => {
                                self.pos += 1;
                                let k = self.key(Some(top_start))?;
                                if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                                    *key = Some(k);
                                }
                                break;
                            }
                            Some(b'}') => self.pos += 1,
                            _ => return Err(self.unexpected("`,` or `}`", Some(top_start))),
                        }
                    }
                }
                // The bracket just read closes the top frame.
                // Collections are kept at their length: a large file's tree holds
                // no room to grow.
                node = match stack.pop() {
                    Some(Frame::Array { start, mut items }) => {
                        items.shrink_to_fit();
                        Node {
                            span: Span::new(start, self.pos),
                            value: Value::Sequence(items),
                        }
                    }
                    Some(Frame::Object { start, entries, .. }) => {
                        let mut entries = drop_duplicates(entries, &mut self.issues);
                        entries.shrink_to_fit();
                        Node {
                            span: Span::new(start, self.pos),
                            value: Value::Mapping(entries),
                        }
                    }
                    None => return Err(self.unexpected("a value", None)),
                };
            }
        }
    }

    /// A member's key and its `:`.
    fn key(&mut self, open: Option<usize>) -> Result<Node, ParseIssue> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string key in double quotes", open));
        }
        let key = self.string()?;
        self.count()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:` after the key", open));
        }
        self.pos += 1;
        Ok(key)
    }

    fn literal(&mut self, word: &str, open: Option<usize>) -> Result<Node, ParseIssue> {
        let start = self.pos;
        if !self.bytes[start..].starts_with(word.as_bytes()) {
            return Err(self.unexpected("a value", open));
        }
        self.pos += word.len();
        Ok(scalar(start, self.pos, word, true))
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as written.
    fn number(&mut self, open: Option<usize>) -> Result<Node, ParseIssue> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.unexpected("a digit", open)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.unexpected("a digit after the decimal point", open));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.unexpected("a digit in the exponent", open));
            }
        }
        Ok(scalar(start, self.pos, &self.text[start..self.pos], true))
    }

    /// A string in double quotes, its escapes decoded.
    fn string(&mut self) -> Result<Node, ParseIssue> {
        let start = self.pos;
        self.pos += 1;
        let mut decoded = String::new();
        let mut from = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    let text = if decoded.is_empty() && from == start + 1 {
                        &self.text[from..self.pos]
                    } else {
                        decoded.push_str(&self.text[from..self.pos]);
                        decoded.as_str()
                    };
                    self.pos += 1;
                    return Ok(scalar(start, self.pos, text, false));
                }
                Some(b'\\') => {
                    decoded.push_str(&self.text[from..self.pos]);
                    self.escape(&mut decoded)?;
                    from = self.pos;
                }
                Some(b) if b < 0x20 => {
                    return Err(self.syntax_at(
                        self.pos,
                        format!(
                            "a control character ({}) inside a string must be escaped",
                            char::from(b).escape_debug()
                        ),
                        Some(start),
                    ));
                }
                Some(_) => self.pos += 1,
                None => {
                    return Err(self.syntax_at(
                        self.pos,
                        "the text ends inside a string".into(),
                        Some(start),
                    ));
                }
            }
        }
    }

    /// The escape at the current `\`, appended to `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), ParseIssue> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let high = self.hex4(at)?;
                let c = if (0xD800..0xDC00).contains(&high) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(self.lone_surrogate(at));
                    }
                    self.pos += 2;
                    let low = self.hex4(at)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.lone_surrogate(at));
                    }
                    char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    char::from_u32(high)
                };
                out.push(c.ok_or_else(|| self.lone_surrogate(at))?);
                return Ok(());
            }
            _ => {
                return Err(self.syntax_at(
                    at,
                    "unknown escape in a string (JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
                        .into(),
                    None,
                ));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn lone_surrogate(&self, at: usize) -> ParseIssue {
        self.syntax_at(
            at,
            "a \\u escape names half of a surrogate pair without the other half".into(),
            None,
        )
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self, at: usize) -> Result<u32, ParseIssue> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|d| u32::from_str_radix(d, 16).ok());
        match digits {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.syntax_at(at, "a \\u escape needs four hex digits".into(), None)),
        }
    }
}

#[cfg(test)]
mod tests;
