//! JUnit XML for CI test reporters (GitLab, Jenkins, Azure Pipelines, the
//! test-reporter actions): one `<testsuite name="orchlint">`, one `<testcase>` per
//! linted file (named by its path, so a clean file shows as a passed test), and a
//! `<failure>` per finding whose `message` is `line:column: [rule] message` and
//! whose text is the concise line plus help and related places.
//!
//! Text is escaped for XML 1.0: `& < > " '` become entities, CR, LF and tab in
//! attributes become character references (so they survive attribute-value
//! normalisation), and characters XML 1.0 cannot carry at all (other C0 controls,
//! U+FFFE/U+FFFF) become U+FFFD.

use std::io::Write;

use super::Locator;
use super::spool::Spool;
use crate::diagnostic::Diagnostic;
use crate::project::SpecFile;

fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text content.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // A CR in text would be read back as LF.
            '\r' => out.push_str("&#13;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value (for double or single quotes).
pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The report written chunk by chunk: a chunk's test cases as they come, the
/// suite's head (which counts them) once all are known.
pub(crate) struct Stream {
    tests: usize,
    failed: usize,
    body: Spool,
}

impl Stream {
    pub(crate) fn new() -> Stream {
        Stream {
            tests: 0,
            failed: 0,
            body: Spool::new(),
        }
    }

    pub(crate) fn chunk(
        &mut self,
        files: &[SpecFile],
        diags: &[Diagnostic],
    ) -> std::io::Result<()> {
        let out = &mut self.body;
        let mut loc = Locator::new(files);
        // Every linted file is a test case; findings in files the scan did not lint
        // (unreadable, too large) make theirs too.
        let mut cases: Vec<usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.format.is_some() && f.skipped.is_none())
            .map(|(i, _)| i)
            .collect();
        let mut by_file: std::collections::HashMap<usize, Vec<&Diagnostic>> = Default::default();
        for d in diags {
            cases.push(d.file.0 as usize);
            by_file.entry(d.file.0 as usize).or_default().push(d);
        }
        cases.sort_by(|a, b| files[*a].display.cmp(&files[*b].display).then(a.cmp(b)));
        cases.dedup();
        self.failed += by_file.len();
        self.tests += cases.len();
        for i in cases {
            let file = &files[i];
            let name = escape_attr(&file.display.replace('\\', "/"));
            let findings = by_file.remove(&i).unwrap_or_default();
            if findings.is_empty() {
                writeln!(
                    out,
                    r#"    <testcase name="{name}" classname="orchlint" file="{name}"/>"#
                )?;
                continue;
            }
            writeln!(
                out,
                r#"    <testcase name="{name}" classname="orchlint" file="{name}">"#
            )?;
            for d in findings {
                let (start, _) = loc.start_end(d.loc());
                let code = d.code();
                let summary = format!("{}:{}: [{code}] {}", start.line, start.column, d.message);
                let mut body = format!(
                    "{}:{}:{}: {} [{code}] {}",
                    file.display,
                    start.line,
                    start.column,
                    d.severity.as_str(),
                    d.message
                );
                super::push_help_and_related(&mut body, d, &mut loc);
                writeln!(
                    out,
                    r#"      <failure message="{}" type="{}">{}</failure>"#,
                    escape_attr(&summary),
                    escape_attr(d.severity.as_str()),
                    escape_text(&body)
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        Ok(())
    }

    pub(crate) fn finish(self, out: &mut dyn Write) -> std::io::Result<()> {
        let (tests, failed) = (self.tests, self.failed);
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="orchlint" tests="{tests}" failures="{failed}" errors="0">"#
        )?;
        writeln!(
            out,
            r#"  <testsuite name="orchlint" tests="{tests}" failures="{failed}" errors="0" skipped="0">"#
        )?;
        self.body.copy_to(out)?;
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}
