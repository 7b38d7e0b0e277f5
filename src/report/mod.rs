//! Output formats: each its own module over the same diagnostics.

pub mod concise;
mod excerpt;
pub mod github;
pub(crate) mod gitlab;
pub(crate) mod human;
pub mod json;
pub(crate) mod junit;
mod pretty;
pub mod sarif;
mod spool;
#[cfg(test)]
pub(crate) use spool::set_memory_limit;
pub mod statistics;

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::project::SpecFile;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source excerpts with the span underlined and a help line (default on a terminal).
    Human,
    /// `path:line:col: severity [family/name] message`, one per line.
    Concise,
    /// A stable JSON document (see README, "JSON output").
    Json,
    /// SARIF 2.1.0 for code-scanning services (see docs/ci.md).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML: one test case per file, a failure per finding.
    Junit,
}

impl OutputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Human => "human",
            OutputFormat::Concise => "concise",
            OutputFormat::Json => "json",
            OutputFormat::Sarif => "sarif",
            OutputFormat::Github => "github",
            OutputFormat::Gitlab => "gitlab",
            OutputFormat::Junit => "junit",
        }
    }

    pub const ALL: &'static [OutputFormat] = &[
        OutputFormat::Human,
        OutputFormat::Concise,
        OutputFormat::Json,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Gitlab,
        OutputFormat::Junit,
    ];
}

/// One `--format X[=PATH]`: a format and where it goes (stdout without a path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FormatSpec {
    pub(crate) format: OutputFormat,
    /// The file to write; `None` (or `-`) is stdout.
    pub(crate) path: Option<std::path::PathBuf>,
}

impl std::str::FromStr for FormatSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (name, path) = match s.split_once('=') {
            Some((n, p)) => (n, Some(p)),
            None => (s, None),
        };
        let format = OutputFormat::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown format `{name}`; expected one of {} (optionally `=PATH`)",
                    names.join(", ")
                )
            })?;
        let path = match path {
            None | Some("-") => None,
            Some("") => return Err(format!("`{s}`: the path after `=` is empty")),
            Some(p) => Some(std::path::PathBuf::from(p)),
        };
        Ok(FormatSpec { format, path })
    }
}

/// The key path and occurrence number (0 for the first finding of a rule at a
/// path of a file, 1 for the second...) of each diagnostic, in order: the identity
/// baselines and fingerprints use, which does not change when lines move.
pub(crate) fn identities(files: &[SpecFile], diags: &[Diagnostic]) -> Vec<(String, u32)> {
    let mut occurrences = Occurrences::default();
    diags
        .iter()
        .map(|d| {
            let file = &files[d.file.0 as usize];
            let path = crate::keypath::of(d, &file.docs);
            let occurrence = occurrences.next(&d.code(), &file.display, &path);
            (path, occurrence)
        })
        .collect()
}

/// Occurrence numbers counted as findings come: how many findings of the rule at
/// the key path of the file came before. Keyed by a 128-bit hash of the three, so
/// that a report streamed over many findings keeps a few bytes per identity.
#[derive(Default)]
pub(crate) struct Occurrences {
    seen: HashMap<u128, u32>,
}

impl Occurrences {
    pub(crate) fn next(&mut self, code: &str, file: &str, key_path: &str) -> u32 {
        let mut h = xxhash_rust::xxh3::Xxh3Default::new();
        for part in [code, file, key_path] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        let n = self.seen.entry(h.digest128()).or_insert(0);
        let occurrence = *n;
        *n += 1;
        occurrence
    }
}

/// A stable fingerprint of a finding: rule, file, key path and occurrence, hashed.
pub(crate) fn fingerprint(d: &Diagnostic, file: &str, key_path: &str, occurrence: u32) -> String {
    let occurrence = occurrence.to_string();
    format!(
        "{:016x}",
        crate::keypath::stable_hash(&[&d.code(), &file.replace('\\', "/"), key_path, &occurrence])
    )
}

/// A sentence for formats that want one: capitalised, ending with a full stop.
pub(crate) fn sentence(s: &str) -> String {
    let s = s.trim_end();
    let mut c = s.chars();
    let mut out = match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// Writes the diagnostics in one format; JSON and SARIF add the suppressed
/// findings, the other formats leave them out.
pub(crate) fn write_with_suppressed(
    format: OutputFormat,
    out: &mut dyn std::io::Write,
    files: &[SpecFile],
    diags: &[Diagnostic],
    suppressed: &[crate::suppress::Suppressed],
    color: bool,
) -> std::io::Result<()> {
    let mut s = Stream::new(format, color)?;
    s.chunk(files, diags, suppressed)?;
    s.finish(out)
}

/// Writes the diagnostics in one format.
pub fn write(
    format: OutputFormat,
    out: &mut dyn std::io::Write,
    files: &[SpecFile],
    diags: &[Diagnostic],
    color: bool,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => json::write(out, files, diags),
        OutputFormat::Sarif => sarif::write(out, files, diags),
        _ => write_with_suppressed(format, out, files, diags, &[], color),
    }
}

