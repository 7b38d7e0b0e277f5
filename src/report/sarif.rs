//! SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps,
//! IDE viewers).
//!
//! - One run; the tool driver names orchlint with its version and lists the rules
//!   that have results (id `family/name`, as every other format prints it), each
//!   with short and full descriptions, help (text and Markdown: the same page as
//!   `orchlint rule NAME`) and `helpUri` = [`DOCS_BASE`] + name.
//! - Regions give start and end line and column. Columns count UTF-16 code units,
//!   SARIF's default, and the run says so with `columnKind`.
//! - Files below the working directory get relative URIs with the `uriBaseId`
//!   `%SRCROOT%`, which `originalUriBaseIds` maps to the working directory; others
//!   get absolute `file://` URIs.
//! - `partialFingerprints["orchlintKey/v1"]` hashes rule, file and the finding's
//!   key path (see `crate::keypath`), so the same finding keeps its fingerprint
//!   when unrelated edits move it to another line.
//! - Findings a suppression silenced are results too, with `suppressions:
//!   [{"kind": "inSource", "justification": ...}]` (the justification is the reason
//!   written after ` -- `, left out when none is): code-scanning services then show
//!   them as dismissed instead of open.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use super::spool::Spool;
use super::{Locator, Occurrences, fingerprint, pretty, sentence};
use crate::diagnostic::{Diagnostic, Severity};
use crate::diagnostic::{Family, RuleMeta};
use crate::project::SpecFile;
use crate::suppress::Suppressed;

