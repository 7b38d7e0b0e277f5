//! `orchlint rules` (every rule, as the configuration here sets it) and
//! `orchlint rule NAME` (one rule's documentation).

use std::io::Write;
use std::path::PathBuf;

use super::output::io;
use super::request::configs_for;
use super::{ConfigArgs, Fatal};
use crate::config::{self, RuleSettings};
use crate::rules;

/// Runs `orchlint rules`.
pub(super) fn list(format: &str, cfg: &ConfigArgs, out: &mut dyn Write) -> Result<i32, Fatal> {
    // The configuration that applies here decides what is on and how severe.
    let config = configs_for(&[PathBuf::from(".")], cfg)?
        .pop()
        .unwrap_or_default();
    match format {
        "json" => write_json(out, &config.rules).map_err(io)?,
        "text" => write_text(out, &config.rules).map_err(io)?,
        // The catalog as shipped: rule declarations only, not the configuration.
        "markdown" => out
            .write_all(crate::docs::catalog_markdown(&rules::all_meta()).as_bytes())
            .map_err(io)?,
        other => {
            return Err(Fatal::Error(format!(
                "unknown format `{other}`; expected `text`, `json` or `markdown`"
            )));
        }
    }
    Ok(0)
}

/// Runs `orchlint rule NAME`; an unknown name fails with the closest one.
pub(super) fn describe(name: &str, format: &str, out: &mut dyn Write) -> Result<i32, Fatal> {
    text_or_json(format)?;
    let Some(meta) = rules::find(name) else {
        let names = rules::all_meta();
        let hint = config::closest(name, names.iter().map(|m| m.name))
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        return Err(Fatal::Error(format!("no rule named `{name}`{hint}")));
    };
    crate::docs::write_rule(out, meta, format).map_err(io)?;
    Ok(0)
}

/// One object per rule, with its configured and default severity.
fn write_json(out: &mut dyn Write, settings: &RuleSettings) -> std::io::Result<()> {
    let rows: Vec<serde_json::Value> = rules::all_meta()
        .iter()
        .map(|m| {
            serde_json::json!({
                "rule": m.code(),
                "name": m.name,
                "family": m.family.as_str(),
                "severity": settings.severity_of(m).as_str(),
                "default_severity": m.severity.as_str(),
                "enabled": settings.enabled(m),
                "default": m.tier.is_default(),
                "opt_in_reason": crate::docs::opt_in_reason(m),
                "peers": crate::docs::peers_json(m.peers),
                "formats": m.formats.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
                "fix": rules::fix_of(m).map(|a| a.as_str()),
                "summary": m.summary,
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// One line per rule: code, severity (or `off`), whether it is in the default set
/// (`default` or `opt-in`), the fix it offers (`safe`, `unsafe` or blank), formats
/// and summary.
fn write_text(out: &mut dyn Write, settings: &RuleSettings) -> std::io::Result<()> {
    let metas = rules::all_meta();
    let width = metas.iter().map(|m| m.code().len()).max().unwrap_or(0);
    for m in metas {
        let formats: Vec<&str> = m.formats.iter().map(|f| f.as_str()).collect();
        let severity = if settings.enabled(m) {
            settings.severity_of(m).as_str()
        } else {
            "off"
        };
        let fix = rules::fix_of(m).map_or("", |a| a.as_str());
        let tier = if m.tier.is_default() {
            "default"
        } else {
            "opt-in"
        };
        writeln!(
            out,
            "{:width$}  {:7}  {:7}  {:6}  {:28}  {}",
            m.code(),
            severity,
            tier,
            fix,
            formats.join(","),
            m.summary
        )?;
    }
    Ok(())
}

/// Fails on a `--format` other than `text` or `json`.
pub(super) fn text_or_json(format: &str) -> Result<(), Fatal> {
    match format {
        "text" | "json" => Ok(()),
        other => Err(Fatal::Error(format!(
            "unknown format `{other}`; expected `text` or `json`"
        ))),
    }
}
