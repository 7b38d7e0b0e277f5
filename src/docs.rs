//! Renders a rule's documentation (`orchlint rule NAME`) from its declaration.

use std::io::Write;

use crate::diagnostic::{Applicability, RuleMeta};

pub(crate) fn write_rule(out: &mut dyn Write, m: &RuleMeta, format: &str) -> std::io::Result<()> {
    if format == "json" {
        let v = serde_json::json!({
            "rule": m.code(),
            "name": m.name,
            "family": m.family.as_str(),
            "severity": m.severity.as_str(),
            "formats": m.formats.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            "fix": crate::rules::fix_of(m).map(|a| a.as_str()),
            "summary": m.summary,
            "what": m.what,
            "why": m.why,
            "bad": {"file": m.bad.file_name, "text": m.bad.text},
            "good": {"file": m.good.file_name, "text": m.good.text},
        });
        serde_json::to_writer_pretty(&mut *out, &v).map_err(std::io::Error::other)?;
        return writeln!(out);
    }
    write!(out, "{}", markdown(m))
}

/// The rule's page as Markdown (also what `rules/*.md` would hold).
pub(crate) fn markdown(m: &RuleMeta) -> String {
    let formats: Vec<&str> = m.formats.iter().map(|f| f.as_str()).collect();
    let indent = |t: &str| {
        t.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "# {code}\n\n{summary}.\n\nDefault severity: {sev}. Formats: {formats}.{fix}\n\n## What it does\n\n{what}\n\n## Why it matters\n\n{why}\n\n## Example\n\n`{bad_name}`:\n\n{bad}\n\nUse instead:\n\n{good}\n",
        code = m.code(),
        summary = capitalize(m.summary),
        sev = m.severity.as_str(),
        formats = formats.join(", "),
        fix = match crate::rules::fix_of(m) {
            Some(Applicability::Safe) => " Fix: safe (applied by `check --fix`).",
            Some(Applicability::Unsafe) =>
                " Fix: unsafe (applied by `check --fix --unsafe-fixes`).",
            None => "",
        },
        what = m.what,
        why = m.why,
        bad_name = m.bad.file_name,
        bad = indent(m.bad.text),
        good = indent(m.good.text),
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
