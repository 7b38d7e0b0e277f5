//! `orchlint clean`: removes the content cache and says what went.

use std::io::Write;

use super::output::io;
use super::{CacheArgs, Fatal};

pub(super) fn run(cache: &CacheArgs, out: &mut dyn Write) -> Result<i32, Fatal> {
    let Some(dir) = cache.dir() else {
        writeln!(
            out,
            "no cache directory on this platform: nothing to remove"
        )
        .map_err(io)?;
        return Ok(0);
    };
    let (files, bytes) = crate::cache::clean(&dir)
        .map_err(|e| Fatal::Error(format!("cannot clean {}: {e}", dir.display())))?;
    if files == 0 {
        writeln!(out, "no cache in {}: nothing to remove", dir.display()).map_err(io)?;
    } else {
        writeln!(
            out,
            "removed {files} cache entr{} ({bytes} bytes) from {}",
            if files == 1 { "y" } else { "ies" },
            dir.display()
        )
        .map_err(io)?;
    }
    Ok(0)
}
