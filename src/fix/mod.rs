//! `check --fix` and `--diff`: apply the fixes findings carry to the texts of the
//! scanned files, re-check, and repeat while fixes remain (a bounded number of
//! passes, so fixes that overlap are applied one after the other); then write the
//! files that changed, atomically, or show the changes as a unified diff.
//!
//! Fixes are text edits on the original bytes (`apply`), never a re-serialised
//! document: comments, quoting, key order and blank lines survive.

pub(crate) mod apply;
pub(crate) mod diff;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::engine::{self, Scan, ScanRequest};
use crate::source::FileId;

/// How many times the files are fixed and re-checked at most.
pub(crate) const MAX_PASSES: usize = 10;

/// A file whose text the fixes changed.
#[derive(Debug)]
pub(crate) struct FixedFile {
    pub(crate) path: PathBuf,
    pub(crate) display: String,
    /// Read from standard input (printed, never written).
    pub(crate) stdin: bool,
    pub(crate) before: String,
    pub(crate) after: String,
    /// How many findings of the file its changes repaired.
    pub(crate) fixed: usize,
}

/// What the passes did.
pub(crate) struct Outcome {
    /// The scan of the fixed texts: the findings that remain.
    pub(crate) scan: Scan,
    /// How many findings the applied fixes repaired.
    pub(crate) fixed: usize,
    /// The files whose text changed, in scan order.
    pub(crate) files: Vec<FixedFile>,
    /// Findings that still carry an applicable fix after the last pass.
    pub(crate) unapplied: usize,
    /// Files whose fixes were undone because the fixed text no longer read
    /// cleanly, each with the syntax finding the fixes caused.
    pub(crate) undone: Vec<(String, String)>,
}

/// Whether a fix of this applicability is applied.
pub(crate) fn allowed(a: Applicability, unsafe_fixes: bool) -> bool {
    a == Applicability::Safe || unsafe_fixes
}

/// Where a text came from: a file on disk, or standard input.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Target {
    File(PathBuf),
    Stdin,
}

fn target(scan: &Scan, id: FileId) -> Target {
    if scan.stdin == Some(id) {
        Target::Stdin
    } else {
        Target::File(scan.file(id).path.clone())
    }
}

fn id_of(scan: &Scan, t: &Target) -> Option<FileId> {
    match t {
        Target::Stdin => scan.stdin,
        Target::File(p) => scan
            .files
            .iter()
            .find(|f| Some(f.id) != scan.stdin && &f.path == p)
            .map(|f| f.id),
    }
}

/// The syntax findings of a file (it does not parse, a value has the wrong
/// type), selected or not, as `code: message`.
fn syntax_of(scan: &Scan, id: Option<FileId>) -> Vec<String> {
    scan.syntax
        .iter()
        .filter(|(f, _)| Some(*f) == id)
        .map(|(_, m)| m.clone())
        .collect()
}

