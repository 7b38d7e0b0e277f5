//! `--statistics`: how many findings each rule made, most first (ties by rule
//! code), instead of the findings themselves.
//!
//! ```text
//!     4  reliability/missing-resource-limits  warning
//!     2  correctness/undefined-volume         error
//!     6  findings
//! ```
//!
//! Findings a suppression silenced are counted apart: a rule's row ends with
//! `(N suppressed)`, a rule whose findings were all suppressed gets a row with
//! count 0, and the total line says how many were suppressed. JSON rows carry
//! `suppressed` (0 when none).

use std::collections::BTreeMap;
use std::io::Write;

use crate::diagnostic::{Diagnostic, Severity};
use crate::suppress::Suppressed;

pub(crate) struct Row {
    pub(crate) code: String,
    pub(crate) count: usize,
    /// The worst severity among the rule's findings (configuration can make one
    /// rule's findings differ per path).
    pub(crate) severity: Severity,
    /// The rule's findings suppressions silenced (not in `count`).
    pub(crate) suppressed: usize,
}

/// Counts per rule, sorted by count (descending), suppressed count (descending),
/// then code.
/// Counts per rule added up chunk by chunk: a few numbers per rule, whatever
/// the number of findings.
#[derive(Default)]
pub(crate) struct Tally {
    by_rule: BTreeMap<String, Counted>,
    findings: usize,
    suppressed: usize,
}

/// A rule's counts, with the highest severity of its findings and of its
/// suppressed findings apart (the row shows the second only when the rule has
/// no finding left).
struct Counted {
    count: usize,
    severity: Option<Severity>,
    suppressed: usize,
    suppressed_severity: Option<Severity>,
}

impl Tally {
    pub(crate) fn add(&mut self, diags: &[Diagnostic], suppressed: &[Suppressed]) {
        fn row<'a>(by_rule: &'a mut BTreeMap<String, Counted>, d: &Diagnostic) -> &'a mut Counted {
            by_rule.entry(d.code()).or_insert(Counted {
                count: 0,
                severity: None,
                suppressed: 0,
                suppressed_severity: None,
            })
        }
        for d in diags {
            let r = row(&mut self.by_rule, d);
            r.count += 1;
            r.severity = r.severity.max(Some(d.severity));
        }
        for s in suppressed {
            let r = row(&mut self.by_rule, &s.diagnostic);
            r.suppressed += 1;
            r.suppressed_severity = r.suppressed_severity.max(Some(s.diagnostic.severity));
        }
        self.findings += diags.len();
        self.suppressed += suppressed.len();
    }

    pub(crate) fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = self
            .by_rule
            .iter()
            .map(|(code, c)| Row {
                code: code.clone(),
                count: c.count,
                severity: c
                    .severity
                    .or(c.suppressed_severity)
                    .unwrap_or(Severity::Info),
                suppressed: c.suppressed,
            })
            .collect();
        rows.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| b.suppressed.cmp(&a.suppressed))
                .then_with(|| a.code.cmp(&b.code))
        });
        rows
    }

    /// The text table.
    pub(crate) fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let rows = self.rows();
        let width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
        let count_width = self.findings.to_string().len().max(5);
        for r in &rows {
            if r.suppressed == 0 {
                writeln!(
                    out,
                    "{:>count_width$}  {:width$}  {}",
                    r.count,
                    r.code,
                    r.severity.as_str()
                )?;
            } else {
                writeln!(
                    out,
                    "{:>count_width$}  {:width$}  {:7}  ({} suppressed)",
                    r.count,
                    r.code,
                    r.severity.as_str(),
                    r.suppressed
                )?;
            }
        }
        write!(
            out,
            "{:>count_width$}  finding{}",
            self.findings,
            if self.findings == 1 { "" } else { "s" }
        )?;
        if self.suppressed == 0 {
            writeln!(out)
        } else {
            writeln!(out, " ({} suppressed)", self.suppressed)
        }
    }

    /// The JSON rows.
    pub(crate) fn write_json(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let rows: Vec<serde_json::Value> = self
            .rows()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "rule": r.code,
                    "count": r.count,
                    "severity": r.severity.as_str(),
                    "suppressed": r.suppressed,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
        writeln!(out)
    }
}

pub fn write_text(out: &mut dyn Write, diags: &[Diagnostic]) -> std::io::Result<()> {
    let mut t = Tally::default();
    t.add(diags, &[]);
    t.write_text(out)
}
