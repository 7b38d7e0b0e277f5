//! `check --fix` and `check --diff` on the command line: which files may be
//! fixed (the scanned ones, within `--context`/`--changed-since`), writing them
//! or printing their diff, and the summary on stderr.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Fatal;
use super::output::io;
use crate::engine::{self, Scan, ScanRequest};
use crate::fix::{self, Outcome};
use crate::source::FileId;
use crate::source::changed::ReportFilter;

/// What the fixing did, for the summary and the exit code.
pub(super) struct Fixed {
    /// A fixed file could not be written.
    pub(super) failed: bool,
    /// How many findings the written fixes repaired.
    pub(super) fixed: usize,
    /// Findings that still carry an applicable fix after the last pass.
    pub(super) unapplied: usize,
}

/// Whether findings in this file may be fixed: standard input, or a file under a
/// scanned path (not a kustomization's base found outside them) that every
/// report filter covers.
fn in_scope(
    roots: &[PathBuf],
    filters: &[ReportFilter],
    cwd: &Path,
    scan: &Scan,
    id: FileId,
) -> bool {
    if scan.stdin == Some(id) {
        return true;
    }
    let path = &scan.file(id).path;
    let abs = crate::source::normalize(&cwd.join(path));
    roots.iter().any(|r| abs.starts_with(r)) && filters.iter().all(|f| f.covers(path, cwd))
}

/// Says on stderr which files' fixes were undone, and why.
fn warn_undone(outcome: &Outcome) {
    for (name, why) in &outcome.undone {
        eprintln!(
            "orchlint: warning: the fixes for {name} were undone: they made it read worse ({why})"
        );
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn run_fixes(
    req: &ScanRequest,
    filters: &[ReportFilter],
    cwd: &Path,
    unsafe_fixes: bool,
) -> Result<Outcome, Fatal> {
    let roots: Vec<PathBuf> = req
        .paths
        .iter()
        .map(|p| crate::source::normalize(&cwd.join(p)))
        .collect();
    let scope = |scan: &Scan, id: FileId| in_scope(&roots, filters, cwd, scan, id);
    fix::run(req, unsafe_fixes, &scope).map_err(Fatal::Error)
}

/// `--diff`: prints what `--fix` would change; returns the exit code (1 when
/// something would change).
pub(super) fn diff(
    req: &ScanRequest,
    filters: &[ReportFilter],
    cwd: &Path,
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    let outcome = run_fixes(req, filters, cwd, unsafe_fixes)?;
    warn_undone(&outcome);
    for f in &outcome.files {
        out.write_all(fix::diff::unified(f).as_bytes())
            .map_err(io)?;
    }
    eprintln!(
        "Would fix {} finding{} in {} file{}",
        outcome.fixed,
        plural(outcome.fixed),
        outcome.files.len(),
        plural(outcome.files.len())
    );
    Ok(i32::from(!outcome.files.is_empty()))
}

/// `--fix`: applies the fixes, writes the files that changed (the fixed text of
/// standard input goes to `out`), and returns the scan of what remains.
pub(super) fn apply(
    req: &ScanRequest,
    filters: &[ReportFilter],
    cwd: &Path,
    unsafe_fixes: bool,
    out: &mut dyn Write,
) -> Result<(Scan, Fixed), Fatal> {
    let outcome = run_fixes(req, filters, cwd, unsafe_fixes)?;
    let mut failed = false;
    let mut fixed = 0;
    for f in &outcome.files {
        if f.stdin {
            fixed += f.fixed;
            continue;
        }
        match fix::write(f) {
            Ok(()) => fixed += f.fixed,
            Err(e) => {
                eprintln!("orchlint: error: cannot fix {e}");
                failed = true;
            }
        }
    }
    if let Some(input) = &req.stdin {
        let text = outcome
            .files
            .iter()
            .find(|f| f.stdin)
            .map_or(input.text.as_str(), |f| f.after.as_str());
        out.write_all(text.as_bytes()).map_err(io)?;
    }
    for (name, why) in &outcome.undone {
        eprintln!(
            "orchlint: warning: the fixes for {name} were undone: they made it read worse ({why})"
        );
    }
    // When a file could not be written, its findings are the ones on disk.
    let scan = if !failed {
        outcome.scan
    } else {
        let mut again = req.clone();
        if let (Some(input), Some(f)) =
            (again.stdin.as_mut(), outcome.files.iter().find(|f| f.stdin))
        {
            input.text = f.after.clone();
        }
        engine::run(&again).map_err(Fatal::Error)?
    };
    Ok((
        scan,
        Fixed {
            failed,
            fixed,
            unapplied: outcome.unapplied,
        },
    ))
}

/// The summary of `--fix` on stderr, once the reported findings are known.
pub(super) fn summary(fixed: &Fixed, scan: &Scan, unsafe_fixes: bool) {
    let remaining = scan.diagnostics.len();
    eprintln!(
        "Fixed {} finding{} ({remaining} remaining)",
        fixed.fixed,
        plural(fixed.fixed)
    );
    let (_, hidden) = fix::available(&scan.diagnostics, unsafe_fixes);
    if hidden > 0 {
        eprintln!(
            "orchlint: {hidden} more finding{} can be fixed with --fix --unsafe-fixes",
            plural(hidden)
        );
    }
    let n = fixed.unapplied;
    if n > 0 {
        eprintln!(
            "orchlint: {n} finding{} still carr{} a fix after {} passes; run --fix again",
            plural(n),
            if n == 1 { "ies" } else { "y" },
            fix::MAX_PASSES
        );
    }
}

/// Without `--fix`: says on stderr how many findings `--fix` would repair.
pub(super) fn hint((now, hidden): (usize, usize), unsafe_fixes: bool) {
    let flag = if unsafe_fixes {
        "--fix --unsafe-fixes"
    } else {
        "--fix"
    };
    match (now, hidden) {
        (0, 0) => {}
        (0, _) => eprintln!(
            "orchlint: {hidden} finding{} can be fixed with --fix --unsafe-fixes",
            plural(hidden)
        ),
        (_, 0) => eprintln!(
            "orchlint: {now} finding{} can be fixed with {flag}",
            plural(now)
        ),
        _ => eprintln!(
            "orchlint: {now} finding{} can be fixed with {flag} ({hidden} more with --unsafe-fixes)",
            plural(now)
        ),
    }
}
