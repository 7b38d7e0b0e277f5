//! Every rule has a folder `fixtures/<rule-name>/` with a failing case (`fail.*` or a
//! `fail/` folder) and a passing one (`pass.*` or `pass/`). The failing case's
//! findings, with exact lines and columns and the source line each points at
//! underlined, are compared with a checked-in snapshot
//! (`snapshots/fixtures/<rule>__<case>.snap`); the passing case must give no finding
//! at all. Only that rule runs.
//!
//! Each case is its own test, `fixtures::<rule_name>::<case>`, so every failing case
//! is reported and `cargo test latest_image_tag` runs one rule's cases: the
//! `fixture_cases!` macro at the end expands to them (the build script of
//! `tests/fixture-cases/` lists the cases).

use std::path::{Path, PathBuf};

use orchlint::config;
use orchlint::engine::{self, ScanRequest};
use orchlint::report;
use orchlint::rules;

fn fixtures_root() -> PathBuf {
    PathBuf::from("fixtures")
}

/// The fail/pass entries of a rule's fixture folder: `fail`, `fail.yaml`, `fail-2`...
/// (the prefix, then nothing, a separator or a digit; as `build.rs` reads them).
pub(crate) fn cases(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .and_then(|n| n.strip_prefix(prefix))
                        .is_some_and(|rest| {
                            rest.is_empty()
                                || rest.starts_with(['.', '-', '_'])
                                || rest.starts_with(|c: char| c.is_ascii_digit())
                        })
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Lints with only `rule` selected, except for suppression rules, which need the
/// rules they suppress to run: then everything runs and only `rule`'s findings are
/// kept. Returns them as concise lines, each followed by the source line it points
/// at with the span underlined (see `excerpt`).
fn lint(path: &Path, rule: &str) -> String {
    let cfg = config::find(path)
        .map(|p| config::load(&p).unwrap_or_else(|e| panic!("{}", e.0)))
        .unwrap_or_default();
    let req = ScanRequest {
        paths: vec![path.to_path_buf()],
        configs: vec![cfg],
        cli_select: (!rule.starts_with("suppression/")).then(|| vec![rule.to_string()]),
        ..Default::default()
    };
    let scan = engine::run(&req).unwrap_or_else(|e| panic!("{e}"));
    let mut concise = Vec::new();
    report::concise::write(&mut concise, &scan.files, &scan.diagnostics).unwrap();
    let mut json = Vec::new();
    report::json::write(&mut json, &scan.files, &scan.diagnostics).unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
    let lines: Vec<String> = String::from_utf8(concise)
        .unwrap()
        .lines()
        .filter(|l| l.contains(&format!("[{rule}]")))
        .map(String::from)
        .collect();
    let found: Vec<&serde_json::Value> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect();
    assert_eq!(
        lines.len(),
        found.len(),
        "concise and JSON reports disagree:\n{}",
        lines.join("\n")
    );
    let mut out = String::new();
    for (line, d) in lines.iter().zip(found) {
        out.push_str(line);
        out.push('\n');
        out.push_str(&excerpt(d));
    }
    out
}

/// A JSON position's 1-based line and column (in characters).
fn line_col(p: &serde_json::Value) -> (usize, usize) {
    let n = |k: &str| p[k].as_u64().expect("a position") as usize;
    (n("line"), n("column"))
}

/// The line of the file a JSON finding starts on, with `^` under its span:
///
/// ```text
///    3 |     image: nginx
///      |            ^^^^^
/// ```
///
/// A span that goes on past its first line is underlined to the end of that line
/// and says where it ends; an empty span gets one caret. A file that cannot be
/// read, is not UTF-8 text or has no such line gets a note instead.
fn excerpt(d: &serde_json::Value) -> String {
    let (line, col) = line_col(&d["start"]);
    let (end_line, end_col) = line_col(&d["end"]);
    let file = d["file"].as_str().expect("a file");
    let Ok(text) = std::fs::read(file).map(String::from_utf8) else {
        return "      (cannot read the file)\n".to_string();
    };
    let Ok(text) = text else {
        return "      (not UTF-8 text)\n".to_string();
    };
    // `split`, not `lines`: an empty file, or the end after a last newline, is an
    // empty line too.
    let Some(src) = text.split('\n').nth(line - 1) else {
        return format!("      (the file has no line {line})\n");
    };
    let src = src.trim_end_matches('\r');
    let gutter = line.to_string().len().max(4);
    // The prefix keeps the line's tabs, so the carets line up under them.
    let pad: String = src
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let line_len = src.chars().count();
    let (carets, note) = if end_line == line {
        (end_col.saturating_sub(col).max(1), String::new())
    } else {
        (
            (line_len + 1).saturating_sub(col).max(1),
            format!(" (to {end_line}:{end_col})"),
        )
    };
    format!(
        "{line:>gutter$} | {src}\n{:gutter$} | {pad}{}{note}\n",
        "",
        "^".repeat(carets)
    )
}

/// Whether a fixture case must give findings of its rule or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Fail,
    Pass,
}

