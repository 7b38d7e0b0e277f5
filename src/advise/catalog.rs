//! The orchestrator catalog (`rules/orchestrators.toml`): what each orchestrator
//! serves, how it is doing today, and what replaces it. Compiled in and read once.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The whitepaper's scale classes, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ScaleClass {
    /// One host.
    Nano,
    /// 2 to 49 hosts.
    Micro,
    /// 50 to 999 hosts.
    Medium,
    /// 1,000 hosts or more.
    Large,
}

impl ScaleClass {
    /// The class of an estimated number of hosts.
    pub(crate) fn of_hosts(hosts: u32) -> ScaleClass {
        match hosts {
            0 | 1 => ScaleClass::Nano,
            2..=49 => ScaleClass::Micro,
            50..=999 => ScaleClass::Medium,
            _ => ScaleClass::Large,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ScaleClass::Nano => "nano",
            ScaleClass::Micro => "micro",
            ScaleClass::Medium => "medium",
            ScaleClass::Large => "large",
        }
    }

    /// The fewest and most hosts of the class (`None`: no upper end).
    pub(crate) fn bounds(self) -> (u32, Option<u32>) {
        match self {
            ScaleClass::Nano => (1, Some(1)),
            ScaleClass::Micro => (2, Some(49)),
            ScaleClass::Medium => (50, Some(999)),
            ScaleClass::Large => (1000, None),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Stateful {
    None,
    Partial,
    FirstClass,
}

impl Stateful {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Stateful::None => "none",
            Stateful::Partial => "partial",
            Stateful::FirstClass => "first-class",
        }
    }
}

/// How far an orchestrator heals what fails, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Healing {
    None,
    /// Restarts containers that exit, on their own host.
    Restart,
    /// Also replaces unhealthy copies and moves work off a failed host.
    Cluster,
}

impl Healing {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Healing::None => "none",
            Healing::Restart => "restart",
            Healing::Cluster => "cluster",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    Active,
    Maintenance,
    EndOfLife,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Maintenance => "maintenance",
            Status::EndOfLife => "end-of-life",
        }
    }
}

/// One row of the catalog.
#[allow(
    dead_code,
    reason = "the catalog's provenance, kept with its facts; the advisor reads the facts"
)]
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Orchestrator {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) seed: bool,
    pub(crate) scale_min: ScaleClass,
    pub(crate) scale_max: ScaleClass,
    pub(crate) stateful: Stateful,
    pub(crate) healing: Healing,
    pub(crate) cluster_state: bool,
    pub(crate) dependencies: bool,
    pub(crate) deployment: Vec<String>,
    pub(crate) status: Status,
    pub(crate) status_since: String,
    pub(crate) status_note: String,
    pub(crate) successor: Vec<String>,
    pub(crate) successor_note: String,
    pub(crate) weight: u8,
    pub(crate) spec_family: String,
    pub(crate) converts_from: Vec<String>,
    pub(crate) sources: Vec<String>,
    pub(crate) notes: String,
    /// A platform someone else runs (Heroku): judged and kept for the projects on
    /// it, never proposed as a move, since what a move to it weighs is its vendor's
    /// terms rather than anything to operate.
    #[serde(default)]
    pub(crate) hosted: bool,
}

impl Orchestrator {
    /// Whether a project on `current` may be told to move to it.
    pub(crate) fn proposable_from(&self, current: &str) -> bool {
        !self.hosted || self.id == current
    }
}

impl Orchestrator {
    /// `nano`, or `micro-large`.
    pub(crate) fn range(&self) -> String {
        if self.scale_min == self.scale_max {
            self.scale_min.as_str().to_string()
        } else {
            format!("{}-{}", self.scale_min.as_str(), self.scale_max.as_str())
        }
    }

    /// The hosts of its range in words: `1 host`, `1 to 49 hosts`, `2 hosts or more`.
    pub(crate) fn hosts_range(&self) -> String {
        let (low, _) = self.scale_min.bounds();
        let (_, high) = self.scale_max.bounds();
        match high {
            Some(1) => "1 host".to_string(),
            Some(h) => format!("{low} to {h} hosts"),
            None if low == 1 => "any number of hosts".to_string(),
            None => format!("{low} hosts or more"),
        }
    }

    /// `active (2026-07-21)`, `end-of-life since 2021-10-31`.
    pub(crate) fn status_text(&self) -> String {
        match self.status {
            Status::EndOfLife => format!("end-of-life since {}", self.status_since),
            Status::Maintenance => format!("maintenance since {}", self.status_since),
            Status::Active => format!("active ({})", self.status_since),
        }
    }

