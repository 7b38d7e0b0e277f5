//! What a file is. Before parsing, where the name (with a glance at the text)
//! decides: Helm templates are set aside, a `Procfile` has a parser of its own, and
//! `.env` files and Flynn's bootstrap manifest are no specs. After parsing, by the
//! detection table, with the places that make a file a Helm values file and the
//! guesses that keep a broken spec in the scan.

use std::path::Path;

use crate::formats::detect::{self, Detection};
use crate::formats::{helm, procfile};
use crate::source::Format;
use crate::yaml::Parsed;

/// The format a name alone suggests, for a file that is not read.
pub(super) fn format_by_name(name: &str) -> Option<Format> {
    detect::DETECTORS
        .iter()
        .find(|d| (d.by_name)(name))
        .map(|d| d.format)
}

/// A `*.bom` file that is no Brooklyn catalog: binary, not UTF-8, or without a
/// `brooklyn` key.
pub(super) fn is_foreign_bom(name: &str, bytes: &[u8]) -> bool {
    name.to_ascii_lowercase().ends_with(".bom")
        && (bytes.contains(&0)
            || std::str::from_utf8(bytes).map_or(true, |t| !t.contains("brooklyn")))
}

/// What the name and text say before parsing.
pub(super) enum BeforeParsing {
    /// A Helm chart's template: not YAML until rendered. Set aside, text kept.
    HelmTemplate { reason: String },
    /// Not YAML: a line format of its own.
    Procfile,
    /// A file orchlint knows and does not lint.
    NotSpec(&'static str),
    /// YAML or JSON, told apart after parsing.
    Yaml,
}

pub(super) fn before_parsing(
    path: &Path,
    name: &str,
    text: &str,
    from_stdin: bool,
) -> BeforeParsing {
    if !from_stdin && detect::is_helm_template(path, text) {
        let chart = helm::chart_dir_of_template(path);
        return BeforeParsing::HelmTemplate {
            reason: helm::template_reason(chart.as_deref()),
        };
    }
    if name == procfile::PROCFILE {
        return BeforeParsing::Procfile;
    }
    match detect::known_non_spec(name, text) {
        Some(reason) => BeforeParsing::NotSpec(reason),
        None => BeforeParsing::Yaml,
    }
}

/// What a parsed file is.
pub(super) enum AfterParsing {
    Spec(Format),
    /// A spec of that format with no document in it.
    Empty(Format),
    Skipped(String),
}

/// `explicit`: named on the command line (or standard input), so a broken file
/// that looks like nothing is still reported.
pub(super) fn after_parsing(
    path: &Path,
    name: &str,
    text: &str,
    parsed: &Parsed,
    explicit: bool,
    from_stdin: bool,
) -> AfterParsing {
    let json = name.to_ascii_lowercase().ends_with(".json");
    let mut detection = detect::detect(name, &parsed.documents, json);
    if !from_stdin && helm::is_values_file(path) {
        detection = Detection::Spec(Format::Helm);
    }
    let fatal = parsed.is_fatal();
    if fatal && matches!(detection, Detection::Skipped(_)) {
        // A broken file: say so when it looks like a spec (or was named explicitly).
        match detect::detect_broken(name, text) {
            Some(f) => detection = Detection::Spec(f),
            None if explicit || from_stdin => detection = Detection::Spec(Format::Kubernetes),
            None => {}
        }
    }
    // No document, or only empty ones (`---`): an empty spec when it is one by its
    // name or content, or when it was named (or piped) explicitly.
    let empty = !fatal && parsed.documents.iter().all(crate::yaml::Node::is_null);
    if empty {
        match detection {
            Detection::Spec(f) => return AfterParsing::Empty(f),
            _ if explicit || from_stdin => {
                return AfterParsing::Empty(format_by_name(name).unwrap_or(Format::Kubernetes));
            }
            _ => {}
        }
    }
    match detection {
        Detection::Spec(f) => AfterParsing::Spec(f),
        Detection::Skipped(reason) if fatal => {
            AfterParsing::Skipped(format!("{reason} (and not valid YAML)"))
        }
        Detection::Skipped(reason) => AfterParsing::Skipped(reason),
    }
}
