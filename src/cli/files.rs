//! `orchlint files`: the files a scan would consider and what each was detected as,
//! and the projects whose files references tied.

use std::io::Write;

use super::output::io;
use super::request::request;
use super::{ConfigArgs, Fatal, WalkArgs};
use crate::engine;
use crate::engine::{Grouping, Listed};

/// Runs `orchlint files`; lists without running the rules.
pub(super) fn run(
    walk: &WalkArgs,
    format: &str,
    cfg: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    super::rules::text_or_json(format)?;
    let req = request(walk, cfg)?;
    let listing = engine::list_files(&req).map_err(Fatal::Error)?;
    if format == "json" {
        write_json(out, &listing.files, &listing.groupings).map_err(io)?;
    } else {
        write_text(out, &listing.files).map_err(io)?;
        write_groupings(out, &listing.groupings).map_err(io)?;
    }
    Ok(0)
}

/// The projects whose files references tied, and the alternative manifests found
/// in projects, after the list of files: each tie as `from -> to: why`.
fn write_groupings(out: &mut dyn Write, groupings: &[Grouping]) -> std::io::Result<()> {
    for g in groupings {
        writeln!(
            out,
            "\nproject {} ({}, {} files)",
            g.root,
            g.format.as_str(),
            g.files
        )?;
        for (from, to, why) in &g.ties {
            writeln!(out, "  grouped: {from} -> {to}: {why}")?;
        }
        for (file, of, why) in &g.alternatives {
            writeln!(out, "  alternative: {file} (of {of}): {why}; judged once")?;
        }
    }
    Ok(())
}

/// One object per file: path, kind (or `skipped`), variant and skip reason; a file
/// a reference tied to others has `grouped` (each tie: `to`, `why`), an
/// alternative manifest `alternative_of` (`file`, `why`).
fn write_json(
    out: &mut dyn Write,
    files: &[Listed],
    groupings: &[Grouping],
) -> std::io::Result<()> {
    let rows: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            let mut row = serde_json::json!({
                "path": f.display,
                "kind": f.format.map_or("skipped", |k| k.as_str()),
                "variant": f.variant,
                "reason": f.skipped,
            });
            let ties: Vec<serde_json::Value> = groupings
                .iter()
                .flat_map(|g| &g.ties)
                .filter(|(from, _, _)| *from == f.display)
                .map(|(_, to, why)| serde_json::json!({"to": to, "why": why}))
                .collect();
            let alternatives: Vec<serde_json::Value> = groupings
                .iter()
                .flat_map(|g| &g.alternatives)
                .filter(|(file, _, _)| *file == f.display)
                .map(|(_, of, why)| serde_json::json!({"file": of, "why": why}))
                .collect();
            if let Some(obj) = row.as_object_mut() {
                if !ties.is_empty() {
                    obj.insert("grouped".into(), ties.into());
                }
                if !alternatives.is_empty() {
                    obj.insert("alternative_of".into(), alternatives.into());
                }
            }
            row
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// One line per file: the path, then its kind and variant or why it was skipped.
fn write_text(out: &mut dyn Write, files: &[Listed]) -> std::io::Result<()> {
    let width = files.iter().map(|f| f.display.len()).max().unwrap_or(0);
    for f in files {
        let kind = |k: &crate::source::Format| match &f.variant {
            Some(v) => format!("{}: {v}", k.as_str()),
            None => k.as_str().to_string(),
        };
        match (&f.format, &f.skipped) {
            (Some(k), None) => writeln!(out, "{:width$}  {}", f.display, kind(k))?,
            (Some(k), Some(r)) => writeln!(out, "{:width$}  {} ({r})", f.display, kind(k))?,
            (None, r) => writeln!(
                out,
                "{:width$}  skipped ({})",
                f.display,
                r.as_deref().unwrap_or("not a spec")
            )?,
        }
    }
    Ok(())
}
