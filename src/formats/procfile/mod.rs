//! Heroku-style apps (Heroku, Flynn, Deis, Dokku, ...): a `Procfile` declares the
//! process types, an optional `app.json` the formation (how many of each, on what
//! size), the add-ons (data stores the platform runs) and the buildpacks.
//!
//! - `model`: the Procfile line parser and the `app.json` reader.
//! - `group`: a Procfile and the `app.json` of the same directory are one app.
//! - `lower`: one workload per process type; add-ons become backing services.
//!
//! Flynn, Deis (v1 and Workflow), Dokku and Heroku read the same Procfile; only
//! `app.json` keys some of them read (Heroku's add-ons and stacks, Dokku's cron and
//! health checks) tell them apart. Where nothing does, the platform is reported as
//! `paas` with the candidates, not guessed.

pub(crate) mod model;

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::yaml::Node;

pub(crate) use model::{AppJson, Procfile, ProcfileFile};

pub(crate) use crate::source::PROCFILE;

/// Reads a Procfile's text.
pub(crate) fn read_procfile(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> ProcfileFile {
    ProcfileFile::Procfile(model::parse_procfile(file, text, diags))
}

/// Reads an `app.json` manifest from its documents.
pub(crate) fn read_manifest(
    file: FileId,
    docs: &[Node],
    diags: &mut Vec<Diagnostic>,
) -> ProcfileFile {
    ProcfileFile::Manifest(model::read_manifest(file, docs, diags))
}

/// The memory of a Heroku dyno size (Heroku Dev Center, "Dyno Types": eco, basic
/// and standard-1x 512 MB, standard-2x 1024 MB, performance-m 2.5 GB,
/// performance-l 14 GB; "Dyno Size" of 2014-2015: 1X 512 MB, 2X 1024 MB, PX 6 GB).
/// Other platforms name sizes their own way: unknown names give nothing.
pub(crate) fn dyno_memory(size: &str) -> Option<u64> {
    const MIB: u64 = 1024 * 1024;
    Some(match size.trim().to_ascii_lowercase().as_str() {
        "free" | "hobby" | "eco" | "basic" | "standard-1x" | "1x" => 512 * MIB,
        "standard-2x" | "2x" => 1024 * MIB,
        "performance-m" => 2560 * MIB,
        "performance-l" => 14 * 1024 * MIB,
        "px" => 6 * 1024 * MIB,
        _ => return None,
    })
}

/// The data store an add-on plan provides, when its name says.
pub(crate) fn addon_store(plan: &str) -> Option<&'static str> {
    let service = plan.split(':').next().unwrap_or(plan).to_ascii_lowercase();
    const STORES: &[(&str, &str)] = &[
        ("postgres", "postgresql"),
        ("redis", "redis"),
        ("mysql", "mysql"),
        ("jawsdb", "mysql"),
        ("cleardb", "mysql"),
        ("mongo", "mongodb"),
        ("kafka", "kafka"),
        ("elasticsearch", "elasticsearch"),
        ("bonsai", "elasticsearch"),
        ("searchbox", "elasticsearch"),
        ("memcache", "memcached"),
        ("rabbitmq", "rabbitmq"),
        ("cloudamqp", "rabbitmq"),
    ];
    STORES
        .iter()
        .find(|(k, _)| service.contains(k))
        .map(|(_, v)| *v)
}
