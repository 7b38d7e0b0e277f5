//! Where command output goes wrong: stdout closed or failing, a file that cannot be
//! written.

use std::io::ErrorKind;
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

/// Writes a file the user named, atomically.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    crate::source::atomic::write(path, bytes)
        .map_err(|e| Fatal::Error(format!("cannot write {}: {e}", path.display())))
}
