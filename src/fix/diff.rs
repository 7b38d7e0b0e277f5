//! `check --diff`: what `--fix` would change, as a unified diff per file.

use super::FixedFile;

/// The unified diff of one fixed file (three lines of context), headed by its
/// path as the scan shows it.
pub(crate) fn unified(f: &FixedFile) -> String {
    let diff = similar::TextDiff::from_lines(&f.before, &f.after);
    let mut out = String::new();
    out.push_str(&format!("--- {}\n+++ {}\n", f.display, f.display));
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&hunk.to_string());
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}
