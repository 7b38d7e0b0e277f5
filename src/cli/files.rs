//! `orchlint files`: the files a scan would consider and what each was detected as.

use std::io::Write;

use super::output::io;
use super::request::request;
use super::{ConfigArgs, Fatal, WalkArgs};
use crate::engine;
use crate::engine::Listed;

/// Runs `orchlint files`; lists without running the rules.
pub(super) fn run(
    walk: &WalkArgs,
    format: &str,
    cfg: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    super::rules::text_or_json(format)?;
    let req = request(walk, cfg)?;
    let files = engine::list_files(&req).map_err(Fatal::Error)?;
    if format == "json" {
        write_json(out, &files).map_err(io)?;
    } else {
        write_text(out, &files).map_err(io)?;
    }
    Ok(0)
}

/// One object per file: path, kind (or `skipped`), variant and skip reason.
fn write_json(out: &mut dyn Write, files: &[Listed]) -> std::io::Result<()> {
    let rows: Vec<serde_json::Value> = files
        .iter()
        .map(|f| {
            serde_json::json!({
                "path": f.display,
                "kind": f.format.map_or("skipped", |k| k.as_str()),
                "variant": f.variant,
                "reason": f.skipped,
            })
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
