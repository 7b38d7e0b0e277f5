//! Apache Brooklyn blueprints and catalogs, Clocker's included.
//!
//! - `model`: blueprints (entity specs with their children, DSL references, Clocker
//!   keys) and catalog items.
//! - `group`: a blueprint or catalog file is a project of its own: Brooklyn deploys
//!   one blueprint at a time, and a catalog only defines building blocks.
//! - `lower`: one workload per entity (children and cluster member specs included);
//!   `$brooklyn:component` references become dependencies; host cluster sizes and
//!   BYON host lists become host counts.

pub(crate) mod model;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::yaml::Node;

pub(crate) use model::{BrooklynFile, Entity};

pub(crate) fn read(file: FileId, docs: &[Node], diags: &mut Vec<Diagnostic>) -> BrooklynFile {
    model::read(file, docs, diags)
}

/// Entity types that mean Clocker: its Docker cloud (1.x) and the clusters it
/// provisions (2.x).
const CLOCKER_TYPES: &[&str] = &[
    "docker-cloud",
    "dockerinfrastructure",
    "docker-infrastructure",
    "docker-swarm",
    "docker-engine",
    "kubernetes-cluster-application",
    "clocker.",
];

/// True when an entity is one Clocker runs or provides.
pub(crate) fn is_clocker_entity(e: &Entity) -> bool {
    clocker_sign(e).is_some()
}

/// Why an entity says Clocker, if it does.
pub(crate) fn clocker_sign(e: &Entity) -> Option<String> {
    let t = &e.type_name.as_ref()?.value;
    if t.starts_with("docker:") {
        return Some(format!(
            "`type: {t}`: a container Clocker runs on a Docker cloud"
        ));
    }
    let lower = t.to_ascii_lowercase();
    CLOCKER_TYPES
        .iter()
        .any(|c| lower.contains(c))
        .then(|| format!("`type: {t}`: a Clocker entity"))
}
