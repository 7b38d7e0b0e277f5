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

/// Everything a rule says about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// kebab-case noun for the problem (`latest-image-tag`).
    pub name: &'static str,
    pub(crate) family: Family,
    pub(crate) severity: Severity,
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
