//! From the command line to a scan request: the paths (or stdin), the walk options
//! and the configuration that applies to each path.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{ConfigArgs, Fatal, WalkArgs};
use crate::config::{self, Config};
use crate::engine::{ScanRequest, StdinInput};
use crate::source::discover::WalkOptions;

/// The error for a path on the command line that does not exist.
pub(super) fn missing(p: &Path) -> Fatal {
    Fatal::Error(format!("{}: no such file or directory", p.display()))
}

/// The error for a path on the command line that cannot be reached: a symbolic
/// link that loops or points nowhere, or no file at all.
fn not_found(p: &Path) -> Fatal {
    if std::fs::symlink_metadata(p).is_err() {
        return missing(p);
    }
    match std::fs::canonicalize(p) {
        Err(e) if e.raw_os_error() == Some(ELOOP) => Fatal::Error(format!(
            "{}: symlink loop (the symbolic link leads back to itself)",
            p.display()
        )),
        _ => Fatal::Error(format!(
            "{}: broken symbolic link (its target does not exist)",
            p.display()
        )),
    }
}

/// `ELOOP`: too many levels of symbolic links (40 on Linux, 62 on macOS and the
/// BSDs).
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

/// The configuration for each path: none with `--isolated`, the `--config` file, or
/// the orchlint.toml found from the path upwards (from `.` for stdin, `-`).
pub(super) fn configs_for(paths: &[PathBuf], args: &ConfigArgs) -> Result<Vec<Config>, Fatal> {
    if args.isolated {
        return Ok(paths.iter().map(|_| Config::default()).collect());
    }
    if let Some(p) = &args.config {
        let c = config::load(p).map_err(|e| Fatal::Error(e.0))?;
        return Ok(paths.iter().map(|_| c.clone()).collect());
    }
    let mut out = Vec::new();
    for p in paths {
        let start = if p.as_os_str() == "-" {
            PathBuf::from(".")
        } else {
            p.clone()
        };
        out.push(match config::find(&start) {
            Some(found) => config::load(&found).map_err(|e| Fatal::Error(e.0))?,
            None => Config::default(),
        });
    }
    Ok(out)
}

/// The scan request for these walk options: reads stdin when a path is `-`, and
/// fails on a path that does not exist. Rule selection is left to the caller.
pub(super) fn request(walk: &WalkArgs, cfg: &ConfigArgs) -> Result<ScanRequest, Fatal> {
    let mut paths = Vec::new();
    let mut stdin = None;
    for p in &walk.paths {
        if p.as_os_str() == "-" {
            if stdin.is_some() {
                return Err(Fatal::Error(
                    "`-` (standard input) can be named only once".into(),
                ));
            }
            stdin = Some(read_stdin(walk)?);
        } else {
            if !p.exists() {
                return Err(not_found(p));
            }
            paths.push(p.clone());
        }
    }
    let mut config_roots = paths.clone();
    if config_roots.is_empty() {
        config_roots.push(PathBuf::from("-"));
    }
    let configs = configs_for(&config_roots, cfg)?;
    Ok(ScanRequest {
        paths,
        stdin,
        walk: WalkOptions {
            no_ignore: walk.no_ignore,
            include: walk.include.clone(),
            exclude: walk.exclude.clone(),
            max_file_size: walk.max_file_size,
            follow_symlinks: walk.follow_symlinks,
            threads: usize::from(walk.threads),
            max_depth: None,
        },
        configs,
        cli_select: None,
        cli_ignore: Vec::new(),
        cli_extend_select: Vec::new(),
        skip_rules: false,
        advise: false,
        kubernetes_version: None,
        crd_paths: Vec::new(),
        overlay: Default::default(),
    })
}

/// The document stream on stdin, named by `--stdin-filename` (default `stdin.yaml`).
fn read_stdin(walk: &WalkArgs) -> Result<StdinInput, Fatal> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Fatal::Error(format!("cannot read stdin: {e}")))?;
    let name = walk
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("stdin.yaml"));
    Ok(StdinInput { name, text })
}
