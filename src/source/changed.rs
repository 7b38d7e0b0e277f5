//! Which findings a run reports when it is limited to some files: `--changed-since
//! REV` (the files git says changed since a revision, plus untracked ones) and
//! `--context DIR` (read DIR for context, report only in the files named).
//!
//! Either way the scan still reads and groups the whole scanned tree, so rules that
//! look across files (overrides, includes, kustomizations, references between
//! objects) see whole projects; only the findings are limited to the chosen files.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::path::normalize;

/// Absolute, normalized paths (files or directories) findings must lie in.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReportFilter {
    targets: Vec<PathBuf>,
}

impl ReportFilter {
    /// `paths` relative to `cwd` (or absolute).
    pub(crate) fn new(paths: impl IntoIterator<Item = PathBuf>, cwd: &Path) -> Self {
        let mut targets: Vec<PathBuf> =
            paths.into_iter().map(|p| normalize(&cwd.join(p))).collect();
        targets.sort();
        targets.dedup();
        ReportFilter { targets }
    }

    /// Whether a file (given as the scan saw it, relative to `cwd` or absolute)
    /// is one of the targets or inside one.
    pub(crate) fn covers(&self, file: &Path, cwd: &Path) -> bool {
        let abs = normalize(&cwd.join(file));
        self.targets.iter().any(|t| abs.starts_with(t))
    }
}

fn git(cwd: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(cwd)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

fn nul_separated(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|b| *b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
}

/// The files changed since `rev` (`git diff --name-only REV`, which compares the
/// revision with the working tree) and the untracked files git does not ignore,
/// as absolute paths that still exist.
pub(crate) fn changed_since(rev: &str, cwd: &Path) -> Result<Vec<PathBuf>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let top = git(cwd, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let diff = git(
        &top,
        &["diff", "--name-only", "--no-relative", "-z", rev, "--"],
    )?;
    let untracked = git(
        &top,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "--full-name",
            "-z",
        ],
    )?;
    let mut files: Vec<PathBuf> = nul_separated(&diff)
        .chain(nul_separated(&untracked))
        .map(|p| top.join(p))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_files_and_directories() {
        let cwd = Path::new("/repo");
        let f = ReportFilter::new([PathBuf::from("k8s"), PathBuf::from("./compose.yaml")], cwd);
        assert!(f.covers(Path::new("./k8s/app.yaml"), cwd));
        assert!(f.covers(Path::new("/repo/compose.yaml"), cwd));
        assert!(!f.covers(Path::new("k8s-old/app.yaml"), cwd));
        assert!(!f.covers(Path::new("compose.override.yaml"), cwd));
    }
}
