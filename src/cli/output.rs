//! Where command output goes wrong: stdout closed or failing, a file that cannot be
//! written.

use std::io::{ErrorKind, Write};
use std::path::Path;

use super::Fatal;

/// The error for a failed write to stdout. A reader that closed the pipe
/// (`orchlint rules | head -1`) ends the run quietly; anything else is reported.
pub(super) fn io(e: std::io::Error) -> Fatal {
    if e.kind() == ErrorKind::BrokenPipe {
        Fatal::ClosedOutput
    } else {
        Fatal::Error(format!("cannot write output: {e}"))
    }
}

/// Writes a file the user named: a regular file (or one still to be made)
/// atomically, through a symbolic link to its target rather than over the link;
/// a device, FIFO or pipe (`/dev/null`, `>(cmd)`) straight into it, as it is.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    write_file_with(path, |out| out.write_all(bytes))
}

/// `write_file` of what `fill` writes, streamed: a report is never held whole.
pub(super) fn write_file_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Fatal> {
    let failed = |e: std::io::Error| Fatal::Error(format!("cannot write {}: {e}", path.display()));
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            if m.is_dir() {
                return Err(Fatal::Error(format!(
                    "cannot write {}: it is a directory",
                    path.display()
                )));
            }
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(failed)?;
            let mut out = std::io::BufWriter::new(f);
            fill(&mut out).and_then(|()| out.flush()).map_err(failed)
        }
        Ok(_) => {
            let target = std::fs::canonicalize(path).map_err(failed)?;
            crate::source::atomic::write_with(&target, fill).map_err(failed)
        }
        Err(_) => crate::source::atomic::write_with(&link_target(path), fill).map_err(failed),
    }
}

/// Where writing `path` lands: the target of a dangling symbolic link, else the
/// path itself.
fn link_target(path: &Path) -> std::path::PathBuf {
    match std::fs::read_link(path) {
        Ok(t) if t.is_absolute() => t,
        Ok(t) => path.parent().map_or(t.clone(), |p| p.join(&t)),
        Err(_) => path.to_path_buf(),
    }
}

/// A path as one target: canonical when it exists; else its directory made
/// canonical and its name; else the path itself.
pub(super) fn same_target_key(path: &Path) -> std::path::PathBuf {
    if let Ok(c) = std::fs::canonicalize(path) {
        return c;
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}
