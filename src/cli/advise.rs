//! `orchlint advise`: each project's scale, state and needs, and the orchestrator
//! that fits.

use std::io::Write;

use super::output::io;
use super::request::request;
use super::{AdviseFormat, ConfigArgs, Fatal, WalkArgs};
use crate::advise::{self, Advice, report};
use crate::engine;

/// Runs `orchlint advise`; lowers the projects without running the rules.
pub(super) fn run(
    walk: &WalkArgs,
    format: AdviseFormat,
    cfg: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    let mut req = request(walk, cfg)?;
    req.skip_rules = true;
    req.advise = true;
    let scan = engine::run(&req).map_err(Fatal::Error)?;
    let advice: Vec<&Advice> = scan.advice.iter().flatten().collect();
    let left_out: Vec<report::LeftOut> = scan
        .advice
        .iter()
        .zip(&scan.projects)
        .filter(|(a, _)| a.is_none())
        .map(|(_, p)| report::LeftOut {
            root: p.root.clone(),
            reason: advise::nothing_to_place(p, &scan.files),
        })
        .collect();
    report::write(format, out, &scan.files, &advice, &left_out).map_err(io)?;
    Ok(0)
}
