//! The migration sketch: for each feature the project uses, how the recommended
//! orchestrator writes it, or that it has no equivalent there
//! (`rules/migrations.toml`).

use std::sync::OnceLock;

use serde::Deserialize;

use super::Evidence;
use super::catalog::Orchestrator;
use super::features::Used;
use super::state::{covers, keeps_data};
use super::stores;
use crate::model::{DeploymentModel, Mount, MountKind, Workload};
use crate::source::Format;

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

/// The commands and files of a move (`[[plan]]` of `rules/migrations.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanRow {
    pub(crate) from: String,
    pub(crate) to: String,
    /// Shell commands in order; `{app}` is the project's name, `{files}` its spec
    /// files as written, `{f_files}` each after `-f`.
    pub(crate) commands: Vec<String>,
    /// The files to write, each with what goes in it.
    pub(crate) files: Vec<String>,
    /// How a volume's data moves: `{volume}`, `{target}`, `{app}` are filled in.
    pub(crate) data: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    map: Vec<Row>,
    plan: Vec<PlanRow>,
}

const TABLE: &str = include_str!("../../rules/migrations.toml");

fn parse_table() -> Result<Table, toml::de::Error> {
    toml::from_str::<Table>(TABLE)
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    // Compiled in and checked by the tests below.
    T.get_or_init(|| parse_table().unwrap_or_default())
}

#[cfg(test)]
fn parse() -> Result<Vec<Row>, toml::de::Error> {
    parse_table().map(|t| t.map)
}

pub(crate) fn rows() -> &'static [Row] {
    &table().map
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

/// Where a move starts: the orchestrator in use (its id, also for platforms the
/// catalog lacks, such as `heroku`) and the family its specs are written in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin<'a> {
    pub(crate) id: &'a str,
    pub(crate) family: &'a str,
}

impl<'a> Origin<'a> {
    #[cfg(test)]
    pub(crate) fn of(o: &'a Orchestrator) -> Self {
        Origin {
            id: &o.id,
            family: &o.spec_family,
        }
    }
}

/// Whether a row's `from`/`to` names the move's ends, and how specifically (ids
/// win over spec families).
fn specificity(row_from: &str, row_to: &str, from: Origin<'_>, to: &Orchestrator) -> Option<u8> {
    let from_hit = row_from == from.id || row_from == from.family;
    let to_hit = row_to == to.id || row_to == to.spec_family;
    (from_hit && to_hit).then(|| {
        u8::from(row_from == from.id && from.id != from.family)
            + u8::from(row_to == to.id && to.id != to.spec_family)
    })
}