/// A report written chunk by chunk: each chunk brings its own files (its
/// findings' `FileId`s index them) and its findings sorted, the chunks come in
/// the report's order (by file as shown), and `finish` writes the document —
/// byte for byte the report of all the chunks' findings at once. What a
/// chunk's findings render to waits in a spool (a temporary file past a
/// megabyte) until then, so the report's head can give totals and nothing is
/// written to the output before the scan is known to be complete.
pub(crate) struct Stream {
    kind: Kind,
    counts: Counts,
}

enum Kind {
    Json(json::Stream),
    Sarif(sarif::Stream),
    Human(Box<human::Stream>),
    /// Concise and GitHub: lines as they come (concise adds the summary).
    Lines(OutputFormat, spool::Spool),
    Gitlab(gitlab::Stream),
    Junit(junit::Stream),
}

impl Stream {
    /// A stream of one format (SARIF's `%SRCROOT%` is the working directory).
    pub(crate) fn new(format: OutputFormat, color: bool) -> std::io::Result<Stream> {
        let kind = match format {
            OutputFormat::Json => Kind::Json(json::Stream::new()),
            OutputFormat::Sarif => Kind::Sarif(sarif::Stream::new(std::env::current_dir()?)),
            OutputFormat::Human => Kind::Human(Box::new(human::Stream::new(color))),
            OutputFormat::Concise | OutputFormat::Github => {
                Kind::Lines(format, spool::Spool::new())
            }
            OutputFormat::Gitlab => Kind::Gitlab(gitlab::Stream::new()),
            OutputFormat::Junit => Kind::Junit(junit::Stream::new()),
        };
        Ok(Stream {
            kind,
            counts: Counts::default(),
        })
    }

    /// Adds a chunk's findings (sorted), its suppressed findings (sorted) and
    /// its files.
    pub(crate) fn chunk(
        &mut self,
        files: &[SpecFile],
        diags: &[Diagnostic],
        suppressed: &[crate::suppress::Suppressed],
    ) -> std::io::Result<()> {
        self.counts.add(diags);
        match &mut self.kind {
            Kind::Json(s) => s.chunk(files, diags, suppressed),
            Kind::Sarif(s) => s.chunk(files, diags, suppressed),
            Kind::Human(s) => s.chunk(files, diags),
            Kind::Lines(OutputFormat::Github, body) => github::write(body, files, diags),
            Kind::Lines(_, body) => concise::write(body, files, diags),
            Kind::Gitlab(s) => s.chunk(files, diags),
            Kind::Junit(s) => s.chunk(files, diags),
        }
    }

    /// Writes the whole report.
    pub(crate) fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match self.kind {
            Kind::Json(s) => s.finish(out),
            Kind::Sarif(s) => s.finish(out),
            Kind::Human(s) => s.finish(out, &self.counts),
            Kind::Lines(OutputFormat::Github, body) => body.copy_to(out),
            Kind::Lines(_, body) => {
                body.copy_to(out)?;
                writeln!(out, "{}", summary_of(&self.counts))
            }
            Kind::Gitlab(s) => s.finish(out),
            Kind::Junit(s) => s.finish(out),
        }
    }
}

pub(crate) use crate::project::Locator;

/// Appends a finding's help and related places as plain-text lines
/// (`help: ...`, `message: file:line:col`), for formats that carry one text body.
pub(crate) fn push_help_and_related(text: &mut String, d: &Diagnostic, loc: &mut Locator<'_>) {
    if let Some(h) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    for r in &d.related {
        let lc = loc.line_col(r.file, r.span.start);
        text.push_str(&format!(
            "\n{}: {}:{}:{}",
            r.message,
            loc.file(r.file).display,
            lc.line,
            lc.column
        ));
    }
}

/// Counts per severity, added up chunk by chunk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) infos: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, diags: &[Diagnostic]) {
        use crate::diagnostic::Severity::*;
        for d in diags {
            match d.severity {
                Error => self.errors += 1,
                Warning => self.warnings += 1,
                Info => self.infos += 1,
            }
        }
    }

    pub(crate) fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// The line that ends the human and concise reports: `No findings.`, or
/// `Found 3 findings (1 error, 2 warnings, 0 info).`
pub(crate) fn summary_of(c: &Counts) -> String {
    let (n, e, w, i) = (c.total(), c.errors, c.warnings, c.infos);
    if n == 0 {
        return "No findings.".into();
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "Found {n} finding{} ({e} error{}, {w} warning{}, {i} info).",
        s(n),
        s(e),
        s(w),
    )
}
