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
pub(crate) fn rows(diags: &[Diagnostic], suppressed: &[Suppressed]) -> Vec<Row> {
    let mut by_rule: BTreeMap<String, Row> = BTreeMap::new();
    let row = |by_rule: &mut BTreeMap<String, Row>, d: &Diagnostic| {
        let code = d.code();
        by_rule.remove(&code).unwrap_or(Row {
            code,
            count: 0,
            severity: d.severity,
            suppressed: 0,
        })
    };
    for d in diags {
        let mut r = row(&mut by_rule, d);
        r.count += 1;
        r.severity = r.severity.max(d.severity);
        by_rule.insert(r.code.clone(), r);
    }
    for s in suppressed {
        let mut r = row(&mut by_rule, &s.diagnostic);
        r.suppressed += 1;
        if r.count == 0 {
            // A rule with no finding left shows its suppressed findings' severity.
            r.severity = r.severity.max(s.diagnostic.severity);
        }
        by_rule.insert(r.code.clone(), r);
    }
    let mut rows: Vec<Row> = by_rule.into_values().collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| b.suppressed.cmp(&a.suppressed))
            .then_with(|| a.code.cmp(&b.code))
    });
    rows
}

pub fn write_text(out: &mut dyn Write, diags: &[Diagnostic]) -> std::io::Result<()> {
    write_text_with_suppressed(out, diags, &[])
}

pub(crate) fn write_text_with_suppressed(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    suppressed: &[Suppressed],
) -> std::io::Result<()> {
    let rows = rows(diags, suppressed);
    let width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let count_width = diags.len().to_string().len().max(5);
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
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    )?;
    if suppressed.is_empty() {
        writeln!(out)
    } else {
        writeln!(out, " ({} suppressed)", suppressed.len())
    }
}

pub(crate) fn write_json_with_suppressed(
    out: &mut dyn Write,
    diags: &[Diagnostic],
    suppressed: &[Suppressed],
) -> std::io::Result<()> {
    let rows: Vec<serde_json::Value> = rows(diags, suppressed)
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