/// One fixture case: `path` is `fixtures/<rule>/<case>`. A failing case must give
/// findings of the rule, compared with `snapshots/fixtures/<rule>__<case>.snap`
/// (`.` in the case's name as `_`); a passing case must give none.
pub(crate) fn check_case(path: &str, rule: &str, kind: Kind) {
    let meta = rules::all_meta()
        .into_iter()
        .find(|m| m.name == rule)
        .unwrap_or_else(|| panic!("{path}: fixtures/{rule}/ is not the fixture folder of a rule"));
    let path = Path::new(path);
    let out = lint(path, &meta.code());
    match kind {
        Kind::Fail => {
            assert!(
                out.contains(&format!("[{}]", meta.code())),
                "{}: the failing fixture gives no finding of the rule:\n{out}",
                path.display()
            );
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path("snapshots/fixtures");
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            let _guard = settings.bind_to_scope();
            insta::assert_snapshot!(snapshot_name(path), out);
        }
        Kind::Pass => assert!(
            out.is_empty(),
            "{}: the passing fixture gives findings:\n{out}",
            path.display()
        ),
    }
}

/// `fixtures/duplicate-key/fail.compose.yaml` -> `duplicate-key__fail_compose_yaml`.
pub(crate) fn snapshot_name(case: &Path) -> String {
    let rule = case
        .parent()
        .and_then(Path::file_name)
        .expect("fixtures/<rule>/<case>")
        .to_string_lossy();
    let name = case
        .file_name()
        .expect("a case name")
        .to_string_lossy()
        .replace('.', "_");
    format!("{rule}__{name}")
}

/// The snapshots the fixture cases make: one per failing case of a rule.
pub(crate) fn snapshot_names() -> Vec<String> {
    rules::all_meta()
        .into_iter()
        .flat_map(|m| cases(&fixtures_root().join(m.name), "fail"))
        .map(|case| snapshot_name(&case))
        .collect()
}

orchlint_fixture_cases::fixture_cases!();

#[test]
fn every_rule_has_fail_and_pass_fixtures() {
    let mut missing = Vec::new();
    for meta in rules::all_meta() {
        let dir = fixtures_root().join(meta.name);
        if cases(&dir, "fail").is_empty() || cases(&dir, "pass").is_empty() {
            missing.push(meta.name);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without fail/pass fixtures: {missing:?}"
    );
}

#[test]
fn every_rule_has_documentation() {
    for meta in rules::all_meta() {
        assert!(
            !meta.summary.is_empty() && !meta.what.is_empty() && !meta.why.is_empty(),
            "{}",
            meta.name
        );
        assert!(
            !meta.bad.text.is_empty() && !meta.good.text.is_empty(),
            "{}",
            meta.name
        );
        assert_ne!(meta.bad.text, meta.good.text, "{}", meta.name);
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "rule names are kebab-case: {}",
            meta.name
        );
        assert!(
            !meta.summary.ends_with('.')
                && meta
                    .summary
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase()),
            "summaries start lowercase without a trailing period: {}",
            meta.name
        );
    }
}
