//! `--statistics`: how many findings each rule made, most first (ties by rule
//! code), instead of the findings themselves.
//!
//! ```text
//!     4  reliability/missing-resource-limits  warning
//!     2  correctness/undefined-volume         error
//!     6  findings
//! ```

use std::collections::BTreeMap;
use std::io::Write;

use crate::diagnostic::{Diagnostic, Severity};

pub(crate) struct Row {
    pub(crate) code: String,
    pub(crate) count: usize,
    /// The worst severity among the rule's findings (configuration can make one
    /// rule's findings differ per path).
    pub(crate) severity: Severity,
}

/// Counts per rule, sorted by count (descending) then code.
pub(crate) fn rows(diags: &[Diagnostic]) -> Vec<Row> {
    let mut by_rule: BTreeMap<String, (usize, Severity)> = BTreeMap::new();
    for d in diags {
        let e = by_rule.entry(d.code()).or_insert((0, d.severity));
        e.0 += 1;
        e.1 = e.1.max(d.severity);
    }
    let mut rows: Vec<Row> = by_rule
        .into_iter()
        .map(|(code, (count, severity))| Row {
            code,
            count,
            severity,
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    rows
}

pub fn write_text(out: &mut dyn Write, diags: &[Diagnostic]) -> std::io::Result<()> {
    let rows = rows(diags);
    let width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let count_width = diags.len().to_string().len().max(5);
    for r in &rows {
        writeln!(
            out,
            "{:>count_width$}  {:width$}  {}",
            r.count,
            r.code,
            r.severity.as_str()
        )?;
    }
    writeln!(
        out,
        "{:>count_width$}  finding{}",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    )
}

/// `[{"rule": "...", "count": N, "severity": "..."}]`, same order.
pub(crate) fn write_json(out: &mut dyn Write, diags: &[Diagnostic]) -> std::io::Result<()> {
    let rows: Vec<serde_json::Value> = rows(diags)
        .iter()
        .map(|r| serde_json::json!({"rule": r.code, "count": r.count, "severity": r.severity.as_str()}))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
    writeln!(out)
}
