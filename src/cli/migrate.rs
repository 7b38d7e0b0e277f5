//! `orchlint migrate`: writes each project's specs for another orchestrator (the
//! recommended one unless `--to` names it) into an output folder, never over the
//! sources, with a `MIGRATION.md` per project.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::io;
use super::request::request;
use super::{ConfigArgs, Fatal, MigrateTarget, WalkArgs};
use crate::engine;
use crate::migrate::{self, Target};

pub(super) fn run(
    walk: &WalkArgs,
    to: Option<MigrateTarget>,
    out_dir: &Path,
    force: bool,
    cfg: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    if out_dir.exists() && !force {
        let non_empty = std::fs::read_dir(out_dir)
            .map_err(|e| Fatal::Error(format!("{}: {e}", out_dir.display())))?
            .next()
            .is_some();
        if non_empty {
            return Err(Fatal::Error(format!(
                "{} is not empty; name an empty or new folder, or pass --force to write into it",
                out_dir.display()
            )));
        }
    }
    let mut req = request(walk, cfg)?;
    req.skip_rules = true;
    req.advise = true;
    let scan = engine::run(&req).map_err(Fatal::Error)?;
    // The sources, by canonical path: nothing is ever written over one of them.
    let sources: HashSet<PathBuf> = scan
        .files
        .iter()
        .filter_map(|f| std::fs::canonicalize(&f.path).ok())
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut names: HashSet<String> = HashSet::new();
    let mut refused = 0;
    let mut written = 0;
    for (i, project) in scan.projects.iter().enumerate() {
        let root =
            crate::source::display_path(project.root.strip_prefix(&cwd).unwrap_or(&project.root));
        let Some(advice) = scan.advice.get(i).and_then(Option::as_ref) else {
            continue;
        };
        let target = match to {
            Some(t) => t.target(),
            None => {
                let Some(rec) = &advice.recommendation else {
                    writeln!(out, "{root}: no orchestrator fits; name one with --to")
                        .map_err(io)?;
                    continue;
                };
                if rec.keeps_current {
                    writeln!(
                        out,
                        "{root}: stays on {} (the advisor recommends no move)",
                        rec.orchestrator.name
                    )
                    .map_err(io)?;
                    continue;
                }
                match Target::for_orchestrator(&rec.orchestrator.id) {
                    Some(t) => t,
                    None => {
                        writeln!(
                            out,
                            "{root}: the advisor recommends {}, which orchlint does not write specs for; name a target with --to",
                            rec.orchestrator.name
                        )
                        .map_err(io)?;
                        continue;
                    }
                }
            }
        };
        // Projects of one folder are told apart by their main file's name.
        let mut name = migrate::project_name(&root);
        if names.contains(&name)
            && let Some(first) = project
                .files
                .first()
                .and_then(|id| scan.files.get(id.0 as usize))
        {
            let stem = first
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned());
            name = migrate::project_name(&format!("{root}/{}", stem.unwrap_or_default()));
        }
        let base = name.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let Some(model) = scan.models.get(i) else {
            continue;
        };
        match migrate::migrate(project, &scan.files, model, &name, target) {
            Err(why) => {
                refused += 1;
                eprintln!(
                    "orchlint: {root}: not migrated to {}: {why}",
                    target.as_str()
                );
            }
            Ok(m) => {
                let dir = out_dir.join(&name);
                for (rel, text) in &m.files {
                    let path = dir.join(rel);
                    write_new(&path, text, &sources)?;
                }
                written += 1;
                writeln!(
                    out,
                    "{root}: {} files for {} in {} ({} left for a person, see MIGRATION.md)",
                    m.files.len(),
                    target.as_str(),
                    crate::source::display_path(&dir),
                    m.guide.left.len()
                )
                .map_err(io)?;
            }
        }
    }
    if written == 0 && refused == 0 {
        writeln!(out, "Nothing to migrate.").map_err(io)?;
    }
    Ok(if refused > 0 { 1 } else { 0 })
}

/// Writes one generated file (atomically), refusing a path that is one of the
/// scanned sources.
fn write_new(path: &Path, text: &str, sources: &HashSet<PathBuf>) -> Result<(), Fatal> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Fatal::Error(format!("{}: {e}", dir.display())))?;
    if let Ok(canon) = std::fs::canonicalize(path)
        && sources.contains(&canon)
    {
        return Err(Fatal::Error(format!(
            "{} is one of the scanned specs; write the migration elsewhere (--out)",
            path.display()
        )));
    }
    crate::source::atomic::write(path, text.as_bytes())
        .map_err(|e| Fatal::Error(format!("{}: {e}", path.display())))
}
