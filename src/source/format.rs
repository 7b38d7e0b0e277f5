//! The spec formats orchlint reads, by name.

use serde::{Deserialize, Serialize};

/// The spec formats orchlint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Compose files of every era: Fig and format 1, 2.x, 3.x (Swarm stack files
    /// included) and the Compose Specification.
    Compose,
    Kubernetes,
    Marathon,
    /// ClusterHQ Flocker application and deployment configurations.
    Flocker,
    /// Apache Brooklyn blueprints and catalogs (Clocker included).
    Brooklyn,
    /// Heroku-style apps: a `Procfile` and its `app.json` manifest.
    Procfile,
    /// A Helm chart: `Chart.yaml`, values files and templates.
    Helm,
}

impl Format {
    pub(crate) const ALL: &'static [Format] = &[
        Format::Compose,
        Format::Kubernetes,
        Format::Marathon,
        Format::Flocker,
        Format::Brooklyn,
        Format::Procfile,
        Format::Helm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Compose => "compose",
            Format::Kubernetes => "kubernetes",
            Format::Marathon => "marathon",
            Format::Flocker => "flocker",
            Format::Brooklyn => "brooklyn",
            Format::Procfile => "procfile",
            Format::Helm => "helm",
        }
    }

    /// The orchestrator a project of this format runs on when nothing else says
    /// (see `DeploymentModel::orchestrator`).
    pub(crate) fn default_orchestrator(self) -> &'static str {
        match self {
            Format::Compose => "compose",
            Format::Kubernetes | Format::Helm => "kubernetes",
            Format::Marathon => "marathon",
            Format::Flocker => "flocker",
            Format::Brooklyn => "brooklyn",
            Format::Procfile => "paas",
        }
    }
}
