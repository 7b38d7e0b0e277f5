//! Builds the span-keeping tree from saphyr-parser's event stream, one pass per file.
//!
//! The builder is iterative (no recursion), so deep nesting cannot overflow the stack;
//! it stops at fixed budgets for nesting depth and for the number of nodes (alias
//! expansion included), so an alias bomb ends with one diagnostic instead of
//! exhausting memory. Merge keys (`<<`) are applied here, and duplicate keys are
//! reported (the last one wins) rather than refusing the whole file.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::node::{Node, Scalar, Value};
use crate::source::Span;

/// Deepest nesting of collections accepted in one document.
pub(crate) const MAX_DEPTH: usize = 256;
/// Most nodes (alias expansions included) accepted in one file.
pub(crate) const MAX_NODES: usize = 2_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IssueKind {
    /// The text is not YAML (or not JSON); parsing stopped here.
    Syntax,
    /// A budget was exceeded; parsing stopped here.
    Budget,
    /// A mapping repeats a key; the file was still read (last one wins).
    DuplicateKey,
}

#[derive(Clone, Debug)]
pub struct ParseIssue {
    pub(crate) kind: IssueKind,
    pub(crate) message: String,
    pub(crate) span: Span,
    /// For duplicate keys: where the key first appeared.
    pub(crate) related: Option<Span>,
}

#[derive(Debug, Default)]
pub struct Parsed {
    /// Every document read completely, in order.
    pub documents: Vec<Node>,
    pub issues: Vec<ParseIssue>,
}

impl Parsed {
    /// True when parsing stopped early (syntax error or budget).
    pub(crate) fn is_fatal(&self) -> bool {
        self.issues
            .iter()
            .any(|i| i.kind != IssueKind::DuplicateKey)
    }
}

/// Whether alias expansion makes up more of a document than go-yaml (the loader
/// behind kubectl and most Kubernetes tools) accepts: up to 99 % of the nodes of a
/// document of up to 400,000 nodes, falling linearly to 10 % at 4,000,000. Besides
/// agreeing with kubectl, this keeps the cost of a file linear in its size: its
/// aliases can add at most about a hundred nodes per node written.
fn excessive_aliasing(nodes: usize, aliased: usize) -> bool {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if aliased <= 100 || nodes <= 1000 {
        return false;
    }
    let allowed = if nodes <= LOW {
        0.99
    } else if nodes >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((nodes - LOW) as f64 / (HIGH - LOW) as f64)
    };
    aliased as f64 / nodes as f64 > allowed
}

/// Converts saphyr's character offsets to byte offsets.
struct Offsets {
    table: Option<Vec<u32>>,
    len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| {
            let mut t: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
            t.push(text.len() as u32);
            t
        });
        Offsets {
            table,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.table {
            None => char_index.min(self.len),
            Some(t) => t.get(char_index).map_or(self.len, |&b| b as usize),
        }
    }

    fn span(&self, s: &saphyr_parser::Span) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }
}

enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
    },
}

struct Builder<'a> {
    offsets: &'a Offsets,
    text: &'a [u8],
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    /// Of `nodes`, those that alias expansion added.
    aliased: usize,
    out: Parsed,
}

fn count(node: &Node) -> usize {
    let mut n = 0;
    let mut todo = vec![node];
    while let Some(x) = todo.pop() {
        n += 1;
        match &x.value {
            Value::Scalar(_) => {}
            Value::Sequence(items) => todo.extend(items),
            Value::Mapping(entries) => {
                for (k, v) in entries {
                    todo.push(k);
                    todo.push(v);
                }
            }
        }
    }
    n
}

