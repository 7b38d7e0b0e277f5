//! `orchlint files`: the files a scan would consider and what each was detected as.

use std::io::Write;

use super::output::io;
use super::request::request;
use super::{ConfigArgs, Fatal, WalkArgs};
use crate::engine;
use crate::project::{Project, SpecFile};
use crate::source::FileId;

/// Runs `orchlint files`; lists without running the rules.
pub(super) fn run(
    walk: &WalkArgs,
    format: &str,
    cfg: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    super::rules::text_or_json(format)?;
    let req = request(walk, cfg)?;
    let loaded = engine::load_files(&req).map_err(Fatal::Error)?;
    let projects = engine::group(&req, &loaded.files);
    if format == "json" {
        write_json(out, &loaded.files, &projects).map_err(io)?;
    } else {
        write_text(out, &loaded.files).map_err(io)?;
        write_groupings(out, &loaded.files, &projects).map_err(io)?;
    }
    Ok(0)
}

fn display(files: &[SpecFile], id: FileId) -> &str {
    files.get(id.0 as usize).map_or("?", |f| f.display.as_str())
}

/// The projects whose files references tied, and the alternative manifests found
/// in projects, after the list of files: each tie as `from -> to: why`.
fn write_groupings(
    out: &mut dyn Write,
    files: &[SpecFile],
    projects: &[Project],
) -> std::io::Result<()> {
    for p in projects {
        if p.ties.is_empty() && p.alternatives.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\nproject {} ({}, {} files)",
            crate::source::display_path(&p.root),
            p.format.as_str(),
            p.files.len()
        )?;
        for t in &p.ties {
            writeln!(
                out,
                "  grouped: {} -> {}: {}",
                display(files, t.from),
                display(files, t.to),
                t.why
            )?;
        }
        for a in &p.alternatives {
            writeln!(
                out,
                "  alternative: {} (of {}): {}; judged once",
                display(files, a.file),
                display(files, a.of),
                a.why
            )?;
        }
    }
    Ok(())
}

/// One object per file: path, kind (or `skipped`), variant and skip reason; a file
/// a reference tied to others has `grouped` (each tie: `to`, `why`), an
/// alternative manifest `alternative_of` (`file`, `why`).
fn write_json(
    out: &mut dyn Write,
    files: &[SpecFile],
    projects: &[Project],
) -> std::io::Result<()> {
    let rows: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            let mut row = serde_json::json!({
                "path": f.display,
                "kind": f.format.map_or("skipped", |k| k.as_str()),
                "variant": f.variant(),
                "reason": f.skipped,
            });
            let ties: Vec<serde_json::Value> = projects
                .iter()
                .flat_map(|p| &p.ties)
                .filter(|t| t.from == f.id)
                .map(|t| serde_json::json!({"to": display(files, t.to), "why": t.why}))
                .collect();
            let alternatives: Vec<serde_json::Value> = projects
                .iter()
                .flat_map(|p| &p.alternatives)
                .filter(|a| a.file == f.id)
                .map(|a| serde_json::json!({"file": display(files, a.of), "why": a.why}))
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
fn write_text(out: &mut dyn Write, files: &[SpecFile]) -> std::io::Result<()> {
    let width = files.iter().map(|f| f.display.len()).max().unwrap_or(0);
    for f in files {
        let kind = |k: &crate::source::Format| match f.variant() {
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