/// Scans, applies the applicable fixes of the findings in files `in_scope`
/// accepts (edits included), and repeats on the fixed texts up to [`MAX_PASSES`]
/// times. Nothing is written.
pub(crate) fn run(
    req: &ScanRequest,
    unsafe_fixes: bool,
    in_scope: &dyn Fn(&Scan, FileId) -> bool,
) -> Result<Outcome, String> {
    let mut req = req.clone();
    let mut scan = engine::run(&req)?;
    let mut originals: HashMap<Target, (String, String)> = HashMap::new();
    let mut order: Vec<Target> = Vec::new();
    let mut frozen: HashSet<Target> = HashSet::new();
    let mut undone = Vec::new();
    let mut fixed: HashMap<Target, usize> = HashMap::new();
    for _ in 0..MAX_PASSES {
        let fixes = applicable(&scan, unsafe_fixes, in_scope, &frozen);
        if fixes.is_empty() {
            break;
        }
        let chosen = apply::select(&fixes);
        // The files of each chosen fix, kept past this scan.
        let chosen_targets: Vec<Vec<Target>> = chosen
            .iter()
            .map(|&i| {
                fixes[i]
                    .edits
                    .iter()
                    .map(|e| target(&scan, e.file))
                    .collect()
            })
            .collect();
        let mut files: Vec<FileId> = chosen
            .iter()
            .flat_map(|&i| fixes[i].edits.iter().map(|e| e.file))
            .collect();
        files.sort_unstable();
        files.dedup();
        // Each changed file with its text and syntax findings before this pass.
        let mut changed: Vec<(Target, String, Vec<String>)> = Vec::new();
        for id in files {
            let before = &scan.file(id).text;
            let edits = apply::edits_of(&fixes, &chosen, id);
            let t = target(&scan, id);
            match apply::apply(before, &edits) {
                Ok(after) if after != *before => {
                    if !originals.contains_key(&t) {
                        originals
                            .insert(t.clone(), (scan.file(id).display.clone(), before.clone()));
                        order.push(t.clone());
                    }
                    set_text(&mut req, &t, after);
                    changed.push((t, before.clone(), syntax_of(&scan, Some(id))));
                }
                // Edits that change nothing, or that a rule got wrong: this
                // file is not fixed further.
                Ok(_) | Err(_) => {
                    frozen.insert(t);
                }
            }
        }
        if changed.is_empty() {
            continue;
        }
        // One scan in memory at a time.
        drop(fixes);
        drop(scan);
        scan = engine::run(&req)?;
        // A fix must never leave a file that reads worse (does not parse, a value
        // of the wrong type after a rename): undo the pass for such a file, and
        // fix it no further.
        let mut broken: Vec<Target> = Vec::new();
        for (t, before, old) in &changed {
            let now = syntax_of(&scan, id_of(&scan, t));
            if now.len() <= old.len() {
                continue;
            }
            let why = now
                .iter()
                .find(|m| !old.contains(m))
                .cloned()
                .unwrap_or_default();
            let name = originals.get(t).map(|o| o.0.clone()).unwrap_or_default();
            undone.push((name, why));
            set_text(&mut req, t, before.clone());
            frozen.insert(t.clone());
            broken.push(t.clone());
        }
        if !broken.is_empty() {
            drop(scan);
            scan = engine::run(&req)?;
        }
        // Count each applied fix for the file of its first edit.
        for targets in &chosen_targets {
            let applied = targets
                .iter()
                .all(|t| changed.iter().any(|(c, _, _)| c == t) && !broken.contains(t));
            if let (true, Some(first)) = (applied, targets.first()) {
                *fixed.entry(first.clone()).or_default() += 1;
            }
        }
    }
    let unapplied = applicable(&scan, unsafe_fixes, in_scope, &frozen).len();
    let mut files = Vec::new();
    for t in order {
        let Some((display, before)) = originals.remove(&t) else {
            continue;
        };
        let Some(id) = id_of(&scan, &t) else { continue };
        let after = scan.file(id).text.clone();
        if after == before {
            continue;
        }
        files.push(FixedFile {
            path: scan.file(id).path.clone(),
            display,
            stdin: t == Target::Stdin,
            before,
            after,
            fixed: fixed.get(&t).copied().unwrap_or(0),
        });
    }
    let fixed = files.iter().map(|f| f.fixed).sum();
    Ok(Outcome {
        scan,
        fixed,
        files,
        unapplied,
        undone,
    })
}

/// The fixes of the scan's findings that may be applied: of an allowed
/// applicability, the finding and every edit in a file in scope that was read and
/// is not frozen.
fn applicable<'s>(
    scan: &'s Scan,
    unsafe_fixes: bool,
    in_scope: &dyn Fn(&Scan, FileId) -> bool,
    frozen: &HashSet<Target>,
) -> Vec<&'s Fix> {
    scan.diagnostics
        .iter()
        .filter(|d| in_scope(scan, d.file))
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| allowed(f.applicability, unsafe_fixes))
        .filter(|f| {
            f.edits.iter().all(|e| {
                let file = scan.file(e.file);
                file.skipped.is_none()
                    && in_scope(scan, e.file)
                    && !frozen.contains(&target(scan, e.file))
            })
        })
        .collect()
}

/// How many findings carry a fix `--fix` would apply, and how many more carry
/// one only `--unsafe-fixes` would.
pub(crate) fn available(diags: &[Diagnostic], unsafe_fixes: bool) -> (usize, usize) {
    let mut now = 0;
    let mut hidden = 0;
    for f in diags.iter().filter_map(|d| d.fix.as_ref()) {
        if allowed(f.applicability, unsafe_fixes) {
            now += 1;
        } else {
            hidden += 1;
        }
    }
    (now, hidden)
}

/// Gives the next scan this text for the target.
fn set_text(req: &mut ScanRequest, t: &Target, text: String) {
    match t {
        Target::Stdin => {
            if let Some(input) = req.stdin.as_mut() {
                input.text = text;
            }
        }
        Target::File(p) => {
            req.overlay.insert(p.clone(), text);
        }
    }
}

/// Writes a fixed file atomically, keeping a byte order mark the file had (the
/// scan reads texts without it). A read-only file is left alone.
pub(crate) fn write(f: &FixedFile) -> Result<(), String> {
    // Through a symbolic link (`--follow-symlinks`), the file it points to is
    // fixed; the link stays a link.
    let real = std::fs::canonicalize(&f.path).map_err(|e| format!("{}: {e}", f.display))?;
    let path: &Path = &real;
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", f.display))?;
    if meta.permissions().readonly() {
        return Err(format!("{}: the file is read-only; not fixed", f.display));
    }
    let head = std::fs::read(path).map_err(|e| format!("{}: {e}", f.display))?;
    let mut bytes = Vec::with_capacity(f.after.len() + 3);
    if head.starts_with("\u{feff}".as_bytes()) {
        bytes.extend_from_slice("\u{feff}".as_bytes());
    }
    bytes.extend_from_slice(f.after.as_bytes());
    crate::source::atomic::write(path, &bytes).map_err(|e| format!("{}: {e}", f.display))
}
