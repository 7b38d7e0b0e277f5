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

/// Starts `git ARGS` in `cwd`, its output piped.
fn spawn_git(cwd: &Path, args: &[&str]) -> Result<std::process::Child, String> {
    Command::new("git")
        .args(args)
        .current_dir(cwd)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))
}

/// What a started `git ARGS` printed, once it succeeded.
fn git_output(child: std::process::Child, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = child
        .wait_with_output()
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
    // The three run at once: paths come relative to the repository's top
    // (`--no-relative`, `--full-name`, and the pathspec `:/` for the whole
    // tree wherever `cwd` is), and only the joining waits for the top.
    let top_args = ["rev-parse", "--show-toplevel"];
    let diff_args = ["diff", "--name-only", "--no-relative", "-z", rev, "--"];
    let untracked_args = [
        "ls-files",
        "--others",
        "--exclude-standard",
        "--full-name",
        "-z",
        "--",
        ":/",
    ];
    let top = spawn_git(cwd, &top_args)?;
    let diff = spawn_git(cwd, &diff_args);
    let untracked = spawn_git(cwd, &untracked_args);
    // Each is waited for, whichever failed, and the first failure is told.
    let top = git_output(top, &top_args);
    let diff = diff.and_then(|c| git_output(c, &diff_args));
    let untracked = untracked.and_then(|c| git_output(c, &untracked_args));
    let top = PathBuf::from(String::from_utf8_lossy(&top?).trim());
    let (diff, untracked) = (diff?, untracked?);
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

    /// Edited and untracked files anywhere in the repository, from a subfolder,
    /// as absolute paths; a bad revision is git's error.
    #[test]
    fn changed_files_come_from_the_whole_repository() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let top = tmp.path().canonicalize().expect("canonical");
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@localhost"])
                .args(args)
                .current_dir(&top)
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(ok, "git {args:?}");
        };
        for d in ["a", "b"] {
            std::fs::create_dir_all(top.join(d)).expect("mkdir");
            std::fs::write(top.join(d).join("x.yaml"), "x: 1\n").expect("write");
        }
        git(&["init", "-q"]);
        git(&["add", "-A"]);
        git(&["commit", "-qm", "base"]);
        std::fs::write(top.join("b/x.yaml"), "x: 2\n").expect("edit");
        std::fs::write(top.join("b/new.yaml"), "y: 1\n").expect("untracked");
        std::fs::write(top.join(".gitignore"), "*.log\n").expect("ignore");
        std::fs::write(top.join("a/skip.log"), "").expect("ignored");
        let files = changed_since("HEAD", &top.join("a")).expect("changed");
        assert_eq!(
            files,
            vec![
                top.join(".gitignore"),
                top.join("b/new.yaml"),
                top.join("b/x.yaml")
            ]
        );
        let bad = changed_since("no-such-rev", &top).expect_err("a bad revision");
        assert!(bad.contains("git diff"), "{bad}");
    }

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
