//! `orchlint graph`: each project's services, dependencies, volumes and exposed
//! ports, as Mermaid or Graphviz.

use std::io::Write;

use super::output::io;
use super::request::request;
use super::{ConfigArgs, Fatal, GraphFormat, WalkArgs};
use crate::advise::graph;
use crate::engine;

/// Runs `orchlint graph`: one graph per project with workloads, separated by a blank
/// line; fails when no project has any.
pub(super) fn run(
    walk: &WalkArgs,
    format: GraphFormat,
    cfg: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    let mut req = request(walk, cfg)?;
    req.skip_rules = true;
    let scan = engine::run(&req).map_err(Fatal::Error)?;
    let mut first = true;
    for (project, model) in scan.projects.iter().zip(&scan.models) {
        if model.workloads.is_empty() {
            continue;
        }
        if !first {
            writeln!(out).map_err(io)?;
        }
        first = false;
        let g = graph::build(model);
        let text = match format {
            GraphFormat::Mermaid => graph::mermaid(project, &g),
            GraphFormat::Dot => graph::dot(project, &g),
        };
        out.write_all(text.as_bytes()).map_err(io)?;
    }
    if first {
        return Err(Fatal::Error("no project with workloads found".into()));
    }
    Ok(0)
}
