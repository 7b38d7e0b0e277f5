//! `orchlint man`: the man pages, rendered from the clap definitions.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use super::output::{io, write_file};
use super::{Cli, Fatal};

/// Runs `orchlint man`: the top page on stdout, or with `--dir` every page into
/// that directory.
pub(super) fn run(dir: Option<&Path>, out: &mut dyn Write) -> Result<i32, Fatal> {
    let cmd = Cli::command();
    match dir {
        None => clap_mangen::Man::new(cmd).render(out).map_err(io)?,
        Some(dir) => {
            for (name, page) in man_pages(cmd).map_err(io)? {
                write_file(&dir.join(&name), &page)?;
            }
        }
    }
    Ok(0)
}

/// `orchlint.1` and one page per command (`orchlint-check.1`, ...).
pub(crate) fn man_pages(cmd: clap::Command) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = Vec::new();
    let mut top = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut top)?;
    pages.push(("orchlint.1".to_string(), top));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("orchlint-{}", sub.get_name());
        let sub = sub.clone().name(name.clone()).display_name(name.clone());
        let mut page = Vec::new();
        clap_mangen::Man::new(sub).render(&mut page)?;
        pages.push((format!("{name}.1"), page));
    }
    Ok(pages)
}