impl Builder<'_> {
    fn fail(&mut self, kind: IssueKind, message: String, span: Span) {
        self.out.issues.push(ParseIssue {
            kind,
            message,
            span,
            related: None,
        });
    }

    /// Adds a finished node to its parent (or makes it the document root).
    fn complete(&mut self, node: Node, anchor: usize, weight: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), weight));
        }
        match self.stack.last_mut() {
            None => self.out.documents.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }

    fn finish_map(&mut self, start: Span, end: Span, entries: Vec<(Node, Node)>) -> Node {
        let entries = self.apply_merge_keys(entries);
        let entries = drop_duplicates(entries, &mut self.out.issues);
        let last = entries.last().map_or(start.end, |(_, v)| v.span.end);
        let span_end = if self.closes_flow(end, b'}') {
            end.end
        } else {
            last
        };
        Node {
            span: Span::new(start.start as usize, span_end.max(start.end) as usize),
            value: Value::Mapping(entries),
        }
    }

    /// Whether an end event is a flow collection's closing bracket.
    fn closes_flow(&self, end: Span, bracket: u8) -> bool {
        self.text.get(end.start as usize) == Some(&bracket)
    }

    fn apply_merge_keys(&mut self, entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
        let is_merge = |k: &Node| k.scalar().is_some_and(|s| s.plain && &*s.text == "<<");
        if !entries.iter().any(|(k, _)| is_merge(k)) {
            return entries;
        }
        let mut own = Vec::with_capacity(entries.len());
        let mut merged: Vec<(Node, Node)> = Vec::new();
        for (k, v) in entries {
            if !is_merge(&k) {
                own.push((k, v));
                continue;
            }
            let sources: Vec<Node> = match v.value {
                Value::Mapping(_) => vec![v],
                Value::Sequence(items) => items,
                Value::Scalar(_) => {
                    self.out.issues.push(ParseIssue {
                        kind: IssueKind::DuplicateKey,
                        message: "a merge key (`<<`) needs a mapping or a list of mappings".into(),
                        span: v.span,
                        related: None,
                    });
                    continue;
                }
            };
            for src in sources {
                if let Value::Mapping(src_entries) = src.value {
                    for (mk, mv) in src_entries {
                        let taken = |e: &(Node, Node)| e.0.as_str() == mk.as_str();
                        if !own.iter().any(taken) && !merged.iter().any(taken) {
                            merged.push((mk, mv));
                        }
                    }
                }
            }
        }
        // Keys written in the mapping itself win over merged ones.
        merged.retain(|(mk, _)| !own.iter().any(|(k, _)| k.as_str() == mk.as_str()));
        own.extend(merged);
        own
    }
}

/// A mapping's entries with repeated keys reported (the last one wins, in the place
/// of the first).
pub(super) fn drop_duplicates(
    entries: Vec<(Node, Node)>,
    issues: &mut Vec<ParseIssue>,
) -> Vec<(Node, Node)> {
    let key_text = |k: &Node| k.as_str().map(str::to_owned);
    let mut dup = false;
    if entries.len() < 16 {
        'outer: for (i, (a, _)) in entries.iter().enumerate() {
            for (b, _) in &entries[i + 1..] {
                if a.scalar().is_some() && key_text(a) == key_text(b) {
                    dup = true;
                    break 'outer;
                }
            }
        }
    } else {
        let mut seen = std::collections::HashSet::new();
        dup = entries
            .iter()
            .filter_map(|(k, _)| k.as_str())
            .any(|t| !seen.insert(t));
    }
    if !dup {
        return entries;
    }
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<(Node, Node)> = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        match key_text(&k) {
            Some(t) => {
                if let Some(&i) = first.get(&t) {
                    issues.push(ParseIssue {
                        kind: IssueKind::DuplicateKey,
                        message: format!("duplicate key `{t}`; the last one wins here, but kubectl and docker compose reject the file"),
                        span: k.span,
                        related: Some(out[i].0.span),
                    });
                    out[i] = (k, v);
                } else {
                    first.insert(t, out.len());
                    out.push((k, v));
                }
            }
            None => out.push((k, v)),
        }
    }
    out
}

fn scan_error(offsets: &Offsets, e: &ScanError) -> ParseIssue {
    // The character the error is at (none at the end of the text).
    let at = offsets.byte(e.marker().index());
    let next = offsets.byte(e.marker().index() + 1);
    ParseIssue {
        kind: IssueKind::Syntax,
        message: e.info().to_string(),
        span: Span::new(at, next),
        related: None,
    }
}

