//! GitLab Code Quality JSON (the Code Climate issue subset GitLab reads): an array
//! of `{description, check_name, fingerprint, severity, location: {path, lines:
//! {begin, end}}}`, shown in merge requests and pipelines.
//!
//! Severity: info → `info`, warning → `minor`, error → `major`; an error of the
//! `security` family → `critical`; an error of the `syntax` or `scan` family (a
//! file nothing can deploy from) → `blocker`. The fingerprint is the one SARIF
//! uses (rule, file, key path), so it survives edits that move lines.

use std::io::Write;

use serde::Serialize;

use super::spool::Spool;
use super::{Locator, fingerprint, identities, pretty};
use crate::diagnostic::{Diagnostic, Severity};
use crate::project::SpecFile;

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Issue {
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    categories: [&'static str; 1],
    location: Location,
}

/// GitLab's severity for a finding.
pub(crate) fn severity(d: &Diagnostic) -> &'static str {
    match (d.severity, d.rule.family.as_str()) {
        (Severity::Info, _) => "info",
        (Severity::Warning, _) => "minor",
        (Severity::Error, "security") => "critical",
        (Severity::Error, "syntax" | "scan") => "blocker",
        (Severity::Error, _) => "major",
    }
}

/// The Code Climate category of a rule family.
fn category(family: &str) -> &'static str {
    match family {
        "security" => "Security",
        "best-practice" => "Style",
        "suppression" => "Clarity",
        _ => "Bug Risk",
    }
}

/// The array written chunk by chunk (occurrence numbers count within a file,
/// and a file lies in one chunk).
pub(crate) struct Stream {
    issues: pretty::Array,
    body: Spool,
}

impl Stream {
    pub(crate) fn new() -> Stream {
        Stream {
            issues: pretty::Array::new(0),
            body: Spool::new(),
        }
    }

    pub(crate) fn chunk(
        &mut self,
        files: &[SpecFile],
        diags: &[Diagnostic],
    ) -> std::io::Result<()> {
        let ids = identities(files, diags);
        let mut loc = Locator::new(files);
        for (d, (path, occurrence)) in diags.iter().zip(&ids) {
            let (start, end) = loc.start_end(d.loc());
            let file = loc.file(d.file).display.replace('\\', "/");
            let mut description = d.message.clone();
            if let Some(h) = &d.help {
                description.push_str(" (help: ");
                description.push_str(h);
                description.push(')');
            }
            let issue = Issue {
                kind: "issue",
                description,
                check_name: d.code(),
                fingerprint: fingerprint(d, &file, path, *occurrence),
                severity: severity(d),
                categories: [category(d.rule.family.as_str())],
                location: Location {
                    path: file,
                    lines: Lines {
                        begin: start.line,
                        end: end.line,
                    },
                },
            };
            self.issues.item(&mut self.body, &issue)?;
        }
        self.issues.flush(&mut self.body)
    }

    pub(crate) fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(b"[")?;
        self.body.copy_to(out)?;
        self.issues.close(out)?;
        writeln!(out)
    }
}
