//! `orchlint completions SHELL`: a shell completion script.

use std::io::Write;

use clap::CommandFactory;

use super::output::io;
use super::{Cli, Fatal};

/// Runs `orchlint completions`. The script is rendered into memory first: clap_complete
/// panics when its output fails, which a closed stdout must not turn into a crash.
pub(super) fn run(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<i32, Fatal> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "orchlint", &mut script);
    out.write_all(&script).map_err(io)?;
    Ok(0)
}