const UNDER_INDENTED_QUOTED: &str = "invalid indentation in quoted scalar";

/// The indentation errors the leniency below may repair: the quoted-scalar one, and
/// the two saphyr gives for a line of a flow collection that is not indented past
/// its block parent.
fn under_indented(issue: &ParseIssue) -> bool {
    issue.kind == IssueKind::Syntax
        && matches!(
            issue.message.as_str(),
            UNDER_INDENTED_QUOTED
                | "invalid indentation"
                | "invalid indentation in flow construct"
                | TAB_AFTER_COLON
        )
}

/// saphyr refuses a tab right after a mapping's `:` (`"instances":\t1`), which JSON
/// and YAML 1.2 take as white space; a space inserted before the tab reads the same.
const TAB_AFTER_COLON: &str = "':' must be followed by a valid YAML whitespace";

/// The place for a space before the tab after the `:` the error at `at` is about.
fn tab_after_colon(current: &str, at: usize) -> Vec<(usize, usize)> {
    let from = at.saturating_sub(2);
    let to = (at + 3).min(current.len());
    current.as_bytes()[from..to]
        .windows(2)
        .position(|w| w == b":\t")
        .map(|i| vec![(from + i + 1, 1)])
        .unwrap_or_default()
}

/// Parses every document of a YAML (or JSON) text.
///
/// One leniency, which libyaml, go-yaml (and so kubectl) and PyYAML share and saphyr
/// does not: the continuation lines of a multi-line quoted scalar, and the lines of
/// a multi-line flow collection (`args: [` … `]` with the closing bracket under its
/// key), need not be indented past their block parent. Such a text is read again
/// with those lines indented past it. Leading white space of a continuation line is
/// folded away inside quoted scalars and means nothing inside flow collections, so
/// the values are unchanged; spans are mapped back to the original text.
pub fn parse(text: &str) -> Parsed {
    let first = parse_strict(text);
    let Some(issue) = first.issues.iter().find(|i| under_indented(i)) else {
        return first;
    };
    let mut shifted = Shifted::default();
    let mut at = issue.span.start as usize;
    let mut tab = issue.message == TAB_AFTER_COLON;
    for _ in 0..MAX_REINDENTED_SCALARS {
        let current = shifted.apply(text);
        let starts = match current.as_bytes().get(at) {
            _ if tab => tab_after_colon(&current, at),
            Some(&quote @ (b'\'' | b'"')) => quoted_line_starts(&current, at, quote),
            Some(_) => flow_line_starts(&current, at),
            None => break,
        };
        // The line starts are offsets in `current`: place them in the original.
        let starts: Vec<(usize, usize)> = starts
            .into_iter()
            .map(|(pos, n)| (shifted.original(pos), n))
            .collect();
        if !shifted.add(&starts) {
            break;
        }
        let retry = parse_strict(&shifted.apply(text));
        match retry.issues.iter().find(|i| under_indented(i)) {
            Some(next) => {
                at = next.span.start as usize;
                tab = next.message == TAB_AFTER_COLON;
            }
            None => return shifted.map_back(retry),
        }
    }
    first
}