/// The rows for a move, most specific first: rows naming the orchestrators' ids
/// win over rows naming their spec families.
fn rows_for(from: Origin<'_>, to: &Orchestrator) -> Vec<&'static Row> {
    let matching: Vec<(u8, &'static Row)> = rows()
        .iter()
        .filter_map(|r| specificity(&r.from, &r.to, from, to).map(|s| (s, r)))
        .collect();
    let best = matching.iter().map(|(s, _)| *s).max().unwrap_or(0);
    matching
        .into_iter()
        .filter(|(s, _)| *s == best)
        .map(|(_, r)| r)
        .collect()
}

/// The plan row of a move: the most specific one.
fn plan_for(from: Origin<'_>, to: &Orchestrator) -> Option<&'static PlanRow> {
    table()
        .plan
        .iter()
        .filter_map(|p| specificity(&p.from, &p.to, from, to).map(|s| (s, p)))
        .max_by_key(|(s, _)| *s)
        .map(|(_, p)| p)
}

/// The sketch of a move for a project that uses `used`; empty when it stays.
pub(crate) fn sketch(from: Origin<'_>, to: &Orchestrator, used: &Used) -> Vec<Step> {
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

/// A volume whose data must move with the project, and how.
#[derive(Clone, Debug)]
pub(crate) struct DataStep {
    /// The volume, claim or host directory.
    pub(crate) volume: String,
    /// Where the workload mounts it.
    pub(crate) target: String,
    /// How to take the data out, where to put it, and (for a data store) the dump
    /// and restore that keep it consistent.
    pub(crate) action: String,
    pub(crate) at: Evidence,
}

/// The concrete side of a move: the commands to run, the files to write and what
/// to do with each volume's data. Empty when the project stays.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    pub(crate) commands: Vec<String>,
    pub(crate) files: Vec<String>,
    pub(crate) data: Vec<DataStep>,
}

/// The plan of a move from `from` to `to` for the project named `app` written in
/// `spec_files` (as printed), whose model is `model`.
pub(crate) fn plan(
    from: Origin<'_>,
    to: &Orchestrator,
    app: &str,
    spec_files: &[String],
    model: &DeploymentModel,
) -> Plan {
    if from.id == to.id {
        return Plan::default();
    }
    let row = plan_for(from, to);
    // Copies per workload, for `ps:scale`-style commands: `web=2 worker=1`.
    let scale = model
        .workloads
        .iter()
        .filter(|w| !w.kind.is_batch())
        .map(|w| format!("{}={}", w.name, w.replica_count()))
        .collect::<Vec<_>>()
        .join(" ");
    let fill = |t: &str| {
        t.replace("{app}", app)
            .replace("{scale}", &scale)
            .replace("{files}", &spec_files.join(" "))
            .replace(
                "{f_files}",
                &spec_files
                    .iter()
                    .map(|f| format!("-f {f}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
    };
    let mut data: Vec<DataStep> = Vec::new();
    for w in &model.workloads {
        for c in w.containers.iter().filter(|c| !c.init) {
            let store = c
                .image
                .as_ref()
                .and_then(|i| stores::lookup(&i.value))
                .filter(|s| !s.data.is_empty());
            for m in c.mounts.iter().filter(|m| keeps_data(m)) {
                let volume = m.source.clone().unwrap_or_else(|| m.target.clone());
                if data.iter().any(|d| d.volume == volume) {
                    continue;
                }
                let put = row.map_or_else(
                    || format!("copy it to the new storage mounted at {}", m.target),
                    |r| {
                        fill(&r.data)
                            .replace("{volume}", &volume)
                            .replace("{target}", &m.target)
                    },
                );
                let mut action = format!("{}; then {put}", take_out(w, m, &volume));
                if let Some(st) = store.filter(|st| covers(m, st)) {
                    action.push_str(&format!(
                        "; {} keeps its data here: move it with {} rather than copying the files of a running server",
                        st.name,
                        st.dump.as_deref().unwrap_or("the store's own backup and restore")
                    ));
                }
                data.push(DataStep {
                    volume,
                    target: m.target.clone(),
                    action,
                    at: Evidence::at(w, m.loc, format!("{} mounts it", w.describe())),
                });
            }
        }
    }
    Plan {
        commands: row.map_or_else(Vec::new, |r| r.commands.iter().map(|c| fill(c)).collect()),
        files: row.map_or_else(Vec::new, |r| r.files.iter().map(|f| fill(f)).collect()),
        data,
    }
}

/// How the data of a mount is taken out of the orchestrator in use.
fn take_out(w: &Workload, m: &Mount, volume: &str) -> String {
    match (w.format, &m.kind) {
        (_, MountKind::HostPath) => format!(
            "archive the host directory `{volume}` (`tar czf {} -C {volume} .` on its host)",
            archive(volume)
        ),
        (Format::Kubernetes | Format::Helm, _) => format!(
            "copy it out of a pod that mounts it (`kubectl cp POD:{} ./{}`)",
            m.target,
            archive_stem(volume)
        ),
        (Format::Compose, MountKind::Named) => format!(
            "archive it: `docker run --rm -v {volume}:/from -v \"$PWD\":/to alpine tar czf /to/{} -C /from .`",
            archive(volume)
        ),
        (Format::Flocker, _) => format!(
            "copy dataset `{volume}` from the node that holds it (Flocker mounts datasets under `/flocker/`)"
        ),
        (Format::Marathon, MountKind::Persistent) => format!(
            "copy it from the agent that holds the task's persistent volume `{volume}` (its sandbox)"
        ),
        (_, MountKind::External) => format!(
            "snapshot the external volume `{volume}`, or attach the same storage to the new platform"
        ),
        _ => format!("copy the data of `{volume}` out of the running container (`docker cp`)"),
    }
}

fn archive_stem(volume: &str) -> String {
    let stem: String = volume
        .trim_matches(['.', '/'])
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if stem.is_empty() { "data".into() } else { stem }
}

fn archive(volume: &str) -> String {
    format!("{}.tgz", archive_stem(volume))
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
        assert!(rows_for(Origin::of(k8s), k3s).iter().all(|r| r.to == "k3s"));
        assert!(
            rows_for(Origin::of(swarm), compose)
                .iter()
                .all(|r| r.from == "swarm")
        );
        assert!(
            rows_for(Origin::of(compose), k3s)
                .iter()
                .any(|r| r.feature == "depends-on")
        );
        assert!(
            rows_for(Origin::of(compose), compose)
                .iter()
                .all(|r| r.from == "compose")
        );
    }
}
