//! `orchlint completions SHELL`: a shell completion script.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, Fatal};

/// Runs `orchlint completions`.
pub(super) fn run(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<i32, Fatal> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "orchlint", out);
    Ok(0)
}
