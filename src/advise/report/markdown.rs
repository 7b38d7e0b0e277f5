//! The Markdown report: the human report's content as a pull-request comment.

use std::fmt::Display;
use std::io::Write;

use super::{
    COLUMNS, Report, candidate_rows, current_line, current_note, fit_line, left_out_line, ranked,
    root_of, scale_line, state_lines, summary_lines, yes_no,
};
use crate::advise::Advice;
use crate::advise::recommend::Recommendation;

/// Text made safe for a table cell: no `|` that ends it, no line break.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A `###` heading with a blank line on either side.
fn heading(out: &mut dyn Write, title: impl Display) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "### {title}")?;
    writeln!(out)
}

/// A table's header row and its delimiter row.
fn table_head(out: &mut dyn Write, columns: &[&str]) -> std::io::Result<()> {
    writeln!(out, "| {} |", columns.join(" | "))?;
    writeln!(out, "|{}", " --- |".repeat(columns.len()))
}

/// Writes a title, then a section per project.
pub(super) fn write(out: &mut dyn Write, r: &mut Report) -> std::io::Result<()> {
    writeln!(out, "# orchlint advice")?;
    let advice = r.advice;
    for a in advice {
        writeln!(out)?;
        project(out, r, a)?;
    }
    if advice.is_empty() {
        writeln!(out)?;
        writeln!(out, "No project with workloads found.")?;
    }
    if !r.left_out.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}:", left_out_line(r.left_out))?;
        writeln!(out)?;
        for l in r.left_out {
            writeln!(out, "- `{}`: {}", l.root(), md(&l.reason))?;
        }
    }
    Ok(())
}

