//! `orchlint graph`: the projects' services, dependencies, volumes, exposed ports
//! and entry points, as one Mermaid or Graphviz diagram.

use std::io::Write;

use super::output::io;
use super::request::request;
use super::{ConfigArgs, Fatal, GraphFormat, WalkArgs};
use crate::advise::graph;
use crate::engine;

/// Runs `orchlint graph`: one diagram with a subgraph per project that has
/// workloads; fails when no project has any.
pub(super) fn run(
    walk: &WalkArgs,
    format: GraphFormat,
    cfg: &ConfigArgs,
    out: &mut dyn Write,
) -> Result<i32, Fatal> {
    let mut req = request(walk, cfg)?;
    req.skip_rules = true;
    let scan = engine::run(&req).map_err(Fatal::Error)?;
    let graphs: Vec<_> = scan
        .projects
        .iter()
        .zip(&scan.models)
        .filter(|(_, model)| !model.workloads.is_empty())
        .map(|(project, model)| (project, graph::build(model, project, &scan.files)))
        .collect();
    if graphs.is_empty() {
        return Err(Fatal::Error("no project with workloads found".into()));
    }
    let text = match format {
        GraphFormat::Mermaid => graph::mermaid(&graphs),
        GraphFormat::Dot => graph::dot(&graphs),
    };
    out.write_all(text.as_bytes()).map_err(io)?;
    Ok(0)
}