    /// How much rewriting a move from specs of `family` takes: 0 none, 1 a
    /// maintained converter drafts it, 2 by hand.
    pub(crate) fn effort_from(&self, family: &str) -> u8 {
        if self.spec_family == family {
            0
        } else if self.converts_from.iter().any(|f| f == family) {
            1
        } else {
            2
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    orchestrator: Vec<Orchestrator>,
}

const TABLE: &str = include_str!("../../rules/orchestrators.toml");

fn parse() -> Result<Vec<Orchestrator>, toml::de::Error> {
    toml::from_str::<Table>(TABLE).map(|t| t.orchestrator)
}

/// Every orchestrator of the catalog, in file order.
pub(crate) fn all() -> &'static [Orchestrator] {
    static ROWS: OnceLock<Vec<Orchestrator>> = OnceLock::new();
    // Compiled in and checked by the tests below; should it ever fail to parse, the
    // advisor knows no orchestrator rather than failing the scan.
    ROWS.get_or_init(|| parse().unwrap_or_default())
}

pub(crate) fn get(id: &str) -> Option<&'static Orchestrator> {
    all().iter().find(|o| o.id == id)
}

/// The spec family of the orchestrator in use; for a platform outside the
/// catalog, the family its specs are written in (an app whose Procfile does not
/// say which PaaS runs it is a Procfile app).
pub(crate) fn family_of(current: &str) -> &'static str {
    match get(current) {
        Some(o) => o.spec_family.as_str(),
        None => match current {
            "paas" => "procfile",
            _ => "",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_parses_and_is_consistent() {
        let rows = parse().expect("rules/orchestrators.toml parses");
        // The whitepaper's eight and today's choices the issue names.
        for id in [
            "compose",
            "flynn",
            "deis",
            "flocker",
            "clocker",
            "marathon",
            "kubernetes",
            "swarm-classic",
            "swarm",
            "nomad",
            "k3s",
            "dokku",
            "heroku",
            "brooklyn",
        ] {
            assert!(rows.iter().any(|o| o.id == id), "{id} is missing");
        }
        assert_eq!(rows.iter().filter(|o| o.seed).count(), 8);
        for o in &rows {
            assert!(
                o.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                o.id
            );
            assert!(o.scale_min <= o.scale_max, "{}", o.id);
            assert!(!o.sources.is_empty(), "{} has no source", o.id);
            assert!((1..=6).contains(&o.weight), "{}", o.id);
            assert!(!o.status_since.is_empty() && !o.status_note.is_empty());
            for s in &o.successor {
                assert!(
                    rows.iter().any(|r| &r.id == s),
                    "{}: unknown successor {s}",
                    o.id
                );
            }
            if o.status == Status::EndOfLife {
                assert!(!o.successor.is_empty(), "{} ended without successor", o.id);
            }
            assert_eq!(
                rows.iter().filter(|r| r.id == o.id).count(),
                1,
                "{} twice",
                o.id
            );
        }
        assert_eq!(get("marathon").map(|m| m.status), Some(Status::EndOfLife));
        // Every platform a lowering names is in the catalog, so its fit is judged;
        // `paas` (a Procfile whose platform is not named) is judged over the
        // platforms that read a Procfile.
        for id in [
            "swarm",
            "swarm-classic",
            "clocker",
            "brooklyn",
            "flocker",
            "heroku",
            "dokku",
        ] {
            assert!(get(id).is_some(), "{id}");
        }
        // A Procfile app whose platform is not named is sent to self-hosted Dokku
        // before hosted Heroku: equal weight, Dokku first in the file.
        let pos = |id: &str| rows.iter().position(|o| o.id == id);
        let (dokku, heroku) = (get("dokku").unwrap(), get("heroku").unwrap());
        assert!(dokku.weight <= heroku.weight && pos("dokku") < pos("heroku"));
    }

    #[test]
    fn classes_of_hosts() {
        assert_eq!(ScaleClass::of_hosts(1), ScaleClass::Nano);
        assert_eq!(ScaleClass::of_hosts(2), ScaleClass::Micro);
        assert_eq!(ScaleClass::of_hosts(49), ScaleClass::Micro);
        assert_eq!(ScaleClass::of_hosts(50), ScaleClass::Medium);
        assert_eq!(ScaleClass::of_hosts(999), ScaleClass::Medium);
        assert_eq!(ScaleClass::of_hosts(1000), ScaleClass::Large);
    }
}
