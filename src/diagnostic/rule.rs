//! What a rule says about itself: name, family, severity, the formats it reads and
//! its documentation. Findings point at their rule's description.

use serde::{Deserialize, Serialize};

use crate::source::Format;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What kind of problem a rule finds; the first part of its code (`security/...`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    Security,
    Reliability,
    Correctness,
    BestPractice,
    /// The advisor's verdicts on the orchestrator.
    Advice,
    /// Files that are not valid YAML or JSON, values of the wrong type.
    Syntax,
    /// Keys, values and required fields the format's schema does not allow.
    Schema,
    /// Files the scan could not read.
    Scan,
    /// Stale or misspelt suppressions.
    Suppression,
}

impl Family {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Family::Security => "security",
            Family::Reliability => "reliability",
            Family::Correctness => "correctness",
            Family::BestPractice => "best-practice",
            Family::Advice => "advice",
            Family::Syntax => "syntax",
            Family::Schema => "schema",
            Family::Scan => "scan",
            Family::Suppression => "suppression",
        }
    }
}

/// A bad or good example in a rule's documentation.
#[derive(Debug)]
pub struct Example {
    /// The file name the example would have (decides how it is read).
    pub file_name: &'static str,
    pub text: &'static str,
}

/// Whether a rule is in the default selection (`select = ["default"]`, what runs
/// when nothing is configured) or runs only when selected by name, family or `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    /// On by default: a bug, a clear risk, or hygiene that applies where the rule
    /// fires (the rule itself decides the context, e.g. resource limits only where a
    /// scheduler places containers).
    Default,
    /// Off unless selected; the text says why it is not on by default.
    OptIn(&'static str),
}

impl Tier {
    pub(crate) fn is_default(self) -> bool {
        matches!(self, Tier::Default)
    }
}

/// The same check in another linter, by that linter's own identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    /// A kube-linter check name (`privileged-container`).
    KubeLinter(&'static str),
    /// A kube-score check id (`container-security-context-privileged`).
    KubeScore(&'static str),
    /// A Checkov check id (`CKV_K8S_16`).
    Checkov(&'static str),
    /// A Trivy misconfiguration id (`KSV017`).
    Trivy(&'static str),
    /// A Polaris check id (`runAsPrivileged`).
    Polaris(&'static str),
    /// A dclint rule name (`no-duplicate-exported-ports`).
    Dclint(&'static str),
    /// A compose-lint id (`CL-0001`).
    ComposeLint(&'static str),
}

impl Peer {
    /// The linter's name, as its users know it.
    pub(crate) fn tool(self) -> &'static str {
        match self {
            Peer::KubeLinter(_) => "kube-linter",
            Peer::KubeScore(_) => "kube-score",
            Peer::Checkov(_) => "checkov",
            Peer::Trivy(_) => "trivy",
            Peer::Polaris(_) => "polaris",
            Peer::Dclint(_) => "dclint",
            Peer::ComposeLint(_) => "compose-lint",
        }
    }

    /// The check's identifier in that linter.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Peer::KubeLinter(id)
            | Peer::KubeScore(id)
            | Peer::Checkov(id)
            | Peer::Trivy(id)
            | Peer::Polaris(id)
            | Peer::Dclint(id)
            | Peer::ComposeLint(id) => id,
        }
    }
}

/// Everything a rule says about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// kebab-case noun for the problem (`latest-image-tag`).
    pub name: &'static str,
    pub(crate) family: Family,
    pub(crate) severity: Severity,
    /// Whether the rule runs without being asked for, and if not, why.
    pub(crate) tier: Tier,
    /// The same check in the peer linters (none: no peer has it).
    pub(crate) peers: &'static [Peer],
    pub formats: &'static [Format],
    /// One line: what is wrong.
    pub summary: &'static str,
    /// What it does (a paragraph).
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    pub bad: Example,
    pub good: Example,
}

impl RuleMeta {
    pub fn code(&self) -> String {
        format!("{}/{}", self.family.as_str(), self.name)
    }
}