/// One project: a summary list, the evidence, the needs, the candidates and, when
/// one fits, the recommendation.
fn project(out: &mut dyn Write, r: &mut Report, a: &Advice) -> std::io::Result<()> {
    summary(out, r, a)?;
    scale(out, r, a)?;
    state(out, r, a)?;
    heading(out, "Needs")?;
    table_head(out, &["Function", "Need"])?;
    for (k, v) in r.needs_lines(a) {
        writeln!(out, "| {k} | {} |", md(&v))?;
    }
    let coupled = r.coupling_items(a);
    if !coupled.is_empty() {
        heading(out, "Platform coupling")?;
        for (at, what) in coupled {
            writeln!(out, "- `{at}` {}", md(&what))?;
        }
    }
    heading(out, "Candidates")?;
    table_head(out, &COLUMNS)?;
    for row in candidate_rows(a) {
        let cells: Vec<String> = row.iter().map(|v| md(v)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    if let Some(rec) = &a.recommendation {
        recommendation(out, rec)?;
        migration(out, r, a, rec)?;
    }
    Ok(())
}

/// The root as a heading, then files, current orchestrator, scale, state and
/// recommendation in a list.
fn summary(out: &mut dyn Write, r: &mut Report, a: &Advice) -> std::io::Result<()> {
    writeln!(out, "## `{}`", root_of(a))?;
    writeln!(out)?;
    for line in summary_lines(a) {
        // Each line a paragraph line of its own (two trailing spaces break it).
        let (head, rest) = line.split_once(": ").unwrap_or(("", line.as_str()));
        // Not a table cell: a `|` stays as it is (commands pipe).
        writeln!(out, "**{head}:** {}  ", rest.replace('\n', " "))?;
    }
    writeln!(out)?;
    let files: Vec<String> = r.files_of(a).iter().map(|f| format!("`{f}`")).collect();
    writeln!(out, "- **Files:** {}", files.join(", "))?;
    for line in r.grouping_lines(a) {
        writeln!(out, "  - {}", md(&line))?;
    }
    writeln!(out, "- **Current orchestrator:** {}", md(&current_line(a)))?;
    for e in &a.current.evidence {
        writeln!(out, "  - `{}` {}", r.cite(e), md(&e.message))?;
    }
    writeln!(out, "- **Fits:** {}", md(&fit_line(a)))?;
    writeln!(out, "- **Scale:** {}", md(&scale_line(a)))?;
    writeln!(out, "- **Stateful:** {}", yes_no(a.state.stateful))?;
    if let Some(rec) = &a.recommendation {
        writeln!(
            out,
            "- **Recommendation:** **{}** ({}){}",
            rec.orchestrator.id,
            md(&rec.orchestrator.name),
            current_note(rec)
        )?;
    }
    Ok(())
}

/// A table of the scale bounds, the deciding one in bold.
fn scale(out: &mut dyn Write, r: &mut Report, a: &Advice) -> std::io::Result<()> {
    heading(out, "Scale evidence")?;
    table_head(out, &["Bound", "Hosts", "Where", "Evidence"])?;
    for (j, b) in a.scale.bounds.iter().enumerate() {
        let (o, c) = if j == a.scale.decided_by {
            ("**", "**")
        } else {
            ("", "")
        };
        writeln!(
            out,
            "| {o}{}{c} | {o}{}{c} | `{}` | {} |",
            b.kind.as_str(),
            b.hosts,
            r.cite(&b.evidence),
            md(&b.evidence.message)
        )?;
    }
    Ok(())
}

/// The state evidence, risks with a warning sign.
fn state(out: &mut dyn Write, r: &mut Report, a: &Advice) -> std::io::Result<()> {
    heading(out, "State evidence")?;
    if a.state.items.is_empty() && a.state.risks.is_empty() {
        writeln!(out, "None: the project keeps no data of its own.")?;
    }
    for s in state_lines(a) {
        writeln!(
            out,
            "- {}`{}` `{}` {}{}",
            if s.risk { ":warning: " } else { "" },
            s.kind,
            r.cite(s.evidence),
            md(&s.evidence.message),
            s.note
        )?;
        if let Some(fix) = s.fix {
            writeln!(out, "  - fix: {}", md(fix))?;
        }
    }
    Ok(())
}

/// The recommendation with its reasons, then the ranked alternatives.
fn recommendation(out: &mut dyn Write, rec: &Recommendation) -> std::io::Result<()> {
    heading(out, format_args!("Recommendation: {}", rec.orchestrator.id))?;
    for reason in &rec.reasons {
        writeln!(out, "- {}", md(reason))?;
    }
    writeln!(out)?;
    writeln!(out, "Alternatives, ranked:")?;
    writeln!(out)?;
    for (rank, alt) in ranked(rec) {
        writeln!(
            out,
            "{rank}. **{}**: {}",
            alt.orchestrator.id,
            md(&alt.reason)
        )?;
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
    if rec.keeps_current {
        heading(out, "Migration")?;
        return writeln!(out, "None: the project stays on {}.", rec.orchestrator.id);
    }
    heading(
        out,
        format_args!("Migration: {} → {}", a.current.id, rec.orchestrator.id),
    )?;
    let plan = &rec.plan;
    if !plan.commands.is_empty() {
        writeln!(out, "```sh")?;
        for c in &plan.commands {
            writeln!(out, "{c}")?;
        }
        writeln!(out, "```")?;
        writeln!(out)?;
    }
    if !plan.files.is_empty() {
        writeln!(out, "Files to write:")?;
        writeln!(out)?;
        for f in &plan.files {
            writeln!(out, "- {}", md(f))?;
        }
        writeln!(out)?;
    }
    if !plan.data.is_empty() {
        writeln!(out, "Data:")?;
        writeln!(out)?;
        for d in &plan.data {
            writeln!(
                out,
                "- `{}` at `{}` (`{}`): {}",
                d.volume,
                d.target,
                r.cite(&d.at),
                md(&d.action)
            )?;
        }
        writeln!(out)?;
    }
    if rec.migration.is_empty() {
        return writeln!(
            out,
            "No field mappings from {} to {} are known; write its specs from the evidence above.",
            a.current.id, rec.orchestrator.id
        );
    }
    table_head(out, &["Today", "Becomes", "First used", "Note"])?;
    for s in &rec.migration {
        let target = if s.equivalent {
            md(s.target)
        } else if s.target.is_empty() {
            "*no equivalent*".to_string()
        } else {
            format!("*no equivalent* ({})", md(s.target))
        };
        let at =
            s.at.as_ref()
                .map(|e| format!("`{}`", r.cite(e)))
                .unwrap_or_default();
        writeln!(
            out,
            "| {} | {target} | {at} | {} |",
            md(s.source),
            md(s.note.unwrap_or("")),
        )?;
    }
    Ok(())
}