/// The line starts inside the quoted scalar that begins at `at`, each with the
/// spaces that indent it past the line the scalar starts on.
fn quoted_line_starts(current: &str, at: usize, quote: u8) -> Vec<(usize, usize)> {
    let end = closing_quote(current, at, quote).unwrap_or(current.len());
    let line_start = current[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = current[line_start..].len() - current[line_start..].trim_start_matches(' ').len();
    current.as_bytes()[at..end]
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .map(|(i, _)| (at + i + 1, indent + 1))
        .collect()
}

/// The line starts of the flow collection that encloses `at` (a line of it that is
/// not indented past the key that holds it), each with the spaces that indent it
/// one column past that key. Empty when `at` is not inside a flow collection, or
/// inside one that is never closed.
fn flow_line_starts(current: &str, at: usize) -> Vec<(usize, usize)> {
    let Some(open) = unclosed_bracket_before(current, at) else {
        return Vec::new();
    };
    let line_start = current[..open].rfind('\n').map_or(0, |i| i + 1);
    // The column of the key on the opener's line, past any `- ` of sequence items.
    let line = &current[line_start..open];
    let key = line.len() - line.trim_start_matches([' ', '-']).len();
    // A collection that is never closed is broken, not under-indented.
    let Some(close) = matching_bracket(current, open) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut pos = open;
    while let Some(nl) = current[pos..close.max(pos)].find('\n') {
        let start = pos + nl + 1;
        let rest = &current[start..];
        let indent = rest.len() - rest.trim_start_matches(' ').len();
        let blank = rest[indent..].starts_with(['\n', '\r', '#']) || rest.len() == indent;
        if !blank && indent <= key {
            out.push((start, key + 1 - indent));
        }
        pos = start;
    }
    out
}

/// The byte offsets of the flow brackets of one line (`[`, `]`, `{`, `}`) outside
/// quoted scalars and comments; a quote left open at the line's end ends there.
fn line_brackets(line: &str, base: usize, out: &mut Vec<(usize, u8)>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' if i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t' => break,
            q @ (b'"' | b'\'') => {
                i = closing_quote(line, i, q).unwrap_or(bytes.len());
            }
            b @ (b'[' | b']' | b'{' | b'}') => out.push((base + i, b)),
            _ => {}
        }
        i += 1;
    }
}

/// The innermost flow bracket opened before `at` and not closed before it, looking
/// back over as many lines as it takes.
fn unclosed_bracket_before(text: &str, at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut end = at;
    let mut brackets = Vec::new();
    loop {
        let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        brackets.clear();
        line_brackets(&text[start..end], start, &mut brackets);
        for &(pos, b) in brackets.iter().rev() {
            match b {
                b']' | b'}' => depth += 1,
                _ if depth == 0 => return Some(pos),
                _ => depth -= 1,
            }
        }
        if start == 0 {
            return None;
        }
        end = start - 1;
    }
}

/// The bracket that closes the one at `open`.
fn matching_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut start = open;
    let mut brackets = Vec::new();
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        brackets.clear();
        line_brackets(&text[start..end], start, &mut brackets);
        for &(pos, b) in &brackets {
            match b {
                b'[' | b'{' => depth += 1,
                _ if depth <= 1 => return Some(pos),
                _ => depth -= 1,
            }
        }
        start = end + 1;
    }
    None
}

/// How many under-indented quoted scalars one file may have re-read: each costs a
/// parse of the whole file, so the bound keeps the leniency linear in the size.
const MAX_REINDENTED_SCALARS: usize = 64;

/// A text with spaces inserted before some of its bytes.
#[derive(Default)]
struct Shifted {
    /// Offsets in the original text, strictly increasing, each with the number of
    /// spaces inserted before the byte there.
    inserts: Vec<(usize, usize)>,
    /// `ends[i]`: the spaces inserted up to and including `inserts[i]`.
    ends: Vec<usize>,
}

impl Shifted {
    /// Adds `count` spaces before each offset; false when there was none to add.
    fn add(&mut self, offsets: &[(usize, usize)]) -> bool {
        let mut changed = false;
        for &(at, count) in offsets.iter().filter(|(_, c)| *c > 0) {
            changed = true;
            match self.inserts.binary_search_by_key(&at, |&(o, _)| o) {
                Ok(i) => self.inserts[i].1 += count,
                Err(i) => self.inserts.insert(i, (at, count)),
            }
        }
        let mut total = 0;
        self.ends = self
            .inserts
            .iter()
            .map(|&(_, n)| {
                total += n;
                total
            })
            .collect();
        changed
    }

