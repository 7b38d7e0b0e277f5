//! `MIGRATION.md`: what a migration carried, what it could not (with the source
//! location of each), what a person must decide, and the commands to run.

use std::fmt::Write;

use super::{Guide, Target};
use crate::project::SpecFile;
use crate::source::Locator;

pub(super) fn render(
    name: &str,
    current: &str,
    target: Target,
    g: &Guide,
    files: &[SpecFile],
) -> String {
    let from = crate::advise::catalog::get(current).map_or(current, |o| o.name.as_str());
    let to = match target {
        Target::Kubernetes => "Kubernetes",
        Target::Compose => "Docker Compose",
        Target::Swarm => "Docker Swarm",
        Target::Nomad => "Nomad",
        Target::Dokku => "Dokku",
    };
    let mut locator = Locator::new(files);
    let mut out = String::new();
    let _ = writeln!(out, "# Migrating `{name}` from {from} to {to}\n");
    let _ = writeln!(
        out,
        "Written by `orchlint migrate`. {} carried, {} left for a person, {} decision{} to make.\n",
        g.carried.len(),
        g.left.len(),
        g.decide.len(),
        if g.decide.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "## Carried\n");
    for c in &g.carried {
        let _ = writeln!(out, "- {c}");
    }
    let _ = writeln!(out, "\n## No equivalent: left for a person\n");
    if g.left.is_empty() {
        let _ = writeln!(out, "Nothing.");
    }
    for l in &g.left {
        match l.at {
            Some(at) => {
                let lc = locator.line_col(at.file, at.span.start);
                let file = &locator.file(at.file).display;
                let _ = writeln!(out, "- {file}:{}:{}: {}", lc.line, lc.column, l.what);
            }
            None => {
                let _ = writeln!(out, "- {}", l.what);
            }
        }
    }
    let _ = writeln!(out, "\n## To decide\n");
    if g.decide.is_empty() {
        let _ = writeln!(out, "Nothing.");
    }
    for d in &g.decide {
        let _ = writeln!(out, "- {d}");
    }
    let _ = writeln!(out, "\n## Commands\n\n```sh");
    for c in &g.commands {
        let _ = writeln!(out, "{c}");
    }
    let _ = writeln!(out, "```");
    out
}
