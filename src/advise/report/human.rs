//! The human report: plain text for a terminal.

use std::io::Write;

use super::{
    COLUMNS, Report, candidate_rows, current_line, current_note, fit_line, left_out_line, ranked,
    root_of, scale_line, state_lines, summary_lines,
};
use crate::advise::Advice;
use crate::advise::recommend::{Recommendation, host_count};

/// Writes a block per project, separated by blank lines.
pub(super) fn write(out: &mut dyn Write, r: &mut Report) -> std::io::Result<()> {
    let advice = r.advice;
    for (i, a) in advice.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        project(out, r, a)?;
    }
    if advice.is_empty() {
        writeln!(out, "no project with workloads found")?;
    }
    if !r.left_out.is_empty() {
        writeln!(out, "\n{}:", left_out_line(r.left_out))?;
        for l in r.left_out {
            writeln!(out, "  {}: {}", l.root(), l.reason)?;
        }
    }
    Ok(())
}

/// One project: what runs it today, its scale and state, what it needs, and what
/// fits.
fn project(out: &mut dyn Write, r: &mut Report, a: &Advice) -> std::io::Result<()> {
    writeln!(out, "== {} ==", root_of(a))?;
    for line in summary_lines(a) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    writeln!(out, "files: {}", r.files_of(a).join(", "))?;
    for line in r.grouping_lines(a) {
        writeln!(out, "  {line}")?;
    }
    writeln!(out, "current orchestrator: {}", current_line(a))?;
    for e in &a.current.evidence {
        writeln!(out, "    {}  {}", r.cite(e), e.message)?;
    }
    writeln!(out, "fits: {}", fit_line(a))?;
    writeln!(out)?;
    scale(out, r, a)?;
    state(out, r, a)?;
    writeln!(out)?;
    writeln!(out, "needs:")?;
    for (k, v) in r.needs_lines(a) {
        writeln!(out, "  {k:37} {v}")?;
    }
    let coupled = r.coupling_items(a);
    if !coupled.is_empty() {
        writeln!(out, "platform coupling:")?;
        for (at, what) in coupled {
            writeln!(out, "  {at}  {what}")?;
        }
    }
    writeln!(out)?;
    candidates(out, a)?;
    writeln!(out)?;
    match &a.recommendation {
        None => writeln!(out, "recommendation: no orchestrator of the catalog fits"),
        Some(rec) => {
            recommendation(out, rec)?;
            migration(out, r, a, rec)
        }
    }
}

/// The scale line, then each bound, the deciding one marked `>`.
fn scale(out: &mut dyn Write, r: &mut Report, a: &Advice) -> std::io::Result<()> {
    writeln!(out, "scale: {}", scale_line(a))?;
    for (j, b) in a.scale.bounds.iter().enumerate() {
        let mark = if j == a.scale.decided_by { ">" } else { " " };
        writeln!(
            out,
            "  {mark} {:>9}  {:13} {}  {}",
            host_count(b.hosts),
            b.kind.as_str(),
            r.cite(&b.evidence),
            b.evidence.message
        )?;
    }
    Ok(())
}

/// Stateful or stateless, then the state evidence, risks marked `!`.
fn state(out: &mut dyn Write, r: &mut Report, a: &Advice) -> std::io::Result<()> {
    let word = if a.state.stateful {
        "stateful"
    } else {
        "stateless"
    };
    writeln!(out, "state: {word}")?;
    for s in state_lines(a) {
        writeln!(
            out,
            "  {} {:17} {}  {}{}",
            if s.risk { "!" } else { " " },
            s.kind,
            r.cite(s.evidence),
            s.evidence.message,
            s.note
        )?;
        if let Some(fix) = s.fix {
            writeln!(out, "      fix: {fix}")?;
        }
    }
    Ok(())
}

/// The candidates table, its columns padded to the widest cell.
fn candidates(out: &mut dyn Write, a: &Advice) -> std::io::Result<()> {
    writeln!(out, "candidates:")?;
    let header = COLUMNS.map(String::from);
    let table = candidate_rows(a);
    let mut widths = [0usize; 9];
    for row in std::iter::once(&header).chain(&table) {
        for (w, v) in widths.iter_mut().zip(row) {
            *w = (*w).max(v.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&table) {
        let parts: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(v, w)| format!("{v:w$}"))
            .collect();
        writeln!(out, "  {}", parts.join("  ").trim_end())?;
    }
    Ok(())
}

/// The recommendation with its reasons, then the ranked alternatives.
fn recommendation(out: &mut dyn Write, rec: &Recommendation) -> std::io::Result<()> {
    let o = rec.orchestrator;
    writeln!(
        out,
        "recommendation: {} ({}){}",
        o.id,
        o.name,
        current_note(rec)
    )?;
    for reason in &rec.reasons {
        writeln!(out, "  - {reason}")?;
    }
    writeln!(out, "alternatives:")?;
    for (rank, alt) in ranked(rec) {
        writeln!(out, "  {rank:>2}. {}: {}", alt.orchestrator.id, alt.reason)?;
    }
    Ok(())
}

/// The steps of the move from the current orchestrator to the recommended one:
/// the commands, the files to write, each volume's data, then the field mappings
/// with where the project first uses each feature.
fn migration(
    out: &mut dyn Write,
    r: &mut Report,
    a: &Advice,
    rec: &Recommendation,
) -> std::io::Result<()> {
    let o = rec.orchestrator;
    if rec.keeps_current {
        return writeln!(out, "migration: none, the project stays on {}", o.id);
    }
    writeln!(out, "migration: {} -> {}", a.current.id, o.id)?;
    let plan = &rec.plan;
    if !plan.commands.is_empty() {
        writeln!(out, "  commands:")?;
        for (i, c) in plan.commands.iter().enumerate() {
            writeln!(out, "    {}. {c}", i + 1)?;
        }
    }
    if !plan.files.is_empty() {
        writeln!(out, "  files to write:")?;
        for f in &plan.files {
            writeln!(out, "    - {f}")?;
        }
    }
    if !plan.data.is_empty() {
        writeln!(out, "  data:")?;
        for d in &plan.data {
            writeln!(
                out,
                "    - {} at {} ({}): {}",
                d.volume,
                d.target,
                r.cite(&d.at),
                d.action
            )?;
        }
    }
    if rec.migration.is_empty() {
        return writeln!(
            out,
            "  mappings: none known from {} to {}; write its specs from the evidence above",
            a.current.id, o.id
        );
    }
    writeln!(out, "  mappings:")?;
    for s in &rec.migration {
        let arrow = if s.equivalent {
            format!("{} -> {}", s.source, s.target)
        } else {
            format!("{} -> no equivalent", s.source)
        };
        let at =
            s.at.as_ref()
                .map(|e| format!(" ({})", r.cite(e)))
                .unwrap_or_default();
        let note = s.note.map(|n| format!(": {n}")).unwrap_or_default();
        writeln!(out, "    - {arrow}{at}{note}")?;
    }
    Ok(())
}