/// Where each rule's documentation lives: `https://orchlint.dev/rules/<name>`.
pub(crate) const DOCS_BASE: &str = "https://orchlint.dev/rules/";
/// The SARIF 2.1.0 schema (OASIS errata 01, the final version).
pub(crate) const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The name of the partial fingerprint orchlint computes.
pub(crate) const FINGERPRINT_KEY: &str = "orchlintKey/v1";
const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `latest-image-tag` → `LatestImageTag` (SARIF's convention for rule names).
fn pascal(name: &str) -> String {
    name.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Percent-encodes a path for a URI, keeping `/` and the unreserved characters.
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/path/` for a directory.
fn dir_uri(root: &Path) -> String {
    let mut s = root.to_string_lossy().replace('\\', "/");
    if !s.starts_with('/') {
        // A Windows drive path: file:///C:/...
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{}", encode_path(&s))
}

fn rule_descriptor(m: &RuleMeta) -> Value {
    let mut properties = json!({
        "tags": std::iter::once(m.family.as_str())
            .chain(m.formats.iter().map(|f| f.as_str()))
            .collect::<Vec<_>>(),
    });
    if m.family == Family::Security {
        // GitHub ranks security alerts by this score (0-10).
        let score = match m.severity {
            Severity::Error => "8.0",
            Severity::Warning => "5.0",
            Severity::Info => "2.0",
        };
        properties["security-severity"] = json!(score);
    }
    json!({
        "id": m.code(),
        "name": pascal(m.name),
        "shortDescription": { "text": sentence(m.summary) },
        "fullDescription": { "text": sentence(m.what) },
        "help": {
            "text": format!("{}\n\n{}", sentence(m.what), sentence(m.why)),
            "markdown": crate::docs::markdown(m),
        },
        "helpUri": format!("{DOCS_BASE}{}", m.name),
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": properties,
    })
}

/// Writes SARIF with `%SRCROOT%` set to the working directory.
pub(crate) fn write(
    out: &mut dyn Write,
    files: &[SpecFile],
    diags: &[Diagnostic],
) -> std::io::Result<()> {
    let root = std::env::current_dir()?;
    write_with_root(out, files, diags, &root)
}

/// Writes SARIF with `%SRCROOT%` set to `root` (an absolute directory).
pub fn write_with_root(
    out: &mut dyn Write,
    files: &[SpecFile],
    diags: &[Diagnostic],
    root: &Path,
) -> std::io::Result<()> {
    write_all(out, files, diags, &[], root)
}

/// Writes the whole document (the layout and sorted key order of
/// `serde_json::to_writer_pretty`): one chunk of the stream.
fn write_all(
    out: &mut dyn Write,
    files: &[SpecFile],
    diags: &[Diagnostic],
    suppressed: &[Suppressed],
    root: &Path,
) -> std::io::Result<()> {
    let mut s = Stream::new(root.to_path_buf());
    s.chunk(files, diags, suppressed)?;
    s.finish(out)
}

/// The indentation and key of a result's `ruleIndex` line: results are
/// spooled with a provisional index (the order of each rule's first result)
/// and given the final one (its place among the rules with results, sorted by
/// code) when the spool is copied out. A JSON string never holds a raw
/// newline, so a line that starts so is that key.
const RULE_INDEX_LINE: &[u8] = b"          \"ruleIndex\": ";

/// The document written chunk by chunk. `results` comes before `tool`, whose
/// rule list is known only at the end; results wait in spools meanwhile, those
/// of suppressed findings apart (they follow the others).
pub(crate) struct Stream {
    root: std::path::PathBuf,
    /// Each rule with results, in the order of its first result.
    provisional: Vec<&'static RuleMeta>,
    seen: std::collections::HashMap<String, usize>,
    results: pretty::Array,
    body: Spool,
    suppressed: pretty::Array,
    tail: Spool,
}

impl Stream {
    pub(crate) fn new(root: std::path::PathBuf) -> Stream {
        Stream {
            root,
            provisional: Vec::new(),
            seen: std::collections::HashMap::new(),
            results: pretty::Array::new(3),
            body: Spool::new(),
            suppressed: pretty::Array::new(3),
            tail: Spool::new(),
        }
    }

    /// The provisional index of a finding's rule.
    fn index_of(&mut self, d: &Diagnostic, code: &str) -> usize {
        let next = self.provisional.len();
        if let Some(i) = self.seen.get(code) {
            return *i;
        }
        let i = *self.seen.entry(code.to_string()).or_insert(next);
        if i == next {
            self.provisional.push(d.rule);
        }
        i
    }

    /// A chunk's results: its findings, then its suppressed findings, whose
    /// occurrence numbers continue its findings' (a file lies in one chunk).
    pub(crate) fn chunk(
        &mut self,
        files: &[SpecFile],
        diags: &[Diagnostic],
        suppressed: &[Suppressed],
    ) -> std::io::Result<()> {
        let mut occurrences = Occurrences::default();
        let mut loc = Locator::new(files);
        let all = diags
            .iter()
            .map(|d| (d, None))
            .chain(suppressed.iter().map(|s| (&s.diagnostic, Some(s))));
        for (d, suppression) in all {
            let file = loc.file(d.file);
            let path = crate::keypath::of(d, &file.docs);
            let code = d.code();
            let occurrence = occurrences.next(&code, &file.display, &path);
            let index = self.index_of(d, &code);
            let result = result(&mut loc, d, &code, index, &path, occurrence, suppression);
            match suppression {
                Some(_) => self.suppressed.item(&mut self.tail, &result)?,
                None => self.results.item(&mut self.body, &result)?,
            }
        }
        self.results.flush(&mut self.body)?;
        self.suppressed.flush(&mut self.tail)
    }

    pub(crate) fn finish(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        // The rules with results, sorted by code; results point at them by index.
        let mut metas: BTreeMap<String, (usize, &RuleMeta)> = BTreeMap::new();
        for (i, m) in self.provisional.iter().enumerate() {
            metas.entry(m.code()).or_insert((i, m));
        }
        let mut final_index = vec![0; self.provisional.len()];
        for (k, (i, _)) in metas.values().enumerate() {
            final_index[*i] = k;
        }

        out.write_all(b"{\n")?;
        pretty::key(out, "$schema", 1)?;
        serde_json::to_writer(&mut *out, SCHEMA).map_err(std::io::Error::other)?;
        out.write_all(b",\n")?;
        pretty::key(out, "runs", 1)?;
        out.write_all(b"[\n")?;
        pretty::indent(out, 2)?;
        out.write_all(b"{\n")?;
        pretty::key(out, "columnKind", 3)?;
        out.write_all(b"\"utf16CodeUnits\",\n")?;
        pretty::key(out, "originalUriBaseIds", 3)?;
        let bases = json!({ SRCROOT: { "uri": dir_uri(&self.root) } });
        let mut scratch = Vec::new();
        pretty::value_at(out, &mut scratch, &bases, 3)?;
        out.write_all(b",\n")?;

        pretty::key(out, "results", 3)?;
        out.write_all(b"[")?;
        let both = self.results.items() > 0 && self.suppressed.items() > 0;
        copy_indexed(self.body, out, &final_index)?;
        if both {
            out.write_all(b",")?;
        }
        copy_indexed(self.tail, out, &final_index)?;
        self.results.extend_count(&self.suppressed);
        self.results.close(out)?;
        out.write_all(b",\n")?;

        let rules: Vec<Value> = metas.values().map(|(_, m)| rule_descriptor(m)).collect();
        let tool = json!({
            "driver": {
                "name": "orchlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://orchlint.dev",
                "rules": rules,
            }
        });
        pretty::key(out, "tool", 3)?;
        pretty::value_at(out, &mut scratch, &tool, 3)?;
        out.write_all(b"\n")?;
        pretty::indent(out, 2)?;
        out.write_all(b"}\n")?;
        pretty::indent(out, 1)?;
        out.write_all(b"],\n")?;
        pretty::key(out, "version", 1)?;
        out.write_all(b"\"2.1.0\"\n}\n")
    }
}

/// Copies spooled results, each `ruleIndex` line given its final index.
fn copy_indexed(spool: Spool, out: &mut dyn Write, final_index: &[usize]) -> std::io::Result<()> {
    let mut r = spool.reader()?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        let Some(rest) = line.strip_prefix(RULE_INDEX_LINE) else {
            out.write_all(&line)?;
            continue;
        };
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let provisional: Option<usize> = std::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|s| s.parse().ok());
        match provisional.and_then(|p| final_index.get(p)) {
            Some(i) => {
                out.write_all(RULE_INDEX_LINE)?;
                write!(out, "{i}")?;
                out.write_all(&rest[digits..])?;
            }
            None => out.write_all(&line)?,
        }
    }
}

// A result laid out from structs whose fields come in the sorted order a
// `serde_json::Value` object has, so the bytes are those of the `json!`
// document the format is described by, without building its maps.

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
    #[serde(rename = "uriBaseId", skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: u32,
    end_line: u32,
    start_column: u32,
    start_line: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

/// `{FINGERPRINT_KEY: key}`.
struct Fingerprints {
    key: String,
}

impl Serialize for Fingerprints {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(FINGERPRINT_KEY, &self.key)?;
        map.end()
    }
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
    kind: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultOut<'a> {
    level: &'static str,
    locations: [Location; 1],
    message: OwnedText,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedOwned>,
    rule_id: &'a str,
    rule_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SuppressionOut<'a>; 1]>,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedOwned {
    id: usize,
    message: OwnedText,
    physical_location: PhysicalLocation,
}

fn artifact(display: &str) -> ArtifactLocation {
    let p = display.replace('\\', "/");
    if Path::new(display).is_absolute() || p.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode_path(&p)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode_path(&p),
            uri_base_id: Some(SRCROOT),
        }
    }
}

fn region_of(loc: &mut Locator, file: crate::source::FileId, span: crate::source::Span) -> Region {
    let start = loc.line_col_utf16(file, span.start);
    let end = loc.line_col_utf16(file, span.end);
    Region {
        end_column: end.column,
        end_line: end.line,
        start_column: start.column,
        start_line: start.line,
    }
}

/// One finding as a SARIF result.
fn result<'a>(
    loc: &mut Locator,
    d: &Diagnostic,
    code: &'a str,
    index: usize,
    key_path: &str,
    occurrence: u32,
    suppression: Option<&'a Suppressed>,
) -> ResultOut<'a> {
    let file = loc.file(d.file);
    let mut text = sentence(&d.message);
    if let Some(h) = &d.help {
        text.push(' ');
        text.push_str(&sentence(h));
    }
    let related_locations = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let rfile = loc.file(r.file);
            RelatedOwned {
                id: i + 1,
                message: OwnedText {
                    text: sentence(&r.message),
                },
                physical_location: PhysicalLocation {
                    artifact_location: artifact(&rfile.display),
                    region: region_of(loc, r.file, r.span),
                },
            }
        })
        .collect();
    ResultOut {
        level: level(d.severity),
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: artifact(&file.display),
                region: region_of(loc, d.file, d.span),
            },
        }],
        message: OwnedText { text },
        partial_fingerprints: Fingerprints {
            key: fingerprint(d, &file.display, key_path, occurrence),
        },
        related_locations,
        rule_id: code,
        rule_index: index,
        suppressions: suppression.map(|s| {
            [SuppressionOut {
                justification: s.justification.as_deref(),
                kind: s.kind.as_str(),
            }]
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("latest-image-tag"), "LatestImageTag");
        assert_eq!(encode_path("a b/ü%.yaml"), "a%20b/%C3%BC%25.yaml");
        assert_eq!(dir_uri(Path::new("/src/my repo")), "file:///src/my%20repo/");
        let artifact_location = |d: &str| serde_json::to_value(artifact(d)).expect("serializes");
        assert_eq!(
            artifact_location("k8s/app.yaml"),
            json!({"uri": "k8s/app.yaml", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/etc/app.yaml"),
            json!({"uri": "file:///etc/app.yaml"})
        );
    }
}