    /// The original text with the spaces inserted, in one pass.
    fn apply(&self, text: &str) -> String {
        let added = self.ends.last().copied().unwrap_or(0);
        let mut out = String::with_capacity(text.len() + added);
        let mut from = 0;
        for &(at, n) in &self.inserts {
            let at = at.min(text.len());
            out.push_str(&text[from..at]);
            out.extend(std::iter::repeat_n(' ', n));
            from = at;
        }
        out.push_str(&text[from..]);
        out
    }

    /// The original offset of an offset in the shifted text (an inserted space maps
    /// to the byte it was inserted before).
    fn original(&self, pos: usize) -> usize {
        // The original byte at `inserts[i].0` sits at `inserts[i].0 + ends[i]` in the
        // shifted text, right after its spaces: strictly increasing in `i`.
        let (mut lo, mut hi) = (0, self.inserts.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.inserts[mid].0 + self.ends[mid] <= pos {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let k = lo;
        let before = if k == 0 { 0 } else { self.ends[k - 1] };
        match self.inserts.get(k) {
            // Inside the spaces inserted before `inserts[k]`.
            Some(&(o, _)) if pos >= o + before => o,
            _ => pos.saturating_sub(before),
        }
    }

    /// Moves every span of a parse of the shifted text back onto the original.
    fn map_back(&self, mut parsed: Parsed) -> Parsed {
        let fix = |s: &mut Span| {
            s.start = self.original(s.start as usize) as u32;
            s.end = (self.original(s.end as usize) as u32).max(s.start);
        };
        let mut todo: Vec<&mut Node> = parsed.documents.iter_mut().collect();
        while let Some(n) = todo.pop() {
            fix(&mut n.span);
            match &mut n.value {
                Value::Scalar(_) => {}
                Value::Sequence(items) => todo.extend(items.iter_mut()),
                Value::Mapping(entries) => {
                    for (k, v) in entries.iter_mut() {
                        todo.push(k);
                        todo.push(v);
                    }
                }
            }
        }
        for i in &mut parsed.issues {
            fix(&mut i.span);
            if let Some(r) = &mut i.related {
                fix(r);
            }
        }
        parsed
    }
}

/// The offset of the quote that closes a quoted scalar starting at `start`.
fn closing_quote(text: &str, start: usize, quote: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn parse_strict(text: &str) -> Parsed {
    let offsets = Offsets::new(text);
    let mut b = Builder {
        offsets: &offsets,
        text: text.as_bytes(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        aliased: 0,
        out: Parsed::default(),
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, raw_span) = match next {
            Ok(e) => e,
            Err(e) => {
                let mut issue = scan_error(&offsets, &e);
                // Point at the innermost unclosed flow collection (`[`, `{`): it is
                // usually what the parser tripped over.
                issue.related = b.stack.iter().rev().find_map(|f| {
                    let start = match f {
                        Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
                    };
                    let opener = text.as_bytes().get(start.start as usize).copied();
                    matches!(opener, Some(b'[' | b'{'))
                        .then_some(Span::new(start.start as usize, start.start as usize + 1))
                });
                b.out.issues.push(issue);
                break;
            }
        };
        let span = b.offsets.span(&raw_span);
        b.nodes += 1;
        if b.nodes > MAX_NODES {
            b.fail(
                IssueKind::Budget,
                format!("the file has more than {MAX_NODES} nodes; not read further"),
                span,
            );
            break;
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
            Event::DocumentStart(_) => {
                b.stack.clear();
                b.anchors.clear();
            }
            Event::DocumentEnd => {}
            Event::Scalar(text, style, anchor, tag) => {
                let tagged_str = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let node = Node {
                    span,
                    value: Value::Scalar(Scalar {
                        text: text.as_ref().into(),
                        plain: style == ScalarStyle::Plain && !tagged_str,
                    }),
                };
                b.complete(node, anchor, 1);
            }
            Event::Alias(id) => {
                let Some((node, weight)) = b.anchors.get(&id).cloned() else {
                    b.fail(IssueKind::Syntax, "alias to an unknown anchor".into(), span);
                    break;
                };
                b.nodes += weight;
                b.aliased += weight;
                if excessive_aliasing(b.nodes, b.aliased) {
                    b.fail(
                        IssueKind::Budget,
                        format!(
                            "aliases make up {} of the file's {} nodes, more than a YAML loader such as kubectl's accepts (excessive aliasing); not read further",
                            b.aliased, b.nodes
                        ),
                        span,
                    );
                    break;
                }
                if b.nodes > MAX_NODES {
                    b.fail(
                        IssueKind::Budget,
                        format!(
                            "aliases expand to more than {MAX_NODES} nodes (an alias bomb?); not read further"
                        ),
                        span,
                    );
                    break;
                }
                b.complete(node, 0, weight);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if b.stack.len() >= MAX_DEPTH {
                    b.fail(
                        IssueKind::Budget,
                        format!("nesting deeper than {MAX_DEPTH} levels; not read further"),
                        span,
                    );
                    break;
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: span,
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        start: span,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                    }
                };
                b.stack.push(frame);
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                }) = b.stack.pop()
                {
                    let last = items.last().map_or(start.end, |n| n.span.end);
                    let end = if b.closes_flow(span, b']') {
                        span.end
                    } else {
                        last
                    };
                    let node = Node {
                        span: Span::new(start.start as usize, end.max(start.end) as usize),
                        value: Value::Sequence(items),
                    };
                    let weight = if anchor != 0 { count(&node) } else { 1 };
                    b.complete(node, anchor, weight);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    start,
                    anchor,
                    entries,
                    key,
                }) = b.stack.pop()
                {
                    let mut entries = entries;
                    if let Some(k) = key {
                        // A key without a value (`? key`) maps to null.
                        let null = Node {
                            span: Span::empty(k.span.end as usize),
                            value: Value::Scalar(Scalar {
                                text: "".into(),
                                plain: true,
                            }),
                        };
                        entries.push((k, null));
                    }
                    let node = b.finish_map(start, span, entries);
                    let weight = if anchor != 0 { count(&node) } else { 1 };
                    b.complete(node, anchor, weight);
                }
            }
        }
    }
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_byte_offsets() {
        let text = "a: é\nb: [1, 2]\n";
        let p = parse(text);
        assert!(p.issues.is_empty());
        let root = &p.documents[0];
        let b = root.get("b").unwrap();
        assert_eq!(&text[b.span.start as usize..b.span.end as usize], "[1, 2]");
        let a = root.get("a").unwrap();
        assert_eq!(&text[a.span.start as usize..a.span.end as usize], "é");
    }

    #[test]
    fn block_mapping_span_ends_at_last_value() {
        let text = "x:\n  a: 1\n  b: two\ny: 3\n";
        let p = parse(text);
        let x = p.documents[0].get("x").unwrap();
        assert_eq!(
            &text[x.span.start as usize..x.span.end as usize],
            "a: 1\n  b: two"
        );
    }

    #[test]
    fn merge_keys_fill_missing_keys_only() {
        let text = "base: &b {image: a, restart: always}\nsvc:\n  <<: *b\n  image: c\n";
        let p = parse(text);
        let svc = p.documents[0].get("svc").unwrap();
        assert_eq!(svc.get("image").and_then(Node::as_str), Some("c"));
        assert_eq!(svc.get("restart").and_then(Node::as_str), Some("always"));
        assert!(svc.get("<<").is_none());
    }

    #[test]
    fn duplicate_keys_are_reported_and_last_wins() {
        let p = parse("a: 1\nb: 2\na: 3\n");
        assert_eq!(p.issues.len(), 1);
        assert_eq!(p.issues[0].kind, IssueKind::DuplicateKey);
        assert!(!p.is_fatal());
        assert_eq!(p.documents[0].get("a").and_then(Node::as_i64), Some(3));
    }

    #[test]
    fn alias_bomb_stops_at_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = format!("*a{}", i - 1);
            let items = [prev.as_str(); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        let p = parse(&text);
        assert!(p.is_fatal());
        assert_eq!(p.issues[0].kind, IssueKind::Budget);
    }

    #[test]
    fn chained_merges_stop_at_the_aliasing_ratio() {
        // Each mapping merges the previous one: the document written is linear in
        // its length, the document meant is quadratic.
        let mut text = String::from("c0: &c0 {k0: v}\n");
        for i in 1..3000 {
            text.push_str(&format!("c{i}: &c{i}\n  <<: *c{}\n  k{i}: v\n", i - 1));
        }
        let p = parse(&text);
        assert!(p.is_fatal());
        assert_eq!(p.issues[0].kind, IssueKind::Budget);
        assert!(p.issues[0].message.contains("excessive aliasing"));
        // Anchors reused a few times each are what Compose files do: fine.
        let mut text = String::from("x: &d {a: 1, b: 2, c: 3, d: 4}\nservices:\n");
        for i in 0..2000 {
            text.push_str(&format!("  s{i}:\n    <<: *d\n    image: x\n"));
        }
        assert!(!parse(&text).is_fatal());
        assert!(!excessive_aliasing(1000, 990));
        assert!(excessive_aliasing(10_000, 9_950));
        assert!(!excessive_aliasing(2_200_000, 1_000_000));
        assert!(excessive_aliasing(2_200_000, 1_300_000));
    }

    #[test]
    fn deep_nesting_stops_at_budget() {
        // Flow nesting: saphyr's own limit answers first.
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let p = parse(&text);
        assert!(p.is_fatal());
        assert!(
            p.issues[0].message.contains("recursion limit"),
            "{:?}",
            p.issues
        );
        // Block nesting: our depth budget.
        let mut text = String::new();
        for i in 0..10_000 {
            text.push_str(&" ".repeat(i));
            text.push_str("k:\n");
        }
        let p = parse(&text);
        assert_eq!(p.issues[0].kind, IssueKind::Budget);
        assert!(p.issues[0].message.contains("nesting"));
    }

    #[test]
    fn under_indented_quoted_scalars_are_read_with_spans_of_the_original() {
        let text = "a:\n  b: '[\n    x,\n  ]'\n  c: 1\n";
        let p = parse(text);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let b = p.documents[0].at(&["a", "b"]).unwrap();
        assert_eq!(b.as_str(), Some("[ x, ]"));
        let c = p.documents[0].at(&["a", "c"]).unwrap();
        assert_eq!(&text[c.span.start as usize..c.span.end as usize], "1");
    }

    #[test]
    fn several_under_indented_scalars_keep_exact_spans() {
        let text = "a:\n  b: \"one\ntwo \\\"q\\\" é\n  \"\n  c: 'x\ny'\n  d: \"z\nw\"\n  e: last\n";
        let p = parse(text);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let doc = &p.documents[0];
        let piece = |k: &str| {
            let n = doc.at(&["a", k]).unwrap();
            &text[n.span.start as usize..n.span.end as usize]
        };
        assert_eq!(
            doc.at(&["a", "b"]).and_then(Node::as_str),
            Some("one two \"q\" é ")
        );
        assert_eq!(piece("b"), "\"one\ntwo \\\"q\\\" é\n  \"");
        assert_eq!(piece("c"), "'x\ny'");
        assert_eq!(piece("d"), "\"z\nw\"");
        assert_eq!(piece("e"), "last");
    }

    #[test]
    fn every_span_of_multi_line_quoted_scalars_stays_in_the_text() {
        // Variants of multi-line quoted scalars, indented or not, with escapes,
        // multi-byte characters and trailing spaces: spans never leave the text
        // and never split a character.
        let parts = ["x", "\\\"", "é", "\\n", " ", "\\", "''", "😀"];
        for (i, a) in parts.iter().enumerate() {
            for b in &parts {
                for indent in ["", " ", "   "] {
                    for quote in ['"', '\''] {
                        if quote == '\'' && (a.contains('\\') || b.contains('\\')) {
                            continue;
                        }
                        let text =
                            format!("k{i}:\n  v: {quote}{a}\n{indent}{b}\n{quote}\n  w: 1\n");
                        let p = parse(&text);
                        let mut todo: Vec<&Node> = p.documents.iter().collect();
                        while let Some(n) = todo.pop() {
                            let (s, e) = (n.span.start as usize, n.span.end as usize);
                            assert!(s <= e && e <= text.len(), "{text:?} {s}..{e}");
                            assert!(
                                text.is_char_boundary(s) && text.is_char_boundary(e),
                                "{text:?}"
                            );
                            match &n.value {
                                Value::Scalar(_) => {}
                                Value::Sequence(items) => todo.extend(items),
                                Value::Mapping(entries) => {
                                    for (k, v) in entries {
                                        todo.push(k);
                                        todo.push(v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn flow_collections_closed_under_their_key_are_read_with_spans_of_the_original() {
        // istio's spire-quickstart style: the closing bracket under the key, items
        // under-indented too, one inside a sequence item.
        let text = "spec:\n  containers:\n    - args: [\n        \"a\",\n        \"b, ]\",\n      ]\n      env: {\n    k: v,\n    }\n      name: c\n";
        let p = parse(text);
        assert!(p.issues.is_empty(), "{:?}", p.issues);
        let c = p.documents[0].at(&["spec", "containers"]).unwrap();
        let Value::Sequence(items) = &c.value else {
            panic!("{c:?}")
        };
        let piece = |n: &Node| &text[n.span.start as usize..n.span.end as usize];
        let args = items[0].get("args").unwrap();
        let Value::Sequence(args_items) = &args.value else {
            panic!("{args:?}")
        };
        let got: Vec<&str> = args_items.iter().filter_map(Node::as_str).collect();
        assert_eq!(got, ["a", "b, ]"]);
        assert_eq!(piece(&args_items[1]), "\"b, ]\"");
        assert!(piece(args).starts_with('[') && piece(args).ends_with(']'));
        let k = items[0].at(&["env", "k"]).unwrap();
        assert_eq!(k.as_str(), Some("v"));
        assert_eq!(piece(k), "v");
        assert_eq!(piece(items[0].get("name").unwrap()), "c");
        // The same text with the closing bracket indented needs no second look.
        assert!(parse("a:\n  b: [\n    1,\n    ]\n").issues.is_empty());
    }

    #[test]
    fn block_indentation_errors_stay_errors() {
        // Not a flow collection: nothing to re-indent, the error is kept.
        let p = parse("a:\n    b: 1\n  c: 2\n");
        assert!(p.is_fatal(), "{:?}", p.documents);
        let p = parse("a: [1, 2\nb: 3\n");
        assert!(p.is_fatal());
    }

    #[test]
    fn shifted_offsets_map_back_to_the_original() {
        let mut s = Shifted::default();
        assert!(s.add(&[(3, 1), (7, 1)]));
        assert!(!s.add(&[(7, 0)]));
        assert!(s.add(&[(7, 1)]));
        let text = "abcdefghij";
        let shifted = s.apply(text);
        assert_eq!(shifted, "abc defg  hij");
        for (pos, ch) in shifted.char_indices() {
            let orig = s.original(pos);
            if ch != ' ' {
                assert_eq!(text.as_bytes()[orig] as char, ch);
            }
        }
        assert_eq!(s.original(3), 3);
        assert_eq!(s.original(8), 7);
        assert_eq!(s.original(9), 7);
        assert_eq!(s.original(10), 7);
        assert_eq!(s.original(shifted.len()), text.len());
    }

    #[test]
    fn syntax_errors_point_back_at_the_unclosed_bracket() {
        let text = "a:\n  b: [1, 2\nc: 3\n";
        let p = parse(text);
        let issue = &p.issues[0];
        assert_eq!(issue.kind, IssueKind::Syntax);
        assert_eq!(issue.related, Some(Span::new(8, 9)));
    }

    #[test]
    fn multi_document_keeps_documents_before_an_error() {
        let p = parse("a: 1\n---\nb: 2\n---\nc: [\n");
        assert_eq!(p.documents.len(), 2);
        assert!(p.is_fatal());
    }
}
