//! The migration sketch: for each feature the project uses, how the recommended
//! orchestrator writes it, or that it has no equivalent there
//! (`rules/migrations.toml`).

use std::sync::OnceLock;

use serde::Deserialize;

use super::Evidence;
use super::catalog::Orchestrator;
use super::features::Used;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Row {
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) feature: String,
    pub(crate) source: String,
    pub(crate) target: String,
    #[serde(default = "yes")]
    pub(crate) equivalent: bool,
    pub(crate) note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    map: Vec<Row>,
}

const TABLE: &str = include_str!("../../rules/migrations.toml");

fn parse() -> Result<Vec<Row>, toml::de::Error> {
    toml::from_str::<Table>(TABLE).map(|t| t.map)
}

pub(crate) fn rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    // Compiled in and checked by the tests below.
    ROWS.get_or_init(|| parse().unwrap_or_default())
}

/// One line of the sketch.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub(crate) feature: &'static str,
    pub(crate) source: &'static str,
    pub(crate) target: &'static str,
    pub(crate) equivalent: bool,
    pub(crate) note: Option<&'static str>,
    /// Where the project first uses it (`None` for the general `*` rows).
    pub(crate) at: Option<Evidence>,
}

/// The rows for a move, most specific first: rows naming the orchestrators' ids
/// win over rows naming their spec families.
fn rows_for(from: &Orchestrator, to: &Orchestrator) -> Vec<&'static Row> {
    let specificity = |r: &Row| {
        let from_id = r.from == from.id && from.id != from.spec_family;
        let to_id = r.to == to.id && to.id != to.spec_family;
        u8::from(from_id) + u8::from(to_id)
    };
    let matching: Vec<&'static Row> = rows()
        .iter()
        .filter(|r| {
            (r.from == from.id || r.from == from.spec_family)
                && (r.to == to.id || r.to == to.spec_family)
        })
        .collect();
    let best = matching.iter().map(|r| specificity(r)).max().unwrap_or(0);
    matching
        .into_iter()
        .filter(|r| specificity(r) == best)
        .collect()
}

/// The sketch of a move for a project that uses `used`; empty when it stays.
pub(crate) fn sketch(from: &Orchestrator, to: &Orchestrator, used: &Used) -> Vec<Step> {
    if from.id == to.id {
        return Vec::new();
    }
    let rows = rows_for(from, to);
    let mut out: Vec<Step> = Vec::new();
    for r in rows.iter().filter(|r| r.feature == "*") {
        out.push(step(r, None));
    }
    // In the order the project first uses each feature.
    for (feature, e) in &used.0 {
        for r in rows.iter().filter(|r| r.feature == *feature) {
            out.push(step(r, Some(e.clone())));
        }
    }
    out
}

fn step(r: &'static Row, at: Option<Evidence>) -> Step {
    Step {
        feature: r.feature.as_str(),
        source: r.source.as_str(),
        target: r.target.as_str(),
        equivalent: r.equivalent,
        note: r.note.as_deref(),
        at,
    }
}

/// Every feature name the table may use.
#[cfg(test)]
pub(crate) const FEATURES: &[&str] = &[
    "*",
    "replicas",
    "autoscaler",
    "global",
    "depends-on",
    "liveness",
    "readiness",
    "ports",
    "published-ports",
    "named-volume",
    "host-path",
    "persistent-volume",
    "external-volume",
    "ephemeral-volume",
    "tmpfs",
    "config-files",
    "resources",
    "env",
    "constraints",
    "one-per-host",
    "max-per-host",
    "zone-spread",
    "restart",
    "build",
    "host-network",
    "privileged",
    "networks",
    "service",
    "stateful-set",
    "batch",
    "upgrade-strategy",
    "residency",
    "resource-roles",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advise::catalog;

    #[test]
    fn table_parses_and_names_known_things() {
        let rows = parse().expect("rules/migrations.toml parses");
        assert!(rows.len() > 50);
        let families: Vec<&str> = catalog::all()
            .iter()
            .flat_map(|o| [o.id.as_str(), o.spec_family.as_str()])
            .collect();
        for r in &rows {
            assert!(FEATURES.contains(&r.feature.as_str()), "{}", r.feature);
            assert!(families.contains(&r.from.as_str()), "{}", r.from);
            assert!(families.contains(&r.to.as_str()), "{}", r.to);
            if r.equivalent {
                assert!(!r.target.is_empty(), "{} -> {} {}", r.from, r.to, r.feature);
            }
            if !r.equivalent {
                assert!(
                    r.note.is_some(),
                    "{} -> {} {}: say why",
                    r.from,
                    r.to,
                    r.feature
                );
            }
        }
    }

    #[test]
    fn specific_rows_win() {
        let k8s = catalog::get("kubernetes").unwrap();
        let k3s = catalog::get("k3s").unwrap();
        let compose = catalog::get("compose").unwrap();
        let swarm = catalog::get("swarm").unwrap();
        assert!(rows_for(k8s, k3s).iter().all(|r| r.to == "k3s"));
        assert!(rows_for(swarm, compose).iter().all(|r| r.from == "swarm"));
        assert!(
            rows_for(compose, k3s)
                .iter()
                .any(|r| r.feature == "depends-on")
        );
        assert!(
            rows_for(compose, compose)
                .iter()
                .all(|r| r.from == "compose")
        );
    }
}
